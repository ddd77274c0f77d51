"""Drafts from a language model behind an OpenAI-compatible chat-completions API.

Ollama, llama.cpp's server, vLLM and LocalAI all answer
``POST <url>/chat/completions``; so do hosted services. This module is only
the conversation with such a server: one request per text, the answer taken
from a plain JSON reply or from a streamed (server-sent events) one.

Everything else is the machinery every machine provider shares
(:class:`providers.MachineTranslator`, through :func:`chat`): protection of URLs, emails,
placeholders, markup and do-not-translate terms as ``⟦n⟧`` tokens, the
timeout, retries with back-off, concurrency, the cache and provenance. A
model differs from a translation service in one dangerous way: it may answer
something else than a translation ("I can't help with that"). An answer that
does not carry every protected token exactly once is therefore not a draft:
it is reported and nothing is stored (:class:`UnusableAnswer`).

The prompt holds the glossary terms found in the text and the entry's note
for translators (``#.``). Both travel with the text in one request key
(:func:`with_context`), so the cache tells apart the same text under two
different notes, and a changed glossary asks again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from i18n_pipeline.translate.protect import CLOSE, OPEN, TOKEN_RE
from i18n_pipeline.translate.providers import Malformed, NoTranslation

#: Separates the text from its context in a request key; YAML cannot hold this control character.
_CONTEXT_MARK = "\x1f"
_THINKING_RE = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)
_QUOTES = (('"', '"'), ("“", "”"), ("«", "»"))


class UnusableAnswer(NoTranslation):
    """The model answered, but not with a translation of the text: no draft is stored."""


def with_context(text: str, note: str = "", glossary: Mapping[str, str] | None = None) -> str:
    """The request key: ``text``, plus the note and glossary terms the prompt needs, if any."""
    terms = {source: target for source, target in (glossary or {}).items() if source.lower() in text.lower()}
    if not note.strip() and not terms:
        return text
    context = {"note": note.strip(), "glossary": dict(sorted(terms.items()))}
    return text + _CONTEXT_MARK + json.dumps(context, ensure_ascii=False, sort_keys=True)


def split_context(key: str) -> tuple[str, str, dict[str, str]]:
    """``(text, note, glossary)`` back from a request key."""
    text, mark, rest = key.partition(_CONTEXT_MARK)
    if not mark:
        return text, "", {}
    context = json.loads(rest)
    return text, str(context.get("note", "")), dict(context.get("glossary", {}))


def language_name(code: str) -> str:
    """``es`` -> ``Spanish``, ``pt_BR`` -> ``Portuguese (Brazil)``: models know names better than codes."""
    from babel import UnknownLocaleError

    from i18n_pipeline.config import normalize_locale
    from i18n_pipeline.project import language_name as english_name

    try:
        return english_name(normalize_locale(code))
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def build_messages(text: str, source: str, target: str, note: str = "", glossary: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The chat for one text: instructions (languages, tokens, glossary, note) and the text itself."""
    lines = [
        f"You translate text for a community organization's website from {language_name(source)} to {language_name(target)}.",
        "Reply with the translation only: no quotes, no comments, no explanations.",
        (f"Markers like {OPEN}0{CLOSE} stand for links, email addresses, placeholders, markup or names that must "
         "not change: keep every marker exactly once, unchanged, where it belongs in the translation."),
        "Keep the line breaks of the text.",
    ]
    if glossary:
        lines.append("Use these translations for these terms:")
        lines.extend(f"- {term} -> {translation}" for term, translation in sorted(glossary.items()))
    if note.strip():
        lines.append(f"Note for translators from the author: {note.strip()}")
    return [{"role": "system", "content": "\n".join(lines)}, {"role": "user", "content": text}]


def _tokens(text: str) -> list[str]:
    return sorted(TOKEN_RE.findall(text))


def check_answer(sent: str, answer: str) -> str:
    """The translation in ``answer``, or :class:`UnusableAnswer` when it cannot be one.

    Every protected token sent must come back exactly once: a model that
    drops ``{name}`` or a URL has usually not translated at all (a refusal,
    a summary, a question back).
    """
    cleaned = _THINKING_RE.sub("", answer).strip()
    for left, right in _QUOTES:
        # Small models like to quote their whole answer; the text sent was not quoted.
        if len(cleaned) > 1 and cleaned[0] == left and cleaned[-1] == right and not sent.strip().startswith(left):
            cleaned = cleaned[1:-1].strip()
            break
    if not cleaned:
        raise UnusableAnswer("the model answered with no text")
    if _tokens(cleaned) != _tokens(sent):
        lost = sorted(set(_tokens(sent)) - set(_tokens(cleaned)), key=int)
        what = f"lost {', '.join(OPEN + n + CLOSE for n in lost)}" if lost else "changed the protected markers"
        raise UnusableAnswer(f"the model's answer {what} (a refusal or not a translation?): {cleaned[:60]!r}; no draft stored")
    return cleaned


def _content_of(data: Any) -> str:
    """The assistant's text in a chat-completion (or one streamed chunk's delta)."""
    choice = data["choices"][0]
    part = choice.get("delta") if "delta" in choice else choice["message"]
    if part.get("refusal"):
        raise UnusableAnswer(f"the model refused: {str(part['refusal'])[:80]!r}; no draft stored")
    if choice.get("finish_reason") == "content_filter":
        raise UnusableAnswer("the server's content filter stopped the answer; no draft stored")
    content = part.get("content") or ""
    if not isinstance(content, str):
        raise TypeError(f"expected text content, got {type(content).__name__}")
    return content


def read_stream(lines: Iterable[str]) -> str:
    """Join the ``delta.content`` of server-sent ``data:`` events until ``[DONE]``."""
    pieces: list[str] = []
    for line in lines:
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if payload == "[DONE]":
            break
        if payload:
            pieces.append(_content_of(json.loads(payload)))
    return "".join(pieces)


def chat(http: Any, settings: Any, key: str | None, source: str, target: str, text: str) -> str:
    """One request key to ``<url>/chat/completions`` through the providers' HTTP session; the translation back.

    Called by :class:`providers.MachineTranslator` (which retries, caches and
    counts): HTTP errors go up as ``requests.HTTPError``, unreadable replies
    (ValueError, KeyError, IndexError or TypeError: often a proxy's error
    page) as ``Malformed`` (retried), answers that are not a translation as
    :class:`UnusableAnswer` (reported, nothing stored). The reply may be
    streamed (``text/event-stream``) or not.
    """
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}" if key else None}
    sent, note, glossary = split_context(text)
    body = {"model": settings.model, "messages": build_messages(sent, source, target, note, glossary), "temperature": 0, "stream": settings.stream}
    response = http.request("POST", settings.url.rstrip("/") + "/chat/completions", headers=headers, data=json.dumps(body, ensure_ascii=False).encode("utf-8"))
    response.encoding = "utf-8"
    try:
        if response.headers.get("Content-Type", "").startswith("text/event-stream"):
            return check_answer(sent, read_stream(response.text.splitlines()))
        return check_answer(sent, _content_of(json.loads(response.text)))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise Malformed(f"{type(exc).__name__} in the reply") from None
