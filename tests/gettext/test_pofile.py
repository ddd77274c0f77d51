"""PO reading and writing: GNU byte-compatibility, round trips, and clear errors."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write
from hypothesis import HealthCheck, given, settings, strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.catalog import Catalog, Message
from i18n_pipeline.gettext.pofile import format_header, parse_po, read_po, save_po, write_po

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU msgcat not installed")
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt not installed")
needs_msgmerge = pytest.mark.skipif(
    shutil.which("msgmerge") is None, reason="GNU msgmerge not installed"
)

HEADER = {
    "Project-Id-Version": "faq 1.0",
    "Report-Msgid-Bugs-To": "docs@example.org",
    "POT-Creation-Date": "2024-05-01 12:00+0000",
    "PO-Revision-Date": "2024-05-02 09:30+0200",
    "Last-Translator": "Ana García <ana@example.org>",
    "Language-Team": "Spanish <es@example.org>",
    "Language": "es",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def msgcat(path: Path) -> bytes:
    result = subprocess.run(["msgcat", str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode() + path.read_text(encoding="utf-8")
    return result.stdout


def strip_lines(catalog: Catalog) -> Catalog:
    """The catalog with read positions zeroed, to compare with a built one."""
    return replace(catalog, messages=[replace(m, lineno=0) for m in catalog.messages])


def sample_catalog() -> Catalog:
    return Catalog(
        locale="es",
        header=dict(HEADER),
        header_comments=["Spanish translation of the FAQ.", ""],
        messages=[
            Message(
                msgid="Hello, world!",
                msgstr="¡Hola, mundo!",
                msgctxt="faq/intro.yaml:title",
                locations=["faq/intro.yaml:3"],
                auto_comments=["Page title"],
                translator_comments=["checked by Ana"],
            ),
            Message(
                msgid="A long answer that certainly does not fit on one line of a PO "
                "file, so GNU wraps it at spaces.\nWith a second paragraph.",
                msgstr="Una respuesta larga que seguro que no cabe en una línea de un "
                "fichero PO, así que GNU la parte por los espacios.\nCon otro párrafo.",
                flags=["fuzzy"],
                previous_msgid="A long answer.",
                locations=[f"faq/section-{i}/answers.yaml:{i * 11}" for i in range(8)],
            ),
            Message(
                msgid="%(n)d file",
                msgid_plural="%(n)d files",
                msgstr_plural={0: "%(n)d fichero", 1: "%(n)d ficheros"},
                flags=["python-format"],
            ),
            Message(msgid="Untranslated"),
            Message(
                msgid="Removed question",
                msgstr="Pregunta eliminada",
                msgctxt="faq/old.yaml:q",
                obsolete=True,
                previous_msgid="Old removed question",
            ),
        ],
    )


# --------------------------------------------------------------------------
# Writing: GNU compatibility
# --------------------------------------------------------------------------


@needs_msgcat
def test_written_file_survives_msgcat_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    path.write_text(write_po(sample_catalog()), encoding="utf-8")
    assert msgcat(path) == path.read_bytes()


@needs_msgfmt
def test_written_file_passes_msgfmt_check(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    save_po(path, sample_catalog())
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(tmp_path / "es.mo"), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_entry_parts_are_written_in_gnu_order() -> None:
    text = write_po(sample_catalog())
    assert text.startswith("# Spanish translation of the FAQ.\n#\nmsgid \"\"\nmsgstr \"\"\n")
    assert (
        "#. Page title\n#: faq/intro.yaml:3\n" in text
        and "# checked by Ana\n#. Page title" in text
    )
    assert '#, fuzzy\n#| msgid "A long answer."\nmsgid ""\n' in text
    assert text.endswith(
        '\n\n#~| msgid "Old removed question"\n#~ msgctxt "faq/old.yaml:q"\n'
        '#~ msgid "Removed question"\n#~ msgstr "Pregunta eliminada"\n'
    )
    assert "\n\n\n" not in text


def test_header_fields_are_one_per_line() -> None:
    text = write_po(Catalog(header={"Language": "es", "Content-Type": "text/plain; charset=UTF-8"}))
    assert text == (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )
    assert format_header({"A": "1", "B": ""}) == "A: 1\nB: \n"


def test_first_line_is_empty_only_when_the_keyword_line_would_not_fit() -> None:
    fits = "x" * 71  # 'msgid "' + 71 + '"' is exactly 79 columns
    lines = write_po(Catalog(messages=[Message(msgid=fits, msgstr=fits)])).splitlines()
    # msgstr is one column longer than msgid, but a word with no break
    # opportunity is never broken, so it stays on the keyword line too.
    assert lines == [f'msgid "{fits}"', f'msgstr "{fits}"']
    words = "a " * 35 + "b"  # 71 columns with break opportunities
    lines = write_po(Catalog(messages=[Message(msgid=words, msgstr=words)])).splitlines()
    assert lines[0] == f'msgid "{words}"'
    assert lines[1:] == ['msgstr ""', '"' + "a " * 35 + 'b"']


def test_trailing_newline_alone_does_not_force_an_empty_first_line() -> None:
    text = write_po(Catalog(messages=[Message(msgid="one\n", msgstr="two\nthree")]))
    assert text == 'msgid "one\\n"\nmsgstr ""\n"two\\n"\n"three"\n'


def test_control_characters_are_escaped_like_gnu() -> None:
    text = write_po(Catalog(messages=[Message(msgid='q"b\\t\tr\r\a\b\f\v', msgstr="")]))
    assert text.splitlines()[0] == r'msgid "q\"b\\t\tr\r\a\b\f\v"'


def test_untranslated_message_loses_fuzzy_like_gnu() -> None:
    text = write_po(Catalog(messages=[Message(msgid="a", flags=["fuzzy", "python-format"])]))
    assert text.startswith("#, python-format\n")


def test_obsolete_untranslated_entries_are_dropped_like_gnu() -> None:
    catalog = Catalog(messages=[Message(msgid="gone", obsolete=True)])
    assert write_po(catalog) == ""


def test_previous_context_without_previous_msgid_stays_valid_for_gnu() -> None:
    message = Message(msgid="a", previous_msgctxt="old")
    assert write_po(Catalog(messages=[message])).startswith('#| msgctxt "old"\n#| msgid ""\n')


def test_writing_is_deterministic() -> None:
    assert write_po(sample_catalog()) == write_po(sample_catalog())


def test_save_po_reports_whether_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    assert save_po(path, sample_catalog()) is True
    assert save_po(path, sample_catalog()) is False
    assert strip_lines(read_po(path)) == sample_catalog()


@needs_msgmerge
def test_file_written_by_msgmerge_is_reproduced_byte_identical(tmp_path: Path) -> None:
    pot = tmp_path / "faq.pot"
    pot.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#. Shown on the landing page\n#: faq/intro.yaml:3 faq/intro.yaml:9\n"
        'msgctxt "intro"\nmsgid "Welcome to the frequently asked questions of our project, '
        'where you will find answers."\nmsgstr ""\n\n'
        '#: faq/a.yaml:1\nmsgid "How do I reset my password?\\nSee the account page."\n'
        'msgstr ""\n\n'
        '#: faq/b.yaml:2\nmsgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    old = tmp_path / "es.po"
    header = "".join(f'"{k}: {v}\\n"\n' for k, v in HEADER.items())
    old.write_text(
        f'# Spanish FAQ.\nmsgid ""\nmsgstr ""\n{header}\n'
        'msgctxt "intro"\nmsgid "Welcome to the frequently asked questions of our project."\n'
        'msgstr "Bienvenido a las preguntas frecuentes de nuestro proyecto."\n\n'
        'msgid "How do I reset my password?"\nmsgstr "¿Cómo restablezco mi contraseña?"\n\n'
        'msgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] "Un fichero"\n'
        'msgstr[1] "%d ficheros"\n\n'
        'msgid "A question nobody asks any more"\nmsgstr "Una pregunta que ya nadie hace"\n',
        encoding="utf-8",
    )
    merged = tmp_path / "merged.po"
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(merged), str(old), str(pot)], check=True
    )
    catalog = read_po(merged)
    assert any(m.previous_msgid for m in catalog.messages)
    assert any(m.obsolete for m in catalog.messages)
    assert write_po(catalog) == merged.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# Property: arbitrary catalogs survive msgcat and round-trip
# --------------------------------------------------------------------------

# Line-break (BK/NL) characters and unassigned code points are left out:
# libunistring and Python's Unicode tables disagree on them across versions.
_SPECIAL = list("\"\\\t\n -/—·‐–«»()[]{}%$¿¡…") + [
    "😀", "👍🏽", "日本語", "テキスト", "中文字", "한국어", "עברית", "العربية", "e\u0301", "ñ", "\u200f"
]
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp"),
    blacklist_characters="\x85",
) | st.sampled_from(_SPECIAL)
text = st.lists(_CHARS, max_size=40).map("".join) | st.lists(
    st.sampled_from(["word", "palabra", "日本語", "テキスト", "a-b", "x" * 30, " ", "\n", '"', "\\"]),
    max_size=60,
).map("".join)
nonempty = text.filter(bool)
# GNU's lexer joins a line ending in a backslash with the next one, so a
# comment ending in a backslash cannot be written by anyone.
comment = (
    st.lists(_CHARS.filter(lambda c: c != "\n"), max_size=30)
    .map("".join)
    .filter(lambda c: not c.endswith("\\"))
)
location = st.from_regex(r"[a-z][a-z0-9_/.-]{0,40}(:[1-9][0-9]{0,3})?", fullmatch=True)


@st.composite
def messages(draw: st.DrawFn, obsolete: bool) -> Message:
    plural = draw(st.booleans())
    message = Message(
        msgid=draw(nonempty),
        msgctxt=draw(st.none() | text),
        translator_comments=draw(st.lists(comment, max_size=2)),
        auto_comments=draw(st.lists(comment, max_size=2)),
        locations=draw(st.lists(location, max_size=12, unique=True)),
        previous_msgid=draw(st.none() | text),
        obsolete=obsolete,
    )
    if message.previous_msgid is not None:
        # GNU's grammar allows #| msgctxt only together with #| msgid.
        message.previous_msgctxt = draw(st.none() | text)
    if plural:
        message.msgid_plural = draw(text)
        message.msgstr_plural = {0: draw(text), 1: draw(text)}
        first = message.msgstr_plural[0]
    else:
        message.msgstr = draw(text)
        first = message.msgstr
    if obsolete and not first:
        message.msgstr_plural = {0: "x", 1: "y"} if plural else None
        message.msgstr = "" if plural else "x"
        first = "x"
    if first and draw(st.booleans()):
        message.flags = ["fuzzy"]
    return message


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    # At least one message: msgcat writes nothing at all for a header-only catalog.
    active = draw(st.lists(messages(False), min_size=1, max_size=6))
    old = draw(st.lists(messages(True), max_size=3))
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for message in active + old:
        if (message.msgctxt, message.msgid) not in seen:
            seen.add((message.msgctxt, message.msgid))
            unique.append(message)
    return Catalog(
        locale="es",
        header=dict(HEADER),
        header_comments=draw(st.lists(comment, max_size=2)),
        header_flags=draw(st.sampled_from([[], ["fuzzy"]])),
        messages=unique,
    )


@needs_msgcat
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_any_catalog_survives_msgcat_byte_identical(tmp_path_factory, catalog: Catalog) -> None:
    path = tmp_path_factory.mktemp("prop") / "x.po"
    written = write_po(catalog)
    path.write_text(written, encoding="utf-8")
    assert msgcat(path).decode("utf-8") == written


@settings(max_examples=60, deadline=None)
@given(catalogs())
def test_any_catalog_round_trips_through_text(catalog: Catalog) -> None:
    assert strip_lines(parse_po(write_po(catalog))) == catalog


def _greedy_line_breaks(widths: list[int], width: int) -> list[int]:
    """libunistring's ``u8_width_linebreaks`` step by step, as a reference."""
    if sum(widths) <= width:
        return []
    breaks: list[int] = []
    column = 0
    for index, piece in enumerate(widths):
        if index > 0 and column + piece > width:
            breaks.append(index)
            column = 0
        column += piece
    return breaks


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet="ab \u4e2d\u0301", min_size=1, max_size=12), max_size=40),
    st.integers(min_value=1, max_value=40),
)
def test_line_breaking_matches_the_greedy_gnu_algorithm(units: list[str], width: int) -> None:
    from itertools import accumulate

    from i18n_pipeline.gettext.pofile import _broken_lines, _width

    widths = [_width(u) for u in units]
    offsets = list(accumulate(map(len, units), initial=0))
    cuts = [0, *_greedy_line_breaks(widths, width), len(units)]
    expected = ['>"' + "".join(units[a:b]) + '"' for a, b in zip(cuts, cuts[1:])] or ['>""']
    text = "".join(units)
    assert _broken_lines([], ">", text, offsets, list(accumulate(widths, initial=0)), width) == expected


@settings(max_examples=100, deadline=None)
@given(nonempty, st.integers(min_value=20, max_value=120))
def test_wrapped_strings_read_back_unchanged_at_any_width(value: str, width: int) -> None:
    catalog = Catalog(messages=[Message(msgid=value, msgstr=value)])
    assert parse_po(write_po(catalog, width=width)).messages[0].msgstr == value


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

FULL = r'''# Translator note
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: demo\n"
"Language: fr\n"
"Content-Type: text/plain; charset=UTF-8\n"

#  two spaces kept
#. extracted
#: a.py:1  b.py:2
#: c.py
#, fuzzy , python-format
#| msgctxt "old ctx"
#| msgid "old "
#| "text"
msgctxt "menu"
msgid ""
"multi "
"line"
msgstr "esc \t \" \\ \a\b\f\v\r \101\x42 \303\251"

msgid "apple"
msgid_plural "apples"
msgstr[0] "pomme"
msgstr[1] "pommes"

#~| msgid "gone before"
#~ msgid "gone"
#~ msgstr ""
#~ "parti"
'''


def test_full_syntax_is_parsed() -> None:
    catalog = parse_po(FULL)
    assert catalog.locale == "fr"
    assert catalog.header == {
        "Project-Id-Version": "demo",
        "Language": "fr",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    assert catalog.header_comments == ["Translator note", ""]
    assert catalog.header_flags == ["fuzzy"]
    first, plural, gone = catalog.messages
    assert first == Message(
        msgid="multi line",
        msgstr='esc \t " \\ \a\b\f\v\r AB é',
        msgctxt="menu",
        translator_comments=[" two spaces kept"],
        auto_comments=["extracted"],
        locations=["a.py:1", "b.py:2", "c.py"],
        flags=["fuzzy", "python-format"],
        previous_msgctxt="old ctx",
        previous_msgid="old text",
        lineno=19,
    )
    assert plural.msgid_plural == "apples"
    assert plural.msgstr_plural == {0: "pomme", 1: "pommes"}
    assert plural.lineno == 24
    assert gone.obsolete and gone.msgstr == "parti" and gone.previous_msgid == "gone before"


def test_crlf_line_endings_and_bom_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "win.po"
    path.write_bytes(b'\xef\xbb\xbfmsgid "a"\r\nmsgstr "b"\r\n')
    assert read_po(path).messages[0].msgstr == "b"


def test_template_without_language_has_no_locale() -> None:
    pot = 'msgid ""\nmsgstr ""\n"Language: \\n"\n"Content-Type: text/plain; charset=CHARSET\\n"\n'
    assert parse_po(pot).locale is None


def test_declared_latin1_is_decoded_and_rewritten_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "old.po"
    path.write_bytes(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
        'msgid "Spain"\nmsgstr "España"\n'.encode("latin-1")
    )
    catalog = read_po(path)
    assert catalog.messages[0].msgstr == "España"
    assert catalog.header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "charset=UTF-8" in write_po(catalog)


def test_charset_placeholder_reads_ascii_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t.pot"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=CHARSET\\n"\n')
    assert read_po(path).header["Content-Type"] == "text/plain; charset=CHARSET"


def error_of(text: str) -> PipelineError:
    with pytest.raises(PipelineError) as info:
        parse_po(text, "es.po")
    return info.value


def test_conflict_markers_are_reported_with_line() -> None:
    error = error_of(
        'msgid "a"\n<<<<<<< HEAD\nmsgstr "x"\n=======\nmsgstr "y"\n>>>>>>> other\n'
    )
    assert error.path == "es.po" and error.line == 2
    assert "merge conflict markers" in error.reason
    assert "git checkout --theirs" in error.reason


def test_missing_string_after_keyword_is_a_syntax_error() -> None:
    error = error_of('msgid "a"\nmsgstr\n')
    assert error.line == 2
    assert error.format_message() == "es.po:2: expected a quoted string after msgstr"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('msgid "a"\nmsgstr "b\n', 2, "no closing quote"),
        ('msgid "a"\nmsgstr "b" "c"\n', 2, "exactly one quoted string"),
        ('msgid "a"\nmsgstr "\\q"\n', 2, "invalid escape"),
        ('msgid "a"\nmsgtxt "b"\n', 2, "unknown keyword"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, "no msgstr"),
        ('"stray"\n', 1, "no keyword"),
        ('msgid "a"\nmsgstr[0] "b"\n', 2, "msgid_plural"),
        ('msgid "a"\nmsgid_plural "b"\nmsgstr "c"\n', 3, "msgstr[0]"),
        ('msgid "a"\rmsgstr "b"\r', 1, "CR-only"),
        ('#| msgctxt "c"\nmsgid "a"\nmsgstr ""\n', 1, "needs a #| msgid"),
        ('msgid "a"\r\nmsgstr "b"\r\n\r\nmsgid "c"\rmsgstr ""\r\n', 4, "CR-only"),  # one lone CR among CRLFs
        ('msgid "a"\nmsgid_plural "b"\nmsgstr[\u00b2] "x"\n', 3, "must be a number"),  # a digit int() refuses
        ('#~ msgid "a"\n#~ msgstr "b"\nmsgid "c"\n#~ msgstr "d"\n', 4, "mixes obsolete"),
    ],
)
def test_syntax_errors_name_the_line(text: str, line: int, words: str) -> None:
    error = error_of(text)
    assert error.line == line
    assert words in error.reason


def test_duplicate_entries_name_both_lines() -> None:
    error = error_of('msgid "a"\nmsgstr ""\n\nmsgid "a"\nmsgstr "x"\n')
    assert error.line == 4
    assert "lines 1 and 4" in error.reason


def test_same_msgid_in_different_contexts_is_not_a_duplicate() -> None:
    catalog = parse_po('msgctxt "x"\nmsgid "a"\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n')
    assert len(catalog.messages) == 2


def test_unknown_charset_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KLINGON-8\\n"\n')
    with pytest.raises(PipelineError) as info:
        read_po(path)
    assert info.value.path == str(path) and info.value.line == 3
    assert "KLINGON-8" in info.value.reason


def test_undecodable_bytes_are_reported_with_line(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                     b'msgid "a"\nmsgstr "Espa\xf1a"\n')
    with pytest.raises(PipelineError) as info:
        read_po(path)
    assert info.value.line == 6
    assert "not valid UTF-8" in info.value.reason


def test_missing_file_is_a_pipeline_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError):
        read_po(tmp_path / "nope.po")


# -- the one reader held against GNU msgcat and polib -----------------------------------------

_PIECES = [
    'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n',
    'msgctxt "a"\n', 'msgctxt "a"\n', 'msgid "hello"\n', 'msgid "hello"\n', 'msgid ""\n', 'msgid_plural "hellos"\n',
    'msgstr "hola"\n', 'msgstr ""\n', 'msgstr[0] "x"\n', 'msgstr[1] "y"\n', 'msgstr[1] "z"\n', 'msgstr[x] "y"\n',
    '"continued \\n"\n', '"a \\"quoted\\" word"\n', '"bad \\q escape"\n', '"\\303\\261"\n', '"two" "strings"\n',
    '"trailing" \n', ' "leading"\n', '"unterminated\n', "#, fuzzy, c-format\n", "#,fuzzy\n", "#: source/x.yaml:3 b:4\n",
    '#~ msgctxt "a"\n', '#~ msgid "gone"\n', '#~ msgid "hello"\n', '#~ msgid ""\n', '#~ msgstr "ido"\n', '#~ msgstr ""\n',
    '#~ "more"\n', '#~ msgid_plural "gones"\n', '#~ msgstr[0] "x"\n', '#~ msgstr[1] "y"\n', '#~| msgid "older"\n',
    '#~| "older more"\n', '#~|  msgid "spaced"\n', '#~msgid "tight"\n', '#~  msgstr "wide"\n',  '#~ "x" "y"\n',
    "#. extracted\n", "#.\n", "# translator\n", "#\n", '#| msgid "old"\n', '#| "more"\n',
    '#| msgctxt "old"\n', '#| msgid_plural "olds"\n', '#|  msgid "spaced"\n', '#| msgid "a" "b"\n', "\n", "\n", "\t\n",
    "\r\n", "msgid  \"double space\"\n", "bogus \"x\"\n",
]


def _entries(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a PO file means, in file order: keys, translations, state and translator notes."""
    return [
        (m.obsolete, m.msgctxt, m.msgid, m.msgid_plural, m.msgstr, m.msgstr_plural, m.fuzzy, m.translator_comments)
        for m in catalog.messages
        if not (m.obsolete and not any(m.translations))  # GNU drops untranslated obsolete entries
    ]


@needs_msgcat
@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_reader_takes_every_file_msgcat_takes_and_reads_it_as_msgcat_rewrites_it(pieces: list[str]) -> None:
    """Our reader is never stricter than GNU, and what it reads survives msgcat's rewriting."""
    text = "".join(pieces)
    gnu = subprocess.run(["msgcat", "-"], input=text.encode("utf-8"), capture_output=True)
    if gnu.returncode != 0:
        return  # GNU rejects it: our reader may reject it too (its message names the line)
    ours = parse_po(text, "x.po")
    rewritten = parse_po(gnu.stdout.decode("utf-8"), "msgcat.po")
    active = sorted((e for e in _entries(ours) if not e[0]), key=repr)
    assert active == sorted((e for e in _entries(rewritten) if not e[0]), key=repr)


@settings(max_examples=60, deadline=None)
@given(catalogs())
def test_polib_reads_every_written_catalog_as_we_do(catalog: Catalog) -> None:
    """Scripts read our catalogs with polib: they must see the same messages, flags and comments."""
    import polib

    text = write_po(catalog)
    ours = parse_po(text)
    theirs = polib.pofile(text, wrapwidth=0)
    assert [dict(theirs.metadata)] == [ours.header] or not ours.header
    active = [m for m in ours.messages if not m.obsolete]
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
            for e in theirs if not e.obsolete] == [
        (m.msgctxt, m.msgid, m.msgid_plural or "", m.msgstr if m.msgid_plural is None else "", m.msgstr_plural or {})
        for m in active
    ]

    def lines(comments: list[str]) -> list[str]:
        # polib strips each comment line and skips the empty ones
        return [line.strip() for comment in comments for line in comment.split("\n") if line.strip()]

    assert [(e.flags, lines([e.tcomment]), lines([e.comment]), e.previous_msgid) for e in theirs if not e.obsolete] == [
        (m.flags, lines(m.translator_comments), lines(m.auto_comments), m.previous_msgid) for m in active
    ]


def _msgcat_widths(chars: list[str]) -> dict[str, int]:
    """Each character's column count as GNU's wrapping sees it: 0, 1 or 2.

    ``a a … a`` plus the character fills exactly the last column of a
    ``msgid "…"`` line when it is one column wide; msgcat then keeps the
    line or breaks it, which tells the width without any other tool.
    """
    from i18n_pipeline.gettext.pofile import _escape

    def fits(content_of) -> dict[int, bool]:
        entries = [f'msgctxt "{i}"\nmsgid "{_escape(content_of(c))}"\nmsgstr ""\n' for i, c in enumerate(chars)]
        po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "\n".join(entries)
        out = subprocess.run(["msgcat", "-"], input=po.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")
        found = {}
        for block in out.split("\n\n")[1:]:
            lines = block.split("\n")
            msgid = next(line for line in lines if line.startswith("msgid"))
            found[int(lines[0].split('"')[1])] = msgid != 'msgid ""'
        return found

    zero = fits(lambda c: "a " * 35 + "a" + c)  # 71 + w columns fit the 71 left iff w == 0
    narrow = fits(lambda c: "a " * 35 + c)  # 70 + w fit iff w <= 1
    return {c: 0 if zero[i] else 1 if narrow[i] else 2 for i, c in enumerate(chars)}


@needs_msgcat
def test_character_widths_match_gnu_for_the_characters_that_are_not_plain() -> None:
    """Format characters, separators, Hangul jamo, marks GNU counts anyway, wide letters."""
    import unicodedata

    from i18n_pipeline.gettext.pofile import _CHAR_WIDTHS

    chars = [
        chr(code)
        for code in range(0xA0, 0x20000)
        if unicodedata.category(chr(code)) in ("Cf", "Zl", "Zp", "Me")
        or 0x1100 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
        or 0x0C80 <= code <= 0x0CFF
        or 0x11A00 <= code <= 0x11A4F
        or 0x11C00 <= code <= 0x11C6F
        or code in (0x0301, 0x200B, 0x2E80, 0x3042, 0xFF21, 0x1F44D, 0x1F3FD, 0x274C)
    ]
    chars = [c for c in chars if unicodedata.category(c) not in ("Cn", "Co", "Cs")]
    gnu = _msgcat_widths(chars)
    wrong = {f"U+{ord(c):04X} {unicodedata.name(c, '?')}": (gnu[c], _CHAR_WIDTHS[c]) for c in chars if gnu[c] != _CHAR_WIDTHS[c]}
    assert wrong == {}


@needs_msgcat
def test_context_with_a_zero_width_joiner_at_the_page_edge_stays_on_one_line(tmp_path: Path) -> None:
    """Found by hypothesis: U+200C counted as a column pushed this msgctxt onto a second line."""
    catalog = Catalog(
        locale="es",
        header=dict(HEADER),
        messages=[Message(msgid="0", msgctxt='000000000000000000"""\u200c❌⺀⺀⺀⺀👍🏽テキストテキストテキストالعربية')],
    )
    path = tmp_path / "x.po"
    written = write_po(catalog)
    path.write_text(written, encoding="utf-8")
    assert msgcat(path).decode("utf-8") == written
    assert 'msgctxt "000' in written


@needs_msgcat
def test_wrap_width_minus_one_writes_as_msgcat_no_wrap(tmp_path: Path) -> None:
    """``wrap_width: -1`` is "no wrapping": long lines stay whole, embedded newlines still end lines."""
    catalog = sample_catalog()
    long = "This sentence is much longer than seventy-nine columns, so the default width would break it twice or more."
    catalog.messages.append(
        Message(
            msgid=long,
            msgstr=long.upper() + "\nSecond line.",
            msgctxt="faq/long",
            locations=[f"source/faq/a-rather-long-file-name-{n}.yaml:{n}" for n in range(6)],
        )
    )
    text = write_po(catalog, width=-1)
    path = write(tmp_path / "x.po", text)
    gnu = subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True, check=True).stdout.decode("utf-8")
    assert text == gnu
    assert f'msgid "{long}"' in text.splitlines()
