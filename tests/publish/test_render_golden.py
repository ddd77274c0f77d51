"""Every layout and format of the seed documents, pinned as golden files.

Inputs are a snapshot under tests/golden/input (the seed's sources and
catalogs, plus a few test translations and one draft in the announcement),
so the goldens change only when rendering changes. Reviewed by eye once;
regenerate with ``I18N_UPDATE_GOLDEN=1 python -m pytest tests/publish/test_render_golden.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import invoke

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("I18N_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("golden") / "project"
    shutil.copytree(GOLDEN / "input", project)
    final = invoke(project, "render", "--allow-incomplete")
    assert final.exit_code == 0, final.output
    preview = invoke(project, "render", "--mode", "preview", "--layout", "sequential", "--layout", "side-by-side")
    assert preview.exit_code == 0, preview.output
    return project / "out"


def files(root: Path) -> set[str]:
    """Rendered pages; calendar files are checked by what they mean (tests/publish/test_pages.py),
    since icalendar's own formatting (line folding, VTIMEZONE comments) moves with its version."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.suffix != ".ics"}


def test_rendered_file_set_matches_the_goldens(rendered: Path) -> None:
    expected = GOLDEN / "render"
    if UPDATE:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(rendered, expected, ignore=shutil.ignore_patterns("*.ics"))
    assert files(rendered) == files(expected)


@pytest.mark.parametrize("name", sorted(files(GOLDEN / "render")) if (GOLDEN / "render").is_dir() else [])
def test_rendered_file_matches_its_golden(rendered: Path, name: str) -> None:
    assert (rendered / name).read_text(encoding="utf-8") == (GOLDEN / "render" / name).read_text(encoding="utf-8")
