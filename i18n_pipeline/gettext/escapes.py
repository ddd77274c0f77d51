"""PO strings: their quoted-line syntax and their escapes.

On its own so the fast status reader need not load the PO writer; both
whole-entry readers (``pofile`` and ``status``) take their strings from here.
"""

from __future__ import annotations

import codecs
import re

#: One quoted string on a line of its own, as gettext writes it (no raw newline, quotes escaped).
QUOTED = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
#: A keyword's value: its quoted line and the continuation lines below it.
QUOTED_LINES = rf"{QUOTED}\n(?:{QUOTED}\n)*"


class BadEscape(ValueError):
    """A backslash sequence C (and so GNU gettext) does not define."""


#: A backslash (not itself escaped) followed by something C does not define.
_BAD_ESCAPE_RE = re.compile(r'(?<!\\)(?:\\\\)*\\(?:[^ntr"\\abfv0-7x]|x(?![0-9A-Fa-f])|$)')


def unescape(text: str) -> str:
    """Undo C escapes; octal and hex escapes are bytes, as in GNU, so they may spell UTF-8."""
    if "\\" not in text:
        return text
    if "\\\\" not in text:
        # Every backslash starts an escape, so plain replacing is exact.
        newlines = text.count("\\n")
        quotes = text.count('\\"')
        tabs = text.count("\\t")
        if text.count("\\") == newlines + quotes + tabs:
            if newlines:
                text = text.replace("\\n", "\n")
            if quotes:
                text = text.replace('\\"', '"')
            if tabs:
                text = text.replace("\\t", "\t")
            return text
    bad = _BAD_ESCAPE_RE.search(text)
    if bad is not None:
        raise BadEscape(bad.group(0)[-2:] if bad.group(0)[-1:] != "\\" else "\\")
    try:
        return codecs.escape_decode(text.encode("utf-8"))[0].decode("utf-8")
    except UnicodeDecodeError:
        raise BadEscape("octal or hex escapes that do not form UTF-8") from None
    except ValueError:
        raise BadEscape("\\x must be followed by two hex digits") from None


def joined(lines: str) -> str:
    """The value of ``"..."\\n"..."\\n`` lines matched by :data:`QUOTED_LINES`, unescaped.

    Content cannot hold a raw newline or an unescaped quote, so ``"\\n"`` only
    ever occurs between lines. Raises :class:`BadEscape`.
    """
    text = lines[1:-2]
    if '"\n"' in text:
        text = text.replace('"\n"', "")
    return unescape(text) if "\\" in text else text
