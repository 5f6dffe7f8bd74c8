"""Date extraction (English and Spanish), resolved against the caller's local 'today'.

Relative words (tomorrow, next Friday, the 3rd...) are resolved by hand because dateparser
gets several of them wrong ('the 3rd' becomes March, 'el viernes' is not understood).
Calendar dates with a month name are found by regex and only those spans are handed to
dateparser, which keeps the slow general-purpose parser off the hot path.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from ai.nlu.entities.base import Entity, fold, make

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
}  # fmt: skip
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre"
    r"|noviembre|diciembre"
)
_WD = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs?"
    r"|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
)
_ORD = r"(?:st|nd|rd|th)"
_FLAGS = re.IGNORECASE

_RELATIVE = re.compile(
    r"\b(?:(?P<p2>(?:the\s+)?day\s+after\s+tomorrow|pasado\s+ma[nñ]ana)|(?P<p1>tomorrow|ma[nñ]ana)"
    r"|(?P<p0>today|tonight|hoy|esta\s+noche)|(?P<m1>yesterday|ayer))\b",
    _FLAGS,
)
# 'la mañana' / 'esta mañana' is 'the morning', not 'tomorrow'.
_MORNING_BEFORE = re.compile(r"(?:\b(?:la|esta|cada|una|por|de)\s+)$", _FLAGS)
_WEEKDAY = re.compile(
    rf"\b(?P<mod>(?:this|next|coming|este|el\s+pr[oó]ximo|el|pr[oó]ximo)\s+)?(?P<wd>{_WD})\b"
    r"(?P<post>\s+(?:que\s+viene|pr[oó]ximo))?",
    _FLAGS,
)
# An optional weekday in front ('Friday the 19th', 'el jueves 2 de julio') belongs to the same date.
_WD_PREFIX = rf"(?:(?:el\s+)?(?:{_WD}),?\s+)?"
_CALENDAR = re.compile(
    rf"\b{_WD_PREFIX}(?:(?:the\s+|el\s+)?\d{{1,2}}{_ORD}?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\b\.?"
    r"(?:,?\s+(?:de\s+)?\d{4})?"
    rf"|(?:{_MONTHS})\b\.?\s+(?:the\s+)?\d{{1,2}}{_ORD}?(?!\d|:)(?:,?\s+\d{{4}})?)",
    _FLAGS,
)
# Follow-up words after which 'the 3rd' still reads as a date (and not 'the 3rd floor').
_ORD_NEXT = (
    r"(?=\s*(?:$|[,.;!?)]|(?:at|for|and|or|please|in|to|until|till|through|from|if|so|then|but|instead|is|would"
    r"|will|works|morning|evening|afternoon|night|we|i|with)\b))"
)
_DAY_OF_MONTH = re.compile(
    rf"(?:\b(?:on|by|from|until|till|for)\s+(?P<the1>the\s+)?|\b(?P<the2>(?:(?:{_WD}),?\s+)?the\s+))"
    rf"(?P<d>\d{{1,2}}){_ORD}\b{_ORD_NEXT}"
    r"|\bel\s+d[ií]a\s+(?P<es>\d{1,2})\b(?!\s*(?:de|:|\d))"
    # 'el martes 17' / 'Tuesday 17th': the number decides the date, the weekday only confirms it.
    rf"|\b(?P<wdd>(?:el\s+)?(?:{_WD})\s+)(?P<d2>\d{{1,2}})(?:{_ORD})?\b"
    rf"(?=\s*(?:$|[,.;!?)]|(?:at|a|and|y|in|en|con|with|for|por|para|please|por\s+favor)\b))",
    _FLAGS,
)
# Leading words dateparser does not need (and 'el' or a weekday can only confuse it).
_CALENDAR_PREFIX = re.compile(rf"^(?:el\s+)?(?:(?:{_WD}),?\s+)?(?:the|el)?\s*", _FLAGS)
_YEAR = re.compile(r"\d{4}")
# '12/03' without a year is a date only after a preposition ('on 12/03', 'el 12/03'); alone it may be a score.
_SHORT_NUMERIC = re.compile(
    r"\b(?:on|from|until|till|by|el|del|al|desde|hasta)\s+(?P<a>\d{1,2})/(?P<b>\d{1,2})\b(?![/\d])", _FLAGS
)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?:(?P<iso>\d{4}-\d{2}-\d{2})|(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{2}|\d{4}))(?![\d/.-]?\d)"
)


def find_dates(text: str, today: dt.date, day_first: bool = True) -> Iterator[Entity]:
    for m in _RELATIVE.finditer(text):
        if m.group("p1") and fold(m.group()).startswith("manana") and _MORNING_BEFORE.search(text[: m.start()]):
            continue
        offset = 2 if m.group("p2") else 1 if m.group("p1") else 0 if m.group("p0") else -1
        yield _date(text, m.start(), m.end(), today + dt.timedelta(days=offset))
    for m in _WEEKDAY.finditer(text):
        target = _WEEKDAYS[fold(m.group("wd"))]
        delta = (target - today.weekday()) % 7
        mod = fold(m.group("mod") or "").strip()
        if delta == 0 and mod not in ("this", "este"):
            delta = 7  # 'Friday' said on a Friday means next week's, as dateparser does.
        yield _date(text, m.start(), m.end(), today + dt.timedelta(days=delta))
    for m in _CALENDAR.finditer(text):
        parsed = _parse_calendar(m.group(), today)
        if parsed is not None:
            yield _date(text, m.start(), m.end(), parsed)
    for m in _DAY_OF_MONTH.finditer(text):
        day = int(m.group("d") or m.group("es") or m.group("d2"))
        parsed = next_day_of_month(today, day)
        if parsed is not None:
            the = "the1" if m.group("the1") else "the2"
            start = m.start(the) if m.group(the) else m.start("d") if m.group("d") else m.start()
            yield _date(text, start, m.end(), parsed)
    for m in _NUMERIC.finditer(text):
        parsed = _parse_numeric(m, day_first)
        if parsed is not None:
            yield _date(text, m.start(), m.end(), parsed)
    for m in _SHORT_NUMERIC.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        parsed = next_month_day(today, *((b, a) if day_first else (a, b)))
        if parsed is not None:
            yield _date(text, m.start("a"), m.end(), parsed)


def _date(text: str, start: int, end: int, value: dt.date) -> Entity:
    return make("date", value.isoformat(), text, start, end, {"weekday": calendar.day_name[value.weekday()].lower()})


def next_day_of_month(today: dt.date, day: int) -> dt.date | None:
    """First date on or after ``today`` whose day of month is ``day`` (skipping months too short)."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day)
            if candidate >= today:
                return candidate
        month = month % 12 + 1
        year += month == 1
    return None


def next_month_day(today: dt.date, month: int, day: int) -> dt.date | None:
    """First date on or after ``today`` falling on ``month``/``day`` (29 February waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


@lru_cache(maxsize=2048)
def _parse_calendar(span: str, today: dt.date) -> dt.date | None:
    # Deferred: importing it costs ~0.2 s and most sentences have no month name. It ships no type stubs.
    import dateparser

    cleaned = _CALENDAR_PREFIX.sub("", span.strip())
    base = dt.datetime.combine(today, dt.time(12))
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "REQUIRE_PARTS": ["day", "month"]}
    parsed: dt.datetime | None = dateparser.parse(cleaned, languages=["en", "es"], settings=settings)
    if parsed is None:
        return None
    if (parsed.month, parsed.day) == (today.month, today.day) and not _YEAR.search(span):
        return today  # dateparser's 'future' skips today itself; 'the 10th' on the 10th means today.
    return parsed.date()


def _parse_numeric(m: re.Match[str], day_first: bool) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date.fromisoformat(m.group("iso"))
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        day, month = (a, b) if day_first else (b, a)
        return dt.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None
