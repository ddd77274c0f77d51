"""The page model and the publishing policies, without files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.catalog import Message
from i18n_pipeline.publish.layout import (
    FALLBACK,
    FUZZY,
    INVALID,
    NEEDS_REVIEW,
    SOURCE,
    STALE,
    TRANSLATED,
    UNTRANSLATED,
    Coverage,
    Entry,
    Missing,
    Part,
    Policy,
    build_page,
    coverage,
    decide,
    entries_from_messages,
    parse_inline,
)
from i18n_pipeline.sources.documents import parse_document

DOC = parse_document(
    """kind: faq
title: FAQ
items:
  - id: q1
    question: Who is this for?
    answer: |
      First answer.

      Write to admin@example.org or see https://example.org/info.
footer: Thanks.
links:
  - id: register
    label: Register
    url: https://example.org/register
notes:
  - id: rec
    icon: "🚫"
    text: We do not record.
""",
    "source/faq/x.yaml",
    "faq/x",
    "en",
)
KEYS = [s.key for s in DOC.segments]


def entries(state: str = TRANSLATED, **overrides: Entry) -> dict[str, Entry]:
    out = {key: Entry(f"ES {key}" if state != UNTRANSLATED else "", state) for key in KEYS}
    out.update({k.replace("__", "/"): v for k, v in overrides.items()})
    return out


def cov(final: int, total: int = 10) -> Coverage:
    missing = tuple(Missing(f"k{i}", "source/x.yaml:1", UNTRANSLATED) for i in range(total - final))
    return Coverage("faq/x", "es", total, final, missing)


# --- policies ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [("strict", Policy("strict", 100.0)), ("fallback", Policy("fallback", 0.0)), (80, Policy("threshold", 80.0)),
     ("75%", Policy("threshold", 75.0)), (" 90 % ", Policy("threshold", 90.0))],
)
def test_policy_parses_names_and_percentages(value: object, expected: Policy) -> None:
    assert Policy.parse(value) == expected


@pytest.mark.parametrize("value", ["lenient", 101, -1, True, None, "80%%"])
def test_policy_rejects_anything_else(value: object) -> None:
    with pytest.raises(ValueError, match="strict"):
        Policy.parse(value)


def test_strict_publishes_only_a_complete_version() -> None:
    assert decide(Policy.parse("strict"), cov(10)).publish
    decision = decide(Policy.parse("strict"), cov(9))
    assert not decision.publish and "9/10" in decision.reason


def test_fallback_publishes_even_with_nothing_translated() -> None:
    assert decide(Policy.parse("fallback"), cov(0)).publish


def test_threshold_publishes_at_or_above_the_percentage_only() -> None:
    assert decide(Policy.parse(80), cov(8)).publish
    assert not decide(Policy.parse(80), cov(7)).publish
    assert "below the policy threshold 80%" in decide(Policy.parse(80), cov(7)).reason


# --- judging catalog entries -------------------------------------------------


def message(key: str, msgstr: str, *, fuzzy: bool = False, msgid: str | None = None) -> Message:
    text = next(s.text for s in DOC.segments if s.key == key)
    return Message(msgid=text if msgid is None else msgid, msgstr=msgstr, msgctxt=key, flags=["fuzzy"] if fuzzy else [])


def test_entries_carry_the_message_state_and_a_problem_when_unusable() -> None:
    title, question, answer1, answer2 = KEYS[:4]
    messages = {
        title: message(title, "PREGUNTAS FRECUENTES"),
        question: message(question, "¿Para quién es?", fuzzy=True),
        answer1: message(answer1, "Primera respuesta.", msgid="An older first answer."),
        answer2: message(answer2, "Escriba a admin@example.org {schedule}"),
    }
    judged = entries_from_messages(DOC, messages)
    assert (judged[title].state, judged[title].problem) == (TRANSLATED, None)
    assert (judged[question].state, judged[question].problem) == (FUZZY, None)
    assert (judged[answer1].state, judged[answer1].problem) == (TRANSLATED, STALE)
    assert (judged[answer2].state, judged[answer2].problem) == (TRANSLATED, INVALID)
    assert judged[KEYS[4]].state == UNTRANSLATED
    assert [judged[k].final for k in KEYS[:4]] == [True, False, False, False]


def test_coverage_counts_standard_labels_as_reviewed() -> None:
    result = coverage(DOC, "es", entries(UNTRANSLATED), {"FAQ": "PREGUNTAS FRECUENTES"})
    assert result.final == 1 and result.from_labels == ("faq/x/title",)
    assert len(result.missing) == len(KEYS) - 1


# --- the page -----------------------------------------------------------------


def cells(page, column: int = 1):
    return [row.cells[column] for row in page.rows]


@pytest.mark.parametrize("state", [NEEDS_REVIEW, FUZZY])
def test_final_mode_never_shows_a_draft_or_fuzzy_text(state: str) -> None:
    page = build_page(DOC, "sequential", ("en", "es"), {"es": entries(state)}, mode="final")
    for cell in cells(page):
        assert cell.state == FALLBACK and cell.lang == "en" and not cell.text.startswith("ES ")


@pytest.mark.parametrize("state", [NEEDS_REVIEW, FUZZY])
def test_preview_mode_shows_drafts_and_fuzzy_text_in_place_labelled_with_their_state(state: str) -> None:
    page = build_page(DOC, "sequential", ("en", "es"), {"es": entries(state)}, mode="preview")
    assert all(cell.state == state and cell.lang == "es" for cell in cells(page))
    assert page.preview


@pytest.mark.parametrize("problem", [STALE, INVALID])
def test_preview_mode_never_shows_an_unusable_entry(problem: str) -> None:
    judged = {key: Entry(f"ES {key}", NEEDS_REVIEW, problem) for key in KEYS}
    page = build_page(DOC, "sequential", ("en", "es"), {"es": judged}, mode="preview")
    assert all(cell.state == FALLBACK for cell in cells(page))


def test_fallback_cell_is_in_the_source_language_and_flags_its_column() -> None:
    page = build_page(DOC, "single", ("es",), {"es": entries(TRANSLATED, faq__x__footer__1=Entry("", UNTRANSLATED))})
    footer = next(row for row in page.rows if row.kind == "footer").cells[0]
    assert (footer.state, footer.lang, footer.column, footer.text) == (FALLBACK, "en", "es", "Thanks.")
    assert page.languages[0].has_fallback and page.lang == "es"


def test_side_by_side_fallback_does_not_repeat_the_source_beside_itself() -> None:
    page = build_page(DOC, "side-by-side", ("en", "es"), {"es": entries(UNTRANSLATED)})
    assert all(not cell.show_text and cell.shown_lang == "es" for cell in cells(page))
    sequential = build_page(DOC, "sequential", ("en", "es"), {"es": entries(UNTRANSLATED)})
    assert all(cell.show_text and cell.shown_lang == "en" for cell in cells(sequential))


def test_source_column_is_the_source_text() -> None:
    page = build_page(DOC, "interleaved", ("en", "es"), {"es": entries(TRANSLATED)})
    assert [c.state for c in cells(page, 0)] == [SOURCE] * len(KEYS)
    assert [c.text for c in cells(page, 0)][:2] == ["FAQ", "Who is this for?"]


def test_rows_follow_reading_order_and_carry_link_and_icon() -> None:
    page = build_page(DOC, "single", ("en",), {})
    assert [row.kind for row in page.rows] == ["title", "question", "answer", "answer", "footer", "link", "note"]
    assert page.rows[5].url == "https://example.org/register" and page.rows[6].icon == "🚫"


def test_placeholders_are_filled_per_language() -> None:
    doc = parse_document("kind: announcement\ntitle: T\nbody: On {when}!\nvalues:\n  when: {en: Tuesdays, es: x}\n", "source/a.yaml", "a", "en")
    es = {"a/title": Entry("T", TRANSLATED), "a/body/1": Entry("¡El {when}!", TRANSLATED)}
    page = build_page(doc, "sequential", ("en", "es"), {"es": es},
                      placeholders={"en": {"when": "Tuesdays"}, "es": {"when": "los martes"}})
    assert [c.text for c in page.rows[1].cells] == ["On Tuesdays!", "¡El los martes!"]


def test_a_placeholder_nothing_fills_is_an_error_at_the_page_too() -> None:
    doc = parse_document("kind: announcement\ntitle: T\nbody: On {when}!\nvalues: {when: soon}\n", "source/a.yaml", "a", "en")
    with pytest.raises(PipelineError) as caught:
        build_page(doc, "single", ("en",), {}, placeholders={"en": {"schedule": "x"}})
    assert caught.value.format_message().startswith("source/a.yaml:3: placeholder {when}")


# --- links: safe schemes only, never added by a translation ------------------------


def test_source_links_emails_and_urls_become_links() -> None:
    parts = parse_inline("Write to admin@example.org or see https://example.org/info.")
    assert parts == (
        Part("Write to "), Part("admin@example.org", "mailto:admin@example.org"), Part(" or see "),
        Part("https://example.org/info", "https://example.org/info"), Part("."),
    )


@pytest.mark.parametrize("text", ["[click](javascript:alert(1))", "[x](data:text/html,hi)", "[x](vbscript:msgbox)"])
def test_unsafe_schemes_stay_plain_text(text: str) -> None:
    assert all(part.url is None for part in parse_inline(text))


def test_translation_cannot_add_a_link_its_source_lacks() -> None:
    parts = parse_inline("Vea [aquí](https://evil.example) o https://example.org/info", allowed={"https://example.org/info"})
    assert [p.url for p in parts if p.url] == ["https://example.org/info"]
    assert "[aquí](https://evil.example)" in "".join(p.text for p in parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab :/.@[]()<>\"'j") + ["javascript:", "https://", "mailto:", "x.org"]), max_size=30).map("".join))
def test_inline_parsing_keeps_bare_text_and_links_only_safe_schemes(text: str) -> None:
    parts = parse_inline(text)
    for part in parts:
        if part.url is not None:
            assert part.url.startswith(("http://", "https://", "mailto:"))
            assert not any(c in part.url for c in "\"'<> ")
    if "[" not in text:
        assert "".join(part.text for part in parts) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(
    st.tuples(st.sampled_from([TRANSLATED, NEEDS_REVIEW, FUZZY, UNTRANSLATED]), st.sampled_from([None, STALE, INVALID])),
    min_size=len(KEYS), max_size=len(KEYS),
))
def test_final_pages_show_only_final_or_marked_source_text(states: list[tuple[str, str | None]]) -> None:
    judged = {key: Entry(f"ES {key}", state, problem) for key, (state, problem) in zip(KEYS, states)}
    page = build_page(DOC, "sequential", ("en", "es"), {"es": judged}, mode="final")
    for key, (state, problem), cell in zip(KEYS, states, cells(page)):
        if state == TRANSLATED and problem is None:
            assert (cell.state, cell.text) == (TRANSLATED, f"ES {key}")
        else:
            assert cell.state == FALLBACK and cell.lang == "en" and "ES " not in cell.text
