"""The (document, locale) pairs every per-catalog command works on, and its --locale filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke

from i18n_pipeline.config import Config
from i18n_pipeline.project import document_locales
from i18n_pipeline.sources.model import Document, Segment


def _doc(doc_id: str, lang: str) -> Document:
    return Document(id=doc_id, kind="faq", lang=lang, path=f"source/{doc_id}.yaml", title=Segment(f"{doc_id}/title", "T", f"source/{doc_id}.yaml:2"))


CONFIG = Config(root=Path("/p"), source_locale="en", locales=("en", "es", "fr"))
ENGLISH, SPANISH = _doc("faq/a", "en"), _doc("faq/b", "es")


def test_each_document_is_paired_with_every_locale_but_its_own_in_document_then_config_order() -> None:
    pairs = [(d.id, loc) for d, loc in document_locales(CONFIG, [ENGLISH, SPANISH])]
    assert pairs == [("faq/a", "es"), ("faq/a", "fr"), ("faq/b", "en"), ("faq/b", "fr")]


@pytest.mark.parametrize(("wanted", "expected"), [("fr", [("faq/a", "fr"), ("faq/b", "fr")]), ("en", [("faq/b", "en")]), ("es", [("faq/a", "es")])])
def test_a_wanted_locale_keeps_only_the_catalogs_of_that_locale(wanted: str, expected: list[tuple[str, str]]) -> None:
    assert [(d.id, loc) for d, loc in document_locales(CONFIG, [ENGLISH, SPANISH], wanted)] == expected


FAQ = "kind: faq\ntitle: Questions\nitems:\n  - id: where\n    question: Where do we meet?\n    answer: Online.\n"


def test_every_per_catalog_command_sees_only_the_wanted_locale(make_project) -> None:
    root = make_project({"faq/x.yaml": FAQ}, "source_locale: en\nlocales: [en, es, fr]\n")
    assert invoke(root, "update").exit_code == 0
    status = invoke(root, "status", "--locale", "fr", "--format", "json")
    assert status.exit_code in (0, 1)
    assert "catalogs/fr/" in status.output and "catalogs/es/" not in status.output
    planned = invoke(root, "draft", "--dry-run", "--locale", "fr")
    assert "catalogs/fr/" in planned.output and "catalogs/es/" not in planned.output
    # No document targets the source language: an empty run (exit 0), as before; a locale the project lacks is refused.
    source = invoke(root, "draft", "--dry-run", "--locale", "en")
    assert source.exit_code == 0 and source.output.startswith("0 message(s) would be drafted")
    for command in (("status",), ("check",), ("draft", "--dry-run"), ("review", "--list")):
        refused = invoke(root, *command, "--locale", "de")
        assert refused.exit_code == 2 and "--locale de: not one of the project's locales (en, es, fr)" in refused.output, command
