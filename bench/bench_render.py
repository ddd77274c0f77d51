"""Benchmark: ``i18n-pipeline render`` cold, with nothing changed, and with one document changed.

Generates bench_update's project (N FAQ documents x ~M messages, the same
generator), runs ``update``, then gives Spanish a final fake translation for
almost everything: every tenth document keeps 10% of its messages untranslated
(published with marked fallbacks under the default 80% policy) and every tenth
other one has 40% fuzzy (withheld), so the report's fallback and withheld paths
are part of the work. The config composes the first two documents into a page
of ``pages:``. Then it times whole-process ``render --allow-incomplete``
(every layout and format, as ``render`` and ``build`` do by default):

- **cold**: no render cache and no ``out/``: every page built and written;
- **no-op**: the same again, nothing changed;
- **one document**: one translation of one catalog changed (a translator's edit);
- **withdrawn**: one translation of a published document made fuzzy below its
  threshold, so its Spanish pages must be removed.

With ``--jobs N`` (N > 1) every run passes ``--jobs N``, and each cold round
also renders with one process, interleaved, so the two share the machine's load.

Side by side, the anchors: ``msgfmt -o /dev/null`` over every catalog (one
process per catalog, as a Makefile would: the cost of just reading them all),
and writing the bytes of ``out/`` again with plain ``write_bytes`` (the cost of
the output alone). Issue 14's targets on 400 x 250: cold <= 30 s, no-op <= 1 s,
one document <= 1.5 s.

Usage::

    python bench/bench_render.py [--docs 40] [--messages 250] [--seed N] [--repeat 3] [--cold-repeat 1] [--jobs N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_update import ENV, TextGenerator, Timing, _Timer, cli_command, fake_translation, generate_docs, write_project

from i18n_pipeline import project
from i18n_pipeline.config import load_config
from i18n_pipeline.gettext.pofile import read_po

LOCALE = "es"
#: Every tenth document from the third keeps this share untranslated (shown in English, marked).
FALLBACK_SHARE = 0.10
#: Every tenth document from the seventh has this share fuzzy (withheld under the 80% policy).
FUZZY_SHARE = 0.40
RENDER = ("render", "--allow-incomplete")


def log(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def make_project(root: Path, docs: int, messages: int, seed: int) -> dict[str, int]:
    """The generated project, updated and (mostly) translated; returns message counts by kind."""
    generated = generate_docs(docs, messages, TextGenerator(random.Random(seed)))
    root.mkdir(parents=True)
    pages = f"pages:\n  bundle:\n    documents: [{generated[0].name}, {generated[min(1, len(generated) - 1)].name}]\n"
    (root / "i18n-pipeline.yaml").write_text(f"project_name: bench\nsource_locale: en\nlocales: [en, es]\n{pages}", encoding="utf-8")
    write_project(root, generated)
    subprocess.run([*cli_command(), "--project", str(root), "update"], check=True, capture_output=True, env=ENV)
    return translate_mostly(root)


def translate_mostly(root: Path) -> dict[str, int]:
    """Final fake Spanish for every message but the fallback and fuzzy shares described above."""
    config = load_config(root)
    counts = {"final": 0, "untranslated": 0, "fuzzy": 0}
    for number, document in enumerate(project.load_documents(config), start=1):
        path = config.po_path(LOCALE, document.id)
        catalog = read_po(path)
        messages = [m for m in catalog.messages if not m.is_header and not m.obsolete]
        untranslated = round(FALLBACK_SHARE * len(messages)) if number % 10 == 3 else 0
        fuzzy = round(FUZZY_SHARE * len(messages)) if number % 10 == 7 else 0
        for index, message in enumerate(messages):
            if index >= len(messages) - untranslated:
                counts["untranslated"] += 1
                continue
            message.msgstr = fake_translation(message.msgid)
            message.fuzzy = index >= len(messages) - fuzzy
            counts["fuzzy" if message.fuzzy else "final"] += 1
        project.write_catalog(config, path, catalog)
    return counts


def edit_translation(root: Path, doc_id: str, salt: int, *, fuzzy: bool = False) -> None:
    """Change the first answer's translation in ``doc_id``'s Spanish catalog (final, or fuzzy)."""
    config = load_config(root)
    path = config.po_path(LOCALE, doc_id)
    catalog = read_po(path)
    message = next(m for m in catalog.messages if not m.is_header and "answer" in (m.msgctxt or m.msgid))
    message.msgstr = f"Editado{salt} {message.msgstr}"
    message.fuzzy = fuzzy
    project.write_catalog(config, path, catalog)


def withhold(root: Path, doc_id: str) -> None:
    """Make enough of ``doc_id``'s Spanish fuzzy that the 80% policy withholds it."""
    config = load_config(root)
    path = config.po_path(LOCALE, doc_id)
    catalog = read_po(path)
    messages = [m for m in catalog.messages if not m.is_header and not m.obsolete]
    for message in messages[: len(messages) // 4]:
        message.fuzzy = True
    project.write_catalog(config, path, catalog)


def render(root: Path, *extra: str) -> tuple[Timing, str]:
    with _Timer() as timing:
        done = subprocess.run([*cli_command(), "--project", str(root), *RENDER, *extra], capture_output=True, text=True, env=ENV)
    if done.returncode != 0:
        raise SystemExit(f"render failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return timing, done.stdout


def forget(root: Path) -> None:
    shutil.rmtree(root / "out", ignore_errors=True)
    shutil.rmtree(root / ".i18n-pipeline-cache" / "render", ignore_errors=True)


def msgfmt_all(root: Path) -> Timing:
    catalogs = sorted((root / "catalogs").rglob("*.po"))
    with _Timer() as timing:
        for path in catalogs:
            subprocess.run(["msgfmt", "-o", os.devnull, str(path)], check=True)
    return timing


def write_floor(root: Path, scratch: Path) -> tuple[float, int, int]:
    """Seconds to write every byte of ``out/`` again with plain writes; files, bytes."""
    files = [(p.relative_to(root / "out"), p.read_bytes()) for p in sorted((root / "out").rglob("*")) if p.is_file()]
    start = time.perf_counter()
    for relative, data in files:
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    seconds = time.perf_counter() - start
    shutil.rmtree(scratch)
    return seconds, len(files), sum(len(data) for _, data in files)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Results:
    docs: int
    messages: int
    counts: dict[str, int] = field(default_factory=dict)
    cold: list[Timing] = field(default_factory=list)
    #: Cold renders with one process, interleaved with ``cold`` (only with ``--jobs`` > 1).
    cold_serial: list[Timing] = field(default_factory=list)
    jobs: int = 1
    noop: list[Timing] = field(default_factory=list)
    one: list[Timing] = field(default_factory=list)
    withdrawn: Timing = field(default_factory=Timing)
    msgfmt: Timing = field(default_factory=Timing)
    write_floor: float = 0.0
    files: int = 0
    out_bytes: int = 0
    same_as_full: bool = True
    load: tuple[float, float] = (0.0, 0.0)


def _median(runs: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in runs), statistics.median(t.cpu for t in runs))


def run(args: argparse.Namespace, work: Path) -> Results:
    results = Results(args.docs, args.messages, jobs=args.jobs)
    jobs = ("--jobs", str(args.jobs))
    load_before = os.getloadavg()[0]
    root = work / "project"
    pristine = work / "pristine"
    if not (pristine / "counts.json").exists():  # --keep DIR from an earlier run: the same project again
        shutil.rmtree(pristine, ignore_errors=True)
        counts = make_project(pristine / "project", args.docs, args.messages, args.seed)
        (pristine / "counts.json").write_text(json.dumps(counts), encoding="utf-8")
    results.counts = json.loads((pristine / "counts.json").read_text(encoding="utf-8"))
    for folder in (root, work / "full"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(pristine / "project", root)
    log(f"project: {args.docs} documents, es messages {results.counts}")
    for round_ in range(args.cold_repeat):
        if args.jobs > 1:
            forget(root)
            timing, _ = render(root)
            results.cold_serial.append(timing)
            log(f"cold render {round_ + 1}, one process: {timing.wall:.2f} s wall, {timing.cpu:.2f} s CPU, load {os.getloadavg()[0]:.2f}")
        forget(root)
        timing, _ = render(root, *jobs)
        results.cold.append(timing)
        log(f"cold render {round_ + 1}: {timing.wall:.2f} s wall, {timing.cpu:.2f} s CPU, load {os.getloadavg()[0]:.2f}")
    results.msgfmt = msgfmt_all(root)
    log(f"msgfmt over every catalog: {results.msgfmt.wall:.2f} s")
    results.write_floor, results.files, results.out_bytes = write_floor(root, work / "scratch")
    log(f"writing {results.files} files ({results.out_bytes / 1e6:.0f} MB) again: {results.write_floor:.2f} s")
    first = cli_docs(root)[0]
    for round_ in range(args.repeat):
        timing, _ = render(root, *jobs)
        results.noop.append(timing)
        edit_translation(root, first, round_)
        timing, _ = render(root, *jobs)
        results.one.append(timing)
        log(f"round {round_ + 1}: no-op {results.noop[-1].wall:.2f} s, one document {timing.wall:.2f} s")
    withhold(root, first)
    results.withdrawn, _ = render(root, *jobs)
    log(f"one document withdrawn: {results.withdrawn.wall:.2f} s")
    # The incremental output must be what a full render writes.
    incremental = snapshot(root / "out")
    full = work / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("out", ".i18n-pipeline-cache"))
    render(full)  # one process: the workers' output must be what it writes
    results.same_as_full = snapshot(full / "out") == incremental
    results.load = (load_before, os.getloadavg()[0])
    return results


def cli_docs(root: Path) -> list[str]:
    return [doc.id for doc in project.load_documents(load_config(root))]


def report(r: Results) -> str:
    cold, noop, one = _median(r.cold), _median(r.noop), _median(r.one)
    lines = [
        f"render bench: {r.docs} documents x {r.messages} messages; {r.files} files, {r.out_bytes / 1e6:.0f} MB;"
        f" load average {r.load[0]:.2f} before, {r.load[1]:.2f} after",
        "",
        "| run | wall (median) | CPU (median) | runs (wall) |",
        "|---|---:|---:|---|",
        f"| cold (no cache, no out/){f', --jobs {r.jobs}' if r.jobs > 1 else ''} | {cold.wall:.2f} s | {cold.cpu:.2f} s | {', '.join(f'{t.wall:.2f}' for t in r.cold)} |",
        *([f"| cold, one process (interleaved) | {_median(r.cold_serial).wall:.2f} s | {_median(r.cold_serial).cpu:.2f} s |"
           f" {', '.join(f'{t.wall:.2f}' for t in r.cold_serial)} |"] if r.cold_serial else []),
        f"| no-op | {noop.wall:.2f} s | {noop.cpu:.2f} s | {', '.join(f'{t.wall:.2f}' for t in r.noop)} |",
        f"| one document changed | {one.wall:.2f} s | {one.cpu:.2f} s | {', '.join(f'{t.wall:.2f}' for t in r.one)} |",
        f"| one document withdrawn | {r.withdrawn.wall:.2f} s | {r.withdrawn.cpu:.2f} s | |",
        f"| anchor: msgfmt -o /dev/null, every catalog | {r.msgfmt.wall:.2f} s | {r.msgfmt.cpu:.2f} s | |",
        f"| anchor: write out/'s bytes again | {r.write_floor:.2f} s | | |",
        "",
        f"cold / msgfmt: {cold.wall / r.msgfmt.wall:.1f}x; cold / write floor: {cold.wall / max(r.write_floor, 1e-9):.1f}x;"
        f" no-op / msgfmt: {noop.wall / r.msgfmt.wall:.2f}x; files per second cold: {r.files / cold.wall:.0f}",
        *([f"cold, one process / --jobs {r.jobs}: {_median(r.cold_serial).wall / cold.wall:.2f}x wall (median)"] if r.cold_serial else []),
        f"incremental output byte-identical to a full render{' in one process' if r.jobs > 1 else ''}: {'yes' if r.same_as_full else 'NO'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=40, help="number of FAQ documents (default 40)")
    parser.add_argument("--messages", type=int, default=250, help="messages per document (default 250)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of no-op and one-document renders (default 3)")
    parser.add_argument("--cold-repeat", type=int, default=1, help="cold renders (default 1)")
    parser.add_argument("--jobs", type=int, default=1, help="render --jobs N; above 1, cold renders alternate with one process (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build everything in DIR and keep it; a DIR from an earlier run reuses its generated project")
    parser.add_argument("--prepare-only", action="store_true", help="only generate and translate the project (with --keep)")
    args = parser.parse_args(argv)
    if shutil.which("msgfmt") is None:
        parser.error("GNU msgfmt is not on PATH")
    if args.keep is not None:
        if args.keep.exists() and not (args.keep / "pristine").is_dir():
            parser.error(f"--keep {args.keep}: already exists and holds no earlier run of this bench")
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        if args.prepare_only:
            counts = make_project(work / "pristine" / "project", args.docs, args.messages, args.seed)
            (work / "pristine" / "counts.json").write_text(json.dumps(counts), encoding="utf-8")
            return 0
        results = run(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    return 0 if results.same_as_full else 1


if __name__ == "__main__":
    sys.exit(main())
