"""The Plural-Forms policy: new catalogs get GNU gettext's rule, whatever Babel version is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke, write

from i18n_pipeline.gettext.plurals import GNU_PLURAL_FORMS, plural_forms
from i18n_pipeline.gettext.pofile import read_po, save_po

FAQ = "kind: faq\ntitle: Questions\nitems:\n  - id: when\n    question: When?\n    answer: Every month.\n"


def msginit_plural_forms(locale: str, tmp_path: Path) -> str | None:
    template = write(tmp_path / "t.pot", 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr ""\n')
    done = subprocess.run(
        ["msginit", "--no-translator", "--no-wrap", "-l", locale, "-i", str(template), "-o", "-"],
        capture_output=True, text=True, check=True,
    )
    found = re.search(r'"Plural-Forms: (.*)\\n"', done.stdout)
    return found.group(1) if found else None


@pytest.mark.skipif(shutil.which("msginit") is None, reason="GNU gettext (msginit) is not installed")
@pytest.mark.parametrize("locale", sorted(GNU_PLURAL_FORMS))
def test_new_catalog_plural_rule_is_the_one_msginit_writes(locale: str, tmp_path: Path) -> None:
    assert plural_forms(locale) == msginit_plural_forms(locale, tmp_path)


def test_spanish_is_two_forms_whatever_babel_says() -> None:
    assert plural_forms("es") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("es_MX") == "nplurals=2; plural=(n != 1);"


def test_language_outside_gnu_table_asks_babel() -> None:
    from babel.messages.plurals import get_plural

    assert plural_forms("ar") == get_plural("ar").plural_forms


def test_update_creates_spanish_catalog_with_gnu_plural_rule(make_project) -> None:
    root = make_project({"faq/a.yaml": FAQ})
    assert invoke(root, "update").exit_code == 0
    catalog = read_po(root / "catalogs/es/LC_MESSAGES/faq/a.po")
    assert catalog.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_update_keeps_the_plural_header_a_translator_wrote(make_project) -> None:
    root = make_project({"faq/a.yaml": FAQ})
    assert invoke(root, "update").exit_code == 0
    path = root / "catalogs/es/LC_MESSAGES/faq/a.po"
    catalog = read_po(path)
    catalog.header["Plural-Forms"] = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"
    save_po(path, catalog)
    before = path.read_bytes()
    assert invoke(root, "update").exit_code == 0
    assert path.read_bytes() == before
