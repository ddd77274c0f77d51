"""``Message.shown_key``: the one spelling of a message's key in every report, queue and draft plan."""

from __future__ import annotations

from hypothesis import given, strategies as st

from i18n_pipeline.gettext.catalog import Message


@given(st.text(min_size=1), st.one_of(st.none(), st.text()))
def test_the_shown_key_is_the_context_when_there_is_one_else_the_source(msgid: str, msgctxt: str | None) -> None:
    message = Message(msgid, msgctxt=msgctxt)
    assert message.shown_key == (msgctxt if msgctxt else msgid)
    if msgctxt:
        assert message.shown_key == message.key  # the stable keys this tool writes are shown as they are merged


def test_the_shown_key_never_carries_the_merge_key_separator() -> None:
    assert Message("Hello").shown_key == "Hello" and Message("Hello").key == "\x04Hello"
