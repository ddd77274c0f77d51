"""Review: decisions on drafts (pure) and the review command (interactive and scripted)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext, write
from libre_server import libre_server, po_path, small_project

from i18n_pipeline.gettext.catalog import Catalog, Message, MessageState
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.translate.provenance import PROBLEM_PREFIX, mark_draft
from i18n_pipeline.translate.review import accept, draft_problems, reject, rejected_providers, review_items

TITLE = "faq/small/title"
WHERE = "faq/small/where/answer/1"


def drafted(**kw: str) -> Message:
    message = Message(kw.get("msgid", "Hello {name}"), msgctxt=kw.get("key", "k"), previous_msgid="Hi {name}")
    mark_draft(message, kw.get("draft", "Hola {name}"), "libre", "2026-01-01")
    return message


# --- pure decisions --------------------------------------------------------------


def test_accept_makes_the_entry_final_and_records_who_and_when() -> None:
    message = drafted()
    message.translator_comments.insert(0, "keep me")
    message.translator_comments.append(f"{PROBLEM_PREFIX} something")
    accept(message, "Ana", "2026-02-02")
    assert message.translated and message.msgstr == "Hola {name}"
    assert message.translator_comments == ["keep me", "i18n-pipeline reviewed: by=Ana; date=2026-02-02; draft=libre"]
    assert message.previous_msgid is None


def test_editing_records_the_edit_and_keeps_the_sources_newlines() -> None:
    message = drafted(msgid="Hello\n", draft="Hola\n")
    accept(message, "Ana", "2026-02-02", text="  Buenas  ")
    assert message.msgstr == "Buenas\n"
    assert message.translator_comments[-1].endswith("; edited=yes")


def test_reject_clears_the_draft_and_remembers_the_provider() -> None:
    message = drafted()
    reject(message, "Ana", "2026-02-02")
    assert message.msgstr == "" and not message.fuzzy and message.state is not MessageState.NEEDS_REVIEW
    assert rejected_providers(message) == {"libre"}


def test_only_drafts_can_be_decided() -> None:
    with pytest.raises(ValueError):
        accept(Message("Hello", "Hola", msgctxt="k"), "Ana", "2026-02-02")


def test_missing_placeholder_is_a_problem_shown_to_the_reviewer() -> None:
    assert draft_problems(drafted(draft="Hola")) == ["'{name}' is in the source but not in the translation"]


def test_review_items_carry_neighbouring_paragraphs() -> None:
    first, middle, last = Message("One", "Uno", msgctxt="a"), drafted(key="b"), Message("Three", msgctxt="c")
    [item] = review_items(Catalog("es", messages=[first, middle, last]), locale="es", document="d", path="p.po")
    assert item.key == "b" and item.provenance["provider"] == "libre"
    assert [(n.source, n.state) for n in item.before] == [("One", "translated")]
    assert [(n.source, n.state) for n in item.after] == [("Three", "untranslated")]


# --- the command -------------------------------------------------------------------


@pytest.fixture
def drafted_project(make_project) -> Path:
    root = small_project(make_project, "review:\n  reviewer: Config Name\n")
    with libre_server() as server:
        assert invoke(root, "draft", "--provider", "libre", "--url", server.url).exit_code == 0
    return root


def entry(root: Path, key: str) -> Message:
    return read_po(po_path(root)).by_key()[key]


def test_list_and_json_show_every_draft(drafted_project: Path) -> None:
    listed = invoke(drafted_project, "review", "--list")
    assert "6 draft(s) awaiting review" in listed.output and TITLE in listed.output
    data = json.loads(invoke(drafted_project, "review", "--json").output)
    assert len(data) == 6 and data[0]["key"] == TITLE and data[0]["provenance"]["provider"] == "libre"


@needs_gettext
def test_accept_and_reject_by_key(drafted_project: Path) -> None:
    result = invoke(drafted_project, "review", "--accept", TITLE, "--reject", WHERE, "--reviewer", "Ana")
    assert result.exit_code == 0, result.output
    title = entry(drafted_project, TITLE)
    assert title.translated and "i18n-pipeline reviewed: by=Ana; date=" in title.translator_comments[-1]
    assert entry(drafted_project, WHERE).msgstr == ""
    assert msgfmt_check(po_path(drafted_project)).returncode == 0


def test_unknown_key_is_an_error_and_nothing_is_written(drafted_project: Path) -> None:
    before = po_path(drafted_project).read_bytes()
    result = invoke(drafted_project, "review", "--accept", TITLE, "--accept", "faq/small/titel")
    assert result.exit_code == 2 and "no draft awaiting review with key 'faq/small/titel'" in result.output
    assert po_path(drafted_project).read_bytes() == before


def test_reviewer_comes_from_config_then_git(drafted_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke(drafted_project, "review", "--accept", TITLE)
    assert "by=Config Name" in entry(drafted_project, TITLE).translator_comments[-1]
    config = drafted_project / "i18n-pipeline.yaml"
    config.write_text(config.read_text().replace("review:\n  reviewer: Config Name\n", ""))
    write(tmp_path / "gitconfig", "[user]\n\tname = Git Name\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    invoke(drafted_project, "review", "--accept", WHERE)
    assert "by=Git Name" in entry(drafted_project, WHERE).translator_comments[-1]



@pytest.mark.parametrize("name", ["Ana; date=2020-01-01", "a=b", "   "])
def test_a_reviewer_name_that_would_break_the_comment_is_refused(drafted_project: Path, name: str) -> None:
    before = po_path(drafted_project).read_bytes()
    result = invoke(drafted_project, "review", "--accept", TITLE, "--reviewer", name)
    assert result.exit_code == 2 and "must be non-empty and contain no ';' or '='" in result.output
    assert po_path(drafted_project).read_bytes() == before


@needs_gettext
def test_interactive_walk_accept_edit_reject_skip(drafted_project: Path) -> None:
    answers = "a\ne\nDónde nos vemos\nr\ns\nq\n"
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input=answers)
    assert result.exit_code == 0, result.output
    assert "source: Questions" in result.output and "after:" in result.output
    assert "1 accepted, 1 edited, 1 rejected, 3 skipped" in result.output
    assert entry(drafted_project, TITLE).translated
    edited = entry(drafted_project, "faq/small/where/question")
    assert edited.msgstr == "Dónde nos vemos" and edited.translator_comments[-1].endswith("edited=yes")
    assert entry(drafted_project, WHERE).msgstr == ""
    assert entry(drafted_project, "faq/small/where/answer/2").state is MessageState.NEEDS_REVIEW
    assert msgfmt_check(po_path(drafted_project)).returncode == 0


def test_edit_in_editor(drafted_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = write(tmp_path / "editor.py", "import sys\np = sys.argv[1]\nt = open(p).read()\nopen(p, 'w').write('Preguntas' + t[t.index('\\n'):])\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input="o\nq\n")
    assert result.exit_code == 0, result.output
    assert entry(drafted_project, TITLE).msgstr == "Preguntas"


def test_a_draft_changed_on_disk_after_listing_is_not_overwritten(drafted_project: Path) -> None:
    from i18n_pipeline.config import load_config
    from i18n_pipeline.translate.drafts import record_decision, review_queue

    config = load_config(drafted_project)
    item = review_queue(config)[0]
    catalog = read_po(po_path(drafted_project))
    catalog.by_key()[TITLE].msgstr = "Cambiado por una persona"
    save_po(po_path(drafted_project), catalog)
    with pytest.raises(Exception, match="changed on disk"):
        record_decision(config, item, "accept", "Ana")
    assert entry(drafted_project, TITLE).msgstr == "Cambiado por una persona"


def test_rejected_draft_is_not_redrafted_by_the_same_provider(drafted_project: Path) -> None:
    invoke(drafted_project, "review", "--reject", TITLE)
    with libre_server() as server:
        result = invoke(drafted_project, "draft", "--provider", "libre", "--url", server.url)
    assert "1 message(s) skipped: a reviewer rejected" in result.output
    assert entry(drafted_project, TITLE).msgstr == ""


def screens(output: str) -> list[str]:
    """The interactive review's output cut into one part per screen ("[n/total] ...")."""
    return re.split(r"(?m)^(?=\[\d+/\d+\] )", output)[1:]


def test_next_screen_shows_the_neighbour_as_just_saved_not_as_listed(drafted_project: Path) -> None:
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input="a\ne\nDónde nos vemos\ns\nq\n")
    assert result.exit_code == 0, result.output
    second, third = screens(result.output)[1:3]
    assert "before: Questions\n          es: Questions [translated]" in second  # accepted on the screen before
    assert "before: Where do we meet?\n          Dónde nos vemos [translated]" in third  # edited on the screen before
    assert "es: Where do we meet? [needs_review]" not in third


def test_rejected_neighbour_shows_as_untranslated_on_the_next_screen(drafted_project: Path) -> None:
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input="r\nq\n")
    second = screens(result.output)[1]
    assert "before: Questions\n          (untranslated) [untranslated]" in second


def test_inline_edit_is_prefilled_with_the_current_text(drafted_project: Path) -> None:
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input="e\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "translation [es: Questions]: " in result.output
    title = entry(drafted_project, TITLE)
    assert title.translated and title.msgstr == "es: Questions"
    assert not title.translator_comments[-1].endswith("edited=yes")  # Enter kept the text: an accept


def test_a_draft_edited_on_disk_during_the_session_is_shown_as_it_is_now(drafted_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The $EDITOR of the first screen also saves the catalog (as a translator in Poedit would, at the same time)."""
    script = write(
        tmp_path / "editor.py",
        "import sys\n"
        "from i18n_pipeline.gettext.pofile import read_po, save_po\n"
        f"path = {str(po_path(drafted_project))!r}\n"
        "catalog = read_po(path)\n"
        "catalog.by_key()['faq/small/where/question'].msgstr = 'Lugar de encuentro'\n"
        "save_po(path, catalog)\n"
        "p = sys.argv[1]\nt = open(p).read()\nopen(p, 'w').write('Preguntas' + t[t.index('\\n'):])\n",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = invoke(drafted_project, "review", "--reviewer", "Ana", input="o\nq\n")
    assert result.exit_code == 0, result.output
    # The person's edit made it their translation (fuzzy, not a draft): the session does not offer it.
    assert "faq/small/where/question: no longer awaiting review (changed on disk); skipped" in result.output
    assert entry(drafted_project, "faq/small/where/question").state is MessageState.FUZZY
    assert entry(drafted_project, TITLE).msgstr == "Preguntas"


def test_repeated_draft_and_edit_cycles_leave_one_former_draft_note() -> None:
    """Each cycle turns the draft mark into history; only the latest former draft is kept."""
    from i18n_pipeline.translate.provenance import FORMER_DRAFT_PREFIX, mark_draft, settle_draft_mark

    message = Message(msgid="Hello.", msgctxt="faq/x/a/answer/1", translator_comments=["Checked with Ana."])
    for cycle, provider in enumerate(["libre", "deepl", "memory"], start=1):
        mark_draft(message, f"Hola {cycle}.", provider=provider, date=f"2026-11-2{cycle}")
        message.msgstr = f"Hola, editado {cycle}."  # the translator rewrites the draft
        assert settle_draft_mark(message)
        formers = [c for c in message.translator_comments if c.startswith(FORMER_DRAFT_PREFIX)]
        assert len(formers) == 1 and f"provider={provider}" in formers[0] and f"date=2026-11-2{cycle}" in formers[0]
        assert message.translator_comments[0] == "Checked with Ana."
        assert not settle_draft_mark(message)
