"""The draft command: which messages get drafts, how they are marked, and that nothing is lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import invoke, msgfmt_check, needs_gettext
from libre_server import SMALL_FAQ, libre_server, po_path, small_project, trickling_server

from i18n_pipeline.config import load_config
from i18n_pipeline.gettext.catalog import DRAFT_PREFIX, Message, MessageState, text_hash
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.translate.drafts import draft_project, needs_draft
from i18n_pipeline.translate.provenance import mark_draft

FAST = "draft:\n  timeout: 0.5\n  backoff: 0.01\n  batch_size: 2\n"


def messages(root: Path) -> dict[str, Message]:
    return {m.msgctxt: m for m in read_po(po_path(root)).messages if m.msgctxt}


# --- choosing messages (pure) -------------------------------------------------


def test_untranslated_messages_need_a_draft() -> None:
    assert needs_draft(Message("Hello", msgctxt="k"))


def test_a_translators_text_is_never_a_candidate_even_when_fuzzy() -> None:
    human = Message("Hello", "Hola", msgctxt="k", flags=["fuzzy"])
    assert not needs_draft(human)
    assert not needs_draft(human, retranslate_fuzzy=True)


def test_earlier_drafts_are_candidates_only_with_retranslate_fuzzy() -> None:
    message = Message("Hello", msgctxt="k")
    mark_draft(message, "Hola", "libre", "2026-01-01")
    assert not needs_draft(message)
    assert needs_draft(message, retranslate_fuzzy=True)


def test_a_draft_a_person_edited_is_never_a_candidate_fuzzy_or_not() -> None:
    message = Message("Hello", msgctxt="k")
    mark_draft(message, "Hola", "libre", "2026-01-01")
    message.msgstr = "Hola, escrito por una persona"
    assert not needs_draft(message, retranslate_fuzzy=True)
    message.fuzzy = False
    assert not needs_draft(message, retranslate_fuzzy=True)


def test_a_legacy_draft_without_hash_is_not_replaced_since_nothing_proves_it_unedited() -> None:
    legacy = Message("Hello", "Hola", msgctxt="k", flags=["fuzzy"], translator_comments=[f"{DRAFT_PREFIX} provider=libre; date=2026-01-01"])
    assert legacy.state is MessageState.NEEDS_REVIEW
    assert not needs_draft(legacy, retranslate_fuzzy=True)


def test_obsolete_header_and_plural_messages_are_left_alone() -> None:
    assert not needs_draft(Message("Hello", msgctxt="k", obsolete=True))
    assert not needs_draft(Message("", msgstr="Language: es\n"))
    assert not needs_draft(Message("one", msgid_plural="many", msgstr_plural={0: "", 1: ""}))


# --- memory ------------------------------------------------------------------


@needs_gettext
def test_memory_drafts_exact_matches_with_score_and_provenance(make_project) -> None:
    root = make_project({"faq/small.yaml": SMALL_FAQ, "announcements/other.yaml": "kind: announcement\ntitle: Who can join?\nbody: Hi\n"})
    assert invoke(root, "update").exit_code == 0
    catalog = read_po(po_path(root))
    for m in catalog.messages:
        if m.msgid == "Who can join?":
            m.msgstr = "¿Quién puede unirse?"
    save_po(po_path(root), catalog)

    result = invoke(root, "draft")

    assert result.exit_code == 0, result.output
    other_path = root / "catalogs" / "es" / "LC_MESSAGES" / "announcements" / "other.po"
    other = read_po(other_path).by_key()["announcements/other/title"]
    assert msgfmt_check(other_path).returncode == 0
    assert other.msgstr == "¿Quién puede unirse?"
    assert other.fuzzy and other.state is MessageState.NEEDS_REVIEW
    assert other.draft == {"provider": "memory", "score": "100", "date": other.draft["date"], "hash": text_hash([other.msgstr])}  # type: ignore[index]


def test_memory_is_the_default_and_sends_nothing(make_project) -> None:
    root = small_project(make_project)
    result = invoke(root, "draft")
    assert result.exit_code == 0, result.output
    assert "0 draft(s) from memory" in result.output
    assert "without a draft" in result.output


# --- machine translation through the local LibreTranslate server ----------------


@needs_gettext
def test_libre_drafts_are_fuzzy_with_provenance_and_valid_po(make_project) -> None:
    root = small_project(make_project, FAST)
    with libre_server() as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 0, result.output
    drafted = messages(root)
    assert all(m.state is MessageState.NEEDS_REVIEW for m in drafted.values())
    assert drafted["faq/small/title"].draft["provider"] == "libre"  # type: ignore[index]
    assert drafted["faq/small/where/answer/1"].msgstr == "es: We meet online at https://example.org/meet every {weekday}."
    assert msgfmt_check(po_path(root)).returncode == 0


def test_protected_text_never_reaches_the_server(make_project) -> None:
    root = small_project(make_project, FAST)
    with libre_server() as server:
        invoke(root, "draft", "--provider", "libre", "--url", server.url)
    sent = "\n".join(server.texts)
    for secret in ("https://example.org/meet", "{weekday}", "admin@example.org", "**", "Interrupting Criminalization"):
        assert secret not in sent
    assert messages(root)["faq/small/who/answer/1"].msgstr == "es: Anyone who supports Interrupting Criminalization can join."


def test_a_mangled_token_keeps_the_draft_and_records_the_problem(make_project) -> None:
    root = small_project(make_project, FAST)

    def lossy(text: str, source: str, target: str) -> str:
        return text.replace("⟦1⟧", "")

    with libre_server(translate=lossy) as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 0
    entry = messages(root)["faq/small/where/answer/1"]
    assert entry.state is MessageState.NEEDS_REVIEW and "https://example.org/meet" in entry.msgstr and "{weekday}" not in entry.msgstr
    assert "i18n-pipeline problem: machine translation lost protected text '{weekday}'" in entry.translator_comments
    assert "lost protected text '{weekday}'" in result.output


def test_a_translators_text_is_never_overwritten(make_project) -> None:
    root = small_project(make_project, FAST)
    catalog = read_po(po_path(root))
    for m in catalog.messages:
        if m.msgctxt == "faq/small/title":
            m.msgstr, m.flags = "Preguntas frecuentes", ["fuzzy"]
    save_po(po_path(root), catalog)
    with libre_server() as server:
        invoke(root, "draft", "--provider", "libre", "--url", server.url, "--retranslate-fuzzy")
    assert messages(root)["faq/small/title"].msgstr == "Preguntas frecuentes"
    assert "Questions" not in server.texts


def test_retranslate_fuzzy_replaces_unedited_drafts_only(make_project) -> None:
    """A translator edits two machine drafts in Poedit (one left fuzzy, one made final); a redraft touches neither."""
    root = small_project(make_project, FAST)
    with libre_server() as server:
        assert invoke(root, "draft", "--provider", "libre", "--url", server.url).exit_code == 0
    catalog = read_po(po_path(root))
    by_key = catalog.by_key()
    by_key["faq/small/title"].msgstr = "Preguntas (mi versión)"  # still fuzzy, still carrying the draft comment
    by_key["faq/small/where/question"].msgstr = "¿Dónde nos reunimos?"
    by_key["faq/small/where/question"].fuzzy = False
    save_po(po_path(root), catalog)
    shutil.rmtree(root / ".i18n-pipeline-cache")  # so every redraft is a request the server sees
    with libre_server(translate=lambda text, source, target: f"{target} v2: {text}") as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--retranslate-fuzzy")
    assert result.exit_code == 0, result.output
    after = messages(root)
    assert after["faq/small/title"].msgstr == "Preguntas (mi versión)"
    assert after["faq/small/where/question"].msgstr == "¿Dónde nos reunimos?"
    assert "Questions" not in server.texts and "Where do we meet?" not in server.texts
    redrafted = [k for k, m in after.items() if m.msgstr.startswith("es v2: ")]
    assert len(redrafted) == 4 and all(after[k].state is MessageState.NEEDS_REVIEW for k in redrafted)


def test_rerun_is_byte_identical_and_retranslating_uses_the_cache(make_project) -> None:
    root = small_project(make_project, FAST)
    with libre_server() as server:
        invoke(root, "draft", "--provider", "libre", "--url", server.url)
        first = po_path(root).read_bytes()
        first_requests = server.requests
        again = invoke(root, "draft", "--provider", "libre", "--url", server.url)
        redraft = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--retranslate-fuzzy")
    assert po_path(root).read_bytes() == first
    assert "0 draft(s) from libre" in again.output
    assert server.requests == first_requests
    assert "0 request(s), 6 from cache" in redraft.output


def test_dry_run_sends_and_writes_nothing(make_project) -> None:
    root = small_project(make_project, FAST)
    before = po_path(root).read_bytes()
    with libre_server() as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--dry-run")
    assert result.exit_code == 0
    assert "6 message(s) would be drafted with libre" in result.output
    assert server.requests == 0 and po_path(root).read_bytes() == before
    assert not (root / ".i18n-pipeline-cache" / "drafts").exists()  # (update keeps its own cache there)


def test_limit_drafts_only_the_first_n(make_project) -> None:
    root = small_project(make_project, FAST)
    with libre_server() as server:
        invoke(root, "draft", "--provider", "libre", "--url", server.url, "--limit", "2")
    assert sum(m.state is MessageState.NEEDS_REVIEW for m in messages(root).values()) == 2
    assert server.requests == 2


def test_json_report(make_project) -> None:
    root = small_project(make_project, FAST)
    with libre_server() as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--json")
    data = json.loads(result.output)
    assert data["drafted"] == 6 and data["requests"] == 6 and data["provider"] == "libre"


@needs_gettext
def test_provider_failing_midway_keeps_every_draft_received(make_project) -> None:
    # A generous timeout: on a loaded machine a 0.5 s one could expire before the server takes a request
    # from the script, and the script would then end one failure short of the three that stop the run.
    root = small_project(make_project, "draft:\n  timeout: 10\n  backoff: 0.01\n  retries: 0\n  concurrency: 1\n  batch_size: 1\n")
    with libre_server(script=["ok", "ok", "ok"] + ["500"] * 50) as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 2
    assert "3 draft(s) received before the failure are saved" in result.output
    assert sum(m.state is MessageState.NEEDS_REVIEW for m in messages(root).values()) == 3
    assert msgfmt_check(po_path(root)).returncode == 0


@needs_gettext
def test_killing_the_run_leaves_valid_catalogs_with_the_drafts_so_far(make_project) -> None:
    root = small_project(make_project, "draft:\n  concurrency: 1\n  batch_size: 1\n")
    with libre_server(latency=0.3) as server:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from i18n_pipeline.cli import run; run()", "--project", str(root), "draft", "--provider", "libre", "--url", server.url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "i18n-pipeline draft:" not in po_path(root).read_text(encoding="utf-8"):
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    drafted = [m for m in messages(root).values() if m.state is MessageState.NEEDS_REVIEW]
    assert 1 <= len(drafted) < 6
    assert msgfmt_check(po_path(root)).returncode == 0


def test_a_file_saved_by_a_translator_during_drafting_wins(make_project) -> None:
    root = small_project(make_project, "draft:\n  timeout: 0.5\n  backoff: 0.01\n  concurrency: 1\n  batch_size: 1\n")
    config = load_config(root)
    edited = []

    def translator_saves_in_poedit(done: int, total: int) -> None:
        if done == 1:
            catalog = read_po(po_path(root))
            for m in catalog.messages:
                if m.msgctxt == "faq/small/who/answer/1":
                    m.msgstr = "Cualquiera puede unirse."
            time.sleep(0.01)
            save_po(po_path(root), catalog)
            edited.append(True)

    with libre_server() as server:
        report = draft_project(config, provider="libre", url=server.url, progress=translator_saves_in_poedit)
    assert edited
    final = messages(root)
    assert final["faq/small/who/answer/1"].msgstr == "Cualquiera puede unirse."
    assert not final["faq/small/who/answer/1"].fuzzy
    assert sum(m.state is MessageState.NEEDS_REVIEW for m in final.values()) == 5
    assert report.drafted == 5


def test_api_key_is_never_written_to_files(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBRE_API_KEY", "super-secret-key")
    root = small_project(make_project, FAST)
    with libre_server(api_key="super-secret-key") as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 0, result.output
    for path in root.rglob("*"):
        if path.is_file():
            assert b"super-secret-key" not in path.read_bytes(), path


def test_unknown_locale_and_document_are_clear_errors(make_project) -> None:
    root = small_project(make_project)
    assert "not one of the project's locales" in invoke(root, "draft", "--locale", "fr").output
    assert "no document with id 'nope'" in invoke(root, "draft", "--document", "nope").output


def test_configured_provider_with_bad_setting_names_the_config(make_project) -> None:
    root = small_project(make_project, "draft:\n  provider: libre\n")
    result = invoke(root, "draft")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml" in result.output and "--url" in result.output


def test_retranslate_fuzzy_leaves_legacy_drafts_alone_until_update_stamps_them(make_project) -> None:
    import re

    root = small_project(make_project, FAST)
    with libre_server() as server:
        assert invoke(root, "draft", "--provider", "libre", "--url", server.url).exit_code == 0
    po_path(root).write_text(re.sub(r"; hash=\w+", "", po_path(root).read_text(encoding="utf-8")), encoding="utf-8")
    with libre_server() as server:
        before = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--retranslate-fuzzy", "--dry-run")
        assert "6 draft(s) marked before drafts carried a hash were not replaced" in before.output
        assert "0 message(s) would be drafted" in before.output
        assert invoke(root, "update").exit_code == 0
        after = invoke(root, "draft", "--provider", "libre", "--url", server.url, "--retranslate-fuzzy", "--dry-run")
    assert "6 message(s) would be drafted" in after.output and "carried a hash" not in after.output


# --- issue 13: a provider that cannot be reached is a failure CI notices ------


def test_an_unreachable_provider_exits_non_zero_with_one_summary_line(make_project) -> None:
    root = small_project(make_project, FAST + "  retries: 1\n")
    with libre_server() as server:  # fewer messages than the "3 in a row" stop, or more: exit 2 either way
        url = server.url  # closed when the block ends: nothing listens there any more
    before = po_path(root).read_bytes()
    result = invoke(root, "draft", "--provider", "libre", "--url", url)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: ") and "cannot connect" in errors[0], result.stderr
    assert "nothing was written" in errors[0] and "warning" not in result.stderr
    assert po_path(root).read_bytes() == before


def test_some_failures_are_one_summary_line_not_one_warning_each(make_project) -> None:
    root = small_project(make_project, FAST + "  retries: 0\n")
    with libre_server(per_text={"Who": "500", "Anyone": "500"}) as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: 2 message(s) got no draft: 2 × gave up after 1 attempts: HTTP 500 (server error) (--verbose or --format json lists them)"]


def test_two_messages_against_an_unreachable_provider_exit_non_zero(make_project) -> None:
    """Fewer failures than the three-in-a-row stop used to end in exit 0 and a warning each."""
    root = small_project(make_project, FAST + "  retries: 0\n")
    with libre_server() as server:
        url = server.url
    result = invoke(root, "draft", "--provider", "libre", "--url", url, "--limit", "2")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert "no draft received from libre: 2 message(s) got no draft: 2 × gave up after 1 attempts: cannot connect" in result.stderr


def test_draft_with_timeout_2_against_a_trickling_server_ends_in_seconds(make_project) -> None:
    """Headers at once, then a byte a second: every request is cut at 2 s, the run fails clearly."""
    root = small_project(make_project, "draft:\n  timeout: 2\n  retries: 0\n")
    with trickling_server() as url:
        started = time.monotonic()
        result = invoke(root, "draft", "--provider", "libre", "--url", url)
        elapsed = time.monotonic() - started
    assert elapsed < 8, f"took {elapsed:.1f} s"
    assert result.exit_code == 2 and "no complete answer within 2 s" in result.stderr


@needs_gettext
def test_a_provider_answer_with_a_control_character_is_dropped_and_the_catalog_passes_msgfmt(make_project) -> None:
    root = small_project(make_project, FAST)

    def with_eot(text: str, source: str, target: str) -> str:
        return f"es:\x04 {text}" if "Who can join" in text else f"es: {text}"

    with libre_server(translate=with_eot) as server:
        result = invoke(root, "draft", "--provider", "libre", "--url", server.url)
    assert result.exit_code == 0, result.output
    assert "1 message(s) got no draft: 1 × the answer holds the control character U+0004; draft dropped" in result.stderr
    drafted = messages(root)
    assert drafted["faq/small/who/question"].msgstr == "" and all("\x04" not in m.msgstr for m in drafted.values())
    assert msgfmt_check(po_path(root)).returncode == 0
