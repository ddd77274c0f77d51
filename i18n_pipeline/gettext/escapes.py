"""PO string escapes, exactly as GNU gettext defines them (C escapes, bytes in octal/hex)."""

from __future__ import annotations

import codecs
import re


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

