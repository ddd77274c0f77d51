"""Cross-checks with tools nobody here wrote: GNU gettext and translate-toolkit.

Our reader, writer and counts could agree with each other and still be wrong.
So every catalog the tool writes is handed to ``msgfmt -c`` (valid), ``msgcat``
(byte-identical: our wrapping is GNU's) and translate-toolkit, the parser
Weblate uses (same translated/fuzzy/untranslated counts as ``msgfmt
--statistics``, and as our own ``status``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext, write

from i18n_pipeline.config import load_config
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.translate.provenance import mark_draft

pytestmark = needs_gettext

FAQ = """\
kind: faq
title: Learning space
items:
  - id: who
    question: Who is this for?
    answer: |
      Everyone who wants to learn how communities respond to crises without calling the police, including people who have never been to one of our meetings before.

      Bring a friend, or come alone: "there are no wrong questions".
  - id: when
    question: When do we meet?
    answer: Every month, on the {weekday} closest to the 15th.
  - id: cost
    question: What does it cost?
    answer: Nothing. Donations support childcare and ASL interpretation.
  - id: access
    question: Is it accessible?
    answer: Yes — captions (CC), ASL, and a quiet room. 😀 ¿Preguntas? ¡Escríbenos!
values:
  weekday: Tuesday
"""
NEWS = """\
kind: announcement
lang: es
title: Qué esperar
body: |
  Una sesión abierta, en español, con interpretación.

  Trae tus preguntas.
"""


def po_files(root: Path) -> list[Path]:
    return sorted((root / "catalogs").rglob("*.po"))


def catalog_files(root: Path) -> list[Path]:
    return sorted((root / "catalogs").rglob("*.po*"))


@pytest.fixture
def mixed_project(make_project) -> Path:
    """Catalogs in every state a translator meets, all written by the tool's own update."""
    root = make_project({"faq/learning.yaml": FAQ, "news/que-esperar.yaml": NEWS})
    assert invoke(root, "update").exit_code == 0
    es = root / "catalogs/es/LC_MESSAGES/faq/learning.po"
    catalog = read_po(es)
    for index, message in enumerate(catalog.active):
        if index % 4 == 0:
            message.msgstr = "ES " + message.msgid  # final
        elif index % 4 == 1:
            mark_draft(message, "BORRADOR " + message.msgid, "memory", "2026-11-25", 93.5)  # a draft
        elif index % 4 == 2:
            message.msgstr = "ES " + message.msgid  # final now, fuzzy after the source changes below
    save_po(es, catalog)
    en = root / "catalogs/en/LC_MESSAGES/news/que-esperar.po"
    english = read_po(en)
    english.active[0].msgstr = "What to expect"
    save_po(en, english)
    changed = FAQ.replace("Is it accessible?", "Is the space accessible?").replace("When do we meet?", "When and where do we meet?")
    changed = changed.replace("  - id: cost\n    question: What does it cost?\n    answer: Nothing. Donations support childcare and ASL interpretation.\n", "")
    write(root / "source/faq/learning.yaml", changed)
    assert invoke(root, "update").exit_code == 0  # fuzzy entries, an obsolete item
    return root


def msgfmt_statistics(path: Path) -> dict[str, int]:
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=True)
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def toolkit_counts(path: Path) -> dict[str, int]:
    """Counts as Weblate's parser sees the file (units, header and obsolete entries excluded)."""
    from translate.storage import factory

    store = factory.getobject(str(path))
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        if unit.istranslated():
            counts["translated"] += 1
        elif unit.isfuzzy() and unit.target:
            counts["fuzzy"] += 1
        else:
            counts["untranslated"] += 1
    return counts


def test_fixture_covers_every_state(mixed_project: Path) -> None:
    """The cross-checks below only mean something if each state actually occurs."""
    catalog = read_po(mixed_project / "catalogs/es/LC_MESSAGES/faq/learning.po")
    assert any(m.translated for m in catalog.active)
    assert any(m.fuzzy and m.previous_msgid for m in catalog.active)
    assert any(m.fuzzy and not m.previous_msgid for m in catalog.active)  # drafts
    assert any(not m.msgstr for m in catalog.active)
    assert catalog.obsolete


def test_every_written_catalog_passes_msgfmt_check(mixed_project: Path) -> None:
    paths = catalog_files(mixed_project)
    assert len(paths) == 4  # two templates, two catalogs
    for path in paths:
        result = msgfmt_check(path)
        assert result.returncode == 0, result.stderr


def test_msgcat_leaves_every_written_catalog_byte_identical(mixed_project: Path) -> None:
    for path in catalog_files(mixed_project):
        assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == path.read_bytes(), path


def test_translate_toolkit_counts_match_msgfmt_statistics(mixed_project: Path) -> None:
    for path in po_files(mixed_project):
        assert toolkit_counts(path) == msgfmt_statistics(path), path


def test_pocount_counts_match_msgfmt_statistics(mixed_project: Path) -> None:
    from translate.tools.pocount import calcstats

    for path in po_files(mixed_project):
        stats = calcstats(str(path))
        assert {k: stats[k] for k in ("translated", "fuzzy", "untranslated")} == msgfmt_statistics(path), path


def test_status_counts_match_msgfmt_and_translate_toolkit(mixed_project: Path) -> None:
    status = pytest.importorskip("i18n_pipeline.report.status")
    from translate.tools.pocount import calcstats

    report = status.collect_status(load_config(mixed_project))
    assert len(report.catalogs) == 2
    for catalog in report.catalogs:
        path = mixed_project / catalog.path
        counts = catalog.counts
        ours = {"translated": counts.translated, "fuzzy": counts.fuzzy + counts.needs_review, "untranslated": counts.untranslated}
        assert ours == msgfmt_statistics(path) == toolkit_counts(path), path
        assert counts.obsolete == len(read_po(path).obsolete)
        stats = calcstats(str(path))
        assert (counts.translated_words, counts.fuzzy_words + counts.needs_review_words, counts.untranslated_words) == (
            stats["translatedsourcewords"],
            stats["fuzzysourcewords"],
            stats["untranslatedsourcewords"],
        ), path


def test_translate_toolkit_reads_the_same_messages_we_wrote(mixed_project: Path) -> None:
    """Same ids, contexts, translations, flags, comments and previous msgids as our reader."""
    from translate.storage import factory

    for path in catalog_files(mixed_project):
        ours = {m.key: m for m in read_po(path).messages if not m.obsolete}
        store = factory.getobject(str(path))
        theirs = {unit.getcontext(): unit for unit in store.units if not unit.isheader() and not unit.isobsolete()}
        assert set(theirs) == set(ours)
        for key, unit in theirs.items():
            message = ours[key]
            assert unit.source == message.msgid
            assert unit.target == message.msgstr
            assert unit.isfuzzy() == message.fuzzy
            assert unit.getnotes("translator") == "\n".join(message.translator_comments)
            assert unit.getlocations() == message.locations
            assert (unit.prev_source or "") == (message.previous_msgid or "")


def test_repo_catalogs_after_update_pass_every_cross_check(seed_project: Path) -> None:
    assert invoke(seed_project, "update").exit_code == 0
    paths = catalog_files(seed_project)
    assert paths
    for path in paths:
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
        assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == path.read_bytes(), path
    for path in po_files(seed_project):
        assert toolkit_counts(path) == msgfmt_statistics(path), path


def test_msgmerge_on_a_written_catalog_changes_nothing(mixed_project: Path, tmp_path: Path) -> None:
    """GNU msgmerge with our own template agrees with our update: same file, byte for byte."""
    po = mixed_project / "catalogs/es/LC_MESSAGES/faq/learning.po"
    pot = mixed_project / "catalogs/templates/faq/learning.pot"
    out = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(po), str(pot)], check=True)
    ours = [line for line in po.read_text("utf-8").splitlines() if not line.startswith('"POT-Creation-Date')]
    gnu = [line for line in out.read_text("utf-8").splitlines() if not line.startswith('"POT-Creation-Date')]
    assert gnu == ours
