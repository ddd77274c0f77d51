"""Pages composed of documents (``pages:``), ``values:`` placeholders, event end times, calendar files."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO, invoke
from hypothesis import given, strategies as st

SEED = REPO / "tests/data/learning-space-page.txt"
PAGE = "out/pages/learning-space"


def normalized(text: str) -> str:
    """Whitespace and wrapping do not count (no-break and narrow no-break spaces are spaces)."""
    return " ".join(text.split())


def page_text(path: Path) -> str:
    """A text page without the underlines of its headings (heading markup may differ from the seed)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not re.fullmatch(r"[=~-]{3,}", line.strip())]
    return normalized("\n".join(lines))


# --- the seed page is the acceptance test --------------------------------------------------


def test_sequential_text_page_contains_every_seed_line_in_the_seed_order(seed_project: Path) -> None:
    result = invoke(seed_project, "build")
    assert result.exit_code == 0, result.output
    text = page_text(seed_project / PAGE / "sequential/en-es.txt")
    position = 0
    for line in SEED.read_text(encoding="utf-8").splitlines():
        wanted = normalized(line).rstrip(":")  # "FAQ:" is a heading; "...sesión:" leads to its link
        if not wanted:
            continue
        found = text.find(wanted, position)
        assert found >= 0, f"seed line not found after position {position}: {wanted!r}"
        position = found + len(wanted)


def test_withheld_translation_leaves_its_document_out_of_that_language_half(seed_project: Path) -> None:
    result = invoke(seed_project, "render", "--page", "learning-space", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    spanish_half = (seed_project / PAGE / "sequential/en-es.txt").read_text(encoding="utf-8").split("~" * 72)[1]
    assert "PREGUNTAS FRECUENTES" in spanish_half and "Building Coordinated" not in spanish_half
    single_es = (seed_project / PAGE / "single/es.html").read_text(encoding="utf-8")
    assert "PREGUNTAS FRECUENTES" in single_es and "Building Coordinated" not in single_es
    single_en = (seed_project / PAGE / "single/en.html").read_text(encoding="utf-8")
    assert single_en.index("Building Coordinated") < single_en.index(">FAQ<")
    assert "page learning-space: announcements/learning-space left out of its es half" in result.output
    # Only the page was asked for: no document outputs.
    assert not (seed_project / "out/faq").exists()


def test_link_label_with_final_translation_is_bilingual_when_the_translation_is_withheld(seed_project: Path) -> None:
    assert invoke(seed_project, "render", "--page", "learning-space", "--allow-incomplete").exit_code == 0
    html = (seed_project / PAGE / "sequential/en-es.html").read_text(encoding="utf-8")
    assert 'Register for the next session / <span lang="es">Inscríbase en la próxima sesión</span>' in html
    md = (seed_project / PAGE / "interleaved/en-es.md").read_text(encoding="utf-8")
    assert "Register for the next session / Inscríbase en la próxima sesión *(link coming soon)*" in md
    # The English-only page is for English readers: the label stays English there.
    single = (seed_project / PAGE / "single/en.txt").read_text(encoding="utf-8")
    assert "Inscríbase" not in single


def test_page_is_written_in_every_layout_and_format(seed_project: Path) -> None:
    assert invoke(seed_project, "render", "--page", "learning-space", "--allow-incomplete").exit_code == 0
    files = {p.relative_to(seed_project / PAGE).as_posix() for p in (seed_project / PAGE).rglob("*") if p.is_file()}
    expected = {f"{layout}/en-es.{fmt}" for layout in ("sequential", "interleaved", "side-by-side") for fmt in ("html", "md", "txt")}
    expected |= {f"single/{code}.{fmt}" for code in ("en", "es") for fmt in ("html", "md", "txt")}
    assert files == expected


def test_page_title_names_the_page(seed_project: Path) -> None:
    assert invoke(seed_project, "render", "--page", "learning-space", "--format", "html", "--allow-incomplete").exit_code == 0
    html = (seed_project / PAGE / "sequential/en-es.html").read_text(encoding="utf-8")
    assert "<title>Building Coordinated Crisis Response: A Learning Space — learning-space</title>" in html
    assert html.count("<main>") == 1 and html.count("<h1") == 2  # one per language half


def test_page_whose_every_translation_is_withheld_is_not_written(make_project) -> None:
    config = "source_locale: en\nlocales: [en, es]\npages:\n  home:\n    documents: [faq/x]\n"
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: A.\n"}, config)
    result = invoke(root, "render", "--page", "home", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert (root / "out/pages/home/single/en.html").is_file()
    assert not list((root / "out/pages/home").rglob("*es*"))


# --- the pages: config ----------------------------------------------------------------------


def test_unknown_key_in_a_page_suggests_the_closest(make_project) -> None:
    config = "source_locale: en\nlocales: [en, es]\npages:\n  home:\n    documnets: [faq/x]\n"
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: A.\n"}, config)
    result = invoke(root, "render")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml:5: unknown key 'documnets' in 'pages.home' (did you mean 'documents'?)" in result.output
    assert not (root / "out").exists()


def test_page_naming_an_unknown_document_is_an_error_at_its_config_line(make_project) -> None:
    config = "source_locale: en\nlocales: [en, es]\npages:\n  home:\n    documents: [faq/y]\n"
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: A.\n"}, config)
    result = invoke(root, "build")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml:4: page 'home' lists document 'faq/y', which does not exist (did you mean 'faq/x'?)" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("pages, message", [
    ("pages:\n  home: {documents: []}\n", "'pages.home.documents' must be a non-empty list of document ids"),
    ("pages:\n  home: {documents: [faq/x, faq/x]}\n", "'pages.home.documents' lists 'faq/x' twice"),
    ("pages:\n  home: {}\n", "'pages.home' needs 'documents'"),
    ("pages:\n  ../up: {documents: [faq/x]}\n", "invalid page id '../up'"),
    ("pages: [home]\n", "'pages' must be a mapping"),
])
def test_bad_pages_section_is_one_line_naming_the_config(make_project, pages: str, message: str) -> None:
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: A.\n"},
                        "source_locale: en\nlocales: [en, es]\n" + pages)
    result = invoke(root, "status")
    assert result.exit_code == 2 and message in result.output and "i18n-pipeline.yaml:" in result.output


def test_render_page_that_does_not_exist_suggests_one(seed_project: Path) -> None:
    result = invoke(seed_project, "render", "--page", "learning-spce")
    assert result.exit_code == 2 and "no page with id 'learning-spce' (did you mean 'learning-space'?)" in result.output


# --- values: placeholders any document can use ----------------------------------------------

FAQ_WITH_VALUES = """kind: faq
title: FAQ
values:
  office_hours:
    en: Mondays 10 am–noon
    es: los lunes de 10:00 a 12:00
  email: admin@example.org
items:
  - id: when
    question: When can I call?
    answer: During office hours, {office_hours}. Or write to {email}.
"""


def test_values_fill_placeholders_per_language(make_project) -> None:
    from i18n_pipeline.gettext.pofile import read_po, save_po

    root = make_project({"faq/x.yaml": FAQ_WITH_VALUES})
    assert invoke(root, "update").exit_code == 0
    path = root / "catalogs/es/LC_MESSAGES/faq/x.po"
    catalog = read_po(path)
    spanish = {"faq/x/title": "PREGUNTAS FRECUENTES", "faq/x/when/question": "¿Cuándo puedo llamar?",
               "faq/x/when/answer/1": "En horario de oficina, {office_hours}. O escriba a {email}."}
    for message in catalog.messages:
        if message.msgctxt in spanish:
            message.msgstr = spanish[message.msgctxt]
    save_po(path, catalog)
    result = invoke(root, "render", "--layout", "sequential", "--format", "txt")
    assert result.exit_code == 0, result.output
    text = normalized((root / "out/faq/x/sequential/en-es.txt").read_text(encoding="utf-8"))
    assert "During office hours, Mondays 10 am–noon. Or write to admin@example.org." in text
    assert "En horario de oficina, los lunes de 10:00 a 12:00. O escriba a admin@example.org." in text


def test_placeholder_nothing_fills_is_an_error_at_extract_with_file_and_line(make_project) -> None:
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: Call during {office_hours}.\n"})
    result = invoke(root, "extract")
    assert result.exit_code == 2
    assert "source/faq/x.yaml:6: placeholder {office_hours} in 'faq/x/a/answer/1' is not filled: add 'office_hours' under 'values:'" in result.output
    assert not (root / "catalogs").exists()


def test_schedule_without_an_event_is_an_error_at_extract(make_project) -> None:
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\nitems:\n  - id: a\n    question: Q?\n    answer: We meet {schedule}.\n"})
    result = invoke(root, "update")
    assert result.exit_code == 2 and "{schedule} is computed from an 'event', and this document has none" in result.output


@pytest.mark.parametrize("values, message", [
    ("values:\n  schedule: x\n", "'values.schedule' cannot be set"),
    ("values:\n  bad-name: x\n", "invalid value name 'bad-name'"),
    ("values:\n  hours: {es: x}\n", "'values.hours' needs a value in the document's language 'en'"),
    ("values:\n  hours: [a, b]\n", "'values.hours' must be a non-empty text"),
    ("values:\n  hours: {en: x, zz_bad!: y}\n", "unknown locale code"),
])
def test_bad_values_are_one_line_errors(make_project, values: str, message: str) -> None:
    root = make_project({"faq/x.yaml": "kind: faq\ntitle: FAQ\n" + values + "items:\n  - id: a\n    question: Q?\n    answer: A.\n"})
    result = invoke(root, "extract")
    assert result.exit_code == 2 and message in result.output and "source/faq/x.yaml:" in result.output


# --- calendar files -------------------------------------------------------------------------


def seed_calendar(project: Path, locale: str):
    from icalendar import Calendar

    return Calendar.from_ical((project / f"out/announcements/learning-space/event.{locale}.ics").read_bytes())


def test_calendar_file_recurs_on_the_seed_tuesdays_at_4_pm_new_york(seed_project: Path) -> None:
    from dateutil.rrule import rrulestr

    assert invoke(seed_project, "build").exit_code == 0
    calendar = seed_calendar(seed_project, "en")
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2023, 1, 10, 16, 0, tzinfo=ZoneInfo("America/New_York"))
    assert str(start.tzinfo) == "America/New_York" or getattr(start.tzinfo, "key", None) == "America/New_York"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    dates = list(islice(rule, 12))
    assert [d.strftime("%m-%d") for d in dates] == [
        "01-10", "02-14", "03-14", "04-11", "05-09", "06-13", "07-11", "08-08", "09-12", "10-10", "11-14", "12-12",
    ]
    assert all(d.weekday() == 1 and (d.hour, d.minute) == (16, 0) for d in dates)
    # 16:00 in New York on both sides of daylight saving: 21:00 UTC in January, 20:00 UTC in July.
    assert dates[0].astimezone(ZoneInfo("UTC")).hour == 21 and dates[6].astimezone(ZoneInfo("UTC")).hour == 20
    assert str(event["SUMMARY"]) == "Building Coordinated Crisis Response: A Learning Space"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert "Tuesdays at 4" in str(event["DESCRIPTION"])


def test_calendar_file_only_for_published_languages_and_linked_from_html(seed_project: Path) -> None:
    assert invoke(seed_project, "build").exit_code == 0
    folder = seed_project / "out/announcements/learning-space"
    assert (folder / "event.en.ics").is_file() and not (folder / "event.es.ics").exists()  # Spanish withheld
    html = (folder / "single/en.html").read_text(encoding="utf-8")
    assert '<a href="../event.en.ics" type="text/calendar" download>Add to calendar</a>' in html
    page = (seed_project / PAGE / "sequential/en-es.html").read_text(encoding="utf-8")
    assert 'href="../../../announcements/learning-space/event.en.ics"' in page


def test_spanish_calendar_file_is_localized_when_the_spanish_version_is_published(seed_project: Path) -> None:
    from i18n_pipeline.gettext.pofile import read_po, save_po

    path = seed_project / "catalogs/es/LC_MESSAGES/announcements/learning-space.po"
    catalog = read_po(path)
    for message in catalog.messages:
        if message.msgctxt == "announcements/learning-space/title":
            message.msgstr = "Construyendo una respuesta coordinada a las crisis"
        elif message.msgctxt == "announcements/learning-space/body/2":
            message.msgstr = "En 2023, este espacio mensual se reúne {schedule}."
        elif message.msgctxt and message.msgctxt.startswith("announcements/learning-space/body/"):
            message.msgstr = "Texto " + message.msgctxt[-1]
        if message.msgctxt:
            message.fuzzy = False
    save_po(path, catalog)
    assert invoke(seed_project, "render", "--document", "announcements/learning-space", "--format", "html").exit_code == 0
    (event,) = seed_calendar(seed_project, "es").walk("VEVENT")
    assert str(event["SUMMARY"]) == "Construyendo una respuesta coordinada a las crisis"
    assert event["SUMMARY"].params["LANGUAGE"] == "es"
    assert "los martes a las 16:00 (hora oriental)" in str(event["DESCRIPTION"])
    html = (seed_project / "out/announcements/learning-space/single/es.html").read_text(encoding="utf-8")
    assert ">Añadir al calendario</a>" in html


def test_calendar_file_is_unchanged_on_a_second_build(seed_project: Path) -> None:
    assert invoke(seed_project, "build").exit_code == 0
    ics = seed_project / "out/announcements/learning-space/event.en.ics"
    before = (ics.read_bytes(), ics.stat().st_mtime_ns)
    assert invoke(seed_project, "build").exit_code == 0
    assert (ics.read_bytes(), ics.stat().st_mtime_ns) == before


def test_event_duration_gives_end_times_in_the_calendar_and_the_text(make_project) -> None:
    source = """kind: announcement
title: Session
body: We meet {schedule}.
event:
  start: 2023-01-10T16:00
  timezone: America/New_York
  recurrence: weekly
  duration_minutes: 90
"""
    root = make_project({"announcements/s.yaml": source}, "source_locale: en\nlocales: [en]\n")
    assert invoke(root, "render", "--format", "html", "--format", "txt", "--layout", "single").exit_code == 0
    assert "We meet Tuesdays at 4–5:30 pm ET." in normalized((root / "out/announcements/s/single/en.txt").read_text(encoding="utf-8"))
    from icalendar import Calendar

    (event,) = Calendar.from_ical((root / "out/announcements/s/event.en.ics").read_bytes()).walk("VEVENT")
    assert event.decoded("dtend") == datetime(2023, 1, 10, 17, 30, tzinfo=ZoneInfo("America/New_York"))
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"


def test_render_summary_is_one_line_per_withheld_or_fallback_version(seed_project: Path) -> None:
    result = invoke(seed_project, "render", "--allow-incomplete")
    lines = result.output.splitlines()
    assert not [line for line in lines if "shown in the source language:" in line or line.startswith("  missing:")]
    assert sum("faq/learning-space [es]" in line for line in lines) == 1
    assert sum("announcements/learning-space [es]" in line for line in lines) == 1
    assert "wrote" in result.output and len([line for line in lines if line.startswith("wrote ")]) <= 1
    verbose = invoke(seed_project, "render", "--allow-incomplete", "--verbose")
    assert "  shown in the source language: faq/learning-space/notes/no-recording (untranslated)" in verbose.output


def test_build_on_the_repo_leaves_committed_files_unchanged(seed_project: Path) -> None:
    tracked = {p: p.read_bytes() for folder in ("catalogs", "source") for p in (seed_project / folder).rglob("*") if p.is_file()}
    result = invoke(seed_project, "build")
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in tracked} == tracked
    assert (seed_project / "out/status.html").is_file()
    assert (seed_project / PAGE / "sequential/en-es.txt").is_file()


@given(st.lists(st.sets(st.sampled_from(["en", "es", "fr"])), min_size=1, max_size=5),
       st.sampled_from([("en",), ("es",), ("en", "es"), ("en", "fr"), ("es", "en")]))
def test_a_page_holds_each_document_exactly_where_it_is_published(published: list[set[str]], locales: tuple[str, ...]) -> None:
    from i18n_pipeline.publish.render import page_languages

    shown = page_languages(published, locales)
    if shown is None:
        assert any(all(code not in codes for codes in published) for code in locales)
        return
    assert len(shown) == len(published)
    for codes, allowed in zip(shown, published):
        assert set(codes) == allowed & set(locales)
        assert list(codes) == [code for code in locales if code in codes]  # page order, source first
    assert all(any(code in codes for codes in shown) for code in locales)


@pytest.mark.parametrize("mode", ["final", "preview"])
def test_templates_laying_out_rows_with_the_cell_helpers_write_what_the_built_in_layouts_write(seed_project: Path, mode: str) -> None:
    """The built-in templates before the rows moved to Python (a Jinja2 loop per row calling element,
    md_block, txt_block...), used as project overrides, write the same bytes as html_layout and friends."""
    import shutil

    def pages(name: str) -> dict[str, bytes]:
        out = seed_project / name
        result = invoke(seed_project, "render", "--allow-incomplete", "--mode", mode, "--out", str(out))
        assert result.exit_code == 0, result.output
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix != ".ics"}

    built_in = pages("built-in")
    shutil.copytree(REPO / "tests/data/row-loop-templates", seed_project / "templates")
    with_loops = pages("with-loops")
    assert len(built_in) > 30 and with_loops == built_in
