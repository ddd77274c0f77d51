"""Reports over several PO files name each file by the shortest path that tells them apart."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write

from i18n_pipeline.report.paths import distinct_labels

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

msgid "Hello"
msgstr "Hola"

msgid "Are you sure?"
msgstr "Está seguro?"
"""

DJANGO = [
    "django/conf/locale/es/LC_MESSAGES/django.po",
    "django/contrib/admin/locale/es/LC_MESSAGES/django.po",
    "wagtail/locale/es/LC_MESSAGES/django.po",
]


def test_labels_are_the_shortest_distinguishing_suffixes() -> None:
    assert distinct_labels(DJANGO) == {
        DJANGO[0]: "conf/locale/es/LC_MESSAGES/django.po",
        DJANGO[1]: "admin/locale/es/LC_MESSAGES/django.po",
        DJANGO[2]: "wagtail/locale/es/LC_MESSAGES/django.po",
    }
    assert distinct_labels(["a/x.po", "b/y.po"]) == {"a/x.po": "x.po", "b/y.po": "y.po"}


@pytest.fixture
def three_django_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    for name in DJANGO:
        write(tmp_path / name, CATALOG)
    monkeypatch.chdir(tmp_path)
    return DJANGO


def run(*args: str):
    from i18n_pipeline.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_status_table_names_each_of_three_django_po(three_django_catalogs: list[str]) -> None:
    output = run("status", *three_django_catalogs).output
    for label in ("conf/locale/es/LC_MESSAGES/django.po", "admin/locale/es/LC_MESSAGES/django.po",
                  "wagtail/locale/es/LC_MESSAGES/django.po"):
        assert f"es {label}" in output


def test_status_csv_and_markdown_name_each_file(three_django_catalogs: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run("status", *three_django_catalogs, "--format", "csv").output)))
    assert [r["document"] for r in rows] == [
        "conf/locale/es/LC_MESSAGES/django.po",
        "admin/locale/es/LC_MESSAGES/django.po",
        "wagtail/locale/es/LC_MESSAGES/django.po",
    ]
    markdown = run("status", *three_django_catalogs, "--format", "markdown").output
    assert "| es | admin/locale/es/LC_MESSAGES/django.po |" in markdown


def test_status_of_one_file_keeps_the_document_name(three_django_catalogs: list[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run("status", three_django_catalogs[0], "--format", "csv").output)))
    assert [r["document"] for r in rows] == ["django"]


def test_check_csv_and_markdown_name_each_file(three_django_catalogs: list[str]) -> None:
    result = run("check", *three_django_catalogs, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["file"] for r in rows if r["check"] == "spanish-marks"} == {
        "conf/locale/es/LC_MESSAGES/django.po",
        "admin/locale/es/LC_MESSAGES/django.po",
        "wagtail/locale/es/LC_MESSAGES/django.po",
    }
    markdown = run("check", *three_django_catalogs, "--format", "markdown").output
    assert "| `wagtail/locale/es/LC_MESSAGES/django.po` | 9 | error | spanish-marks |" in markdown
