"""The itinerary as an iCalendar file (RFC 5545): one VEVENT per timed item, in the group's time zone.

Written by hand: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT
values escaped, and a VTIMEZONE for the TZID built from the zoneinfo database for the travel dates (RFC
5545 requires one for every TZID used).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domains.itineraries.schemas import ItemView, ItineraryOut

MAX_OCTETS = 75
PRODID = "-//Spirit Hub//Itinerary//EN"
STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"}
EARLIEST, LATEST = date(2, 1, 1), date(9998, 12, 31)  # the zone's offsets are looked up days around these
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped; other control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds a character that would end it."""
    value = value.replace('"', "")
    return f'"{value}"' if any(char in value for char in ":;,") else value


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation lines start with one space."""
    chunks: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            # The leading space of a continuation line counts toward its 75 octets.
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _zone(tzid: str) -> tuple[str, ZoneInfo]:
    try:
        return tzid, ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC", ZoneInfo("UTC")


def _transitions(zone: ZoneInfo, start: date, end: date) -> list[datetime]:
    """UTC instants (to the minute) at which the zone's offset changes during the trip, give or take a day."""
    instant = datetime(start.year, start.month, start.day, tzinfo=UTC) - timedelta(days=2)
    finish = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=3)
    found = []
    while instant < finish:
        after = instant + timedelta(hours=1)
        before = instant.astimezone(zone).utcoffset()
        if before != after.astimezone(zone).utcoffset():
            # Find the first minute of the new offset within this hour.
            minute = next(
                m for m in range(1, 61) if (instant + timedelta(minutes=m)).astimezone(zone).utcoffset() != before
            )
            found.append(instant + timedelta(minutes=minute))
        instant = after
    return found


def _observance(zone: ZoneInfo, at: datetime, before: timedelta | None) -> list[str]:
    local = at.astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    onset = (at + before).replace(tzinfo=None) if before is not None else datetime(1970, 1, 1)
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{onset:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset(before if before is not None else offset)}",
        f"TZOFFSETTO:{_offset(offset)}",
        f"TZNAME:{escape_text(local.tzname() or 'UTC')}",
        f"END:{kind}",
    ]


def vtimezone(tzid: str, zone: ZoneInfo, start: date, end: date) -> list[str]:
    first = datetime(start.year, start.month, start.day, tzinfo=UTC) - timedelta(days=2)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", *_observance(zone, first, None)]
    previous = first.astimezone(zone).utcoffset() or timedelta(0)
    for change in _transitions(zone, start, end):
        lines.extend(_observance(zone, change, previous))
        previous = change.astimezone(zone).utcoffset() or timedelta(0)
    return [*lines, "END:VTIMEZONE"]


def _local(day: str, hhmm: str) -> str:
    return day.replace("-", "") + "T" + hhmm.replace(":", "") + "00"


def vevent(item: ItemView, start: str, tzid: str, stamp: str) -> list[str]:
    tz = param_value(tzid)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item.id}@spirit-hub",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={tz}:{_local(item.day, start)}",
    ]
    if item.end:
        lines.append(f"DTEND;TZID={tz}:{_local(item.day, item.end)}")
    lines.append(f"SUMMARY:{escape_text(item.title)}")
    place = item.place or {}
    location = ", ".join(part for part in (place.get("name"), place.get("address")) if part)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if place.get("lat") is not None and place.get("lon") is not None:
        lines.append(f"GEO:{float(place['lat']):.6f};{float(place['lon']):.6f}")
    if item.notes:
        lines.append(f"DESCRIPTION:{escape_text(item.notes)}")
    lines += [f"CATEGORIES:{escape_text(item.kind.upper())}", f"STATUS:{STATUS[item.status]}", "END:VEVENT"]
    return lines


def _window(itinerary: ItineraryOut) -> tuple[date, date]:
    """The dates the VTIMEZONE covers: the listed days (a view lists at most the configured span), kept
    a few days inside the calendar so that the margins around them stay representable."""
    first = itinerary.days[0].date if itinerary.days else itinerary.start_date
    last = itinerary.days[-1].date if itinerary.days else first
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    start = min(max(start, EARLIEST), LATEST)
    return start, min(max(end, start), LATEST)


def render(itinerary: ItineraryOut, now: datetime | None = None) -> str:
    tzid, zone = _zone(itinerary.timezone)
    start, end = _window(itinerary)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(itinerary.group_name)}",
        f"X-WR-TIMEZONE:{tzid}",
        *vtimezone(tzid, zone, start, end),
    ]
    for item in itinerary.items:
        if item.start:  # untimed items are not calendar events
            lines.extend(vevent(item, item.start, tzid, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
