"""Identifier-like entities: booking references, group numbers, flights, phones and e-mails.

Formats (see docs/entities.md):
- booking_ref: 'BK-' + 6 letters/digits, normalised to upper case ('bk 7q2x9a' -> 'BK-7Q2X9A'). A bare
  6-character code with at least one digit is accepted after a booking word ('booking ABC123',
  'localizador 4X7K9P') and normalised to the same 'BK-' form.
- group_number: 'G-' + 4-digit year + '-' + up to 4 digits, zero-padded ('g 2026 42' -> 'G-2026-0042').
- flight_number: IATA airline designator + 1-4 digits, without separator or leading zeros
  ('AZ 611', 'az-611', 'flight AZ0611' -> 'AZ611'). Without a 'flight'/'vuelo' cue at least 3 digits
  are required, so that postcodes like 'CB21' are left alone.
- phone: E.164 via phonenumbers, numbers without a country code read in ``region``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from ai.nlu.entities.base import Entity, make, word_set

_FLAGS = re.IGNORECASE
_BOOKING = re.compile(r"\bBK[-\s]?(?P<code>[A-Z0-9]{6})\b", _FLAGS)
_BOOKING_CUE = re.compile(
    r"\b(?:booking|reservation|reference|ref|confirmation|reserva|localizador|c[oó]digo)\.?"
    r"(?:\s+(?:number|no\.?|code|id|n[uú]mero|de\s+reserva))?\s*(?:is\s+|es\s+)?[:#]?\s*"
    r"(?P<code>(?=[A-Z]*\d)[A-Z0-9]{6})\b",
    _FLAGS,
)
_GROUP = re.compile(r"\bG[-\s]?(?P<year>20\d{2})[-\s/](?P<num>\d{1,4})\b", _FLAGS)
_FLIGHT_CUE = re.compile(
    r"\b(?:flight|vuelo|volo|vol)\s*(?:number\s+|no\.?\s*|n[uú]mero\s+|#\s*)?"
    r"(?P<code>(?P<air>[A-Z]{2}|[A-Z]\d|\d[A-Z])[\s-]?(?P<num>\d{1,4}))(?P<suffix>[A-Z]?)\b",
    _FLAGS,
)
_FLIGHT = re.compile(r"(?<![#/])\b(?P<air>[A-Z]{2}|[A-Z]\d|\d[A-Z])[\s-]?(?P<num>\d{3,4})\b", _FLAGS)
# Two-letter words that read as a designator in shouted text ('AT 1230', 'NO 123'); they still
# work after an explicit 'flight' cue.
_NOT_AIRLINES = word_set(
    """AT ON IN TO BY OF OR IS IT NO SO UP WE MY PM AM EL LA DE EN ES SE MI TU YO DO GO ME HE BE AN AS IF US ID KM
    AL SI YA LO LE SU TE"""
)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")


def find_ids(text: str, region: str) -> Iterator[Entity]:
    for m in _EMAIL.finditer(text):
        yield make("email", m.group().lower(), text, m.start(), m.end())
    for m in _BOOKING.finditer(text):
        yield make("booking_ref", "BK-" + m.group("code").upper(), text, m.start(), m.end())
    for m in _BOOKING_CUE.finditer(text):
        yield make("booking_ref", "BK-" + m.group("code").upper(), text, m.start("code"), m.end("code"))
    for m in _GROUP.finditer(text):
        value = f"G-{m.group('year')}-{int(m.group('num')):04d}"
        yield make("group_number", value, text, m.start(), m.end())
    for m in _FLIGHT_CUE.finditer(text):
        yield _flight(text, m, m.start("code"))
    for m in _FLIGHT.finditer(text):
        if m.group("air").upper() in _NOT_AIRLINES:
            continue
        # Without a cue, lower case passes only with a hyphen ('az-611'): 'ab1234' is more often an
        # id and 'al 612' is Spanish for 'at 612'.
        if m.group("air").isupper() or "-" in m.group():
            yield _flight(text, m, m.start())
    yield from _phones(text, region)


def _flight(text: str, m: re.Match[str], start: int) -> Entity:
    suffix = m.groupdict().get("suffix") or ""
    value = m.group("air").upper() + str(int(m.group("num"))) + suffix.upper()
    return make("flight_number", value, text, start, m.end())


def _phones(text: str, region: str) -> Iterator[Entity]:
    if sum(ch.isdigit() for ch in text) < 7:
        return  # Cheap exit: the matcher is the slowest extractor and most sentences have no phone.
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield make("phone", value, text, match.start, match.end)
