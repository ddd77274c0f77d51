"""An announcement's ``event`` as an iCalendar file, one per published language.

Written with the ``icalendar`` package: the start is local time with a
``TZID`` and a matching ``VTIMEZONE`` (so 16:00 in New York stays 16:00 across
daylight saving), the recurrence is an ``RRULE`` (``monthly`` repeats the
start's weekday of the month: 2023-01-10 is the second Tuesday, so
``BYDAY=2TU``; a fifth weekday becomes "the last"), and the title and
description are the published text of that language, tagged with
``LANGUAGE``.

The output is byte-identical for unchanged input: the ``UID`` is built from
the document id and ``DTSTAMP`` is the event's own start in UTC rather than
the time of the run, so a rebuild never rewrites the file.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from i18n_pipeline.sources.model import Event

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrence_rule(event: Event) -> dict[str, object] | None:
    """The ``RRULE`` of ``event`` as icalendar's mapping, or None for a single event."""
    weekday = _WEEKDAYS[event.start.weekday()]
    if event.recurrence == "weekly":
        return {"FREQ": "WEEKLY", "BYDAY": weekday}
    if event.recurrence == "monthly":
        nth = (event.start.day - 1) // 7 + 1
        return {"FREQ": "MONTHLY", "BYDAY": f"{-1 if nth == 5 else nth}{weekday}"}
    return None


def event_calendar(event: Event, *, uid: str, locale: str, title: str, description: str, url: str | None = None) -> str:
    """The text of a ``.ics`` file for ``event`` in ``locale`` (CRLF line ends, as RFC 5545 says)."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    zone = ZoneInfo(event.timezone)
    start = event.start.replace(tzinfo=zone)
    calendar = Calendar()
    calendar.add("prodid", "-//i18n-pipeline//calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    entry = VEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", start.astimezone(ZoneInfo("UTC")))
    entry.add("dtstart", start)
    if event.duration_minutes:
        entry.add("dtend", start + timedelta(minutes=event.duration_minutes))
    rule = recurrence_rule(event)
    if rule is not None:
        entry.add("rrule", rule)
    language = locale.replace("_", "-")
    entry.add("summary", title, parameters={"LANGUAGE": language})
    if description:
        entry.add("description", description, parameters={"LANGUAGE": language})
    if url:
        entry.add("url", url)
    calendar.add_component(entry)
    calendar.add_missing_timezones(first_date=start.date(), last_date=date(start.year + 10, 1, 1))
    return calendar.to_ical().decode("utf-8")
