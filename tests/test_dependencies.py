"""pyproject.toml declares every package the code imports, and the code imports every package declared."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from conftest import REPO

tomllib = pytest.importorskip("tomllib")

#: Declared without an import of its own: ruamel.yaml loads it as its C parser (``pure=False``).
LOADED_BY_ANOTHER = {"ruamel.yaml.clib"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _third_party_imports(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        found |= _top_level_imports(path)
    local = {"i18n_pipeline", *(path.stem for path in folder.rglob("*.py"))}
    return {name for name in found if name not in sys.stdlib_module_names and name not in local}


def _distributions(imports: set[str]) -> set[str]:
    owners = packages_distributions()
    return {_name(dist) for name in imports for dist in owners.get(name, [name])}


def test_the_package_declares_exactly_what_it_imports() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]} - LOADED_BY_ANOTHER
    assert _distributions(_third_party_imports(REPO / "i18n_pipeline")) - LOADED_BY_ANOTHER == declared


def test_the_tests_declare_what_they_import_beyond_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    used = _distributions(_third_party_imports(REPO / "tests"))
    assert used <= declared, used - declared


def test_the_core_never_imports_click() -> None:
    """Only ``cli/`` speaks Click: the pipeline's stages are plain functions any script can call."""
    package = REPO / "i18n_pipeline"
    importing = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.parent != package / "cli" and "click" in _top_level_imports(path)
    )
    assert importing == []


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names
