"""Shared fixtures: a copy of this repo's own project (the seed page) in tmp_path."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent

HAS_MSGFMT = shutil.which("msgfmt") is not None
needs_gettext = pytest.mark.skipif(not HAS_MSGFMT, reason="GNU gettext (msgfmt) is not installed")


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """The repo's config, sources and catalogs, copied so tests may change them."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "i18n-pipeline.yaml", project / "i18n-pipeline.yaml")
    shutil.copytree(REPO / "source", project / "source")
    if (REPO / "glossary").is_dir():
        shutil.copytree(REPO / "glossary", project / "glossary")
    if (REPO / "catalogs").is_dir():
        shutil.copytree(REPO / "catalogs", project / "catalogs")
    return project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def make_project(tmp_path: Path):
    """Build a small project: ``make_project({"faq/x.yaml": "..."})`` -> project root."""

    def _make(sources: dict[str, str], config: str = "source_locale: en\nlocales: [en, es]\n") -> Path:
        root = tmp_path / "proj"
        write(root / "i18n-pipeline.yaml", config)
        for name, text in sources.items():
            write(root / "source" / name, text)
        (root / "source").mkdir(parents=True, exist_ok=True)
        return root

    return _make


def invoke(project: Path, *args: str, input: str | None = None) -> Result:
    """Run the CLI on ``project`` as a user would (no exception swallowing surprises)."""
    from i18n_pipeline.cli import main

    return CliRunner().invoke(main, ["--project", str(project), *args], input=input, catch_exceptions=False)


def msgfmt_check(path: Path, *, formats: bool = True) -> subprocess.CompletedProcess[str]:
    """GNU ``msgfmt -c``; ``formats=False`` leaves out the placeholder check (for translator-made text).

    msgfmt quotes the offending text in its messages in the locale's encoding,
    so its output is decoded leniently.
    """
    checks = ["-c"] if formats else ["--check-header", "--check-domain"]
    return subprocess.run(
        ["msgfmt", *checks, "-o", "/dev/null", str(path)], capture_output=True, text=True, errors="replace"
    )
