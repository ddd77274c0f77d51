"""How status looks: the coverage page an organizer opens first, and the terminal table."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import invoke
from i18n_pipeline.report.status import StatusReport, render_html


def test_build_status_page_says_what_is_published_and_why(seed_project: Path) -> None:
    assert invoke(seed_project, "build").exit_code == 0
    page = (seed_project / "out/status.html").read_text(encoding="utf-8")
    assert "<title>Translation status — learning-space</title>" in page
    assert "Project <strong>learning-space</strong> · generated <time datetime=" in page
    assert page.index("What is published") < page.index("By language")
    rows = page.split("<h2>What is published</h2>")[1].split("</table>")[0]
    assert '<td>announcements/learning-space</td><td>es</td><td class="publish withheld">Withheld</td><td>1/5 final (20.0%) is below the policy threshold 80% (policy 80%)</td>' in rows
    assert '<td>faq/learning-space</td><td>es</td><td class="publish fallback">Published with fallback</td>' in rows
    assert "<main>" in page


def test_status_page_generated_date_is_given_or_today(seed_project: Path) -> None:
    page = render_html(StatusReport([]), project="p", generated="2026-01-02")
    assert '<time datetime="2026-01-02">2026-01-02</time>' in page
    assert "What is published" not in page  # no render decisions given: no section pretending


def test_text_table_fits_80_columns_and_keeps_every_column(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--by", "item")
    lines = result.output.splitlines()
    assert lines and max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]
    header = lines[0].split()
    assert header == ["%", "final", "review", "fuzzy", "untr.", "words"]
    # A label too long for its column gets its own line; its numbers follow, nothing is cut.
    label = "es announcements/learning-space title"
    index = lines.index(label)
    assert lines[index + 1].split()[-6:] == ["0.0%", "0", "0", "0", "1", "0/7"]


def test_rich_table_fits_an_80_column_terminal_without_dropping_columns(seed_project: Path) -> None:
    from rich.console import Console

    from i18n_pipeline.config import load_config
    from i18n_pipeline.report.status import collect_status, render_rich

    report = collect_status(load_config(seed_project))
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(render_rich(report, by="item"))
    text = console.file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    for column in ("lang", "document", "item", "progress", "%", "final", "review", "fuzzy", "untr.", "words"):
        assert column in text.splitlines()[1].split(), column
    assert "477/489" not in text and "0/7" in text  # by item: the per-item word counts are all there


def test_status_html_command_shows_the_publishing_decisions_too(seed_project: Path) -> None:
    result = invoke(seed_project, "status", "--format", "html")
    assert result.exit_code == 0
    assert '<td>announcements/que-esperar</td><td>en</td><td class="publish withheld">Withheld</td>' in result.output
    assert not (seed_project / "out").exists()  # deciding writes nothing
