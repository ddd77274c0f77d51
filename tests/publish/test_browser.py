"""A real headless Chromium loads rendered pages: safety and accessibility.

1. A hostile translation: the lang attributes are right, nothing in the
   translation executed or became a live link, the page made no network
   request; a screenshot is saved in the test's tmp dir.
2. axe-core 4.x (the npm registry's package, fetched by ``.ci/run`` with
   ``npm pack`` into a cache outside git; found through ``AXE_CORE_JS``) is
   injected into every HTML page ``build`` writes (documents, composed pages,
   previews, status.html) at 1280 and 390 px: WCAG 2.1 A/AA and best-practice
   rules, zero violations; no page scrolls sideways; side-by-side stacks into
   one column on a phone; interleaved pairs read as units.

The system chromedriver is used explicitly (Selenium Manager would download
drivers and send usage statistics). Skipped when Chromium, chromedriver or
axe-core are missing, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else shutil.which("chromedriver")
AXE = Path(os.environ.get("AXE_CORE_JS") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "i18n-pipeline/axe-core/package/axe.min.js")
IN_CI = os.environ.get("CI", "").lower() == "true"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def need(condition: bool, what: str) -> None:
    """Skip without ``what`` on a developer machine; fail in CI, where .ci/run installs it."""
    if not condition:
        message = f"headless browser test needs {what} (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


HOSTILE = {
    "faq/learning-space/title": "<script>window.__pwned = 1</script>PREGUNTAS FRECUENTES",
    "faq/learning-space/who-is-this-for/question": '<img src=x onerror="window.__pwned = 2">¿Para quién es este espacio?',
    "faq/learning-space/who-is-this-for/answer/1": "[Haga clic](javascript:window.__pwned=3) y [aquí](https://evil.example/)",
}


@pytest.fixture
def hostile_page(seed_project: Path) -> Path:
    from i18n_pipeline.gettext.pofile import read_po, save_po

    path = seed_project / "catalogs/es/LC_MESSAGES/faq/learning-space.po"
    catalog = read_po(path)
    for message in catalog.messages:
        if message.msgctxt in HOSTILE:
            message.msgstr = HOSTILE[message.msgctxt]
            message.fuzzy = False
    save_po(path, catalog)
    result = invoke(seed_project, "render", "--document", "faq/learning-space", "--format", "html", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    return seed_project / "out/faq/learning-space"


@pytest.fixture
def browser(tmp_path: Path):
    need(CHROMIUM is not None, "Debian's chromium")
    need(CHROMEDRIVER is not None, "Debian's chromium-driver (/usr/bin/chromedriver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1200,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.parametrize("layout", ["sequential", "side-by-side", "interleaved"])
def test_hostile_translation_executes_nothing_in_a_real_browser(hostile_page: Path, browser, tmp_path: Path, layout: str) -> None:
    page = hostile_page / layout / "en-es.html"
    browser.get(page.as_uri())
    run = browser.execute_script
    assert run("return document.documentElement.lang") == "en"
    assert run("return typeof window.__pwned") == "undefined"
    assert run("return document.scripts.length") == 0
    assert run("return document.querySelectorAll('img, [onerror]').length") == 0
    hrefs = run("return Array.from(document.links, a => a.href)")
    assert hrefs and all(h == "mailto:admin@interruptingcriminalization.org" for h in hrefs)
    # The hostile text is shown as text, in Spanish blocks.
    spanish = run("return Array.from(document.querySelectorAll('[lang=es]'), e => e.textContent).join('\\n')")
    assert "<script>window.__pwned = 1</script>PREGUNTAS FRECUENTES" in spanish
    assert "[Haga clic](javascript:window.__pwned=3)" in spanish
    langs = set(run("return Array.from(document.querySelectorAll('body [lang]'), e => e.lang)"))
    assert langs == {"en", "es"}
    # Every text block says its language (directly or through its column/section).
    unmarked = run(
        "return Array.from(document.querySelectorAll('h1, h2, p, td')).filter(e => !e.closest('[lang]') || e.closest('[lang]') === document.documentElement).length"
    )
    assert unmarked == 0
    assert run("return performance.getEntriesByType('resource').length") == 0
    shot = tmp_path / f"{layout}.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


# --- accessibility: axe-core on every page build writes ------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's project built (documents, the learning-space page, status.html) plus previews."""
    from conftest import REPO

    project = tmp_path_factory.mktemp("site") / "project"
    project.mkdir()
    for name in ("source", "catalogs", "glossary"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "i18n-pipeline.yaml", project / "i18n-pipeline.yaml")
    assert invoke(project, "build").exit_code == 0
    preview = invoke(project, "render", "--mode", "preview", "--format", "html")
    assert preview.exit_code == 0, preview.output
    return project / "out"


def html_pages(build: Path) -> list[Path]:
    return sorted(build.rglob("*.html"))


def set_width(browser, size: tuple[int, int]) -> None:
    width, height = size
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def axe_violations(browser, page: Path, source: str) -> list[str]:
    browser.get(page.as_uri())
    browser.execute_script(source)
    browser.set_script_timeout(120)
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));",
        AXE_TAGS,
    )
    return list(found)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_rendered_page_and_status_page_pass_axe_with_zero_violations(built_site: Path, browser, width: str) -> None:
    need(AXE.is_file(), f"axe-core 4.x at {AXE} (npm pack axe-core@4; or set AXE_CORE_JS)")
    source = AXE.read_text(encoding="utf-8")
    set_width(browser, WIDTHS[width])
    pages = html_pages(built_site)
    names = {p.relative_to(built_site).as_posix() for p in pages}
    assert "status.html" in names and "pages/learning-space/side-by-side/en-es.html" in names
    assert any(name.startswith("preview/") for name in names)
    assert browser.execute_script("return window.innerWidth") == WIDTHS[width][0]
    violations = {}
    for page in pages:
        found = axe_violations(browser, page, source)
        if found:
            violations[page.relative_to(built_site).as_posix()] = found
    version = browser.execute_script("return axe.version")
    assert version.startswith("4.")
    assert violations == {}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_scrolls_sideways(built_site: Path, browser, width: str) -> None:
    set_width(browser, WIDTHS[width])
    wide = {}
    for page in html_pages(built_site):
        browser.get(page.as_uri())
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        if scroll > WIDTHS[width][0]:
            wide[page.relative_to(built_site).as_posix()] = scroll
    assert wide == {}


def test_side_by_side_stacks_into_one_column_on_a_phone(built_site: Path, browser) -> None:
    page = built_site / "pages/learning-space/side-by-side/en-es.html"
    left = "return document.querySelector('.cell.second').getBoundingClientRect().left"
    set_width(browser, WIDTHS["desktop"])
    browser.get(page.as_uri())
    assert browser.execute_script(left) > 400
    set_width(browser, WIDTHS["phone"])
    browser.get(page.as_uri())
    assert browser.execute_script(left) < 60
    first = "return document.querySelector('.cell:not(.second)').getBoundingClientRect().left"
    assert abs(browser.execute_script(first) - browser.execute_script(left)) < 20


@pytest.mark.parametrize("width", list(WIDTHS))
def test_interleaved_pairs_are_tighter_inside_than_between(built_site: Path, browser, width: str) -> None:
    set_width(browser, WIDTHS[width])
    browser.get((built_site / "pages/learning-space/interleaved/en-es.html").as_uri())
    gaps = browser.execute_script(
        "const pairs = Array.from(document.querySelectorAll('.pair.answer')).filter(p => p.children.length === 2);"
        "const out = [];"
        "for (let i = 0; i + 1 < pairs.length; i++) {"
        "  const [a, b] = pairs[i].children; const next = pairs[i + 1].children[0];"
        "  out.push([b.getBoundingClientRect().top - a.getBoundingClientRect().bottom,"
        "            next.getBoundingClientRect().top - b.getBoundingClientRect().bottom]);"
        "}"
        "return out;"
    )
    assert len(gaps) >= 5
    assert all(inside < between for inside, between in gaps), gaps


def test_screenshots_of_the_composed_page(built_site: Path, browser, tmp_path: Path) -> None:
    """Saved for a person to look at (tmp dir); they must at least be real pictures."""
    for layout in ("sequential", "side-by-side", "interleaved"):
        for width in WIDTHS:
            set_width(browser, WIDTHS[width])
            browser.get((built_site / f"pages/learning-space/{layout}/en-es.html").as_uri())
            shot = tmp_path / f"{layout}-{width}.png"
            browser.save_screenshot(str(shot))
            assert shot.stat().st_size > 10_000
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
