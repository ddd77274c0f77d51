"""The catalog's ``Plural-Forms`` header, judged as ``msgfmt -c`` judges it.

msgfmt evaluates the rule for n = 0…1000: it must give values below
``nplurals`` (and never divide by zero). A form used for at least five of
those n is used "often": there every format argument must appear; a form for
fewer n (French ``msgstr[0]``: 0 and 1) may leave the number out.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass

#: msgfmt's threshold for "this form is used for infinitely many n".
OFTEN = 5


@dataclass(frozen=True)
class PluralRule:
    nplurals: int
    #: ``often[j]``: form j is used for many values of n.
    often: tuple[bool, ...]


#: Without a Plural-Forms header msgfmt assumes the Germanic rule (n != 1).
GERMANIC = PluralRule(2, (False, True))


def parse_plural_forms(header: dict[str, str], has_plurals: bool) -> tuple[PluralRule | None, list[str]]:
    """The rule of a header and what is wrong with it (msgfmt's fatal errors)."""
    text = header.get("Plural-Forms")
    plural_at, nplurals_at = (-1, -1) if text is None else (text.find("plural="), text.find("nplurals="))
    if text is None or plural_at < 0 or nplurals_at < 0:
        if not has_plurals:
            return GERMANIC, []
        if text is None:
            return None, ["the catalog has plural entries but no Plural-Forms header (nplurals=INTEGER; plural=EXPRESSION;)"]
        missing = "plural=EXPRESSION" if plural_at < 0 else "nplurals=INTEGER"
        return None, [f"the catalog has plural entries but the Plural-Forms header lacks {missing}"]
    problems = []
    number = re.match(r"\s*([0-9]+)", text[nplurals_at + 9 :])
    if number is None:
        problems.append("invalid nplurals value in the Plural-Forms header")
    expression = re.split(r"[;\n]", text[plural_at + 7 :], maxsplit=1)[0].strip()
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        problems.append(f"invalid plural expression {expression!r} in the Plural-Forms header")
        rule = None
    if problems or rule is None or number is None:
        return None, problems
    nplurals = int(number.group(1))
    counts = [0] * max(nplurals, 0)
    for n in range(1001):
        try:
            form = rule(n)
        except ZeroDivisionError:
            return None, ["the plural expression of the Plural-Forms header can divide by zero"]
        if form < 0:
            return None, ["the plural expression of the Plural-Forms header can give negative values"]
        if form >= nplurals:
            return None, [f"nplurals = {nplurals} but the plural expression can give {form}"]
        counts[form] += 1
    return PluralRule(nplurals, tuple(count >= OFTEN for count in counts)), []
