"""``build``: the whole offline pipeline in one run, the README's main job.

extract -> update -> drafts (only when the config names a provider) ->
render (every document and page) -> status page (with what render published). It sends nothing anywhere unless ``draft.provider`` says
so, and a second run on an unchanged project writes nothing tracked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n_pipeline.config import Config
from i18n_pipeline.numbers import format_percent
from i18n_pipeline.sources.model import Document


@dataclass
class BuildResult:
    """What a build did: summary lines, per-file details (``--verbose``), and the same as data."""

    lines: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    #: Per stage: files written and unchanged, drafts, coverage per locale, published versions.
    stages: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 0


def build_project(config: Config, *, progress: bool = True) -> BuildResult:
    """Run every offline stage; the caller holds the project lock."""
    from i18n_pipeline.project import load_documents, update
    from i18n_pipeline.publish.render import check_render_ready, render_project, summary_lines
    from i18n_pipeline.translate.drafts import draft_project
    from i18n_pipeline.translate.providers import load_settings

    result = BuildResult()
    say = result.lines.append
    documents = load_documents(config)
    # Everything that could stop render is checked before update writes the first catalog.
    check_render_ready(config, documents, [_status_path(config)])
    # Update finds for itself which documents changed since it last ran (render reads them all anyway).
    updated = update(config)
    extracted = updated.templates
    say(f"extract: {len(extracted.written)} template(s) written, {len(extracted.unchanged)} unchanged")
    say(f"update: {len(updated.written)} catalog(s) written, {len(updated.unchanged)} unchanged")
    result.details.extend(f"  wrote {path}" for path in [*extracted.written, *updated.written])
    result.stages["extract"] = {"written": list(extracted.written), "unchanged": len(extracted.unchanged)}
    result.stages["update"] = {"written": list(updated.written), "unchanged": len(updated.unchanged)}

    settings = load_settings(config)
    if settings.configured:
        drafted = draft_project(config, progress=progress)
        say(f"draft ({drafted.provider}): {drafted.drafted} draft(s) written for review, {len(drafted.written)} catalog(s) changed")
        result.stages["draft"] = {"provider": drafted.provider, "drafted": drafted.drafted, "written": list(drafted.written)}
    else:
        say("draft: skipped (no draft.provider in the config; build stays offline)")

    rendered = render_project(config, allow_incomplete=True)
    say(f"render: {len(rendered.written)} file(s) written, {len(rendered.unchanged)} unchanged under {config.output_dir}/")
    result.details.extend(f"  wrote {path}" for path in rendered.written)
    result.stages["render"] = rendered.as_dict()
    for line in summary_lines(rendered):
        if not line.startswith(("wrote ", "removed ")) and not line.endswith("already up to date"):
            say(f"  {line}")
    for path in rendered.removed:
        say(f"  removed stale {path}")

    status_lines, result.stages["status"] = _status(config, rendered.versions, documents)
    result.lines.extend(status_lines)
    return result


def _status(config: Config, versions: list[Any], documents: list[Document]) -> tuple[list[str], dict[str, Any]]:
    """Status summary and the HTML coverage page (with what render published) next to the pages."""
    from i18n_pipeline.report.status import collect_status, write_status_html

    report = collect_status(config, documents=documents)
    path = _status_path(config)
    write_status_html(report, path, project=config.project_name, publishing=versions)
    lines = ["status:"]
    for locale, counts in sorted(report.locales.items()):
        lines.append(
            f"  {locale}: {counts.translated}/{counts.total} translated ({format_percent(counts.percent_translated)}), "
            f"{counts.needs_review} need review, {counts.fuzzy} fuzzy, {counts.untranslated} untranslated"
        )
    lines.append(f"  coverage page: {config.relative(path)}")
    data = {"page": config.relative(path), "locales": {loc: counts.as_dict() for loc, counts in sorted(report.locales.items())}}
    return lines, data


def _status_path(config: Config) -> Path:
    return config.output_path / "status.html"
