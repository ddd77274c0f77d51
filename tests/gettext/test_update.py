"""extract/update/import/compile/build on real files, checked with GNU gettext."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from conftest import REPO, invoke, msgfmt_check, needs_gettext, write

from i18n_pipeline.gettext.pofile import read_po

FAQ = """\
kind: faq
title: FAQ
items:
  - id: who
    question: Who is this space for?
    answer: |
      First paragraph.

      Second paragraph with {placeholder}.
  - id: when
    question: When does it meet?
    answer: Monthly.
values:
  placeholder: x
"""
# A copy of ../shared/seed/learning-space-page.txt, so the tests do not depend on a sibling folder.
SEED = REPO / "tests" / "data" / "learning-space-page.txt"


def po(project: Path, doc: str = "faq/x", locale: str = "es") -> Path:
    return project / "catalogs" / locale / "LC_MESSAGES" / f"{doc}.po"


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "catalogs").rglob("*")) if p.is_file()}


def translate_all(path: Path, prefix: str = "ES ") -> None:
    from i18n_pipeline.gettext.pofile import save_po

    catalog = read_po(path)
    for message in catalog.active:
        message.msgstr = prefix + message.msgid
    save_po(path, catalog)


def test_update_writes_pot_per_document_and_po_per_target_locale(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    assert (project / "catalogs/templates/faq/x.pot").is_file()
    assert po(project).is_file()
    assert not po(project, locale="en").exists()  # the document's own language has no catalog


def test_spanish_authored_document_gets_an_english_catalog(make_project):
    project = make_project({"faq/x.yaml": FAQ, "news/hola.yaml": "kind: announcement\nlang: es\ntitle: Hola\nbody: Uno.\n"})
    invoke(project, "update")
    assert po(project, "news/hola", "en").is_file()
    assert not po(project, "news/hola", "es").exists()
    assert read_po(po(project, "news/hola", "en")).header["X-Source-Language"] == "es"


@needs_gettext
def test_written_catalogs_pass_msgfmt_check_and_survive_msgcat(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    translate_all(po(project))
    write(project / "source/faq/x.yaml", FAQ.replace("Monthly.", "Every month."))
    invoke(project, "update")
    for path in (project / "catalogs").rglob("*.po*"):
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
        assert subprocess.run(["msgcat", str(path)], capture_output=True).stdout == path.read_bytes()


def test_second_update_changes_no_byte_and_no_mtime(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    translate_all(po(project))
    write(project / "source/faq/x.yaml", FAQ.replace("Monthly.", "Every month."))
    invoke(project, "update")
    before = snapshot(project)
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "catalogs").rglob("*") if p.is_file()}
    time.sleep(0.01)
    result = invoke(project, "update")
    assert snapshot(project) == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert "already up to date" in result.output


def test_edit_reorder_delete_and_readd_keep_every_translation(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    translate_all(po(project))
    original = {m.msgctxt: m.msgstr for m in read_po(po(project)).active}
    # Reorder items and drop one.
    write(project / "source/faq/x.yaml", "kind: faq\ntitle: FAQ\nitems:\n  - id: when\n    question: When does it meet?\n    answer: Monthly.\n")
    invoke(project, "update")
    gone = read_po(po(project))
    assert {m.msgctxt for m in gone.obsolete} == {"faq/x/who/question", "faq/x/who/answer/1", "faq/x/who/answer/2"}
    # Bring it back: translations return, not fuzzy.
    write(project / "source/faq/x.yaml", FAQ)
    invoke(project, "update")
    back = read_po(po(project))
    assert {m.msgctxt: m.msgstr for m in back.active} == original
    assert not any(m.fuzzy for m in back.active)
    assert not back.obsolete


def test_changed_paragraph_is_fuzzy_with_previous_msgid_in_the_file(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    translate_all(po(project))
    write(project / "source/faq/x.yaml", FAQ.replace("First paragraph.", "First paragraph, edited."))
    invoke(project, "update")
    text = po(project).read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid "First paragraph."\nmsgctxt "faq/x/who/answer/1"\nmsgid "First paragraph, edited."\nmsgstr "ES First paragraph."' in text


def test_placeholder_messages_carry_python_brace_format(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    message = read_po(po(project)).by_key()["faq/x/who/answer/2"]
    assert "python-brace-format" in message.flags


def test_bad_source_changes_nothing_and_exits_2(make_project):
    project = make_project({"faq/x.yaml": FAQ})
    invoke(project, "update")
    before = snapshot(project)
    write(project / "source/faq/x.yaml", FAQ.replace("    question: When does it meet?\n", ""))
    result = invoke(project, "update")
    assert result.exit_code == 2
    assert "source/faq/x.yaml:10: missing required field 'question' in item 2" in result.output
    assert "Traceback" not in result.output
    assert snapshot(project) == before


def test_unknown_locale_in_config_is_a_clear_error(make_project):
    project = make_project({"faq/x.yaml": FAQ}, config="source_locale: en\nlocales: [en, zz_ZZ]\n")
    result = invoke(project, "update")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml:2: unknown locale code 'zz_ZZ'" in result.output


def test_missing_config_is_a_clear_error(tmp_path: Path):
    result = invoke(tmp_path, "update")
    assert result.exit_code == 2
    assert "missing config file i18n-pipeline.yaml" in result.output


def test_seed_import_gives_every_spanish_line_as_final_translation(seed_project: Path):
    catalog = read_po(po(seed_project, "faq/learning-space"))
    final = {m.msgctxt: m.msgstr for m in catalog.active if m.translated}
    missing = [m.msgctxt for m in catalog.active if not m.translated]
    spanish_lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()[23:] if line.strip()]
    assert len(final) == 18
    assert set(final.values()) == {line.rstrip(":") for line in spanish_lines}
    assert missing == ["faq/learning-space/notes/no-recording", "faq/learning-space/notes/interpretation"]
    announcement = read_po(po(seed_project, "announcements/learning-space"))
    assert {m.msgctxt: m.msgstr for m in announcement.active if m.translated} == {
        "announcements/learning-space/links/register": "Inscríbase en la próxima sesión"
    }


def test_import_reports_what_it_cannot_align_and_is_repeatable(seed_project: Path):
    result = invoke(seed_project, "import", str(SEED), "--document", "faq/learning-space", "--locale", "es")
    assert result.exit_code == 0, result.output
    assert "0 imported, 18 already there, 2 without translation" in result.output
    assert "untranslated: faq/learning-space/notes/no-recording" in result.output


def test_import_never_overwrites_a_different_final_translation(seed_project: Path):
    from i18n_pipeline.gettext.pofile import save_po

    path = po(seed_project, "faq/learning-space")
    catalog = read_po(path)
    catalog.by_key()["faq/learning-space/title"].msgstr = "Preguntas frecuentes"
    save_po(path, catalog)
    result = invoke(seed_project, "import", str(SEED), "--document", "faq/learning-space", "--locale", "es")
    assert "kept existing translation (differs; use --overwrite): faq/learning-space/title" in result.output
    assert read_po(path).by_key()["faq/learning-space/title"].msgstr == "Preguntas frecuentes"


@needs_gettext
def test_compile_writes_mo_without_fuzzy_drafts(seed_project: Path):
    result = invoke(seed_project, "compile")
    assert result.exit_code == 0, result.output
    mo = seed_project / "out/locale/es/LC_MESSAGES/faq/learning-space.mo"
    out = subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
    assert "¿Para quién es este espacio?" in out
    en_mo = seed_project / "out/locale/en/LC_MESSAGES/announcements/que-esperar.mo"
    # The English catalog holds only memory drafts: none may reach the MO file.
    assert "What can I expect?" not in subprocess.run(["msgunfmt", str(en_mo)], capture_output=True, text=True, check=True).stdout


def test_build_on_the_repo_content_changes_no_tracked_file(seed_project: Path):
    before = snapshot(seed_project)
    first = invoke(seed_project, "build")
    assert first.exit_code == 0, first.output
    assert snapshot(seed_project) == before


def test_init_scaffolds_a_project_that_builds(tmp_path: Path):
    from click.testing import CliRunner

    from i18n_pipeline.cli import main

    folder = tmp_path / "new"
    result = CliRunner().invoke(main, ["init", str(folder), "--locale", "es", "--locale", "pt-BR"])
    assert result.exit_code == 0, result.output
    assert "locales: [en, es, pt_BR]" in (folder / "i18n-pipeline.yaml").read_text()
    built = invoke(folder, "build")
    assert built.exit_code == 0, built.output
    assert po(folder, "faq/example", "pt_BR").is_file()
    again = CliRunner().invoke(main, ["init", str(folder)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_babel_extractor_gives_the_same_keys_as_extract(seed_project: Path):
    from babel.messages.extract import extract_from_dir

    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(seed_project), method_map=[("source/**.yaml", "i18n_pipeline_yaml")], options_map={"source/**.yaml": {"source_dir": "source"}}
    ):
        found.add((context, message))
    invoke(seed_project, "extract")
    ours = set()
    for pot in (seed_project / "catalogs/templates").rglob("*.pot"):
        ours |= {(m.msgctxt, m.msgid) for m in read_po(pot).active}
    assert found == ours


def test_added_messages_get_final_translations_of_other_documents_as_fuzzy_memory_drafts(make_project):
    from i18n_pipeline.gettext.pofile import save_po

    root = make_project({"faq/a.yaml": "kind: faq\ntitle: Questions\nitems:\n  - id: who\n    question: Who is this learning space for?\n    answer: Everyone.\n"})
    assert invoke(root, "update").exit_code == 0
    catalog = read_po(po(root, "faq/a"))
    for message in catalog.active:
        message.msgstr = {"Questions": "Preguntas", "Who is this learning space for?": "¿Para quién es este espacio?"}.get(message.msgid, "")
    save_po(po(root, "faq/a"), catalog)
    write(root / "source/faq/b.yaml", "kind: faq\ntitle: Questions\nitems:\n  - id: who\n    question: Who is this learning space for, then?\n    answer: Nobody.\n")
    result = invoke(root, "update")
    assert result.exit_code == 0, result.output
    assert "2 suggested" in result.output
    messages = {m.msgid: m for m in read_po(po(root, "faq/b")).active}
    exact, near, none = messages["Questions"], messages["Who is this learning space for, then?"], messages["Nobody."]
    assert (exact.msgstr, exact.fuzzy, exact.previous_msgid) == ("Preguntas", True, None)
    assert (near.msgstr, near.fuzzy, near.previous_msgid) == ("¿Para quién es este espacio?", True, "Who is this learning space for?")
    assert all(m.draft is not None and m.draft["provider"] == "memory" for m in (exact, near))
    assert (none.msgstr, none.fuzzy) == ("", False)
    # The document the memory came from is unchanged; an update with nothing new writes nothing.
    assert read_po(po(root, "faq/a")).by_key() == catalog.by_key()
    assert "0 file(s) written" in invoke(root, "update").output
