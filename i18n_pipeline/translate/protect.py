"""Shield what a machine must not translate, and put it back afterwards.

Before text goes to a translation service, URLs, email addresses,
``{placeholders}``, Markdown syntax, HTML tags and the glossary's
do-not-translate terms are swapped for numbered tokens ``⟦0⟧``, ``⟦1⟧``...
Services leave such bracketed numbers alone far more reliably than they leave
a URL or a name alone. After translation the tokens are replaced by the
original text; a token the service dropped, repeated or invented is reported
as a problem (the draft is kept, the problem is recorded for ``check``).

Leading and trailing whitespace is kept aside too: services strip it, and
msgfmt insists a translation starts and ends with the same newlines as its
source.

Pure functions on strings; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

OPEN, CLOSE = "⟦", "⟧"

#: What services send back: tolerant of spaces they like to insert inside brackets.
TOKEN_RE = re.compile(r"⟦\s*(\d+)\s*⟧")

_PATTERNS = (
    # Our own delimiters, should a source ever contain them, so restoring stays unambiguous.
    r"[⟦⟧]",
    # Markdown inline code and autolinks.
    r"`[^`\n]+`",
    r"<(?:https?://|mailto:)[^>\s]+>",
    # Markdown link and image syntax; the label between the brackets stays translatable.
    r"!?\[(?=[^\]\n]*\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\))",
    r"\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\)",
    # URLs (without trailing sentence punctuation) and email addresses.
    r"(?:https?://|ftp://|www\.)[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]",
    r"mailto:[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    # Placeholders: {name}, {0}, {name!r:>10}, and printf's %(name)s / %s / %d.
    r"\{[^{}\s]*\}",
    r"%\(\w+\)[sdifr]|%[sd](?!\w)",
    # Inline HTML tags.
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>",
    # Markdown block markers at the start of a line: headings, quotes, list bullets, numbers.
    r"(?m:^[ \t]*(?:#{1,6}|>|[-+]|\d{1,3}[.)])(?=[ \t]))",
    # Emphasis and strike-through markers; a single underscore only at a word edge.
    r"\*{1,3}|~~|_{2,3}|(?<![\w])_(?=\S)|(?<=\S)_(?![\w])",
)


@dataclass(frozen=True)
class Protected:
    """Text ready for a machine, and what it takes to undo the protection."""

    #: The original text.
    source: str
    #: What is sent: the source with protected spans replaced by ``⟦n⟧``, whitespace trimmed.
    text: str
    #: Original text of each token, by number.
    tokens: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""

    @property
    def needs_translation(self) -> bool:
        """False when nothing translatable remains (a bare URL, a name, a placeholder)."""
        rest = TOKEN_RE.sub("", self.text)
        return any(ch.isalpha() for ch in rest)


@dataclass(frozen=True)
class Restored:
    text: str
    #: Human-readable descriptions of tokens the service lost, repeated or invented.
    problems: tuple[str, ...] = ()


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    parts = list(_PATTERNS)
    unique = sorted({t for t in terms if t}, key=len, reverse=True)
    if unique:
        parts.append("(?<!\\w)(?:" + "|".join(re.escape(t) for t in unique) + ")(?!\\w)")
    return re.compile("|".join(f"(?:{p})" for p in parts))


@cache
def _spans(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Protected text, adjacent pieces as one span (so one token)."""
    return re.compile(f"(?:{_pattern(terms).pattern})+")


def protected_parts(text: str, do_not_translate: Iterable[str] = ()) -> list[str]:
    """The protected pieces of ``text`` (what a translation must contain as is)."""
    return [m.group(0) for m in _pattern(tuple(do_not_translate)).finditer(text) if m.group(0) and not _is_markup(m.group(0))]


def _is_markup(piece: str) -> bool:
    """Emphasis and block markers may legitimately move or change in a translation."""
    return piece.strip() in {"*", "**", "***", "_", "__", "___", "~~", "#", ">", "-", "+"} or bool(
        re.fullmatch(r"\s*(#{1,6}|\d{1,3}[.)])", piece)
    )


def protect(text: str, do_not_translate: Iterable[str] = ()) -> Protected:
    """Replace protected spans by numbered tokens."""
    core = text.strip()
    if not core:
        return Protected(text, "", (), text, "")
    tokens: list[str] = []

    def swap(match: re.Match[str]) -> str:
        tokens.append(match.group(0))
        return f"{OPEN}{len(tokens) - 1}{CLOSE}"

    sent = _spans(tuple(do_not_translate)).sub(swap, core)
    return Protected(text, sent, tuple(tokens), text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :])


def restore(protected: Protected, translated: str) -> Restored:
    """Put the protected spans back into ``translated``; report what went wrong."""

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return protected.tokens[index] if index < len(protected.tokens) else match.group(0)

    found = list(TOKEN_RE.finditer(translated))
    counts = Counter(int(match.group(1)) for match in found)
    problems = [
        f"machine translation lost protected text {original!r}" if counts[index] == 0
        else f"machine translation repeated protected text {original!r} ({counts[index]} times)"
        for index, original in enumerate(protected.tokens) if counts[index] != 1
    ]
    problems += [f"machine translation invented the token {m.group(0)!r}" for m in found if int(m.group(1)) >= len(protected.tokens)]
    leftover = TOKEN_RE.sub("", translated)
    if OPEN in leftover or CLOSE in leftover:
        problems.append(f"machine translation left a broken protection mark ({OPEN} or {CLOSE})")
    return Restored(protected.prefix + TOKEN_RE.sub(put_back, translated.strip()) + protected.suffix, tuple(problems))
