"""Measure `check` on real catalogs: findings per check, overlap with pofilter, a sample to label.

Usage:
  python bench/bench_checks.py                      # findings per check, es and fr, with pofilter
  python bench/bench_checks.py --no-pofilter        # ours only (fast)
  python bench/bench_checks.py --sample 45 --seed 11 --lang es   # a random sample of error findings, as JSON lines
  python bench/bench_checks.py --mutants 400        # msgfmt -c fatal errors on mutated real entries: how many check reports

The Spanish and French catalogs come from the wheels of Django 5.2, Weblate
5.14, Sphinx 9.0, Wagtail and django-allauth, fetched at run time with
``pip download --no-deps`` into ~/.cache/i18n-pipeline-bench (never into git).
Our checks run in this process on the final translations (as ``check`` does);
translate-toolkit's ``pofilter`` runs on the same files with its standard
tests. A finding is counted per entry (one per check), so the overlap is
"entries both tools flag".
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

CACHE = Path.home() / ".cache" / "i18n-pipeline-bench"
#: pip requirement -> the wheel's file name prefix.
PACKAGES = {
    "Django==5.2.*": "django-5.2",
    "Weblate==5.14.*": "weblate-5.14",
    "Sphinx==9.0.*": "sphinx-9.0",
    "wagtail": "wagtail-",
    "django-allauth": "django_allauth-",
}
#: Older releases: catalogs the labelled findings never came from, to see precision hold on fresh ones.
FRESH = {
    "Django==4.2.*": "django-4.2",
    "Weblate==5.10.*": "weblate-5.10",
    "Sphinx==8.1.*": "sphinx-8.1",
    "wagtail==6.3.*": "wagtail-6.3",
    "django-allauth==65.13.*": "django_allauth-65.13",
}
LANGS = ("es", "fr")


def catalogs(regional: bool = False, fresh: bool = False) -> dict[str, list[Path]]:
    """Every es/fr ``LC_MESSAGES/*.po`` of the wheels, extracted once under the cache.

    ``regional`` takes the regional variants instead (es_AR, es_MX, fr_FR…): catalogs
    the labelled sample never saw, to check that precision holds on fresh findings;
    ``fresh`` the catalogs of older releases (:data:`FRESH`) instead of the current ones.
    """
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {lang: [] for lang in LANGS}
    for requirement, prefix in (FRESH if fresh else PACKAGES).items():
        found = sorted(wheels.glob(f"{prefix}*.whl"))
        if not found:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", requirement, "-d", str(wheels)], check=True
            )
            found = sorted(wheels.glob(f"{prefix}*.whl"))
        wheel_path = found[-1]
        package = wheel_path.name.split("-")[0] + "-" + wheel_path.name.split("-")[1]
        with zipfile.ZipFile(wheel_path) as wheel:
            for member in wheel.namelist():
                pattern = r"/(es|fr)_[A-Za-z]+/LC_MESSAGES/[^/]+\.po$" if regional else r"/(es|fr)/LC_MESSAGES/[^/]+\.po$"
                match = re.search(pattern, member)
                if not match:
                    continue
                target = CACHE / "catalogs" / package / member
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(wheel.read(member))
                out[match.group(1)].append(target)
    return out


def origin(path: Path) -> str:
    """``django-5.2.19/django/conf/locale/es/LC_MESSAGES/django.po`` for a cached catalog."""
    return path.relative_to(CACHE / "catalogs").as_posix()


def our_findings(paths: list[Path], include_fuzzy: bool = False) -> list[dict]:
    """Every finding of our checks on the final translations of ``paths``, one dict per (entry, check)."""
    from i18n_pipeline.gettext.catalog import Message
    from i18n_pipeline.gettext.pofile import read_po
    from i18n_pipeline.report.checks import check_po_files

    rows = []
    report = check_po_files(paths, include_fuzzy=include_fuzzy)
    catalogs = {str(p): read_po(p) for p in paths}
    by_line = {
        (path, m.lineno): m for path, catalog in catalogs.items() for m in catalog.active
    }
    for problem in report.problems:
        message = by_line.get((problem.path, problem.line))
        if message is None:  # a finding on the header (Plural-Forms)
            message = Message(msgid="", msgstr=problem.message)
        rows.append(
            {
                "origin": origin(Path(problem.path)),
                "lang": problem.locale.split("_")[0],
                "check": problem.check,
                "severity": problem.severity,
                "message": problem.message,
                "line": problem.line,
                "msgctxt": message.msgctxt,
                "msgid": message.msgid,
                "msgid_plural": message.msgid_plural,
                "msgstr": message.msgstr if message.msgstr_plural is None else None,
                "msgstr_plural": (
                    None if message.msgstr_plural is None else {str(k): v for k, v in message.msgstr_plural.items()}
                ),
                "flags": [f for f in message.flags if f != "fuzzy"],
                "state": problem.state,
            }
        )
    return rows


def pofilter_findings(paths: list[Path], lang: str) -> list[dict]:
    """translate-toolkit's ``pofilter`` (standard tests) on the final translations of ``paths``: one dict per (entry, test)."""
    import polib

    from i18n_pipeline.gettext.pofile import read_po

    pofilter = shutil.which("pofilter", path=str(Path(sys.executable).parent)) or shutil.which("pofilter")
    if not pofilter:
        raise SystemExit("pofilter not found (pip install translate-toolkit)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, path in enumerate(paths):
            out = Path(tmp) / f"{index}.po"
            subprocess.run(
                [pofilter, "--progress=none", "--language", lang, "-i", str(path), "-o", str(out)],
                check=True, capture_output=True,
            )
            if not out.exists():
                continue
            final = {(m.msgctxt, m.msgid) for m in read_po(path).active if m.translated}
            for entry in polib.pofile(str(out)):
                if (entry.msgctxt, entry.msgid) not in final:
                    continue  # pofilter also reports untranslated, fuzzy and obsolete entries; check does not

                for line in entry.tcomment.splitlines():
                    match = re.match(r"\(pofilter\) ([\w-]+): ?(.*)", line)
                    if match:
                        rows.append(
                            {"origin": origin(path), "lang": lang, "check": match.group(1),
                             "message": match.group(2), "msgctxt": entry.msgctxt, "msgid": entry.msgid}
                        )
    return rows


def entry_key(row: dict) -> tuple:
    return (row["origin"], row["msgctxt"], row["msgid"])


def summary(lang: str, ours: list[dict], theirs: list[dict] | None) -> None:
    errors = [r for r in ours if r["severity"] == "error"]
    print(f"\n== {lang}: {len(errors)} error-level and {len(ours) - len(errors)} warning-level findings (ours)")
    per_check = Counter((r["check"], r["severity"]) for r in ours)
    their_entries = {entry_key(r) for r in theirs} if theirs is not None else set()
    for (check, severity), count in sorted(per_check.items(), key=lambda kv: (kv[0][1], -kv[1])):
        overlap = ""
        if theirs is not None:
            both = sum(1 for r in ours if (r["check"], r["severity"]) == (check, severity) and entry_key(r) in their_entries)
            overlap = f"   pofilter also flags {both}"
        print(f"  {severity:<8} {check:<22} {count:>5}{overlap}")
    if theirs is None:
        return
    print(f"  pofilter: {len(theirs)} findings on {len(their_entries)} entries")
    for check, count in Counter(r["check"] for r in theirs).most_common():
        print(f"    {check:<22} {count:>5}")
    our_entries = {entry_key(r) for r in ours}
    our_error_entries = {entry_key(r) for r in errors}
    print(
        f"  overlap: {len(our_entries & their_entries)} entries flagged by both "
        f"(ours {len(our_entries)}, pofilter {len(their_entries)}); "
        f"of our {len(our_error_entries)} entries with an error, pofilter flags {len(our_error_entries & their_entries)}"
    )


def sample(rows: list[dict], lang: str, size: int, seed: int) -> None:
    errors = [r for r in rows if r["lang"] == lang and r["severity"] == "error"]
    random.Random(seed).shuffle(errors)
    for row in errors[:size]:
        print(json.dumps({**row, "verdict": None}, ensure_ascii=False))


# --------------------------------------------------------------------------
# msgfmt -c coverage on mutated real entries
# --------------------------------------------------------------------------

_PY_NAMED = re.compile(r"%\((\w+)\)([sdifr])")
_PY_PLAIN = re.compile(r"%([sd])")
_BRACE = re.compile(r"\{(\w*)\}")


def mutate(message, rng: random.Random) -> bool:
    """Break one final translation the way translators do; False when no mutation applies."""
    text = message.msgstr if message.msgstr_plural is None else message.msgstr_plural.get(1, "")
    options = []
    if _PY_NAMED.search(text):
        options += ["rename", "drop", "type"]
    if _PY_PLAIN.search(text):
        options += ["type"]
    if _BRACE.search(text):
        options += ["brace"]
    options += ["newline", "control"]
    if message.msgstr_plural is not None:
        options.append("forms")
    kind = rng.choice(options)
    if kind == "rename":
        text = _PY_NAMED.sub(lambda m: f"%({m.group(1)}x){m.group(2)}", text, count=1)
    elif kind == "drop":
        text = _PY_NAMED.sub("", text, count=1)
    elif kind == "type":
        match = _PY_NAMED.search(text) or _PY_PLAIN.search(text)
        conv = match.group(match.lastindex)
        text = text[: match.end() - 1] + ("d" if conv != "d" else "s") + text[match.end():]
    elif kind == "brace":
        text = _BRACE.sub(lambda m: "{" + (m.group(1) + "_x") + "}", text, count=1)
    elif kind == "newline":
        text = text[:-1] if text.endswith("\n") else text + "\n"
    elif kind == "control":
        text = text[: len(text) // 2] + "\x04" + text[len(text) // 2:]
    elif kind == "forms":
        message.msgstr_plural = {0: message.msgstr_plural[0]}
        return True
    if message.msgstr_plural is None:
        message.msgstr = text
    else:
        message.msgstr_plural[1 if 1 in message.msgstr_plural else 0] = text
    return True


def mutants(paths: list[Path], count: int, seed: int) -> None:
    """Mutate ``count`` final entries, then compare msgfmt -c's fatal lines with our error lines."""
    from i18n_pipeline.gettext.pofile import read_po, write_po
    from i18n_pipeline.report.checks import check_po_files

    rng = random.Random(seed)
    missed, covered, fatal_total = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        written = []
        for index, path in enumerate(paths):
            catalog = read_po(path)
            finals = [m for m in catalog.active if m.translated and m.msgid]
            for message in rng.sample(finals, min(len(finals), max(1, count // len(paths)))):
                mutate(message, rng)
            out = Path(tmp) / f"{index}.po"
            out.write_text(write_po(catalog), encoding="utf-8")
            written.append(out)
        report = check_po_files(written)
        ours = {(p.path, p.line) for p in report.errors}
        header = {p.path for p in report.errors if p.key == "(header)"}
        for out in written:
            result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True, text=True,
                                    errors="replace", env={"LC_ALL": "C"})
            catalog = read_po(out)
            starts = sorted(m.lineno for m in catalog.messages if m.lineno)
            for line in result.stderr.splitlines():
                match = re.match(rf"{re.escape(str(out))}:(\d+): (.*)", line)
                if not match or "warning" in match.group(2):
                    continue
                fatal_total += 1
                at = int(match.group(1))
                # msgfmt names the msgstr line (or the msgid's): the entry whose msgid starts last before it.
                entry = max((s for s in starts if s <= at), default=0)
                about_header = entry == 0 or re.search(r"nplurals|plural expression|some messages have", match.group(2))
                if (str(out), entry) in ours or (about_header and str(out) in header):
                    covered += 1
                else:
                    missed.append(f"{origin(paths[written.index(out)])}:{entry}: {match.group(2)}")
    print(f"\nmsgfmt -c fatal errors on mutated entries: {fatal_total}; reported as errors by check: {covered}")
    for line in missed[:20]:
        print(f"  missed: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append")
    parser.add_argument("--no-pofilter", action="store_true")
    parser.add_argument("--sample", type=int, default=0, help="print N random error findings (JSON lines)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--mutants", type=int, default=0, help="mutate N entries and compare with msgfmt -c")
    parser.add_argument("--json", type=Path, help="also write every finding of ours to this file")
    parser.add_argument("--regional", action="store_true", help="the regional catalogs (es_AR, fr_FR…) instead")
    parser.add_argument("--fresh", action="store_true", help="the catalogs of older releases (never labelled)")
    parser.add_argument("--include-fuzzy", action="store_true", help="check fuzzy entries too, as check --include-fuzzy")
    args = parser.parse_args()
    files = catalogs(args.regional, args.fresh)
    langs = args.lang or list(LANGS)
    if args.mutants:
        mutants([p for lang in langs for p in files[lang]], args.mutants, args.seed)
        return
    everything = []
    for lang in langs:
        ours = our_findings(files[lang], args.include_fuzzy)
        everything += ours
        if args.sample:
            sample(ours, lang, args.sample, args.seed)
            continue
        theirs = None if args.no_pofilter else pofilter_findings(files[lang], lang)
        entries = sum(1 for _ in files[lang])
        print(f"{lang}: {entries} catalogs")
        summary(lang, ours, theirs)
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
