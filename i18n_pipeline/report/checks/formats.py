"""Format strings compared the way GNU ``msgfmt -c`` compares them.

An entry flagged ``python-format``, ``python-brace-format`` or ``c-format``
(or ``possible-…-format``) has its translations parsed as that kind of format
string and compared with the msgid (with the msgid_plural for plural
entries). The rules are gettext's (``format-python.c``,
``format-pythonbrace.c``, ``format-c.c`` and ``format.c``): a msgid that is
not a valid format string is not checked; a translation that is not valid is
an error; a translation may never use an argument the source lacks, and must
use all of them unless it is a plural form used for a single ``n`` (French
``msgstr[0]`` may say "une page" for ``%(count)s pages``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Format kinds checked, by flag name.
KINDS = ("python-format", "python-brace-format", "c-format")

ANY, INTEGER, FLOAT, CHARACTER = "any", "integer", "float", "character"


class InvalidFormat(ValueError):
    """The text is not a valid format string of the kind; the message says why."""


@dataclass
class Spec:
    """Arguments a format string takes: by name, or by position (with their types)."""

    named: dict[str, str] = field(default_factory=dict)
    unnamed: list[str] = field(default_factory=list)


def format_kinds(flags: list[str] | frozenset[str]) -> list[str]:
    """The kinds msgfmt checks for an entry with these flags (``no-…-format`` wins)."""
    return [kind for kind in KINDS if f"no-{kind}" not in flags and (kind in flags or f"possible-{kind}" in flags)]


# --------------------------------------------------------------------------
# Python %-formats
# --------------------------------------------------------------------------

_PY_TYPES = {
    **dict.fromkeys("c", CHARACTER),
    **dict.fromkeys("sra", ANY),
    **dict.fromkeys("iduoxX", INTEGER),
    **dict.fromkeys("eEfFgG", FLOAT),
}


def _width(text: str, i: int) -> tuple[int, int]:
    """Skip a width or precision at ``i``: ``*`` (one more argument taken) or digits."""
    if text.startswith("*", i):
        return i + 1, 1
    while i < len(text) and text[i].isdigit():
        i += 1
    return i, 0


def parse_python(text: str) -> Spec:
    spec = Spec()
    i, end = 0, len(text)
    number = 0
    while True:
        i = text.find("%", i)
        if i < 0:
            break
        i += 1
        number += 1
        name = None
        if i < end and text[i] == "(":
            depth, start = 1, i + 1
            i += 1
            while i < end and depth:
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if depth:
                raise InvalidFormat(f"in the directive number {number}, the token after '(' is not followed by ')'")
            name = text[start : i - 1]
        while i < end and text[i] in " +-#0":
            i += 1
        i, stars = _width(text, i)
        if i < end and text[i] == ".":
            i, more = _width(text, i + 1)
            stars += more
        while i < end and text[i] in "hlL":
            i += 1
        if i >= end:
            raise InvalidFormat("the string ends in the middle of a directive")
        conversion = text[i]
        i += 1
        if conversion == "%":
            if name is None:
                continue
            # msgfmt records ``%(name)%`` as a use of the name that takes no value.
            kind: str | None = "none"
        else:
            kind = _PY_TYPES.get(conversion)
        if kind is None:
            raise InvalidFormat(f"in the directive number {number}, the character '{conversion}' is not a valid conversion specifier")
        if name is not None:
            if stars:
                raise InvalidFormat("a named argument cannot take its width or precision from '*'")
            if spec.named.setdefault(name, kind) != kind:
                raise InvalidFormat(f"the argument named '{name}' is used in incompatible ways")
        else:
            spec.unnamed += [INTEGER] * stars + [kind]
    if spec.named and spec.unnamed:
        raise InvalidFormat("the string refers to arguments both by name and by position")
    return spec


def compare_python(source: Spec, target: Spec, strict: bool, what: str) -> list[str]:
    """msgfmt wants the same type even where Python would accept either (``%s`` for ``%d``)."""
    if source.named and target.unnamed:
        return [f"the source's format specifications take a mapping (%(name)s), those in {what} a tuple (%s)"]
    if source.unnamed and target.named:
        return [f"the source's format specifications take a tuple (%s), those in {what} a mapping (%(name)s)"]
    problems = [f"%({name}) in {what} is not in the source" for name in target.named if name not in source.named]
    if strict:
        problems += [f"%({name}) of the source is missing in {what}" for name in source.named if name not in target.named]
    for name, kind in source.named.items():
        if target.named.get(name, kind) != kind:
            problems.append(f"%({name}) is a {kind} in the source but a {target.named[name]} in {what}")
    if source.unnamed or target.unnamed:
        if len(source.unnamed) != len(target.unnamed):
            problems.append(f"the source has {len(source.unnamed)} % directive(s), {what} {len(target.unnamed)}")
        else:
            for index, (a, b) in enumerate(zip(source.unnamed, target.unnamed), 1):
                if a != b:
                    problems.append(f"% directive {index} is a {a} in the source but a {b} in {what}")
    return problems


# --------------------------------------------------------------------------
# Python {}-formats (str.format)
# --------------------------------------------------------------------------

_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _brace_field(text: str, i: int, number: int, nested: bool) -> int:
    """Parse a field after its ``{``; return the index of its closing ``}``.

    gettext's grammar: a name of ASCII letters, digits and ``_``; then
    ``.attr`` and ``[key]`` parts; then ``:spec``, where the spec is either
    plain characters or one nested field. ``!r`` conversions and ``{}`` are
    not valid for msgfmt.
    """
    end = len(text)

    def char(at: int) -> str:
        if at >= end:
            raise InvalidFormat("the string ends in the middle of a directive")
        return text[at]

    if char(i) not in _IDENT_CHARS:
        raise InvalidFormat(f"in the directive number {number}, {char(i)!r} cannot start a field name")
    while char(i) in _IDENT_CHARS:
        i += 1
    while char(i) in ".[":
        if text[i] == ".":
            i += 1
            if char(i) not in _IDENT_CHARS:
                raise InvalidFormat(f"in the directive number {number}, {char(i)!r} cannot start a getattr argument")
            while char(i) in _IDENT_CHARS:
                i += 1
        else:
            i += 1
            if char(i) == "]":
                raise InvalidFormat(f"in the directive number {number}, ']' cannot start a getitem argument")
            while char(i) != "]":
                i += 1
            i += 1
    if char(i) == ":" and not nested:
        i += 1
        if char(i) == "{":
            i = _brace_field(text, i + 1, number, True) + 1
        else:
            while char(i) not in "{}":
                i += 1
    if char(i) != "}":
        raise InvalidFormat(f"in the directive number {number}, there is an unterminated format directive")
    return i


def parse_brace(text: str) -> Spec:
    """Fields of a ``str.format`` string, each named by its whole text (``a:d``, as msgfmt 0.21 names them)."""
    spec = Spec()
    i, end, number = 0, len(text), 0
    while i < end:
        if text[i] == "{":
            if text.startswith("{{", i):
                i += 2
                continue
            close = _brace_field(text, i + 1, number, False)
            spec.named[text[i + 1 : close]] = ANY
            number += 1
            i = close + 1
            continue
        i += 2 if text.startswith("}}", i) else 1
    return spec


def compare_brace(source: Spec, target: Spec, strict: bool, what: str) -> list[str]:
    problems = [f"{{{name}}} in {what} is not in the source" for name in target.named if name not in source.named]
    if strict:
        problems += [f"{{{name}}} of the source is missing in {what}" for name in source.named if name not in target.named]
    return problems


# --------------------------------------------------------------------------
# C printf formats
# --------------------------------------------------------------------------

_C_DIRECTIVE_RE = re.compile(
    r"%(?:(?P<pos>[1-9][0-9]*)\$)?(?P<flags>[-+ #0'I]*)"
    r"(?P<width>\*(?:[1-9][0-9]*\$)?|[0-9]+)?(?:\.(?P<precision>\*(?:[1-9][0-9]*\$)?|[0-9]*))?"
    r"(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conversion><PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR)>|.)?",
    re.DOTALL,
)
_C_TYPES = {
    **dict.fromkeys("di", "int"),
    **dict.fromkeys("ouxX", "unsigned int"),
    **dict.fromkeys("eEfFgGaA", "double"),
    "c": "char",
    "C": "wide char",
    "s": "string",
    "S": "wide string",
    "p": "pointer",
    "n": "count pointer",
}


def parse_c(text: str) -> Spec:
    """Arguments by position; ``%%`` and glibc's ``%m`` take none."""
    numbered: dict[int, str] = {}
    unnumbered: list[str] = []
    i, number = 0, 0
    while True:
        i = text.find("%", i)
        if i < 0:
            break
        match = _C_DIRECTIVE_RE.match(text, i)
        assert match is not None  # every part after the "%" is optional
        i = match.end()
        number += 1
        conversion = match.group("conversion")
        if conversion is None:
            raise InvalidFormat("the string ends in the middle of a directive")
        if conversion in ("%", "m"):
            continue
        size = match.group("size") or ""
        if conversion.startswith("<PRI"):
            base: str | None = "int" if conversion[4] in "di" else "unsigned int"
            kind = f"{base} ({conversion[5:-1]})"
        else:
            base = _C_TYPES.get(conversion)
            if base is None:
                raise InvalidFormat(f"in the directive number {number}, the character '{conversion}' is not a valid conversion specifier")
            if base in ("char", "string") and size == "l":
                base = "wide " + base
                size = ""
            kind = f"{size} {base}".strip() if size else base
        args: list[tuple[int | None, str]] = []
        for part in ("width", "precision"):
            value = match.group(part)
            if value and value.startswith("*"):
                args.append((int(value[1:-1]) if value.endswith("$") else None, "int"))
        pos = match.group("pos")
        args.append((int(pos) if pos else None, kind))
        for position, arg_kind in args:
            if position is None:
                unnumbered.append(arg_kind)
            elif numbered.setdefault(position, arg_kind) != arg_kind:
                raise InvalidFormat(f"the argument number {position} is used in incompatible ways")
    if numbered and unnumbered:
        raise InvalidFormat("the string refers to arguments both by absolute number and by position")
    if numbered:
        top = max(numbered)
        for position in range(1, top + 1):
            if position not in numbered:
                raise InvalidFormat(f"the string refers to argument number {top} but ignores argument number {position}")
        return Spec(unnamed=[numbered[p] for p in range(1, top + 1)])
    return Spec(unnamed=unnumbered)


def compare_c(source: Spec, target: Spec, strict: bool, what: str) -> list[str]:
    a, b = source.unnamed, target.unnamed
    if (len(a) != len(b)) if strict else (len(b) > len(a)):
        return [f"the source has {len(a)} % directive(s), {what} {len(b)}"]
    return [
        f"% directive {index} is {x} in the source but {y} in {what}"
        for index, (x, y) in enumerate(zip(a, b), 1)
        if x != y
    ]


#: Per kind: its name in messages, its parser, its comparison.
_FORMATS = {
    "python-format": ("Python %", parse_python, compare_python),
    "python-brace-format": ("Python {}", parse_brace, compare_brace),
    "c-format": ("C printf", parse_c, compare_c),
}


def format_problems(
    kind: str,
    msgid: str,
    msgid_plural: str | None,
    translations: list[str],
    often: Sequence[bool] | None,
) -> list[str]:
    """Problems of ``translations`` as ``kind`` format strings, by msgfmt's rules.

    ``often[j]`` says plural form ``j`` is used for many values of ``n`` (so
    it must use every argument); a form used for one or two values may leave
    some out.
    """
    label, parse, compare = _FORMATS[kind]
    try:
        source = parse(msgid_plural if msgid_plural is not None else msgid)
    except InvalidFormat:
        return []
    problems = []
    plural = msgid_plural is not None
    for index, text in enumerate(translations):
        what = f"msgstr[{index}]" if plural else "the translation"
        try:
            target = parse(text)
        except InvalidFormat as exc:
            problems.append(f"{what} is not a valid {label} format string: {exc}")
            continue
        strict = not plural or len(translations) == 1 or (often is not None and index < len(often) and often[index])
        problems += compare(source, target, strict, what)
    return problems
