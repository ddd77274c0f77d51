"""Incremental render: what the render cache lets render skip never changes what it writes or reports."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, invoke, write
from hypothesis import given, settings, strategies as st

from i18n_pipeline.config import CACHE_DIR, load_config
from i18n_pipeline.fileio import write_all
from i18n_pipeline.gettext.pofile import read_po, save_po
from i18n_pipeline.publish import render as render_module
from i18n_pipeline.publish.cache import RenderCache
from i18n_pipeline.publish.render import render_project, summary_lines

CATALOGS = [
    "catalogs/es/LC_MESSAGES/faq/learning-space.po",
    "catalogs/es/LC_MESSAGES/announcements/learning-space.po",
    "catalogs/en/LC_MESSAGES/announcements/que-esperar.po",
]
SOURCES = ["source/faq/learning-space.yaml", "source/announcements/learning-space.yaml", "source/announcements/que-esperar.yaml"]
OUTPUTS = [
    "out/faq/learning-space/single/es.html",
    "out/faq/learning-space/side-by-side/en-es.md",
    "out/pages/learning-space/side-by-side/en-es.txt",
    "out/announcements/learning-space/event.en.ics",
    "out/announcements/learning-space/single/es.html",  # withheld in the seed: must never stay
    "out/pages/learning-space/single/es.md",
]
TEXTS = ["Sí", "Preguntas frecuentes", "Inscríbase en la próxima sesión", ""]


def seed(root: Path) -> None:
    """The repo's project (documents, a composed page, an event, withheld and fallback versions) in ``root``."""
    root.mkdir(parents=True)
    for name in ("source", "catalogs", "glossary"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    write(root / "i18n-pipeline.yaml", _config_text("80", 72))


def _config_text(policy: str, width: int) -> str:
    """The repo's config with two of the four layouts (enough for one-language and two-language pages; faster)."""
    text = (REPO / "i18n-pipeline.yaml").read_text(encoding="utf-8")
    return text + f"render:\n  layouts: [single, side-by-side]\n  policy: {json.dumps(policy)}\n  text_width: {width}\n"


def outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "out").rglob("*")) if p.is_file()}


def rendered(root: Path, *, use_cache: bool) -> tuple[dict[str, object], list[str], dict[str, bytes]]:
    report = render_project(load_config(root), allow_incomplete=True, use_cache=use_cache)
    return report.as_dict(), summary_lines(report, verbose=True), outputs(root)


_translation = st.tuples(st.just("translate"), st.sampled_from(CATALOGS), st.integers(0, 30), st.sampled_from(TEXTS), st.booleans())
_withdraw = st.tuples(st.just("withdraw"), st.sampled_from(CATALOGS[:2]))
_source = st.tuples(st.just("source"), st.sampled_from(SOURCES), st.sampled_from(["Learning Space", "Who is this space for?", "2023"]))
_output = st.tuples(st.just("output"), st.sampled_from(OUTPUTS), st.sampled_from(["delete", "tamper", "put back"]))
_template = st.tuples(st.just("template"), st.sampled_from(["add", "change", "remove"]))
_config = st.tuples(st.just("config"), st.sampled_from(["80", "strict", "fallback"]), st.sampled_from([72, 60]))
_cache = st.tuples(st.just("cache"), st.sampled_from(["delete", "garbage", "old-format"]))
_touch = st.tuples(st.just("touch"), st.sampled_from(CATALOGS + SOURCES))
_edit = st.one_of(_translation, _translation, _withdraw, _source, _output, _output, _template, _config, _cache, _touch)


def _apply(root: Path, edit: tuple, incremental: bool) -> None:
    kind = edit[0]
    if kind == "translate":
        _, name, index, text, fuzzy = edit
        catalog = read_po(root / name)
        message = catalog.active[index % len(catalog.active)]
        message.msgstr = text
        message.fuzzy = fuzzy and bool(text)
        save_po(root / name, catalog)
    elif kind == "withdraw":
        catalog = read_po(root / edit[1])
        for message in catalog.active:
            message.fuzzy = bool(message.msgstr)
        save_po(root / edit[1], catalog)
    elif kind == "source":
        _, name, word = edit
        path = root / name
        path.write_text(path.read_text(encoding="utf-8").replace(word, word.upper(), 1), encoding="utf-8")
    elif kind == "output":
        _, name, how = edit
        path = root / name
        if how == "delete" and path.exists():
            path.unlink()
        elif how == "tamper" and path.exists():
            data = path.read_bytes()
            path.write_bytes(data[:-2] + b"X" + data[-1:])  # same size
        elif how == "put back":
            write(path, "an old translation, never reviewed\n")
    elif kind == "template":
        path = root / "templates" / "render" / "page.txt.j2"
        if edit[1] == "remove":
            if path.exists():
                path.unlink()
        else:
            shipped = (Path(render_module.__file__).parent / "templates" / "render" / "page.txt.j2").read_text(encoding="utf-8")
            write(path, f"Project {edit[1]}\n" + shipped)
    elif kind == "config":
        _, policy, width = edit
        write(root / "i18n-pipeline.yaml", _config_text(policy, width))
    elif kind == "cache" and incremental:
        folder = root / CACHE_DIR / "render"
        for path in folder.glob("*.json"):
            if edit[1] == "delete":
                path.unlink()
            elif edit[1] == "garbage":
                path.write_text('{"format": 1, "key": [', encoding="utf-8")
            else:
                data = json.loads(path.read_text(encoding="utf-8"))
                data["format"] = 0
                path.write_text(json.dumps(data), encoding="utf-8")
    elif kind == "touch":
        path = root / edit[1]
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


@settings(max_examples=15, deadline=None)
@given(st.lists(_edit, min_size=1, max_size=6))
def test_incremental_render_writes_and_reports_what_a_full_render_does(edits: list[tuple]) -> None:
    """Any sequence of edits to catalogs, sources, outputs, templates, config and cache: same files, same report."""
    with tempfile.TemporaryDirectory() as folder:
        incremental, full = Path(folder) / "incremental", Path(folder) / "full"
        seed(incremental)
        seed(full)
        for edit in [("none",), *edits]:
            _apply(incremental, edit, True)
            _apply(full, edit, False)
            result = rendered(incremental, use_cache=True)
            assert result == rendered(full, use_cache=False), edit
            # Whatever the cache holds, no withheld version has a file on disk.
            for version in result[0]["versions"]:  # type: ignore[attr-defined]
                if not version["published"]:
                    code = version["locale"]
                    names = [p.name for p in (incremental / "out" / version["document"]).rglob("*") if p.is_file()]
                    assert not [n for n in names if n.startswith((f"{code}.", f"event.{code}.")) or f"-{code}." in n], (edit, names)


def test_a_no_op_render_reads_no_document_and_reports_every_file_unchanged(seed_project: Path) -> None:
    config = load_config(seed_project)
    first = render_project(config, allow_incomplete=True)
    cache = RenderCache.load(config, _options(config))
    plan = render_module._plan(config, cache)
    assert plan and all(item.document is None for item in plan)
    again = render_project(config, allow_incomplete=True)
    assert again.written == [] and again.unchanged == first.written
    assert [v.as_dict() for v in again.versions] == [v.as_dict() for v in first.versions]
    assert again.notes == first.notes


def test_a_fuzzy_edit_withdraws_the_page_even_when_cached(seed_project: Path) -> None:
    """Nothing unreviewed gets published: a version that falls below its policy loses its files at once."""
    config = load_config(seed_project)
    render_project(config, allow_incomplete=True)
    page = seed_project / "out/faq/learning-space/single/es.html"
    assert page.exists()
    po = seed_project / CATALOGS[0]
    catalog = read_po(po)
    for message in catalog.active[:10]:
        message.fuzzy = True
    save_po(po, catalog)
    report = render_project(config, allow_incomplete=True)
    assert not page.exists()
    assert "out/faq/learning-space/single/es.html" in report.removed
    assert not list((seed_project / "out/faq/learning-space").rglob("*es.*"))
    assert any(v.document == "faq/learning-space" and v.locale == "es" and not v.published for v in report.versions)


def test_a_withheld_file_put_back_is_removed_by_a_cached_render(seed_project: Path) -> None:
    config = load_config(seed_project)
    render_project(config, allow_incomplete=True)
    stale = write(seed_project / "out/announcements/learning-space/single/es.html", "<p>unreviewed</p>\n")
    report = render_project(config, allow_incomplete=True)
    assert not stale.exists() and report.removed == ["out/announcements/learning-space/single/es.html"]


def test_a_deleted_or_edited_output_file_is_written_again(seed_project: Path) -> None:
    config = load_config(seed_project)
    render_project(config, allow_incomplete=True)
    deleted = seed_project / "out/faq/learning-space/sequential/en-es.md"
    edited = seed_project / "out/pages/learning-space/interleaved/en-es.html"
    good = deleted.read_bytes(), edited.read_bytes()
    deleted.unlink()
    edited.write_bytes(good[1].replace(b"<main>", b"<main>!", 1))
    report = render_project(config, allow_incomplete=True)
    assert (deleted.read_bytes(), edited.read_bytes()) == good
    assert set(report.written) == {"out/faq/learning-space/sequential/en-es.md", "out/pages/learning-space/interleaved/en-es.html"}


def test_a_changed_template_override_renders_again(seed_project: Path) -> None:
    config = load_config(seed_project)
    render_project(config, allow_incomplete=True)
    shipped = (Path(render_module.__file__).parent / "templates" / "render" / "page.md.j2").read_text(encoding="utf-8")
    override = write(seed_project / "templates" / "render" / "page.md.j2", "<!-- ours -->\n" + shipped)
    render_project(config, allow_incomplete=True)
    page = seed_project / "out/faq/learning-space/single/en.md"
    assert page.read_text(encoding="utf-8").startswith("<!-- ours -->")
    override.write_text("<!-- ours, revised -->\n" + shipped, encoding="utf-8")
    render_project(config, allow_incomplete=True)
    assert page.read_text(encoding="utf-8").startswith("<!-- ours, revised -->")


def test_a_corrupt_or_missing_cache_means_a_full_render_not_an_error(seed_project: Path) -> None:
    assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0
    expected = outputs(seed_project)
    for path in (seed_project / CACHE_DIR / "render").glob("*.json"):
        path.write_bytes(b"\xff{not json")
    shutil.rmtree(seed_project / "out" / "faq")
    result = invoke(seed_project, "render", "--allow-incomplete", "--format", "json")
    assert result.exit_code == 0
    assert outputs(seed_project) == expected
    assert any(path.startswith("out/faq/") for path in json.loads(result.output)["written"])
    shutil.rmtree(seed_project / CACHE_DIR)
    assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0
    assert outputs(seed_project) == expected


def test_no_cache_renders_every_page_with_the_same_result(seed_project: Path) -> None:
    assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0
    cached = invoke(seed_project, "render", "--allow-incomplete", "--format", "json")
    full = invoke(seed_project, "render", "--allow-incomplete", "--no-cache", "--format", "json")
    assert json.loads(cached.output) == json.loads(full.output)


def test_the_cache_key_changes_with_the_tool_version_and_the_options(seed_project: Path, monkeypatch) -> None:
    import i18n_pipeline

    config = load_config(seed_project)
    render_project(config, allow_incomplete=True)
    assert RenderCache.load(config, _options(config)).units
    assert not RenderCache.load(config, {**_options(config), "mode": "preview"}).units
    monkeypatch.setattr(i18n_pipeline, "__version__", "99.0")
    assert not RenderCache.load(config, _options(config)).units


def _options(config) -> dict[str, object]:
    """The options a default ``render --allow-incomplete`` keys its cache with."""
    from i18n_pipeline.choices import LAYOUTS, PAGE_FORMATS

    return {"mode": "final", "layouts": list(LAYOUTS), "formats": list(PAGE_FORMATS), "locale": None,
            "out": str(config.output_path.resolve()), "allow_incomplete": True}


def test_write_all_writes_what_changed_and_leaves_identical_files_alone(tmp_path: Path) -> None:
    same = write(tmp_path / "a" / "same.html", "<p>same</p>\n")
    old = write(tmp_path / "a" / "old.md", "old\n")
    os.chmod(old, 0o640)
    before = same.stat().st_mtime_ns
    changed = write_all([(same, "<p>same</p>\n"), (old, "new\n"), (tmp_path / "b" / "c" / "new.txt", "ñ\n")])
    assert [c for c, _ in changed] == [False, True, True]
    assert same.stat().st_mtime_ns == before
    assert old.read_text(encoding="utf-8") == "new\n" and old.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b" / "c" / "new.txt").read_bytes() == "ñ\n".encode()
    assert not list(tmp_path.rglob(".i18n-tmp-*"))


def test_a_failed_write_all_changes_nothing_and_leaves_no_temp_file(tmp_path: Path) -> None:
    first = write(tmp_path / "first.html", "first\n")
    (tmp_path / "folder.html").mkdir()  # cannot be read or replaced as a file
    with pytest.raises(OSError):
        write_all([(first, "changed\n"), (tmp_path / "folder.html", "x\n")])
    assert first.read_text(encoding="utf-8") == "first\n"
    assert not list(tmp_path.rglob(".i18n-tmp-*"))


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under ``root``, the render cache and the project lock aside."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if CACHE_DIR not in p.parts and p.name != ".i18n-pipeline.lock"}


@pytest.mark.parametrize("first_render", [False, True])
def test_a_render_that_fails_half_way_changes_nothing(seed_project: Path, first_render: bool) -> None:
    """Pages are staged as they are rendered; an error in a later document leaves no file, folder or temp file."""
    if first_render:
        assert invoke(seed_project, "render", "--allow-incomplete").exit_code == 0
        po = seed_project / CATALOGS[0]
        catalog = read_po(po)
        catalog.active[0].msgstr = "Preguntas"
        save_po(po, catalog)
    shipped = (Path(render_module.__file__).parent / "templates" / "render" / "page.md.j2").read_text(encoding="utf-8")
    # Fails only on the last document (faq/learning-space), after the others' pages were staged.
    write(seed_project / "templates/render/page.md.j2", '{% if page.id == "faq/learning-space" %}{{ page.nope }}{% endif %}' + shipped)
    before = _tree(seed_project)
    result = invoke(seed_project, "render", "--allow-incomplete", "--no-cache")
    assert result.exit_code == 2 and "template error" in result.output
    assert _tree(seed_project) == before


@pytest.mark.parametrize("options", [("--mode", "preview"), ("--locale", "es"), ("--layout", "single", "--page-format", "md")])
def test_a_cached_render_with_options_reports_and_writes_what_a_full_one_does(seed_project: Path, options: tuple[str, ...]) -> None:
    """Each set of options keeps its own cache; a second run with them is a full run's twin."""
    assert invoke(seed_project, "render", "--allow-incomplete", *options).exit_code == 0
    po = seed_project / CATALOGS[0]
    catalog = read_po(po)
    catalog.active[1].msgstr = ""
    save_po(po, catalog)
    cached = invoke(seed_project, "render", "--allow-incomplete", "--format", "json", *options)
    files = outputs(seed_project)
    full = invoke(seed_project, "render", "--allow-incomplete", "--format", "json", "--no-cache", *options)
    assert json.loads(cached.output)["versions"] == json.loads(full.output)["versions"]
    assert json.loads(cached.output)["notes"] == json.loads(full.output)["notes"]
    assert outputs(seed_project) == files
