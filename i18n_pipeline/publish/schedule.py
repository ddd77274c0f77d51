"""An :class:`~i18n_pipeline.sources.model.Event` as words, per locale, with Babel.

The seed's "Tuesdays at 4 pm ET/3 pm CT/2 pm MT/1 pm PT" is computed from one
start time and a list of zones, never typed: each zone's wall-clock time is
the start instant converted there (on the start date, so daylight saving is
right for that date), and the zone is named by CLDR's short *generic* name
("ET", not "EST"/"EDT", so a monthly line stays true all year). A locale
without short names (Spanish) gets the long generic name in parentheses
("16:00 (hora oriental)"), joined as a list in that language. Sentence frames
and weekday plurals ("Tuesdays" / "los martes") come from the UI catalog.

With ``duration_minutes`` each time is a range: "4–5:30 pm ET" (the period
written once when both ends share it), "de 16:00 a 17:30 (hora oriental)".

Times use the locale's own short time format (24-hour "16:00" for ``es``,
"4:00 PM" for ``en``); on the hour, 12-hour locales drop ":00", and English
writes "pm" in lower case as the seed page does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from i18n_pipeline.sources.model import Event

from . import labels

WEEKDAY_PLURALS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class Schedule:
    """The words of an event in one locale; each is a ``{placeholder}`` of the text."""

    #: "Tuesdays at 4 pm ET/3 pm CT/2 pm MT/1 pm PT" (weekly/monthly) or a dated line (once).
    schedule: str
    #: "monthly, on Tuesdays".
    recurrence: str
    #: Only the times: "4 pm ET/3 pm CT/2 pm MT/1 pm PT".
    time: str
    #: The start date in full: "Tuesday, January 10, 2023".
    date: str
    #: ISO 8601 start with its UTC offset, for machine-readable markup.
    iso: str

    def placeholders(self) -> dict[str, str]:
        return {"schedule": self.schedule, "recurrence": self.recurrence, "time": self.time, "date": self.date}



def format_event(event: Event, locale: str) -> Schedule:
    """Every phrase of ``event`` in ``locale`` (a Babel locale code such as ``es``)."""
    from babel.dates import format_date

    start = event.start.replace(tzinfo=ZoneInfo(event.timezone))
    zones = event.display_timezones or (event.timezone,)
    moments = [start.astimezone(ZoneInfo(name)) for name in zones]
    names = [_zone_name(moment, name, locale) for moment, name in zip(moments, zones)]
    short = all(is_short for _, is_short in names)
    if event.duration_minutes:
        length = timedelta(minutes=event.duration_minutes)
        times = [_range(moment, moment + length, locale) for moment in moments]
    else:
        times = [_time(moment, locale) for moment in moments]
    pieces = [labels.pgettext(locale, "schedule", "{time} {zone}").format(time=t, zone=n) for t, (n, _) in zip(times, names)]
    if short:
        # "1 pm PT" must never wrap apart: no-break spaces inside each piece.
        time_text = "/".join(piece.replace(" ", "\u00a0") for piece in pieces)
    else:
        from babel.lists import format_list

        time_text = format_list(pieces, style="standard", locale=locale)
    first_hour = moments[0].hour if _uses_24_hour(locale) else moments[0].hour % 12
    one = first_hour == 1
    frame_context = "schedule, range" if event.duration_minutes else "schedule, one o'clock" if one else "schedule"
    date_text = format_date(start.date(), format="full", locale=locale)
    days = labels.pgettext(locale, "weekdays", WEEKDAY_PLURALS[start.weekday()])
    if event.recurrence == "once":
        schedule = labels.pgettext(locale, frame_context, "{date} at {times}").format(date=date_text, times=time_text)
        recurrence = labels.pgettext(locale, "recurrence", "once, on {date}").format(date=date_text)
    else:
        schedule = labels.pgettext(locale, frame_context, "{days} at {times}").format(days=days, times=time_text)
        recurrence = labels.pgettext(locale, "recurrence", f"{event.recurrence}, on {{days}}").format(days=days)
    return Schedule(schedule=schedule, recurrence=recurrence, time=time_text, date=date_text, iso=start.isoformat())


def _uses_24_hour(locale: str) -> bool:
    from babel import Locale

    pattern = Locale.parse(locale).time_formats["short"].pattern
    return "H" in pattern or "k" in pattern


def _time(moment: datetime, locale: str) -> str:
    """The locale's short time; "4 PM" rather than "4:00 PM" on the hour in 12-hour locales."""
    from babel.dates import format_skeleton, format_time

    if _uses_24_hour(locale) or moment.minute:
        text = format_time(moment, format="short", locale=locale)
    else:
        text = format_skeleton("h", moment, locale=locale)
    if locale.split("_")[0] == "en":
        text = text.replace("AM", "am").replace("PM", "pm")
    return text.replace(" ", "\u202f")  # as CLDR's own patterns do: "4\u202fpm"


def _range(start: datetime, end: datetime, locale: str) -> str:
    """"4–5:30 pm" / "de 16:00 a 17:30": the frame comes from the UI catalog.

    A 12-hour locale whose pattern ends with the period writes it once when
    both ends share it, as CLDR's own interval formats do.
    """
    from babel import Locale
    from babel.dates import format_time

    first = _time(start, locale)
    pattern = Locale.parse(locale).time_formats["short"].pattern.strip()
    same_period = (start.hour < 12) == (end.hour < 12) and start.date() == end.date()
    if not _uses_24_hour(locale) and pattern.endswith("a") and same_period:
        first = format_time(start, "h:mm" if start.minute else "h", locale=locale)
    return labels.pgettext(locale, "schedule", "{start}–{end}").format(start=first, end=_time(end, locale))


def _zone_name(moment: datetime, zone: str, locale: str) -> tuple[str, bool]:
    """(name, is_short): CLDR's short generic name where the locale has one, else the long one."""
    from babel.dates import get_timezone_name

    # A zone without daylight saving (Arizona) shares a generic name with one
    # that has it ("MT"); name its standard time ("MST") so nobody is an hour off.
    variant = "generic" if _observes_dst(zone, moment.year) else "standard"
    short = _short_name(zone, locale, variant)
    if short is not None:
        return short, True
    long_name = get_timezone_name(ZoneInfo(zone), width="long", locale=locale) if variant == "generic" else get_timezone_name(moment, width="long", locale=locale)
    return long_name, False


def _observes_dst(zone: str, year: int) -> bool:
    tz = ZoneInfo(zone)
    return datetime(year, 1, 15, 12, tzinfo=tz).utcoffset() != datetime(year, 7, 15, 12, tzinfo=tz).utcoffset()


def _short_name(zone: str, locale: str, variant: str) -> str | None:
    """A short name ("ET") only when the locale's data really has one.

    Babel's ``get_timezone_name(width="short")`` silently falls back to a
    location name ("hora de Estados Unidos (Nueva York)"), which is not an
    abbreviation a reader would recognize, so look the data up directly.
    CLDR's "∅∅∅" means "no name here" (en_GB has no "ET") and counts as none.
    """
    from babel import Locale
    from babel.core import get_global

    data = Locale.parse(locale)
    zone = get_global("zone_aliases").get(zone, zone)
    candidates: list[str | None] = [data.time_zones.get(zone, {}).get("short", {}).get(variant)]
    metazone = get_global("meta_zones").get(zone)
    if metazone:
        candidates.append(data.meta_zones.get(metazone, {}).get("short", {}).get(variant))
    for name in candidates:
        if name and name != "∅∅∅":
            return name
    return None
