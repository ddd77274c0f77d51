"""Translation memory: exact matches always, near matches from the word index, scored by rapidfuzz."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
from rapidfuzz import fuzz, process, utils

from i18n_pipeline.translate.memory import _SHORT, MemoryMatch, TranslationMemory, _grams, _NearIndex, _probes

# Few letters so that near matches are common; accents, digits, punctuation and a
# character outside the common bins exercise every histogram bin.
_TEXT = st.text(alphabet="aeinst ,.?¿áñ0ç\u4e2d", min_size=1, max_size=40)


def brute_force(pairs: list[tuple[str, str]], text: str, threshold: float) -> MemoryMatch | None:
    """The unfiltered search: every remembered source compared with rapidfuzz."""
    exact = dict(reversed(pairs))
    if text in exact:
        return MemoryMatch(exact[text], 100.0, text)
    rows = sorted((len(p), p, s) for s in exact if (p := utils.default_process(s)))
    query = utils.default_process(text)
    if not query or not rows:
        return None
    best = process.extractOne(query, [r[1] for r in rows], scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
    if best is None:
        return None
    source = rows[best[2]][2]
    return MemoryMatch(exact[source], min(round(float(best[1]), 1), 99.9), source)


@settings(max_examples=150, deadline=None)
@given(
    sources=st.lists(_TEXT, min_size=1, max_size=30, unique=True),
    queries=st.lists(_TEXT, min_size=1, max_size=10),
    threshold=st.sampled_from([50.0, 70.0, 80.0, 90.0, 95.0, 99.0]),
)
def test_every_offered_match_is_real_and_exact_matches_are_always_found(
    sources: list[str], queries: list[str], threshold: float
) -> None:
    """What the index offers is a real match: rapidfuzz's own score, at least the threshold.

    Exact matches are always found. (Comparing every source may find a better
    near match that shares no word with the text; the index trades that away.)
    """
    pairs = [(source, f"T{index}") for index, source in enumerate(sources)]
    memory = TranslationMemory(pairs)
    for query in queries:
        found = memory.lookup(query, threshold)
        if query in sources:
            assert found == brute_force(pairs, query, threshold)
        elif found is not None:
            assert found.score >= threshold
            expected = fuzz.ratio(utils.default_process(query), utils.default_process(found.source))
            assert found.score == min(round(expected, 1), 99.9)
            assert found.translation == dict(pairs)[found.source]


_WORDS = st.sampled_from("who what when the a of in space learning crisis response care we our is for".split())


@settings(max_examples=150, deadline=None)
@given(
    sentences=st.lists(st.lists(_WORDS, min_size=5, max_size=14).map(" ".join), min_size=1, max_size=40, unique=True),
    pick=st.integers(min_value=0),
    position=st.integers(min_value=0),
    word=st.sampled_from(["community", "session", "safety", "volunteers"]),
    second=st.integers(min_value=0),
    threshold=st.sampled_from([70.0, 80.0, 90.0]),
)
# Replacing the second and fourth of five words breaks all four word pairs: short texts need their words too.
@example(
    sentences=["who who who who who", "who who who who what", "who who who what learning"],
    pick=2, position=3, word="safety", second=1, threshold=70.0,
)
def test_a_source_with_a_word_replaced_is_always_found(
    sentences: list[str], pick: int, position: int, word: str, second: int, threshold: float
) -> None:
    """The copy edit a translation memory exists for (one or two words): the edited source is always a candidate."""
    pairs = [(sentence, f"T{index}") for index, sentence in enumerate(sentences)]
    original = sentences[pick % len(sentences)]
    words = original.split()
    words[position % len(words)] = word
    words[second % len(words)] = word.upper()
    query = " ".join(words)
    reference = brute_force(pairs, query, threshold)
    found = TranslationMemory(pairs).lookup(query, threshold)
    original_score = fuzz.ratio(query, original)
    if original_score >= threshold:
        assert found is not None and found.score >= min(round(original_score, 1), 99.9)
    if reference is None:
        assert found is None


def test_near_match_is_found_among_many_unrelated_sources() -> None:
    pairs = [(f"Session {n} meets on the {n}th floor of building {n * 7}.", f"S{n}") for n in range(2000)]
    pairs.append(("Who is this learning space for, and who may join it?", "¿Para quién es este espacio?"))
    memory = TranslationMemory(pairs)
    match = memory.lookup("Who is this learning space for, and who can join it?", 90)
    assert match is not None and match.translation == "¿Para quién es este espacio?"
    assert 90 <= match.score < 100
    assert memory.lookup("Something nobody ever wrote down before at all", 90) is None


def test_exact_match_scores_100_and_case_only_difference_does_not() -> None:
    memory = TranslationMemory([("We do not record these sessions", "No grabamos estas sesiones")])
    assert memory.lookup("We do not record these sessions", 90) == MemoryMatch(
        "No grabamos estas sesiones", 100.0, "We do not record these sessions"
    )
    near = memory.lookup("we do not record these sessions", 90)
    assert near is not None and near.score == 99.9


def test_very_long_texts_are_found() -> None:
    long_source = "a" * 40_000 + " end"
    pairs = [(long_source, "largo"), ("short text", "corto")]
    query = "a" * 39_900 + " end"
    match = TranslationMemory(pairs).lookup(query, 99.0)
    assert match == brute_force(pairs, query, 99.0)
    assert match is not None and match.translation == "largo"


def reference_candidates(sources: list[str], query: str, threshold: float) -> list[int]:
    """What the word-pair index offers, by its definition and the slow way: the sources (numbered
    by length) holding one of the query's rarest grams (counted per occurrence), whose
    length can reach the threshold."""
    rows = sorted((len(p), p) for s in dict.fromkeys(sources) if (p := utils.default_process(s)))

    def grams(processed: str) -> list[str]:
        words = processed.split()
        return [" ".join(pair) for pair in zip(words, words[1:])] if len(words) > _SHORT else sorted(_grams(processed))

    held = [grams(p) for _, p in rows]
    counts = {g: sum(h.count(g) for h in held) for g in _grams(query)}
    rarest = [g for _, g in sorted((n, g) for g, n in counts.items() if n)[: _probes(len(query.split()))]]
    ratio = threshold / 100
    low, high = len(query) * ratio / (2 - ratio), len(query) * (2 - ratio) / ratio
    return [i for i, (length, _) in enumerate(rows) if any(g in held[i] for g in rarest) and low <= length <= high]


@settings(max_examples=200, deadline=None)
@given(
    sources=st.lists(st.one_of(_TEXT, st.lists(_WORDS, min_size=1, max_size=14).map(" ".join)), min_size=1, max_size=40),
    query=st.one_of(_TEXT, st.lists(_WORDS, min_size=1, max_size=14).map(" ".join)),
    threshold=st.sampled_from([50.0, 70.0, 90.0, 99.0]),
)
# At 50 a source may be three times the query's length (15 for "aa bb"), and not one character more.
@example(sources=["aa bb cc dd eee", "aa bb cc dd eeee", "aa bb"], query="aa bb", threshold=50.0)
def test_the_index_offers_exactly_the_sources_its_definition_names(sources: list[str], query: str, threshold: float) -> None:
    """The length window is cut from each posting list by bisection (postings are in length order):
    the candidates are still exactly those of the definition, so the suggestions are the same."""
    index = _NearIndex(dict.fromkeys(sources, "t"))
    processed = utils.default_process(query)
    assert index.candidates(processed, threshold) == reference_candidates(sources, processed, threshold)
