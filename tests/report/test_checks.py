"""Quality checks: each planted mistake in the seed's Spanish FAQ is caught; the real seed is clean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, invoke, msgfmt_check, needs_gettext, write
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.gettext.catalog import Message
from i18n_pipeline.report.checks import (
    CHECKS,
    ERROR,
    WARNING,
    CheckContext,
    check_message,
    check_spanish_marks,
    silenced,
)
from i18n_pipeline.translate.glossary import Glossary
from i18n_pipeline.gettext.pofile import read_po, write_po
from i18n_pipeline.translate.provenance import PROBLEM_PREFIX, mark_draft

FAQ_PO = Path("catalogs/es/LC_MESSAGES/faq/learning-space.po")
PREFIX = "faq/learning-space/"

# The Spanish of the seed page, as published (the two notes have none).
SEED_ES = {
    'title': (
        'PREGUNTAS FRECUENTES'
    ),
    'who-is-this-for/question': (
        '¿Para quién es este espacio?'
    ),
    'who-is-this-for/answer/1': (
        'Este espacio de aprendizaje virtual mensual es para grupos y organizaciones que trabajan para intervenir y responder colectivamente a las crisis sin la policía.'
    ),
    'who-is-this-for/answer/2': (
        'Se trata de un espacio de aprendizaje colaborativo multilingüe abolicionista (CC, español e interpretación ASL) en el que los participantes están invitados a compartir conocimientos, experiencias y pericia, así como preguntas, incertidumbres, matices y desacuerdos.'
    ),
    'who-is-this-for/answer/3': (
        'Nos centramos en programas de respuesta y prevención de crisis no carcelarios y no policiales. Entendemos las intervenciones coercitivas en salud mental y el control como una respuesta carcelaria.'
    ),
    'who-is-hosting/question': (
        '¿Quién alberga este espacio?'
    ),
    'who-is-hosting/answer/1': (
        'Interrupting Criminalization fue lanzado en 2018 por Andrea Ritchie y Mariame Kaba para crear un contenedor colaborativo para la investigación y un centro de recursos para organizarse para prevenir, interrumpir y reducir los daños de la criminalización de mujeres, niñas, personas trans y no conformes con el género.'
    ),
    'who-is-hosting/answer/2': (
        'Reconociendo que las necesidades insatisfechas de salud mental, vivienda y atención sanitaria, la violencia doméstica y la agresión sexual a menudo precipitan o contribuyen a la crisis y conducen a la criminalización de mujeres, niñas, personas trans y no conformes con el género, nos comprometemos a apoyar el desarrollo y el crecimiento de respuestas coordinadas basadas en la comunidad que no impliquen sistemas policiales o de castigo.'
    ),
    'who-is-hosting/answer/3': (
        'Todo nuestro equipo de planificación y los facilitadores han experimentado la necesidad de una respuesta a la crisis y han ofrecido respuestas a la crisis.'
    ),
    'when-and-why/question': (
        '¿Cuándo y por qué empezó Interrupting Criminalization a albergar este espacio?'
    ),
    'when-and-why/answer/1': (
        'Como parte de nuestros esfuerzos para apoyar a los organizadores que piden desinvertir en la policía e invertir en la seguridad de la comunidad, en 2021 publicamos Defund Police, Invest in Community Care: A Guide to Non-Police Mental Health Responses, un informe del que son coautores Megyung Chung, Mimi Kim, Shira Hassan y Andrea J. Ritchie.'
    ),
    'when-and-why/answer/2': (
        'El informe y la lista de comprobación que lo acompaña están pensados para ayudar a los organizadores que abogan por la creación de equipos de respuesta a crisis no policiales responsables ante la comunidad y trabajan para ello, señalando cuestiones y consideraciones clave para la planificación y la puesta en práctica.'
    ),
    'when-and-why/answer/3': (
        'Tras los seminarios web en los que se presentó la guía a los organizadores y se iniciaron los debates iniciales sobre cuestiones clave, hemos creado un espacio de aprendizaje mensual en el que los organizadores pueden reunirse para debatir en profundidad y de manera más informal cuestiones prácticas y emergentes de la respuesta comunitaria coordinada a las crisis.'
    ),
    'what-to-expect/question': (
        '¿Qué puedo esperar?'
    ),
    'what-to-expect/answer/1': (
        'Este es un espacio abierto a cualquier persona comprometida con la construcción de una respuesta y prevención de crisis coordinada, no carcelaria y no policial, y con el aprendizaje colaborativo: nadie es el experto; todos estamos aprendiendo y creciendo hacia el futuro que queremos juntos.'
    ),
    'what-to-expect/answer/2': (
        'Aunque trabajamos para crear un espacio abolicionista más seguro, como espacio de encuentro, no podemos garantizar que no haya personas que trabajan con las fuerzas del orden en el espacio o la confidencialidad de lo que se comparte.'
    ),
    'what-to-expect/answer/3': (
        'Nuestro formato general consiste en dedicar la primera hora a debatir un tema o reto concreto relacionado con la respuesta coordinada de la comunidad a las crisis y, a continuación, invitar a la gente a que traiga preguntas, situaciones y cuestiones para debatirlas con el grupo en la segunda mitad.'
    ),
    'footer/1': (
        'Por favor, dirija cualquier pregunta que tenga sobre las sesiones a Erin en admin@interruptingcriminalization.org.'
    ),
}


def seed_spanish(project: Path, edits: dict[str, str] | None = None, flags: dict[str, list[str]] | None = None) -> Path:
    """Fill the project's es FAQ catalog with the seed's Spanish (plus ``edits``) as final translations.

    Also copies the repo's glossary folder, which the ``seed_project`` fixture leaves out.
    """
    if not (project / "glossary").exists():
        shutil.copytree(REPO / "glossary", project / "glossary")
    path = project / FAQ_PO
    catalog = read_po(path)
    texts = {**SEED_ES, **(edits or {})}
    for message in catalog.active:
        short = message.msgctxt.removeprefix(PREFIX)
        if short in texts:
            message.msgstr = texts[short]
            message.fuzzy = False
        message.flags += [f for f in (flags or {}).get(short, []) if f not in message.flags]
    path.write_text(write_po(catalog), encoding="utf-8")
    return path


def problems_of(project: Path, *args: str) -> tuple[int, list[dict]]:
    result = invoke(project, "check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_the_committed_seed_catalogs_are_clean(seed_project: Path) -> None:
    result = invoke(seed_project, "check", "--include-fuzzy")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no problems")


def test_the_seed_spanish_is_clean(seed_project: Path) -> None:
    seed_spanish(seed_project)
    code, problems = problems_of(seed_project, "--locale", "es")
    assert (code, problems) == (0, [])


SOURCE_EN = {
    "footer/1": "Please direct any questions you have about the sessions to Erin at admin@interruptingcriminalization.org.",
}

# key, planted translation, the check that must catch it, its severity.
PLANTED = [
    ("who-is-hosting/answer/1", SEED_ES["who-is-hosting/answer/1"].replace("2018", "2019"), "numbers", ERROR),
    ("footer/1", SEED_ES["footer/1"].replace("admin@", "info@"), "emails", ERROR),
    ("who-is-this-for/answer/1", SEED_ES["who-is-this-for/answer/1"].replace("sin la policía", "sin la policía (https://example.org/x)"), "urls", ERROR),
    ("who-is-this-for/question", "Para quién es este espacio?", "spanish-marks", ERROR),
    ("who-is-this-for/question", "¿Para quién es este espacio.", "punctuation", WARNING),
    ("who-is-this-for/answer/2", SEED_ES["who-is-this-for/answer/2"].replace("ASL", "LSA"), "do-not-translate", ERROR),
    ("when-and-why/question", SEED_ES["when-and-why/question"].replace("Interrupting Criminalization", "Interrumpiendo la Criminalización"), "do-not-translate", ERROR),
    ("who-is-this-for/answer/1", SEED_ES["who-is-this-for/answer/1"].replace("espacio de aprendizaje", "lugar de estudio"), "glossary", WARNING),
    ("what-to-expect/answer/3", SEED_ES["what-to-expect/answer/3"].replace("dedicar la primera", "dedicar  la primera"), "double-space", WARNING),
    ("who-is-hosting/answer/3", " " + SEED_ES["who-is-hosting/answer/3"], "whitespace", WARNING),
    ("who-is-hosting/answer/3", SEED_ES["who-is-hosting/answer/3"].replace("crisis y", "crisis\ny"), "newlines", WARNING),
    ("footer/1", SOURCE_EN["footer/1"], "identical", WARNING),
]


@pytest.mark.parametrize("key, translation, check, severity", PLANTED, ids=[f"{p[2]}-{i}" for i, p in enumerate(PLANTED)])
def test_planted_mistake_is_caught(seed_project: Path, key: str, translation: str, check: str, severity: str) -> None:
    seed_spanish(seed_project, {key: translation})
    code, problems = problems_of(seed_project, "--locale", "es")
    found = [p for p in problems if p["check"] == check]
    assert found, problems
    problem = found[0]
    assert problem["key"] == PREFIX + key
    assert problem["severity"] == severity
    assert problem["document"] == "faq/learning-space" and problem["locale"] == "es"
    assert problem["path"] == FAQ_PO.as_posix() and problem["message"]
    assert problem["reference"].startswith("source/faq/learning-space.yaml:")
    assert code == (1 if any(p["severity"] == ERROR for p in problems) else 0)


def test_text_output_names_file_line_check_key_and_reference(seed_project: Path) -> None:
    seed_spanish(seed_project, {"who-is-this-for/question": "Para quién es este espacio?"})
    result = invoke(seed_project, "check")
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith(f"{FAQ_PO.as_posix()}:")
    assert "error [spanish-marks] faq/learning-space/who-is-this-for/question (source/faq/learning-space.yaml:" in line
    assert result.output.splitlines()[-1].startswith("1 error(s), 0 warning(s)")


def test_po_flag_silences_one_check_for_one_entry(seed_project: Path) -> None:
    seed_spanish(
        seed_project,
        {"footer/1": SEED_ES["footer/1"].replace("admin@", "info@")},
        flags={"footer/1": ["no-check-emails"]},
    )
    code, problems = problems_of(seed_project)
    assert (code, problems) == (0, [])


def test_identical_on_purpose_is_silenced_by_flag(seed_project: Path) -> None:
    seed_spanish(seed_project, {"footer/1": SOURCE_EN["footer/1"]}, flags={"footer/1": ["no-check-identical"]})
    _, problems = problems_of(seed_project)
    assert not [p for p in problems if p["check"] == "identical"]


@needs_gettext
def test_silencing_flags_pass_msgfmt(seed_project: Path) -> None:
    path = seed_spanish(seed_project, flags={"footer/1": ["no-check-urls", "ignore-numbers", "no-check-all"]})
    assert msgfmt_check(path).returncode == 0


def test_drafts_are_only_checked_with_include_fuzzy(seed_project: Path) -> None:
    path = seed_spanish(seed_project)
    catalog = read_po(path)
    message = next(m for m in catalog.active if m.msgctxt == PREFIX + "footer/1")
    mark_draft(message, message.msgstr.replace("admin@", "info@"), provider="google", date="2026-11-25")
    message.translator_comments.append(f"{PROBLEM_PREFIX} the protected token ⟦1⟧ came back changed")
    path.write_text(write_po(catalog), encoding="utf-8")
    assert problems_of(seed_project) == (0, [])
    code, problems = problems_of(seed_project, "--include-fuzzy")
    assert code == 1
    assert {p["check"] for p in problems} == {"emails", "draft-problem"}
    assert all(p["state"] == "needs_review" for p in problems)


def test_draft_problems_are_not_reported_once_a_person_rewrote_the_draft(seed_project: Path) -> None:
    path = seed_spanish(seed_project)
    catalog = read_po(path)
    message = next(m for m in catalog.active if m.msgctxt == PREFIX + "footer/1")
    original = message.msgstr
    mark_draft(message, original.replace("admin@", "info@"), provider="google", date="2026-11-25")
    message.translator_comments.append(f"{PROBLEM_PREFIX} the protected token ⟦1⟧ came back changed")
    message.msgstr = original  # the translator fixed the address in Poedit and left fuzzy on
    path.write_text(write_po(catalog), encoding="utf-8")
    assert problems_of(seed_project, "--include-fuzzy") == (0, [])


def test_config_can_disable_a_check_and_lower_a_severity(seed_project: Path) -> None:
    config = seed_project / "i18n-pipeline.yaml"
    config.write_text(config.read_text() + "check:\n  disable: [numbers]\n  severity: {spanish-marks: warning}\n")
    seed_spanish(seed_project, {
        "who-is-hosting/answer/1": SEED_ES["who-is-hosting/answer/1"].replace("2018", "2019"),
        "who-is-this-for/question": "Para quién es este espacio?",
    })
    code, problems = problems_of(seed_project)
    assert code == 0
    assert [(p["check"], p["severity"]) for p in problems] == [("spanish-marks", WARNING)]


def test_unknown_check_name_in_config_is_an_error_naming_the_file(seed_project: Path) -> None:
    config = seed_project / "i18n-pipeline.yaml"
    config.write_text(config.read_text() + "check:\n  disable: [nonsense]\n")
    result = invoke(seed_project, "check")
    assert result.exit_code == 2
    assert "i18n-pipeline.yaml" in result.output and "nonsense" in result.output


def test_only_the_requested_locale_and_document_are_checked(seed_project: Path) -> None:
    seed_spanish(seed_project, {"who-is-this-for/question": "Para quién es este espacio?"})
    assert problems_of(seed_project, "--locale", "en")[1] == []
    assert problems_of(seed_project, "--document", "announcements/learning-space")[1] == []


# --------------------------------------------------------------------------
# The check functions (pure)
# --------------------------------------------------------------------------

ES = CheckContext(locale="es", glossary=Glossary(do_not_translate=("ASL", "CC"), terms={"learning space": "espacio de aprendizaje"}))


def checks_found(source: str, target: str, ctx: CheckContext = ES, flags: list[str] | None = None) -> set[str]:
    return {f.check for f in check_message(Message(source, target, flags=flags or []), ctx)}


def test_placeholder_translated_or_dropped_is_an_error() -> None:
    assert "placeholders" in checks_found("This space is on {schedule}!", "¡Este espacio es los {horario}!")
    assert "placeholders" not in checks_found("This space is on {schedule}!", "¡Este espacio es los {schedule}!")


def test_markdown_link_target_code_and_emphasis_are_kept() -> None:
    source = "Read the **[guide](https://example.org/guide)** and run `i18n-pipeline status`."
    good = "Lea la **[guía](https://example.org/guide)** y ejecute `i18n-pipeline status`."
    assert checks_found(source, good) == set()
    assert "markdown" in checks_found(source, good.replace("(https://example.org/guide)", "(https://example.org/guia)"))
    assert "markdown" in checks_found(source, good.replace("`i18n-pipeline status`", "`i18n-pipeline estado`"))
    assert "markdown" in checks_found(source, good.replace("**", ""))


def test_spanish_marks_handle_abbreviations_and_mid_sentence_questions() -> None:
    assert check_spanish_marks("", "¿Conoces a Andrea J. Ritchie? Sí.", ES) == []
    assert check_spanish_marks("", "Si tienes dudas, ¿por qué no vienes?", ES) == []
    assert check_spanish_marks("", "¿Qué puedo esperar.", ES)
    assert check_spanish_marks("", "What can I expect?", CheckContext(locale="en")) == []


def test_question_mark_inside_a_url_is_not_a_question() -> None:
    assert "spanish-marks" not in checks_found("See https://x.org/?a=1", "Vea https://x.org/?a=1")


def test_glossary_terms_allow_plurals() -> None:
    assert "glossary" not in checks_found("Our learning spaces.", "Nuestros espacios de aprendizaje.")


def test_incomplete_plural_is_an_error_though_msgfmt_counts_it_translated() -> None:
    message = Message("one file", msgid_plural="{n} files", msgstr_plural={0: "un archivo", 1: ""})
    assert [f.check for f in check_message(message, ES)] == ["plurals"]


def test_identical_text_with_nothing_to_translate_is_fine() -> None:
    assert checks_found("ASL & CC", "ASL & CC") == set()
    assert checks_found("admin@interruptingcriminalization.org", "admin@interruptingcriminalization.org") == set()


def test_weblate_style_and_all_flags_silence() -> None:
    assert silenced(["ignore-urls", "fuzzy"]) == {"urls"}
    assert set(silenced(["no-check-all"])) >= set(CHECKS)


_plain = st.lists(
    st.sampled_from(list("abcXY 12.,:;-*_`[]()/{}@?!¿") + ["http://e.org/a", "{name}", "ASL", "\n", "a@b.org"]), max_size=30
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_plain)
def test_a_copy_of_the_source_only_ever_triggers_identical(text: str) -> None:
    """Whatever the text, a translation equal to it keeps every token, so only `identical` may fire."""
    ctx = CheckContext(locale="fr", glossary=ES.glossary)
    assert checks_found(text, text, ctx) <= {"identical"}
