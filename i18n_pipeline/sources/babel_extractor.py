"""A Babel extractor, so ``pybabel extract -F mapping.cfg`` reads the same YAML sources.

Mapping file::

    [i18n_pipeline_yaml: source/**.yaml]
    source_dir = source

Each segment becomes a ``pgettext(key, text)`` call, so Babel writes the same
msgctxt and msgid as ``i18n-pipeline extract``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any


def extract_yaml(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    from i18n_pipeline.sources.documents import parse_document

    text = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    name = Path(getattr(fileobj, "name", "document.yaml"))
    source_dir = str(options.get("source_dir", "source"))
    parts = name.with_suffix("").parts
    if source_dir in parts:
        doc_id = "/".join(parts[len(parts) - parts[::-1].index(source_dir) :])
    else:
        doc_id = name.stem
    shown = name.as_posix()
    document = parse_document(text, shown, doc_id, str(options.get("source_locale", "en")))
    for segment in document.segments:
        line = int(segment.reference.rsplit(":", 1)[1])
        yield line, "pgettext", (segment.key, segment.text), list(segment.comments)
