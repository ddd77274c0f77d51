"""Benchmark: ``i18n-pipeline update`` against GNU ``msgmerge --previous``.

Generates a project of N FAQ documents x ~M messages, translates it fully
(fake but deterministic Spanish), edits 10% of the paragraphs and adds 5%,
then times our whole-process ``update`` (which includes extract) side by side
with ``msgmerge --previous`` on the same old-PO/new-POT pairs, in interleaved
rounds: ours cold (no update cache: every document read and merged), msgmerge,
then on ours' output a no-op update and an update after one paragraph of one
document changed. Medians are compared, wall and CPU. Also the floor: the
fastest YAML load of every source plus reading and writing every PO/POT byte.
Goals (issue 14): cold at least 6x faster than msgmerge, no-op at most 0.3 s,
one document edited at most 0.5 s, and no translation lost.

Usage::

    python bench/bench_update.py [--docs 20] [--messages 500] [--seed N] [--keep DIR]

Correctness is judged per message key against the translated project before
the edit, for our output and msgmerge's alike: unchanged messages must keep
their translation as final, changed ones must keep it as fuzzy with the old
source as ``#| msgid``; new ones have no translation of their own to lose.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from i18n_pipeline import project
from i18n_pipeline.config import load_config
from i18n_pipeline.gettext.catalog import Catalog, Message
from i18n_pipeline.gettext.pofile import read_po

LOCALE = "es"
ANSWERS_PER_ITEM = 4
EDIT_SHARE = 0.10
ADD_SHARE = 0.05
PYBABEL_MESSAGES = 1000

# --------------------------------------------------------------------------
# Generated English-like text
# --------------------------------------------------------------------------

_WORDS = """
the of and to a in is that for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would when if so no will
more what out up can about into them some could time these two may then do first any like
now my such our over man me even most made after also did many before must through back years
where much your way well down should because each just those people how too little state good
very make world still own see men work long get here between both life being under never day
same another know while last might great old year off come since against go came right used
take three states himself few house use during without again place around however home small
found thought went say part once general high upon school every does got united left number
course war until always away something fact though water less public put think almost hand
enough far took head yet government system better set told nothing night end why called didn
eyes find going look asked later knew point next program city business give group toward young
let room president side social given present several order national possible rather second face
per among form important often things looking early white case john become large big need four
within felt along children saw best church ever least power development light thing seemed
family interest want members others mind country area done turned although open god service
certain kind problem began different door thus help sense means whole matter perhaps itself
york times human law line above name example action company hands local show whether five
history gave today either act feet across taken past quite anything seen having death week
experience body word half really field am car words already themselves information tell
together college shall money period held keep sure probably free seems real behind cannot
community crisis response support organizers learning space session questions answers
interpretation facilitators planning care safety training volunteers network partners
""".split()

_QUESTION_OPENERS = (
    "How do", "What is", "When can", "Why does", "Who will", "Can I", "Do we", "Where should",
    "Is there", "How often does", "What happens if", "Which of",
)


class TextGenerator:
    """Zipf-weighted word salad: English-shaped lengths, words and punctuation."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(_WORDS))]
        self._cum = list(_accumulate(weights))

    def words(self, count: int) -> list[str]:
        return self.rng.choices(_WORDS, cum_weights=self._cum, k=count)

    def sentence(self) -> str:
        words = self.words(self.rng.randint(8, 28))
        for _ in range(self.rng.randint(0, 2)):
            at = self.rng.randrange(2, len(words) - 1)
            words[at] = words[at] + ","
        text = " ".join(words).rstrip(",")
        return text[0].upper() + text[1:] + self.rng.choice(".....!")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 4)))

    def question(self) -> str:
        words = self.words(self.rng.randint(4, 12))
        return f"{self.rng.choice(_QUESTION_OPENERS)} {' '.join(words)}?"

    def edit(self, text: str) -> str:
        """The same text with two or three words replaced (a typical copy edit)."""
        words = text.split(" ")
        count = max(1, min(self.rng.randint(2, 3), len(words) // 4))
        while True:
            changed = list(words)
            for at in self.rng.sample(range(len(words)), count):
                word = self.words(1)[0]
                if changed[at][:1].isupper():
                    word = word.capitalize()
                changed[at] = word + re.sub(r"^[\w']+", "", changed[at])
            if changed != words:
                return " ".join(changed)


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


_SYLLABLES = ("la", "de", "que", "el", "en", "ción", "ra", "po", "mi", "tu", "se", "ca", "ri", "do", "ña", "sa")


def fake_translation(msgid: str) -> str:
    """A deterministic pseudo-Spanish rendering of ``msgid`` (same words -> same words)."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        code = zlib.crc32(token.lower().encode())
        out = "".join(_SYLLABLES[(code >> (4 * i)) & 15] for i in range(1 + len(token) // 4))
        return out.capitalize() if token[0].isupper() else out

    return "«" + re.sub(r"[A-Za-z']+", word, msgid) + "»"


# --------------------------------------------------------------------------
# The generated project
# --------------------------------------------------------------------------


@dataclass
class FaqItem:
    id: str
    question: str
    answers: list[str]


@dataclass
class FaqDoc:
    name: str
    title: str
    items: list[FaqItem]

    def segment_count(self) -> int:
        return 1 + sum(1 + len(item.answers) for item in self.items)

    def yaml(self) -> str:
        lines = [f"# Benchmark FAQ {self.name} (generated).", "kind: faq", f"title: {json.dumps(self.title)}", "items:"]
        for item in self.items:
            lines += [f"  - id: {item.id}", f"    question: {json.dumps(item.question)}", "    answer: |"]
            for index, paragraph in enumerate(item.answers):
                if index:
                    lines.append("")
                lines.append(f"      {paragraph}")
        return "\n".join(lines) + "\n"


def generate_docs(count: int, messages: int, gen: TextGenerator) -> list[FaqDoc]:
    per_item = 1 + ANSWERS_PER_ITEM
    items = max(1, messages // per_item)
    docs = []
    for number in range(1, count + 1):
        faq = [
            FaqItem(f"topic-{i:03d}", gen.question(), [gen.paragraph() for _ in range(ANSWERS_PER_ITEM)])
            for i in range(1, items + 1)
        ]
        docs.append(FaqDoc(f"faq-{number:02d}", f"Frequently asked questions, part {number}", faq))
    return docs


@dataclass
class EditSummary:
    edited: int = 0
    added_items: int = 0
    added_paragraphs: int = 0


def edit_docs(docs: list[FaqDoc], gen: TextGenerator) -> EditSummary:
    """Edit 10% of questions/paragraphs in place; add 5% as new items and appended paragraphs.

    New paragraphs are appended to an answer (inserting one mid-answer would
    renumber the keys after it, which is a different benchmark).
    """
    rng = gen.rng
    summary = EditSummary()
    for doc in docs:
        slots = [(item, None) for item in doc.items] + [(item, i) for item in doc.items for i in range(len(item.answers))]
        for item, index in rng.sample(slots, round(EDIT_SHARE * len(slots))):
            if index is None:
                item.question = gen.edit(item.question)
            else:
                item.answers[index] = gen.edit(item.answers[index])
            summary.edited += 1
        to_add = round(ADD_SHARE * doc.segment_count())
        new_items = to_add // (2 * (1 + ANSWERS_PER_ITEM))
        for n in range(new_items):
            at = rng.randrange(len(doc.items) + 1)
            doc.items.insert(at, FaqItem(f"added-{n + 1:03d}", gen.question(), [gen.paragraph() for _ in range(ANSWERS_PER_ITEM)]))
            summary.added_items += 1
            to_add -= 1 + ANSWERS_PER_ITEM
        for _ in range(to_add):
            rng.choice(doc.items).answers.append(gen.paragraph())
            summary.added_paragraphs += 1
    return summary


def write_project(root: Path, docs: list[FaqDoc]) -> None:
    (root / "source").mkdir(parents=True, exist_ok=True)
    config = root / "i18n-pipeline.yaml"
    if not config.exists():
        config.write_text("project_name: bench\nsource_locale: en\nlocales: [en, es]\n", encoding="utf-8")
    for doc in docs:
        (root / "source" / f"{doc.name}.yaml").write_text(doc.yaml(), encoding="utf-8")


def translate_all(root: Path) -> int:
    """Give every es message a final fake translation, written through our PO writer."""
    config = load_config(root)
    count = 0
    for document in project.load_documents(config):
        path = config.po_path(LOCALE, document.id)
        catalog = read_po(path)
        for message in catalog.messages:
            if message.is_header or message.obsolete:
                continue
            message.msgstr = fake_translation(message.msgid)
            message.fuzzy = False
            count += 1
        project.write_catalog(config, path, catalog)
    return count


# --------------------------------------------------------------------------
# Running the tools
# --------------------------------------------------------------------------


def cli_command() -> list[str]:
    """The console script next to this interpreter (a pyenv shim would add its own start-up)."""
    script = Path(sys.executable).parent / "i18n-pipeline"
    if script.exists():
        return [str(script)]
    found = shutil.which("i18n-pipeline")
    if found is None:
        raise SystemExit("i18n-pipeline is not installed (pip install -e .)")
    return [found]


@dataclass
class Timing:
    """Wall clock, and CPU seconds (user + system) of the child processes.

    The CPU figure is the steadier one on a shared machine: other work slows
    the wall clock of both tools but barely changes what each one computes.
    """

    wall: float = 0.0
    cpu: float = 0.0
    #: Peak resident memory of the process, MB (whole-process runs of ours only).
    rss_mb: float = 0.0


class _Timer:
    def __enter__(self) -> Timing:
        self.timing = Timing()
        self._wall = time.perf_counter()
        self._cpu = _children_cpu()
        return self.timing

    def __exit__(self, *exc: object) -> None:
        self.timing.wall = time.perf_counter() - self._wall
        self.timing.cpu = _children_cpu() - self._cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: Like a normal install: byte-code is cached (this sandbox sets PYTHONDONTWRITEBYTECODE=1,
#: which would recompile every module of ours on each run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_cli(root: Path, *args: str) -> tuple[Timing, str]:
    """Run our CLI as a whole process; its own rusage (``wait4``) gives CPU and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen([*cli_command(), "--project", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    timing = Timing(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"i18n-pipeline {' '.join(args)} failed ({code}):\n{output}")
    return timing, output


def in_process_update(root: Path) -> dict[str, float]:
    """extract + update through the Python API, timed per step (imports already warm)."""
    config = load_config(root)
    start = time.perf_counter()
    documents = project.load_documents(config)
    loaded = time.perf_counter()
    project.extract(config, documents)
    extracted = time.perf_counter()
    project.update(config, documents)
    updated = time.perf_counter()
    return {
        "load sources": loaded - start,
        "extract (POTs)": extracted - loaded,
        "update (POs)": updated - extracted,
        "total": updated - start,
    }


def run_msgmerge(pairs: list[tuple[Path, Path, Path]]) -> Timing:
    for _, _, out in pairs:
        out.parent.mkdir(parents=True, exist_ok=True)
    with _Timer() as timing:
        for old_po, pot, out in pairs:
            subprocess.run(["msgmerge", "--previous", "-q", "-o", str(out), str(old_po), str(pot)], check=True)
    return timing


_STAT_RE = re.compile(r"(\d+) (translated message|fuzzy translation|untranslated message)")


def msgfmt_statistics(paths: list[Path]) -> dict[str, int]:
    totals = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    names = {"translated message": "translated", "fuzzy translation": "fuzzy", "untranslated message": "untranslated"}
    for path in paths:
        done = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True, check=True)
        for number, kind in _STAT_RE.findall(done.stderr):
            totals[names[kind]] += int(number)
    return totals


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every project file but the update cache (git-ignored; a no-op may note there that files settled)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file() and ".i18n-pipeline-cache" not in p.parts
    }


# --------------------------------------------------------------------------
# Correctness
# --------------------------------------------------------------------------


@dataclass
class Outcome:
    """Per-key verdicts for one tool's output, judged against the project before the edit."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    unchanged_kept: int = 0
    unchanged_total: int = 0
    changed_kept_fuzzy: int = 0
    changed_total: int = 0
    changed_wrong_translation: int = 0
    changed_missing_previous: int = 0
    new_untranslated: int = 0
    new_prefilled: int = 0
    new_total: int = 0
    lost: int = 0
    lost_examples: list[str] = field(default_factory=list)


def judge(old: dict[str, Message], pot: dict[str, Message], output: Catalog, stats: dict[str, int]) -> Outcome:
    result = Outcome(**stats)
    result.obsolete = sum(1 for m in output.messages if m.obsolete)
    produced = output.by_key()
    for key, source in pot.items():
        message = produced.get(key)
        before = old.get(key)
        if before is None:
            result.new_total += 1
            if message is not None and message.msgstr:
                result.new_prefilled += 1
            else:
                result.new_untranslated += 1
            continue
        if message is None or message.msgstr != before.msgstr:
            if message is not None and message.msgstr:
                result.changed_wrong_translation += before.msgid != source.msgid
            result.lost += 1
            if len(result.lost_examples) < 3:
                result.lost_examples.append(key)
        if before.msgid == source.msgid:
            result.unchanged_total += 1
            result.unchanged_kept += message is not None and message.msgstr == before.msgstr and not message.fuzzy
        else:
            result.changed_total += 1
            good = message is not None and message.msgstr == before.msgstr and message.fuzzy
            result.changed_kept_fuzzy += good and message.previous_msgid == before.msgid
            result.changed_missing_previous += good and message.previous_msgid != before.msgid
    return result


def keyed(catalog: Catalog) -> dict[str, Message]:
    return {m.key: m for m in catalog.messages if not m.obsolete and not m.is_header}


# --------------------------------------------------------------------------
# pybabel, for reference
# --------------------------------------------------------------------------

_BABEL_CHILD = r"""
import sys, time
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as f:
    catalog = read_po(f)
with open(sys.argv[2], "rb") as f:
    template = read_po(f)
start = time.perf_counter()
catalog.update(template)
print(time.perf_counter() - start, len(catalog), sum(1 for m in catalog if m.id and m.fuzzy))
"""


def pybabel_update(work: Path, old_pos: list[Path], pots: list[Path], timeout: float) -> dict[str, object]:
    """Time Babel's ``Catalog.update`` on one ~1,000-message file (two documents glued together)."""
    from i18n_pipeline.gettext.pofile import write_po

    old_messages: list[Message] = []
    keys: set[str] = set()
    for path in old_pos:
        for message in read_po(path).messages:
            if not message.is_header and len(old_messages) < PYBABEL_MESSAGES:
                old_messages.append(message)
                keys.add(message.key)
    docs = {m.key.split("/", 1)[0] for m in old_messages}
    template = [m for path in pots for m in read_po(path).messages if not m.is_header and m.key.split("/", 1)[0] in docs]
    old_path, pot_path = work / "babel-old.po", work / "babel-new.pot"
    header = {"Content-Type": "text/plain; charset=UTF-8", "Language": LOCALE}
    old_path.write_text(write_po(Catalog(locale=LOCALE, header=header, messages=old_messages)), encoding="utf-8")
    pot_path.write_text(write_po(Catalog(header=header, messages=template)), encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-c", _BABEL_CHILD, str(old_path), str(pot_path)],
            capture_output=True, text=True, timeout=timeout, check=True,
        )
    except subprocess.TimeoutExpired:
        return {"messages": len(old_messages), "seconds": None, "note": f"skipped: still running after {timeout:g} s"}
    seconds, total, fuzzy = done.stdout.split()
    return {"messages": len(old_messages), "seconds": float(seconds), "note": f"{total} messages out, {fuzzy} fuzzy"}


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


@dataclass
class Results:
    docs: int
    messages_per_doc: int
    seed: int
    source_bytes: int = 0
    messages_before: int = 0
    messages_after: int = 0
    edits: dict[str, int] = field(default_factory=dict)
    load_average: tuple[float, float] = (0.0, 0.0)
    initial_cli: Timing = field(default_factory=Timing)
    initial_in_process: float = 0.0
    ours_runs: list[Timing] = field(default_factory=list)
    cores: int = 1
    #: A second update with nothing changed (the cache of the previous run in place).
    noop_runs: list[Timing] = field(default_factory=list)
    #: One paragraph of one document edited after a full update.
    one_doc_runs: list[Timing] = field(default_factory=list)
    #: Fastest YAML load of every source + reading every old PO/POT + writing every new PO/POT, in process.
    floor: dict[str, float] = field(default_factory=dict)
    ours_breakdown: dict[str, float] = field(default_factory=dict)
    extract_for_msgmerge: float = 0.0
    msgmerge_runs: list[Timing] = field(default_factory=list)
    noop: Timing = field(default_factory=Timing)
    #: No-op updates once the cache is settled (no file written within 2 s of its saving: nothing re-hashed), and ``--help``.
    noop_settled_runs: list[Timing] = field(default_factory=list)
    help_runs: list[Timing] = field(default_factory=list)
    noop_changed_files: list[str] = field(default_factory=list)
    #: Files of ours equal to msgmerge's once its ``#| msgctxt`` lines are dropped.
    same_as_msgmerge: int = 0
    pybabel: dict[str, object] = field(default_factory=dict)
    ours: dict[str, object] = field(default_factory=dict)
    theirs: dict[str, object] = field(default_factory=dict)

    @property
    def ours_median(self) -> Timing:
        return _median(self.ours_runs)

    @property
    def msgmerge(self) -> Timing:
        """Median of msgmerge's rounds."""
        return _median(self.msgmerge_runs)


    @property
    def ratio(self) -> float:
        return self.msgmerge.wall / self.ours_median.wall

    @property
    def ratio_cpu(self) -> float:
        return self.msgmerge.cpu / self.ours_median.cpu


def _median(runs: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in runs), statistics.median(t.cpu for t in runs), max(t.rss_mb for t in runs))


def run(args: argparse.Namespace, work: Path) -> Results:
    results = Results(args.docs, args.messages, args.seed, cores=os.cpu_count() or 1)
    start_load = os.getloadavg()[0]
    rng = random.Random(args.seed)
    gen = TextGenerator(rng)
    docs = generate_docs(args.docs, args.messages, gen)

    base = work / "translated"
    write_project(base, docs)
    results.source_bytes = sum(p.stat().st_size for p in (base / "source").iterdir())
    shutil.copytree(base, work / "initial-in-process")
    results.initial_cli, _ = timed_cli(base, "update")
    results.initial_in_process = in_process_update(work / "initial-in-process")["total"]
    shutil.rmtree(work / "initial-in-process")
    results.messages_before = translate_all(base)
    log(f"project: {args.docs} documents, {results.messages_before} messages translated, {results.source_bytes / 1e6:.1f} MB YAML")

    edited = work / "edited"
    shutil.copytree(base, edited)
    results.edits = asdict(edit_docs(docs, gen))
    write_project(edited, docs)

    # msgmerge's inputs: the old POs and our POTs of the edited sources (extract timed apart).
    theirs_root = work / "msgmerge"
    shutil.copytree(edited, theirs_root)
    config = load_config(theirs_root)
    documents = project.load_documents(config)
    start = time.perf_counter()
    project.extract(config, documents)
    results.extract_for_msgmerge = time.perf_counter() - start
    out_dir = work / "msgmerge-out"
    pairs = [(config.po_path(LOCALE, d.id), config.pot_path(d.id), out_dir / f"{d.id}.po") for d in documents]

    # One uncounted round warms the page cache and byte-code of every tool alike.
    warm = work / "warm-up"
    shutil.copytree(edited, warm)
    _forget_cache(warm)
    timed_cli(warm, "update")
    shutil.rmtree(warm)
    run_msgmerge(pairs)

    # Rounds, interleaved so that a busy moment of the machine hits every tool alike:
    # ours cold (no cache: every document read and merged), msgmerge, then on ours' output
    # a no-op update and an update after one paragraph of one document changed.
    for attempt in range(args.repeat):
        target = work / ("ours" if attempt == 0 else f"ours-{attempt}")
        shutil.copytree(edited, target)
        _forget_cache(target)
        seconds, _ = timed_cli(target, "update")
        results.ours_runs.append(seconds)
        theirs = run_msgmerge(pairs)
        results.msgmerge_runs.append(theirs)
        if attempt:
            noop, _ = timed_cli(target, "update")
            results.noop_runs.append(noop)
            _edit_one_paragraph(target / "source" / f"{docs[attempt % len(docs)].name}.yaml", attempt)
            one, _ = timed_cli(target, "update")
            results.one_doc_runs.append(one)
            shutil.rmtree(target)
        log(
            f"round {attempt + 1}: ours cold {seconds.wall:.2f} s ({seconds.cpu:.2f} s CPU), msgmerge {theirs.wall:.2f} s ({theirs.cpu:.2f})"
            + (f", no-op {noop.wall:.2f} s, one document {one.wall:.2f} s" if attempt else "")
        )
    results.floor = floor(edited, work / "floor")
    shutil.copytree(edited, work / "ours-in-process")
    results.ours_breakdown = in_process_update(work / "ours-in-process")
    shutil.rmtree(work / "ours-in-process")

    # Correctness, per key, on both outputs.
    ours_config = load_config(work / "ours")
    old: dict[str, Message] = {}
    pot: dict[str, Message] = {}
    for old_po, pot_path, _ in pairs:
        old.update(keyed(read_po(old_po)))
        pot.update(keyed(read_po(pot_path)))
    results.messages_after = len(pot)
    ours_paths = [ours_config.po_path(LOCALE, d.id) for d in documents]
    theirs_paths = [out for _, _, out in pairs]
    results.ours = asdict(judge(old, pot, _concat(ours_paths), msgfmt_statistics(ours_paths)))
    results.theirs = asdict(judge(old, pot, _concat(theirs_paths), msgfmt_statistics(theirs_paths)))
    results.same_as_msgmerge = sum(
        ours.read_text(encoding="utf-8") == _without_previous_msgctxt(theirs.read_text(encoding="utf-8"))
        for ours, theirs in zip(ours_paths, theirs_paths)
    )

    # A second update with nothing to do must write nothing.
    before = snapshot(work / "ours")
    results.noop, output = timed_cli(work / "ours", "update")
    results.noop_runs.append(results.noop)
    after = snapshot(work / "ours")
    results.noop_changed_files = sorted(p for p in after if after[p] != before.get(p) and not p.endswith(".lock"))
    if "wrote " in output:
        results.noop_changed_files.append("(update reported writing files)")
    for _ in range(5):  # the no-op above re-hashed what the cold run wrote last and saved the cache: now it is settled
        results.noop_settled_runs.append(timed_cli(work / "ours", "update")[0])
        results.help_runs.append(timed_cli(work / "ours", "--help")[0])
    _edit_one_paragraph(work / "ours" / "source" / f"{docs[0].name}.yaml", 0)
    one, _ = timed_cli(work / "ours", "update")
    results.one_doc_runs.append(one)

    if args.pybabel_timeout > 0:
        results.pybabel = pybabel_update(work, [p for p, _, _ in pairs[:2]], [t for _, t, _ in pairs[:2]], args.pybabel_timeout)
    else:
        results.pybabel = {"note": "skipped (--pybabel-timeout 0)"}
    results.load_average = (start_load, os.getloadavg()[0])
    return results


def _forget_cache(root: Path) -> None:
    """Drop the update cache, so that the next update reads and merges every document."""
    shutil.rmtree(root / ".i18n-pipeline-cache", ignore_errors=True)


def _edit_one_paragraph(source: Path, salt: int) -> None:
    """A copy edit: one word of the document's first answer replaced."""
    text = source.read_text(encoding="utf-8")
    at = text.index("    answer: |\n      ") + len("    answer: |\n      ")
    source.write_text(text[:at] + f"Edited{salt} " + text[at:], encoding="utf-8")


def floor(project_root: Path, out: Path) -> dict[str, float]:
    """The least any update must do, in process: the fastest YAML load of every source
    (ruamel.yaml's C loader, no line numbers kept), reading every PO and POT byte, and
    writing as many bytes as the update writes."""
    from ruamel.yaml import YAML

    sources = sorted((project_root / "source").rglob("*.yaml"))
    catalogs = sorted((project_root / "catalogs").rglob("*.po*"))
    out.mkdir()
    yaml = YAML(typ="safe", pure=False)
    start = time.perf_counter()
    for path in sources:
        yaml.load(path.read_bytes())
    loaded = time.perf_counter()
    texts = [path.read_bytes().decode("utf-8") for path in catalogs]
    read = time.perf_counter()
    for index, text in enumerate(texts):
        (out / f"{index}.po").write_bytes(text.encode("utf-8"))
    written = time.perf_counter()
    shutil.rmtree(out)
    return {"yaml": loaded - start, "read": read - loaded, "write": written - read, "total": written - start}


def _without_previous_msgctxt(text: str) -> str:
    """msgmerge repeats the (unchanged) msgctxt as ``#| msgctxt``; we keep only ``#| msgid``."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#| msgctxt "))


def _concat(paths: list[Path]) -> Catalog:
    catalog = Catalog()
    for path in paths:
        catalog.messages.extend(m for m in read_po(path).messages if not m.is_header)
    return catalog


def log(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def report(r: Results) -> str:
    runs = ", ".join(f"{t.wall:.2f}" for t in r.ours_runs)
    b = r.ours_breakdown
    ours = r.ours_median
    noop = _median(r.noop_runs)
    one = _median(r.one_doc_runs)
    settled, helped = _median(r.noop_settled_runs), _median(r.help_runs)
    f = r.floor
    lines = [
        f"i18n-pipeline update vs GNU msgmerge --previous: {r.docs} documents x {r.messages_per_doc} messages, seed {r.seed}",
        f"  {r.source_bytes / 1e6:.2f} MB of YAML; {r.messages_before} messages before the edit, {r.messages_after} after",
        f"  edit: {r.edits['edited']} questions/paragraphs changed, {r.edits['added_items']} items "
        f"and {r.edits['added_paragraphs']} paragraphs added",
        "",
        f"  load average (1 min) at start / end: {r.load_average[0]:.2f} / {r.load_average[1]:.2f}; cores: {r.cores}",
        "",
        f"  {'step':<58} {'wall s':>8} {'CPU s':>8}",
        f"  {'-' * 58} {'-' * 8} {'-' * 8}",
        f"  {'first extract+update, whole process (creates the POs)':<58} {r.initial_cli.wall:>8.2f} {r.initial_cli.cpu:>8.2f}",
        f"  {'first extract+update, in-process API':<58} {r.initial_in_process:>8.2f}",
        f"  {f'ours: update, cold (no cache), whole process (median of {len(r.ours_runs)})':<58} {ours.wall:>8.2f} {ours.cpu:>8.2f}",
        f"  {'    wall of each run: ' + runs:<58}",
        f"  {'    in-process: load sources':<58} {b['load sources']:>8.2f}",
        f"  {'    in-process: extract (write POTs)':<58} {b['extract (POTs)']:>8.2f}",
        f"  {'    in-process: update (read, merge, write POs)':<58} {b['update (POs)']:>8.2f}",
        f"  {'    in-process: total':<58} {b['total']:>8.2f}",
        f"  {'msgmerge: our extract to make the POTs (not counted)':<58} {r.extract_for_msgmerge:>8.2f}",
        f"  {f'msgmerge --previous, {r.docs} files one after another (median)':<58} {r.msgmerge.wall:>8.2f} {r.msgmerge.cpu:>8.2f}",
        f"  {'    wall of each run: ' + ', '.join(f'{t.wall:.2f}' for t in r.msgmerge_runs):<58}",
        f"  {'ratio msgmerge / ours cold (goal >= 6)':<58} {r.ratio:>7.1f}x {r.ratio_cpu:>7.1f}x",
        f"  {'peak RSS of ours cold, MB (largest run)':<58} {max(t.rss_mb for t in r.ours_runs):>8.0f}",
        f"  {f'no-op update, files re-hashed (median of {len(r.noop_runs)}; goal <= 0.3 s)':<58} {noop.wall:>8.2f} {noop.cpu:>8.2f}",
        f"  {'    ratio msgmerge / ours':<58} {r.msgmerge.wall / noop.wall:>7.1f}x {r.msgmerge.cpu / max(noop.cpu, 1e-9):>7.1f}x",
        f"  {f'no-op update, cache settled (median of {len(r.noop_settled_runs)})':<58} {settled.wall:>8.2f} {settled.cpu:>8.2f}",
        f"  {f'--help alone, same minutes (median of {len(r.help_runs)})':<58} {helped.wall:>8.2f} {helped.cpu:>8.2f}",
        f"  {f'one paragraph of one document edited (median of {len(r.one_doc_runs)}; goal <= 0.5 s)':<58} {one.wall:>8.2f} {one.cpu:>8.2f}",
        f"  {'    ratio msgmerge / ours':<58} {r.msgmerge.wall / max(one.wall, 1e-9):>7.1f}x {r.msgmerge.cpu / max(one.cpu, 1e-9):>7.1f}x",
        f"  {'floor, in process: fastest YAML load of every source':<58} {f['yaml']:>8.2f}",
        f"  {'    + read every PO/POT byte, write them all again':<58} {f['read'] + f['write']:>8.2f}",
        f"  {'    = floor; our cold in-process total is this many times it':<58} {f['total']:>8.2f} {b['total'] / f['total']:>7.1f}x",
    ]
    babel = r.pybabel
    if babel.get("seconds") is not None:
        label = f"pybabel Catalog.update, one {babel['messages']}-message file"
        lines.append(f"  {label:<58} {babel['seconds']:>8.2f}")
    lines.append(f"  pybabel Catalog.update: {babel.get('note', '')}")
    lines.append(
        "  no-op update wrote nothing" if not r.noop_changed_files else f"  NO-OP UPDATE CHANGED: {', '.join(r.noop_changed_files)}"
    )
    rows = [
        ("translated (msgfmt --statistics)", "translated"),
        ("fuzzy (msgfmt --statistics)", "fuzzy"),
        ("untranslated (msgfmt --statistics)", "untranslated"),
        ("obsolete (#~)", "obsolete"),
        ("unchanged text: translation kept, final", "unchanged_kept", "unchanged_total"),
        ("changed text: own translation kept, fuzzy, #| = old", "changed_kept_fuzzy", "changed_total"),
        ("changed text: own translation kept but #| missing/wrong", "changed_missing_previous"),
        ("changed text: another message's translation", "changed_wrong_translation"),
        ("new: untranslated", "new_untranslated", "new_total"),
        ("new: prefilled (fuzzy guess / memory draft)", "new_prefilled", "new_total"),
        ("translations lost (key still exists)", "lost"),
    ]
    lines += ["", f"  {'correctness, per message key':<58} {'ours':>10} {'msgmerge':>10}", f"  {'-' * 58} {'-' * 10} {'-' * 10}"]
    for label, name, *total in rows:
        def cell(side: dict[str, object], name: str = name, total: list[str] = total) -> str:
            return f"{side[name]}/{side[total[0]]}" if total else str(side[name])

        lines.append(f"  {label:<58} {cell(r.ours):>10} {cell(r.theirs):>10}")
    for side, name in ((r.ours, "ours"), (r.theirs, "msgmerge")):
        if side["lost_examples"]:
            lines.append(f"  {name} lost e.g.: {', '.join(side['lost_examples'])}")
    lines.append(f"  PO files identical to msgmerge's apart from its '#| msgctxt' lines: {r.same_as_msgmerge}/{r.docs}")
    verdict = "PASS" if r.ratio >= 6 and r.ours["lost"] == 0 and not r.noop_changed_files else "FAIL"
    lines += ["", f"  goal (cold >= 6x msgmerge, no translation lost, no-op writes nothing): {verdict}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20, help="number of FAQ documents (default 20)")
    parser.add_argument("--messages", type=int, default=500, help="messages per document (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds of every tool; medians count (default 3)")
    parser.add_argument("--pybabel-timeout", type=float, default=60, metavar="S",
                        help="give pybabel's Catalog.update this long on 1,000 messages; 0 skips it (default 60)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build everything in DIR (must not exist) and keep it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)
    for tool in ("msgmerge", "msgfmt"):
        if shutil.which(tool) is None:
            parser.error(f"GNU {tool} is not on PATH")
    if args.keep is not None:
        if args.keep.exists():
            parser.error(f"--keep {args.keep}: already exists")
        args.keep.mkdir(parents=True)
        work = args.keep.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-update-"))
    try:
        results = run(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({**asdict(results), "ours_median": asdict(results.ours_median), "msgmerge_median": asdict(results.msgmerge), "ratio": results.ratio, "ratio_cpu": results.ratio_cpu}, indent=2))
    else:
        print(report(results))
    return 0 if results.ours["lost"] == 0 and not results.noop_changed_files else 1


if __name__ == "__main__":
    sys.exit(main())
