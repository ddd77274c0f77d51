"""Import: existing bilingual text (English part, then the translation) -> final translations.

Published pages like the seed list the English text, then the same structure
in Spanish. :func:`align` finds the document's segments in the English part
(exact text), takes the run of lines after that block as the translation,
splits both on questions and aligns the paragraphs inside each group with a
small monotone dynamic programme scored by length ratio and shared anchors
(emails, URLs, numbers, names). ``English / Español`` lines give inline pairs.
Whatever cannot be aligned with confidence is reported, never guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from i18n_pipeline.sources.model import Document, Segment

if TYPE_CHECKING:
    from i18n_pipeline.config import Config

_ANCHOR_RE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|\d+(?:[.,:]\d+)*|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b|\b[A-Z]{2,}\b"
)
#: Translations run a little longer than English; Spanish by about 15-20%.
_EXPECTED_RATIO = 1.15
_MIN_SCORE = 0.35


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the imported file
    text: str


@dataclass
class Alignment:
    #: key -> (translation, line number it came from)
    translations: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: Segments with no translation in the text (reported, left untranslated).
    unaligned_keys: list[str] = field(default_factory=list)
    #: Translation lines that matched no segment.
    unused_lines: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _normalize(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text[:-1].rstrip() if text.endswith(":") else text


def _without_icon(text: str) -> str:
    """Drop leading emoji/symbols: notes keep their icon as data, not text."""
    return re.sub(r"^[^\w¿¡(\"'“‘*]+", "", text).strip()


def _is_question(text: str) -> bool:
    return text.endswith("?") or text.startswith("¿")


def _anchors(text: str) -> set[str]:
    return {a.lower() for a in _ANCHOR_RE.findall(text)}


def _score(english: str, translation: str) -> float:
    """How plausible it is that ``translation`` renders ``english`` (higher is better)."""
    ratio = max(len(translation), 1) / (max(len(english), 1) * _EXPECTED_RATIO)
    score = max(0.0, 1.0 - abs(math.log(ratio)))
    if _is_question(english) != _is_question(translation):
        score -= 1.0
    a, b = _anchors(english), _anchors(translation)
    if a and b:
        overlap = len(a & b) / len(a | b)
        score += 2 * overlap - (1.0 if not a & b else 0.0)
    return score


def _align_group(english: list[Segment], lines: list[Line]) -> tuple[list[tuple[Segment, Line]], list[Segment], list[Line]]:
    """Monotone alignment maximizing the summed score; skips are allowed on both sides."""
    n, m = len(english), len(lines)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            # Ties go to the first option: skipping a source text, then a line, then a match.
            options = [(best[i - 1][j], "skip_en")] if i else []
            if j:
                options.append((best[i][j - 1] - 0.5, "skip_tr"))
            if i and j and (s := _score(english[i - 1].text, lines[j - 1].text)) >= _MIN_SCORE:
                options.append((best[i - 1][j - 1] + s, "match"))
            if options:
                best[i][j], move[i][j] = max(options, key=lambda o: o[0])
    pairs: list[tuple[Segment, Line]] = []
    skipped: list[Segment] = []
    unused: list[Line] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = move[i][j]
        if step == "match":
            pairs.append((english[i - 1], lines[j - 1]))
            i, j = i - 1, j - 1
        elif step == "skip_en":
            skipped.append(english[i - 1])
            i -= 1
        else:
            unused.append(lines[j - 1])
            j -= 1
    return pairs[::-1], skipped[::-1], unused[::-1]


def _groups(document: Document) -> list[list[Segment]]:
    """Title; then each question with its answer; footer, links and notes join the last group."""
    groups = [[document.title, *document.body], *([item.question, *item.answer] for item in document.items)]
    groups[-1] += [*document.footer, *(link.label for link in document.links), *(note.text for note in document.notes)]
    return groups


def align(document: Document, raw_lines: list[str], other_sources: frozenset[str] = frozenset()) -> Alignment:
    """Pure: find the translation of each of ``document``'s segments in ``raw_lines``.

    ``other_sources`` are source texts of the project's other documents: a
    line holding one of them ends the translated part.
    """
    result = Alignment()
    lines = [Line(i, line.strip()) for i, line in enumerate(raw_lines, start=1) if line.strip()]
    by_text: dict[str, Segment] = {}
    for known in document.segments:
        by_text.setdefault(_normalize(known.text), known)

    others = {_normalize(t) for t in other_sources}
    english_at: dict[int, Segment] = {}
    inline: set[int] = set()
    for index, line in enumerate(lines):
        segment = by_text.get(_normalize(line.text)) or by_text.get(_normalize(_without_icon(line.text)))
        if segment is not None:
            english_at[index] = segment
            continue
        if " / " in line.text:
            left, _, right = line.text.partition(" / ")
            segment = by_text.get(_normalize(left))
            if segment is not None and _normalize(right):
                result.translations[segment.key] = (_normalize(right), line.number)
                inline.add(index)

    if english_at:
        first, last = min(english_at), max(english_at)
        for index in range(first, last + 1):
            if index not in english_at:
                result.problems.append(f"line {lines[index].number}: inside the source-language part but matches no source text")
        translated_block: list[Line] = []
        for index in range(last + 1, len(lines)):
            line = lines[index]
            if _normalize(line.text) in others or _normalize(_without_icon(line.text)) in others:
                break
            if index not in inline:
                translated_block.append(line)
        found = set(id(s) for s in english_at.values())
        groups = [[s for s in group if id(s) in found] for group in _groups(document)]
        groups = [g for g in groups if g]
        # Split the translation on questions the same way.
        tr_groups: list[list[Line]] = [[]]
        for line in translated_block:
            if _is_question(line.text) and tr_groups[-1]:
                tr_groups.append([])
            tr_groups[-1].append(line)
        if len(tr_groups) != len(groups):
            result.problems.append(
                f"the translated part has {len(tr_groups)} question group(s) but the English part has {len(groups)}; "
                "aligning it as one block"
            )
            groups = [[s for g in groups for s in g]]
            tr_groups = [translated_block]
        for english, translated in zip(groups, tr_groups):
            unused: list[Line]
            if len(groups) > 1 and len(english) == len(translated):
                pairs, unused = list(zip(english, translated)), []
            else:
                pairs, _, unused = _align_group(english, translated)
            for segment, line in pairs:
                text = line.text
                if not segment.text.rstrip().endswith(":"):
                    text = _normalize(text)
                result.translations.setdefault(segment.key, (text, line.number))
            result.unused_lines.extend(unused)

    result.unaligned_keys = [s.key for s in document.segments if s.key not in result.translations]
    return result


@dataclass
class ImportReport:
    path: str = ""
    imported: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    alignment: Alignment = field(default_factory=Alignment)
    written: bool = False


def import_translations(config: Config, text_path: Path, document_id: str, locale: str, *, overwrite: bool = False, date: str | None = None) -> ImportReport:
    """Align ``text_path`` with the document and write the translations as final entries."""
    from i18n_pipeline.config import wanted_locale
    from i18n_pipeline.errors import PipelineError
    from i18n_pipeline.gettext.catalog import DRAFT_PREFIX
    from i18n_pipeline.project import load_documents, read_catalog, select_documents, today, update, write_catalog
    from i18n_pipeline.sources.yamlio import read_text
    from i18n_pipeline.translate.provenance import PROBLEM_PREFIX

    locale = wanted_locale(config, locale) or locale
    documents = load_documents(config)
    document = select_documents(documents, document_id)[0]
    if locale == document.lang:
        raise PipelineError(f"document '{document.id}' is written in '{locale}'; import a translation into another locale")
    lines = read_text(Path(text_path), str(text_path)).splitlines()
    others = frozenset(s.text for d in documents if d.id != document.id and d.lang == document.lang for s in d.segments)
    alignment = align(document, lines, others)
    update(config, [document], date=date)
    path = config.po_path(locale, document.id)
    catalog = read_catalog(config, path)
    assert catalog is not None
    report = ImportReport(path=config.relative(path), alignment=alignment)
    date = date or today()
    name = Path(text_path).name
    by_key = catalog.by_key()
    for key, (text, line) in alignment.translations.items():
        message = by_key.get(key)
        if message is None:
            continue
        if message.msgstr and not message.fuzzy and message.msgstr != text and not overwrite:
            report.conflicts.append(key)
            continue
        if message.msgstr == text and not message.fuzzy:
            report.kept.append(key)
            continue
        message.msgstr = text
        message.fuzzy = False
        message.previous_msgid = message.previous_msgctxt = None
        message.translator_comments = [
            c for c in message.translator_comments if not c.startswith((DRAFT_PREFIX, PROBLEM_PREFIX, "i18n-pipeline imported:"))
        ] + [f"i18n-pipeline imported: from={name}:{line}; date={date}"]
        report.imported.append(key)
    if report.imported:
        catalog.header["PO-Revision-Date"] = f"{date} 00:00+0000"
        report.written = write_catalog(config, path, catalog)
    return report
