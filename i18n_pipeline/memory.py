"""Translation memory: final translations already in the project, reused as suggestions.

Both directions count: an English->Spanish catalog pairs English with Spanish,
and is just as good a memory for a Spanish-authored document that needs
English. Only final (reviewed, non-fuzzy) translations go in, so a draft is
never the basis of another draft. Exact matches are a dict lookup; near
matches use rapidfuzz, and only for messages that have no key match.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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
        self._index: tuple[list[int], list[str], list[str]] | None = None

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

        lengths, processed, originals = self._fuzzy_index()
        query = utils.default_process(text)
        if not query:
            return None
        # fuzz.ratio >= t needs 2*min(la, lb)/(la + lb) >= t/100: only a window of lengths can match.
        ratio = threshold / 100
        low = int(len(query) * ratio / (2 - ratio)) if ratio < 2 else 0
        high = int(len(query) * (2 - ratio) / ratio) + 1 if ratio > 0 else max(lengths, default=0)
        start, end = bisect_left(lengths, low), bisect_right(lengths, high)
        if start >= end:
            return None
        best = process.extractOne(query, processed[start:end], scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        if best is None:
            return None
        source = originals[start + best[2]]
        # Case and punctuation are ignored for scoring, but only identical text is a 100.
        return MemoryMatch(self._exact[source], min(round(float(best[1]), 1), 99.9), source)

    def _fuzzy_index(self) -> tuple[list[int], list[str], list[str]]:
        """Sources normalized once and sorted by length, built on the first fuzzy lookup."""
        if self._index is None:
            from rapidfuzz import utils

            rows = sorted((len(p), p, s) for s in self._exact if (p := utils.default_process(s)))
            self._index = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return self._index

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
