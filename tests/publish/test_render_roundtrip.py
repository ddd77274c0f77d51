"""Round trip through the whole pipeline: source -> POT -> PO -> rendered page (issue 6)."""

from __future__ import annotations

import html
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import invoke, write
from test_markdown_escape import visible, words

from i18n_pipeline.gettext.pofile import read_po, save_po

# Markdown syntax and {placeholders} are interpreted by design, and paragraphs are split on
# blank lines and stripped: leave those out so "unchanged" is the right expectation.
_EXCLUDED = set("*_[]()`{}<>\\#|~!\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
    blacklist_characters="".join(_EXCLUDED),
)
texts = st.text(_ALPHABET, min_size=1, max_size=80).map(lambda t: " ".join(t.split())).filter(lambda t: t != "" and t[0].isalnum())


def dump(data: dict) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False  # the flow style it picks for "0?" is not valid YAML to libyaml
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=texts, translation=texts)
def test_any_text_round_trips_to_the_rendered_page(tmp_path_factory, source: str, translation: str):
    project: Path = tmp_path_factory.mktemp("roundtrip")
    write(project / "i18n-pipeline.yaml", "source_locale: en\nlocales: [en, es]\n")
    write(project / "source/news/x.yaml", dump({"kind": "announcement", "title": "Title", "body": source}))
    assert invoke(project, "update").exit_code == 0
    po = project / "catalogs/es/LC_MESSAGES/news/x.po"
    catalog = read_po(po)
    for message in catalog.active:
        message.msgstr = translation if message.msgctxt == "news/x/body/1" else "Título"
    save_po(po, catalog)
    assert read_po(po).by_key()["news/x/body/1"].msgid == source
    result = invoke(project, "render", "--layout", "single", "--format", "html", "--format", "md")
    assert result.exit_code == 0, result.output
    es_html = (project / "out/news/x/single/es.html").read_text(encoding="utf-8")
    en_html = (project / "out/news/x/single/en.html").read_text(encoding="utf-8")
    assert translation in html.unescape(es_html)
    assert source in html.unescape(en_html)
    # Markdown escapes what would be syntax ("0." at a line start is a list): compare what a
    # CommonMark reader shows, not the escaped source.
    shown = words("".join(visible((project / "out/news/x/single/es.md").read_text(encoding="utf-8")).text))
    assert words(translation) in shown
