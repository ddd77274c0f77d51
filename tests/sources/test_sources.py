"""The YAML source model: segmentation, stable keys, references and schema errors."""

from __future__ import annotations

import pytest

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.sources.documents import parse_document

FAQ = """\
kind: faq
title: Frequently asked questions
items:
  - id: who
    # Keep "space" as in "learning space".
    question: Who is this space for?
    answer: |
      First paragraph.

      Second paragraph.
    note: optional comment for translators
  - id: when
    question: When?
    answer: Monthly.
"""


def parse(text: str, doc_id: str = "faq/x"):
    return parse_document(text, "source/faq/x.yaml", doc_id, "en")


def test_faq_is_segmented_per_title_question_and_paragraph():
    doc = parse(FAQ)
    assert [s.key for s in doc.segments] == [
        "faq/x/title",
        "faq/x/who/question",
        "faq/x/who/answer/1",
        "faq/x/who/answer/2",
        "faq/x/when/question",
        "faq/x/when/answer/1",
    ]
    assert [s.text for s in doc.segments][2:4] == ["First paragraph.", "Second paragraph."]


def test_references_point_at_the_line_of_each_paragraph():
    doc = parse(FAQ)
    refs = {s.key: s.reference for s in doc.segments}
    assert refs["faq/x/title"] == "source/faq/x.yaml:2"
    assert refs["faq/x/who/question"] == "source/faq/x.yaml:6"
    assert refs["faq/x/who/answer/1"] == "source/faq/x.yaml:8"
    assert refs["faq/x/who/answer/2"] == "source/faq/x.yaml:10"


def test_notes_and_yaml_comments_become_translator_comments():
    doc = parse(FAQ)
    question = doc.items[0].question
    assert question.comments == ('Keep "space" as in "learning space".', "optional comment for translators")


def test_reordering_items_does_not_change_keys():
    reordered = FAQ.split("  - id: who")[0] + "  - id: when\n    question: When?\n    answer: Monthly.\n" + "  - id: who" + FAQ.split("  - id: who")[1].split("  - id: when")[0]
    keys = {s.key: s.text for s in parse(FAQ).segments}
    keys_reordered = {s.key: s.text for s in parse(reordered).segments}
    assert keys == keys_reordered


def test_document_id_and_language_can_be_set_in_the_file():
    doc = parse("id: custom\nlang: es\nkind: announcement\ntitle: Hola\nbody: Uno.\n")
    assert doc.id == "custom"
    assert doc.lang == "es"
    assert doc.segments[0].key == "custom/title"


def test_announcement_event_is_data_not_text():
    doc = parse(
        "kind: announcement\ntitle: T\nbody: On {schedule}!\n"
        "event:\n  start: 2023-01-10T16:00\n  timezone: America/New_York\n  recurrence: monthly\n"
        "  display_timezones: [America/New_York, America/Los_Angeles]\n"
    )
    assert doc.event is not None
    assert doc.event.start.hour == 16
    assert doc.event.display_timezones == ("America/New_York", "America/Los_Angeles")
    assert doc.body[0].flags == ("python-brace-format",)
    assert all("2023" not in s.text for s in doc.segments)


def test_notes_keep_their_icon_out_of_the_translatable_text():
    doc = parse("kind: faq\ntitle: T\nitems:\n  - id: a\n    question: Q?\n    answer: A.\nnotes:\n  - id: rec\n    icon: '🚫'\n    text: We do not record.\n")
    assert doc.notes[0].icon == "🚫"
    assert doc.notes[0].text.text == "We do not record."
    assert doc.notes[0].text.key == "faq/x/notes/rec"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("kind: faq\nitems:\n  - id: a\n    question: Q\n    answer: A\n", 1, "missing required field 'title'"),
        ("kind: faq\ntitle: T\nitems:\n  - id: a\n    answer: A\n", 4, "missing required field 'question' in item 1"),
        ("kind: faq\ntitle: T\nitems:\n  - id: a\n    question: [1, 2]\n    answer: A\n", 5, "'question' in item 1 must be text"),
        ("kind: faq\ntitle: T\nitems:\n  - id: a\n    question: Q\n    answer: A\n  - id: a\n    question: Q2\n    answer: B\n", 7, "duplicate id 'a' in item 2"),
        ("kind: faq\ntitle: T\nitems:\n  - id: a\n    qestion: Q\n    answer: A\n", 5, "did you mean 'question'"),
        ("kind: faq\ntitle: T\ntitle: U\nitems: []\n", 3, "duplicate key 'title'"),
        ("kind: memo\ntitle: T\n", 1, "unknown kind 'memo'"),
        ("kind: faq\ntitle: T\nitems: x\n", 3, "'items' must be a non-empty list"),
        ("kind: faq\ntitle: 'T\n", 2, "YAML syntax error"),
        ("kind: announcement\ntitle: T\nbody: B\nevent:\n  start: 2023-01-10T16:00\n  timezone: Mars/Base\n", 6, "not an IANA time zone"),
        ("kind: announcement\ntitle: T\nbody: B\nlinks:\n  - label: L\n    url: javascript:alert(1)\n", 6, "must start with http://, https:// or mailto:"),
        ("kind: announcement\ntitle: T\nbody: B\nlang: xx_QQ\n", 4, "unknown locale"),
    ],
)
def test_schema_errors_name_file_and_line(text: str, line: int, fragment: str):
    with pytest.raises(PipelineError) as info:
        parse(text)
    error = info.value
    assert error.path == "source/faq/x.yaml"
    assert error.line == line, error.format_message()
    assert fragment in error.format_message()
