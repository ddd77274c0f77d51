"""A real headless Chromium loads rendered bilingual HTML with a hostile translation.

Checks the lang attributes, that nothing in the translation executed or
became a live link, that the page made no network request, and saves a
screenshot in the test's tmp dir. Skipped only when Chromium or
chromedriver is not installed (``.ci/run`` installs both).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="headless browser test needs Debian's chromium and chromium-driver (installed by .ci/run)",
)

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
