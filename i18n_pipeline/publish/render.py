"""The render stage: documents + catalogs -> pages for publishers (HTML, Markdown, text).

Reads everything first (sources, catalogs, templates), decides per document
and language whether a version may be published (:mod:`layout`'s policies),
renders every page in memory, and only then writes, atomically. Any bad input
stops the run before a file changes.

Output paths say what a file is::

    out/<doc-id>/<layout>/<locales>.<format>          final pages
    out/preview/<doc-id>/<layout>/<locales>.preview.<format>
    out/pages/<page-id>/<layout>/<locales>.<format>   pages of ``pages:`` (several documents)
    out/<doc-id>/event.<locale>.ics                   an announcement's event, per published language

A configured page applies each document's policy inside the page: a
withheld translation leaves that document out of its language's half, and
its link labels that do have a final translation are shown in both
languages in the source half ("Register / Inscríbase").

``<locales>`` is one code for ``single`` and ``<source>-<target>`` for the
bilingual layouts (source language first, as on the seed page).

The default policy is a po4a-style threshold of 80%: a language version is
published when at least 80% of its messages are reviewed, with the rest shown
in the source language and marked; below that it is withheld, and ``render``
exits 1 unless ``--allow-incomplete``. A withheld version's old output files
are removed, so a stale translation is never left in ``out/`` to be posted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n_pipeline.choices import BILINGUAL, LAYOUTS, MODES, PAGE_FORMATS as FORMATS  # one list of formats, shared with the CLI
from i18n_pipeline.config import Config, PageConfig, RelativePaths, config_path, wanted_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import Staging, check_writable
from i18n_pipeline.manifest import Stamp
from i18n_pipeline.numbers import format_percent, truncated
from i18n_pipeline.project import WriteReport
from i18n_pipeline.publish.cache import RenderCache, Unit, read_inputs, stamp_written
from i18n_pipeline.publish.fragments import DEFAULT_TEXT_WIDTH, txt_inline
from i18n_pipeline.publish.layout import (
    FALLBACK,
    Cell,
    ComposedPage,
    Decision,
    Entry,
    Language,
    Missing,
    Page,
    Policy,
    compose,
    coverage,
    decide,
)
from i18n_pipeline.sources.model import Document

DEFAULT_POLICY = Policy("threshold", 80.0)
_RENDER_KEYS = ("layouts", "formats", "policy", "text_width", "standard_labels")


@dataclass(frozen=True)
class RenderSettings:
    """The ``render:`` section (and per-document policies) of the config, validated."""

    layouts: tuple[str, ...] = LAYOUTS
    formats: tuple[str, ...] = FORMATS
    policy: Policy = DEFAULT_POLICY
    #: Policies from ``documents: {<doc-id>: {policy: ...}}``.
    document_policies: dict[str, Policy] = field(default_factory=dict)
    text_width: int = DEFAULT_TEXT_WIDTH
    #: Use the tool's reviewed labels ("FAQ" -> "PREGUNTAS FRECUENTES") where a catalog has none.
    standard_labels: bool = True

    def policy_for(self, document: Document) -> Policy:
        """Config ``documents:`` entry first, then the document's own ``policy:``, then the default."""
        if document.id in self.document_policies:
            return self.document_policies[document.id]
        if "policy" in document.options:
            try:
                return Policy.parse(document.options["policy"])
            except ValueError as exc:
                raise PipelineError(f"'policy': {exc}", document.path) from None
        return self.policy


#: What ``documents.<id>:`` in the config may set.
DOCUMENT_KEYS = ("policy",)


def render_settings(config: Config) -> RenderSettings:
    where = config_path(config)
    lines = config.lines
    section = config.section("render")
    line = lines.get("render")
    unknown = sorted(set(section) - set(_RENDER_KEYS))
    if unknown:
        raise PipelineError(f"unknown key 'render.{unknown[0]}' (allowed: {', '.join(_RENDER_KEYS)})", where, line)
    kwargs: dict[str, Any] = {}
    for key, allowed in (("layouts", LAYOUTS), ("formats", FORMATS)):
        if key in section:
            value = section[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not value or any(v not in allowed for v in value):
                raise PipelineError(f"'render.{key}' must be a list from: {', '.join(allowed)}", where, line)
            kwargs[key] = tuple(dict.fromkeys(value))
    if "policy" in section:
        try:
            kwargs["policy"] = Policy.parse(section["policy"])
        except ValueError as exc:
            raise PipelineError(f"'render.policy': {exc}", where, line) from None
    if "text_width" in section:
        width = section["text_width"]
        if isinstance(width, bool) or not isinstance(width, int) or width < 30:
            raise PipelineError("'render.text_width' must be a whole number >= 30", where, line)
        kwargs["text_width"] = width
    if "standard_labels" in section:
        if not isinstance(section["standard_labels"], bool):
            raise PipelineError("'render.standard_labels' must be true or false", where, line)
        kwargs["standard_labels"] = section["standard_labels"]
    policies: dict[str, Policy] = {}
    for doc_id, options in config.section("documents").items():
        doc_line = lines.get(f"documents.{doc_id}", lines.get("documents"))
        if not isinstance(options, dict):
            raise PipelineError(f"'documents.{doc_id}' must be a mapping (e.g. {{policy: strict}})", where, doc_line)
        unknown = sorted(set(options) - set(DOCUMENT_KEYS))
        if unknown:
            raise PipelineError(f"unknown key 'documents.{doc_id}.{unknown[0]}' (allowed: {', '.join(DOCUMENT_KEYS)})", where, doc_line)
        if "policy" in options:
            try:
                policies[str(doc_id)] = Policy.parse(options["policy"])
            except ValueError as exc:
                raise PipelineError(f"'documents.{doc_id}.policy': {exc}", where, doc_line) from None
    return RenderSettings(document_policies=policies, **kwargs)


# --- the report --------------------------------------------------------------


@dataclass
class VersionReport:
    """One document in one target language: published or withheld, and why."""

    document: str
    locale: str
    policy: str
    total: int
    final: int
    published: bool
    reason: str
    #: Messages without a reviewed translation (shown in the source language, or withheld).
    missing: list[Missing] = field(default_factory=list)
    from_labels: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.final / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "locale": self.locale,
            "policy": self.policy,
            "total": self.total,
            "final": self.final,
            "percent_final": truncated(self.percent),
            "published": self.published,
            "reason": self.reason,
            "missing": [{"key": m.key, "reference": m.reference, "state": m.state, "problem": m.problem} for m in self.missing],
            "from_labels": list(self.from_labels),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VersionReport:
        """A version as :meth:`as_dict` gave it (the render cache keeps them so)."""
        return cls(**{name: data[name] for name in ("document", "locale", "policy", "total", "final", "published", "reason")},
                   missing=[Missing(**item) for item in data["missing"]], from_labels=list(data["from_labels"]))


@dataclass
class RenderReport(WriteReport):
    mode: str = "final"
    allow_incomplete: bool = False
    versions: list[VersionReport] = field(default_factory=list)
    #: Outputs of withheld versions removed so nothing stale stays publishable.
    removed: list[str] = field(default_factory=list)

    @property
    def withheld(self) -> list[VersionReport]:
        return [v for v in self.versions if not v.published]

    @property
    def failed(self) -> bool:
        """True when a final render withheld something and that was not allowed."""
        return self.mode == "final" and bool(self.withheld) and not self.allow_incomplete

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "written": list(self.written),
            "unchanged": list(self.unchanged),
            "removed": list(self.removed),
            "notes": list(self.notes),
            "versions": [v.as_dict() for v in self.versions],
        }


#: Up to this many written files are listed one per line; more are counted.
LIST_LIMIT = 20


def summary_lines(report: RenderReport, *, verbose: bool = False) -> list[str]:
    """What ``render`` and ``build`` print: one line per withheld or fallback version, not per message.

    Complete versions are counted in one line; the per-message list (and every
    file written) comes with ``verbose``, or from ``status --missing``.
    """
    lines: list[str] = []
    if verbose or len(report.written) <= LIST_LIMIT:
        lines.extend(f"wrote {path}" for path in report.written)
    else:
        lines.append(f"wrote {len(report.written)} file(s) (--verbose lists them)")
    if report.unchanged:
        lines.append(f"{len(report.unchanged)} file(s) already up to date")
    lines.extend(f"removed {path} (its language version is withheld now)" for path in report.removed)
    lines.extend(f"note: {note}" for note in report.notes)
    complete = 0
    for version in report.versions:
        if version.published and not version.missing:
            complete += 1
            if not verbose:
                continue
        verb = "published" if version.published else "WITHHELD"
        lines.append(f"{verb} {version.document} [{version.locale}] (policy {version.policy}): {version.reason}")
        if verbose and version.missing and (not version.published or report.mode == "final"):
            shown = "missing" if not version.published else "shown in the source language"
            lines.extend(f"  {shown}: {item.key} ({item.why}) {item.reference}" for item in version.missing)
    if complete and not verbose:
        lines.append(f"published {complete} complete language version(s)")
    return lines


# --- rendering ---------------------------------------------------------------


def output_path(out: Path, document: str, layout: str, locales: tuple[str, ...], fmt: str, mode: str) -> Path:
    """``out/<doc-id>/<layout>/<locales>.<fmt>`` (``document`` is ``pages/<id>`` for a page; previews under ``out/preview/``)."""
    name = "-".join(locales)
    if mode == "preview":
        return out / "preview" / document / layout / f"{name}.preview.{fmt}"
    return out / document / layout / f"{name}.{fmt}"


def calendar_path(out: Path, document: str, locale: str) -> Path:
    return out / document / f"event.{locale}.ics"


@dataclass
class _Prepared:
    """One document read and judged: its entries and what its policy lets out, per language."""

    doc: Document
    targets: list[str]
    entries: dict[str, dict[str, Entry]]
    standard: dict[str, dict[str, str]]
    published: dict[str, bool]
    placeholders: dict[str, dict[str, str]]
    ui: dict[str, dict[str, str]]
    #: Cells shared by every page of this document (see :func:`layout.build_page`).
    cells: dict[tuple[str, str, bool], Cell] = field(default_factory=dict)
    #: Pages built so far, without calendar links, by (two columns, locales, withheld): every format reuses one.
    pages: dict[tuple[bool, tuple[str, ...], tuple[str, ...]], Page] = field(default_factory=dict)

    def shows(self, code: str) -> bool:
        return code == self.doc.lang or (code in self.targets and self.published.get(code, False))


@dataclass
class _Source:
    """A document (or page of ``pages:``) of this render: parsed, or (``document`` None) reused from the render cache as it is."""

    path: Path
    document: Document | None
    #: The cache's record when nothing it depends on changed.
    unit: Unit | None = None
    #: What this run read (stamps taken before reading; whole-project renders only) and wrote for it, to be recorded.
    #: Files written are stamped by their content's hash alone until :func:`_remember` stamps them on disk.
    done: Unit = field(default_factory=Unit)

    @property
    def id(self) -> str:
        return self.done.id


def render_project(
    config: Config,
    *,
    document: str | None = None,
    page: str | None = None,
    locale: str | None = None,
    mode: str = "final",
    formats: tuple[str, ...] | list[str] | None = None,
    layouts: tuple[str, ...] | list[str] | None = None,
    out: Path | None = None,
    allow_incomplete: bool = False,
    use_cache: bool = True,
    documents: list[Document] | None = None,
    jobs: int = 1,
) -> RenderReport:
    """Render documents and pages to ``out`` (default ``config.output_path``); see the module docstring.

    With neither ``document`` nor ``page``: every document and every page of
    ``pages:``. With either or both: only those.

    A whole-project render is incremental (:mod:`i18n_pipeline.publish.cache`):
    a document whose source and catalogs are unchanged and whose files are as
    it wrote them is neither read nor rendered, and the report and files are
    what a full render gives. ``use_cache=False`` renders everything (and
    records the result for the next run). ``documents``: the project's documents
    when the caller has loaded them already (for a ``document`` or ``page`` render).
    ``jobs``: processes rendering documents side by side (1: all in this one);
    the files and the report are the same.
    """
    from i18n_pipeline.project import load_documents, select_documents

    if mode not in MODES:
        raise PipelineError(f"unknown mode '{mode}' (use final or preview)")
    settings = render_settings(config)
    chosen_layouts = _choose(layouts, settings.layouts, LAYOUTS, "layout")
    chosen_formats = _choose(formats, settings.formats, FORMATS, "format")
    wanted = wanted_locale(config, locale)
    out_dir = Path(out) if out is not None else config.output_path
    cache: RenderCache | None = None
    if document is None and page is None:
        options = {"mode": mode, "layouts": list(chosen_layouts), "formats": list(chosen_formats), "locale": wanted,
                   "out": str(out_dir.resolve()), "allow_incomplete": allow_incomplete}
        cache = RenderCache.load(config, options, read=use_cache)
        plan = _plan(config, cache)
    else:
        documents = documents if documents is not None else load_documents(config)
        plan = [_Source(config.root / doc.path, doc, done=Unit(id=doc.id, lang=doc.lang)) for doc in documents]
    by_id = {item.id: item for item in plan}
    pages = _chosen_pages(config, page, document is None)
    if document is not None:
        assert documents is not None
        chosen = [by_id[doc.id] for doc in select_documents(documents, document)]
    elif page is not None:
        chosen = []
    else:
        chosen = plan
    needed = {item.id: item for item in chosen}
    for spec in pages:
        needed.update((doc_id, by_id[doc_id]) for doc_id in spec.documents)
    report = RenderReport(mode=mode, allow_incomplete=allow_incomplete)
    prepared: dict[str, _Prepared] = {}

    def ready_of(item: _Source) -> _Prepared:
        """A document of a page, read (again, when it was reused or let go) and judged with its report part discarded."""
        if item.id not in prepared:
            from i18n_pipeline.sources.documents import load_document

            item.document = item.document or load_document(item.path, config)
            prepared[item.id] = _prepare(config, settings, item.document, mode, wanted, RenderReport(mode=mode))
        return prepared[item.id]

    # Compiled templates are kept beside the cache, in a folder of the cache's key (the tool's code, templates, options).
    run = _Run(config, settings, mode, wanted, chosen_layouts, chosen_formats, out_dir, config.project_name if config.project_name != "i18n-pipeline" else "",
               mode == "final" and "html" in chosen_formats, cache.path.parent / f"templates-{cache.key[:16]}" if cache is not None else None)
    templates = _Templates(config, run.bytecode)
    outputs: list[tuple[Path | str, bool | None]] = []  # whether it changed; None: reused from the cache, unchanged on disk
    stale: list[Path | str] = []
    calendars: list[tuple[Path | str, bool | None]] = []  # listed after every page, as they are written after them
    stale_calendars: list[Path | str] = []
    # Every page the run could write is checked before the first temp file; pages go to temp files
    # as they are rendered and replace their targets only once all are rendered (see fileio.Staging).
    fresh = {item.id: (item.document, _targets(config, item.document, wanted)) for item in needed.values() if item.document is not None}
    check_writable(_possible_outputs(config, [fresh[item.id] for item in chosen if item.id in fresh], list(fresh.values()), pages,
                                     chosen_layouts, chosen_formats, mode, wanted, out_dir), config.root)
    del fresh  # the documents are let go one by one below
    for fmt in chosen_formats:
        templates.template(fmt)  # a syntax error stops the run here, and worker processes find the templates compiled
    staging = Staging()
    chosen_ids = {item.id for item in chosen}
    in_pages = {doc_id for spec in pages for doc_id in spec.documents}
    todo = [item for item in needed.values() if item.unit is None]
    pool = _Pool(run, min(jobs, len(todo))) if jobs > 1 and len(todo) > 1 else None

    def work() -> Iterator[tuple[Document, Unit, bool]]:
        """Each document to render, let go by its source once sent (only the documents of pages are kept)."""
        for item in todo:
            assert item.document is not None
            yield item.document, item.done, item.id in chosen_ids
            if item.id not in in_pages:
                item.document = None

    try:
        rendered = pool.map(work(), staging) if pool is not None else (_render_document(run, templates, staging, *args) for args in work())
        for item in needed.values():
            changed: list[bool] = []
            if item.unit is None:
                item.done, changed = next(rendered)
            unit = item.unit or item.done
            report.versions.extend(VersionReport.from_dict(data) for data in unit.versions)
            report.notes.extend(unit.notes)
            flags = iter(changed)
            if item.id in chosen_ids:
                outputs.extend((path, next(flags, None)) for path in unit.outputs)
                stale.extend(unit.stale)
            if run.with_calendars:
                calendars.extend((path, next(flags, None)) for path in unit.calendars)
                stale_calendars.extend(unit.stale_calendars)

        page_units: dict[str, _Source] = {}
        for spec in pages:
            members = [by_id[doc_id] for doc_id in spec.documents]
            built = page_units[spec.id] = _Source(config.root, None, done=Unit(id=spec.id))
            if cache is not None:
                built.done.inputs = {path: Stamp(stamp.hash, 0, 0, 0) if stamp is not None else None
                                     for member in members for path, stamp in member.done.inputs.items()}
                built.unit = cache.reusable(f"page:{spec.id}", built.done.inputs)
                if built.unit is not None:
                    outputs.extend((path, None) for path in built.unit.outputs)
                    stale.extend(built.unit.stale)
                    report.notes.extend(built.unit.notes)
                    continue
            parts_of = [ready_of(member) for member in members]
            page_flags: list[bool] = []
            source = config.source_locale
            targets = [code for code in config.locales if code != source]
            for layout in chosen_layouts:
                for locales in _combinations(source, targets, layout, wanted):
                    for fmt in chosen_formats:
                        path = output_path(out_dir, f"pages/{spec.id}", layout, locales, fmt, mode)
                        shown_in = page_languages([{c for c in locales if ready.shows(c)} for ready in parts_of], locales)
                        composed = None  # None: a whole language half would be empty
                        if shown_in is not None:
                            parts = [
                                _part(ready, layout, codes, mode, out_dir, path, with_calendar=fmt == "html",
                                      withheld=tuple(c for c in locales if c not in codes))
                                for ready, codes in zip(parts_of, shown_in) if codes
                            ]
                            languages = tuple(_language(code, parts_of, parts) for code in locales)
                            composed = compose(spec.id, layout, mode, languages, parts, _title(parts[0].title, run.site))
                        _emit(run, templates, staging, built.done, path, composed, fmt, page_flags)
            outputs.extend(zip(built.done.outputs, page_flags))
            stale.extend(built.done.stale)
            templates.forget()
            notes = len(report.notes)
            for ready in parts_of:
                left_out = [c for c in config.locales if not ready.shows(c) and (wanted is None or c == wanted)]
                if left_out:
                    report.notes.append(f"page {spec.id}: {ready.doc.id} left out of its {', '.join(left_out)} half (withheld by its policy)")
            built.done.notes = report.notes[notes:]
        outputs.extend(calendars)
        stale.extend(stale_calendars)
        staging.commit()
        shown = RelativePaths(config, [out_dir])
        for target, flag in outputs:
            # A reused file is as it was written (its stamp was checked), so a full render would find it unchanged.
            report.add(shown(target), bool(flag))
        for target in stale:
            if os.path.exists(target):
                os.unlink(target)
                report.removed.append(shown(target))
    finally:
        if pool is not None:
            pool.close(staging)
        staging.discard()
    if cache is not None:
        _remember(cache, plan, page_units)
    return report


@dataclass(frozen=True)
class _Run:
    """What every document of one render shares (a worker process is given it once)."""

    config: Config
    settings: RenderSettings
    mode: str
    wanted: str | None
    layouts: tuple[str, ...]
    formats: tuple[str, ...]
    out_dir: Path
    #: The project's name, shown after each page's title.
    site: str
    with_calendars: bool
    #: Where compiled templates are kept (see :class:`_Templates`).
    bytecode: Path | None


def _emit(run: _Run, templates: _Templates, staging: Staging, done: Unit, path: Path, composed: ComposedPage | None, fmt: str,
          changed: list[bool]) -> None:
    """``composed`` staged for ``path`` and recorded in ``done``, or ``path`` marked to be removed (None: its version is withheld)."""
    if composed is None:
        done.stale.append(str(path))
    else:
        flag, hashed = staging.stage(path, templates.render(composed, fmt, run.settings.text_width))
        changed.append(flag)
        done.outputs[str(path)] = Stamp(hashed, 0, 0, 0)


def _render_document(run: _Run, templates: _Templates, staging: Staging, doc: Document, done: Unit, chosen: bool) -> tuple[Unit, list[bool]]:
    """One document read, judged and staged: ``done`` with its files and report part, and whether each file (then calendar) changed.

    ``chosen``: its own pages are wanted (else only its calendars, for a page of ``pages:`` that holds it).
    """
    report = RenderReport(mode=run.mode)
    ready = _prepare(run.config, run.settings, doc, run.mode, run.wanted, report)
    done.versions, done.notes = [v.as_dict() for v in report.versions], report.notes
    changed: list[bool] = []
    for layout in run.layouts if chosen else ():
        for locales in _combinations(doc.lang, ready.targets, layout, run.wanted):
            for fmt in run.formats:
                path = output_path(run.out_dir, doc.id, layout, locales, fmt, run.mode)
                composed = None
                if all(ready.shows(code) for code in locales):
                    part = _part(ready, layout, locales, run.mode, run.out_dir, path, with_calendar=fmt == "html")
                    composed = compose(doc.id, layout, run.mode, part.languages, [part], _title(part.title, run.site))
                _emit(run, templates, staging, done, path, composed, fmt, changed)
    for code in (doc.lang, *ready.targets) if run.with_calendars and doc.event is not None else ():
        path = calendar_path(run.out_dir, doc.id, code)
        if ready.shows(code):
            flag, hashed = staging.stage(path, _calendar(ready, code, run.settings.text_width))
            changed.append(flag)
            done.calendars[str(path)] = Stamp(hashed, 0, 0, 0)
        else:
            done.stale_calendars.append(str(path))
    templates.forget()
    return done, changed


#: In a worker process of :class:`_Pool`: the run and its templates.
_worker: tuple[_Run, _Templates] | None = None


def _start_worker(run: _Run) -> None:
    global _worker
    _worker = (run, _Templates(run.config, run.bytecode))


def _render_in_worker(doc: Document, done: Unit, chosen: bool) -> tuple[Unit, list[bool], list[tuple[str, Path]], list[Path]]:
    """:func:`_render_document` in a worker process; its temp files are handed to the parent's staging."""
    assert _worker is not None
    run, templates = _worker
    staging = Staging()
    try:
        done, changed = _render_document(run, templates, staging, doc, done, chosen)
    except BaseException:
        staging.discard()
        raise
    return done, changed, staging.pending, staging.folders


class _Pool:
    """Documents rendered by ``jobs`` worker processes (``concurrent.futures``), results taken in project order.

    Each worker stages its files as temp files beside their targets; the
    parent adopts them into its own :class:`fileio.Staging` as results come
    in, so the renames (or, after an error, the clean-up) happen in one place.
    """

    def __init__(self, run: _Run, jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.executor = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(run,))
        self.futures: list[Any] = []
        self.taken = 0

    def map(self, work: Iterable[tuple[Document, Unit, bool]], staging: Staging) -> Iterator[tuple[Unit, list[bool]]]:
        self.futures = [self.executor.submit(_render_in_worker, *args) for args in work]
        for future in self.futures:
            self.taken += 1
            done, changed, pending, folders = future.result()
            staging.adopt(pending, folders)
            yield done, changed

    def close(self, staging: Staging) -> None:
        """Wait for the workers; temp files of results not taken (after an error) go to ``staging`` to be discarded."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        for future in self.futures[self.taken:]:
            if not future.cancelled() and future.exception() is None:
                staging.adopt(*future.result()[2:])


def _possible_outputs(
    config: Config, documents: list[tuple[Document, list[str]]], calendars: list[tuple[Document, list[str]]], pages: Sequence[PageConfig],
    layouts: tuple[str, ...], formats: tuple[str, ...], mode: str, wanted: str | None, out_dir: Path,
) -> list[Path]:
    """Every file a render may write (published or not): what :func:`check_writable` checks before the first one.

    ``documents``: each document with its target languages; ``calendars``: those whose event files may be written.
    """
    paths: list[Path] = []
    for doc, targets in documents:
        for layout in layouts:
            for locales in _combinations(doc.lang, targets, layout, wanted):
                paths.extend(output_path(out_dir, doc.id, layout, locales, fmt, mode) for fmt in formats)
    targets = [code for code in config.locales if code != config.source_locale]
    for spec in pages:
        for layout in layouts:
            for locales in _combinations(config.source_locale, targets, layout, wanted):
                paths.extend(output_path(out_dir, f"pages/{spec.id}", layout, locales, fmt, mode) for fmt in formats)
    if mode == "final" and "html" in formats:
        for doc, targets in calendars:
            if doc.event is not None:
                paths.extend(calendar_path(out_dir, doc.id, code) for code in (doc.lang, *targets))
    return paths


def _plan(config: Config, cache: RenderCache) -> list[_Source]:
    """Every source in project order: reused ones from the cache, the others read (stamps first) and parsed."""
    from i18n_pipeline.config import check_configured_documents, source_files
    from i18n_pipeline.manifest import stamp_file
    from i18n_pipeline.project import target_locales
    from i18n_pipeline.sources.documents import claim_id, load_document
    from i18n_pipeline.sources.yamlio import read_bytes

    planned: list[_Source] = []
    seen: dict[str, tuple[str, str]] = {}
    relative = RelativePaths(config, [config.source_path])
    for path in source_files(config):
        shown = relative(path)
        unit = cache.reusable(f"doc:{path}")
        if unit is not None:
            item = _Source(path, None, unit, Unit(inputs=dict(unit.inputs), id=unit.id, lang=unit.lang))
        else:
            try:
                info: os.stat_result | None = path.stat()
            except OSError:
                info = None
            data = read_bytes(path, shown)
            document = load_document(path, config, data)
            item = _Source(path, document, done=Unit(id=document.id, lang=document.lang))
            if info is not None:
                item.done.inputs[str(path)] = stamp_file(path, data, info)
            item.done.inputs.update(read_inputs(config.po_path(code, document.id) for code in target_locales(config, document)))
        claim_id(seen, item.id, shown)
        planned.append(item)
    check_configured_documents(config, [item.id for item in planned])
    return planned


def _remember(cache: RenderCache, plan: list[_Source], pages: dict[str, _Source]) -> None:
    """Record what this render read and wrote; a unit whose files cannot be stamped is left out (rebuilt next time)."""
    import time

    started = time.time_ns()
    units: dict[str, Unit] = {}
    for name, item in [*((f"doc:{s.path}", s) for s in plan), *((f"page:{page_id}", s) for page_id, s in pages.items())]:
        if item.unit is not None:
            units[name] = item.unit
            continue
        done = item.done
        stamps = {path: stamp_written(path, stamp.hash) for files in (done.outputs, done.calendars) for path, stamp in files.items()}
        found = {path: stamp for path, stamp in stamps.items() if stamp is not None}
        if done.inputs and len(found) == len(stamps):
            done.outputs, done.calendars = {path: found[path] for path in done.outputs}, {path: found[path] for path in done.calendars}
            units[name] = done
    cache.save(units, started)


def check_render_ready(config: Config, documents: list[Document], extra: list[Path]) -> None:
    """What ``build`` checks before its first write: templates compile and every output can be written.

    Covers every page ``render`` could write with the configured layouts and
    formats (published or not), plus ``extra`` files such as the status page;
    and renders the first document into a temporary folder, so a template that
    fails at run time (an undefined name in a project override) stops the
    build before anything is written.
    """
    import tempfile

    from i18n_pipeline.project import target_locales

    settings = render_settings(config)
    templates = _Templates(config)
    for fmt in settings.formats:
        templates.template(fmt)
    with_targets = [(doc, target_locales(config, doc)) for doc in documents]
    paths = _possible_outputs(config, with_targets, with_targets, config.pages, settings.layouts, settings.formats, "final", None, config.output_path)
    check_writable([*paths, *extra], config.root)
    if documents:
        with tempfile.TemporaryDirectory(prefix="i18n-pipeline-trial-") as trial:
            render_project(config, document=documents[0].id, out=Path(trial), allow_incomplete=True, documents=documents)


def page_languages(published: list[set[str]], locales: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """Each document's languages in a page file of ``locales`` (page order), or None when the file is withheld.

    ``published[i]`` holds the languages document ``i``'s policy lets out
    (its own language always). A document is in a language's half only where
    it is published; a file is written only when every one of its languages
    has at least one document.
    """
    shown = [tuple(code for code in locales if code in codes) for codes in published]
    if not all(any(code in codes for codes in shown) for code in locales):
        return None
    return shown


def publishing(config: Config) -> list[VersionReport]:
    """What a final render would publish, per document and language, and why; writes nothing."""
    from i18n_pipeline.project import load_documents

    settings = render_settings(config)
    report = RenderReport()
    for doc in load_documents(config):
        _prepare(config, settings, doc, "final", None, report)
    return report.versions


def _language(code: str, parts_of: list[_Prepared], parts: list[Page]) -> Language:
    """Column ``code`` of a page of ``pages:``: the first document's interface labels (they only depend on the language)."""
    labels = parts_of[0].ui.get(code) or _ui(code, parts_of[0].doc.lang)
    fallback = any(part.languages[i].has_fallback for part in parts for i in [part.index(code)] if i is not None)
    return Language(code=code, name=labels.get("language", code), labels=labels, has_fallback=fallback)


def _title(title: str, site: str) -> str:
    return f"{title} — {site}" if site and site not in title else title


def _chosen_pages(config: Config, page: str | None, all_pages: bool) -> list[PageConfig]:
    """The configured pages to render (that they name existing documents was checked when the documents were read)."""
    from i18n_pipeline.sources.yamlio import suggest

    if page is None:
        return list(config.pages) if all_pages else []
    chosen = [spec for spec in config.pages if spec.id == page]
    if not chosen:
        known = [spec.id for spec in config.pages]
        hint = suggest(page, known) if known else " (the config has no 'pages:' section)"
        raise PipelineError(f"no page with id '{page}'{hint}", config_path(config))
    return chosen


def _targets(config: Config, doc: Document, wanted: str | None) -> list[str]:
    """The languages ``doc`` is rendered in besides its own (only ``wanted`` when one is)."""
    from i18n_pipeline.project import target_locales

    targets = target_locales(config, doc)
    return targets if wanted is None or wanted == doc.lang else [t for t in targets if t == wanted]


def _prepare(config: Config, settings: RenderSettings, doc: Document, mode: str, wanted: str | None, report: RenderReport) -> _Prepared:
    from i18n_pipeline.project import read_catalog
    from i18n_pipeline.publish.layout import entries_from_messages

    targets = _targets(config, doc, wanted)
    entries: dict[str, dict[str, Entry]] = {}
    standard: dict[str, dict[str, str]] = {}
    published: dict[str, bool] = {doc.lang: True}
    for target in targets:
        path = config.po_path(target, doc.id)
        catalog = read_catalog(config, path)
        if catalog is None:
            report.notes.append(f"{config.relative(path)} does not exist yet (run 'i18n-pipeline update'); {target} is all missing")
        entries[target] = entries_from_messages(doc, catalog.by_key() if catalog is not None else {})
        standard[target] = _standard_labels(doc, target) if settings.standard_labels else {}
        cov = coverage(doc, target, entries[target], standard[target])
        policy = settings.policy_for(doc)
        decision = decide(policy, cov) if mode == "final" else Decision(True, f"{cov.final}/{cov.total} final ({format_percent(cov.percent)}); preview shows drafts")
        published[target] = decision.publish
        report.versions.append(VersionReport(doc.id, target, str(policy), cov.total, cov.final, decision.publish, decision.reason,
                                             list(cov.missing), list(cov.from_labels)))
        if cov.from_labels:
            report.notes.append(f"{doc.id} [{target}]: {len(cov.from_labels)} message(s) from the tool's reviewed standard labels")
    for link in doc.links:
        if link.url is None:
            report.notes.append(f"{doc.path}: link '{link.id}' has no url yet; its label is shown without a link")
    all_locales = (doc.lang, *targets)
    placeholders = {code: _placeholders(doc, code) for code in all_locales}
    ui = {code: _ui(code, doc.lang) for code in all_locales}
    return _Prepared(doc, targets, entries, standard, published, placeholders, ui)


def _part(ready: _Prepared, layout: str, locales: tuple[str, ...], mode: str, out_dir: Path, path: Path, *,
          with_calendar: bool, withheld: tuple[str, ...] = ()) -> Page:
    """One document's part of an output file, with links to its calendar files when HTML."""
    from i18n_pipeline.publish.layout import build_page

    calendars: dict[str, str] = {}
    if with_calendar and mode == "final" and ready.doc.event is not None:
        for code in locales:
            target = calendar_path(out_dir, ready.doc.id, code)
            calendars[code] = Path(os.path.relpath(target, path.parent)).as_posix()
    # Interleaved and side-by-side pages hold the same rows (two columns: a fallback shows only its note).
    key = (layout in ("interleaved", "side-by-side"), locales, withheld)
    page = ready.pages.get(key)
    if page is None:
        page = ready.pages[key] = build_page(ready.doc, layout, locales, ready.entries, mode=mode, labels=ready.standard,
                                             placeholders=ready.placeholders, ui=ready.ui, withheld=withheld, memo=ready.cells)
    return replace(page, layout=layout, calendars=calendars) if calendars or page.layout != layout else page


def _calendar(ready: _Prepared, code: str, width: int) -> str:
    """The ``.ics`` of ``ready``'s event in ``code``: the published title and body of that language."""
    from i18n_pipeline.publish.calendar import event_calendar
    from i18n_pipeline.publish.layout import build_page

    assert ready.doc.event is not None
    single = build_page(ready.doc, "single", (code,), ready.entries, labels=ready.standard, placeholders=ready.placeholders, ui=ready.ui,
                        memo=ready.cells)
    title = single.rows[0].cells[0].text
    # Paragraphs still in the source language are left out: the description is tagged with ``code``.
    paragraphs = [txt_inline(row.cells[0]) for row in single.rows[1:]
                  if row.kind in ("paragraph", "footer", "note") and row.cells[0].state != FALLBACK]
    url = next((link.url for link in ready.doc.links if link.url), None)
    for row in single.rows:
        if row.kind == "link" and row.url:
            paragraphs.append(f"{row.cells[0].text}: {row.url.removeprefix('mailto:')}")
    return event_calendar(ready.doc.event, uid=f"{ready.doc.id}@i18n-pipeline", locale=code, title=title,
                          description="\n\n".join(paragraphs), url=url)


def _choose(given: Any, configured: tuple[str, ...], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not given:
        return configured
    chosen = tuple(dict.fromkeys(given))
    for value in chosen:
        if value not in allowed:
            raise PipelineError(f"unknown {what} '{value}' (use one of: {', '.join(allowed)})")
    return chosen


def _combinations(source: str, targets: list[str], layout: str, wanted: str | None) -> list[tuple[str, ...]]:
    if layout in BILINGUAL:
        return [(source, target) for target in targets]
    singles = [source, *targets] if wanted in (None, source) else list(targets)
    return [(code,) for code in singles]


def _standard_labels(document: Document, locale: str) -> dict[str, str]:
    from . import labels

    if document.lang.split("_")[0] != "en":
        return {}  # the UI catalog's msgids are English
    return {s.text: found for s in document.segments if (found := labels.standard_label(locale, s.text)) is not None}


def _placeholders(document: Document, locale: str) -> dict[str, str]:
    """What fills ``{name}`` in ``locale``: the document's ``values:``, then its event's phrases."""
    from i18n_pipeline.publish.schedule import format_event

    found = {name: value for name in document.values if (value := document.value(name, locale)) is not None}
    if document.event is None:
        return found
    schedule = format_event(document.event, locale)
    return {**found, **schedule.placeholders()}


def _ui(locale: str, source: str) -> dict[str, str]:
    from . import labels

    source_name = labels.language_name(source, locale)
    return {
        "language": labels.autonym(locale),
        "banner": labels.gettext(locale, "Preview — needs review"),
        "banner_note": labels.gettext(locale, "This is a preview for reviewers. Do not publish it."),
        "draft": labels.gettext(locale, "Draft — needs review"),
        "fuzzy": labels.gettext(locale, "Not confirmed — check against the source"),
        "fallback_note": labels.gettext(locale, "Shown in {language}: no reviewed translation yet").format(language=source_name),
        "in_source": labels.gettext(locale, "in {language}").format(language=source_name),
        "link_pending": labels.gettext(locale, "link coming soon"),
        "calendar": labels.gettext(locale, "Add to calendar"),
        "version": labels.gettext(locale, "{language} version").format(language=labels.language_name(locale, locale)),
    }


# --- templates ---------------------------------------------------------------


class _Templates:
    """Jinja2 with the project's ``templates/`` first, then the package's; HTML autoescaped.

    Made on first use (a render with nothing to rebuild never loads Jinja2); the stylesheet
    is read once, and no template file is looked at again in a run. ``bytecode``: a folder where compiled
    templates are kept between runs (Jinja2 checks each against its
    template's source), so an incremental render does not compile them again.
    """

    def __init__(self, config: Config, bytecode: Path | None = None) -> None:
        from i18n_pipeline.publish.fragments import Layouts

        self.config = config
        self.bytecode = bytecode
        self.layouts = Layouts()
        self._environment: Any = None
        self._stylesheet = ""

    def forget(self) -> None:
        """Called after each document or page: its cells are not shown again."""
        self.layouts.forget()

    def template(self, fmt: str) -> Any:
        """The page template of ``fmt``; a syntax error is one line naming its file and line."""
        import jinja2

        if self._environment is None:
            from i18n_pipeline.publish.fragments import FILTERS

            loaders: list[jinja2.BaseLoader] = []
            if (self.config.root / self.config.templates_dir).is_dir():
                loaders.append(jinja2.FileSystemLoader(str(self.config.root / self.config.templates_dir)))
            loaders.append(jinja2.PackageLoader("i18n_pipeline.publish", "templates"))
            cache = None
            if self.bytecode is not None:
                try:
                    self.bytecode.mkdir(parents=True, exist_ok=True)
                    cache = jinja2.FileSystemBytecodeCache(str(self.bytecode))
                except OSError:
                    pass  # no cache folder: templates are compiled each run
            self._environment = jinja2.Environment(
                loader=jinja2.ChoiceLoader(loaders), autoescape=lambda name: name is not None and name.endswith((".html.j2", ".html")),
                undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=cache, auto_reload=False,
            )
            self._environment.globals.update(self.layouts.globals())
            self._environment.filters.update(FILTERS)
        name = f"render/page.{fmt}.j2"
        try:
            return self._environment.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise PipelineError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from exc

    def render(self, page: ComposedPage, fmt: str, width: int) -> str:
        import jinja2

        template = self.template(fmt)
        if fmt == "html" and not self._stylesheet:
            self._stylesheet = self._environment.loader.get_source(self._environment, "render/style.css")[0]
        try:
            text = template.render(page=page, width=width, stylesheet=self._stylesheet if fmt == "html" else "")
        except jinja2.TemplateSyntaxError as exc:
            raise PipelineError(f"template error: {exc.message}", exc.filename or template.name, exc.lineno) from exc
        except jinja2.TemplateError as exc:
            raise PipelineError(f"template error: {exc}", template.name) from exc
        return _tidy(text)


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
