"""Drafts from an OpenAI-compatible chat server (Ollama, llama.cpp, vLLM, LocalAI).

The server here is a real HTTP server on 127.0.0.1 speaking
``POST /v1/chat/completions``: plain JSON answers, streamed (SSE) answers,
injected 500s and 401s, and a model that refuses (dropping a placeholder).
Its "model" translates by prefixing ``es:`` and keeps the ``⟦n⟧`` markers.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext, write
from hypothesis import given, strategies as st
from libre_server import QuietHandler, loopback, po_path

from i18n_pipeline.gettext.catalog import MessageState
from i18n_pipeline.gettext.pofile import read_po
from i18n_pipeline.translate.llm import (
    UnusableAnswer,
    build_messages,
    check_answer,
    read_stream,
    split_context,
    with_context,
)

FAQ = """\
kind: faq
title: Questions
items:
  - id: where
    # Said to people who have never been to a session.
    question: Where do we meet?
    answer: |
      We meet online at https://example.org/meet every {weekday}.

      Write to admin@example.org with any questions about the learning space.
  - id: who
    question: Who can join?
    answer: Anyone who supports Interrupting Criminalization can join.
values:
  weekday: Tuesday
"""

CONFIG = """\
source_locale: en
locales: [en, es]
glossary:
  do_not_translate: [Interrupting Criminalization]
draft:
  timeout: 2
  backoff: 0.01
"""

GLOSSARY = "terms:\n  learning space: espacio de aprendizaje\n"


@dataclass
class ChatServer:
    """What the server saw and how it should answer."""

    #: Actions for the next requests in order ("500", "401", "garbage"); then it answers normally.
    script: list[str] = field(default_factory=list)
    #: Refuse (answer without the markers) every text containing one of these.
    refuse: tuple[str, ...] = ()
    api_key: str | None = None
    url: str = ""
    bodies: list[dict] = field(default_factory=list)
    auth_headers: list[str | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer_for(self, text: str) -> str:
        if any(word in text for word in self.refuse):
            return "I'm sorry, but I can't help with that request."
        return "\n".join(f"es: {line}" if line else "" for line in text.split("\n"))


def _handler(server: ChatServer) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/v1/chat/completions":
                self._send(404, b'{"error": "not found"}')
                return
            body = json.loads(raw)
            with server.lock:
                server.bodies.append(body)
                server.auth_headers.append(self.headers.get("Authorization"))
                action = server.script.pop(0) if server.script else "ok"
            if server.api_key is not None and self.headers.get("Authorization") != f"Bearer {server.api_key}":
                self._send(401, b'{"error": {"message": "invalid api key"}}')
                return
            if action != "ok":
                self._send(int(action), b'{"error": "injected"}')
                return
            answer = server.answer_for(body["messages"][-1]["content"])
            if body.get("stream"):
                pieces = [answer[i : i + 7] for i in range(0, len(answer), 7)]
                events = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
                events += [{"choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces]
                events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                stream = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events) + "data: [DONE]\n\n"
                self._send(200, stream.encode("utf-8"), "text/event-stream")
            else:
                reply = {"id": "x", "object": "chat.completion", "model": body["model"],
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}]}
                self._send(200, json.dumps(reply, ensure_ascii=False).encode("utf-8"))

    return Handler


@contextmanager
def chat_server(**options: object) -> Iterator[ChatServer]:
    state = ChatServer(**options)  # type: ignore[arg-type]
    with loopback(_handler(state)) as address:
        state.url = address + "/v1"
        yield state


def project(make_project, extra_config: str = "") -> Path:
    root = make_project({"faq/small.yaml": FAQ}, CONFIG + extra_config)
    write(root / "glossary" / "es.yaml", GLOSSARY)
    assert invoke(root, "update").exit_code == 0
    return root


def by_key(root: Path) -> dict:
    return {m.msgctxt: m for m in read_po(po_path(root)).messages if m.msgctxt}


def draft(root: Path, server: ChatServer, *extra: str):
    return invoke(root, "draft", "--provider", "openai-compatible", "--url", server.url, "--model", "tiny-model", *extra)


# --- through the command -------------------------------------------------------


@needs_gettext
def test_drafts_are_fuzzy_with_provider_and_model_and_keep_protected_text(make_project) -> None:
    root = project(make_project)
    with chat_server() as server:
        result = draft(root, server)
    assert result.exit_code == 0, result.output
    entries = by_key(root)
    answer = entries["faq/small/where/answer/1"]
    assert answer.msgstr == "es: We meet online at https://example.org/meet every {weekday}."
    assert answer.state is MessageState.NEEDS_REVIEW
    info = answer.draft
    assert info is not None and info["provider"] == "openai-compatible" and info["model"] == "tiny-model"
    assert "provider=openai-compatible; model=tiny-model; date=" in "\n".join(answer.translator_comments)
    assert entries["faq/small/who/answer/1"].msgstr == "es: Anyone who supports Interrupting Criminalization can join."
    assert msgfmt_check(po_path(root)).returncode == 0


def test_protected_text_never_reaches_the_model(make_project) -> None:
    root = project(make_project)
    with chat_server() as server:
        assert draft(root, server).exit_code == 0
    sent = "\n".join(body["messages"][-1]["content"] for body in server.bodies)
    for secret in ("https://example.org/meet", "admin@example.org", "{weekday}", "Interrupting Criminalization"):
        assert secret not in sent
    assert "⟦0⟧" in sent


def test_prompt_carries_the_translator_note_and_the_glossary_terms_of_the_text(make_project) -> None:
    root = project(make_project)
    with chat_server() as server:
        assert draft(root, server).exit_code == 0
    prompts = {body["messages"][-1]["content"]: body["messages"][0]["content"] for body in server.bodies}
    question = prompts["Where do we meet?"]
    assert "Said to people who have never been to a session." in question
    assert "from English to Spanish" in question
    about_space = next(system for text, system in prompts.items() if "learning space" in text)
    assert "learning space -> espacio de aprendizaje" in about_space
    assert "espacio de aprendizaje" not in question
    assert all(body["model"] == "tiny-model" and body["temperature"] == 0 for body in server.bodies)


def test_a_streamed_answer_is_assembled_from_its_events(make_project) -> None:
    root = project(make_project, "  stream: true\n")
    with chat_server() as server:
        result = draft(root, server)
    assert result.exit_code == 0, result.output
    assert all(body["stream"] is True for body in server.bodies)
    assert by_key(root)["faq/small/where/answer/1"].msgstr == "es: We meet online at https://example.org/meet every {weekday}."


def test_a_refusal_that_drops_a_placeholder_is_reported_and_not_stored(make_project) -> None:
    root = project(make_project)
    with chat_server(refuse=("every",)) as server:
        result = draft(root, server, "--verbose")
    assert result.exit_code == 0, result.output
    refused = by_key(root)["faq/small/where/answer/1"]
    assert refused.msgstr == "" and not refused.fuzzy
    assert "no draft for catalogs/es/LC_MESSAGES/faq/small.po: faq/small/where/answer/1" in result.output
    assert "lost ⟦0⟧" in result.output and "no draft stored" in result.output
    assert by_key(root)["faq/small/who/answer/1"].state is MessageState.NEEDS_REVIEW
    status = json.loads(invoke(root, "status", "--format", "json").output)
    assert status["locales"]["es"]["untranslated"] == 1


def test_a_second_run_is_answered_from_the_cache(make_project) -> None:
    root = project(make_project)
    with chat_server() as server:
        assert draft(root, server).exit_code == 0
        first = len(server.bodies)
        again = draft(root, server, "--retranslate-fuzzy")
    assert again.exit_code == 0, again.output
    assert len(server.bodies) == first
    assert f"0 request(s), {first} from cache" in again.output


def test_a_server_error_is_retried(make_project) -> None:
    root = project(make_project)
    with chat_server(script=["500", "503"]) as server:
        result = draft(root, server, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["retries"] == 2 and report["drafted"] == 6 and report["failures"] == []


def test_the_key_comes_from_the_named_environment_variable_and_is_never_written(make_project, monkeypatch) -> None:
    root = project(make_project, "  api_key_env: CHAT_KEY\n")
    monkeypatch.setenv("CHAT_KEY", "sk-test-5ecret")
    with chat_server(api_key="sk-test-5ecret") as server:
        result = draft(root, server)
    assert result.exit_code == 0, result.output
    assert set(server.auth_headers) == {"Bearer sk-test-5ecret"}
    for path in root.rglob("*"):
        if path.is_file():
            assert b"sk-test-5ecret" not in path.read_bytes(), path


def test_a_refused_key_stops_the_run_naming_the_variable_not_the_key(make_project, monkeypatch) -> None:
    root = project(make_project, "  api_key_env: CHAT_KEY\n  concurrency: 1\n")
    monkeypatch.setenv("CHAT_KEY", "wrong-key")
    with chat_server(api_key="right-key") as server:
        result = draft(root, server)
    assert result.exit_code == 2
    assert "CHAT_KEY" in result.output and "wrong-key" not in result.output
    assert len(server.bodies) == 1


def test_a_wrong_address_says_to_check_the_url(make_project) -> None:
    root = project(make_project)
    with chat_server() as server:
        result = invoke(root, "draft", "--provider", "openai-compatible", "--url", server.url.removesuffix("/v1"), "--model", "m")
    assert result.exit_code == 2
    assert "HTTP 404" in result.output and "check the address" in result.output


def test_the_provider_needs_a_model_and_an_address(make_project) -> None:
    root = project(make_project)
    no_model = invoke(root, "draft", "--provider", "openai-compatible", "--url", "http://127.0.0.1:9/v1")
    assert no_model.exit_code == 2 and "needs a model name: pass --model NAME" in no_model.output
    no_url = invoke(root, "draft", "--provider", "openai-compatible", "--model", "m")
    assert no_url.exit_code == 2 and "pass --url" in no_url.output


def test_model_and_url_can_come_from_the_config(make_project) -> None:
    with chat_server() as server:
        root = project(make_project, f"  provider: openai-compatible\n  url: {server.url}\n  model: from-config\n")
        result = invoke(root, "draft")
    assert result.exit_code == 0, result.output
    assert by_key(root)["faq/small/who/answer/1"].draft["model"] == "from-config"  # type: ignore[index]


# --- the pure parts ---------------------------------------------------------------


def test_a_refusal_is_not_an_answer() -> None:
    with pytest.raises(UnusableAnswer, match="lost ⟦0⟧"):
        check_answer("Meet us every ⟦0⟧.", "I'm sorry, I can't help with that.")


def test_thinking_is_dropped_from_an_answer() -> None:
    assert check_answer("Hi ⟦0⟧", "<think>Spanish greeting</think>\nHola ⟦0⟧") == "Hola ⟦0⟧"


def test_a_quoted_answer_loses_its_quotes_unless_the_text_was_quoted() -> None:
    assert check_answer("Hi ⟦0⟧", '"Hola ⟦0⟧"') == "Hola ⟦0⟧"
    assert check_answer("«Hi» ⟦0⟧", "«Hola» ⟦0⟧") == "«Hola» ⟦0⟧"
    assert check_answer('"Hi" she said', '"Hola" dijo') == '"Hola" dijo'


def test_an_explicit_refusal_field_is_not_an_answer() -> None:
    with pytest.raises(UnusableAnswer, match="refused"):
        read_stream(['data: {"choices": [{"delta": {"refusal": "no"}}]}'])


def test_stream_reading_ignores_comments_and_stops_at_done() -> None:
    lines = [": keep-alive", 'data: {"choices": [{"delta": {"content": "Ho"}}]}', "",
             'data: {"choices": [{"delta": {"content": "la"}}]}', "data: [DONE]", 'data: {"choices": [{"delta": {"content": "!"}}]}']
    assert read_stream(lines) == "Hola"


def test_the_system_prompt_names_languages_and_keeps_markers() -> None:
    system, user = build_messages("Hi ⟦0⟧", "en", "pt_BR", "a note", {"space": "espaço"})
    assert "from English to Portuguese (Brazil)" in system["content"]
    assert "space -> espaço" in system["content"] and "a note" in system["content"]
    assert user == {"role": "user", "content": "Hi ⟦0⟧"}


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1f"), min_size=1),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
def test_context_travels_with_the_text_and_comes_back_unchanged(text: str, note: str) -> None:
    key = with_context(text, note, {text[:3]: "x"} if text[:3] else {})
    back_text, back_note, _ = split_context(key)
    assert back_text == text and back_note == note.strip()


@given(st.lists(st.integers(0, 5), max_size=6), st.text(alphabet="abc ", max_size=10))
def test_an_answer_with_every_marker_once_is_accepted(numbers: list[int], filler: str) -> None:
    tokens = [f"⟦{n}⟧" for n in dict.fromkeys(numbers)]
    sent = " ".join(["x", *tokens])
    answer = "y " + filler.join(reversed(tokens)) if tokens else "y"
    assert re.sub(r"\s+", " ", check_answer(sent, answer)) == re.sub(r"\s+", " ", answer.strip())
