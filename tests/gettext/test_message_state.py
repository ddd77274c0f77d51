"""A message's one state, decided on the model: msgfmt's rules plus whether a draft mark still applies."""

from __future__ import annotations

from hypothesis import given, strategies as st

from i18n_pipeline.gettext.catalog import ACTIVE_STATES, Message, MessageState, text_hash
from i18n_pipeline.translate.provenance import DRAFT_PREFIX, FORMER_DRAFT_PREFIX, PROBLEM_PREFIX, mark_draft, settle_draft_mark

LEGACY_MARK = f"{DRAFT_PREFIX} provider=memory; score=100; date=2026-11-25"


def drafted(text: str = "Hola") -> Message:
    message = Message("Hello", msgctxt="doc/title")
    mark_draft(message, text, provider="libre", date="2026-11-25")
    return message


def test_plural_with_a_later_form_empty_counts_as_translated_like_msgfmt() -> None:
    message = Message("file", msgid_plural="files", msgstr_plural={0: "archivo", 1: ""})
    assert message.state is MessageState.TRANSLATED


def test_plural_with_first_form_empty_is_untranslated() -> None:
    message = Message("file", msgid_plural="files", msgstr_plural={0: "", 1: "archivos"})
    assert message.state is MessageState.UNTRANSLATED


def test_fuzzy_entry_with_empty_translation_is_untranslated() -> None:
    assert Message("Hello", "", flags=["fuzzy"]).state is MessageState.UNTRANSLATED


def test_obsolete_entry_is_obsolete_whatever_it_holds() -> None:
    assert Message("Hello", "Hola", obsolete=True).state is MessageState.OBSOLETE
    assert Message("Hello", "", flags=["fuzzy"], obsolete=True).state is MessageState.OBSOLETE


def test_draft_is_needs_review_and_other_fuzzy_is_fuzzy() -> None:
    assert drafted().state is MessageState.NEEDS_REVIEW
    assert Message("Hello", "Hola", flags=["fuzzy"]).state is MessageState.FUZZY


def test_draft_mark_records_the_hash_of_the_drafted_text() -> None:
    message = drafted("Hola")
    assert message.translator_comments[-1] == f"{DRAFT_PREFIX} provider=libre; date=2026-11-25; hash={text_hash(['Hola'])}"
    assert message.draft == {"provider": "libre", "date": "2026-11-25", "hash": text_hash(["Hola"])}


def test_reviewed_draft_is_translated_once_fuzzy_is_cleared() -> None:
    message = drafted()
    message.fuzzy = False
    assert message.state is MessageState.TRANSLATED and message.draft is None


def test_translator_edit_of_a_draft_left_fuzzy_is_fuzzy_not_needs_review() -> None:
    message = drafted("Hola")
    message.msgstr = "Hola a todas"  # a person rewrote it in Poedit and left fuzzy on
    assert message.state is MessageState.FUZZY and message.draft is None
    assert message.draft_mark is not None  # the comment is still there; it just no longer applies


def test_legacy_mark_without_hash_is_a_draft_while_fuzzy() -> None:
    message = Message("Hello", "Hola", flags=["fuzzy"], translator_comments=[LEGACY_MARK])
    assert message.state is MessageState.NEEDS_REVIEW
    message.fuzzy = False
    assert message.state is MessageState.TRANSLATED


def test_former_draft_note_never_makes_a_draft() -> None:
    message = Message("Hello", "Hola", flags=["fuzzy"], translator_comments=[f"{FORMER_DRAFT_PREFIX} provider=libre; date=x; hash=00000000"])
    assert message.state is MessageState.FUZZY


def test_settle_stamps_a_legacy_mark_with_the_hash_of_its_text() -> None:
    message = Message("Hello", "Hola", flags=["fuzzy"], translator_comments=["a note", LEGACY_MARK])
    assert settle_draft_mark(message) is True
    assert message.translator_comments == ["a note", f"{LEGACY_MARK}; hash={text_hash(['Hola'])}"]
    assert message.state is MessageState.NEEDS_REVIEW
    assert settle_draft_mark(message) is False  # stamped once: a second update changes nothing


def test_settle_turns_a_mark_that_no_longer_applies_into_history() -> None:
    message = drafted("Hola")
    message.translator_comments.append(f"{PROBLEM_PREFIX} '{{name}}' is in the source but not in the translation")
    message.msgstr = "Hola, mi texto"
    message.fuzzy = False
    mark = message.translator_comments[0]
    assert settle_draft_mark(message) is True
    assert message.translator_comments == [FORMER_DRAFT_PREFIX + mark[len(DRAFT_PREFIX) :]]
    assert message.draft_mark is None and message.state is MessageState.TRANSLATED


def test_settle_leaves_an_applying_draft_alone() -> None:
    message = drafted()
    before = list(message.translator_comments)
    assert settle_draft_mark(message) is False and message.translator_comments == before


_text = st.text(st.sampled_from("ab é\n"), max_size=6)


@st.composite
def messages(draw: st.DrawFn) -> Message:
    message = Message(draw(st.sampled_from(["Hello", "Bye"])))
    if draw(st.booleans()):
        message.msgid_plural = message.msgid + "s"
        message.msgstr_plural = {0: draw(_text), 1: draw(_text)}
    else:
        message.msgstr = draw(_text)
    mark = draw(st.sampled_from(["none", "hashed", "legacy", "stale-hash", "former"]))
    digest = text_hash(message.translations)
    message.translator_comments = {
        "none": [],
        "hashed": [f"{DRAFT_PREFIX} provider=libre; date=d; hash={digest}"],
        "legacy": [f"{DRAFT_PREFIX} provider=libre; date=d"],
        "stale-hash": [f"{DRAFT_PREFIX} provider=libre; date=d; hash={text_hash(['something else'])}"],
        "former": [f"{FORMER_DRAFT_PREFIX} provider=libre; date=d; hash={digest}"],
    }[mark]
    message.fuzzy = draw(st.booleans())
    message.obsolete = draw(st.booleans())
    return message


@given(messages())
def test_state_is_a_total_function_with_msgfmts_three_way_split(message: Message) -> None:
    """Every message has exactly one state, and collapsing it gives msgfmt --statistics' category."""
    state = message.state
    assert state in MessageState
    if message.obsolete:
        assert state is MessageState.OBSOLETE
        return
    assert state in ACTIVE_STATES
    first = message.msgstr_plural[0] if message.msgstr_plural is not None else message.msgstr
    msgfmt = "untranslated" if first == "" else "fuzzy" if message.fuzzy else "translated"
    collapsed = {"needs_review": "fuzzy"}.get(state.value, state.value)
    assert collapsed == msgfmt
    assert message.translated == (msgfmt == "translated")


@given(messages())
def test_needs_review_exactly_when_an_applying_draft_mark_is_on_a_fuzzy_translation(message: Message) -> None:
    mark = message.draft_mark
    applies = (
        mark is not None
        and message.fuzzy
        and (message.msgstr_plural[0] if message.msgstr_plural is not None else message.msgstr) != ""
        and mark.get("hash", text_hash(message.translations)) == text_hash(message.translations)
    )
    assert (message.state is MessageState.NEEDS_REVIEW) == (applies and not message.obsolete)


@given(messages())
def test_settling_a_mark_never_changes_the_state(message: Message) -> None:
    before = message.state
    settle_draft_mark(message)
    assert message.state is before
    assert settle_draft_mark(message) is False


@given(st.lists(messages(), max_size=8))
def test_compile_ships_exactly_the_translated_messages(drawn: list[Message]) -> None:
    """The MO file holds a message if and only if its state is translated (msgfmt's choice too)."""
    import io

    from babel.messages.mofile import read_mo

    from i18n_pipeline.gettext.catalog import Catalog
    from i18n_pipeline.gettext.compile import mo_bytes

    for index, message in enumerate(drawn):
        message.msgctxt = f"k{index}"
    catalog = Catalog(locale="es", header={"Language": "es", "Content-Type": "text/plain; charset=UTF-8",
                                           "Plural-Forms": "nplurals=2; plural=(n != 1);"}, messages=drawn)
    contexts = [m.context for m in read_mo(io.BytesIO(mo_bytes(catalog))) if m.id]
    shipped = {c.decode("utf-8") if isinstance(c, bytes) else c for c in contexts}  # Babel < 2.13 gives bytes
    assert shipped == {m.msgctxt for m in drawn if m.state is MessageState.TRANSLATED}
