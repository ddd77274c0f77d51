"""What a page's rows look like in each format: the markup the built-in templates insert.

The templates (``templates/render/page.*.j2``) keep what a publisher would
change: the document head, the stylesheet, the preview banners, where the
content goes. The rows of a layout — language halves, pairs, columns, each
cell with its review label, its link, its "(in English)" mark, its escaping —
are written here in plain Python: one Jinja2 loop and macro call per row of
every page cost more than everything else in a render together.

Template globals: ``html_layout(page)``, ``md_layout(page)`` and
``txt_layout(page, width)`` write every row of a page's layout; a project
template that lays out rows itself can call ``element``, ``md_block``,
``md_body``, ``txt_block`` and ``txt_body`` per cell, or write its own markup
from ``row`` and ``cell``. The filters (``md_escape``, ``wrap``,
``columns``...) are the text helpers below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from i18n_pipeline.publish.layout import FALLBACK, Cell, ComposedPage, Language, Page, Row

DEFAULT_TEXT_WIDTH = 72

# --- text helpers (Jinja filters; pure) ---------------------------------------------

#: Characters that start inline markup anywhere in a line (and ``!`` before ``[``, an image).
_MD_INLINE_RE = re.compile(r"[\\`*_\[\]<>|~]|!(?=\[)")
#: A character reference CommonMark would decode (``&lt;``, ``&#106;``, ``&#x6A;``).
_MD_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
#: What makes a line a block of its own: heading, list item, setext underline, thematic break.
_MD_BLOCK_START = re.compile(r"^(?:[#+=-]|[0-9]{1,9}(?=[.)]))")
_MD_CELL_PIPE = re.compile(r"(?<!\\)\|")


def md_escape(text: str, line_start: bool = True) -> str:
    """Escape what Markdown would read as markup, so text shows exactly as written.

    Inline markup characters are escaped anywhere; block syntax only where it
    counts, at the start of a line (``#``, ``-``, ``+``, ``=`` underlines, and
    the ``.``/``)`` of ``2.``/``2)`` lists); leading indentation is dropped, as
    it would make a code block or nest a list (and HTML ignores it anyway);
    ``&`` before a character reference (``&lt;``, ``&#106;``) is escaped so it
    stays text. The source stays readable as plain text. ``line_start=False``
    says the text continues a line (it follows a link).
    """
    lines = []
    for number, line in enumerate(text.split("\n")):
        continues = number == 0 and not line_start
        if not continues:
            line = line.lstrip(" \t")
        escaped = _MD_INLINE_RE.sub(r"\\\g<0>", line)
        if "&" in escaped:
            escaped = _MD_ENTITY.sub(r"\\&", escaped)
        match = None if continues else _MD_BLOCK_START.match(escaped)
        if match is not None:
            if match.group().isdigit():
                end = match.end()
                escaped = escaped[:end] + "\\" + escaped[end:]
            else:
                escaped = "\\" + escaped
        lines.append(escaped)
    return "\n".join(lines)


def md_line(text: str) -> str:
    """Markdown for a heading: one line (a line break would end the heading)."""
    return " ".join(part.strip() for part in text.split("\n"))


def md_inline(cell: Any) -> str:
    """A cell as Markdown: escaped text, links as ``[label](url)`` or ``<url>``."""
    pieces: list[str] = []
    for part in cell.parts:
        if part.url is None:
            pieces.append(md_escape(part.text, line_start=not pieces or pieces[-1].endswith("\n")))
        elif part.text == part.url or "mailto:" + part.text == part.url:
            pieces.append(f"<{part.url.removeprefix('mailto:')}>")
        else:
            pieces.append(f"[{md_escape(part.text)}](<{part.url}>)")
    return "".join(pieces)


def md_cell(text: str) -> str:
    """Markdown already escaped, made safe for one GFM table cell (one line, ``|`` escaped)."""
    return _MD_CELL_PIPE.sub(r"\\|", " ".join(text.split("\n")))


def txt_inline(cell: Any) -> str:
    """A cell as plain text; a labelled link shows its address after the label."""
    pieces: list[str] = []
    for part in cell.parts:
        if part.url is None or part.text == part.url or "mailto:" + part.text == part.url:
            pieces.append(part.text)
        else:
            pieces.append(f"{part.text} <{part.url.removeprefix('mailto:')}>")
    return "".join(pieces)


#: Text made only of characters one column wide each (ASCII, Latin-1, Latin Extended A/B, common
#: punctuation, no combining marks): its display width is its length (a test holds this to unicode-segmentation-rs).
_NARROW_RE = re.compile("[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2013\u2014\u2018\u2019\u201c\u201d\u2026]*")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (emoji count 2), via unicode-segmentation-rs."""
    if _NARROW_RE.fullmatch(text):
        return len(text)
    from unicode_segmentation_rs import text_width

    return int(text_width(text))


@lru_cache(maxsize=8192)
def wrap(text: str, width: int = DEFAULT_TEXT_WIDTH, indent: str = "") -> str:
    """Greedy word wrap by display width; long words (addresses) are never split.

    Cached: every layout wraps the same paragraphs again.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        narrow = _NARROW_RE.fullmatch(indent + paragraph) is not None
        room = width - len(indent)  # narrow text: one column per character, lengths add up
        if narrow and room > 0 and _ONE_SPACED.fullmatch(paragraph):
            # Words one space apart: the longest run of whole words that fits, or one word longer than the room.
            lines.extend(indent + (fits or alone) for fits, alone in re.findall(f"(.{{1,{room}}})(?: |$)|(\\S+)(?: |$)", paragraph))
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and (len(candidate) > room if narrow else display_width(indent + candidate) > width):
                lines.append(indent + line)
                line = word
            else:
                line = candidate
        lines.append(indent + line)
    return "\n".join(lines)


#: Words separated by single spaces (no space first or last, none doubled).
_ONE_SPACED = re.compile(r"\S+(?: \S+)*")


@lru_cache(maxsize=8192)
def columns(left: str, right: str, width: int = DEFAULT_TEXT_WIDTH, gutter: str = " | ") -> str:
    """Two texts side by side, each wrapped to half the width, padded by display width (cached, as :func:`wrap`)."""
    half = max(10, (width - len(gutter)) // 2)
    a = wrap(left, half).split("\n")
    b = wrap(right, half).split("\n")
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    width_of = len if _NARROW_RE.fullmatch(left) else display_width  # narrow text: one column per character
    return "\n".join((x + " " * max(0, half - width_of(x)) + gutter + y).rstrip() for x, y in zip(a, b))


def underline(text: str, char: str = "=") -> str:
    width = max(display_width(line) for line in text.split("\n"))
    return f"{text}\n{char * width}"


FILTERS: dict[str, Callable[..., Any]] = {
    "md_inline": md_inline, "md_escape": md_escape, "md_cell": md_cell, "md_line": md_line,
    "txt_inline": txt_inline, "wrap": wrap, "columns": columns, "underline": underline,
}


# --- one cell ---------------------------------------------------------------------------


def _e(text: str) -> str:
    """``text`` escaped for HTML exactly as MarkupSafe escapes it (a test holds the two together), without a Markup per piece."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def _same(text: str) -> str:
    return text


class _Style:
    """How one format writes a cell's pieces (``{}``: the escaped label, ``{label}``/``{url}``/``{lang}`` named)."""

    def __init__(self, escape: Callable[[str], str], inline: Callable[[Cell], str], url: Callable[[str], str], **forms: str) -> None:
        self.escape, self.inline, self.url = escape, inline, url
        self.review, self.only_note, self.icon = forms["review"], forms["only_note"], forms["icon"]
        self.link, self.pending, self.also, self.in_source = forms["link"], forms["pending"], forms["also"], forms["in_source"]


def html_inline(cell: Cell) -> str:
    """The cell's text, escaped, with its (already checked) links."""
    return "".join(f'<a href="{_e(part.url)}">{_e(part.text)}</a>' if part.url else _e(part.text) for part in cell.parts)


_HTML = _Style(_e, html_inline, _e, review='<span class="review-label">{}</span> ', only_note='<span class="fallback-mark">{}</span>',
               icon='<span aria-hidden="true">{}</span> ', link='<a href="{url}">{label}</a>',
               pending='{label} <span class="pending">({})</span>', also=' / <span lang="{lang}">{}</span>',
               in_source=' <span class="fallback-mark" lang="{lang}">({})</span>')
_MD = _Style(md_escape, md_inline, _same, review="**\\[{}\\]** ", only_note="*{}*", icon="{} ", link="[{label}](<{url}>)",
             pending="{label} *({})*", also=" / {}", in_source=" *({})*")
_TXT = _Style(_same, txt_inline, lambda url: url.removeprefix("mailto:"), review="[{}] ", only_note="({})", icon="{} ",
              link="{label}: {url}", pending="{label} ({})", also=" / {}", in_source=" ({})")


def _body(style: _Style, row: Row, cell: Cell, language: Language) -> str:
    """One cell's text in ``style``: its review label, note icon, link or pending mark, "(in English)" mark."""
    labels, esc = language.labels, style.escape
    if cell.state == FALLBACK and not cell.show_text:
        return style.only_note.format(esc(labels["fallback_note"]))
    out = ""
    if cell.state in ("needs_review", "fuzzy"):
        out += style.review.format(esc(labels["draft" if cell.state == "needs_review" else "fuzzy"]))
    if row.kind == "note" and row.icon:
        out += style.icon.format(esc(row.icon))
    if row.kind == "link":
        # A link's label, and its final translations into withheld languages ("Register / Inscríbase").
        label = esc(cell.text) + "".join(style.also.format(esc(other.text), lang=_e(other.lang)) for other in row.also)
        if row.url:
            out += style.link.format(label=label, url=style.url(row.url))
        else:
            out += style.pending.format(esc(labels["link_pending"]), label=label)
    else:
        out += style.inline(cell)
    if cell.state == FALLBACK:
        out += style.in_source.format(esc(labels["in_source"]), lang=_e(language.code))
    return out


def html_attrs(row: Row, cell: Cell, extra: str = "") -> str:
    """``lang`` (of what is shown) and the classes: ``<kind>-line`` for notes and links, the state's class."""
    state_class = {"needs_review": "draft", "fuzzy": "fuzzy", "fallback": "fallback"}.get(str(cell.state), "")
    kind_class = f"{row.kind}-line" if row.kind in ("note", "link") else ""
    out = f'lang="{_e(cell.shown_lang)}"'
    if state_class or kind_class or extra:
        out += f' class="{_e(" ".join(c for c in (extra, kind_class, state_class) if c))}"'
    return out


def element(row: Row, cell: Cell, language: Language, level: int, extra: str = "", *, body: str | None = None) -> Markup:
    """One cell as an HTML block: ``<h{level}>`` for a title, ``<h{level+1}>`` for a question, else ``<p>``.

    ``body``: the cell's text as :func:`_body` writes it, when the caller has it already (so do the other blocks).
    """
    tag = {"title": f"h{level}", "question": f"h{level + 1}"}.get(row.kind, "p")
    return Markup(f"<{tag} {html_attrs(row, cell, extra)}>{_body(_HTML, row, cell, language) if body is None else body}</{tag}>")


def md_body(row: Row, cell: Cell, language: Language) -> str:
    """One cell as Markdown text, escaped so it shows as written."""
    return _body(_MD, row, cell, language)


def md_block(row: Row, cell: Cell, language: Language, level: int, *, body: str | None = None) -> str:
    """A title or question as a heading of ``level`` (``level + 1``), anything else as a paragraph."""
    text = md_body(row, cell, language) if body is None else body
    if row.kind in ("title", "question"):
        return "#" * (level + (row.kind == "question")) + " " + md_line(text)
    return text


def txt_body(row: Row, cell: Cell, language: Language) -> str:
    """One cell as plain text (not yet wrapped)."""
    return _body(_TXT, row, cell, language)


def txt_block(row: Row, cell: Cell, language: Language, level: int, width: int, *, body: str | None = None) -> str:
    """One cell wrapped to ``width``; titles and questions underlined by level."""
    text = wrap(txt_body(row, cell, language) if body is None else body, width)
    if row.kind == "title":
        return underline(text, "=" if level == 1 else "-")
    if row.kind == "question":
        return underline(text, "-" if level == 1 else "~")
    return text


#: The style of each block's body.
_BLOCK_STYLE: dict[Callable[..., str], _Style] = {element: _HTML, md_block: _MD, txt_block: _TXT}
CELL_GLOBALS: dict[str, Callable[..., Any]] = {"element": element, "md_block": md_block, "md_body": md_body, "txt_block": txt_block, "txt_body": txt_body}


# --- every row of a page ----------------------------------------------------------------


class Layouts:
    """Writes the rows of pages; each cell's markup is written once while ``forget`` is not called.

    The same cell appears in several layouts (one language alone, in
    sequence, interleaved, side by side) with the same markup. A cell belongs
    to one row of one document (:func:`layout.build_page` shares cells between
    layouts, never between segments), so the memo's key is the identity of
    the cell and of its row's ``also`` cells, and the memo keeps both alive:
    an identity is never reused for another object while it is remembered.
    Keys and values hold only numbers and strings, which the garbage
    collector stops tracking. The renderer calls :meth:`forget` after each document.
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[Any, ...], str] = {}
        self._alive: list[object] = []

    def forget(self) -> None:
        self._memo.clear()
        self._alive.clear()

    def globals(self) -> dict[str, Callable[..., Any]]:
        return {**CELL_GLOBALS, "html_layout": self.html, "md_layout": self.md, "txt_layout": self.txt}

    def _text(self, style: _Style, row: Row, cell: Cell, language: Language) -> str:
        """The cell's body in ``style`` (:func:`_body`), written once."""
        key = (id(style), id(cell), id(row.also))
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = _body(style, row, cell, language)
            self._alive += (cell, row.also)
        return text

    def _block(self, function: Callable[..., str], row: Row, cell: Cell, language: Language, *rest: Any) -> str:
        """``function(row, cell, language, *rest)`` (``element``, ``md_block``, ``txt_block``) over the body written once."""
        key = (id(function), id(cell), id(row.also), *rest)
        text = self._memo.get(key)
        if text is None:
            body = self._text(_BLOCK_STYLE[function], row, cell, language)
            text = self._memo[key] = function(row, cell, language, *rest, body=body)
        return text

    def _column(self, fmt: str, part: Page, column: int, level: int, width: int = 0) -> str:
        """One part's column of a one-language-at-a-time layout (single, sequential), written once.

        A sequential page repeats what the single pages of its languages say:
        the key is what decides the text (:attr:`layout.Page.origin` says which
        cells the part holds), so the second time it is read from the memo.
        """
        own = part.languages[column]
        key = (fmt, part.origin, own.code, level, part.calendars.get(own.code), width)
        found = self._memo.get(key)
        if found is not None:
            return found
        out: list[str] = []
        for index, row in enumerate(part.rows):
            cell = row.cells[column]
            if fmt == "html":
                out.append(self._block(element, row, cell, own, level, ""))
            elif fmt == "md":
                out.append(self._block(md_block, row, cell, own, level) + "\n")
            else:
                out.append(self._block(txt_block, row, cell, own, level, width) + "\n")
            if index == 0 and own.has_fallback:
                note = own.labels["fallback_note"]
                if fmt == "html":
                    out.append(f'<p class="fallback-note" role="note">{_e(note)}</p>')
                else:
                    out.append(f"> {md_escape(note)}\n" if fmt == "md" else wrap("* " + note, width) + "\n")
        if fmt == "html":
            out = [f'<div class="document {_e(part.kind)}">', *out, *([_calendar(part, own)] if part.calendars else []), "</div>"]
        text = self._memo[key] = "\n".join(out)
        return text

    def html(self, page: ComposedPage) -> Markup:
        """``page``'s rows in HTML: language sections (single, sequential), pairs (interleaved) or a grid of cells."""
        out: list[str] = []
        add = out.append
        if page.layout in ("single", "sequential"):
            for language in page.languages:
                add(f'<section class="language" lang="{_e(language.code)}" id="{_e(language.code)}" aria-label="{_e(language.labels["version"])}">')
                out.extend(self._column("html", part, column, 2 if number else 1) for number, (part, column) in enumerate(page.parts_in(language.code)))
                add("</section>")
        elif page.layout == "interleaved":
            for number, part in enumerate(page.parts):
                add(f'<div class="document {_e(part.kind)}">')
                for row in part.rows:
                    add(f'<div class="pair {_e(row.kind)}">')
                    out.extend(self._block(element, row, cell, part.languages[i], 2 if number else 1, "translation" if i else "")
                               for i, cell in enumerate(row.cells))
                    add("</div>")
                if part.calendars:
                    add('<div class="pair calendar-pair">')
                    out.extend(_calendar(part, language, "translation" if i else "") for i, language in enumerate(part.languages))
                    add("</div>")
                add("</div>")
        else:
            add('<div class="columns">')
            heads = False
            for number, part in enumerate(page.parts):
                wide = " wide" if len(part.languages) == 1 else ""
                if not wide and not heads:
                    heads = True
                    out.extend(f'<div class="column-head{" second" if i else ""}" lang="{_e(language.code)}">{_e(language.name)}</div>'
                               for i, language in enumerate(page.languages))
                for row in part.rows:
                    for i, cell in enumerate(row.cells):
                        language = part.languages[i]
                        add(f'<div class="cell {_e(row.kind)}{wide}{" second" if i else ""}" lang="{_e(language.code)}">'
                            f"{self._block(element, row, cell, language, 2 if number else 1, '')}</div>")
                if part.calendars:
                    out.extend(f'<div class="cell calendar-cell{wide}{" second" if i else ""}" lang="{_e(language.code)}">{_calendar(part, language)}</div>'
                               for i, language in enumerate(part.languages))
            add("</div>")
        return Markup("\n".join(out))

    def md(self, page: ComposedPage) -> str:
        """``page``'s rows in Markdown: paragraphs and headings, or a two-column table (side by side)."""
        out: list[str] = []
        add = out.append
        if page.layout in ("single", "sequential"):
            for number, language in enumerate(page.languages):
                if number:
                    add("---\n")
                out.extend(self._column("md", part, column, 2 if count else 1) for count, (part, column) in enumerate(page.parts_in(language.code)))
        elif page.layout == "interleaved":
            for number, part in enumerate(page.parts):
                out.extend(self._block(md_block, row, cell, part.languages[i], 2 if number else 1) + "\n"
                           for row in part.rows for i, cell in enumerate(row.cells))
        else:
            add("|" + "".join(f" {md_escape(language.name)} |" for language in page.languages))
            add("|" + " --- |" * len(page.languages))
            for part in page.parts:
                columns_of = [part.index(language.code) for language in page.languages]
                for row in part.rows:
                    line = "|"
                    for i in columns_of:
                        if i is not None:
                            text = md_cell(self._text(_MD, row, row.cells[i], part.languages[i]))
                            line += f" **{text}** |" if row.kind in ("title", "question") else f" {text} |"
                        else:
                            line += "  |"
                    add(line)
        return "\n".join(out)

    def txt(self, page: ComposedPage, width: int) -> str:
        """``page``'s rows as plain text wrapped to ``width``, or two wrapped columns (side by side)."""
        out: list[str] = []
        add = out.append
        if page.layout in ("single", "sequential"):
            for number, language in enumerate(page.languages):
                if number:
                    add("~" * width + "\n")
                out.extend(self._column("txt", part, column, 2 if count else 1, width)
                           for count, (part, column) in enumerate(page.parts_in(language.code)))
        elif page.layout == "interleaved":
            for number, part in enumerate(page.parts):
                out.extend(self._block(txt_block, row, cell, part.languages[i], 2 if number else 1, width) + "\n"
                           for row in part.rows for i, cell in enumerate(row.cells))
        else:
            first, second = (language.name for language in page.languages)
            add(columns(first, second, width))
            add(columns("=" * len(first), "=" * len(second), width) + "\n")
            for part in page.parts:
                for row in part.rows:
                    bodies = [self._text(_TXT, row, cell, part.languages[i]) for i, cell in enumerate(row.cells)]
                    add((wrap(bodies[0], width) if len(bodies) == 1 else columns(bodies[0], bodies[1], width)) + "\n")
        return "\n".join(out)


def _calendar(part: Page, language: Language, extra: str = "") -> str:
    """The "Add to calendar" link of ``part``'s event in ``language`` (empty without one)."""
    target = part.calendars.get(language.code)
    if not target:
        return ""
    return (f'<p class="calendar{" " + _e(extra) if extra else ""}" lang="{_e(language.code)}"><a href="{_e(target)}" type="text/calendar" download>'
            f"{_e(language.labels['calendar'])}</a></p>")
