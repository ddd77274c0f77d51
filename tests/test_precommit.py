"""The pre-commit hooks other repositories use, run by the real ``pre-commit`` on a throwaway repo.

``pre-commit try-repo`` clones this repository (with uncommitted changes to
tracked files), builds the hooks' virtualenv with ``pip install .`` and runs
them in a git repository made in tmp_path. Offline: pip gets no index
(``PIP_NO_INDEX``); the build backend (setuptools) comes from the wheels
that virtualenv ships, and the dependencies are those of this test
environment (``PYTHONPATH``), which pip then finds already installed. On a
user's machine pre-commit installs the same hook with its dependencies as
usual.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import REPO, invoke

HOOKS = REPO / ".pre-commit-hooks.yaml"

needs_precommit = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
    reason="git and pre-commit (test extra) are needed",
)


def hooks() -> dict[str, dict]:
    from ruamel.yaml import YAML

    return {hook["id"]: dict(hook) for hook in YAML(typ="safe").load(HOOKS.read_text(encoding="utf-8"))}


def hook_command(hook: dict, args: list[str] | None = None) -> list[str]:
    """The command line pre-commit runs: entry, then args (the user's, or the hook's default)."""
    words = shlex.split(hook["entry"])
    assert words[0] == "i18n-pipeline"
    return words[1:] + (hook.get("args", []) if args is None else args)


def test_the_manifest_offers_check_and_status_fail_under_on_the_whole_project() -> None:
    found = hooks()
    assert set(found) == {"i18n-pipeline-check", "i18n-pipeline-status"}
    for hook in found.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["require_serial"] is True
        assert hook["name"] and hook["description"]
    assert found["i18n-pipeline-status"]["entry"].endswith("--fail-under") and found["i18n-pipeline-status"]["args"] == ["100"]


def test_the_status_hook_fails_below_its_default_and_passes_with_a_lower_line(seed_project: Path) -> None:
    status = hooks()["i18n-pipeline-status"]
    failing = invoke(seed_project, *hook_command(status))
    assert failing.exit_code == 1 and "coverage of es is 76.0%" in failing.output
    passing = invoke(seed_project, *hook_command(status, ["75", "--locale", "es"]))
    assert passing.exit_code == 0, passing.output


def test_the_check_hook_passes_on_this_repositorys_catalogs(seed_project: Path) -> None:
    result = invoke(seed_project, *hook_command(hooks()["i18n-pipeline-check"]))
    assert result.exit_code == 0, result.output


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args], cwd=repo, check=True, capture_output=True)


@needs_precommit
def test_pre_commit_try_repo_runs_both_hooks_in_a_throwaway_repository(seed_project: Path, tmp_path: Path) -> None:
    _git(seed_project, "init", "-q")
    _git(seed_project, "add", "-A")
    _git(seed_project, "commit", "-q", "-m", "a project using the hooks")
    site_packages = sysconfig.get_paths()["purelib"]
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(Path(site_packages) / "virtualenv" / "seed" / "wheels" / "embed"),
        "PYTHONPATH": site_packages,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    precommit = str(Path(sys.executable).parent / "pre-commit")
    result = subprocess.run(
        [precommit, "try-repo", str(REPO), "--all-files", "--color", "never"],
        cwd=seed_project, env=env, capture_output=True, text=True, timeout=540, check=False,
    )
    output = result.stdout + result.stderr
    lines = {line.split(".", 1)[0].strip(): line.rsplit(".", 1)[-1].strip() for line in output.splitlines() if "...." in line}
    assert lines.get("i18n-pipeline check (translation quality)") == "Passed", output
    assert lines.get("i18n-pipeline status --fail-under (translation coverage)") == "Failed", output
    assert "coverage of es is 76.0%" in output and "untranslated: faq/learning-space/notes/" in output
    assert result.returncode == 1
