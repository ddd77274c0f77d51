"""PO files that end in a comment, and files with CR-only line endings (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext, write

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.pofile import parse_po

FAQ_PO = Path("catalogs/es/LC_MESSAGES/faq/learning-space.po")

SMALL = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n'


def test_a_catalog_ending_in_a_comment_reads_like_msgfmt_reads_it() -> None:
    catalog = parse_po(SMALL + "\n# end of file\n")
    assert [(m.msgid, m.msgstr) for m in catalog.messages] == [("a", "b")]


@needs_gettext
def test_msgfmt_accepts_the_same_catalog(tmp_path: Path) -> None:
    assert msgfmt_check(write(tmp_path / "es.po", SMALL + "\n# end of file\n")).returncode == 0


def test_update_status_and_render_go_on_when_a_catalog_ends_in_a_comment(seed_project: Path) -> None:
    path = seed_project / FAQ_PO
    path.write_text(path.read_text(encoding="utf-8") + "\n# end of file\n", encoding="utf-8")
    status = invoke(seed_project, "status", "--format", "json")
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["catalogs"]
    assert invoke(seed_project, "update").exit_code == 0
    assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0


def test_cr_only_line_endings_are_one_clear_error() -> None:
    with pytest.raises(PipelineError) as caught:
        parse_po(SMALL.replace("\n", "\r"), "old-mac.po")
    message = caught.value.format_message()
    assert "old-mac.po:1" in message and "CR-only" in message


def test_crlf_line_endings_still_read() -> None:
    catalog = parse_po(SMALL.replace("\n", "\r\n"))
    assert [(m.msgid, m.msgstr) for m in catalog.messages] == [("a", "b")]


def test_cr_only_file_is_exit_2_with_file_and_line(seed_project: Path) -> None:
    path = seed_project / FAQ_PO
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    result = invoke(seed_project, "status")
    assert result.exit_code == 2
    assert f"{FAQ_PO.as_posix()}:1:" in result.output and "CR-only" in result.output
