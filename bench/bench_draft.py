"""Drafting speed: 200 untranslated messages against a LibreTranslate server at 0.1 s per request.

Anchor: deep-translator's own ``LibreTranslator.translate_batch`` (one request
after another, ~20 s). Budget: our ``draft`` at most 6 s (ratio <= 0.30),
and a rerun on the same texts sends zero requests (the cache).

Usage: python bench/bench_draft.py [N_MESSAGES] [LATENCY_SECONDS]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from libre_server import libre_server  # noqa: E402


def make_project(root: Path, count: int) -> None:
    paragraphs = "\n\n".join(
        f"Paragraph {i}: we respond to crisis without police, and write to admin@example.org with questions about {{topic}}."
        for i in range(1, count)
    )
    (root / "source" / "announcements").mkdir(parents=True)
    (root / "i18n-pipeline.yaml").write_text("source_locale: en\nlocales: [en, es]\n", encoding="utf-8")
    body = "\n".join("  " + line if line else "" for line in paragraphs.splitlines())
    (root / "source" / "announcements" / "bench.yaml").write_text(
        f"kind: announcement\ntitle: Benchmark page\nvalues:\n  topic: the schedule\nbody: |\n{body}\n", encoding="utf-8"
    )


def main() -> int:
    from deep_translator import LibreTranslator

    from i18n_pipeline.config import load_config
    from i18n_pipeline.project import update
    from i18n_pipeline.translate.drafts import draft_project

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        make_project(root, count)
        config = load_config(root)
        update(config)
        catalogs = root / "catalogs"
        pristine = Path(tmp) / "pristine"
        shutil.copytree(catalogs, pristine)
        po = catalogs / "es" / "LC_MESSAGES" / "announcements" / "bench.po"
        from i18n_pipeline.gettext.pofile import read_po

        texts = [m.msgid for m in read_po(po).messages if m.msgid]
        assert len(texts) == count, len(texts)

        with libre_server(latency=latency) as server:
            translator = LibreTranslator(source="en", target="es", custom_url=server.url, api_key="x")
            start = time.perf_counter()
            translator.translate_batch(texts)
            anchor = time.perf_counter() - start
            anchor_requests = server.requests

            server.requests = 0
            start = time.perf_counter()
            report = draft_project(config, provider="libre", url=server.url, progress=False)
            ours = time.perf_counter() - start
            ours_requests = server.requests
            peak = server.max_in_flight

            shutil.rmtree(catalogs)
            shutil.copytree(pristine, catalogs)
            server.requests = 0
            start = time.perf_counter()
            rerun = draft_project(config, provider="libre", url=server.url, progress=False)
            rerun_time = time.perf_counter() - start
            rerun_requests = server.requests

    print(f"{count} messages, {latency:g} s per request")
    print(f"anchor  deep-translator translate_batch: {anchor:6.2f} s, {anchor_requests} requests")
    print(f"ours    i18n-pipeline draft (libre):     {ours:6.2f} s, {ours_requests} requests, {report.drafted} drafts, peak {peak} in flight")
    print(f"rerun   same texts, fresh catalogs:      {rerun_time:6.2f} s, {rerun_requests} requests, {rerun.from_cache} from cache")
    ratio = ours / anchor
    ok = ours <= 6.0 * count / 200 * latency / 0.1 and rerun_requests == 0
    print(f"ratio ours/anchor: {ratio:.3f} (budget 0.30: at most 6 s for 200 at 0.1 s) -> {'OK' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
