"""Fuzz targets for the YAML and PO readers: no input may escape as anything but PipelineError.

A traceback on bad input is a bug (issue 6): whatever bytes a broken editor,
a bad merge or a truncated download leaves behind, the readers must either
return a value or raise one :class:`PipelineError` that names the file.
Inputs are built from PO and YAML fragments as well as raw text and bytes,
so the fuzzer reaches deep into both grammars instead of failing on line 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from i18n_pipeline.config import CONFIG_NAME, load_config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.pofile import parse_po, read_po
from i18n_pipeline.sources.documents import parse_document

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces real PO files are made of, plus the ways they get broken.
PO_FRAGMENTS = [
    'msgid ""\n',
    'msgstr ""\n',
    '"Content-Type: text/plain; charset=UTF-8\\n"\n',
    '"Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
    '"Content-Type: text/plain; charset=CHARSET\\n"\n',
    '"Content-Type: text/plain; charset=x-nonsense\\n"\n',
    'msgctxt "a"\n',
    'msgid "hello"\n',
    'msgid_plural "hellos"\n',
    'msgstr "hola"\n',
    "msgstr[0] \"x\"\n",
    "msgstr[1] \"y\"\n",
    "msgstr[x] \"y\"\n",
    '"continued \\n"\n',
    '"bad \\q escape"\n',
    '"\\xff\\xfe"\n',
    '"\\303"\n',
    '"unterminated\n',
    "#, fuzzy, c-format\n",
    "#: source/faq/x.yaml:3\n",
    "#. extracted\n",
    "# translator\n",
    '#| msgid "old"\n',
    '#| "old continued"\n',
    '#| msgctxt "old"\n',
    '#~ msgid "gone"\n',
    '#~ msgstr "ido"\n',
    '#~| msgid "older"\n',
    '#~ "cont"\n',
    "<<<<<<< HEAD\n",
    "=======\n",
    ">>>>>>> theirs\n",
    "\n",
    "\r\n",
    "\ufeff",
    "msgid\n",
    "bogus \"x\"\n",
]

YAML_FRAGMENTS = [
    "kind: faq\n",
    "kind: announcement\n",
    "kind: [faq]\n",
    "title: Hello\n",
    "title:\n",
    "title: |\n  Block\n\n  two\n",
    "id: doc/x\n",
    "id: ../evil\n",
    "lang: es\n",
    "lang: qq_ZZ\n",
    "lang: [1]\n",
    "items:\n",
    "  - id: who\n",
    "    question: Q?\n",
    "    answer: A.\n",
    "    answer: |\n      p1\n\n      p2\n",
    "  - question: no id\n",
    "  - 3\n",
    "body: Some {placeholder} text.\n",
    "footer: F\n",
    "links:\n  - label: L\n    url: https://example.org\n",
    "links:\n  - label: L\n    url: ftp://x\n",
    "links: 3\n",
    "notes:\n  - plain note\n  - id: n\n    text: T\n    icon: x\n",
    "notes:\n  - {}\n",
    "event:\n  start: 2024-01-01T10:00\n  timezone: America/New_York\n",
    "event:\n  start: nope\n  timezone: Mars/Base\n  recurrence: daily\n",
    "event:\n  start: 2024-01-01T10:00+02:00\n  timezone: UTC\n  duration_minutes: -1\n",
    "event: {start: 2024-01-01 10:00, timezone: UTC, display_timezones: []}\n",
    "policy: {x: 1}\n",
    "source_locale: en\n",
    "locales: [en, es]\n",
    "locales: []\n",
    "locales: [en, en]\n",
    "locales: [1, null]\n",
    "wrap_width: -1\n",
    "wrap_width: 0x10\n",
    "wrap_width: true\n",
    "memory: {threshold: .inf}\n",
    "memory: {threshold: 1e400}\n",
    "memory: [1]\n",
    "draft: {provider: x}\n",
    "glossary: 3\n",
    "source_dir: ''\n",
    "? [a, b]\n: c\n",
    "a: &x [*x]\n",
    "a: *undefined\n",
    "<<: {a: 1}\n",
    "!!binary x: y\n",
    "x: !!int abc\n",
    "x: !!float abc\n",
    "x: !custom 1\n",
    "%YAML 1.1\n---\n",
    "---\n...\n",
    "\t- tab\n",
    "[[[[[[[[\n",
    "{\n",
    "'unclosed\n",
    "\x00\x07\n",
    "\ufeff",
    "\n",
]


def fragments(pieces: list[str]) -> st.SearchStrategy[str]:
    """Random sequences of grammar fragments, sprinkled with arbitrary text."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=12)), max_size=14).map("".join)


def assert_clean(error: PipelineError) -> None:
    """A clean error names what is wrong in one line."""
    message = error.format_message()
    assert message.strip()
    assert "\n" not in message, message
    assert "Traceback" not in message


@FUZZ
@given(st.one_of(fragments(PO_FRAGMENTS), st.text()))
@example('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n')
@example('#~ msgid "a"\n#~ msgstr "b"\n#~ msgid "a"\n#~ msgstr "c"\n')
@example('msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\nmsgstr[99999999999999999999999] "x"\n')
def test_parse_po_raises_only_pipeline_error(text: str) -> None:
    try:
        parse_po(text, "fuzz.po")
    except PipelineError as error:
        assert_clean(error)
        assert error.path == "fuzz.po"


@FUZZ
@given(
    st.one_of(
        fragments(PO_FRAGMENTS).map(lambda t: t.encode("utf-8")),
        fragments(PO_FRAGMENTS).map(lambda t: t.encode("latin-1", "replace")),
        st.binary(max_size=300),
        st.tuples(fragments(PO_FRAGMENTS), st.binary(max_size=20)).map(lambda p: p[0].encode("utf-8") + p[1]),
    )
)
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-16\\n"\n')
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=rot13\\n"\n')
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=base64\\n"\n')
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=\\xff\\n"\n')
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=\xff\\n"\n')
def test_read_po_raises_only_pipeline_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.po"
    path.write_bytes(data)
    try:
        read_po(path)
    except PipelineError as error:
        assert_clean(error)
        assert error.path == str(path)


@FUZZ
@given(st.one_of(fragments(YAML_FRAGMENTS), st.text()))
@example("kind: faq\ntitle: T\nitems:\n  - id: a\n    question: Q\n    answer: A\n")
@example("kind: announcement\ntitle: T\nbody: B\nevent:\n  start: 2024-13-45T99:99\n  timezone: UTC\n")
@example("kind: announcement\ntitle: T\nbody: B\nevent:\n  start: 2024-01-01T10:00\n  timezone: ''\n")
@example("kind: announcement\ntitle: T\nbody: B\nevent:\n  start: 2024-01-01T10:00\n  timezone: ../../etc/passwd\n")
@example("kind: faq\ntitle: T\nitems:\n  - id: a\n    question: Q\n    answer: A\n    note: [1]\n")
@example("[" * 700)
@example("a:\n" + "  " * 500 + "b")
@example("0\n\n0")  # a multi-line plain scalar quoted in the message (found by this fuzzer)
def test_parse_document_raises_only_pipeline_error(text: str) -> None:
    try:
        parse_document(text, "source/faq/fuzz.yaml", "faq/fuzz", "en")
    except PipelineError as error:
        assert_clean(error)
        assert error.path == "source/faq/fuzz.yaml"


@FUZZ
@given(
    st.one_of(
        fragments(YAML_FRAGMENTS).map(lambda t: t.encode("utf-8")),
        st.binary(max_size=200),
        st.text().map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
@example(b"source_locale: en\nlocales: [en, es]\nwrap_width: 1e9999\n")
@example(b"source_locale: en\nlocales: [en, es]\nmemory: {threshold: .nan}\n")
@example(b"source_locale: en\nlocales: [en, es]\nwrap_width: 0b\n")
@example(b"source_locale: en\nlocales: [en, es]\nproject_name: !!binary aGk=\n")
@example(b"source_locale: en\nlocales: {en: 1}\n")
@example(b"source_locale: en\nlocales: [en, es]\n\xff\n")
def test_load_config_raises_only_pipeline_error(tmp_path: Path, data: bytes) -> None:
    (tmp_path / CONFIG_NAME).write_bytes(data)
    try:
        config = load_config(tmp_path)
    except PipelineError as error:
        assert_clean(error)
        assert error.path is not None and error.path.endswith(CONFIG_NAME)
    else:
        assert config.locales and config.source_locale in config.locales


@pytest.mark.parametrize(("depth", "words"), [(50, "'title' must be text"), (700, "nested too deeply")])
def test_deeply_nested_yaml_is_a_clean_error(depth: int, words: str) -> None:
    """A pathological nesting must not surface as RecursionError."""
    text = "kind: faq\nitems: [{id: a, question: Q, answer: A}]\ntitle: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(PipelineError, match=words):
        parse_document(text, "source/faq/deep.yaml", "faq/deep", "en")
