"""Translations are text in Markdown output: no heading, list, rule, code block or entity sneaks in.

Checked the way a reader would see it: the .md is rendered by a CommonMark
library (markdown-it-py) and the visible text must be the translation's text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from conftest import invoke
from hypothesis import given, settings, strategies as st

from i18n_pipeline.publish.fragments import md_escape

ATTACK = "Texto\n===\n2) lista\n   # encabezado\n&lt;b&gt; &#106;avascript &amp;\n- viñeta\n    código\n> cita\n---\n```\n<div>x</div>"


class Visible(HTMLParser):
    """Text content and the tags used, from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible(markdown: str) -> Visible:
    from markdown_it import MarkdownIt

    parser = Visible()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return parser


def words(text: str) -> str:
    return " ".join(text.split())


def test_block_syntax_and_entities_in_a_translation_stay_text() -> None:
    seen = visible(md_escape(ATTACK))
    assert seen.tags <= {"p", "br"}
    assert words("".join(seen.text)) == words(ATTACK)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab1 #=-+*_`~<>|[]()!&;\\.):/\n\t") + ["lt;", "#106;", "amp;", "10. ", "2) "]), max_size=40).map("".join))
def test_any_text_renders_as_exactly_its_words(text: str) -> None:
    seen = visible(md_escape(text))
    assert seen.tags <= {"p", "br"}, (text, md_escape(text))
    assert words("".join(seen.text)) == words(text)


def test_rendered_markdown_page_shows_a_hostile_final_translation_as_text(seed_project: Path) -> None:
    from i18n_pipeline.gettext.pofile import read_po, save_po

    path = seed_project / "catalogs/es/LC_MESSAGES/faq/learning-space.po"
    catalog = read_po(path)
    for message in catalog.messages:
        if message.msgctxt == "faq/learning-space/who-is-this-for/answer/1":
            message.msgstr = ATTACK
    save_po(path, catalog)
    assert invoke(seed_project, "render", "--document", "faq/learning-space", "--format", "md", "--allow-incomplete").exit_code == 0
    for layout in ("single/es.md", "sequential/en-es.md", "interleaved/en-es.md"):
        markdown = (seed_project / "out/faq/learning-space" / layout).read_text(encoding="utf-8")
        seen = visible(markdown)
        assert words(ATTACK) in words("".join(seen.text)), layout
        assert "h1" in seen.tags and "ol" not in seen.tags and "ul" not in seen.tags and "pre" not in seen.tags, layout
        assert "blockquote" not in seen.tags or layout != "single/es.md" or "Se muestra" in markdown
