"""The tool's own UI catalog: a real PO file, compiled through gettext."""

from __future__ import annotations

from pathlib import Path

from conftest import msgfmt_check, needs_gettext

from i18n_pipeline.publish import labels


@needs_gettext
def test_ui_catalog_passes_msgfmt_check() -> None:
    path = labels.catalog_path("es")
    assert path is not None
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_fixed_labels_come_from_the_catalog() -> None:
    assert labels.gettext("es", "Preview — needs review") == "Vista previa: requiere revisión"
    assert labels.gettext("en", "Preview — needs review") == "Preview — needs review"
    assert labels.standard_label("es", "FAQ") == "PREGUNTAS FRECUENTES"
    assert labels.standard_label("es", "Register for the next session") == "Inscríbase en la próxima sesión"
    assert labels.standard_label("es_MX", "FAQ") == "PREGUNTAS FRECUENTES"


def test_only_standard_label_entries_stand_in_for_document_text() -> None:
    assert labels.standard_label("es", "Preview — needs review") is None
    assert labels.standard_label("en", "FAQ") is None
    assert labels.standard_label("fr", "FAQ") is None


def test_fuzzy_ui_entries_are_never_used(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "i18n_pipeline.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Preview — needs review"\nmsgstr "Borrador dudoso"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(labels, "LOCALE_DIR", tmp_path)
    labels.translations.cache_clear()
    try:
        assert labels.gettext("es", "Preview — needs review") == "Preview — needs review"
    finally:
        labels.translations.cache_clear()


def test_language_names_are_localized() -> None:
    assert labels.language_name("en", "es") == "inglés"
    assert labels.autonym("es") == "Español"
