"""Issue 6, foundation part: never lose a translator's work, fail clearly on bad input.

Every bad-input case goes through the real CLI and must give exit code 2, one
``error: file:line: ...`` line, no traceback, and leave every file of the
project byte-identical. Catalogs written by other editors must come through
``update`` with their work intact. The lock and atomic writes are exercised
with real subprocesses and signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from conftest import invoke, msgfmt_check, needs_gettext, write
from hypothesis import given, strategies as st

from i18n_pipeline.fileio import LOCK_NAME, TEMP_PREFIX, ProjectLock, atomic_write
from i18n_pipeline.gettext.pofile import read_po, save_po, write_po

FAQ_A = """\
kind: faq
title: Questions
items:
  - id: who
    question: Who is this for?
    answer: |
      Everyone who wants to learn.

      Bring a friend.
  - id: when
    question: When do we meet?
    answer: Every month.
"""
FAQ_B = """\
kind: faq
title: More questions
items:
  - id: where
    question: Where do we meet?
    answer: Online.
"""
CONFIG = "source_locale: en\nlocales: [en, es]\n"


def po(project: Path, doc: str, locale: str = "es") -> Path:
    return project / "catalogs" / locale / "LC_MESSAGES" / f"{doc}.po"


def without_cache(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not path.startswith(".i18n-pipeline-cache/")}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the project (hidden temp files included), except the empty lock file."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp") if p.is_file()]


@pytest.fixture
def project(make_project) -> Path:
    """Two documents, updated, with Spanish translations, then a pending source edit.

    The pending edit of ``faq/a`` means a run that gets past the bad input
    would rewrite files, so "nothing written" is a real assertion.
    """
    root = make_project({"faq/a.yaml": FAQ_A, "faq/b.yaml": FAQ_B}, CONFIG)
    assert invoke(root, "update").exit_code == 0
    for doc in ("faq/a", "faq/b"):
        catalog = read_po(po(root, doc))
        for message in catalog.active:
            message.msgstr = "ES " + message.msgid
        save_po(po(root, doc), catalog)
    write(root / "source/faq/a.yaml", FAQ_A.replace("Every month.", "Every second month."))
    return root


# --------------------------------------------------------------------------
# Bad input: exit 2, one line naming file and line, no traceback, nothing written
# --------------------------------------------------------------------------


def set_source(name: str, text: str | bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / "source" / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return change


def set_config(text: str | bytes) -> Callable[[Path], None]:
    return set_source("../i18n-pipeline.yaml", text)


def edit_po(doc: str, old: str, new: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = po(root, doc)
        text = path.read_text("utf-8")
        assert old in text, f"fixture drift: {old!r} not in {path}"
        path.write_bytes(text.replace(old, new, 1).encode(encoding))

    return change


@dataclass(frozen=True)
class LineOf:
    """The line of a file, found by its content after the change (never a constant number).

    A catalog's header grows or shrinks with the dependencies (Babel's Plural-Forms,
    for one), so a line number written into a test moves under it.
    """

    text: str
    occurrence: int = 1

    def find(self, file: Path) -> int:
        seen = 0
        for number, line in enumerate(file.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            if self.text in line:
                seen += 1
                if seen == self.occurrence:
                    return number
        raise AssertionError(f"fixture drift: {self.text!r} not in {file}")


def symlink(name: str, target: str) -> Callable[[Path], None]:
    """``name`` (relative to the project) made a symlink to ``target`` outside it, holding a secret."""

    def change(root: Path) -> None:
        outside = (root / target).resolve() if target.startswith("..") else Path(target)
        if outside.suffix:
            outside.write_text("password: hunter2\n")
        else:
            outside.mkdir(exist_ok=True)
        (root / name).symlink_to(outside)

    return change


def mislabel(doc: str, old: str, new: str, charset: str) -> Callable[[Path], None]:
    """UTF-8 text in a catalog whose header claims another charset."""

    def change(root: Path) -> None:
        edit_po(doc, old, new)(root)
        edit_po(doc, "charset=UTF-8", f"charset={charset}")(root)

    return change


ANNOUNCEMENT = """\
kind: announcement
title: Meeting
body: We meet on {{schedule}}.
event:
  start: {start}
  timezone: America/New_York
  display_timezones: {zones}
"""

CONFLICT = """\
msgid "Online."
<<<<<<< HEAD
msgstr "ES En línea."
=======
msgstr "ES Por internet."
>>>>>>> theirs"""

#: (case id, change to the project, file named in the error, line, words the message must contain)
BAD_INPUT = [
    ("yaml-syntax", set_source("faq/b.yaml", "kind: faq\ntitle: [More\nitems: []\n"), "source/faq/b.yaml", 3, "YAML syntax error"),
    ("yaml-unclosed-quote", set_source("faq/b.yaml", 'kind: faq\ntitle: "More\n'), "source/faq/b.yaml", 2, "YAML syntax error"),
    ("yaml-control-char", set_source("faq/b.yaml", "kind: faq\ntitle: More\x07\n"), "source/faq/b.yaml", 2, "not allowed"),
    ("yaml-not-utf8", set_source("faq/b.yaml", "kind: faq\ntitle: Año\n".encode("latin-1")), "source/faq/b.yaml", 2, "not valid UTF-8"),
    ("text-with-nul", set_source("faq/b.yaml", FAQ_B.replace("Online.", '"On\\0line."')), "source/faq/b.yaml", 6, "control character U+0000"),
    ("text-with-context-separator", set_source("faq/b.yaml", FAQ_B.replace("More questions", '"More\\x04questions"')), "source/faq/b.yaml", 2, "control character U+0004"),
    ("yaml-duplicate-key", set_source("faq/b.yaml", FAQ_B.replace("title: More questions\n", "title: More\ntitle: Again\n")), "source/faq/b.yaml", 3, "duplicate key 'title'"),
    ("yaml-alias-cycle", set_source("faq/b.yaml", FAQ_B + "policy: &p [*p]\n"), "source/faq/b.yaml", 7, "cycle"),
    ("yaml-alias-bomb", set_source("faq/b.yaml", FAQ_B + "policy:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"  {n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdef", "bcdefg"))), "source/faq/b.yaml", 13, "too much data"),
    ("yaml-too-deep", set_source("faq/b.yaml", FAQ_B + "policy: " + "[" * 700 + "]" * 700 + "\n"), "source/faq/b.yaml", None, "nested too deeply"),
    ("schema-items-not-a-list", set_source("faq/b.yaml", "kind: faq\ntitle: T\nitems: none\n"), "source/faq/b.yaml", 3, "'items' must be a non-empty list"),
    ("schema-missing-answer", set_source("faq/b.yaml", FAQ_B.replace("    answer: Online.\n", "")), "source/faq/b.yaml", 4, "missing required field 'answer'"),
    ("schema-unknown-kind", set_source("faq/b.yaml", FAQ_B.replace("kind: faq", "kind: fak")), "source/faq/b.yaml", 1, "did you mean 'faq'"),
    ("schema-bad-url", set_source("faq/b.yaml", FAQ_B + "links:\n  - label: Site\n    url: javascript:alert(1)\n"), "source/faq/b.yaml", 9, "must start with"),
    ("duplicate-item-id", set_source("faq/b.yaml", FAQ_B + "  - id: where\n    question: Again?\n    answer: Yes.\n"), "source/faq/b.yaml", 7, "duplicate id 'where'"),
    ("duplicate-document-id", set_source("faq/b.yaml", "id: faq/a\n" + FAQ_B), "source/faq/b.yaml", None, "document id 'faq/a' is also used by source/faq/a.yaml"),
    ("unknown-key-suggests", set_source("faq/b.yaml", FAQ_B.replace("question:", "questoin:")), "source/faq/b.yaml", 5, "did you mean 'question'"),
    ("document-locale-unknown", set_source("faq/b.yaml", "lang: qq\n" + FAQ_B), "source/faq/b.yaml", 1, "unknown locale code 'qq'"),
    ("document-locale-malformed", set_source("faq/b.yaml", "lang: 'e s!'\n" + FAQ_B), "source/faq/b.yaml", 1, "unknown locale code 'e s!'"),
    ("po-conflict-markers", edit_po("faq/b", 'msgid "Online."\nmsgstr "ES Online."', CONFLICT), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("<<<<<<< HEAD"), "git merge conflict markers"),
    ("po-undeclared-bytes", edit_po("faq/b", "ES Online.", "ES En l\xednea.", "latin-1"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("ES En l"), "0xed is not valid UTF-8"),
    ("po-unknown-charset", edit_po("faq/b", "charset=UTF-8", "charset=KLINGON-8"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("charset=KLINGON-8"), "unknown charset 'KLINGON-8'"),
    ("po-duplicate-entry", edit_po("faq/b", 'msgid "Online."\nmsgstr "ES Online."', 'msgid "Online."\nmsgstr "ES Online."\n\nmsgctxt "faq/b/where/answer/1"\nmsgid "Online."\nmsgstr "ES En línea."'), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf('msgid "Online."', 2), "duplicate message"),
    ("po-unclosed-string", edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES Online.'), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf('msgstr "ES Online.'), "no closing quote"),
    ("po-bare-word", edit_po("faq/b", 'msgctxt "faq/b/where/answer/1"', "msgctxt faq/b/where/answer/1"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("msgctxt faq/b/where/answer/1"), "expected a quoted string after msgctxt"),
    ("po-msgid-without-msgstr", edit_po("faq/b", 'msgstr "ES Online."', ""), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf('msgid "Online."'), "has no msgstr"),
    ("config-yaml-syntax", set_config("source_locale: en\nlocales: [en, es\n"), "i18n-pipeline.yaml", 2, "YAML syntax error"),
    ("config-locale-unknown", set_config("source_locale: en\nlocales: [en, xx_QQ]\n"), "i18n-pipeline.yaml", 2, "unknown locale code 'xx_QQ'"),
    ("config-locale-malformed", set_config("source_locale: 'en!'\nlocales: [en, es]\n"), "i18n-pipeline.yaml", 1, "unknown locale code 'en!'"),
    ("config-unknown-key-suggests", set_config(CONFIG + "wrap_widht: 79\n"), "i18n-pipeline.yaml", 3, "did you mean 'wrap_width'"),
    ("config-bad-wrap-width", set_config(CONFIG + "wrap_width: 5\n"), "i18n-pipeline.yaml", 3, "'wrap_width' must be an integer"),
    ("config-bad-threshold", set_config(CONFIG + "memory: {threshold: 150}\n"), "i18n-pipeline.yaml", 3, "'memory.threshold' must be a number"),
    ("config-section-not-mapping", set_config(CONFIG + "draft: yes\n"), "i18n-pipeline.yaml", 3, "'draft' must be a mapping"),
    ("config-missing-locales", set_config("source_locale: en\n"), "i18n-pipeline.yaml", 1, "missing required key 'locales'"),
    ("config-empty-locales", set_config("source_locale: en\nlocales: []\n"), "i18n-pipeline.yaml", 2, "non-empty list"),
    ("config-duplicate-locale", set_config("source_locale: en\nlocales: [en, es, es_ES, es]\n"), "i18n-pipeline.yaml", 2, "listed twice"),
    ("config-empty", set_config(""), "i18n-pipeline.yaml", None, "config is empty"),
    ("config-not-utf8", set_config("source_locale: en\nlocales: [en, es]\nproject_name: Año\n".encode("latin-1")), "i18n-pipeline.yaml", 3, "not valid UTF-8"),
    ("config-missing", lambda root: (root / "i18n-pipeline.yaml").unlink(), "i18n-pipeline.yaml", None, "missing config file"),
    # Issue 13: tracebacks, catalogs msgfmt -c would refuse, mislabelled charsets.
    ("po-charset-undefined", edit_po("faq/b", "charset=UTF-8", "charset=undefined"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("charset=undefined"), "charset 'undefined'"),
    ("po-plural-forms-not-a-number", edit_po("faq/b", "nplurals=2;", "nplurals=abc;"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("Plural-Forms:"), "nplurals must be a whole number"),
    ("po-plural-expression-broken", edit_po("faq/b", "plural=(n != 1);", "plural=(n != 1;"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("Plural-Forms:"), "not a valid C expression"),
    ("po-plural-expression-out-of-range", edit_po("faq/b", "nplurals=2;", "nplurals=1;"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("Plural-Forms:"), "but nplurals=1"),
    ("po-nul-typed-in-msgstr", edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES On\\0line."'), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf('msgstr "ES On'), "control character U+0000"),
    ("po-eot-typed-in-msgstr", edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES On\\004line."'), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf('msgstr "ES On'), "control character U+0004"),
    ("po-utf8-labelled-latin1", mislabel("faq/b", "ES Online.", "ES ¿Para quién?", "ISO-8859-1"), "catalogs/es/LC_MESSAGES/faq/b.po", LineOf("¿Para quién?"), "the file is UTF-8"),
    ("config-unknown-status-key", set_config(CONFIG + "status: {foo: [1, 2]}\n"), "i18n-pipeline.yaml", 3, "unknown key 'status.foo'"),
    ("config-unknown-draft-key", set_config(CONFIG + "draft: {timeuot: 5}\n"), "i18n-pipeline.yaml", 3, "unknown key 'draft.timeuot' (did you mean 'timeout'?)"),
    ("config-unknown-render-key", set_config(CONFIG + "render: {layout: [single]}\n"), "i18n-pipeline.yaml", 3, "unknown key 'render.layout'"),
    ("config-unknown-check-key", set_config(CONFIG + "check: {disabled: [urls]}\n"), "i18n-pipeline.yaml", 3, "unknown key 'disabled' in 'check'"),
    ("config-unknown-review-key", set_config(CONFIG + "review: {reviwer: Ana}\n"), "i18n-pipeline.yaml", 3, "unknown key 'review.reviwer'"),
    ("config-glossary-unknown-key", set_config(CONFIG + "glossary: {foo: 1}\n"), "i18n-pipeline.yaml", 3, "unknown key 'foo' in 'glossary'"),
    ("config-duplicate-key-in-a-section", set_config(CONFIG + "draft:\n  timeout: 5\n  timeout: 50\n"), "i18n-pipeline.yaml", 5, "duplicate key 'timeout' in 'draft' (first at line 4)"),
    ("config-duplicate-key-deeper", set_config(CONFIG + "documents:\n  faq/b: {policy: strict, policy: fallback}\n"), "i18n-pipeline.yaml", 4, "duplicate key 'policy' in 'documents.faq/b'"),
    ("config-glossary-terms-not-a-list", set_config(CONFIG + "glossary: {do_not_translate: ICE}\n"), "i18n-pipeline.yaml", 3, "'glossary.do_not_translate' must be a list"),
    ("config-documents-names-no-document", set_config(CONFIG + "documents:\n  nonexistent/doc: {policy: strict}\n"), "i18n-pipeline.yaml", LineOf("nonexistent/doc"), "'documents' names 'nonexistent/doc', which is no document"),
    ("config-page-names-no-document", set_config(CONFIG + "pages:\n  faq/all:\n    documents: [faq/a, faq/c]\n"), "i18n-pipeline.yaml", LineOf("faq/all:"), "page 'faq/all' lists document 'faq/c', which does not exist"),
    ("config-documents-unknown-key", set_config(CONFIG + "documents:\n  faq/a: {polcy: strict}\n"), "i18n-pipeline.yaml", LineOf("polcy"), "unknown key 'documents.faq/a.polcy'"),
    ("source-symlink-outside", symlink("source/faq/c.yaml", "../secret.txt"), "source/faq/c.yaml", None, "outside the project"),
    ("config-catalog-dir-outside", set_config(CONFIG + "catalog_dir: ../elsewhere\n"), "i18n-pipeline.yaml", 3, "'catalog_dir' (../elsewhere) resolves to"),
    ("config-output-dir-symlinked-outside", symlink("out", "../elsewhere"), "i18n-pipeline.yaml", 1, "'output_dir' (out) resolves to"),
    ("document-id-dot-segment", set_source("faq/b.yaml", "id: faq/./a\n" + FAQ_B), "source/faq/b.yaml", 1, "invalid document id 'faq/./a': it has '.' segment"),
    ("document-id-empty-segment", set_source("faq/b.yaml", "id: faq//a\n" + FAQ_B), "source/faq/b.yaml", 1, "invalid document id 'faq//a': it has an empty segment"),
    ("document-id-trailing-slash", set_source("faq/b.yaml", "id: faq/\n" + FAQ_B), "source/faq/b.yaml", 1, "invalid document id 'faq/': it ends with '/'"),
    ("document-id-hidden-segment", set_source("faq/b.yaml", "id: faq/.a\n" + FAQ_B), "source/faq/b.yaml", 1, "segment '.a' must start with a letter or digit"),
    ("document-id-from-a-file-name-with-a-space", set_source("faq/b c.yaml", FAQ_B), "source/faq/b c.yaml", None, "the file's path gives the document id 'faq/b c', which is invalid"),
    ("document-id-differs-only-in-case", set_source("faq/b.yaml", "id: FAQ/A\n" + FAQ_B), "source/faq/b.yaml", None, "'FAQ/A' (the same files as 'faq/a' where case is ignored) is also used by source/faq/a.yaml"),
    ("event-start-overflows-display-zone", set_source("faq/b.yaml", ANNOUNCEMENT.format(start="9999-12-31T23:00", zones="[America/New_York, Asia/Tokyo]")), "source/faq/b.yaml", 5, "outside the years 1-9999 in the time zone Asia/Tokyo"),
]


def assert_one_clear_error(result, path: str, line: int | LineOf | None, words: str, root: Path | None = None) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line_ for line_ in result.stderr.splitlines() if line_.strip()]
    assert len(lines) == 1, result.stderr
    error = lines[0]
    assert error.startswith("error: "), error
    if isinstance(line, LineOf):
        assert root is not None, "a LineOf needs the project root"
        line = line.find(root / path)
    located = f"{path}:{line}:" if line is not None else f"{path}:"
    assert located in error, f"{located!r} not in {error!r}"
    assert words in error, f"{words!r} not in {error!r}"
    return error


@pytest.mark.parametrize(
    ("command", "change", "path", "line", "words"),
    [
        pytest.param(command, *case[1:], id=f"{command}-{case[0]}")
        for command in ("update", "extract")
        for case in BAD_INPUT
        if command == "update" or not case[2].endswith(".po")  # extract never reads catalogs
    ],
)
def test_bad_input_is_one_clear_line_with_exit_2_and_writes_nothing(
    project: Path, command: str, change, path: str, line: int | None, words: str
) -> None:
    change(project)
    before = snapshot(project)
    result = invoke(project, command)
    assert_one_clear_error(result, path, line, words, project)
    assert snapshot(project) == before  # templates included: a bad catalog stops the run before any POT is written


PO_B = "catalogs/es/LC_MESSAGES/faq/b.po"

#: Bad input met by the other commands: (case id, command line, change, file named, line, words).
BAD_INPUT_OTHER_COMMANDS = [
    ("compile-language-not-a-locale", ("compile",), edit_po("faq/b", "Language: es", "Language: ../es"), PO_B, LineOf("Language: ../es"), "not a locale code"),
    ("compile-plural-forms-not-a-number", ("compile",), edit_po("faq/b", "nplurals=2;", "nplurals=abc;"), PO_B, LineOf("Plural-Forms:"), "nplurals must be a whole number"),
    ("compile-charset-undefined", ("compile",), edit_po("faq/b", "charset=UTF-8", "charset=undefined"), PO_B, LineOf("charset=undefined"), "charset 'undefined'"),
    ("draft-nul-typed-in-msgstr", ("draft",), edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES On\\0line."'), PO_B, LineOf('msgstr "ES On'), "control character U+0000"),
    ("render-event-overflows-display-zone", ("render",), set_source("faq/b.yaml", ANNOUNCEMENT.format(start="9999-12-31T23:00", zones="[Asia/Tokyo]")), "source/faq/b.yaml", 5, "outside the years 1-9999"),
]


@pytest.mark.parametrize(("args", "change", "path", "line", "words"), [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUT_OTHER_COMMANDS])
def test_bad_input_in_other_commands_is_one_clear_line_and_writes_nothing(project: Path, args: tuple[str, ...], change, path: str, line, words: str) -> None:
    change(project)
    before = snapshot(project)
    assert_one_clear_error(invoke(project, *args), path, line, words, project)
    assert snapshot(project) == before


CONFIG_CASES = [case for case in BAD_INPUT if case[0].startswith(("config-unknown-", "config-glossary-", "config-documents-", "config-page-"))]


@pytest.mark.parametrize("command", ["status", "check", "build", "render", "compile", "draft", "review --list"])
@pytest.mark.parametrize(("change", "line", "words"), [pytest.param(case[1], case[3], case[4], id=case[0]) for case in CONFIG_CASES])
def test_a_bad_config_section_fails_the_same_way_for_every_command(project: Path, command: str, change, line, words: str) -> None:
    change(project)
    before = snapshot(project)
    assert_one_clear_error(invoke(project, *command.split()), "i18n-pipeline.yaml", line, words, project)
    assert snapshot(project) == before


def test_conflict_markers_error_says_how_to_resolve(project: Path) -> None:
    edit_po("faq/b", 'msgid "Online."\nmsgstr "ES Online."', CONFLICT)(project)
    conflict = LineOf("<<<<<<< HEAD")
    error = assert_one_clear_error(invoke(project, "update"), "catalogs/es/LC_MESSAGES/faq/b.po", conflict, "conflict", project)
    assert "git checkout --theirs" in error and "rerun" in error


def test_declared_latin1_catalog_is_read_correctly_and_rewritten_as_utf8(project: Path) -> None:
    edit_po("faq/b", "charset=UTF-8", "charset=ISO-8859-1")(project)
    edit_po("faq/b", "ES Online.", "ES En línea, ¿sí? Año.", "latin-1")(project)
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    data = po(project, "faq/b").read_bytes()
    assert "charset=UTF-8" in data.decode("utf-8")
    assert read_po(po(project, "faq/b")).by_key()["faq/b/where/answer/1"].msgstr == "ES En línea, ¿sí? Año."


def test_redefined_yaml_anchor_is_accepted_quietly_or_one_clear_error(project: Path) -> None:
    """YAML allows reusing an anchor name; ruamel's multi-line warning must not reach the user."""
    set_source("faq/b.yaml", FAQ_B + "policy:\n  a: &x [1]\n  b: &x [2]\n  c: *x\n")(project)
    # A real process: pytest would swallow the warning that a user sees.
    result = subprocess.run([*CLI, "--project", str(project), "update"], capture_output=True, text=True, timeout=60)
    # The pure-Python parser accepts it (the later anchor wins); libyaml refuses it. Either is clean.
    if result.returncode == 0:
        assert result.stderr == ""
    else:
        assert result.returncode == 2
        assert result.stderr == "error: source/faq/b.yaml:9:6: YAML syntax error: anchor defined twice (first at line 8)\n"


def test_missing_config_found_by_walking_up_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from i18n_pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["update"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "no i18n-pipeline.yaml found" in result.stderr and "i18n-pipeline init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_document_option_suggests_the_closest_id(project: Path) -> None:
    before = snapshot(project)
    result = invoke(project, "update", "--document", "faq/c")
    assert result.exit_code == 2 and "did you mean 'faq/b'" in result.stderr
    assert snapshot(project) == before


def test_yaml_syntax_error_points_at_the_unclosed_bracket(project: Path) -> None:
    """The end of the file is not what to fix; where the bracket opened is."""
    set_source("faq/b.yaml", "kind: faq\ntitle: [More\n\n\n")(project)
    assert_one_clear_error(invoke(project, "update"), "source/faq/b.yaml", 2, "flow sequence")


@pytest.mark.parametrize("command", ["update", "extract"])
def test_debug_flag_shows_the_traceback(project: Path, command: str) -> None:
    set_source("faq/b.yaml", FAQ_B.replace("question:", "questoin:"))(project)
    result = invoke(project, "--debug", command)
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "did you mean 'question'" in result.stderr


def test_po_error_names_the_line_once(project: Path) -> None:
    edit_po("faq/b", 'msgid "Online."\nmsgstr "ES Online."', CONFLICT)(project)
    line = LineOf("<<<<<<< HEAD").find(po(project, "faq/b"))
    error = assert_one_clear_error(invoke(project, "update"), "catalogs/es/LC_MESSAGES/faq/b.po", line, "conflict")
    assert f"line {line}" not in error


def test_bad_po_file_leaves_templates_untouched_too(project: Path) -> None:
    """``project`` has a pending edit of faq/a; its POT must not change when faq/b.po is broken."""
    edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES Online.')(project)
    before = snapshot(project)
    result = invoke(project, "update")
    assert result.exit_code == 2
    assert snapshot(project) == before


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib"])
def test_non_text_codec_as_charset_is_a_clean_error(project: Path, charset: str) -> None:
    edit_po("faq/b", "charset=UTF-8", f"charset={charset}")(project)
    from click.testing import CliRunner

    from i18n_pipeline.cli import main

    result = CliRunner().invoke(main, ["--project", str(project), "update"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"charset '{charset}'" in result.stderr


# --------------------------------------------------------------------------
# Catalogs edited by Poedit, Lokalize and Weblate
# --------------------------------------------------------------------------

LONG_EN = (
    "Everyone who wants to learn how communities respond to crises without police, "
    "including people who have never been to a meeting before."
)
LONG_ES = (
    "Todas las personas que quieran aprender cómo las comunidades responden a las crisis "
    "sin policía, incluidas quienes nunca han ido a una reunión."
)
EDITOR_FAQ = FAQ_A.replace("Everyone who wants to learn.", LONG_EN)

# Poedit: --no-wrap style long lines, its own header fields, entries in its own order,
# a c-format flag it guessed, a translator comment; an obsolete entry with #~| history.
POEDIT = f"""\
# Spanish translation of the learning FAQ.
# Translators: Ana <ana@example.org>, 2026.
msgid ""
msgstr ""
"Project-Id-Version: i18n-pipeline faq/a\\n"
"POT-Creation-Date: \\n"
"PO-Revision-Date: 2026-11-20 18:03-0500\\n"
"Last-Translator: Ana <ana@example.org>\\n"
"Language-Team: Spanish\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4.2\\n"
"X-Poedit-SourceCharset: UTF-8\\n"
"X-Poedit-Basepath: ../../..\\n"

#: source/faq/a.yaml:11
msgctxt "faq/a/when/answer/1"
msgid "Every month."
msgstr "Cada mes."

# Checked with the organizing team.
#: source/faq/a.yaml:6
#, c-format, no-check-urls
msgctxt "faq/a/who/answer/1"
msgid "{LONG_EN}"
msgstr "{LONG_ES}"

#, fuzzy
#| msgid "Who is it for?"
msgctxt "faq/a/who/question"
msgid "Who is this for?"
msgstr "¿Para quién es?"

msgctxt "faq/a/title"
msgid "Questions"
msgstr "Preguntas"

# Kept for the archive.
#~| msgid "Where was it?"
#~ msgctxt "faq/a/where/question"
#~ msgid "Where is it?"
#~ msgstr "¿Dónde es?"
"""

# Lokalize wraps at 80 columns at other points and writes a "#~ msgctxt" for obsolete entries.
LOKALIZE = POEDIT.replace(
    f'msgid "{LONG_EN}"\nmsgstr "{LONG_ES}"',
    'msgid ""\n'
    + "\n".join(f'"{part} "' for part in textwrap.wrap(LONG_EN, 60)[:-1])
    + f'\n"{textwrap.wrap(LONG_EN, 60)[-1]}"\n'
    + 'msgstr ""\n'
    + "\n".join(f'"{part} "' for part in textwrap.wrap(LONG_ES, 60)[:-1])
    + f'\n"{textwrap.wrap(LONG_ES, 60)[-1]}"',
).replace('"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"\n"X-Poedit-Basepath: ../../..\\n"\n', '"X-Generator: Lokalize 23.08.5\\n"\n')

# Weblate (translate-toolkit) writes CRLF when the original had it and wraps at 77; flags of its own.
WEBLATE = (
    POEDIT.replace("c-format, no-check-urls", "no-check-urls, read-only")
    .replace('"X-Poedit-SourceCharset: UTF-8\\n"\n"X-Poedit-Basepath: ../../..\\n"\n', "")
    .replace("X-Generator: Poedit 3.4.2", "X-Generator: Weblate 5.8")
    .replace("\n", "\r\n")
)


@pytest.fixture
def editor_project(make_project) -> Path:
    root = make_project({"faq/a.yaml": EDITOR_FAQ}, CONFIG)
    assert invoke(root, "update").exit_code == 0
    return root


@pytest.mark.parametrize("editor", ["poedit", "lokalize", "weblate"])
def test_catalog_from_another_editor_keeps_every_translation_comment_and_flag(editor_project: Path, editor: str) -> None:
    path = po(editor_project, "faq/a")
    path.write_bytes({"poedit": POEDIT, "lokalize": LOKALIZE, "weblate": WEBLATE}[editor].encode("utf-8"))
    edited = read_po(path)

    result = invoke(editor_project, "update")
    assert result.exit_code == 0, result.output
    updated = read_po(path)
    before = {m.key: m for m in edited.messages}
    after = {m.key: m for m in updated.messages}
    assert set(before) <= set(after)
    for key, old in before.items():
        new = after[key]
        assert new.msgstr == old.msgstr, key
        assert new.translator_comments == old.translator_comments, key
        assert new.obsolete == old.obsolete, key
        assert new.previous_msgid == old.previous_msgid, key
        # Every flag survives except format flags: like msgmerge, the template owns those
        # (a stale c-format would make msgfmt -c reject the file).
        assert [f for f in old.flags if not f.endswith("-format")] == [f for f in new.flags if not f.endswith("-format")], key
    assert after["faq/a/who/question"].fuzzy
    assert after["faq/a/where/question"].obsolete and after["faq/a/where/question"].msgstr == "¿Dónde es?"
    assert updated.header["Last-Translator"] == "Ana <ana@example.org>"
    assert updated.header_comments == edited.header_comments
    if editor == "poedit":
        assert updated.header["X-Poedit-Basepath"] == "../../.."


def without_flags_unknown_to_gnu(data: bytes) -> bytes:
    """What ``msgcat`` writes for ``data``: it keeps only fuzzy, format, wrap and range flags."""
    lines = []
    for line in data.decode("utf-8").split("\n"):
        if line.startswith(("#, ", "#~, ")):
            prefix, flags = line.split(" ", 1)
            known = [f for f in flags.split(", ") if f in ("fuzzy", "no-wrap", "wrap") or f.endswith("-format") or f.startswith("range:")]
            if not known:
                continue
            line = f"{prefix} {', '.join(known)}"
        lines.append(line)
    return "\n".join(lines).encode("utf-8")


@needs_gettext
@pytest.mark.parametrize("editor", ["poedit", "lokalize", "weblate"])
def test_catalog_from_another_editor_is_renormalized_then_byte_stable(editor_project: Path, editor: str) -> None:
    path = po(editor_project, "faq/a")
    path.write_bytes({"poedit": POEDIT, "lokalize": LOKALIZE, "weblate": WEBLATE}[editor].encode("utf-8"))
    assert invoke(editor_project, "update").exit_code == 0
    data = path.read_bytes()
    assert b"\r\n" not in data
    # Wrapping is GNU's, order is the template's, obsolete entries go last. GNU msgcat
    # drops flags it does not know (no-check-urls, read-only); we keep the translator's.
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == without_flags_unknown_to_gnu(data)
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    keys = [m.key for m in read_po(path).messages]
    pot_keys = [m.key for m in read_po(editor_project / "catalogs/templates/faq/a.pot").messages]
    assert keys == [*pot_keys, "faq/a/where/question"]
    text = data.decode("utf-8")
    assert max(len(line) for line in text.splitlines()) <= 79
    assert "#~| msgid \"Where was it?\"" in text
    # A second run changes nothing, not even the mtime.
    mtime = path.stat().st_mtime_ns
    second = invoke(editor_project, "update")
    assert second.exit_code == 0 and "already up to date" in second.output
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime


# --------------------------------------------------------------------------
# The project lock
# --------------------------------------------------------------------------

CLI = [sys.executable, "-c", "from i18n_pipeline.cli import run; run()"]

HOLD_LOCK = """\
import sys, time
from i18n_pipeline.fileio import ProjectLock
with ProjectLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(root: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the project lock, as a concurrent run would."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(root), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def many_documents(make_project, count: int = 40) -> Path:
    sources = {
        f"faq/doc{n:02}.yaml": FAQ_A.replace("Questions", f"Questions {n}").replace("Every month.", f"Every {n} months.")
        for n in range(count)
    }
    return make_project(sources, CONFIG)


def test_two_concurrent_updates_run_one_after_the_other(make_project) -> None:
    root = many_documents(make_project)
    holder = hold_lock(root, 0.5)  # both runs start while the lock is taken, so they must queue
    runs = [subprocess.Popen([*CLI, "--project", str(root), "update"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    holder.wait(timeout=10)
    codes = [run.returncode for run in runs]
    for code, (_out, err) in zip(codes, outputs):
        assert code in (0, 2), err
        assert "Traceback" not in err
        if code == 2:
            assert "holds the project lock" in err
    assert 0 in codes
    # The result is exactly what one sequential run produces: nothing interleaved.
    state = snapshot(root)
    assert invoke(root, "update").output.strip().endswith("already up to date")
    # The update cache may note that the files it had just written are settled now.
    assert without_cache(snapshot(root)) == without_cache(state)
    written = [out for out, _ in outputs if "wrote" in out]
    assert len(written) == 1, "the second run must find everything already written by the first"
    assert sum(1 for p in state if p.endswith(".po")) == 40
    assert temp_files(root) == []


def test_held_lock_and_short_timeout_give_the_clear_lock_message(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(ProjectLock.__init__, "__defaults__", (0.3,))
    before = snapshot(project)
    holder = hold_lock(project, 5)
    try:
        started = time.monotonic()
        result = invoke(project, "update")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert_one_clear_error(result, LOCK_NAME, None, "another i18n-pipeline run holds the project lock; waited 0.3 s")
    assert 0.3 <= waited < 3
    assert snapshot(project) == before


def test_lock_of_a_killed_run_is_released_by_the_kernel(project: Path) -> None:
    holder = hold_lock(project, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with ProjectLock(project, timeout=0.5):
        pass


# --------------------------------------------------------------------------
# Atomic writes under crashes
# --------------------------------------------------------------------------


def test_failed_rename_keeps_the_old_catalog_and_no_temp_file(project: Path, monkeypatch) -> None:
    target = po(project, "faq/a")
    old = target.read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = invoke(project, "update")
    assert_one_clear_error(result, str(target), None, "No space left on device")
    assert target.read_bytes() == old
    assert temp_files(project) == []


WRITER = """\
import os, signal, sys
from pathlib import Path
from i18n_pipeline.fileio import atomic_write
target, mode = Path(sys.argv[1]), sys.argv[2]
payload = Path(sys.argv[3]).read_bytes()
if mode.startswith("signal-before-rename:"):
    # The signal arrives at the worst moment: new content on disk, rename not done yet.
    number = getattr(signal, mode.split(":")[1])
    def fsync_then_signal(fd, _sleep=__import__("time").sleep):
        os.kill(os.getpid(), number)
        _sleep(5)
    os.fsync = fsync_then_signal
if mode == "file-too-big":
    import resource
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(payload) // 2, resource.RLIM_INFINITY))
print("writing", flush=True)
if mode == "loop":
    other = target.read_bytes()
    while True:
        atomic_write(target, payload)
        atomic_write(target, other)
atomic_write(target, payload)
"""


def big_catalog_text(prefix: str, count: int = 4000) -> str:
    from i18n_pipeline.gettext.catalog import Catalog, Message

    messages = [
        Message(msgid=f"Paragraph {n}: " + "community care without police " * 8, msgstr=f"{prefix} {n}: " + "cuidado comunitario sin policía " * 8, msgctxt=f"doc/p{n}")
        for n in range(count)
    ]
    return write_po(Catalog(locale="es", header={"Language": "es", "Content-Type": "text/plain; charset=UTF-8"}, messages=messages))


@pytest.fixture
def big_target(tmp_path: Path) -> tuple[Path, bytes, Path]:
    target = tmp_path / "catalogs" / "big.po"
    old = big_catalog_text("VIEJO").encode("utf-8")
    write(target, old.decode("utf-8"))
    new = tmp_path / "new.po.bin"
    new.write_bytes(big_catalog_text("NUEVO").encode("utf-8"))
    return target, old, new


def run_writer(target: Path, mode: str, payload: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target), mode, str(payload)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "writing"
    return process


def test_writer_killed_before_rename_leaves_the_old_catalog_intact(big_target) -> None:
    target, old, new = big_target
    process = run_writer(target, "signal-before-rename:SIGKILL", new)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    # SIGKILL cannot be cleaned up after; the orphan is a hidden temp file next to it, never the catalog.
    leftovers = [p.name for p in target.parent.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].startswith(TEMP_PREFIX) and leftovers[0].endswith(".tmp")


def test_interrupt_before_rename_keeps_the_old_catalog_and_removes_the_temp_file(big_target) -> None:
    target, old, new = big_target
    process = run_writer(target, "signal-before-rename:SIGINT", new)
    _, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGINT and "KeyboardInterrupt" in err
    assert target.read_bytes() == old
    assert list(target.parent.iterdir()) == [target]


SIGNAL_DURING_FIRST_WRITE = """\
import os, signal, sys, time
number = getattr(signal, sys.argv.pop(1))
def sync_then_signal(*fd):
    os.kill(os.getpid(), number)
    time.sleep(5)
# The first wait for the disk: temp files written, no rename done yet (os.sync when
# a whole run's files are staged together, os.fsync for a single atomic write).
os.fsync = os.sync = sync_then_signal
from i18n_pipeline.cli import run
run()
"""


def stop_update_mid_write(project: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SIGNAL_DURING_FIRST_WRITE, name, "--project", str(project), "update"],
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT"])
def test_cli_stopped_by_a_signal_mid_write_changes_nothing_and_leaves_no_temp_file(project: Path, name: str) -> None:
    """kill (SIGTERM: CI time-outs, docker stop) or Ctrl-C during update: old files, no orphans."""
    before = snapshot(project)
    result = stop_update_mid_write(project, name)
    assert result.returncode not in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    assert temp_files(project) == []
    if name == "SIGTERM":
        assert result.returncode == 128 + signal.SIGTERM


def test_ctrl_c_exits_130_not_the_check_failed_code(project: Path) -> None:
    assert stop_update_mid_write(project, "SIGINT").returncode == 130


def test_update_after_a_crash_leftover_still_works(project: Path) -> None:
    """An orphaned temp file from a killed run neither breaks nor confuses the next run."""
    orphan = po(project, "faq/a").parent / ".a.po.abc123.tmp"
    orphan.write_bytes(b"half a catal")
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    assert read_po(po(project, "faq/a")).by_key()["faq/a/who/question"].msgstr == "ES Who is this for?"


def test_atomic_write_keeps_permissions_and_skips_identical_content(tmp_path: Path) -> None:
    target = tmp_path / "x.po"
    target.write_text("old")
    target.chmod(0o600)
    assert atomic_write(target, "new") is True
    assert target.stat().st_mode & 0o777 == 0o600
    mtime = target.stat().st_mtime_ns
    assert atomic_write(target, "new") is False
    assert target.stat().st_mtime_ns == mtime


# --------------------------------------------------------------------------
# Issue 13: the promises that broke under attack
# --------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\uff1d1+1"]


def test_status_csv_defuses_spreadsheet_formulas(make_project) -> None:
    """OWASP: a cell starting with = + - @ (tab, CR) gets a leading quote; the text is otherwise intact."""
    import csv
    import io

    items = "".join(f"  - id: q{n}\n    question: '{text.replace(chr(39), chr(39) * 2)}'\n    answer: '{text.replace(chr(39), chr(39) * 2)}'\n" for n, text in enumerate(FORMULAS))
    root = make_project({"faq/f.yaml": f"kind: faq\ntitle: '=1+1'\nitems:\n{items}"}, CONFIG)
    assert invoke(root, "update").exit_code == 0
    result = invoke(root, "status", "--format", "csv", "--missing")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d")]
    sources = {row[-1] for row in rows[1:]}
    assert {"'" + text for text in FORMULAS} | {"'=1+1"} <= sources


def test_check_csv_defuses_spreadsheet_formulas_too(tmp_path: Path) -> None:
    """``check --format csv`` carries keys and texts translators wrote: the same OWASP rule as status."""
    import csv
    import io

    entries = "".join(
        f'\n#, python-format\nmsgid "{text.replace(chr(34), chr(92) + chr(34))} %(name)s"\nmsgstr "{text.replace(chr(34), chr(92) + chr(34))}"\n'
        for text in FORMULAS
    )
    path = tmp_path / "es" / "LC_MESSAGES" / "f.po"
    write(path, 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n' + entries)
    result = invoke(tmp_path, "check", "--format", "csv", str(path))
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > len(FORMULAS), result.output  # a header and a problem per entry at least
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d")]
    assert {"'" + text + " %(name)s" for text in FORMULAS} <= {row[5] for row in rows[1:]}


def test_stale_temp_files_of_a_killed_run_are_removed_by_the_next_locked_run(project: Path) -> None:
    """SIGKILL between write and rename leaves an orphan; the next run (holding the lock) removes ours only."""
    target = po(project, "faq/a")
    payload = project.parent / "payload.po"
    payload.write_text("different content")
    process = run_writer(target, "signal-before-rename:SIGKILL", payload)
    process.wait(timeout=30)
    orphans = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(orphans) == 1
    legacy = target.parent / ".a.po.k3j9x0q1.tmp"  # what earlier versions named them
    legacy.write_bytes(b"half")
    foreign = [project / "catalogs" / "notes.tmp", target.parent / ".b.po.unrelated.tmp"]
    for path in foreign:
        path.write_bytes(b"not ours")
    assert invoke(project, "status").exit_code == 0  # no lock: nothing removed
    assert all(p.exists() for p in orphans)
    assert invoke(project, "update").exit_code == 0
    assert not any(p.exists() for p in [*orphans, legacy])
    assert all(p.exists() for p in foreign)


def test_init_gitignore_covers_our_temp_files(tmp_path: Path) -> None:
    import fnmatch

    from click.testing import CliRunner

    from i18n_pipeline.cli import main

    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    patterns = (tmp_path / "new" / ".gitignore").read_text().split()
    name = TEMP_PREFIX + "abcd1234.tmp"
    assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def test_a_name_too_long_for_its_temp_file_stops_update_before_any_write(project: Path) -> None:
    """255 bytes is the usual limit; the longest id whose catalog name fits must also get a temp name that fits."""
    name_max = os.pathconf(project, "PC_NAME_MAX")
    longest = "d" * (name_max - len(".pot"))  # ".pot" is longer than ".po"
    write(project / "source" / "long.yaml", f"id: long/{longest}\n" + FAQ_B)
    result = invoke(project, "update")
    assert result.exit_code == 0, result.output
    assert (project / "catalogs/templates/long" / f"{longest}.pot").is_file()
    # One byte more does not fit: refused before the pending edit of faq/a is written.
    write(project / "source/faq/a.yaml", FAQ_A.replace("Every month.", "Every third month."))
    write(project / "source" / "long.yaml", f"id: long/{longest}x\n" + FAQ_B)
    before = snapshot(project)
    assert_one_clear_error(invoke(project, "update"), f"catalogs/templates/long/{longest}x.pot", None, f"the file system allows {name_max}")
    assert snapshot(project) == before


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for this process: a read-only bind mount for root (who ignores permissions)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root without permission to mount a read-only folder")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only")
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize(("command", "folder"), [("update", "catalogs/es/LC_MESSAGES/faq"), ("compile", "out/locale/es/LC_MESSAGES/faq"), ("build", "out")])
def test_a_read_only_folder_stops_the_run_before_any_write(project: Path, command: str, folder: str) -> None:
    """update used to rewrite the POT, then fail on the PO; build wrote catalogs, then failed in render."""
    if command != "update":
        assert invoke(project, "update").exit_code == 0
        assert invoke(project, "compile").exit_code == 0
        edit_po("faq/b", 'msgstr "ES Online."', 'msgstr "ES En línea."')(project)
        write(project / "source/faq/a.yaml", FAQ_A.replace("Every month.", "Every third month."))
    (project / folder).mkdir(parents=True, exist_ok=True)
    before = snapshot(project)
    with read_only(project / folder):
        result = invoke(project, command)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {folder}/") and result.stderr.count("\n") == 1
    assert f"the folder {folder} is read-only (nothing was written)" in result.stderr
    assert snapshot(project) == before


def test_a_source_symlinked_outside_is_refused_without_quoting_it(project: Path) -> None:
    symlink("source/faq/c.yaml", "../secret.txt")(project)
    result = invoke(project, "update")
    assert result.exit_code == 2 and "hunter2" not in result.output


@pytest.mark.parametrize("how", ["flag", "absolute"])
def test_an_output_folder_outside_is_written_only_when_explicit_and_said_at_start(project: Path, how: str) -> None:
    outside = project.parent / "published"
    if how == "absolute":
        set_config(CONFIG + f"output_dir: {outside}\n")(project)
        result = invoke(project, "compile")
    else:
        set_config(CONFIG + "output_dir: ../published\n")(project)
        assert invoke(project, "compile").exit_code == 2
        result = invoke(project, "--allow-outside", "compile")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"note: output_dir is outside the project: {outside}"
    assert (outside / "locale/es/LC_MESSAGES/faq/b.mo").is_file()


def test_build_with_a_broken_template_writes_nothing(project: Path) -> None:
    """build used to write catalogs and status.html, then fail in render."""
    write(project / "templates/render/page.md.j2", "{% for x in page %}\nunclosed\n")
    before = snapshot(project)
    result = invoke(project, "build")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "template error" in result.stderr and "page.md.j2:" in result.stderr
    assert snapshot(project) == before


@given(st.text(alphabet="ab._-/", min_size=1, max_size=12))
def test_an_accepted_document_id_is_its_own_normal_form_and_stays_under_catalogs(doc_id: str) -> None:
    """Whatever id is accepted names exactly one file, inside the catalog folder, not hidden."""
    import posixpath

    from i18n_pipeline.sources.documents import document_id_problem

    if document_id_problem(doc_id) is not None:
        return
    assert posixpath.normpath(doc_id) == doc_id
    path = PurePosixPath("catalogs/es/LC_MESSAGES") / f"{doc_id}.po"
    assert ".." not in path.parts and not any(part.startswith(".") for part in path.parts)
    assert path.parent.parts[:3] == ("catalogs", "es", "LC_MESSAGES")


@given(st.text(max_size=20))
def test_csv_cells_never_start_a_formula_and_keep_the_text(text: str) -> None:
    import csv
    import io

    from i18n_pipeline.report.status import CatalogStatus, MessageStatus, StatusReport, render_csv

    message = MessageStatus(key=text, state="untranslated", words=1, msgid=text)
    report = StatusReport(catalogs=[CatalogStatus(path="x.po", locale="es", document=text, messages=[message])])
    rows = list(csv.reader(io.StringIO(render_csv(report, missing=True), newline="")))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    source = rows[1][-1]
    assert source == text or (source == "'" + text and text.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")))


def test_two_file_names_that_differ_only_in_unicode_form_are_one_document(make_project) -> None:
    """'é' as one code point or as e + accent: one file on macOS, so one catalog; refused naming both."""
    root = make_project({"faq/caf\u00e9.yaml": FAQ_B, "faq/cafe\u0301.yaml": FAQ_B}, CONFIG)
    result = invoke(root, "update")
    assert result.exit_code == 2 and "both would write one catalog" in result.stderr
    assert "faq/caf" in result.stderr and "is also used by source/faq/caf" in result.stderr
    assert not (root / "catalogs").exists()


def test_a_file_name_in_spanish_is_a_valid_document_id(make_project) -> None:
    root = make_project({"faq/qu\u00e9-esperar.yaml": FAQ_B}, CONFIG)
    result = invoke(root, "update")
    assert result.exit_code == 0, result.output
    assert (root / "catalogs/es/LC_MESSAGES/faq/qu\u00e9-esperar.po").is_file()


def test_draft_into_a_read_only_catalog_folder_sends_nothing(project: Path) -> None:
    from libre_server import libre_server

    assert invoke(project, "update").exit_code == 0
    edit_po("faq/b", 'msgstr "ES Online."', 'msgstr ""')(project)
    before = snapshot(project)
    with libre_server() as server, read_only(project / "catalogs/es/LC_MESSAGES/faq"):
        result = invoke(project, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 2 and "is read-only (nothing was written)" in result.stderr
    assert server.requests == 0
    assert snapshot(project) == before


def test_build_with_a_template_failing_at_run_time_writes_nothing(project: Path) -> None:
    """An undefined name only shows when a page is rendered; build tries one before its first write."""
    write(project / "templates/render/page.txt.j2", "{{ page.no_such_field }}\n")
    before = snapshot(project)
    result = invoke(project, "build")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "template error" in result.stderr and "no_such_field" in result.stderr
    assert snapshot(project) == before
