"""Incremental update: what the manifest lets update skip never changes what it writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import invoke, write
from hypothesis import given, settings, strategies as st

from i18n_pipeline import project
from i18n_pipeline.config import RelativePaths, load_config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.manifest import CACHE_DIR, Manifest

DATE = "2026-11-27"
DOCS = ["faq/a.yaml", "faq/b.yaml", "news/c.yaml"]
TEXTS = [
    "Who is this space for?",
    "Who is this learning space for?",
    "When do we meet?",
    "When do we meet again?",
    "It is free for everyone who wants to come.",
    "It is free for everybody who wants to come.",
]


def faq(items: list[tuple[str, int, int]], lang: str) -> str:
    lines = ["kind: faq", "title: Questions", f"lang: {lang}", "items:"]
    for item_id, question, answer in items:
        lines += [f"  - id: {item_id}", f"    question: {TEXTS[question]!r}", f"    answer: {TEXTS[answer]!r}"]
    return "\n".join(lines) + "\n"


def files(root: Path) -> dict[str, bytes]:
    """Everything update writes: templates and catalogs."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "catalogs").rglob("*")) if p.is_file()}


_source_edit = st.tuples(
    st.just("source"),
    st.sampled_from(DOCS),
    st.lists(st.tuples(st.sampled_from(["who", "when", "cost", "where"]), st.integers(0, 5), st.integers(0, 5)), max_size=4, unique_by=lambda t: t[0]),
    st.sampled_from(["en", "en", "es"]),
)
_translation = st.tuples(st.just("translate"), st.sampled_from(DOCS), st.sampled_from(["en", "es"]), st.integers(0, 20), st.sampled_from(TEXTS + [""]), st.booleans())
_cache_trouble = st.tuples(st.just("cache"), st.sampled_from(["delete", "garbage", "memory-garbage", "old-format", "config-garbage"]))
_config = st.tuples(st.just("config"), st.sampled_from([79, 60]), st.sampled_from([90, 70, 101]))
_touch = st.tuples(st.just("touch"), st.sampled_from(DOCS))
_edit = st.one_of(_source_edit, _source_edit, _translation, _translation, _cache_trouble, _config, _touch)


def _apply(root: Path, edit: tuple, incremental: bool) -> None:
    kind = edit[0]
    if kind == "source":
        _, name, items, lang = edit
        path = root / "source" / name
        if items:
            write(path, faq(items, lang))
        elif path.exists():
            path.unlink()
    elif kind == "translate":
        _, name, locale, index, text, fuzzy = edit
        path = root / "catalogs" / locale / "LC_MESSAGES" / name.replace(".yaml", ".po")
        if path.exists():
            catalog = read_po(path)
            active = catalog.active
            if active:
                message = active[index % len(active)]
                message.msgstr = text
                message.fuzzy = fuzzy and bool(text)
                save_po(path, catalog)
    elif kind == "cache" and incremental:
        folder = root / CACHE_DIR / "update"
        if edit[1] == "delete":
            shutil.rmtree(folder, ignore_errors=True)
        elif edit[1] == "garbage" and (folder / "manifest.json").exists():
            (folder / "manifest.json").write_text('{"format": 1, "key": [', encoding="utf-8")
        elif edit[1] == "memory-garbage":
            for path in (folder / "memory").glob("*.json"):
                path.write_text('{"catalog": 3}', encoding="utf-8")
        elif edit[1] == "config-garbage":
            write(root / CACHE_DIR / "config.json", '{"key": 3, "locales": "es"}')
        elif edit[1] == "old-format" and (folder / "manifest.json").exists():
            data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            data["format"] = 0
            (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    elif kind == "config":
        _, width, threshold = edit
        memory = "" if threshold > 100 else f"memory: {{threshold: {threshold}}}\n"
        write(root / "i18n-pipeline.yaml", f"source_locale: en\nlocales: [en, es]\nwrap_width: {width}\n{memory}")
    elif kind == "touch":
        path = root / "source" / edit[1]
        if path.exists():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@settings(max_examples=40, deadline=None)
@given(st.lists(_edit, min_size=1, max_size=8))
def test_incremental_update_writes_what_a_full_update_writes(edits: list[tuple]) -> None:
    """Any sequence of edits to sources, catalogs, config and cache: the same files as from scratch."""
    with tempfile.TemporaryDirectory() as folder:
        incremental, full = Path(folder) / "incremental", Path(folder) / "full"
        for root in (incremental, full):
            write(root / "i18n-pipeline.yaml", "source_locale: en\nlocales: [en, es]\n")
            write(root / "source" / DOCS[0], faq([("who", 0, 4), ("when", 2, 4)], "en"))
            write(root / "source" / DOCS[1], faq([("who", 1, 5)], "en"))
        for edit in [("none",), *edits]:
            _apply(incremental, edit, True)
            _apply(full, edit, False)
            shutil.rmtree(full / CACHE_DIR, ignore_errors=True)
            project.update(load_config(incremental), date=DATE)
            project.update(load_config(full), date=DATE)
            assert files(incremental) == files(full), edit


def test_unchanged_documents_are_neither_read_nor_merged(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en"), "faq/b.yaml": faq([("when", 2, 5)], "en")})
    config = load_config(root)
    project.update(config, date=DATE)
    write(root / "source/faq/b.yaml", faq([("when", 3, 5)], "en"))
    plan = project._plan(config, Manifest.load(config))
    assert [(item.source, item.unchanged) for item in plan] == [("source/faq/a.yaml", True), ("source/faq/b.yaml", False)]


def test_a_catalog_edited_by_a_translator_is_read_again(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    config = load_config(root)
    project.update(config, date=DATE)
    po = root / "catalogs/es/LC_MESSAGES/faq/a.po"
    catalog = read_po(po)
    catalog.active[0].msgstr = "¿Para quién es este espacio?"
    save_po(po, catalog)
    plan = project._plan(config, Manifest.load(config))
    assert not plan[0].unchanged


def test_same_size_same_time_edit_right_after_a_run_is_still_seen(make_project) -> None:
    """Git's racy-clean case: an edit that keeps size and modification time is caught by the hash."""
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    config = load_config(root)
    project.update(config, date=DATE)
    source = root / "source/faq/a.yaml"
    before = source.stat()
    source.write_text(source.read_text(encoding="utf-8").replace("space", "SPACE"), encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not project._plan(config, Manifest.load(config))[0].unchanged


def test_a_changed_config_means_a_full_run(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    project.update(load_config(root), date=DATE)
    write(root / "i18n-pipeline.yaml", "source_locale: en\nlocales: [en, es, fr]\n")
    config = load_config(root)
    assert Manifest.load(config).documents == {}
    project.update(config, date=DATE)
    assert (root / "catalogs/fr/LC_MESSAGES/faq/a.po").is_file()


def test_a_corrupt_manifest_is_no_error(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    assert invoke(root, "update").exit_code == 0
    (root / CACHE_DIR / "update" / "manifest.json").write_bytes(b"\xff{not json")
    result = invoke(root, "update")
    assert result.exit_code == 0 and "wrote" not in result.output


def test_no_op_update_writes_nothing_and_reports_every_file_up_to_date(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en"), "faq/b.yaml": faq([("when", 2, 5)], "en")})
    assert invoke(root, "update").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (root / "catalogs").rglob("*") if p.is_file()}
    result = invoke(root, "update")
    assert result.exit_code == 0
    assert "2 already up to date" in result.output  # the catalogs; templates are not listed
    assert {p: p.stat().st_mtime_ns for p in (root / "catalogs").rglob("*") if p.is_file()} == before


def test_a_changed_glossary_or_tool_version_means_a_full_run(make_project, monkeypatch) -> None:
    import i18n_pipeline

    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    config = load_config(root)
    project.update(config, date=DATE)
    assert Manifest.load(config).documents
    write(root / "glossary" / "es.yaml", "terms:\n  space: espacio\n")
    assert Manifest.load(config).documents == {}
    project.update(config, date=DATE)
    assert Manifest.load(config).documents
    monkeypatch.setattr(i18n_pipeline, "__version__", "99.0")
    assert Manifest.load(config).documents == {}


def test_file_names_resolved_folder_by_folder_are_those_config_relative_gives(make_project, tmp_path) -> None:
    """update names files by resolving each folder once: the same names as resolving every path, symlinks included."""
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    config = load_config(root)
    outside = tmp_path / "elsewhere"
    write(outside / "x.po", "")
    write(root / "catalogs/es/LC_MESSAGES/real/y.po", "")
    (root / "catalogs/es/LC_MESSAGES/linked").symlink_to(root / "catalogs/es/LC_MESSAGES/real")
    (root / "catalogs/es/LC_MESSAGES/out").symlink_to(outside)
    (root / "catalogs/es/LC_MESSAGES/z.po").symlink_to(root / "catalogs/es/LC_MESSAGES/real/y.po")
    paths = [
        root / "source/faq/a.yaml",
        root / "catalogs/es/LC_MESSAGES/linked/y.po",
        root / "catalogs/es/LC_MESSAGES/out/x.po",
        root / "catalogs/es/LC_MESSAGES/z.po",
        root / "catalogs/es/LC_MESSAGES/not-yet/new.po",
        root / "i18n-pipeline.yaml",
    ]
    shown = RelativePaths(config, [config.source_path, config.catalog_path])
    assert [shown(path) for path in paths] == [config.relative(path) for path in paths]


def test_a_no_op_build_reads_each_source_once(seed_project: Path, monkeypatch) -> None:
    """build loads the documents once and hands them on (render's trial page, the status page), not four times."""
    from i18n_pipeline.sources import documents

    assert invoke(seed_project, "build").exit_code == 0
    read: list[str] = []
    original = documents.load_document

    def counting(path: Path, *args, **kwargs):
        read.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(documents, "load_document", counting)
    before = {p: p.read_bytes() for p in seed_project.rglob("*") if p.is_file() and CACHE_DIR not in p.parts}
    assert invoke(seed_project, "build").exit_code == 0
    sources = sorted(p.name for p in (seed_project / "source").rglob("*.yaml"))
    assert sorted(read) == sources
    assert {p: p.read_bytes() for p in seed_project.rglob("*") if p.is_file() and CACHE_DIR not in p.parts} == before


CONFIG_WITH_SECTIONS = """\
project_name: cached
source_locale: en
locales: [en, es-MX]
wrap_width: 60
memory: {threshold: 80}
render:
  layouts: [single, side-by-side]
  text_width: 70
documents:
  faq/a: {policy: strict}
pages:
  faq/all:
    documents: [faq/a]
check:
  disable: [whitespace]
"""


def test_update_keeps_the_validated_config_and_the_next_load_equals_a_parse(make_project, monkeypatch) -> None:
    import i18n_pipeline

    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")}, CONFIG_WITH_SECTIONS)
    parsed = load_config(root)
    assert parsed.parsed_from  # no cache yet: parsed from the file
    project.update(parsed, date=DATE)
    cached = load_config(root)
    assert not cached.parsed_from  # taken from the cache update kept
    assert cached == parsed and (cached.sections, cached.lines) == (parsed.sections, parsed.lines)
    assert cached.pages == parsed.pages and cached.memory_threshold == 80.0 and cached.locales == ("en", "es_MX")
    monkeypatch.setattr(i18n_pipeline, "__version__", "99.0")
    assert load_config(root).parsed_from  # another version of the tool parses and validates again


def test_an_edited_config_is_read_again_never_taken_from_the_cache(make_project) -> None:
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    assert invoke(root, "update").exit_code == 0
    assert not load_config(root).parsed_from
    write(root / "i18n-pipeline.yaml", "source_locale: en\nlocales: [en, es, zz]\n")
    result = invoke(root, "update")
    assert result.exit_code == 2 and "i18n-pipeline.yaml:2: unknown locale code 'zz'" in result.stderr
    write(root / "i18n-pipeline.yaml", "source_locale: en\nlocales: [en, fr]\n")
    assert load_config(root).locales == ("en", "fr")


def test_a_cached_config_still_refuses_an_output_folder_symlinked_outside(make_project, tmp_path) -> None:
    """Where catalog_dir and output_dir resolve depends on the disk, not on the config's bytes: checked every time."""
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en")})
    assert invoke(root, "update").exit_code == 0
    (tmp_path / "elsewhere").mkdir()
    (root / "out").symlink_to(tmp_path / "elsewhere")
    try:
        load_config(root)
    except PipelineError as exc:
        assert "'output_dir' (out) resolves to" in str(exc)
    else:
        raise AssertionError("a symlinked output folder outside the project was accepted")
    assert load_config(root, allow_outside=True).outside == (("output_dir", (tmp_path / "elsewhere").resolve()),)


def test_a_no_op_update_imports_neither_ruamel_yaml_nor_babel(make_project) -> None:
    """What makes a no-op fast: with the config cached and nothing changed, no YAML is parsed and no locale looked up."""
    root = make_project({"faq/a.yaml": faq([("who", 0, 4)], "en"), "faq/b.yaml": faq([("when", 2, 5)], "en")})
    script = (
        "import sys\n"
        "from i18n_pipeline.cli import main\n"
        f"code = main.main(['--project', {str(root)!r}, 'update'], standalone_mode=False)\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'ruamel', 'babel'}), code)\n"
    )
    # Both runs in a fresh interpreter: the cache is keyed by the libraries the process finds on its path.
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "2 file(s) written" in first.stdout and first.stdout.splitlines()[-1] == "['babel', 'ruamel'] None"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "2 already up to date" in done.stdout
    assert done.stdout.splitlines()[-1] == "[] None"


def test_write_all_gives_the_hash_of_each_file_written_or_left_alone(tmp_path: Path) -> None:
    """update records these hashes in its cache instead of hashing every file it wrote a second time."""
    from i18n_pipeline.fileio import write_all
    from i18n_pipeline.manifest import digest

    files = [(tmp_path / "a.po", "msgid \"a\"\n"), (tmp_path / "b" / "b.pot", "msgid \"ñ\"\n")]
    expected = [digest(text.encode("utf-8")) for _, text in files]
    assert write_all(files) == [(True, expected[0]), (True, expected[1])]
    assert write_all(files) == [(False, expected[0]), (False, expected[1])]
