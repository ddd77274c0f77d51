"""``render --jobs N``: documents rendered by worker processes give the files and the report one process gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import invoke, write

from i18n_pipeline.fileio import TEMP_PREFIX


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "out").rglob("*")) if p.is_file()}


def test_two_jobs_write_the_same_files_and_report_as_one(seed_project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(seed_project, other)
    serial = invoke(seed_project, "render", "--allow-incomplete", "--format", "json", "--jobs", "1")
    parallel = invoke(other, "render", "--allow-incomplete", "--format", "json", "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 0, serial.output + parallel.output
    assert json.loads(parallel.stdout) == json.loads(serial.stdout)
    assert files(other) == files(seed_project)
    assert any(path.endswith(".ics") for path in files(other))  # calendars come from the workers too
    # Rendering again with the workers' cache records: nothing to rebuild, the same report.
    again = invoke(other, "render", "--allow-incomplete", "--format", "json", "--jobs", "2")
    assert json.loads(again.stdout)["unchanged"] == json.loads(parallel.stdout)["written"]


def test_two_jobs_print_the_same_summary_as_one(seed_project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(seed_project, other)
    serial = invoke(seed_project, "render", "--jobs", "1")
    parallel = invoke(other, "render", "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 1  # the seed has a withheld version
    assert parallel.output == serial.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_error_while_rendering_a_document_is_one_line_and_changes_nothing(seed_project: Path, jobs: str) -> None:
    """A project template that fails at run time (an undefined name) stops the run in a worker as in one process."""
    assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0
    before = files(seed_project)
    write(seed_project / "templates" / "render" / "page.md.j2", "{{ page.title }} {{ no_such_name }}\n")
    shutil.rmtree(seed_project / "out" / "faq")
    result = invoke(seed_project, "render", "--allow-incomplete", "--no-cache", "--jobs", jobs)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "no_such_name" in lines[0], result.output
    assert files(seed_project) == {k: v for k, v in before.items() if not k.startswith("out/faq/")}
    assert not [p for p in (seed_project / "out").rglob(f"{TEMP_PREFIX}*")]
    assert not (seed_project / "out" / "faq").exists()  # the folders made for the run are gone again


def test_jobs_must_be_at_least_one(seed_project: Path) -> None:
    result = invoke(seed_project, "render", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.output
