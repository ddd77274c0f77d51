"""Quality checks on translations: one small function per concern.

Each text check takes the source text, the translation and a
:class:`CheckContext` and returns a list of short messages (empty when all is
well); :data:`CHECKS` names them with a default severity. ``error`` problems
make ``i18n-pipeline check`` exit 1: they change meaning or break the page
(a lost URL, number, placeholder or protected name). ``warning`` problems are
worth a look but may be deliberate (ending punctuation, an identical
translation).

A translator silences a check for one entry with a PO flag, as Weblate's
``ignore-*`` flags do: ``#, no-check-urls`` (``ignore-urls`` works too), or
``no-check-all``. The flags survive every PO editor and ``msgfmt -c``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from i18n_pipeline.gettext.catalog import Catalog, Message, MessageState
from i18n_pipeline.translate.glossary import Glossary
from i18n_pipeline.translate.provenance import PROBLEM_PREFIX

if TYPE_CHECKING:
    from i18n_pipeline.config import Config

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class CheckContext:
    """What a check needs to know besides the two texts."""

    #: Locale of the translation (e.g. ``es``).
    locale: str
    #: Locale of the source text (``en``, or ``es`` for a Spanish-authored document).
    source_locale: str = "en"
    glossary: Glossary = field(default_factory=Glossary)

    @property
    def language(self) -> str:
        return re.split(r"[_-]", self.locale, maxsplit=1)[0].lower()


# --------------------------------------------------------------------------
# Tokens the checks compare
# --------------------------------------------------------------------------

_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'\])]+|www\.[^\s<>\"'\])]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLACEHOLDER_RE = re.compile(r"\{[A-Za-z_][\w.]*(?:\[[^\]{}]*\])?(?:![rsa])?(?::[^{}]*)?\}|\{\d*\}")
_NUMBER_RE = re.compile(r"\d+")
_CODE_RE = re.compile(r"`[^`\n]+`")
_MD_LINK_RE = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_TRAILING_PUNCT = ".,;:!?"


def _strip_trailing_punct(token: str) -> str:
    return token.rstrip(_TRAILING_PUNCT)


def urls(text: str) -> list[str]:
    """URLs in ``text``, without sentence punctuation that follows them."""
    return [_strip_trailing_punct(u) for u in _URL_RE.findall(text)]


def emails(text: str) -> list[str]:
    return [_strip_trailing_punct(e) for e in _EMAIL_RE.findall(text)]


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER_RE.findall(text.replace("{{", "").replace("}}", ""))


def _without_tokens(text: str) -> str:
    """Text with URLs, emails, placeholders and code spans blanked (checked on their own)."""
    for regex in (_URL_RE, _EMAIL_RE, _PLACEHOLDER_RE, _CODE_RE):
        text = regex.sub(" ", text)
    return text


def _missing(source: list[str], target: list[str]) -> list[str]:
    """Items of ``source`` not matched one for one in ``target``, in source order."""
    left = Counter(source) - Counter(target)
    out = []
    for item in source:
        if left[item] > 0:
            out.append(item)
            left[item] -= 1
    return out


def _extra(source: list[str], target: list[str]) -> list[str]:
    return _missing(target, source)


def _quoted(items: list[str]) -> str:
    return ", ".join(repr(i) if not i.startswith("{") else i for i in dict.fromkeys(items))


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------


def check_urls(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Every URL of the source, unchanged (a changed link sends people elsewhere)."""
    src, tgt = urls(source), urls(target)
    problems = [f"URL {u} is missing or changed in the translation" for u in dict.fromkeys(_missing(src, tgt))]
    problems += [f"URL {u} is in the translation but not in the source" for u in dict.fromkeys(_extra(src, tgt))]
    return problems


def check_emails(source: str, target: str, ctx: CheckContext) -> list[str]:
    src, tgt = [e.lower() for e in emails(source)], [e.lower() for e in emails(target)]
    problems = [f"email address {e} is missing or changed in the translation" for e in dict.fromkeys(_missing(src, tgt))]
    problems += [f"email address {e} is in the translation but not in the source" for e in dict.fromkeys(_extra(src, tgt))]
    return problems


def check_numbers(source: str, target: str, ctx: CheckContext) -> list[str]:
    """The same digit groups (``1,000`` and ``1.000`` both give ``1`` and ``000``)."""
    src = _NUMBER_RE.findall(_without_tokens(source))
    tgt = _NUMBER_RE.findall(_without_tokens(target))
    problems = []
    missing, extra = _missing(src, tgt), _extra(src, tgt)
    if missing:
        problems.append(f"number(s) {', '.join(dict.fromkeys(missing))} of the source are missing in the translation")
    if extra:
        problems.append(f"number(s) {', '.join(dict.fromkeys(extra))} are in the translation but not in the source")
    return problems


def check_placeholders(source: str, target: str, ctx: CheckContext) -> list[str]:
    """``{name}`` placeholders are filled in by the renderer: each must stay exactly as written."""
    src, tgt = placeholders(source), placeholders(target)
    problems = []
    missing, extra = _missing(src, tgt), _extra(src, tgt)
    if missing:
        problems.append(f"placeholder {_quoted(missing)} is missing (keep it exactly as in the source)")
    if extra:
        problems.append(f"placeholder {_quoted(extra)} is not in the source (placeholders must not be translated)")
    return problems


def _emphasis_counts(text: str) -> dict[str, int]:
    text = _MD_LINK_RE.sub(lambda m: f" {m.group('text')} ", text)
    text = _URL_RE.sub(" ", _EMAIL_RE.sub(" ", _CODE_RE.sub(" ", text)))
    strong = text.count("**")
    text = text.replace("**", " ")
    strong_u = len(re.findall(r"(?<!\w)__|__(?!\w)", text))
    text = re.sub(r"(?<!\w)__|__(?!\w)", " ", text)
    return {
        "**": strong,
        "*": text.count("*"),
        "__": strong_u,
        "_": len(re.findall(r"(?<!\w)_|_(?!\w)", text)),
    }


def check_markdown(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Links keep their targets, code spans stay verbatim, emphasis markers stay balanced."""
    problems = []
    src_links = [m.group("url") for m in _MD_LINK_RE.finditer(source)]
    tgt_links = [m.group("url") for m in _MD_LINK_RE.finditer(target)]
    if len(src_links) != len(tgt_links):
        problems.append(f"the source has {len(src_links)} Markdown link(s), the translation {len(tgt_links)}")
    else:
        for url in dict.fromkeys(_missing(src_links, tgt_links)):
            problems.append(f"Markdown link target ({url}) is missing or changed")
    src_code, tgt_code = _CODE_RE.findall(source), _CODE_RE.findall(target)
    for code in dict.fromkeys(_missing(src_code, tgt_code)):
        problems.append(f"code {code} must stay exactly as in the source")
    src_em, tgt_em = _emphasis_counts(source), _emphasis_counts(target)
    for marker, count in src_em.items():
        if count != tgt_em[marker]:
            problems.append(
                f"emphasis marker {marker} appears {count} time(s) in the source and {tgt_em[marker]} in the translation"
            )
    return problems


def _edge_whitespace(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = text.index(stripped[0])
    return text[:start], text[start + len(stripped) :]


def check_whitespace(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Leading and trailing whitespace as in the source (renderers and concatenation depend on it)."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edge_whitespace(source), _edge_whitespace(target)
    problems = []
    if src_lead != tgt_lead:
        problems.append(f"leading whitespace differs: source {src_lead!r}, translation {tgt_lead!r}")
    if src_trail != tgt_trail:
        problems.append(f"trailing whitespace differs: source {src_trail!r}, translation {tgt_trail!r}")
    return problems


def check_newlines(source: str, target: str, ctx: CheckContext) -> list[str]:
    """As many line breaks as the source: paragraphs and lists must keep their shape."""
    src, tgt = source.count("\n"), target.count("\n")
    if src != tgt:
        return [f"the source has {src} line break(s), the translation {tgt}"]
    return []


_CLOSERS = "\"'”’»)]*_ \t\n"


def _ending(text: str) -> str:
    """The sentence punctuation a text ends with: ``.``, ``?``, ``!``, ``:``, ``;``, ``…`` or ``""``."""
    text = _URL_RE.sub("", text) if text.rstrip().endswith("/") else text
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith(("...", "…")):
        return "…"
    last = stripped[-1:]
    return last if last in ".?!:;" else ""


def check_punctuation(source: str, target: str, ctx: CheckContext) -> list[str]:
    """The translation ends like the source (a question stays a question)."""
    src, tgt = _ending(source), _ending(target)
    if src == tgt:
        return []
    # A trailing URL or email carries its own ending; do not guess.
    if re.search(r"(?:@[\w.-]+|\w/)\s*$", target) and not src:
        return []
    describe = lambda mark: f"'{mark}'" if mark else "no punctuation"  # noqa: E731
    return [f"the source ends with {describe(src)} but the translation with {describe(tgt)}"]


def check_spanish_marks(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Spanish questions need ``¿`` and exclamations ``¡`` at their start, and each opened one closed.

    A question runs back to the previous ``?``, ``!`` or line break, not to the
    previous full stop: abbreviations (``Andrea J. Ritchie``) and ellipses
    often sit inside one.
    """
    if ctx.language != "es":
        return []
    text = _without_tokens(target)
    problems = []
    for close, opening, what in (("?", "¿", "question"), ("!", "¡", "exclamation")):
        start = 0
        for index, char in enumerate(text):
            if char not in "?!\n":
                continue
            segment = text[start:index]
            if char == close:
                if opening not in segment:
                    problems.append(f"the {what} {_short(segment.strip() + close)!r} needs an opening {opening}")
            elif opening in segment:
                problems.append(f"{opening} in {_short(segment.strip())!r} is never closed with {close}")
            start = index + 1
        if opening in text[start:]:
            problems.append(f"{opening} in {_short(text[start:].strip())!r} is never closed with {close}")
    return problems


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def check_double_space(source: str, target: str, ctx: CheckContext) -> list[str]:
    src = len(re.findall(r"(?<=\S)  +(?=\S)", source))
    tgt = len(re.findall(r"(?<=\S)  +(?=\S)", target))
    if tgt > src:
        return ["the translation has a double space between words"]
    return []


def _remove_terms(text: str, terms: tuple[str, ...]) -> str:
    for term in terms:
        text = text.replace(term, " ")
    return text


def check_identical(source: str, target: str, ctx: CheckContext) -> list[str]:
    """A translation equal to the source is usually a copy left by mistake.

    Not reported when nothing translatable is left once names kept as they
    are, URLs, emails, placeholders and numbers are removed; flag the entry
    ``no-check-identical`` when it is the same on purpose.
    """
    if source.strip() != target.strip():
        return []
    rest = _NUMBER_RE.sub(" ", _without_tokens(_remove_terms(source, ctx.glossary.do_not_translate)))
    if not any(c.isalpha() for c in rest):
        return []
    return ["the translation is identical to the source (flag the entry no-check-identical if that is intended)"]


def _term_re(term: str, inflect: bool) -> re.Pattern[str]:
    """A phrase as whole words; with ``inflect`` each word may take a plural ending."""
    words = [re.escape(w) for w in term.split()]
    suffix = r"(?:s|es)?" if inflect else ""
    return re.compile(r"(?<!\w)" + r"\s+".join(w + suffix for w in words) + r"(?!\w)", re.IGNORECASE if inflect else 0)


def check_do_not_translate(source: str, target: str, ctx: CheckContext) -> list[str]:
    """Names and acronyms listed as do-not-translate appear in the translation as often, unchanged."""
    problems = []
    for term in ctx.glossary.do_not_translate:
        pattern = _term_re(term, inflect=False)
        in_source = len(pattern.findall(source))
        if in_source and len(pattern.findall(target)) < in_source:
            problems.append(f"keep {term!r} exactly as written (it is in the do-not-translate glossary)")
    return problems


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def check_glossary(source: str, target: str, ctx: CheckContext) -> list[str]:
    """A source term from the locale's glossary is translated with the preferred term."""
    problems = []
    for term, preferred in ctx.glossary.terms.items():
        if _term_re(term, inflect=True).search(source) and not _term_re(_fold(preferred), inflect=True).search(_fold(target)):
            problems.append(f"the glossary translates {term!r} as {preferred!r}")
    return problems


TextCheck = Callable[[str, str, CheckContext], list[str]]


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    function: TextCheck
    description: str


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check("urls", ERROR, check_urls, "URLs preserved"),
        Check("emails", ERROR, check_emails, "email addresses preserved"),
        Check("numbers", ERROR, check_numbers, "numbers preserved"),
        Check("placeholders", ERROR, check_placeholders, "{placeholders} preserved"),
        Check("markdown", ERROR, check_markdown, "Markdown links, code and emphasis preserved"),
        Check("do-not-translate", ERROR, check_do_not_translate, "do-not-translate glossary terms kept"),
        Check("spanish-marks", ERROR, check_spanish_marks, "Spanish ¿ and ¡ opening marks"),
        Check("whitespace", WARNING, check_whitespace, "leading and trailing whitespace"),
        Check("newlines", WARNING, check_newlines, "number of line breaks"),
        Check("punctuation", WARNING, check_punctuation, "ending punctuation matches"),
        Check("double-space", WARNING, check_double_space, "no double spaces"),
        Check("identical", WARNING, check_identical, "translation differs from the source"),
        Check("glossary", WARNING, check_glossary, "preferred glossary translations used"),
    )
}
#: Checks on the entry itself rather than on one text pair.
ENTRY_CHECKS = {
    "plurals": (ERROR, "every plural form translated"),
    "draft-problem": (ERROR, "problems recorded while drafting (with --include-fuzzy)"),
}
ALL_CHECK_NAMES = (*CHECKS, *ENTRY_CHECKS)


def silenced(flags: list[str]) -> frozenset[str]:
    """Checks turned off by the entry's flags (``no-check-NAME``, ``ignore-NAME``, ``no-check-all``)."""
    names = set()
    for flag in flags:
        for prefix in ("no-check-", "ignore-"):
            if flag.startswith(prefix):
                names.add(flag[len(prefix) :])
    if "all" in names:
        return frozenset(ALL_CHECK_NAMES)
    return frozenset(names)


@dataclass(frozen=True)
class Finding:
    """A problem in one message, before it is placed in a file."""

    check: str
    severity: str
    message: str


def _pairs(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgid with msgstr[0], msgid_plural with the other forms."""
    if message.msgstr_plural is None:
        return [(message.msgid, message.msgstr)]
    pairs = []
    for index, text in sorted(message.msgstr_plural.items()):
        if text:
            pairs.append((message.msgid if index == 0 else message.msgid_plural or message.msgid, text))
    return pairs


def check_message(
    message: Message,
    ctx: CheckContext,
    *,
    disabled: frozenset[str] = frozenset(),
    severities: dict[str, str] | None = None,
) -> list[Finding]:
    """Every problem in one message with a translation; flags and ``disabled`` silence checks."""
    off = disabled | silenced(message.flags)
    severities = severities or {}
    findings: list[Finding] = []

    def add(name: str, default: str, text: str) -> None:
        findings.append(Finding(name, severities.get(name, default), text))

    if message.msgstr_plural is not None and "plurals" not in off:
        empty = [i for i, text in sorted(message.msgstr_plural.items()) if text == ""]
        if empty and len(empty) < len(message.msgstr_plural):
            forms = ", ".join(f"msgstr[{i}]" for i in empty)
            add("plurals", ERROR, f"plural form {forms} is empty (msgfmt still counts the message as translated)")
    if "draft-problem" not in off and message.state is MessageState.NEEDS_REVIEW:
        # Recorded about the drafted text: once a person changed it, they describe text that is gone.
        for comment in message.translator_comments:
            if comment.startswith(PROBLEM_PREFIX):
                add("draft-problem", ERROR, comment[len(PROBLEM_PREFIX) :].strip())
    for source, target in _pairs(message):
        for check in CHECKS.values():
            if check.name in off:
                continue
            for text in check.function(source, target, ctx):
                add(check.name, check.severity, text)
    return findings


# --------------------------------------------------------------------------
# Catalogs and the project
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A finding placed where a translator can fix it."""

    path: str
    locale: str
    document: str
    key: str
    check: str
    severity: str
    message: str
    #: ``source/...yaml:LINE`` of the source text, if known.
    reference: str | None = None
    #: Line of the msgid in the PO file.
    line: int = 0
    #: ``translated``, ``needs_review`` or ``fuzzy``: drafts are only checked with --include-fuzzy.
    state: str = "translated"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "locale": self.locale,
            "document": self.document,
            "key": self.key,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "reference": self.reference,
            "line": self.line,
            "state": self.state,
        }


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    #: Catalogs looked at (relative paths), clean or not.
    catalogs: list[str] = field(default_factory=list)
    #: Messages checked.
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def as_dict(self) -> dict[str, object]:
        return {
            "problems": [p.as_dict() for p in self.problems],
            "summary": {
                "catalogs": len(self.catalogs),
                "checked": self.checked,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
        }


def check_catalog(
    catalog: Catalog,
    ctx: CheckContext,
    *,
    path: str,
    document: str,
    include_fuzzy: bool = False,
    disabled: frozenset[str] = frozenset(),
    severities: dict[str, str] | None = None,
) -> tuple[list[Problem], int]:
    """Problems in the final translations of ``catalog`` (and drafts with ``include_fuzzy``)."""
    from i18n_pipeline.report.status import display_key

    problems: list[Problem] = []
    checked = 0
    for message in catalog.active:
        state = message.state
        if state is MessageState.UNTRANSLATED or (state is not MessageState.TRANSLATED and not include_fuzzy):
            continue
        checked += 1
        for finding in check_message(message, ctx, disabled=disabled, severities=severities):
            problems.append(
                Problem(
                    path=path,
                    locale=ctx.locale,
                    document=document,
                    key=display_key(message),
                    check=finding.check,
                    severity=finding.severity,
                    message=finding.message,
                    reference=message.locations[0] if message.locations else None,
                    line=message.lineno,
                    state=state,
                )
            )
    return problems, checked


def check_settings(config: Config) -> tuple[frozenset[str], dict[str, str]]:
    """The ``check`` config section: ``disable: [names]`` and ``severity: {name: error|warning}``."""
    from i18n_pipeline.config import config_path
    from i18n_pipeline.errors import PipelineError

    section = config.section("check")
    shown = config_path(config)
    line = (config.sections.get("_lines") or {}).get("check")
    unknown = set(section) - {"disable", "severity"}
    if unknown:
        raise PipelineError(f"unknown key '{sorted(unknown)[0]}' in 'check' (expected disable, severity)", shown, line)
    disable = section.get("disable") or []
    if not isinstance(disable, list) or not all(isinstance(n, str) for n in disable):
        raise PipelineError("'check.disable' must be a list of check names", shown, line)
    severity = section.get("severity") or {}
    if not isinstance(severity, dict):
        raise PipelineError("'check.severity' must map check names to error or warning", shown, line)
    for name in [*disable, *severity]:
        if name not in ALL_CHECK_NAMES:
            raise PipelineError(f"unknown check '{name}' in 'check' (known: {', '.join(ALL_CHECK_NAMES)})", shown, line)
    for name, value in severity.items():
        if value not in SEVERITIES:
            raise PipelineError(f"severity of check '{name}' must be error or warning, not {value!r}", shown, line)
    return frozenset(disable), dict(severity)


def check_project(
    config: Config,
    *,
    locale: str | None = None,
    document: str | None = None,
    include_fuzzy: bool = False,
) -> CheckReport:
    """Run every check on the project's catalogs (reads only; writes nothing)."""
    from i18n_pipeline.config import validate_locale
    from i18n_pipeline.errors import PipelineError
    from i18n_pipeline.translate.glossary import load_glossary
    from i18n_pipeline.project import load_documents, read_catalog, target_locales

    disabled, severities = check_settings(config)
    wanted = validate_locale(locale, "--locale") if locale is not None else None
    if wanted is not None and wanted not in config.locales:
        raise PipelineError(f"locale '{wanted}' is not one of the project's locales ({', '.join(config.locales)})")
    report = CheckReport()
    glossaries: dict[str, Glossary] = {}
    for doc in load_documents(config, document):
        for target in target_locales(config, doc):
            if wanted is not None and target != wanted:
                continue
            path = config.po_path(target, doc.id)
            catalog = read_catalog(config, path)
            if catalog is None:
                continue
            if target not in glossaries:
                glossaries[target] = load_glossary(config, target)
            ctx = CheckContext(locale=target, source_locale=doc.lang, glossary=glossaries[target])
            shown = config.relative(path)
            problems, checked = check_catalog(
                catalog, ctx, path=shown, document=doc.id, include_fuzzy=include_fuzzy,
                disabled=disabled, severities=severities,
            )
            report.catalogs.append(shown)
            report.problems.extend(problems)
            report.checked += checked
    return report


def render_text(report: CheckReport) -> str:
    """One line per problem, ``file:line: severity [check] key (reference): message``, then a summary."""
    lines = []
    for p in report.problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        ref = f" ({p.reference})" if p.reference else ""
        draft = "" if p.state == "translated" else f" [{p.state.replace('_', ' ')}]"
        lines.append(f"{where}: {p.severity} [{p.check}] {p.key}{ref}{draft}: {p.message}")
    errors, warnings = len(report.errors), len(report.warnings)
    if report.problems:
        lines.append(
            f"{errors} error(s), {warnings} warning(s) in {report.checked} checked message(s) "
            f"of {len(report.catalogs)} catalog(s)"
        )
    else:
        lines.append(f"no problems in {report.checked} checked message(s) of {len(report.catalogs)} catalog(s)")
    return "\n".join(lines) + "\n"


def render_json(report: CheckReport) -> str:
    import json

    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
