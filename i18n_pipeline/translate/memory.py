"""Translation memory: final translations already in the project, reused as suggestions.

Both directions count: an English->Spanish catalog pairs English with Spanish,
and is just as good a memory for a Spanish-authored document that needs
English. Only final (reviewed, non-fuzzy) translations go in, so a draft is
never the basis of another draft. Exact matches are a dict lookup; near
matches are looked up in an index of word pairs and scored with
rapidfuzz, and only for messages that have no key match.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from i18n_pipeline.gettext.catalog import Catalog


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
        self._index: _NearIndex | None = None

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

        query = utils.default_process(text)
        if not query:
            return None
        if self._index is None:
            self._index = _NearIndex(self._exact)  # built on the first near-match lookup: most updates never need it
        index = self._index
        candidates = index.candidates(query, threshold)
        if not candidates:
            return None
        choices = [index.processed[i] for i in candidates]
        best = process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        if best is None:
            return None
        source = index.originals[candidates[best[2]]]
        # Case and punctuation are ignored for scoring, but only identical text is a 100.
        return MemoryMatch(self._exact[source], min(round(float(best[1]), 1), 99.9), source)

    @classmethod
    def from_catalogs(
        cls, catalogs: Iterable[tuple[Catalog, str, str]], source_lang: str, target_lang: str
    ) -> TranslationMemory:
        """Build from ``(catalog, its source language, its target language)`` triples."""
        wanted = {(source_lang, target_lang), (target_lang, source_lang)}
        found = ((source, target, final_pairs(catalog)) for catalog, source, target in catalogs if (source, target) in wanted)
        return cls.from_pairs(found, source_lang, target_lang)

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


#: Texts of up to this many words are indexed by their words as well as their word pairs.
_SHORT = 5


def _probes(words: int) -> int:
    """How many of a text's rarest grams pick the candidates.

    Two replaced words break at most four word pairs (and two words, in a
    short text), so one probe more than that always reaches a shared gram: a
    source that differs from the text by one or two replaced words is always
    among the candidates. (Pairs alone fail that in a text of five words:
    replacing its second and fourth words breaks all four of its pairs.)
    """
    return 7 if words <= _SHORT else 5


def _grams(processed: str) -> set[str]:
    """Adjacent word pairs (and the words too, in a text of ``_SHORT`` words or fewer).

    A text of one word gives its character trigrams.
    """
    words = processed.split()
    if len(words) > _SHORT:
        return set(map(" ".join, zip(words, words[1:])))
    if len(words) > 1:
        return {*words, *map(" ".join, zip(words, words[1:]))}
    word = processed.strip()
    if len(word) <= 3:
        return {word} if word else set()
    return {word[i : i + 3] for i in range(len(word) - 2)}


class _NearIndex:
    """Remembered sources by the word pairs they contain.

    A near match (rapidfuzz ratio >= threshold) shares most of its word pairs
    with the text, so the candidates are the sources holding the text's
    rarest ones, within the lengths that can reach the threshold. The
    lookup then costs what those few posting lists hold, not the size of the
    memory: a scan over every source grew with the project and made a bulk
    update quadratic. Every offered match is still scored exactly by rapidfuzz.
    """

    def __init__(self, exact: dict[str, str]) -> None:
        from rapidfuzz import utils

        # Sorted as the scan sorted them, so that ties go to the same source.
        rows = sorted((len(p), p, s) for s in exact if (p := utils.default_process(s)))
        self.lengths = [row[0] for row in rows]
        self.processed = [row[1] for row in rows]
        self.originals = [row[2] for row in rows]
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        postings = self._postings
        join = " ".join
        for number, processed in enumerate(self.processed):
            words = processed.split()
            # A pair twice in one text lists the text twice: harmless, and cheaper than a set per text.
            grams = map(join, zip(words, words[1:])) if len(words) > _SHORT else _grams(processed)
            for gram in grams:
                postings[gram].append(number)

    def candidates(self, query: str, threshold: float) -> list[int]:
        """Sources sharing one of the query's rarest grams and of a length that can match, in index order."""
        postings = self._postings
        known = sorted((len(postings[g]), g) for g in _grams(query) if g in postings)
        probes = _probes(len(query.split()))
        # fuzz.ratio >= t needs 2*min(la, lb)/(la + lb) >= t/100: only a window of lengths can match.
        # Sources are numbered by length and postings list them in order, so the window is a slice of each.
        ratio = threshold / 100
        first = bisect_left(self.lengths, len(query) * ratio / (2 - ratio))
        end = bisect_right(self.lengths, len(query) * (2 - ratio) / ratio) if ratio > 0 else len(self.lengths)
        chosen: set[int] = set()
        for _, gram in known[:probes]:
            posting = postings[gram]
            chosen.update(posting[bisect_left(posting, first) : bisect_left(posting, end)])
        return sorted(chosen)
