"""Protection of what a machine must not translate (pure, no files)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from i18n_pipeline.translate.protect import protect, protected_parts, restore

TERMS = ("Interrupting Criminalization", "ASL", "CC")


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Register at https://example.org/sign-up?x=1.", "https://example.org/sign-up?x=1"),
        ("Write to admin@interruptingcriminalization.org.", "admin@interruptingcriminalization.org"),
        ("In 2023, this monthly space is on {schedule}!", "{schedule}"),
        ("Hello %(name)s, welcome", "%(name)s"),
        ("Read [the guide](https://example.org/g) now", "](https://example.org/g)"),
        ("Use `i18n-pipeline draft` first", "`i18n-pipeline draft`"),
        ("Hosted by Interrupting Criminalization since 2018", "Interrupting Criminalization"),
        ("Live CC, ASL & Spanish interpretation", "ASL"),
        ("A line<br/>break", "<br/>"),
    ],
)
def test_protected_text_is_not_sent_and_comes_back(text: str, kept: str) -> None:
    shielded = protect(text, TERMS)
    assert kept not in shielded.text
    assert kept in shielded.tokens or any(kept in t for t in shielded.tokens)
    assert restore(shielded, shielded.text).text == text


def test_glossary_terms_match_whole_words_only() -> None:
    shielded = protect("ACCESS and CC", ("CC",))
    assert shielded.text == "ACCESS and ⟦0⟧"


def test_markdown_emphasis_and_list_markers_are_protected_but_labels_are_not() -> None:
    shielded = protect("- **bold** and [a label](https://x.org)")
    assert "bold" in shielded.text and "a label" in shielded.text
    assert "**" not in shielded.text and "https://x.org" not in shielded.text


def test_restore_tolerates_spaces_services_put_inside_tokens() -> None:
    shielded = protect("Go to {place} now")
    assert restore(shielded, "Ve a ⟦ 0 ⟧ ya").text == "Ve a {place} ya"


def test_lost_token_is_reported_and_the_draft_kept() -> None:
    shielded = protect("Meet on {day} at https://x.org")
    restored = restore(shielded, "Nos vemos el ⟦0⟧")
    assert restored.text == "Nos vemos el {day}"
    assert restored.problems == ("machine translation lost protected text 'https://x.org'",)


def test_invented_repeated_and_broken_tokens_are_reported() -> None:
    shielded = protect("On {day}")
    restored = restore(shielded, "El ⟦0⟧ ⟦0⟧ ⟦4⟧ ⟦")
    joined = " ".join(restored.problems)
    assert "repeated" in joined and "invented" in joined and "broken" in joined


def test_surrounding_newlines_are_kept_even_when_the_service_strips_them() -> None:
    shielded = protect("\nHello world\n")
    assert shielded.text == "Hello world"
    assert restore(shielded, "Hola mundo").text == "\nHola mundo\n"


def test_text_with_nothing_translatable_needs_no_request() -> None:
    assert not protect("https://example.org", ()).needs_translation
    assert not protect("ASL", TERMS).needs_translation
    assert protect("ASL classes", TERMS).needs_translation


def test_protected_parts_ignore_markup_that_may_move() -> None:
    assert protected_parts("**Go** to {x} at https://a.org", ()) == ["{x}", "https://a.org"]


_alphabet = st.sampled_from(list("ab c.,!?\n*_`#-[]()<>/{}%@:⟦⟧0123456789") + ["https://x.org/a", "me@x.org", "ASL", "{n}", "](u)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_restoring_an_untouched_text_gives_back_the_original(text: str) -> None:
    shielded = protect(text, TERMS)
    restored = restore(shielded, shielded.text)
    assert restored.text == text
    assert restored.problems == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_sent_text_holds_no_delimiters_except_tokens(text: str) -> None:
    import re

    shielded = protect(text, TERMS)
    assert re.sub(r"⟦\d+⟧", "", shielded.text).count("⟦") == 0
    assert len(re.findall(r"⟦\d+⟧", shielded.text)) == len(shielded.tokens)
