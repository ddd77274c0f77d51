"""Invariants of update under arbitrary sequences of source edits (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from i18n_pipeline.gettext.catalog import Catalog, Message
from i18n_pipeline.gettext.merge import merge_catalog
from i18n_pipeline.gettext.pofile import parse_po, write_po

KEYS = [f"doc/item{i}/answer/1" for i in range(6)]
texts = st.text(min_size=1, max_size=40).filter(lambda t: t.strip() == t and t != "")
states = st.dictionaries(st.sampled_from(KEYS), texts, max_size=len(KEYS))


def template(state: dict[str, str], order: list[str]) -> Catalog:
    return Catalog(messages=[Message(msgid=state[k], msgctxt=k) for k in order if k in state])


def merge(tpl: Catalog, old: Catalog | None) -> Catalog:
    catalog, _ = merge_catalog(tpl, old, locale="es", plural_forms="nplurals=2; plural=(n != 1);", today="2026-11-25")
    return catalog


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(states, st.permutations(KEYS)), min_size=1, max_size=6))
def test_no_translation_whose_source_still_exists_is_ever_lost(history):
    catalog: Catalog | None = None
    translations: dict[str, tuple[str, str]] = {}  # key -> (source text it was made for, translation)
    changed: set[str] = set()  # keys whose text changed after translation (even if changed back)
    for step, (state, order) in enumerate(history):
        catalog = merge(template(state, order), catalog)
        # Through the file format too: what we write is what we read back.
        catalog = parse_po(write_po(catalog))
        by_key = {m.key: m for m in catalog.messages}
        for key, (made_for, translation) in translations.items():
            message = by_key[key]  # never dropped: active or obsolete
            assert message.msgstr == translation
            if not message.obsolete and message.msgid != made_for:
                changed.add(key)
            if not message.obsolete and message.msgid == made_for and key not in changed:
                assert not message.fuzzy
            if not message.obsolete and message.msgid != made_for:
                # A source change is conservative: fuzzy until a person looks, even if reverted later.
                assert message.fuzzy
                assert message.previous_msgid == made_for
        for message in catalog.active:
            if not message.msgstr:
                message.msgstr = f"T{step}:{message.msgid}"
                translations[message.key] = (message.msgid, message.msgstr)
                changed.discard(message.key)


@settings(max_examples=100, deadline=None)
@given(states, st.permutations(KEYS), states)
def test_update_is_idempotent(first, order, second):
    catalog = merge(template(first, order), None)
    for message in catalog.active:
        message.msgstr = "x" + message.msgid
    catalog = merge(template(second, order), catalog)
    text = write_po(catalog)
    again = write_po(merge(template(second, order), parse_po(text)))
    assert again == text
