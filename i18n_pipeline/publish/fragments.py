"""What one message looks like in each format: the per-cell markup the built-in templates insert.

The templates (``templates/render/page.*.j2``) lay out a page: language
halves, pairs, columns, banners, headings levels. What a single cell says —
its review label, its link, its "(in English)" mark, its escaping — is the
same on every page, and rendering it through Jinja2 macros cost more than
everything else together (one macro call per message per layout per
format), so it is written here, once, in plain Python. Project templates may
call these (they are template globals: ``element``, ``md_block``,
``md_body``, ``txt_block``, ``txt_body``) or write their own markup from
``row`` and ``cell``.

Each function writes exactly what the macros it replaced wrote (the render
tests and a byte-for-byte comparison with the macro templates hold that).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from i18n_pipeline.publish.layout import Cell, Language, Row
from i18n_pipeline.publish.render import md_escape, md_inline, md_line, txt_inline, underline, wrap

#: CSS class of a cell's state: "draft" (needs_review), "fuzzy", "fallback".
_STATE_CLASS = {"needs_review": "draft", "fuzzy": "fuzzy", "fallback": "fallback"}


def _e(text: object) -> str:
    return str(escape(text))


# --- HTML ----------------------------------------------------------------------


def html_inline(cell: Cell) -> str:
    """The cell's text, escaped, with its (already checked) links."""
    return "".join(f'<a href="{_e(part.url)}">{_e(part.text)}</a>' if part.url else _e(part.text) for part in cell.parts)


def html_label(row: Row, cell: Cell) -> str:
    """A link's label, and its final translations into withheld languages ("Register / Inscríbase")."""
    return _e(cell.text) + "".join(f' / <span lang="{_e(other.lang)}">{_e(other.text)}</span>' for other in row.also)


def html_content(row: Row, cell: Cell, language: Language) -> str:
    labels = language.labels
    out = ""
    if cell.state == "needs_review":
        out += f'<span class="review-label">{_e(labels["draft"])}</span> '
    if cell.state == "fuzzy":
        out += f'<span class="review-label">{_e(labels["fuzzy"])}</span> '
    if cell.state == "fallback" and not cell.show_text:
        return out + f'<span class="fallback-mark">{_e(labels["fallback_note"])}</span>'
    if row.kind == "note" and row.icon:
        out += f'<span aria-hidden="true">{_e(row.icon)}</span> '
    if row.kind == "link":
        if row.url:
            out += f'<a href="{_e(row.url)}">{html_label(row, cell)}</a>'
        else:
            out += f'{html_label(row, cell)} <span class="pending">({_e(labels["link_pending"])})</span>'
    else:
        out += html_inline(cell)
    if cell.state == "fallback":
        out += f' <span class="fallback-mark" lang="{_e(language.code)}">({_e(labels["in_source"])})</span>'
    return out


def html_attrs(row: Row, cell: Cell, extra: str = "") -> str:
    """``lang`` (of what is shown) and the classes: ``<kind>-line`` for notes and links, the state's class."""
    state_class = _STATE_CLASS.get(str(cell.state), "")
    kind_class = f"{row.kind}-line" if row.kind in ("note", "link") else ""
    out = f'lang="{_e(cell.shown_lang)}"'
    if state_class or row.kind in ("note", "link") or extra:
        out += f' class="{_e(" ".join(c for c in (extra, kind_class, state_class) if c))}"'
    return out


def element(row: Row, cell: Cell, language: Language, level: int, extra: str = "") -> Markup:
    """One cell as an HTML block: ``<h{level}>`` for a title, ``<h{level+1}>`` for a question, else ``<p>``."""
    tag = {"title": f"h{level}", "question": f"h{level + 1}"}.get(row.kind, "p")
    return Markup(f"<{tag} {html_attrs(row, cell, extra)}>{html_content(row, cell, language)}</{tag}>")


# --- Markdown --------------------------------------------------------------------


def md_label(row: Row, cell: Cell) -> str:
    return md_escape(cell.text) + "".join(f" / {md_escape(other.text)}" for other in row.also)


def md_body(row: Row, cell: Cell, language: Language) -> str:
    """One cell as Markdown text, escaped so it shows as written."""
    labels = language.labels
    if cell.state == "fallback" and not cell.show_text:
        return f"*{md_escape(labels['fallback_note'])}*"
    out = ""
    if cell.state == "needs_review":
        out += f"**\\[{md_escape(labels['draft'])}\\]** "
    if cell.state == "fuzzy":
        out += f"**\\[{md_escape(labels['fuzzy'])}\\]** "
    if row.kind == "note" and row.icon:
        out += f"{md_escape(row.icon)} "
    if row.kind == "link" and row.url:
        out += f"[{md_label(row, cell)}](<{row.url}>)"
    elif row.kind == "link":
        out += f"{md_label(row, cell)} *({md_escape(labels['link_pending'])})*"
    else:
        out += md_inline(cell)
    if cell.state == "fallback":
        out += f" *({md_escape(labels['in_source'])})*"
    return out


def md_block(row: Row, cell: Cell, language: Language, level: int) -> str:
    """A title or question as a heading of ``level`` (``level + 1``), anything else as a paragraph."""
    if row.kind == "title":
        return "#" * level + " " + md_line(md_body(row, cell, language))
    if row.kind == "question":
        return "#" * (level + 1) + " " + md_line(md_body(row, cell, language))
    return md_body(row, cell, language)


# --- plain text ------------------------------------------------------------------


def txt_label(row: Row, cell: Cell) -> str:
    return cell.text + "".join(f" / {other.text}" for other in row.also)


def txt_body(row: Row, cell: Cell, language: Language) -> str:
    """One cell as plain text (not yet wrapped)."""
    labels = language.labels
    if cell.state == "fallback" and not cell.show_text:
        return f"({labels['fallback_note']})"
    out = ""
    if cell.state == "needs_review":
        out += f"[{labels['draft']}] "
    if cell.state == "fuzzy":
        out += f"[{labels['fuzzy']}] "
    if row.kind == "note" and row.icon:
        out += f"{row.icon} "
    if row.kind == "link" and row.url:
        out += f"{txt_label(row, cell)}: {row.url.removeprefix('mailto:')}"
    elif row.kind == "link":
        out += f"{txt_label(row, cell)} ({labels['link_pending']})"
    else:
        out += txt_inline(cell)
    if cell.state == "fallback":
        out += f" ({labels['in_source']})"
    return out


def txt_block(row: Row, cell: Cell, language: Language, level: int, width: int) -> str:
    """One cell wrapped to ``width``; titles and questions underlined by level."""
    text = wrap(txt_body(row, cell, language), width)
    if row.kind == "title":
        return underline(text, "=" if level == 1 else "-")
    if row.kind == "question":
        return underline(text, "-" if level == 1 else "~")
    return text


GLOBALS: dict[str, Callable[..., Any]] = {"element": element, "md_block": md_block, "md_body": md_body, "txt_block": txt_block, "txt_body": txt_body}


def remembering(memo: dict[tuple[Any, ...], tuple[Any, ...]]) -> dict[str, Callable[..., Any]]:
    """:data:`GLOBALS` that write each cell once per way of showing it, while ``memo`` lives.

    The same cell appears in several layouts (one language alone, in
    sequence, interleaved, side by side) with the same markup. The key holds
    the identity of the cell and of the interface labels, and the memo keeps
    both alive, so an identity is never reused for another object while the
    memo remembers it; the caller empties it after each document.
    """

    def remember(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(row: Row, cell: Cell, language: Language, *rest: Any) -> Any:
            key = (function, id(cell), row.kind, row.url, row.icon, tuple(map(id, row.also)), language.code, id(language.labels), *rest)
            found = memo.get(key)
            if found is None:
                found = memo[key] = (function(row, cell, language, *rest), cell, row.also, language.labels)
            return found[0]

        return call

    return {name: remember(function) for name, function in GLOBALS.items()}
