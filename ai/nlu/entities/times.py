"""Clock-time extraction (English and Spanish), normalised to 24-hour 'HH:MM'.

A time without any am/pm or time-of-day hint keeps its literal hour ('half past seven' is
07:30): guessing evening for restaurants would be wrong for tours and trains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ai.nlu.entities.base import Entity, fold, make

_FLAGS = re.IGNORECASE
_HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
    "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
    "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_MINUTE_WORDS = {"five": 5, "ten": 10, "quarter": 15, "a quarter": 15, "twenty": 20, "twenty-five": 25, "half": 30}
_EN_HOUR = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|1[0-2]|0?[1-9])"
_ES_HOUR = r"(?:una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|1[0-9]|2[0-4]|0?[0-9])"
_PM = r"p\.?\s?m\b\.?|in\s+the\s+(?:evening|afternoon)|at\s+night|tonight|de\s+la\s+(?:tarde|noche)"
_AM = r"a\.?\s?m\b\.?|in\s+the\s+morning|de\s+la\s+(?:ma[nñ]ana|madrugada)"
_MERIDIEM = rf"(?:\s*(?:(?P<pm>{_PM})|(?P<am>{_AM})))"

_NAMED = re.compile(r"\b(?:(?P<noon>noon|midday|mediod[ií]a)|(?P<midnight>midnight|medianoche))\b", _FLAGS)
_CLOCK = re.compile(
    r"(?<![\d:.,$€£])(?P<h>[01]?\d|2[0-4])(?:[:h](?P<m>[0-5]\d)|\.(?P<dm>[0-5]\d)(?=\s*[ap]\.?\s?m\b))"
    rf"(?!\d|[.,:]\d)(?:\s*h(?:rs?|ours)?\b)?{_MERIDIEM}?",
    _FLAGS,
)
_COMPACT = re.compile(
    r"\b(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?:hrs?|hours|h)\b|(?<=\bat\s)(?P<h2>[01]\d|2[0-3])(?P<m2>[0-5]\d)\b"
    r"(?=\s*(?:$|[;!?)]|[,.](?!\d)|(?:on|tomorrow|today|tonight|please|and|or|from|sharp|hours)\b))",
    _FLAGS,
)
_HOUR_ONLY = re.compile(
    rf"(?<![\d:.,$€£])\b(?P<h>{_EN_HOUR})(?P<oc>\s*o'?\s?clock\b)?{_MERIDIEM}?",
    _FLAGS,
)
_PAST_TO = re.compile(
    r"\b(?P<min>(?:a\s+)?quarter|half|twenty(?:-five)?|ten|five)\s+(?P<rel>past|after|to|before)\s+"
    rf"(?P<h>{_EN_HOUR}){_MERIDIEM}?\b",
    _FLAGS,
)
_WORD_CLOCK = re.compile(
    rf"\b(?P<h>{_EN_HOUR})\s+(?P<m>thirty|fifteen|forty-five|forty five|o'?\s?five|twenty|forty)\b{_MERIDIEM}?",
    _FLAGS,
)
# Spanish needs the article ('a las siete') to tell a time from any other number.
_ES_CLOCK = re.compile(
    rf"\b(?:a\s+)?(?:la|las)\s+(?P<h>{_ES_HOUR})(?:[:.h](?P<esm>[0-5]\d))?(?![\d:])"
    r"(?:\s+(?:(?P<y>y)\s+(?P<ym>media|cuarto|diez|veinte|cinco)|menos\s+(?P<menos>cuarto|diez|veinte|cinco)))?"
    rf"(?:\s*(?:h|hrs?|horas)\b)?{_MERIDIEM}?(?!\s+(?:personas|noches|d[ií]as|veces|semanas))",
    _FLAGS,
)
_ES_MINUTES = {"media": 30, "cuarto": 15, "diez": 10, "veinte": 20, "cinco": 5}


def find_times(text: str) -> Iterator[Entity]:
    for m in _NAMED.finditer(text):
        yield make("time", "12:00" if m.group("noon") else "00:00", text, m.start(), m.end())
    for m in _CLOCK.finditer(text):
        minutes = int(m.group("m") or m.group("dm"))
        yield _time(text, m, int(m.group("h")), minutes)
    for m in _COMPACT.finditer(text):
        yield _time(text, m, int(m.group("h") or m.group("h2")), int(m.group("m") or m.group("m2")))
    for m in _HOUR_ONLY.finditer(text):
        if not (m.group("oc") or m.group("am") or m.group("pm")):
            continue
        yield _time(text, m, _hour(m.group("h")), 0)
    for m in _PAST_TO.finditer(text):
        minutes = _MINUTE_WORDS[fold(m.group("min")).replace("a ", "")]
        hour = _hour(m.group("h"))
        if minutes not in (15, 30) and not _cue_before(text, m.start()):
            continue  # 'from five to ten people' is not 09:55.
        if fold(m.group("rel")) in ("to", "before"):
            hour, minutes = (hour - 1) or 12, 60 - minutes
        yield _time(text, m, hour, minutes)
    for m in _WORD_CLOCK.finditer(text):
        word = fold(m.group("m")).replace("-", " ").replace("'", "").replace(" ", "")
        minutes = {"thirty": 30, "fifteen": 15, "fortyfive": 45, "ofive": 5, "twenty": 20, "forty": 40}[word]
        if not (m.group("am") or m.group("pm") or _cue_before(text, m.start())):
            continue  # 'two twenty' alone is more likely a count than a clock time.
        yield _time(text, m, _hour(m.group("h")), minutes)
    for m in _ES_CLOCK.finditer(text):
        hour, minutes = _hour(m.group("h")), int(m.group("esm") or 0)
        if m.group("ym"):
            minutes = _ES_MINUTES[fold(m.group("ym"))]
        elif m.group("menos"):
            hour, minutes = (hour - 1) or 12, 60 - _ES_MINUTES[fold(m.group("menos"))]
        elif not (fold(m.group()).startswith("a ") or m.group("am") or m.group("pm")):
            continue  # 'las dos personas' is a count; only 'a las dos' is reliably a time.
        yield _time(text, m, hour, minutes)


_CUE = re.compile(r"\b(?:at|around|about|by|after|before|until|till)\s+$", _FLAGS)


def _cue_before(text: str, start: int) -> bool:
    return _CUE.search(text[max(0, start - 10) : start]) is not None


def _hour(token: str) -> int:
    key = fold(token)
    return _HOUR_WORDS[key] if key in _HOUR_WORDS else int(key)


def _time(text: str, m: re.Match[str], hour: int, minutes: int) -> Entity:
    groups = m.groupdict()
    if groups.get("pm") and hour < 12:
        hour += 12
    elif groups.get("am") and hour == 12:
        hour = 0
    hour %= 24  # '24:30' and 'a quarter to one' (hour 0) both wrap into the day.
    return make("time", f"{hour:02d}:{minutes:02d}", text, m.start(), m.end())
