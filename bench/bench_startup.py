"""Start-up budget: `i18n-pipeline --help` within 1.5x of `python -c "import click"`.

Runs both commands N times interleaved (whole processes, wall clock) and
prints the medians and their ratio. Usage: python bench/bench_startup.py [N]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time


def timed(cmd: list[str], check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)
    return time.perf_counter() - start


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    tool = shutil.which("i18n-pipeline")
    if tool is None:
        print("i18n-pipeline is not installed (pip install -e .)")
        return 2
    anchor_cmd = [sys.executable, "-c", "import click"]
    ours_cmd = [tool, "--help"]
    timed(anchor_cmd), timed(ours_cmd)  # warm the file cache
    anchor, ours = [], []
    for _ in range(runs):
        anchor.append(timed(anchor_cmd))
        ours.append(timed(ours_cmd))
    a, o = statistics.median(anchor), statistics.median(ours)
    print(f"python -c 'import click': median {a * 1000:.1f} ms over {runs} runs")
    print(f"i18n-pipeline --help:     median {o * 1000:.1f} ms over {runs} runs")
    print(f"ratio ours/anchor: {o / a:.2f} (budget 1.50) -> {'OK' if o / a <= 1.5 else 'OVER BUDGET'}")
    for sub in ("update", "status", "check", "draft", "review", "render", "build"):
        if subprocess.run([tool, sub, "--help"], capture_output=True).returncode != 0:
            continue
        t = statistics.median(timed([tool, sub, "--help"]) for _ in range(5))
        print(f"i18n-pipeline {sub} --help: median {t * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
