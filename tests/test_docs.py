"""The README against the command tree, in the style of sqlite-utils' tests/test_docs.py.

Every command and every option Click knows appears in the README; every
``i18n-pipeline …`` command line in the README, in docs/, in the pre-commit
hooks and in each command's ``Examples:`` names a command that exists and
only options it has.
"""

from __future__ import annotations

import re
import shlex

import click
import pytest
from conftest import REPO

from i18n_pipeline.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")
#: Options of the group, valid before the command name.
GLOBAL = {opt for param in main.params for opt in param.opts + param.secondary_opts} | {"--help", "-h"}


def visible_options(command: click.Command) -> list[str]:
    return [
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for opt in param.opts + param.secondary_opts
        if opt.startswith("--")
    ]


def all_options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in param.opts + param.secondary_opts} | {"--help", "-h"}


COMMAND_OPTIONS = [(name, opt) for name, command in sorted(main.commands.items()) for opt in visible_options(command)]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`i18n-pipeline {name}" in README


@pytest.mark.parametrize("name, option", COMMAND_OPTIONS)
def test_every_option_of_every_command_is_in_the_readme(name: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), f"{name} {option} is not documented"


@pytest.mark.parametrize("option", sorted(opt for opt in GLOBAL if opt.startswith("--")))
def test_every_global_option_is_in_the_readme(option: str) -> None:
    assert f"`{option}" in README


def command_lines(text: str) -> list[str]:
    """Every ``i18n-pipeline …`` invocation in shell code blocks, inline code and YAML ``run:`` lines."""
    found: list[str] = []
    for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            for part in re.split(r"&&|\|\||;|\|", line):
                words = part.split("#", 1)[0].strip()
                words = re.sub(r"^(\w+=\S+\s+)+", "", words)  # VAR=value before the command
                if words.startswith("i18n-pipeline "):
                    found.append(words)
    found += [span for span in re.findall(r"`(i18n-pipeline [^`]*)`", text)]
    found += [m.strip() for m in re.findall(r"run: (i18n-pipeline [^\n#|]*)", text)]
    return found


def check_invocation(line: str) -> None:
    """``line`` names a command that exists and only options it (or the group) has."""
    words = shlex.split(line.replace("\\|", "|").replace("…", ""))
    assert words[0] == "i18n-pipeline", line
    rest = words[1:]
    while rest and rest[0].startswith("-"):
        option = rest.pop(0).split("=", 1)[0]
        assert option in GLOBAL, f"{line}: unknown global option {option}"
        if option == "--project" and rest:
            rest.pop(0)
    if not rest or rest[0].isupper() or rest[0].endswith(":"):
        return  # `i18n-pipeline --help`, `i18n-pipeline COMMAND --help`, a provenance mark
    name = rest[0]
    assert name in main.commands, f"{line}: no command {name!r}"
    known = all_options(main.commands[name]) | GLOBAL
    for word in rest[1:]:
        if word.startswith("-") and word not in ("-", "--"):
            assert word.split("=", 1)[0] in known, f"{line}: {name} has no option {word}"


def test_the_readme_mentions_commands_at_all() -> None:
    assert len(command_lines(README)) > 30


@pytest.mark.parametrize("line", sorted(set(command_lines(README))))
def test_every_command_line_in_the_readme_exists(line: str) -> None:
    check_invocation(line)


@pytest.mark.parametrize("path", sorted(p.relative_to(REPO).as_posix() for p in (REPO / "docs").rglob("*.yml")))
def test_every_command_line_in_docs_exists(path: str) -> None:
    lines = command_lines((REPO / path).read_text(encoding="utf-8"))
    assert lines
    for line in lines:
        check_invocation(line)


def test_the_ci_example_is_documented_and_uploads_the_default_output_folder() -> None:
    from i18n_pipeline.config import Config

    workflow = (REPO / "docs" / "github-actions-translations.yml").read_text(encoding="utf-8")
    assert "docs/github-actions-translations.yml" in README
    assert f"path: {Config.__dataclass_fields__['output_dir'].default}/" in workflow
    assert "status --fail-under" in workflow and "status --format markdown" in workflow


def test_every_pre_commit_hook_runs_an_existing_command() -> None:
    from ruamel.yaml import YAML

    for hook in YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        check_invocation(" ".join([hook["entry"], *hook.get("args", [])]))
        assert hook["id"] in README


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_example_in_help_exists(name: str) -> None:
    help_text = main.commands[name].help or ""
    examples = help_text.split("Examples:", 1)[1]
    lines = [line.strip() for line in examples.splitlines() if line.strip().startswith("i18n-pipeline")]
    assert lines
    for line in lines:
        check_invocation(line)
        assert shlex.split(line)[1] == name or name in shlex.split(line)


def test_group_examples_exist() -> None:
    for line in (main.help or "").split("Examples:", 1)[1].splitlines():
        line = re.sub(r"^(\w+=\S+\s+)+", "", line.strip())
        if line:
            check_invocation(line)


def test_readme_paths_to_repository_files_exist() -> None:
    for path in ("tests/data/learning-space-page.txt", "docs/github-actions-translations.yml", ".pre-commit-hooks.yaml"):
        assert path in README and (REPO / path).is_file()
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "## 0.2.0" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_paths_in_the_readme_use_the_default_output_folder() -> None:
    from i18n_pipeline.config import Config

    default = Config.__dataclass_fields__["output_dir"].default
    outputs = re.findall(r"`(\w+)/(?:status\.html|preview/|locale/<locale>|<doc-id>|faq/learning-space/sequential)", README)
    assert outputs and set(outputs) == {default}


def test_every_choice_the_cli_offers_is_documented() -> None:
    from i18n_pipeline import choices

    for values in (choices.PROVIDERS, choices.LAYOUTS, choices.MODES, choices.PAGE_FORMATS, choices.GROUPINGS, choices.STATUS_FORMATS, choices.CHECK_FORMATS):
        for value in values:
            assert re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", README), value
