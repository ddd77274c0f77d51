"""The event line is computed from one start time and a list of zones, per locale."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from i18n_pipeline.publish.schedule import format_event
from i18n_pipeline.sources.model import Event

NBSP, NNBSP = "\u00a0", "\u202f"
US = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
SEED = Event(start=datetime(2023, 1, 10, 16, 0), timezone="America/New_York", recurrence="monthly", display_timezones=US)


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def test_seed_schedule_in_english_matches_the_seed_page() -> None:
    assert plain(format_event(SEED, "en").schedule) == "Tuesdays at 4 pm ET/3 pm CT/2 pm MT/1 pm PT"


def test_english_time_and_zone_never_wrap_apart() -> None:
    assert " " not in format_event(SEED, "en").time


def test_seed_schedule_in_spanish_uses_24_hour_times_and_spanish_zone_names() -> None:
    schedule = format_event(SEED, "es")
    assert schedule.schedule == (
        "los martes a las 16:00 (hora oriental), 15:00 (hora central), "
        "14:00 (hora de las Montañas Rocosas) y 13:00 (hora del Pacífico)"
    )


def test_recurrence_is_localized() -> None:
    assert format_event(SEED, "en").recurrence == "monthly, on Tuesdays"
    assert format_event(SEED, "es").recurrence == "una vez al mes, los martes"
    weekly = Event(start=datetime(2024, 3, 3, 10, 0), timezone="America/New_York", recurrence="weekly")
    assert format_event(weekly, "es").recurrence == "cada semana, los domingos"


def test_one_time_event_gives_the_full_date() -> None:
    once = Event(start=datetime(2023, 7, 4, 13, 30), timezone="America/New_York", display_timezones=("America/New_York",))
    assert plain(format_event(once, "en").schedule) == "Tuesday, July 4, 2023 at 1:30 pm ET"
    assert format_event(once, "es").schedule == "el martes, 4 de julio de 2023 a las 13:30 (hora oriental)"


def test_spanish_says_a_la_for_one_oclock() -> None:
    one = Event(start=datetime(2023, 1, 10, 1, 0), timezone="America/New_York", recurrence="weekly")
    assert format_event(one, "es").schedule.startswith("los martes a la 1:00")


def test_summer_date_converts_with_daylight_saving_and_arizona_is_named_standard() -> None:
    summer = Event(
        start=datetime(2023, 7, 11, 16, 0), timezone="America/New_York", recurrence="monthly",
        display_timezones=("America/New_York", "America/Phoenix"),
    )
    # Phoenix has no daylight saving: 1 pm there while it is 4 pm EDT; "MT" would mislead.
    assert plain(format_event(summer, "en").time) == "4 pm ET/1 pm MST"


def test_locale_without_short_names_never_shows_a_placeholder_mark() -> None:
    assert "∅" not in format_event(SEED, "en_GB").time
    assert "Eastern Time" in format_event(SEED, "en_GB").time


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)).map(lambda d: d.replace(second=0, microsecond=0)),
    zones=st.lists(st.sampled_from(US + ("America/Phoenix", "Europe/Madrid", "Asia/Tokyo")), min_size=1, max_size=4, unique=True),
    locale=st.sampled_from(["en", "es"]),
)
def test_every_display_zone_gets_one_time_of_the_same_instant(start: datetime, zones: list[str], locale: str) -> None:
    event = Event(start=start, timezone=zones[0], recurrence="weekly", display_timezones=tuple(zones))
    schedule = format_event(event, locale)
    instant = start.replace(tzinfo=ZoneInfo(zones[0]))
    for zone in zones:
        local = instant.astimezone(ZoneInfo(zone))
        hour = local.hour if locale == "es" else (local.hour % 12 or 12)
        shown = f"{hour}:{local.minute:02d}" if (locale == "es" or local.minute) else f"{hour}"
        assert shown in plain(schedule.time)
    assert schedule.iso.startswith(start.strftime("%Y-%m-%dT%H:%M"))
    assert instant.utcoffset() is not None and abs(instant.utcoffset()) <= timedelta(hours=14)  # type: ignore[arg-type]
