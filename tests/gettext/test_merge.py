"""msgmerge semantics of update, on plain data (no files)."""

from __future__ import annotations

import pytest

from i18n_pipeline.gettext.catalog import DRAFT_PREFIX, Catalog, Message, MessageState, text_hash
from i18n_pipeline.gettext.merge import merge_catalog
from i18n_pipeline.translate.memory import TranslationMemory
from i18n_pipeline.translate.provenance import FORMER_DRAFT_PREFIX, mark_draft

PLURAL = "nplurals=2; plural=(n != 1);"


def template(*pairs: tuple[str, str]) -> Catalog:
    return Catalog(
        header={"Project-Id-Version": "p d", "X-Source-Language": "en"},
        messages=[Message(msgid=text, msgctxt=key, locations=[f"source/d.yaml:{i}"]) for i, (key, text) in enumerate(pairs, 1)],
    )


def merge(tpl: Catalog, old: Catalog | None, memory: TranslationMemory | None = None):
    return merge_catalog(tpl, old, locale="es", plural_forms=PLURAL, language_name="Spanish", memory=memory, today="2026-11-25")


def translated(catalog: Catalog) -> dict[str, str]:
    return {m.msgctxt: m.msgstr for m in catalog.messages if m.msgstr}


def test_new_catalog_has_header_with_language_plural_forms_and_utf8():
    catalog, stats = merge(template(("k1", "Hello")), None)
    assert catalog.header["Language"] == "es"
    assert catalog.header["Plural-Forms"] == PLURAL
    assert catalog.header["Content-Type"] == "text/plain; charset=UTF-8"
    assert stats.added == 1
    assert catalog.messages[0].msgstr == ""


def test_same_key_same_text_keeps_translation_comments_and_flags():
    old, _ = merge(template(("k1", "Hello")), None)
    old.messages[0].msgstr = "Hola"
    old.messages[0].translator_comments = ["checked with Erin"]
    old.messages[0].flags = ["no-check-punctuation"]
    new, stats = merge(template(("k1", "Hello")), old)
    message = new.messages[0]
    assert (message.msgstr, message.translator_comments, message.flags, message.fuzzy) == ("Hola", ["checked with Erin"], ["no-check-punctuation"], False)
    assert stats.kept == 1


def test_changed_source_keeps_translation_as_fuzzy_with_previous_msgid():
    old, _ = merge(template(("k1", "Hello")), None)
    old.messages[0].msgstr = "Hola"
    new, stats = merge(template(("k1", "Hello there")), old)
    message = new.messages[0]
    assert message.msgstr == "Hola"
    assert message.fuzzy
    assert message.previous_msgid == "Hello"
    assert stats.changed == 1


def test_second_change_keeps_the_text_the_translation_was_made_for():
    old, _ = merge(template(("k1", "Hello")), None)
    old.messages[0].msgstr = "Hola"
    once, _ = merge(template(("k1", "Hello there")), old)
    twice, _ = merge(template(("k1", "Hello there, friend")), once)
    assert twice.messages[0].previous_msgid == "Hello"


def test_changed_source_without_translation_is_not_fuzzy():
    old, _ = merge(template(("k1", "Hello")), None)
    new, _ = merge(template(("k1", "Hello there")), old)
    assert not new.messages[0].fuzzy
    assert new.messages[0].previous_msgid is None


def test_removed_key_becomes_obsolete_and_is_revived_when_it_returns():
    old, _ = merge(template(("k1", "Hello"), ("k2", "Bye")), None)
    old.messages[1].msgstr = "Adiós"
    old.messages[1].translator_comments = ["keep informal"]
    gone, stats = merge(template(("k1", "Hello")), old)
    assert stats.obsoleted == 1
    obsolete = [m for m in gone.messages if m.obsolete]
    assert [(m.msgctxt, m.msgstr) for m in obsolete] == [("k2", "Adiós")]
    back, stats = merge(template(("k1", "Hello"), ("k2", "Bye")), gone)
    assert stats.revived == 1
    message = back.messages[1]
    assert (message.obsolete, message.msgstr, message.translator_comments, message.fuzzy) == (False, "Adiós", ["keep informal"], False)
    assert message.locations == ["source/d.yaml:2"]


def test_new_key_gets_memory_suggestion_marked_as_draft():
    memory = TranslationMemory([("Who is this space for?", "¿Para quién es este espacio?")])
    catalog, stats = merge(template(("k1", "Who is this space for?"), ("k2", "Who is this space for??"), ("k3", "Unrelated")), None, memory)
    exact, near, none = catalog.messages
    assert exact.msgstr == "¿Para quién es este espacio?" and exact.state is MessageState.NEEDS_REVIEW and exact.previous_msgid is None
    assert near.msgstr == "¿Para quién es este espacio?" and near.state is MessageState.NEEDS_REVIEW and near.previous_msgid == "Who is this space for?"
    assert none.msgstr == "" and not none.fuzzy
    assert stats.suggested == 2
    assert any("provider=memory" in c for c in exact.translator_comments)


def test_memory_is_only_searched_for_new_keys():
    memory = TranslationMemory([("Hello", "Hola (memory)")])
    old, _ = merge(template(("k1", "Hello")), None)
    old.messages[0].msgstr = "Hola"
    new, stats = merge(template(("k1", "Hello")), old, memory)
    assert new.messages[0].msgstr == "Hola"
    assert stats.suggested == 0


def test_header_fields_written_by_translators_are_kept():
    old, _ = merge(template(("k1", "Hello")), None)
    old.header["Last-Translator"] = "Ana <ana@example.org>"
    old.header["X-Poedit-Basepath"] = "."
    old.header_comments = ["Spanish translation, reviewed by the language justice team."]
    new, _ = merge(template(("k1", "Hello")), old)
    assert new.header["Last-Translator"] == "Ana <ana@example.org>"
    assert new.header["X-Poedit-Basepath"] == "."
    assert new.header_comments == old.header_comments


def test_format_flags_follow_the_template_but_translator_flags_stay():
    tpl = template(("k1", "On {schedule}!"))
    tpl.messages[0].flags = ["python-brace-format"]
    old, _ = merge(tpl, None)
    old.messages[0].flags.append("no-check-punctuation")
    plain = template(("k1", "On Tuesdays!"))
    new, _ = merge(plain, old)
    assert "python-brace-format" not in new.messages[0].flags
    assert "no-check-punctuation" in new.messages[0].flags


def test_merging_twice_gives_the_same_catalog():
    memory = TranslationMemory([("Hello", "Hola")])
    first, _ = merge(template(("k1", "Hello"), ("k2", "World")), None, memory)
    second, _ = merge(template(("k1", "Hello"), ("k2", "World")), first, memory)
    assert first == second


# --- draft marks on update ----------------------------------------------------------


def drafted_catalog(text: str = "Hola") -> Catalog:
    old, _ = merge(template(("k1", "Hello")), None)
    mark_draft(old.messages[0], text, "libre", "2026-11-20")
    return old


@pytest.mark.parametrize("source", ["Hello", "Hello there"])
def test_a_draft_the_translator_rewrote_and_made_final_is_theirs_whatever_the_source_does(source: str) -> None:
    old = drafted_catalog()
    old.messages[0].msgstr, old.messages[0].fuzzy = "Hola, en mis palabras", False
    message = merge(template(("k1", source)), old)[0].messages[0]
    assert message.state is (MessageState.TRANSLATED if source == "Hello" else MessageState.FUZZY)
    assert message.translator_comments == [f"{FORMER_DRAFT_PREFIX} provider=libre; date=2026-11-20; hash={text_hash(['Hola'])}"]


def test_a_draft_accepted_unchanged_outside_review_is_fuzzy_not_a_draft_after_a_source_change() -> None:
    old = drafted_catalog()
    old.messages[0].fuzzy = False  # fuzzy cleared in Poedit: a person approved the text
    message = merge(template(("k1", "Hello there")), old)[0].messages[0]
    assert message.state is MessageState.FUZZY and message.previous_msgid == "Hello"


def test_an_untouched_draft_of_a_changed_source_still_awaits_review() -> None:
    message = merge(template(("k1", "Hello there")), drafted_catalog())[0].messages[0]
    assert message.state is MessageState.NEEDS_REVIEW and message.previous_msgid == "Hello"


def test_a_legacy_draft_mark_is_stamped_with_the_hash_of_its_text() -> None:
    old, _ = merge(template(("k1", "Hello")), None)
    old.messages[0].msgstr, old.messages[0].fuzzy = "Hola", True
    old.messages[0].translator_comments = [f"{DRAFT_PREFIX} provider=memory; score=100; date=2026-11-25"]
    message = merge(template(("k1", "Hello")), old)[0].messages[0]
    assert message.translator_comments == [f"{DRAFT_PREFIX} provider=memory; score=100; date=2026-11-25; hash={text_hash(['Hola'])}"]
    assert message.state is MessageState.NEEDS_REVIEW
