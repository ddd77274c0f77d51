"""Translation memory: final translations already in the project, reused as suggestions.

Both directions count: an English->Spanish catalog pairs English with Spanish,
and is just as good a memory for a Spanish-authored document that needs
English. Only final (reviewed, non-fuzzy) translations go in, so a draft is
never the basis of another draft. Exact matches are a dict lookup; near
matches use rapidfuzz, and only for messages that have no key match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import Catalog


@dataclass(frozen=True)
class MemoryMatch:
    translation: str
    #: 0-100; 100 means the source text is identical.
    score: float
    #: The remembered source text that matched.
    source: str


class TranslationMemory:
    """Source text -> translation for one (source language, target language) pair."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._exact: dict[str, str] = {}
        for source, translation in pairs:
            if source and translation:
                self._exact.setdefault(source, translation)
        self._sources: list[str] | None = None

    def __len__(self) -> int:
        return len(self._exact)

    def lookup(self, text: str, threshold: float) -> MemoryMatch | None:
        """Best match scoring at least ``threshold``; exact matches first."""
        exact = self._exact.get(text)
        if exact is not None:
            return MemoryMatch(exact, 100.0, text)
        if threshold >= 100 or not self._exact:
            return None
        from rapidfuzz import fuzz, process, utils

        if self._sources is None:
            self._sources = list(self._exact)
        best = process.extractOne(
            text, self._sources, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=threshold
        )
        if best is None:
            return None
        source = best[0]
        # Case and punctuation are ignored for scoring, but only identical text is a 100.
        return MemoryMatch(self._exact[source], min(round(float(best[1]), 1), 99.9), source)

    @classmethod
    def from_catalogs(
        cls, catalogs: Iterable[tuple[Catalog, str, str]], source_lang: str, target_lang: str
    ) -> TranslationMemory:
        """Build from ``(catalog, its source language, its target language)`` triples."""
        pairs: list[tuple[str, str]] = []
        for catalog, cat_source, cat_target in catalogs:
            if (cat_source, cat_target) == (source_lang, target_lang):
                forward = True
            elif (cat_source, cat_target) == (target_lang, source_lang):
                forward = False
            else:
                continue
            for message in catalog.messages:
                if message.obsolete or not message.translated or message.msgid_plural is not None:
                    continue
                if forward:
                    pairs.append((message.msgid, message.msgstr))
                else:
                    pairs.append((message.msgstr, message.msgid))
        return cls(pairs)
