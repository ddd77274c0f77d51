"""The check functions, one small function per concern, registered by name.

``error`` problems change meaning or break the page or the ``.mo`` file (a
lost URL, number or placeholder; anything ``msgfmt -c`` rejects); ``warning``
problems are worth a look but may be deliberate (ending punctuation, an
identical translation, a small number spelled out).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial

from i18n_pipeline.gettext.catalog import Catalog, Message, MessageState
from i18n_pipeline.report.checks.formats import KINDS, InvalidFormat, format_kinds, format_problems, parse_brace
from i18n_pipeline.report.checks.plurals import parse_plural_forms
from i18n_pipeline.report.checks.registry import CATALOG, ENTRY, ERROR, WARNING, CheckContext, register
from i18n_pipeline.translate.provenance import recorded_problems

# --------------------------------------------------------------------------
# Tokens the checks compare
# --------------------------------------------------------------------------

#: Quotes and brackets that close around a URL (“…”, «…», ‘…’) are never part of it.
_URL_STOP = "\\s<>\"'\\])”“’‘»«›‹"
_URL_RE = re.compile(rf"(?:https?|ftp)://[^{_URL_STOP}]*|www\.[^{_URL_STOP}]+", re.IGNORECASE)
#: An international calling code (``+1``, ``+34``): examples get localized with the language.
_CALLING_CODE_RE = re.compile(r"(?<![\w+])\+\d{1,3}(?![\d.,])")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLACEHOLDER_RE = re.compile(r"\{[A-Za-z_][\w.]*(?:\[[^\]{}]*\])?(?:![rsa])?(?::[^{}]*)?\}|\{\d*\}")
#: printf and Python %-directives (``%s``, ``%(count)d``, ``%1$s``): arguments, not numbers.
_PERCENT_RE = re.compile(r"%(?:\([^)]*\)|[0-9]+\$)?[-+ #0]*[0-9]*(?:\.[0-9]+)?[hlLqjzt]*[diouxXeEfFgGcrsa]")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_CODE_RE = re.compile(r"`[^`\n]+`")
#: TeX/Sphinx quotes: `name' (a backtick closed by an apostrophe), not Markdown code.
_TEX_QUOTE_RE = re.compile(r"`[^`'\n]+'")
_MD_LINK_RE = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_TRAILING_PUNCT = ".,;:!?"


def urls(text: str) -> list[str]:
    """URLs in ``text``, without sentence punctuation or closing quotes that follow them."""
    if "://" not in text and "www." not in text.lower():
        return []
    return [u.rstrip(_TRAILING_PUNCT) for u in _URL_RE.findall(text)]


def emails(text: str) -> list[str]:
    if "@" not in text:
        return []
    return [e.rstrip(_TRAILING_PUNCT) for e in _EMAIL_RE.findall(text)]


def placeholders(text: str) -> list[str]:
    """``{name}`` placeholders; ``{}`` counts as ``{0}``, ``{1}``… in order, as str.format numbers them."""
    found = _PLACEHOLDER_RE.findall(text.replace("{{", "").replace("}}", ""))
    auto = iter(range(len(found)))
    return [f"{{{next(auto)}}}" if p == "{}" else p for p in found]


def code_spans(text: str) -> list[str]:
    """Markdown code spans; none in a text quoted the TeX way (`name')."""
    if text.count("`") == len(_TEX_QUOTE_RE.findall(text)):
        return []
    return _CODE_RE.findall(text)


@lru_cache(maxsize=8192)
def _without_tokens(text: str) -> str:
    """Text with URLs, emails, placeholders, %-directives, tags and code spans blanked (checked on their own)."""
    text = _TEX_QUOTE_RE.sub(lambda m: " " + m.group(0)[1:-1] + " ", text) if "`" in text else text
    for regex in (_URL_RE, _EMAIL_RE, _PLACEHOLDER_RE, _PERCENT_RE, _HTML_TAG_RE, _CODE_RE):
        text = regex.sub(" ", text)
    return text


def _missing(source: list[str], target: list[str]) -> list[str]:
    """Items of ``source`` not matched one for one in ``target``, in source order."""
    if not source or not target:
        return list(source)
    left = Counter(source) - Counter(target)
    out = []
    for item in source:
        if left[item] > 0:
            out.append(item)
            left[item] -= 1
    return out


def _quoted(items: list[str]) -> str:
    return ", ".join(repr(i) if not i.startswith("{") else i for i in dict.fromkeys(items))


# --------------------------------------------------------------------------
# What msgfmt -c checks (errors: msgfmt refuses the file)
# --------------------------------------------------------------------------


def _check_format(kind: str, message: Message, ctx: CheckContext) -> list[str]:
    """The ``kind`` directives of the source, kept as msgfmt -c requires."""
    if kind not in format_kinds(ctx.flags):
        return []
    often = ctx.plural.often if ctx.plural is not None else None
    return format_problems(kind, message.msgid, message.msgid_plural, message.translations, often)


for _kind in KINDS:
    register(_kind, ERROR, f"{_kind} directives kept (as msgfmt -c checks)", ENTRY)(partial(_check_format, _kind))


@register("newline-edges", ERROR, "leading and trailing \\n as in the source (msgfmt -c)", ENTRY)
def check_newline_edges(message: Message, ctx: CheckContext) -> list[str]:
    """All strings of an entry begin (and end) with ``\\n``, or none does: msgfmt refuses the file otherwise."""
    texts = [("msgid_plural", message.msgid_plural)] if message.msgid_plural is not None else []
    plural = message.msgstr_plural is not None
    texts += [(f"msgstr[{i}]" if plural else "the translation", t) for i, t in enumerate(message.translations)]
    problems = []
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        expected = test(message.msgid, "\n")
        for name, text in texts:
            if test(text, "\n") != expected:
                said = f"{where}s" if expected else f"does not {where}"
                problems.append(f"the source {said} with \\n but {name} {'does not' if expected else 'does'}")
    return problems


@register("plurals", ERROR, "no empty plural form", ENTRY)
def check_plurals(message: Message, ctx: CheckContext) -> list[str]:
    if message.msgstr_plural is None:
        return []
    empty = [i for i, text in sorted(message.msgstr_plural.items()) if text == ""]
    if not empty or len(empty) == len(message.msgstr_plural):
        return []
    names = ", ".join(f"msgstr[{i}]" for i in empty)
    return [f"plural form {names} is empty (msgfmt still counts the message as translated)"]


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@register("control-chars", ERROR, "no NUL or EOT anywhere, no control characters the source does not have", ENTRY)
def check_control_chars(message: Message, ctx: CheckContext) -> list[str]:
    """NUL ends a string in the ``.mo`` and EOT separates the context (msgfmt refuses both); others are invisible garbage."""
    problems = []
    sources = [message.msgid, message.msgid_plural or ""]
    for name, text in (("the context", message.msgctxt or ""), ("the source", sources[0]), ("the plural source", sources[1])):
        found = sorted({c for c in text if c in "\x00\x04"})
        if found:
            problems.append(f"{name} contains control character(s) {_control_names(found)}")
    for text in message.translations:
        found = [c for c in dict.fromkeys(_CONTROL_RE.findall(text)) if c in "\x00\x04" or not any(c in s for s in sources)]
        if found:
            problems.append(f"the translation contains control character(s) {_control_names(found)}")
    return problems


def _control_names(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


# --------------------------------------------------------------------------
# Meaning: what readers would lose
# --------------------------------------------------------------------------


def _localized_url(url: str, ctx: CheckContext) -> str:
    """``…/en/…`` read as ``…/es/…``: documentation links often point to the reader's language."""
    return re.sub(rf"(?<=/){re.escape(ctx.source_language)}(?=/)", ctx.language, url)


@register("urls", ERROR, "URLs preserved")
def check_urls(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Every URL of the source, unchanged (a changed link sends people elsewhere)."""
    src, tgt = urls(source), urls(target)
    tgt_read = [_localized_url(u, ctx) if u not in src else u for u in tgt]
    src_read = [u if u in tgt else _localized_url(u, ctx) for u in src]
    missing = [src[i] for i, u in enumerate(src_read) if u in _missing(src_read, tgt_read)]
    problems = [f"URL {u} is missing or changed in the translation" for u in dict.fromkeys(missing)]
    problems += [f"URL {u} is in the translation but not in the source" for u in dict.fromkeys(_missing(tgt_read, src_read))]
    return problems


@register("emails", ERROR, "email addresses preserved")
def check_emails(source: str, target: str, ctx: CheckContext) -> list[str]:
    src, tgt = [e.lower() for e in emails(source)], [e.lower() for e in emails(target)]
    problems = [f"email address {e} is missing or changed in the translation" for e in dict.fromkeys(_missing(src, tgt))]
    problems += [f"email address {e} is in the translation but not in the source" for e in dict.fromkeys(_missing(tgt, src))]
    return problems


# Numbers --------------------------------------------------------------------

_SPACES = "\u00a0\u202f\u2009 "
_NUMBER_RE = re.compile(rf"\d+(?:(?:[.,'’]|[{_SPACES}](?=\d{{3}}(?!\d)))\d+)*")
#: 12-hour times: 6 p.m., 4 pm, 10:30am, 12 a.m.
_TIME_12_RE = re.compile(r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
#: 24-hour times: 18:00, 18 h, 18h30, 18 h 30.
_TIME_24_RE = re.compile(r"(?<![\d:.,])(\d{1,2})(?::(\d{2})|\s?h\s?(\d{2})?\b)(?![\d:])")
#: Numbers small enough to be written as words (one hour, doce meses).
SMALL = 12


@lru_cache(maxsize=64)
def _symbols(locale: str) -> tuple[str, str]:
    """Babel's grouping and decimal symbols of ``locale`` (``.``/``,`` for es, narrow space/``,`` for fr)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        return get_group_symbol(locale), get_decimal_symbol(locale)
    except (ValueError, LookupError):
        return ",", "."


def _value(token: str, group: str, decimal: str) -> str | None:
    """The number ``token`` means with these symbols, or None when it cannot be read so."""
    groups = _SPACES if group in _SPACES else group
    parts = re.split(rf"([{re.escape(groups + decimal)}])", token)
    digits, seps = parts[0::2], parts[1::2]
    integer, fraction = [digits[0]], ""
    for index, sep in enumerate(seps):
        run = digits[index + 1]
        if sep == decimal and index == len(seps) - 1:
            fraction = run
        elif sep in groups and sep != decimal and len(run) == 3 and not fraction and len(digits[0]) <= 3:
            integer.append(run)
        else:
            return None
    try:
        return str(Decimal("".join(integer) + ("." + fraction if fraction else "")).normalize())
    except InvalidOperation:
        return None


def _readings(token: str, locales: tuple[str, ...]) -> frozenset[str]:
    """Every value ``token`` can mean in these locales (and as written, for versions like 3.2.1)."""
    values = {token}
    for group, decimal in {*map(_symbols, locales), (",", "."), (".", ",")}:
        value = _value(token, group, decimal)
        if value is not None:
            values.add(value)
    return frozenset(values)


def _time(hour: str, minute: str | None, half: str | None = None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if half is not None:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    if h > 24 or m > 59:
        return None
    return f"time {h}:{m:02d}"


def _number_tokens(text: str, locales: tuple[str, ...]) -> list[tuple[str, frozenset[str]]]:
    """(as written, possible values) for each time and number of ``text``, tokens excluded."""
    text = _without_tokens(text)
    text = _CALLING_CODE_RE.sub(" ", text)
    tokens: list[_Token] = []

    def take_time(match: re.Match[str], half: bool) -> str:
        groups = match.groups()
        value = _time(groups[0], groups[1], groups[2]) if half else _time(groups[0], groups[1] or groups[2])
        if value is None:
            return match.group(0)
        tokens.append((match.group(0).strip(), frozenset({value})))
        return " "

    text = _TIME_12_RE.sub(lambda m: take_time(m, True), text)
    text = _TIME_24_RE.sub(lambda m: take_time(m, False), text)
    tokens += [(t, _readings(t, locales)) for t in _NUMBER_RE.findall(text)]
    return tokens


#: A number as written and the values it can be read as.
_Token = tuple[str, frozenset[str]]


def _spelled(missing: list[_Token], extra: list[_Token]) -> bool:
    """Only small numbers, on one side only: written as words on the other (a changed number is not)."""
    return not (missing and extra) and all(any(v.isdigit() and int(v) <= SMALL for v in values) for _, values in missing + extra)


@lru_cache(maxsize=4096)
def number_mismatch(source: str, target: str, source_locale: str, locale: str) -> tuple[list[_Token], list[_Token]]:
    """Numbers of the source with no equal in the translation, and the reverse (read per locale)."""
    src = _number_tokens(source, (source_locale,))
    tgt = _number_tokens(target, (locale, source_locale))
    unmatched = list(tgt)
    missing = []
    for token in src:
        match = next((t for t in unmatched if t[1] & token[1]), None)
        if match is None:
            missing.append(token)
        else:
            unmatched.remove(match)
    return missing, unmatched


@register("numbers", ERROR, "numbers and times preserved (read with each locale's digit grouping)")
def check_numbers(source: str, target: str, ctx: CheckContext) -> list[str]:
    """``2000`` may become ``2.000`` or ``2 000``, ``6 p.m.`` ``18:00``; a lost or changed number is an error.

    Small numbers missing on one side only (``1 hour`` → ``una hora``) are left to ``spelled-numbers``.
    """
    missing, extra = number_mismatch(source, target, ctx.source_locale, ctx.locale)
    if _spelled(missing, extra):
        return []
    problems = []
    if missing:
        problems.append(f"number(s) {', '.join(dict.fromkeys(t[0] for t in missing))} of the source are missing in the translation")
    if extra:
        problems.append(f"number(s) {', '.join(dict.fromkeys(t[0] for t in extra))} are in the translation but not in the source")
    return problems


@register("spelled-numbers", WARNING, "small numbers written as words on one side")
def check_spelled_numbers(source: str, target: str, ctx: CheckContext) -> list[str]:
    missing, extra = number_mismatch(source, target, ctx.source_locale, ctx.locale)
    if not (missing or extra) or not _spelled(missing, extra):
        return []
    shown = ", ".join(dict.fromkeys(t[0] for t in missing + extra))
    return [f"number(s) {shown} appear on one side only (fine when written as words)"]


@register("placeholders", ERROR, "{placeholders} preserved")
def check_placeholders(source: str, target: str, ctx: CheckContext) -> list[str]:
    """``{name}`` placeholders are filled in by the renderer: each must stay exactly as written.

    An entry flagged ``python-brace-format`` is left to that check, which follows msgfmt.
    """
    if "python-brace-format" in format_kinds(ctx.flags):
        try:
            parse_brace(source)
            return []
        except InvalidFormat:
            pass
    src, tgt = placeholders(source), placeholders(target)
    problems = []
    missing, extra = _missing(src, tgt), _missing(tgt, src)
    if missing:
        problems.append(f"placeholder {_quoted(missing)} is missing (keep it exactly as in the source)")
    if extra:
        problems.append(f"placeholder {_quoted(extra)} is not in the source (placeholders must not be translated)")
    return problems


_EMPHASIS_RES = {
    "**": re.compile(r"\*\*(?!\s)[^*\n]+?(?<!\s)\*\*"),
    "__": re.compile(r"(?<!\w)__(?!\s)[^_\n]+?(?<!\s)__(?!\w)"),
    "*": re.compile(r"(?<![\w*\"'«“(])\*(?![\s*])[^*\n]+?(?<![\s*])\*(?![\w*\"'»”)])"),
    "_": re.compile(r"(?<![\w_\"'«“(])_(?![\s_])[^_\n]+?(?<![\s_])_(?![\w_\"'»”)])"),
}


def _emphasis_counts(text: str) -> dict[str, int]:
    """Emphasis spans (``*a*``, ``**b**``, ``_c_``, ``__d__``): a lone ``*`` or ``_`` is not one."""
    text = _MD_LINK_RE.sub(lambda m: m.group('text') or ' ', text)
    text = _without_tokens(text)
    counts = {}
    for marker, regex in _EMPHASIS_RES.items():
        counts[marker] = len(regex.findall(text))
        text = regex.sub(" ", text)
    return counts


@register("markdown", ERROR, "Markdown links, code and emphasis preserved")
def check_markdown(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Links keep their targets, code keeps its text, emphasis spans stay.

    Code whose text is still there under other quotes (« … » in French) is
    kept: the words a reader types are what matters.
    """
    problems = []
    src_links = [m.group("url") for m in _MD_LINK_RE.finditer(source)]
    tgt_links = [m.group("url") for m in _MD_LINK_RE.finditer(target)]
    if len(src_links) != len(tgt_links):
        problems.append(f"the source has {len(src_links)} Markdown link(s), the translation {len(tgt_links)}")
    else:
        for url in dict.fromkeys(_missing(src_links, tgt_links)):
            problems.append(f"Markdown link target ({url}) is missing or changed")
    for code in dict.fromkeys(code_spans(source)):
        if code not in target and code[1:-1] not in target:
            problems.append(f"code {code} must stay exactly as in the source")
    src_em, tgt_em = _emphasis_counts(source), _emphasis_counts(target)
    for marker, count in src_em.items():
        if count != tgt_em[marker]:
            problems.append(f"the source has {count} {marker}emphasis{marker} span(s), the translation {tgt_em[marker]}")
    return problems


def _term_re(term: str, inflect: bool) -> re.Pattern[str]:
    """A phrase as whole words; with ``inflect`` each word may take a plural ending."""
    words = [re.escape(w) for w in term.split()]
    suffix = r"(?:s|es)?" if inflect else ""
    return re.compile(r"(?<!\w)" + r"\s+".join(w + suffix for w in words) + r"(?!\w)", re.IGNORECASE if inflect else 0)


@register("do-not-translate", ERROR, "do-not-translate glossary terms kept")
def check_do_not_translate(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Names and acronyms listed as do-not-translate appear in the translation as often, unchanged."""
    patterns = {term: _term_re(term, inflect=False) for term in ctx.glossary.do_not_translate}
    return [f"keep {term!r} exactly as written (it is in the do-not-translate glossary)"
            for term, pattern in patterns.items() if len(pattern.findall(target)) < len(pattern.findall(source))]


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else "…" + text[-(width - 1) :]


_QUOTED_MARK_RE = re.compile(r"[\"'«“‘][?!¿¡][\"'»”’]")


@register("spanish-marks", ERROR, "Spanish ¿ and ¡ opening marks")
def check_spanish_marks(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Spanish questions need ``¿`` and exclamations ``¡`` at their start, and each opened one closed.

    A question runs back to the previous ``?``, ``!`` or line break, not to the
    previous full stop: abbreviations (``Andrea J. Ritchie``) and ellipses
    often sit inside one. A stretch with no letters (``:?``) is not a sentence,
    nor is a quoted ``"?"``.
    """
    if ctx.language != "es":
        return []
    # A quoted "?" or '!' is the character itself, not a question.
    text = _QUOTED_MARK_RE.sub(" ", _without_tokens(target))
    problems = []
    for close, opening, what in (("?", "¿", "question"), ("!", "¡", "exclamation")):
        start = 0
        for index, char in enumerate(text):
            if char not in "?!\n":
                continue
            segment = text[start:index]
            if char == close:
                if opening not in segment and any(c.isalpha() for c in segment):
                    problems.append(f"the {what} {_short(segment.strip() + close)!r} needs an opening {opening}")
            elif opening in segment:
                problems.append(f"{opening} in {_short(segment.strip())!r} is never closed with {close}")
            start = index + 1
        if opening in text[start:]:
            problems.append(f"{opening} in {_short(text[start:].strip())!r} is never closed with {close}")
    return problems


# --------------------------------------------------------------------------
# Warnings: worth a look, may be deliberate
# --------------------------------------------------------------------------


def _edge_whitespace(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = text.index(stripped[0])
    return text[:start], text[start + len(stripped) :]


@register("whitespace", WARNING, "leading and trailing whitespace")
def check_whitespace(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Leading and trailing spaces as in the source (a leading or trailing \\n is ``newline-edges``' concern)."""
    edges = zip(("leading", "trailing"), _edge_whitespace(source), _edge_whitespace(target))
    return [
        f"{where} whitespace differs: source {src!r}, translation {tgt!r}"
        for where, src, tgt in edges
        if src.replace("\n", "") != tgt.replace("\n", "")
    ]


@register("newlines", WARNING, "number of line breaks")
def check_newlines(source: str, target: str, ctx: CheckContext) -> list[str]:
    """As many line breaks as the source: paragraphs and lists must keep their shape."""
    src, tgt = source.count("\n"), target.count("\n")
    return [f"the source has {src} line break(s), the translation {tgt}"] if src != tgt else []


_CLOSERS = "\"'”’»)]*_ \t\n\u00a0\u202f"


def _ending(text: str) -> str:
    """The sentence punctuation a text ends with: ``.``, ``?``, ``!``, ``:``, ``;``, ``…`` or ``""``."""
    text = _URL_RE.sub("", text) if text.rstrip().endswith("/") else text
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith(("...", "…")):
        return "…"
    last = stripped[-1:]
    return last if last in ".?!:;" else ""


@register("punctuation", WARNING, "ending punctuation matches")
def check_punctuation(source: str, target: str, ctx: CheckContext) -> list[str]:
    """The translation ends like the source (a question stays a question); ``...`` and ``…`` are the same."""
    src, tgt = _ending(source), _ending(target)
    if src == tgt:
        return []
    # A trailing URL or email carries its own ending; do not guess.
    if re.search(r"(?:@[\w.-]+|\w/)\s*$", target) and not src:
        return []
    src, tgt = (f"'{mark}'" if mark else "no punctuation" for mark in (src, tgt))
    return [f"the source ends with {src} but the translation with {tgt}"]


_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)  +(?=\S)")


@register("double-space", WARNING, "no double spaces")
def check_double_space(source: str, target: str, ctx: CheckContext) -> list[str]:
    if len(_DOUBLE_SPACE_RE.findall(target)) > len(_DOUBLE_SPACE_RE.findall(source)):
        return ["the translation has a double space between words"]
    return []


_WORD_RE = re.compile(r"[^\W\d_]{2,}")


@register("identical", WARNING, "translation differs from the source")
def check_identical(source: str, target: str, ctx: CheckContext) -> list[str]:
    """A sentence left in the source language is usually a copy left by mistake.

    Names, acronyms and single words are often the same in both languages
    (``MFA``, ``Color``, ``Total``, ``Google Authenticator``): reported only
    when the text has two words or more and one of them is a lower-case word
    once do-not-translate terms, URLs, emails and placeholders are removed.
    Flag the entry ``no-check-identical`` when it is the same on purpose.
    """
    if source.strip() != target.strip():
        return []
    rest = source
    for term in ctx.glossary.do_not_translate:
        rest = rest.replace(term, " ")
    rest = _without_tokens(rest)
    words = _WORD_RE.findall(rest)
    if len(words) < 2 or not any(w.islower() for w in words):
        return []
    return ["the translation is identical to the source (flag the entry no-check-identical if that is intended)"]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@register("glossary", WARNING, "preferred glossary translations used")
def check_glossary(source: str, target: str, ctx: CheckContext) -> list[str]:
    """A source term from the locale's glossary is translated with the preferred term."""
    return [f"the glossary translates {term!r} as {preferred!r}" for term, preferred in ctx.glossary.terms.items()
            if _term_re(term, inflect=True).search(source) and not _term_re(_fold(preferred), inflect=True).search(_fold(target))]


@register("draft-problem", ERROR, "problems recorded while drafting (with --include-fuzzy)", ENTRY)
def check_draft_problem(message: Message, ctx: CheckContext) -> list[str]:
    if message.state is not MessageState.NEEDS_REVIEW:
        return []  # recorded about the drafted text: once a person changed it, they describe text that is gone
    return recorded_problems(message)


@register("plural-forms", ERROR, "a valid Plural-Forms header when the catalog has plural entries (msgfmt -c)", CATALOG)
def check_plural_forms(catalog: Catalog, ctx: CheckContext) -> list[str]:
    """The header's rule must parse and fit its nplurals, and final plural entries have nplurals forms.

    Reported once per catalog, as msgfmt does: a header that disagrees with
    its entries is one mistake, not one per entry.
    """
    plural = [m for m in catalog.active if m.msgstr_plural is not None and m.state is MessageState.TRANSLATED]
    rule, problems = parse_plural_forms(catalog.header, bool(plural))
    if rule is None or problems:
        return problems
    wrong = [m for m in plural if len(m.msgstr_plural or {}) != rule.nplurals]
    if wrong:
        counts = sorted({len(m.msgstr_plural or {}) for m in wrong})
        problems.append(
            f"the Plural-Forms header says nplurals={rule.nplurals} but {len(wrong)} plural entr"
            f"{'y has' if len(wrong) == 1 else 'ies have'} {' or '.join(map(str, counts))} forms "
            f"(first at line {wrong[0].lineno})"
        )
    return problems
