"""Status: per-message states, counts that agree with msgfmt and pocount, and the renderings."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import invoke, needs_gettext, write
from hypothesis import HealthCheck, given, settings, strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.catalog import Catalog, Message, place_in_tree
from i18n_pipeline.gettext.pofile import read_po, write_po
from i18n_pipeline.report.status import (
    Counts,
    StatusReport,
    catalog_status,
    render_csv,
    render_html,
    render_markdown,
    status_of_file,
    word_count,
)
from i18n_pipeline.translate.provenance import mark_draft

FAQ_PO = Path("catalogs/es/LC_MESSAGES/faq/learning-space.po")

# Every case msgfmt's counting distinguishes, in one file: plural with a later
# form empty, fuzzy with empty msgstr (singular and plural), a draft (a legacy
# mark without a hash: still a draft while fuzzy), a changed-source fuzzy, an empty msgctxt, escapes, and obsolete entries both
# in the middle (with comments) and at the end.
TRICKY_PO = r'''# header comment
msgid ""
msgstr ""
"Project-Id-Version: x\n"
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: source/faq/x.yaml:3
msgctxt "faq/x/title"
msgid "FAQ"
msgstr "Preguntas frecuentes"

#: source/faq/x.yaml:5
msgctxt "faq/x/q1/question"
msgid "Who is this space for?"
msgstr ""

# i18n-pipeline draft: provider=memory; score=97.5; date=2026-11-25
#: source/faq/x.yaml:7
#, fuzzy
msgctxt "faq/x/q1/answer/1"
msgid ""
"This monthly virtual learning space is for groups and organizations working "
"to respond to crises without police."
msgstr "Este espacio mensual es para grupos que responden a crisis sin policía."

#: source/faq/x.yaml:9
#, fuzzy
#| msgid "Old text"
msgctxt "faq/x/q1/answer/2"
msgid "New text with a \"quote\"\tand tab."
msgstr "Texto viejo."

#, fuzzy
msgctxt "faq/x/q1/answer/3"
msgid "Fuzzy but empty."
msgstr ""

# a translator's note
#~ msgctxt "faq/x/gone"
#~ msgid "Gone"
#~ msgstr "Ido"

msgid "one file"
msgid_plural "%d files"
msgstr[0] "un archivo"
msgstr[1] ""

msgid "no file"
msgid_plural "%d no files"
msgstr[0] ""
msgstr[1] "x"

#, fuzzy, python-format
msgid "fuzzy plural %d"
msgid_plural "fuzzy plurals %d"
msgstr[0] "plural difuso %d"
msgstr[1] "plurales difusos %d"

#, fuzzy
msgid "fuzzy plural empty"
msgid_plural "fuzzy plurals empty"
msgstr[0] ""
msgstr[1] "y"

msgctxt ""
msgid "Empty context <b>bold</b> v1.2 3.5"
msgstr "Contexto vacío"

#~ msgid "old one"
#~ msgstr "viejo"

#, fuzzy
#~ msgid "old two"
#~ msgstr "viejo dos"
'''


def msgfmt_statistics(path: Path) -> dict[str, int]:
    """``msgfmt --statistics`` parsed: translated, fuzzy and untranslated counts."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True, env={"LC_ALL": "C"}
    )
    assert result.returncode == 0, result.stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def status_counts(path: Path) -> dict[str, int]:
    counts = status_of_file(path).counts
    return {
        "translated": counts.translated,
        "fuzzy": counts.fuzzy + counts.needs_review,
        "untranslated": counts.untranslated,
    }


# --------------------------------------------------------------------------
# Counts (pure; the states themselves are tests/gettext/test_message_state.py)
# --------------------------------------------------------------------------


def test_empty_catalog_counts_as_fully_translated() -> None:
    assert Counts().percent_translated == 100.0
    assert not Counts().below(100)


def test_coverage_threshold_is_compared_exactly() -> None:
    counts = Counts(translated=2, untranslated=1)
    assert counts.below(66.67)
    assert not counts.below(200 / 3)


def test_word_count_matches_pocount() -> None:
    from translate.tools.pocount import wordcount

    samples = [
        "Who is this space for?",
        "Live CC, ASL & Spanish Interpretation included.",
        "co-authored by Andrea J. Ritchie in 2021 v1.2 e.g. <b>bold</b><br/>line",
        "Erin at admin@interruptingcriminalization.org.",
        "",
        "日本語のテキスト",
    ]
    for text in samples:
        assert word_count(text) == wordcount(text), text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b.", ".", " ", "1", "2.5", "e.g.", "<b>", "</b>", "<br/>", "é", "x.y", "\n", "日本"]), max_size=12))
def test_word_count_matches_pocount_on_any_mix_of_dots_digits_and_tags(pieces: list[str]) -> None:
    """The full-stop shortcut (a lone final dot skips pocount's ``\\D\\.\\D`` rule) changes no count."""
    from translate.tools.pocount import wordcount

    text = "".join(pieces)
    assert word_count(text) == wordcount(text), text


def test_status_of_a_file_loads_no_project_or_rendering_modules(tmp_path: Path) -> None:
    """``status FILE`` (plain table) pays for reading and counting only: start-up is most of its time."""
    path = write(tmp_path / "es.po", TRICKY_PO)
    script = (
        "import sys\n"
        "from i18n_pipeline.cli import run\n"
        f"sys.argv = ['i18n-pipeline', 'status', {str(path)!r}]\n"
        "try:\n    run()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in result.stderr.split()} | set(result.stderr.split())
    assert "untranslated" in result.stdout or "final" in result.stdout
    assert not loaded & {"rich", "jinja2", "ruamel", "babel", "i18n_pipeline.config", "i18n_pipeline.fileio", "i18n_pipeline.project"}


def test_item_rows_group_faq_messages_by_item() -> None:
    catalog = read_catalog_text(TRICKY_PO)
    report = StatusReport([catalog_status(catalog, path="x.po", document="faq/x")])
    rows = {row.item: row.counts for row in report.rows("item")}
    assert rows["title"].translated == 1
    assert rows["q1"].total == 4
    assert rows["q1"].needs_review == 1 and rows["q1"].fuzzy == 1 and rows["q1"].untranslated == 2


def read_catalog_text(text: str) -> Catalog:
    from i18n_pipeline.gettext.pofile import parse_po

    return parse_po(text, "tricky.po")


def test_locale_and_document_come_from_the_place_under_lc_messages() -> None:
    assert place_in_tree(Path("catalogs/es/LC_MESSAGES/faq/learning-space.po")) == ("es", "faq/learning-space")
    assert place_in_tree(Path("app/lv/LC_MESSAGES/django.po")) == ("lv", "django")
    assert place_in_tree(Path("/x/django.po")) == (None, "django")


def test_status_of_any_po_file_takes_the_locale_from_its_path_like_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n_pipeline.cli import main

    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "One file"\nmsgstr "Viens fails"\n\nmsgid "Two"\nmsgstr ""\n'
    path = write(tmp_path / "app" / "lv" / "LC_MESSAGES" / "django.po", po)
    monkeypatch.chdir(tmp_path)
    for locale in (None, "lv", "LV"):
        result = CliRunner().invoke(main, ["status", str(path), "--format", "json", *(["--locale", locale] if locale else [])])
        assert result.exit_code == 0, result.output
        [catalog] = json.loads(result.output)["catalogs"]
        assert (catalog["locale"], catalog["document"], catalog["translated"], catalog["untranslated"]) == ("lv", "django", 1, 1)
    result = CliRunner().invoke(main, ["status", str(path), "--format", "json", "--locale", "es"])
    assert json.loads(result.output)["catalogs"] == []


# --------------------------------------------------------------------------
# Read with the one PO reader; counts agree with msgfmt and pocount
# --------------------------------------------------------------------------


def test_status_of_a_file_counts_every_state(tmp_path: Path) -> None:
    path = write(tmp_path / "tricky.po", TRICKY_PO)
    status = status_of_file(path, document="faq/x")
    assert status == catalog_status(read_po(path), path=str(path), document="faq/x")
    counts = status.counts
    assert (counts.translated, counts.needs_review, counts.fuzzy, counts.untranslated, counts.obsolete) == (3, 1, 2, 4, 3)
    assert status.locale == "es"


@needs_gettext
def test_counts_equal_msgfmt_statistics_on_tricky_file(tmp_path: Path) -> None:
    path = write(tmp_path / "tricky.po", TRICKY_PO)
    assert status_counts(path) == msgfmt_statistics(path)


@needs_gettext
def test_counts_equal_msgfmt_statistics_on_seed_catalogs(seed_project: Path) -> None:
    for path in sorted((seed_project / "catalogs").rglob("*.po")):
        assert status_counts(path) == msgfmt_statistics(path), path


def test_total_source_words_equal_pocount(tmp_path: Path) -> None:
    from translate.tools.pocount import calcstats

    path = write(tmp_path / "tricky.po", TRICKY_PO)
    assert status_of_file(path).counts.source_words == calcstats(str(path))["totalsourcewords"]


def test_words_per_state_equal_pocount_where_it_agrees_with_msgfmt(seed_project: Path) -> None:
    """pocount calls a plural translated when any form is filled; msgfmt (and we) look at msgstr[0] only.

    On singular messages the two agree, so the words per state must too.
    """
    from translate.tools.pocount import calcstats

    paths = sorted((seed_project / "catalogs").rglob("*.po"))
    singular = write(seed_project / "singular.po", TRICKY_PO.split('msgid "one file"')[0])
    for path in [*paths, singular]:
        expected = calcstats(str(path))
        counts = status_of_file(path).counts
        assert counts.translated == expected["translated"]
        assert counts.translated_words == expected["translatedsourcewords"]
        assert counts.fuzzy_words + counts.needs_review_words == expected["fuzzysourcewords"]
        assert counts.untranslated_words == expected["untranslatedsourcewords"]


def test_crlf_and_other_charsets_count_the_same(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.po", TRICKY_PO)
    crlf = tmp_path / "crlf.po"
    crlf.write_bytes(TRICKY_PO.replace("\n", "\r\n").encode("utf-8"))
    latin = tmp_path / "latin.po"
    latin.write_bytes(TRICKY_PO.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1"))
    expected = status_of_file(plain, document="d").counts
    assert status_of_file(crlf, document="d").counts == expected
    assert status_of_file(latin, document="d").counts == expected


def test_broken_file_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.po", 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "unterminated\n')
    with pytest.raises(PipelineError) as caught:
        status_of_file(path)
    assert caught.value.path == str(path) and caught.value.line == 5


def test_duplicate_message_is_an_error_not_a_count(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.po", 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    with pytest.raises(PipelineError, match="duplicate"):
        status_of_file(path)


_texts = st.lists(st.sampled_from(list('ab ¿?"\\\t.é日') + ["word ", "co-op ", "1.5 ", "a\\nb"]), max_size=25).map("".join)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    catalog = Catalog(locale="es", header={"Language": "es", "Content-Type": "text/plain; charset=UTF-8",
                                           "Plural-Forms": "nplurals=2; plural=(n != 1);"})
    seen: set[tuple[str | None, str]] = set()
    for index in range(draw(st.integers(0, 8))):
        msgid = draw(_texts) + f" m{index}"
        ctxt = draw(st.one_of(st.none(), st.just(f"doc/item{index % 3}/k{index}")))
        if (ctxt, msgid) in seen:
            continue
        seen.add((ctxt, msgid))
        message = Message(msgid=msgid, msgctxt=ctxt, locations=[f"source/x.yaml:{index}"])
        if draw(st.booleans()):
            message.msgid_plural = msgid + " pl"
            message.msgstr_plural = {0: draw(_texts), 1: draw(_texts)}
        else:
            message.msgstr = draw(_texts)
        kind = draw(st.sampled_from(["final", "fuzzy", "draft", "edited-draft", "legacy-draft", "obsolete"]))
        if kind == "fuzzy":
            message.fuzzy = True
        elif kind in ("draft", "edited-draft", "legacy-draft") and message.msgstr_plural is None:
            mark_draft(message, message.msgstr, provider="memory", date="2026-11-25")
            if kind == "edited-draft":
                message.msgstr = draw(_texts)
                message.fuzzy = draw(st.booleans())
            elif kind == "legacy-draft":
                message.translator_comments = [c.rsplit("; hash=", 1)[0] for c in message.translator_comments]
        elif kind == "obsolete" and message.msgctxt is not None:
            message.obsolete = True
        catalog.messages.append(message)
    return catalog


@needs_gettext
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(catalog=catalogs())
def test_any_written_catalog_counts_like_msgfmt_and_keeps_each_state(tmp_path: Path, catalog: Catalog) -> None:
    from collections import Counter

    path = tmp_path / "gen.po"
    path.write_text(write_po(catalog), encoding="utf-8")
    assert status_counts(path) == msgfmt_statistics(path)
    # The state survives writing and reading (draft marks and their hashes included).
    assert Counter(m.state for m in status_of_file(path).messages) == Counter(m.state for m in catalog.active)


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------


def test_json_has_the_documented_keys(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    keys = {"path", "locale", "document", "total", "translated", "needs_review", "fuzzy", "untranslated",
            "obsolete", "source_words", "translated_words", "percent_translated"}
    assert data["catalogs"] and all(keys <= set(c) for c in data["catalogs"])
    faq = next(c for c in data["catalogs"] if c["document"] == "faq/learning-space")
    assert faq["path"] == FAQ_PO.as_posix() and faq["locale"] == "es"
    assert set(data["locales"]) == {"es", "en"}
    es = data["locales"]["es"]
    assert es["total"] == sum(c["total"] for c in data["catalogs"] if c["locale"] == "es")


def test_fail_under_exits_1_and_lists_what_is_missing(seed_project: Path) -> None:
    po = seed_project / FAQ_PO
    catalog = read_po(po)
    untranslated = next(m for m in catalog.active if m.msgstr == "")
    result = invoke(seed_project, "status", "--fail-under", "100", "--locale", "es", "--document", "faq/learning-space")
    assert result.exit_code == 1
    assert "below 100%" in result.output
    assert untranslated.msgctxt in result.output
    assert untranslated.locations[0] in result.output


def test_fail_under_passes_when_coverage_is_reached(seed_project: Path) -> None:
    po = seed_project / FAQ_PO
    catalog = read_po(po)
    for message in catalog.active:
        message.msgstr = message.msgstr or "traducido"
        message.fuzzy = False
    po.write_text(write_po(catalog), encoding="utf-8")
    result = invoke(seed_project, "status", "--fail-under", "100", "--locale", "es", "--document", "faq/learning-space")
    assert result.exit_code == 0, result.output


def test_fail_under_counts_drafts_as_not_translated(seed_project: Path) -> None:
    po = seed_project / FAQ_PO
    catalog = read_po(po)
    for message in catalog.active:
        mark_draft(message, message.msgstr or "borrador", provider="google", date="2026-11-25")
    po.write_text(write_po(catalog), encoding="utf-8")
    result = invoke(seed_project, "status", "--format", "json", "--locale", "es", "--document", "faq/learning-space",
                    "--fail-under", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["catalogs"][0]["needs_review"] == len(catalog.active)
    assert data["catalogs"][0]["translated"] == 0


def test_missing_lists_key_state_and_source_reference(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--missing", "--locale", "es")
    assert result.exit_code == 0
    catalog = read_po(seed_project / FAQ_PO)
    for message in catalog.active:
        if message.msgstr == "":
            line = next(out for out in result.output.splitlines() if message.msgctxt in out)
            assert "untranslated" in line and message.locations[0] in line


def test_catalog_not_created_yet_counts_every_segment_untranslated(seed_project: Path) -> None:
    (seed_project / FAQ_PO).unlink()
    result = invoke(seed_project, "status", "--format", "json", "--document", "faq/learning-space")
    data = json.loads(result.output)
    faq = data["catalogs"][0]
    assert faq["exists"] is False
    assert faq["total"] == faq["untranslated"] == 20
    assert not (seed_project / FAQ_PO).exists()


def test_explicit_po_file_outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n_pipeline.cli import main

    path = write(tmp_path / "elsewhere" / "django.po", TRICKY_PO)
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = CliRunner().invoke(main, ["status", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    catalog = json.loads(result.output)["catalogs"][0]
    assert (catalog["locale"], catalog["document"], catalog["translated"], catalog["obsolete"]) == ("es", "django", 3, 3)


def test_explicit_files_filtered_by_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n_pipeline.cli import main

    es = write(tmp_path / "es.po", TRICKY_PO)
    fr = write(tmp_path / "fr.po", TRICKY_PO.replace("Language: es", "Language: fr"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status", str(es), str(fr), "--locale", "fr", "--format", "json"])
    assert [c["locale"] for c in json.loads(result.output)["catalogs"]] == ["fr"]


def test_missing_po_file_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from i18n_pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status", "nope.po"])
    assert result.exit_code == 2
    assert "nope.po" in result.output and "Traceback" not in result.output


def test_table_has_a_row_and_bar_per_document_and_locale_totals(seed_project: Path) -> None:
    result = invoke(seed_project, "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("es faq/learning-space") and "█" in line for line in lines)
    assert any(line.startswith("total es") for line in lines)


def test_rich_table_renders_every_row() -> None:
    from rich.console import Console

    from i18n_pipeline.report.status import render_rich

    report = StatusReport([catalog_status(read_catalog_text(TRICKY_PO), path="x.po", document="faq/x")])
    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(render_rich(report, by="item", missing=True))
    text = console.file.getvalue()
    assert "q1" in text and "title" in text and "faq/x/q1/question" in text


def test_csv_has_one_row_per_catalog_and_missing_mode_one_per_message(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["document"] for r in rows} == {"faq/learning-space", "announcements/learning-space", "announcements/que-esperar"}
    missing = invoke(seed_project, "status", "--format", "csv", "--missing")
    rows = list(csv.DictReader(io.StringIO(missing.output)))
    assert rows and all(r["state"] != "translated" and r["key"] for r in rows)


def test_markdown_has_a_plain_text_summary_and_a_table_and_loads_no_image() -> None:
    report = StatusReport([catalog_status(read_catalog_text(TRICKY_PO), path="x.po", document="faq/x")])
    text = render_markdown(report, missing=True)
    assert text.startswith("**es** `███░░░░░░░` 30.0% (")
    assert "![" not in text and "http" not in text
    assert "| es | faq/x |" in text
    assert "`faq/x/q1/question`" in text


def test_csv_and_json_come_from_the_same_counts() -> None:
    report = StatusReport([catalog_status(read_catalog_text(TRICKY_PO), path="x.po", document="faq/x")])
    row = next(csv.DictReader(io.StringIO(render_csv(report))))
    data = report.as_dict()["catalogs"][0]
    assert {k: str(v) for k, v in data.items() if k in row} == {k: row[k] for k in data if k in row}


def test_html_page_is_self_contained_and_escapes_source_text(tmp_path: Path) -> None:
    text = TRICKY_PO.replace('msgid "Who is this space for?"', 'msgid "Who <script>alert(1)</script> is?"')
    report = StatusReport([catalog_status(read_catalog_text(text), path="x.po", document="faq/x")])
    page = render_html(report)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "http" not in page  # no external resources
    assert "faq/x/q1/question" in page and 'class="bar"' in page


def test_html_output_is_written_atomically_and_unchanged_on_rerun(seed_project: Path) -> None:
    out = seed_project / "out" / "status.html"
    first = invoke(seed_project, "status", "--format", "html", "-o", str(out))
    assert first.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    mtime = out.stat().st_mtime_ns
    second = invoke(seed_project, "status", "--format", "html", "-o", str(out))
    assert "unchanged" in second.output and out.stat().st_mtime_ns == mtime
    assert not list(out.parent.glob(".*.tmp"))


def test_write_status_html_returns_whether_it_changed(seed_project: Path) -> None:
    from i18n_pipeline.config import load_config
    from i18n_pipeline.report.status import collect_status, write_status_html

    report = collect_status(load_config(seed_project))
    path = seed_project / "out" / "status.html"
    assert write_status_html(report, path) is True
    assert write_status_html(report, path) is False


def test_unknown_locale_is_a_usage_error(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--locale", "fr")
    assert result.exit_code == 2 and "fr" in result.output
