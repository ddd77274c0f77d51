"""The command line as a new user meets it: project finding, output levels, formats, locales, init, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, invoke, write
from hypothesis import given, strategies as st

from i18n_pipeline.cli import main
from i18n_pipeline.cli.base import WORKFLOW
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.numbers import format_percent, truncated

FAQ = """\
kind: faq
title: Questions
items:
  - id: where
    question: Where do we meet?
    answer: Online.
"""


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


# --- the command list ------------------------------------------------------------


def test_commands_are_listed_in_workflow_order_with_whole_descriptions() -> None:
    result = run("--help")
    listed = result.output.split("Commands:", 1)[1].split("Exit codes:", 1)[0]
    names = [line.split()[0] for line in listed.splitlines() if line.strip() and not line.startswith("   ")]
    assert names == list(WORKFLOW)
    assert "..." not in listed
    flat = " ".join(listed.split())
    for name in WORKFLOW:
        first_paragraph = " ".join((main.commands[name].help or "").split("\n\n")[0].split())
        assert f"{name} {first_paragraph}" in flat


@pytest.mark.parametrize("name", WORKFLOW)
def test_every_command_has_examples_quiet_verbose_and_project_in_its_help(name: str) -> None:
    text = run(name, "--help").output
    assert re.search(rf"Examples:\n +i18n-pipeline {name}\b", text)
    for option in ("--project DIR", "-q, --quiet", "-v, --verbose"):
        assert option in text


# --- finding the project -------------------------------------------------------------


def test_project_works_before_or_after_the_command_and_from_the_environment(seed_project: Path) -> None:
    before = run("--project", str(seed_project), "status", "--format", "json")
    after = run("status", "--format", "json", "--project", str(seed_project))
    from_env = run("status", "--format", "json", env={"I18N_PIPELINE_PROJECT": str(seed_project)})
    assert before.exit_code == after.exit_code == from_env.exit_code == 0
    assert json.loads(before.output) == json.loads(after.output) == json.loads(from_env.output)


def test_project_after_the_command_wins_over_the_environment(seed_project: Path, tmp_path: Path) -> None:
    result = run("status", "--project", str(seed_project), env={"I18N_PIPELINE_PROJECT": str(tmp_path / "nowhere")})
    assert result.exit_code == 0, result.output


def test_a_missing_project_folder_is_named_as_missing(tmp_path: Path) -> None:
    result = run("--project", str(tmp_path / "typo"), "status")
    assert result.exit_code == 2
    assert result.output == f"error: the project folder {tmp_path / 'typo'} does not exist (from --project or I18N_PIPELINE_PROJECT)\n"


def test_a_folder_without_config_says_how_to_start(tmp_path: Path) -> None:
    result = run("--project", str(tmp_path), "status")
    assert result.exit_code == 2 and "run 'i18n-pipeline init'" in result.output


# --- how much is printed --------------------------------------------------------------


def test_render_preview_prints_a_summary_and_verbose_lists_every_file(seed_project: Path) -> None:
    verbose = invoke(seed_project, "render", "--mode", "preview", "--verbose")
    files = [p for p in (seed_project / "out" / "preview").rglob("*") if p.is_file()]
    assert len(files) > 30
    assert sum(line.startswith("wrote out/preview/") for line in verbose.output.splitlines()) == len(files)
    (seed_project / "out").rename(seed_project / "old")
    normal = invoke(seed_project, "render", "--mode", "preview")
    assert normal.exit_code == 0
    assert len(normal.output.splitlines()) <= 8 and "wrote out/" not in normal.output
    assert f"wrote {len(files)} file(s) (--verbose lists them)" in normal.output


@pytest.mark.parametrize(
    "args",
    [("extract",), ("update",), ("compile",), ("build",), ("render", "--allow-incomplete"), ("check",), ("draft",)],
)
def test_quiet_prints_nothing_when_all_is_well(seed_project: Path, args: tuple[str, ...]) -> None:
    result = invoke(seed_project, *args, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_verbose_names_every_file_a_write_command_looked_at(seed_project: Path) -> None:
    normal = invoke(seed_project, "update")
    assert normal.output.strip() == "0 file(s) written, 3 already up to date"
    verbose = invoke(seed_project, "update", "-v")
    assert "unchanged catalogs/es/LC_MESSAGES/faq/learning-space.po" in verbose.output
    compiled = invoke(seed_project, "compile", "--verbose")
    assert "wrote out/locale/es/LC_MESSAGES/faq/learning-space.mo" in compiled.output


def test_quiet_status_to_a_file_prints_nothing(seed_project: Path, tmp_path: Path) -> None:
    result = invoke(seed_project, "status", "--format", "markdown", "--output", str(tmp_path / "status.md"), "--quiet")
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "status.md").read_text().startswith("**en** ")


def test_quiet_and_verbose_exclude_each_other(seed_project: Path) -> None:
    result = invoke(seed_project, "update", "--quiet", "--verbose")
    assert result.exit_code == 2 and "--quiet and --verbose exclude each other" in result.output


# --- one --format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, key",
    [
        (("extract",), "unchanged"),
        (("update",), "stats"),
        (("compile",), "written"),
        (("build",), "stages"),
        (("render", "--allow-incomplete"), "versions"),
        (("check",), "problems"),
        (("status",), "locales"),
        (("draft", "--dry-run"), "planned"),
    ],
)
def test_every_reporting_command_prints_json(seed_project: Path, args: tuple[str, ...], key: str) -> None:
    result = invoke(seed_project, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert key in json.loads(result.output)


def test_import_and_review_print_json(seed_project: Path) -> None:
    imported = invoke(seed_project, "import", str(REPO / "tests/data/learning-space-page.txt"),
                      "--document", "faq/learning-space", "--locale", "es", "--format", "json")
    assert imported.exit_code == 0 and "imported" in json.loads(imported.output)
    listed = json.loads(invoke(seed_project, "review", "--format", "json").output)
    assert [item["key"] for item in listed] and all(item["locale"] == "en" for item in listed)


@pytest.mark.parametrize("command", [("draft", "--dry-run"), ("render", "--allow-incomplete"), ("review",)])
def test_the_old_json_flag_still_works(seed_project: Path, command: tuple[str, ...]) -> None:
    old = invoke(seed_project, *command, "--json")
    new = invoke(seed_project, *command, "--format", "json")
    assert old.exit_code == new.exit_code == 0
    before, after = json.loads(old.output), json.loads(new.output)
    if isinstance(before, list):
        assert before == after
    else:
        assert sorted(before) == sorted(after)
    assert "--json" not in invoke(seed_project, command[0], "--help").output


def test_render_still_takes_page_formats_in_format(seed_project: Path) -> None:
    result = invoke(seed_project, "render", "--format", "md", "--layout", "single", "--allow-incomplete", "--format", "json")
    written = json.loads(result.output)["written"]
    assert written and all(path.endswith(".md") for path in written)


# --- one --locale filter ---------------------------------------------------------------------


def test_locale_is_normalized_the_same_way_by_every_command(seed_project: Path) -> None:
    upper = invoke(seed_project, "compile", "--locale", "ES", "--format", "json")
    assert upper.exit_code == 0
    assert json.loads(upper.output)["written"] == ["out/locale/es/LC_MESSAGES/announcements/learning-space.mo",
                                                   "out/locale/es/LC_MESSAGES/faq/learning-space.mo"]
    for args in (("status",), ("check",), ("compile",), ("draft", "--dry-run"), ("review", "--list"), ("render",)):
        assert invoke(seed_project, *args, "--locale", "Es").exit_code in (0, 1), args


@pytest.mark.parametrize("command", [("compile",), ("status",), ("check",), ("draft",), ("review", "--list"), ("render",)])
def test_an_unknown_or_unconfigured_locale_is_an_error_not_an_empty_run(seed_project: Path, command: tuple[str, ...]) -> None:
    unknown = invoke(seed_project, *command, "--locale", "zz")
    assert unknown.exit_code == 2 and "unknown locale code 'zz'" in unknown.output
    regional = invoke(seed_project, *command, "--locale", "es-MX")
    assert regional.exit_code == 2
    assert "--locale es-MX: not one of the project's locales (en, es); did you mean 'es'?" in regional.output


def test_import_uses_the_same_locale_filter(seed_project: Path) -> None:
    result = invoke(seed_project, "import", str(REPO / "tests/data/learning-space-page.txt"), "--document", "faq/learning-space", "--locale", "fr")
    assert result.exit_code == 2 and "--locale fr: not one of the project's locales" in result.output


def test_a_regional_locale_beside_existing_catalogs_of_its_language_warns(seed_project: Path) -> None:
    config = seed_project / "i18n-pipeline.yaml"
    config.write_text(config.read_text().replace("locales: [en, es]", "locales: [en, es-MX]"))
    result = invoke(seed_project, "status")
    assert "warning:" in result.output
    assert "locale 'es_MX' has no catalogs yet, but catalogs/es/ has: did you mean 'es'?" in result.output


def test_a_three_letter_code_with_a_two_letter_one_is_refused(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ}, "source_locale: eng\nlocales: [eng, es]\n")
    result = invoke(root, "update")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml:1: locale code 'eng': did you mean 'en'?" in result.output
    assert not (root / "catalogs").exists()


def test_three_letter_codes_without_a_two_letter_one_stay_valid(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ}, "source_locale: en\nlocales: [en, fil]\n")
    assert invoke(root, "update").exit_code == 0
    assert (root / "catalogs/fil/LC_MESSAGES/faq/x.po").is_file()


# --- errors that were weak ------------------------------------------------------------------------


def test_a_yaml_indentation_mistake_gets_a_hint(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ.replace("    answer: Online.", "   answer: Online.")})
    result = invoke(root, "update")
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "source/faq/x.yaml:6:" in result.output
    assert "check the indentation of this line and the line above, or quote a value containing ': '" in result.output


def test_an_unquoted_colon_gets_the_same_hint(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ.replace("title: Questions", "title: Note: questions")})
    result = invoke(root, "update")
    assert result.exit_code == 2 and "source/faq/x.yaml:2:" in result.output and "quote a value containing ': '" in result.output


def test_review_accept_with_no_drafts_says_there_are_none(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ})
    assert invoke(root, "update").exit_code == 0
    result = invoke(root, "review", "--accept", "faq/x/title", "--reviewer", "Ana")
    assert result.exit_code == 2
    assert "there are no drafts awaiting review: nothing to accept" in result.output


# --- init --------------------------------------------------------------------------------------------


def test_init_works_in_an_existing_repository_and_leaves_its_files_alone(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    write(folder / "README.md", "# Our site\n")
    write(folder / ".gitignore", "node_modules/\n.i18n-pipeline.lock\n")
    write(folder / "source" / "faq" / "example.yaml", FAQ)
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / "README.md").read_text() == "# Our site\n"
    assert (folder / "source/faq/example.yaml").read_text() == FAQ
    assert f"kept existing {folder / 'source/faq/example.yaml'}" in result.output
    assert (folder / ".gitignore").read_text() == "node_modules/\n.i18n-pipeline.lock\n# i18n-pipeline\n/out/\n.i18n-pipeline-cache/\n.i18n-tmp-*.tmp\n"


def test_init_scaffolds_an_announcement_with_an_event_that_renders(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert run("init", str(folder)).exit_code == 0
    assert "event:" in (folder / "source/announcements/example.yaml").read_text()
    built = invoke(folder, "build")
    assert built.exit_code == 0, built.output
    page = (folder / "out/announcements/example/single/en.md").read_text()
    assert "Tuesdays" in page and "{schedule}" not in page
    assert not (folder / "build").exists()


def test_init_config_explains_every_key_and_loads(tmp_path: Path) -> None:
    from i18n_pipeline.config import Config, load_config

    folder = tmp_path / "new"
    run("init", str(folder), "--locale", "es")
    text = (folder / "i18n-pipeline.yaml").read_text()
    for key in ("project_name", "source_locale", "locales", "source_dir", "catalog_dir", "output_dir", "wrap_width", "memory",
                "glossary", "draft", "render"):
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith(key + ":"))
        assert "#" in lines[at].lstrip("# ") or lines[at - 1].startswith("# "), f"{key} is not explained"
    config = load_config(folder)
    assert config.locales == ("en", "es") and config.output_dir == Config.__dataclass_fields__["output_dir"].default == "out"


def test_init_scaffolds_a_glossary_per_target_language_that_check_uses(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert run("init", str(folder), "--locale", "es", "--locale", "pt_BR").exit_code == 0
    assert sorted(p.name for p in (folder / "glossary").iterdir()) == ["es.yaml", "pt_BR.yaml"]
    assert "Spanish" in (folder / "glossary/es.yaml").read_text()
    glossary = folder / "glossary/es.yaml"
    glossary.write_text(glossary.read_text().replace("terms: {}\n#   learning space", "terms:\n  learning space"))
    source = folder / "source/faq/example.yaml"
    source.write_text(source.read_text().replace("A second paragraph.", "A second learning space paragraph."))
    assert invoke(folder, "update").exit_code == 0
    path = folder / "catalogs/es/LC_MESSAGES/faq/example.po"
    catalog = read_po(path)
    for message in catalog.messages:
        if message.msgctxt:
            message.msgstr = "Texto: " + message.msgid
    save_po(path, catalog)
    checked = invoke(folder, "check")
    assert "[glossary]" in checked.output and "espacio de aprendizaje" in checked.output


def test_init_where_a_config_exists_does_not_repeat_the_file_name(tmp_path: Path) -> None:
    assert run("init", str(tmp_path)).exit_code == 0
    again = run("init", str(tmp_path))
    assert again.exit_code == 2
    assert again.output.count("i18n-pipeline.yaml") == 1
    assert again.output == f"error: {tmp_path / 'i18n-pipeline.yaml'}: already exists: this folder is already a project (nothing changed)\n"


def test_init_uses_the_project_folder_when_no_folder_is_given(tmp_path: Path) -> None:
    assert run("--project", str(tmp_path / "p"), "init").exit_code == 0
    assert (tmp_path / "p" / "i18n-pipeline.yaml").is_file()


# --- numbers ------------------------------------------------------------------------------------------


def test_percentages_agree_between_status_build_and_render(make_project) -> None:
    items = "".join(f"  - id: q{i}\n    question: Question number {i}?\n    answer: Answer number {i}.\n" for i in range(7))
    root = make_project({"faq/x.yaml": f"kind: faq\ntitle: Questions\nitems:\n{items}footer: The end.\n"})
    assert invoke(root, "update").exit_code == 0
    path = root / "catalogs/es/LC_MESSAGES/faq/x.po"
    catalog = read_po(path)
    todo = [m for m in catalog.messages if m.msgctxt]
    assert len(todo) == 16
    for message in todo[:15]:
        message.msgstr = "ES " + message.msgid
    save_po(path, catalog)
    status = invoke(root, "status", "--by", "locale").output
    built = invoke(root, "build").output
    rendered = invoke(root, "render", "--layout", "single", "--page-format", "md", "--locale", "es").output
    assert "93.7%" in status and "(93.7%)" in built and "(93.7%)" in rendered
    assert "93.8" not in status + built + rendered
    status_json = json.loads(invoke(root, "status", "--by", "locale", "--format", "json").output)
    render_json = json.loads(invoke(root, "render", "--layout", "single", "--page-format", "md", "--locale", "es", "--format", "json").output)
    assert [c["percent_translated"] for c in status_json["catalogs"] if c["locale"] == "es"] == [93.75]
    assert [v["percent_final"] for v in render_json["versions"] if v["locale"] == "es"] == [93.7]


@given(st.integers(0, 100_000), st.integers(1, 100_000))
def test_a_percentage_never_shows_more_than_is_done(part: int, whole: int) -> None:
    part = min(part, whole)
    shown = format_percent(100 * part / whole)
    assert (shown == "100%") == (part == whole)
    assert float(shown.rstrip("%")) <= 100 * part / whole + 1e-9
    for digits in (1, 2):
        reported = truncated(100 * part / whole, digits)
        assert (reported == 100.0) == (part == whole)
        assert reported <= 100 * part / whole + 1e-9


# --- output folder, completion, the README's import example ----------------------------------------


def test_the_default_output_folder_is_not_setuptools_build(seed_project: Path) -> None:
    assert invoke(seed_project, "build").exit_code == 0
    assert (seed_project / "out/status.html").is_file() and not (seed_project / "build").exists()


def test_shell_completion_completes_command_names() -> None:
    env = {"_I18N_PIPELINE_COMPLETE": "bash_complete", "COMP_WORDS": "i18n-pipeline sta", "COMP_CWORD": "1"}
    result = CliRunner().invoke(main, [], prog_name="i18n-pipeline", env=env)
    assert "plain,status" in result.output.splitlines()
    script = CliRunner().invoke(main, [], prog_name="i18n-pipeline", env={"_I18N_PIPELINE_COMPLETE": "bash_source"})
    assert "_I18N_PIPELINE_COMPLETE=bash_complete" in script.output


def test_the_readme_import_example_works_from_a_fresh_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### `import` and the seed page", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    clone = tmp_path / "clone"
    for name in ("i18n-pipeline.yaml", "source", "glossary", "tests/data"):
        target = clone / name
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / name, target)
    monkeypatch.chdir(clone)
    for line in block.strip().splitlines():
        words = shlex.split(line)
        assert words[0] == "i18n-pipeline"
        result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, (line, result.output)
    ours = {m.msgctxt: m.msgstr for m in read_po(clone / "catalogs/es/LC_MESSAGES/faq/learning-space.po").messages if m.msgctxt}
    committed = {m.msgctxt: m.msgstr for m in read_po(REPO / "catalogs/es/LC_MESSAGES/faq/learning-space.po").messages if m.msgctxt}
    assert ours == committed and sum(1 for text in ours.values() if text) == 18


def test_the_cli_offers_exactly_the_core_choice_lists() -> None:
    from i18n_pipeline import choices
    from i18n_pipeline.publish import layout, render
    from i18n_pipeline.report import checks, status
    from i18n_pipeline.translate import providers

    def offered(command: str, option: str) -> tuple[str, ...]:
        param = next(p for p in main.commands[command].params if option in p.opts)
        return tuple(param.type.choices)  # type: ignore[attr-defined]

    assert offered("draft", "--provider") == choices.PROVIDERS == providers.PROVIDERS
    assert offered("render", "--layout") == choices.LAYOUTS == layout.LAYOUTS
    assert offered("render", "--mode") == choices.MODES == layout.MODES
    assert offered("render", "--page-format") == choices.PAGE_FORMATS == render.FORMATS
    assert offered("status", "--by") == choices.GROUPINGS == status.GROUPINGS
    assert offered("status", "--format") == choices.STATUS_FORMATS == status.FORMATS
    assert offered("check", "--format") == choices.CHECK_FORMATS == checks.FORMATS
    for command in ("extract", "update", "compile", "import", "draft", "review", "build"):
        assert offered(command, "--format") == choices.REPORT_FORMATS


def test_a_glossary_term_given_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert run("init", str(folder), "--locale", "es").exit_code == 0
    (folder / "glossary/es.yaml").write_text("terms:\n  learning space: espacio de aprendizaje\n  learning space: aula\n", encoding="utf-8")
    assert invoke(folder, "update").exit_code == 0
    checked = invoke(folder, "check")
    assert checked.exit_code == 2
    assert checked.output == "error: glossary/es.yaml:3: duplicate key 'learning space' in 'terms' (first at line 2)\n"
