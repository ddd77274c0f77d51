"""Benchmark `i18n-pipeline status FILE` against `msgfmt --statistics` and translate-toolkit's `pocount`.

Usage: python bench/bench_status.py [PO_FILE ...] [--runs N]

Without files it uses the Spanish catalogs inside the weblate and sphinx
wheels (downloaded once with `pip download --no-deps` into
~/.cache/i18n-pipeline-bench). Every command is run as a whole process,
alternating, N times; the minimum and median wall time are printed with their
ratios to msgfmt's (budget: status within 2x of msgfmt, well ahead of pocount).
Run it from a regular install (``pip install .``, as the README's main command
does): an editable install adds an import hook to every start-up.
It also checks that our counts equal msgfmt's before timing anything.
``--against OTHER/bin/i18n-pipeline`` times another install (say, the previous
commit's) in the same interleaved rounds: a before/after on a busy machine.
``--callgrind`` also counts each command's instructions once under valgrind:
the same number whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

CACHE = Path.home() / ".cache" / "i18n-pipeline-bench"
WHEELS = {
    "weblate": "weblate/locale/es/LC_MESSAGES/django.po",
    "sphinx": "sphinx/locale/es/LC_MESSAGES/sphinx.po",
}


def default_files() -> list[Path]:
    files = []
    for package, member in WHEELS.items():
        target = CACHE / f"{package}-es.po"
        if not target.exists():
            wheels = CACHE / "wheels"
            found = list(wheels.glob(f"{package}-*.whl"))
            if not found:
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--no-deps", "-q", package, "-d", str(wheels)], check=True
                )
                found = list(wheels.glob(f"{package}-*.whl"))
            with zipfile.ZipFile(sorted(found)[-1]) as wheel:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wheel.read(member))
        files.append(target)
    return files


def script(name: str) -> str:
    """The console script next to this Python (not a pyenv shim, which adds ~50 ms of bash)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found")
    return found


#: Like a normal install: byte-code is cached (this sandbox sets PYTHONDONTWRITEBYTECODE=1,
#: which would recompile every module of every Python tool on each run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - start


def agree(path: Path) -> str:
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                            env={"LC_ALL": "C"})
    theirs = {k: 0 for k in ("translated", "fuzzy", "untranslated")}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        theirs[kind] = int(number)
    ours_json = subprocess.run([script("i18n-pipeline"), "status", str(path), "--format", "json"],
                               capture_output=True, text=True, check=True).stdout
    data = json.loads(ours_json)["catalogs"][0]
    ours = {"translated": data["translated"], "fuzzy": data["fuzzy"] + data["needs_review"],
            "untranslated": data["untranslated"]}
    if ours != theirs:
        raise SystemExit(f"counts disagree on {path}: ours {ours}, msgfmt {theirs}")
    return (f"{data['total']} messages ({data['translated']} translated, {data['fuzzy'] + data['needs_review']} fuzzy, "
            f"{data['untranslated']} untranslated, {data['obsolete']} obsolete), {data['source_words']} source words")


def instructions(command: list[str]) -> float:
    """Millions of instructions the whole process executes (callgrind): independent of the load."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                            capture_output=True, text=True, check=True, env=ENV)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1)) / 1e6


def in_process(path: Path) -> tuple[float, float]:
    """Milliseconds for reading the file (``read_po``) and for the whole status of it, in this process (best of 5)."""
    from i18n_pipeline.gettext.pofile import read_po
    from i18n_pipeline.report.status import status_of_file

    def best(fn) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    return best(lambda: read_po(path)), best(lambda: status_of_file(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--against", metavar="SCRIPT", help="another install's i18n-pipeline, timed alongside")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions (needs valgrind; slow)")
    args = parser.parse_args()
    files = args.files or default_files()
    ours = script("i18n-pipeline")
    pocount = shutil.which("pocount", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for path in files:
        print(f"{path} ({path.stat().st_size / 1024:.0f} KiB): {agree(path)}; counts equal msgfmt's")
        print(f"  load average before the runs: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
        commands = {
            "msgfmt --statistics": ["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
            "i18n-pipeline status": [ours, "status", str(path)],
            "i18n-pipeline status --format json": [ours, "status", str(path), "--format", "json"],
            "i18n-pipeline --help (start-up only)": [ours, "--help"],
        }
        if args.against:
            commands["--against: status"] = [args.against, "status", str(path)]
        if pocount:
            commands["pocount"] = [pocount, str(path)]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():
            run_once(command)  # warm the page cache and write the .pyc files
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run_once(command))
        anchor = min(times["msgfmt --statistics"])
        anchor_median = statistics.median(times["msgfmt --statistics"])
        print(f"  {'':<38} {'min':>11} {'median':>14}   ratio to msgfmt (min / median)")
        for name, values in times.items():
            best, median = min(values), statistics.median(values)
            print(
                f"  {name:<38} {best * 1000:8.1f} ms {median * 1000:11.1f} ms   {best / anchor:5.2f} / {median / anchor_median:4.2f}"
            )
        if args.callgrind:
            counted = {name: instructions(command) for name, command in commands.items() if name != "pocount"}
            anchor_count = counted["msgfmt --statistics"]
            for name, count in counted.items():
                print(f"  {name:<38} {count:8.1f} M instructions   {count / anchor_count:5.2f}x msgfmt")
        reading, whole = in_process(path)
        print(f"  in process: read_po {reading:.1f} ms, read_po + status {whole:.1f} ms")


if __name__ == "__main__":
    main()
