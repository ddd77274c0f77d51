"""The render command and render_project: paths, policies, preview, safety, templates."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import invoke, write
from hypothesis import given, settings, strategies as st

from i18n_pipeline.config import load_config
from i18n_pipeline.publish.fragments import columns, display_width, md_escape, wrap
from i18n_pipeline.publish.render import render_project

CONFIG = "source_locale: en\nlocales: [en, es]\n"
FAQ = """kind: faq
title: FAQ
items:
  - id: q1
    question: Who is this for?
    answer: |
      Everyone.

      Write to admin@example.org.
notes:
  - id: rec
    icon: "🚫 🎦"
    text: We do not record these sessions.
"""
KEYS = ["faq/x/title", "faq/x/q1/question", "faq/x/q1/answer/1", "faq/x/q1/answer/2", "faq/x/notes/rec"]
SPANISH = {
    "faq/x/title": "PREGUNTAS FRECUENTES",
    "faq/x/q1/question": "¿Para quién es?",
    "faq/x/q1/answer/1": "Para todas las personas.",
    "faq/x/q1/answer/2": "Escriba a admin@example.org.",
    "faq/x/notes/rec": "No grabamos estas sesiones.",
}


def project(
    make_project,
    config: str = CONFIG,
    translated: dict[str, str] | None = None,
    fuzzy: set[str] = frozenset(),
    source: str = FAQ,
    drafted: set[str] = frozenset(),
) -> Path:
    """A one-FAQ project whose es catalog holds ``translated`` (fuzzy, or machine drafts, where listed)."""
    root = make_project({"faq/x.yaml": source}, config)
    assert invoke(root, "update").exit_code == 0
    if translated:
        from i18n_pipeline.gettext.pofile import read_po, save_po

        path = root / "catalogs/es/LC_MESSAGES/faq/x.po"
        catalog = read_po(path)
        from i18n_pipeline.translate.provenance import mark_draft

        for message in catalog.messages:
            if message.msgctxt in drafted:
                mark_draft(message, translated[message.msgctxt], "libre", "2026-11-25")
            elif message.msgctxt in translated:
                message.msgstr = translated[message.msgctxt]
                message.fuzzy = message.msgctxt in fuzzy
        save_po(path, catalog)
    return root


def out(root: Path, rel: str) -> str:
    return (root / "out" / rel).read_text(encoding="utf-8")


def test_default_render_writes_every_layout_and_format_under_clear_paths(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    result = invoke(root, "render")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(root / "out").as_posix() for p in (root / "out").rglob("*.*"))
    expected = sorted(
        [f"faq/x/single/{lang}.{fmt}" for lang in ("en", "es") for fmt in ("html", "md", "txt")]
        + [f"faq/x/{layout}/en-es.{fmt}" for layout in ("sequential", "interleaved", "side-by-side") for fmt in ("html", "md", "txt")]
    )
    assert written == expected
    assert "published 1 complete language version(s)" in result.output


def test_second_render_changes_no_file(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    invoke(root, "render")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "out").rglob("*.*")}
    result = invoke(root, "render")
    assert "15 file(s) already up to date" in result.output and "wrote" not in result.output
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "out").rglob("*.*")} == before


def test_format_layout_and_locale_options_narrow_the_output(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    result = invoke(root, "render", "--verbose", "--format", "md", "--layout", "single", "--locale", "es")
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("wrote")] == ["wrote out/faq/x/single/es.md"]


def test_out_option_writes_elsewhere(make_project, tmp_path: Path) -> None:
    root = project(make_project, translated=SPANISH)
    assert invoke(root, "render", "--out", str(tmp_path / "site"), "--format", "txt", "--layout", "single").exit_code == 0
    assert (tmp_path / "site/faq/x/single/es.txt").is_file() and not (root / "out").exists()


# --- policies ---------------------------------------------------------------------


def test_default_policy_withholds_a_mostly_untranslated_version_and_exits_1(make_project) -> None:
    root = project(make_project, translated={"faq/x/title": "PREGUNTAS FRECUENTES"})
    result = invoke(root, "render", "--verbose")
    assert result.exit_code == 1
    assert "WITHHELD faq/x [es] (policy 80%): 1/5 final (20.0%) is below the policy threshold 80%" in result.output
    assert "missing: faq/x/q1/question (untranslated) source/faq/x.yaml:5" in result.output
    assert not list((root / "out").rglob("*es*"))
    assert (root / "out/faq/x/single/en.html").is_file()


def test_allow_incomplete_exits_0_but_still_withholds(make_project) -> None:
    root = project(make_project, translated={"faq/x/title": "PREGUNTAS FRECUENTES"})
    result = invoke(root, "render", "--allow-incomplete")
    assert result.exit_code == 0 and "WITHHELD" in result.output
    assert not list((root / "out").rglob("*es*"))


def test_default_policy_publishes_a_mostly_reviewed_version_with_marked_fallback(make_project) -> None:
    almost = {k: v for k, v in SPANISH.items() if k != "faq/x/notes/rec"}
    root = project(make_project, translated=almost)
    result = invoke(root, "render", "--layout", "single", "--verbose")
    assert result.exit_code == 0
    assert "shown in the source language: faq/x/notes/rec (untranslated)" in result.output
    html = out(root, "faq/x/single/es.html")
    assert '<html lang="es">' in html
    assert '<p lang="en" class="note-line fallback"><span aria-hidden="true">🚫 🎦</span> We do not record these sessions. <span class="fallback-mark" lang="es">(en inglés)</span></p>' in html
    assert "Se muestra en inglés: todavía no hay una traducción revisada" in html
    assert "We do not record these sessions. (en inglés)" in out(root, "faq/x/single/es.txt")


def test_strict_policy_from_config_withholds_when_one_message_is_missing(make_project) -> None:
    almost = {k: v for k, v in SPANISH.items() if k != "faq/x/notes/rec"}
    root = project(make_project, CONFIG + "render:\n  policy: strict\n", translated=almost)
    result = invoke(root, "render")
    assert result.exit_code == 1
    assert "WITHHELD faq/x [es] (policy strict): 4/5 final (80.0%); policy strict needs every message final" in result.output


def test_per_document_policy_in_config_beats_the_default(make_project) -> None:
    root = project(make_project, CONFIG + "render:\n  policy: strict\ndocuments:\n  faq/x:\n    policy: fallback\n")
    result = invoke(root, "render", "--layout", "single", "--format", "html")
    assert result.exit_code == 0 and "published faq/x [es] (policy fallback): 1/5 final (20.0%)" in result.output


def test_document_policy_field_is_used(make_project) -> None:
    root = project(make_project, source="policy: 10%\n" + FAQ, translated={"faq/x/title": "PREGUNTAS FRECUENTES"})
    result = invoke(root, "render", "--layout", "single")
    assert result.exit_code == 0 and "(policy 10%): 1/5 final (20.0%)" in result.output


def test_bad_policy_is_one_clear_error_and_nothing_is_written(make_project) -> None:
    root = project(make_project)
    write(root / "i18n-pipeline.yaml", CONFIG + "render:\n  policy: lenient\n")  # every command refuses it now (issue 13)
    result = invoke(root, "render")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml:4: 'render.policy': a policy is 'strict', 'fallback' or a percentage" in result.output
    assert not (root / "out").exists()


def test_withheld_version_removes_its_stale_outputs(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    assert invoke(root, "render").exit_code == 0
    write(root / "source/faq/x.yaml", FAQ.replace("Everyone.", "Everyone, everywhere.").replace("Who is this for?", "Who is it for?"))
    assert invoke(root, "update").exit_code == 0
    report = json.loads(invoke(root, "render", "--allow-incomplete", "--json").output)
    assert report["versions"][0]["published"] is False  # 3/5 final is below 80%
    assert {m["state"] for m in report["versions"][0]["missing"]} == {"fuzzy"}  # update kept them as fuzzy
    assert "out/faq/x/single/es.html" in report["removed"] and "out/faq/x/sequential/en-es.md" in report["removed"]
    assert not list((root / "out").rglob("*es*")) and (root / "out/faq/x/single/en.html").is_file()


def test_changed_source_makes_the_old_translation_unusable_in_final(make_project) -> None:
    root = project(make_project, CONFIG + "render:\n  policy: fallback\n", translated=SPANISH)
    write(root / "source/faq/x.yaml", FAQ.replace("Everyone.", "Everyone, everywhere."))
    invoke(root, "update")
    assert invoke(root, "render", "--layout", "single", "--format", "txt").exit_code == 0
    text = out(root, "faq/x/single/es.txt")
    assert "Para todas las personas." not in text and "Everyone, everywhere. (en inglés)" in text


# --- preview ----------------------------------------------------------------------


def test_drafts_never_appear_in_final_output(make_project) -> None:
    root = project(make_project, CONFIG + "render:\n  policy: fallback\n", translated=SPANISH, fuzzy={"faq/x/q1/answer/1"})
    assert invoke(root, "render").exit_code == 0
    for path in (root / "out").rglob("*.*"):
        assert "Para todas las personas." not in path.read_text(encoding="utf-8"), path


def test_preview_labels_a_fuzzy_translation_as_not_confirmed_not_as_a_draft(make_project) -> None:
    root = project(make_project, translated=SPANISH, fuzzy={"faq/x/q1/answer/1"})
    assert invoke(root, "render", "--mode", "preview", "--layout", "sequential").exit_code == 0
    html = out(root, "preview/faq/x/sequential/en-es.preview.html")
    assert '<p lang="es" class="fuzzy"><span class="review-label">Sin confirmar: cotéjela con el original</span> Para todas las personas.</p>' in html
    assert "Borrador" not in html
    txt = out(root, "preview/faq/x/sequential/en-es.preview.txt")
    assert "[Sin confirmar: cotéjela con el original] Para todas las personas." in txt


def test_preview_shows_drafts_flagged_and_says_it_is_a_preview(make_project) -> None:
    root = project(make_project, translated=SPANISH, drafted={"faq/x/q1/answer/1"})
    result = invoke(root, "render", "--mode", "preview", "--layout", "sequential")
    assert result.exit_code == 0
    html = out(root, "preview/faq/x/sequential/en-es.preview.html")
    assert '<p lang="es" class="draft"><span class="review-label">Borrador: requiere revisión</span> Para todas las personas.</p>' in html
    assert "<title>[Preview — needs review] FAQ / PREGUNTAS FRECUENTES</title>" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'class="preview-banner"' in html
    md = out(root, "preview/faq/x/sequential/en-es.preview.md")
    assert md.startswith("> **PREVIEW — NEEDS REVIEW**")
    assert "**\\[Borrador: requiere revisión\\]** Para todas las personas." in md
    txt = out(root, "preview/faq/x/sequential/en-es.preview.txt")
    assert txt.startswith("!" * 72 + "\nPREVIEW — NEEDS REVIEW.")
    assert not (root / "out/faq").exists()


# --- safety -----------------------------------------------------------------------

HOSTILE = {
    **SPANISH,
    "faq/x/title": "<script>alert(1)</script>",
    "faq/x/q1/question": '<img src=x onerror="alert(2)">',
    "faq/x/q1/answer/1": "[clic](javascript:alert(3)) y [otro](https://evil.example)",
}


def test_hostile_translation_is_escaped_in_html_and_adds_no_link(make_project) -> None:
    root = project(make_project, translated=HOSTILE)
    invoke(root, "render", "--layout", "single", "--locale", "es")
    html = out(root, "faq/x/single/es.html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "evil.example\"" not in html
    assert html.count("<a ") == 1  # only the source's own mailto link
    md = out(root, "faq/x/single/es.md")
    assert "\\<script\\>" in md and "](javascript" not in md.replace("\\](", "")


def test_every_html_page_is_well_formed_and_marks_every_block_with_lang(make_project) -> None:
    root = project(make_project, translated={k: v for k, v in SPANISH.items() if k != "faq/x/notes/rec"})
    invoke(root, "render", "--format", "html")
    invoke(root, "render", "--format", "html", "--mode", "preview")
    pages = list((root / "out").rglob("*.html"))
    assert len(pages) == 10
    for page in pages:
        checker = _TagChecker()
        checker.feed(page.read_text(encoding="utf-8"))
        assert checker.stack == [], (page, checker.stack)
        assert checker.blocks_without_lang == [], page
        assert checker.external == [], page


class _TagChecker(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "link", "input"}
    BLOCKS = {"h1", "h2", "p", "td", "th", "section"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.blocks_without_lang: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in self.BLOCKS and "lang" not in names and names.get("class") not in ("preview-banner",):
            if names.get("role") != "note":
                self.blocks_without_lang.append(tag)
        if tag in ("script", "link", "img", "iframe") or "src" in names:
            self.external.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()


# --- templates, placeholders, labels --------------------------------------------------------


def test_project_templates_override_the_shipped_ones(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    write(root / "templates/render/page.txt.j2", "{% for row in page.rows %}{{ row.cells[0].text }}\n{% endfor %}")
    invoke(root, "render", "--format", "txt", "--layout", "single", "--locale", "es")
    assert out(root, "faq/x/single/es.txt").startswith("PREGUNTAS FRECUENTES\n¿Para quién es?\n")


def test_broken_project_template_is_an_error_naming_it(make_project) -> None:
    root = project(make_project, translated=SPANISH)
    write(root / "templates/render/page.md.j2", "line one\n{% for x in %}\n")
    result = invoke(root, "render", "--format", "md")
    assert result.exit_code == 2 and "page.md.j2:2: template error" in result.output
    assert not (root / "out").exists()


def test_schedule_placeholder_is_filled_per_language(make_project) -> None:
    source = """kind: announcement
title: Learning Space
body: In 2023, this monthly space is on {schedule}!
event:
  start: 2023-01-10T16:00
  timezone: America/New_York
  recurrence: monthly
  display_timezones: [America/New_York, America/Los_Angeles]
"""
    root = make_project({"a.yaml": source}, CONFIG)
    invoke(root, "update")
    from i18n_pipeline.gettext.pofile import read_po, save_po

    path = root / "catalogs/es/LC_MESSAGES/a.po"
    catalog = read_po(path)
    for message in catalog.messages:
        message.msgstr = {"a/title": "Espacio de aprendizaje", "a/body/1": "¡En 2023, este espacio mensual se reúne {schedule}!"}.get(message.msgctxt or "", "")
    save_po(path, catalog)
    assert invoke(root, "render", "--format", "txt", "--layout", "sequential").exit_code == 0
    text = out(root, "a/sequential/en-es.txt").replace("\u00a0", " ").replace("\u202f", " ")
    assert "Tuesdays at\n4 pm ET/1 pm PT!" in text or "Tuesdays at 4 pm ET/1 pm PT!" in text
    assert "los martes a las 16:00 (hora oriental) y 13:00 (hora del Pacífico)!" in " ".join(text.split())


def test_standard_label_translates_identical_document_text(make_project) -> None:
    root = project(make_project, CONFIG + "render:\n  policy: fallback\n")
    result = invoke(root, "render", "--layout", "single", "--locale", "es", "--format", "md")
    assert "faq/x [es]: 1 message(s) from the tool's reviewed standard labels" in result.output
    assert out(root, "faq/x/single/es.md").startswith("# PREGUNTAS FRECUENTES\n")


def test_standard_labels_can_be_switched_off(make_project) -> None:
    root = project(make_project, CONFIG + "render:\n  policy: fallback\n  standard_labels: false\n")
    invoke(root, "render", "--layout", "single", "--locale", "es", "--format", "md")
    assert out(root, "faq/x/single/es.md").startswith("# FAQ *(en inglés)*\n")


def test_unknown_locale_is_a_clear_error(make_project) -> None:
    root = project(make_project)
    result = invoke(root, "render", "--locale", "fr")
    assert result.exit_code == 2 and "--locale fr: not one of the project's locales (en, es)" in result.output


def test_render_project_reports_for_build(make_project) -> None:
    root = project(make_project, translated={"faq/x/title": "PREGUNTAS FRECUENTES"})
    report = render_project(load_config(root), allow_incomplete=True)
    assert not report.failed
    assert [(v.document, v.locale, v.published) for v in report.withheld] == [("faq/x", "es", False)]
    assert "out/faq/x/sequential/en-es.html" not in report.written
    assert "out/faq/x/single/en.html" in report.written


# --- text helpers ------------------------------------------------------------------


def test_wrap_keeps_emoji_lines_and_never_splits_addresses() -> None:
    text = "🚫 🎦 We do not record these sessions. Write to admin@interruptingcriminalization.org please."
    lines = wrap(text, 30).split("\n")
    assert lines[0].startswith("🚫 🎦 We do not record")
    assert "admin@interruptingcriminalization.org" in lines
    assert all(display_width(line) <= 30 for line in lines if " " in line)


def test_columns_align_by_display_width() -> None:
    block = columns("🚫 🎦 no", "sí", 30)
    left, right = block.split(" | ")
    assert display_width(left) == (30 - 3) // 2 and right == "sí"


@pytest.mark.parametrize("text, escaped", [("*formerly", "\\*formerly"), ("# no heading", "\\# no heading"),
                                            ("1. not a list", "1\\. not a list"), ("a_b [c]", "a\\_b \\[c\\]"), ("Hi!", "Hi!")])
def test_markdown_escape_shows_text_as_written(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def _wrap_by_display_width(text: str, width: int, indent: str = "") -> str:
    """The greedy wrap measured by unicode-segmentation-rs on every candidate line (what wrap did before its shortcut)."""
    from unicode_segmentation_rs import text_width

    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(indent + candidate) > width:
                lines.append(indent + line)
                line = word
            else:
                line = candidate
        lines.append(indent + line)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \naeé«»—…ñ'.,-Ç\u0301字🚫\u00ad")), max_size=160), st.integers(10, 80), st.sampled_from(["", "  "]))
def test_wrap_measures_like_unicode_segmentation_whatever_the_characters(text: str, width: int, indent: str) -> None:
    """Text of one-column characters is measured by its length: the same lines as measuring every candidate."""
    assert wrap(text, width, indent) == _wrap_by_display_width(text, width, indent)


def test_every_character_counted_by_length_is_one_column_wide() -> None:
    from unicode_segmentation_rs import text_width

    from i18n_pipeline.publish.fragments import _NARROW_RE

    narrow = [chr(code) for code in range(0x20, 0x2100) if _NARROW_RE.fullmatch(chr(code))]
    assert len(narrow) > 500
    assert [c for c in narrow if text_width(c) != 1] == []
    assert text_width("".join(narrow)) == len(narrow)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" aé-.,")), max_size=200), st.integers(10, 80), st.sampled_from(["", "  "]))
def test_wrap_of_narrow_words_is_the_greedy_wrap(text: str, width: int, indent: str) -> None:
    """Words of one-column characters one space apart take the regular-expression path: the same lines."""
    assert wrap(text, width, indent) == _wrap_by_display_width(text, width, indent)



@given(st.text(alphabet=st.sampled_from(list("<>&'\"a é;#")), max_size=40))
def test_html_escaping_is_markupsafes(text: str) -> None:
    from markupsafe import escape

    from i18n_pipeline.publish.fragments import _e

    assert _e(text) == str(escape(text))
