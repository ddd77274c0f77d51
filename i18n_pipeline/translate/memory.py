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
from functools import cache
from typing import TYPE_CHECKING

from i18n_pipeline.gettext.catalog import Catalog

if TYPE_CHECKING:
    import numpy as np


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
        self._index: _FuzzyIndex | None = None

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

        index = self._fuzzy_index()
        query = utils.default_process(text)
        if not query:
            return None
        # fuzz.ratio >= t needs 2*min(la, lb)/(la + lb) >= t/100: only a window of lengths can match.
        ratio = threshold / 100
        low = int(len(query) * ratio / (2 - ratio)) if ratio < 2 else 0
        high = int(len(query) * (2 - ratio) / ratio) + 1 if ratio > 0 else max(index.lengths, default=0)
        start, end = bisect_left(index.lengths, low), bisect_right(index.lengths, high)
        if start >= end:
            return None
        candidates = index.could_reach(query, threshold, start, end)
        if not candidates:
            return None
        choices = [index.processed[i] for i in candidates]
        best = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        if best is None:
            return None
        source = index.originals[candidates[best[2]]]
        # Case and punctuation are ignored for scoring, but only identical text is a 100.
        return MemoryMatch(self._exact[source], min(round(float(best[1]), 1), 99.9), source)

    def _fuzzy_index(self) -> _FuzzyIndex:
        """Sources normalized once and sorted by length, built on the first fuzzy lookup."""
        if self._index is None:
            from rapidfuzz import utils

            rows = sorted((len(p), p, s) for s in self._exact if (p := utils.default_process(s)))
            self._index = _FuzzyIndex([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        return self._index

    @classmethod
    def from_catalogs(
        cls, catalogs: Iterable[tuple[Catalog, str, str]], source_lang: str, target_lang: str
    ) -> TranslationMemory:
        """Build from ``(catalog, its source language, its target language)`` triples."""
        wanted = {(source_lang, target_lang), (target_lang, source_lang)}
        return cls.from_pairs(
            ((cat_source, cat_target, final_pairs(catalog)) for catalog, cat_source, cat_target in catalogs if (cat_source, cat_target) in wanted),
            source_lang,
            target_lang,
        )

    @classmethod
    def from_pairs(
        cls, found: Iterable[tuple[str, str, list[tuple[str, str]]]], source_lang: str, target_lang: str
    ) -> TranslationMemory:
        """Build from ``(source language, target language, final_pairs(catalog))`` triples.

        Catalogs in the other direction count too, read backwards. When a
        source text has several translations, the first catalog's wins.
        """
        pairs: list[tuple[str, str]] = []
        for cat_source, cat_target, catalog_pairs in found:
            if (cat_source, cat_target) == (source_lang, target_lang):
                pairs.extend(catalog_pairs)
            elif (cat_source, cat_target) == (target_lang, source_lang):
                pairs.extend((translation, source) for source, translation in catalog_pairs)
        return cls(pairs)


def final_pairs(catalog: Catalog) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every final translation: a memory never learns from drafts."""
    return [
        (message.msgid, message.msgstr)
        for message in catalog.messages
        if not message.obsolete and message.msgid_plural is None and message.translated
    ]


#: Histogram bins: one per character that ``default_process`` leaves most often, the rest shared.
_COMMON = "abcdefghijklmnopqrstuvwxyz0123456789 "
_SHARED_BINS = 27
_BINS = len(_COMMON) + _SHARED_BINS


class _FuzzyIndex:
    """Normalized sources sorted by length, with a character histogram for each.

    The histogram is a cheap, exact upper bound: a longest common subsequence
    can use no more of a character (or of a bin of characters) than both texts
    have, so ``2 * sum(min(histograms)) / (la + lb)`` bounds ``fuzz.ratio``.
    Sources whose bound misses the threshold are skipped without running the
    real comparison; on prose this leaves about 5% of the length window, and
    the result is the same as comparing against every source.
    """

    def __init__(self, lengths: list[int], processed: list[str], originals: list[str]) -> None:
        import numpy as np

        self.lengths = lengths
        self.processed = processed
        self.originals = originals
        self._lengths = np.asarray(lengths, dtype=np.int64)
        codes = _bins(np.frombuffer("".join(processed).encode("utf-32-le"), dtype=np.uint32))
        owners = np.repeat(np.arange(len(processed), dtype=np.int64), self._lengths)
        counts = np.bincount(owners * _BINS + codes, minlength=len(processed) * _BINS)
        # One row per bin (sources along it), so a query reads only the bins it uses;
        # 16-bit counts halve the memory read unless some text has more than 32767 of a bin.
        wide = counts.max(initial=0) > np.iinfo(np.int16).max
        self._count_type = np.int32 if wide else np.int16
        self._columns = np.ascontiguousarray(counts.reshape(len(processed), _BINS).T.astype(self._count_type))

    def could_reach(self, query: str, threshold: float, start: int, end: int) -> list[int]:
        """Indexes in ``start:end`` whose histogram bound reaches ``threshold``."""
        import numpy as np

        codes = _bins(np.frombuffer(query.encode("utf-32-le"), dtype=np.uint32))
        histogram = np.bincount(codes, minlength=_BINS)
        used = np.flatnonzero(histogram)
        # Counts above the stored type's range cannot lower a minimum with a stored count.
        wanted = np.minimum(histogram[used], np.iinfo(self._count_type).max).astype(self._count_type)
        bound = np.minimum(self._columns[used, start:end], wanted[:, None]).sum(axis=0, dtype=np.int64)
        # score = 200 * lcs / (la + lb); the 1e-9 keeps float rounding on the side of comparing.
        reachable = 200.0 * bound >= threshold * (len(query) + self._lengths[start:end]) - 1e-9
        return (np.flatnonzero(reachable) + start).tolist()


def _bins(codes: np.ndarray) -> np.ndarray:
    """Map code points to histogram bins."""
    import numpy as np

    mapped = _ascii_table()[np.minimum(codes, 127)]
    other = mapped < 0
    mapped[other] = len(_COMMON) + (codes[other].astype(np.int64) % _SHARED_BINS)
    return mapped


@cache
def _ascii_table() -> np.ndarray:
    """Bin of each ASCII code point; -1 for those that share the other bins."""
    import numpy as np

    table = np.full(128, -1, dtype=np.int64)
    for position, char in enumerate(_COMMON):
        table[ord(char)] = position
    return table
