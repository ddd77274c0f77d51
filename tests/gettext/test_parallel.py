"""Sharded update: forked processes give byte-identical files, and any trouble falls back to one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import invoke, write

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.parallel import JOBS_VARIABLE, can_fork, requested_jobs, run_sharded
from i18n_pipeline.gettext.pofile import read_po, save_po

needs_fork = pytest.mark.skipif(not can_fork(), reason="sharding needs os.fork")


def faq(n: int, extra: str = "") -> str:
    items = "".join(
        f"  - id: q{i}\n    question: Question {i} of document {n}?\n    answer: |\n"
        f"      Answer {i} of document {n}, first paragraph.\n\n      Second paragraph {i}.\n"
        for i in range(6)
    )
    return f"kind: faq\ntitle: Document {n}\nitems:\n{items}{extra}"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "catalogs").rglob("*")) if p.is_file()}


# -- run_sharded on plain functions ---------------------------------------------------------------


def _identity(value):
    return value


@needs_fork
def test_every_shard_but_the_first_runs_in_its_own_process_and_results_keep_shard_order():
    parent = os.getpid()
    results = run_sharded(
        [1, 2, 3],
        first=lambda n: ((n, os.getpid()), n * 10),
        combine=lambda found: sum(n for n, _ in found) if len({pid for _, pid in found}) == 3 else None,
        second=lambda state, total: state + total,
        finish=lambda value: (value, os.getpid()),
    )
    assert results is not None
    assert [value for value, _ in results] == [16, 26, 36]
    assert results[0][1] == parent
    assert len({pid for _, pid in results}) == 3


@needs_fork
@pytest.mark.parametrize("failing", [1, 2])
def test_an_error_in_any_shard_gives_none_so_the_caller_runs_serially(failing: int):
    def first(n: int) -> tuple[int, int]:
        if n == failing:
            raise PipelineError("broken")
        return n, n

    assert run_sharded([1, 2], first, combine=sum, second=lambda s, t: s + t, finish=_identity) is None


@needs_fork
@pytest.mark.parametrize("failing", [1, 2, 3])
def test_no_shard_writes_unless_every_shard_computed_its_result(tmp_path: Path, failing: int):
    def second(state: int, total: int) -> int:
        if state == failing:
            raise ValueError("boom")
        return state + total

    def finish(value: int) -> int:
        (tmp_path / f"written-{value}").write_text("x")
        return value

    assert run_sharded([1, 2, 3], lambda n: (n, n), combine=sum, second=second, finish=finish) is None
    assert list(tmp_path.iterdir()) == []


@needs_fork
def test_a_failure_while_writing_in_a_child_gives_none():
    def finish(value: int) -> int:
        if value == 2:
            raise OSError("disk full")
        return value

    assert run_sharded([1, 2], lambda n: (n, n), combine=lambda found: 0, second=lambda s, t: s, finish=finish) is None


@needs_fork
def test_combine_may_give_up():
    assert run_sharded([1, 2], lambda n: (n, n), combine=lambda found: None, second=lambda s, t: s, finish=_identity) is None


def test_one_shard_is_not_forked():
    assert run_sharded([1], lambda n: (n, n), combine=sum, second=lambda s, t: s, finish=_identity) is None


@pytest.mark.parametrize(("value", "expected"), [("", None), ("auto", None), ("1", 1), (" 4 ", 4)])
def test_jobs_come_from_the_environment(monkeypatch, value: str, expected: int | None):
    monkeypatch.setenv(JOBS_VARIABLE, value)
    assert requested_jobs() == expected


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_jobs_value_is_a_clear_error(monkeypatch, make_project, value: str):
    monkeypatch.setenv(JOBS_VARIABLE, value)
    with pytest.raises(PipelineError, match=JOBS_VARIABLE):
        requested_jobs()
    project = make_project({f"faq/d{n}.yaml": faq(n) for n in range(2)})
    result = invoke(project, "update")
    assert result.exit_code == 2
    assert JOBS_VARIABLE in result.output and "Traceback" not in result.output
    assert not (project / "catalogs").exists()


# -- update split over processes ------------------------------------------------------------------


def _project(make_project, tmp_path: Path, name: str) -> Path:
    root = make_project({f"faq/d{n}.yaml": faq(n) for n in range(5)})
    return root.rename(tmp_path / name)


@needs_fork
def test_sharded_update_writes_the_same_bytes_as_one_process(monkeypatch, make_project, tmp_path: Path):
    serial, sharded = _project(make_project, tmp_path, "serial"), _project(make_project, tmp_path, "sharded")
    for jobs, root in (("1", serial), ("3", sharded)):
        monkeypatch.setenv(JOBS_VARIABLE, jobs)
        assert invoke(root, "update").exit_code == 0
        # Translate the first document only; the last one gets a new key whose text it already has.
        catalog_path = root / "catalogs/es/LC_MESSAGES/faq/d0.po"
        catalog = read_po(catalog_path)
        for message in catalog.active:
            message.msgstr = "ES " + message.msgid
        save_po(catalog_path, catalog)
        write(root / "source/faq/d4.yaml", faq(4, "  - id: copy\n    question: Question 1 of document 0?\n    answer: New.\n"))
        write(root / "source/faq/d2.yaml", faq(2).replace("Second paragraph 3.", "Second paragraph 3, edited."))
        result = invoke(root, "update")
        assert result.exit_code == 0, result.output
    assert snapshot(serial) == snapshot(sharded)
    # The memory suggestion crossed shards: d0 and d4 never share a process with 3 jobs.
    suggested = {m.msgctxt: m for m in read_po(sharded / "catalogs/es/LC_MESSAGES/faq/d4.po").active}
    copy = next(m for key, m in suggested.items() if key and "copy" in key and "question" in key)
    assert copy.msgstr == "ES Question 1 of document 0?" and copy.fuzzy


@needs_fork
def test_a_broken_catalog_in_a_child_shard_reports_like_a_serial_run(monkeypatch, make_project, tmp_path: Path):
    root = _project(make_project, tmp_path, "broken")
    monkeypatch.setenv(JOBS_VARIABLE, "1")
    assert invoke(root, "update").exit_code == 0
    broken = root / "catalogs/es/LC_MESSAGES/faq/d4.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    write(root / "source/faq/d1.yaml", faq(1).replace("Answer 2", "Answer two"))
    before = snapshot(root)
    serial = invoke(root, "update")
    monkeypatch.setenv(JOBS_VARIABLE, "3")
    sharded = invoke(root, "update")
    assert serial.exit_code == sharded.exit_code == 2
    assert sharded.output == serial.output
    assert "d4.po" in sharded.output and "Traceback" not in sharded.output
    assert snapshot(root) == before


@needs_fork
def test_duplicate_ids_in_different_shards_are_reported_like_a_serial_run(monkeypatch, make_project, tmp_path: Path):
    root = _project(make_project, tmp_path, "dupes")
    write(root / "source/faq/d4.yaml", "id: faq/d0\n" + faq(4))
    monkeypatch.setenv(JOBS_VARIABLE, "1")
    serial = invoke(root, "update")
    monkeypatch.setenv(JOBS_VARIABLE, "3")
    sharded = invoke(root, "update")
    assert serial.exit_code == sharded.exit_code == 2
    assert sharded.output == serial.output and "faq/d0" in sharded.output
    assert not (root / "catalogs").exists()


def test_new_messages_are_expected_only_when_a_source_changed_after_its_template(make_project, tmp_path: Path) -> None:
    import time

    from i18n_pipeline.config import load_config
    from i18n_pipeline.project import _source_files, _UpdateWork

    root = _project(make_project, tmp_path, "expect")

    def expects() -> bool:
        config = load_config(root)
        return _UpdateWork(config, _source_files(config), None, "2026-11-25").expects_new_messages()

    assert not expects()  # no catalogs yet: there is no memory to search
    assert invoke(root, "update").exit_code == 0
    assert not expects()
    time.sleep(0.01)
    write(root / "source/faq/d3.yaml", faq(3, "  - id: extra\n    question: Something new?\n    answer: Yes.\n"))
    assert expects()
