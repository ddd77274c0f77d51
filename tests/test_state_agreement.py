"""Every command names a message's state the same way: status, check, review, render, compile, msgfmt.

One project walks through what translators really do: the ``draft`` command
writes machine drafts (through the LibreTranslate stand-in on 127.0.0.1), a
translator works in the PO file (own text, fuzzy cleared or not), the English
source changes, ``update`` runs. Then each command is asked about each message.
"""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext
from libre_server import libre_server

from i18n_pipeline.gettext.catalog import DRAFT_PREFIX, MessageState
from i18n_pipeline.gettext.pofile import read_po, save_po

FAQ = """\
kind: faq
title: Sessions 2026
items:
  - id: a
    question: Who is this for in 2026?
    answer: |
      Paragraph one for 2026.

      Paragraph two for 2026.

      Paragraph three for 2026.

      Paragraph four for 2026.

      Paragraph five for 2026.
  - id: gone
    question: Gone in 2026?
    answer: Bye 2026.
"""
# The English paragraphs two and five change; the item "gone" is removed.
FAQ_CHANGED = (
    FAQ.replace("Paragraph two for 2026.", "Paragraph two, rewritten, for 2026.")
    .replace("Paragraph five for 2026.", "Paragraph five, rewritten, for 2026.")
    .split("  - id: gone")[0]
)
PO = "catalogs/es/LC_MESSAGES/faq/x.po"

TRANSLATED, NEEDS_REVIEW, FUZZY, UNTRANSLATED = (
    MessageState.TRANSLATED, MessageState.NEEDS_REVIEW, MessageState.FUZZY, MessageState.UNTRANSLATED
)
#: What each message is after the story below, and why.
EXPECTED = {
    "faq/x/title": TRANSLATED,  # the translator wrote their own text and cleared fuzzy
    "faq/x/a/question": NEEDS_REVIEW,  # the machine draft, untouched
    "faq/x/a/answer/1": NEEDS_REVIEW,  # a legacy draft mark (no hash), untouched: stamped by update
    "faq/x/a/answer/2": FUZZY,  # the scenario: own Spanish, fuzzy cleared, then the English changed
    "faq/x/a/answer/3": FUZZY,  # the draft edited by a person who left fuzzy on
    "faq/x/a/answer/4": UNTRANSLATED,  # the draft thrown away
    "faq/x/a/answer/5": FUZZY,  # the draft accepted unchanged in Poedit (fuzzy cleared), then the English changed
}
TEXT = {
    "faq/x/title": "Sesiones",
    "faq/x/a/answer/2": "Mi propio párrafo dos.",
    "faq/x/a/answer/3": "Párrafo tres, corregido por una persona.",
}


def without_numbers(text: str, source: str, target: str) -> str:
    """The machine "translation": drops the year, so ``check`` has something to say about every text."""
    return f"{target}: " + re.sub(r" ?[0-9]+", "", text)


def translator_edits(path: Path) -> None:
    """What a translator does in Poedit (which keeps comments and flags as they are)."""
    catalog = read_po(path)
    messages = catalog.by_key()
    for key in ("faq/x/title", "faq/x/a/answer/2"):
        messages[key].msgstr = TEXT[key]
        messages[key].fuzzy = False
    messages["faq/x/a/answer/3"].msgstr = TEXT["faq/x/a/answer/3"]
    messages["faq/x/a/answer/4"].msgstr = ""
    messages["faq/x/a/answer/4"].fuzzy = False
    messages["faq/x/a/answer/5"].fuzzy = False
    legacy = messages["faq/x/a/answer/1"]
    legacy.translator_comments = [re.sub(r"; hash=\w+$", "", c) for c in legacy.translator_comments]
    save_po(path, catalog)


@pytest.fixture
def story(make_project) -> Path:
    root = make_project({"faq/x.yaml": FAQ})
    assert invoke(root, "update").exit_code == 0
    with libre_server(translate=without_numbers) as server:
        drafted = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert drafted.exit_code == 0, drafted.output
    translator_edits(root / PO)
    (root / "source/faq/x.yaml").write_text(FAQ_CHANGED, encoding="utf-8")
    updated = invoke(root, "update")
    assert updated.exit_code == 0, updated.output
    return root


def test_the_model_gives_every_message_its_expected_state(story: Path) -> None:
    catalog = read_po(story / PO)
    assert {m.msgctxt: m.state for m in catalog.active} == EXPECTED
    assert {m.state for m in catalog.obsolete} == {MessageState.OBSOLETE} and len(catalog.obsolete) == 2


def test_status_agrees(story: Path) -> None:
    data = json.loads(invoke(story, "status", "--format", "json", "--missing").output)
    [catalog] = data["catalogs"]
    missing = {m["key"]: m["state"] for m in catalog["missing"]}
    assert missing == {k: s.value for k, s in EXPECTED.items() if s is not TRANSLATED}
    assert (catalog["translated"], catalog["needs_review"], catalog["fuzzy"], catalog["untranslated"], catalog["obsolete"]) == (1, 2, 3, 1, 2)


def test_check_agrees(story: Path) -> None:
    """Every source has the number 2026 and no translation does, so every message checked reports a problem."""
    every = json.loads(invoke(story, "check", "--include-fuzzy", "--format", "json").output)
    assert {p["key"]: p["state"] for p in every["problems"]} == {k: s.value for k, s in EXPECTED.items() if s is not UNTRANSLATED}
    final = json.loads(invoke(story, "check", "--format", "json").output)
    assert {p["key"]: p["state"] for p in final["problems"]} == {"faq/x/title": "translated"}


def test_review_list_agrees(story: Path) -> None:
    listed = invoke(story, "review", "--list").output
    keys = {line.split("\t")[1] for line in listed.splitlines() if "\t" in line}
    assert keys == {k for k, s in EXPECTED.items() if s is NEEDS_REVIEW}
    assert "2 draft(s) awaiting review" in listed


def test_preview_render_agrees(story: Path) -> None:
    result = invoke(story, "render", "--mode", "preview", "--layout", "sequential", "--format", "html", "--json")
    assert result.exit_code == 0, result.output
    [version] = json.loads(result.output)["versions"]
    assert {m["key"]: m["state"] for m in version["missing"]} == {k: s.value for k, s in EXPECTED.items() if s is not TRANSLATED}
    assert all(m["problem"] is None for m in version["missing"])
    html = (story / "out/preview/faq/x/sequential/en-es.preview.html").read_text(encoding="utf-8")
    draft_label = '<span class="review-label">Borrador: requiere revisión</span> '
    unconfirmed_label = '<span class="review-label">Sin confirmar: cotéjela con el original</span> '
    assert html.count(draft_label) == 2 and html.count(unconfirmed_label) == 3
    assert 'class="fuzzy">' + unconfirmed_label + TEXT["faq/x/a/answer/2"] in html
    assert 'class="fuzzy">' + unconfirmed_label + TEXT["faq/x/a/answer/3"] in html
    assert "(invalid)" not in result.output and "invalid" not in html
    assert '<h1 lang="es">Sesiones</h1>' in html


def test_final_render_names_each_missing_message_by_its_state(story: Path) -> None:
    result = invoke(story, "render", "--layout", "single", "--format", "txt", "--locale", "es", "--verbose")
    assert result.exit_code == 1  # 1/7 final: withheld by the default 80% policy
    assert "WITHHELD faq/x [es] (policy 80%): 1/7 final" in result.output
    for key, state in EXPECTED.items():
        if state is not TRANSLATED:
            assert f"  missing: {key} ({state.value}) source/faq/x.yaml:" in result.output


def test_compile_agrees(story: Path) -> None:
    assert invoke(story, "compile").exit_code == 0
    with (story / "out/locale/es/LC_MESSAGES/faq/x.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = read_po(story / PO)
    shipped = {m.msgctxt for m in catalog.active if compiled.pgettext(m.msgctxt, m.msgid) != m.msgid}
    assert shipped == {k for k, s in EXPECTED.items() if s is TRANSLATED}


@needs_gettext
def test_msgfmt_statistics_agree(story: Path) -> None:
    import subprocess

    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(story / PO)],
                            capture_output=True, text=True, env={"LC_ALL": "C"})
    assert "1 translated message, 5 fuzzy translations, 1 untranslated message." in result.stderr
    assert msgfmt_check(story / PO, formats=False).returncode == 0


def test_the_scenario_keeps_the_draft_only_as_history(story: Path) -> None:
    """The translator's paragraph keeps its history as a note nothing reads, and the old English as #| msgid."""
    message = read_po(story / PO).by_key()["faq/x/a/answer/2"]
    assert message.msgstr == TEXT["faq/x/a/answer/2"] and message.fuzzy
    assert message.previous_msgid == "Paragraph two for 2026."
    assert not any(c.startswith(DRAFT_PREFIX) for c in message.translator_comments)
    assert any(c.startswith("i18n-pipeline former draft: provider=libre; date=") for c in message.translator_comments)


def test_update_again_changes_nothing(story: Path) -> None:
    before = (story / PO).read_bytes()
    assert invoke(story, "update").exit_code == 0
    assert (story / PO).read_bytes() == before


def test_translators_own_text_after_a_source_change_is_fuzzy_everywhere(story: Path) -> None:
    """Issue 10's scenario, one message, every command: own Spanish over a machine draft, fuzzy
    cleared, then the English paragraph changed and ``update`` ran."""
    key = "faq/x/a/answer/2"
    status = json.loads(invoke(story, "status", "--format", "json", "--missing").output)
    assert {m["key"]: m["state"] for m in status["catalogs"][0]["missing"]}[key] == "fuzzy"
    assert key not in invoke(story, "review", "--list").output
    preview = invoke(story, "render", "--mode", "preview", "--layout", "single", "--format", "txt", "--locale", "es", "--json")
    assert {m["key"]: (m["state"], m["problem"]) for m in json.loads(preview.output)["versions"][0]["missing"]}[key] == ("fuzzy", None)
    text = (story / "out/preview/faq/x/single/es.preview.txt").read_text(encoding="utf-8")
    assert f"[Sin confirmar: cotéjela con el original] {TEXT[key]}" in text
    assert f"[Borrador: requiere revisión] {TEXT[key]}" not in text
    assert invoke(story, "compile").exit_code == 0
    with (story / "out/locale/es/LC_MESSAGES/faq/x.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.pgettext(key, "Paragraph two, rewritten, for 2026.") == "Paragraph two, rewritten, for 2026."
