"""Head counts ('two adults and a child', 'a party of 12', 'para 4 personas') and hotel nights."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ai.nlu.entities.base import NUM, Entity, fold, make, parse_number

_FLAGS = re.IGNORECASE
_ARTICLE = r"an?|una?"
_CATEGORIES: dict[str, str] = {
    r"adults?|grown-?ups?|adult[oa]s?": "adults",
    r"children|child|kids?|ni[nñ][oa]s?|menores": "children",
    r"infants?|bab(?:y|ies)|beb[eé]s?": "infants",
    r"seniors?|jubilad[oa]s?": "seniors",
    r"teens?|teenagers?|adolescentes?": "teens",
    r"students?|estudiantes?": "students",
    r"people|persons?|guests?|pax|travell?ers?|passengers?|diners|participants?|personas?|pasajer[oa]s?"
    r"|hu[eé]sped(?:es)?|comensales|viajer[oa]s?|participantes|seats?|tickets?|plazas?|entradas?|billetes?": "people",
}
_NOUN = "|".join(f"(?P<c{i}>{alt})" for i, alt in enumerate(_CATEGORIES))
# 'a guest house' and 'ticket office' are not head counts.
_NOT_AFTER_NOUN = r"(?!\s*(?:-\s*)?(?:houses?|rooms?|office|list|machines?|prices?|types?)\b)"
_COMPONENT = re.compile(
    rf"\b(?P<n>{NUM}|{_ARTICLE})\s+(?:(?:more|extra|additional|m[aá]s)\s+)?(?:{_NOUN})\b{_NOT_AFTER_NOUN}", _FLAGS
)
# Parts of one head count: '2 adults, 1 child', '2 adults 1 child', 'dos adultos y un niño'.
_JOINER = re.compile(r"\s*(?:(?:,|\+|&|\band\b|\by\b|\bplus\b|\bwith\b)\s*)?(?:(?:and|y)\s+)?", _FLAGS)
# Words that, right after a number, say it counts something other than people.
_UNITS = (
    r"nights?|days?|hours?|hrs?|minutes?|mins?|weeks?|months?|years?|stars?|km|miles?|euros?|dollars?|pounds?"
    r"|eur|usd|gbp|%|[ap]\.?m\b|o'?clock|noches?|d[ií]as?|horas?|semanas?|meses|a[nñ]os|estrellas|rooms?"
    r"|habitaciones|beds?|camas?|bedrooms?|stops?|courses?|dishes|platos|floors?|pm|am"
)
_PARTY = re.compile(
    rf"\b(?:(?:{_ARTICLE})\s+)?(?:party|group|family|grupo|familia)\s+(?:of|for|de|para)\s+(?P<n>{NUM})\b"
    rf"(?:\s+(?:{_NOUN}))?(?!\s*(?:[:.]\d|{_UNITS}))",
    _FLAGS,
)
_OF_US = re.compile(
    # 'two of us are vegetarian' names a subset, not the party size.
    rf"\b(?:the\s+)?(?P<n>{NUM})\s+(?:of\s+us|in\s+(?:my|our|the)\s+(?:party|group))\b"
    r"(?!\s+(?:are|is|have|has|eat|prefer|need\s+a|don'?t|do\s+not|can'?t))"
    rf"|\b(?:somos|seremos|vamos|iremos)\s+(?P<es>{NUM})\b(?!\s*(?:{_UNITS}))",
    _FLAGS,
)
# A bare 'for 2' / 'para dos' is a head count only when nothing unit-like follows it.
_FOR_N = re.compile(
    rf"\b(?P<cue>for|para|just|only|s[oó]lo)\s+(?P<n>{NUM})\b"
    rf"(?!\s*(?:[:.,]\d|-|{_UNITS}|of\b|de\b|or\b|to\b|\w+\s+(?:nights?|noches)))"
    r"(?=\s*(?:$|[,.;!?)]|(?:at|on|in|there|for|also|total|is|by|tonight|tomorrow|today|please|people|starting"
    r"|from|and|this|next|el|a|en|por|the|i|we|thanks|thank|if|but|as|instead|then"
    r"|lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday)\b))",
    _FLAGS,
)
_TABLE_BOOK_CUE = re.compile(
    r"\b(?:table|book(?:ing|ed)?|reserv\w*|tickets?|seats?|room|mesa|reserva\w*|it|that|one|them|ticket|people)\b"
    r"[^.?!]{0,40}$",
    _FLAGS,
)
_NIGHTS = re.compile(rf"\b(?P<n>{NUM})[\s-]+(?:more\s+|extra\s+|m[aá]s\s+)?(?:nights?|noches?)\b", _FLAGS)
# A hotel stay given in days ('book the hotel for 5 days') is counted in nights, as hotels do.
_STAY_DAYS = re.compile(
    rf"\b(?:stay(?:ing)?|room|hotel|guest\s?house|accommodation|alojamiento|habitaci[oó]n|quedarnos|quedarme)\b"
    rf"[^.?!]{{0,30}}?\b(?:for|para)\s+(?P<n>{NUM})\s+(?:days|d[ií]as)\b",
    _FLAGS,
)


def find_counts(text: str) -> Iterator[Entity]:
    yield from _find_breakdowns(text)
    for m in _PARTY.finditer(text):
        yield from _people(text, m.start(), m.end(), m.group("n"))
    for m in _OF_US.finditer(text):
        yield from _people(text, m.start(), m.end(), m.group("n") or m.group("es"))
    for m in _FOR_N.finditer(text):
        # 'for 2' needs a booking word before it; 'just one' is a complete answer on its own.
        if fold(m.group("cue")) not in ("for", "para") or _TABLE_BOOK_CUE.search(
            text[max(0, m.start() - 60) : m.start()]
        ):
            yield from _people(text, m.start("n"), m.end("n"), m.group("n"))
    for m in _NIGHTS.finditer(text):
        yield from _nights(text, m.start(), m.end(), m.group("n"))
    for m in _STAY_DAYS.finditer(text):
        yield from _nights(text, m.start("n"), m.end(), m.group("n"))


def _nights(text: str, start: int, end: int, token: str) -> Iterator[Entity]:
    nights = parse_number(token)
    if nights and nights <= 365:
        yield make("duration_nights", nights, text, start, end)


def _people(text: str, start: int, end: int, token: str) -> Iterator[Entity]:
    count = parse_number(token)
    if count and count <= 500:
        yield make("people_count", count, text, start, end)


def _find_breakdowns(text: str) -> Iterator[Entity]:
    """Chain 'two adults, a child and an infant' into one count with a per-category breakdown."""
    parts = [m for m in _COMPONENT.finditer(text) if parse_number(m.group("n"))]
    i = 0
    while i < len(parts):
        j = i
        while j + 1 < len(parts) and _JOINER.fullmatch(text[parts[j].end() : parts[j + 1].start()]):
            j += 1
        chain = parts[i : j + 1]
        i = j + 1
        if len(chain) == 1 and fold(chain[0].group("n")) in ("a", "an", "un", "una"):
            continue  # 'a person' alone is too weak: 'a guest asked...' is not a head count.
        breakdown: dict[str, int] = {}
        for m in chain:
            category = next(_CATEGORIES[alt] for k, alt in enumerate(_CATEGORIES) if m.group(f"c{k}"))
            breakdown[category] = breakdown.get(category, 0) + (parse_number(m.group("n")) or 0)
        total = sum(breakdown.values())
        if not 0 < total <= 500:
            continue
        extra = {"breakdown": breakdown} if set(breakdown) != {"people"} else {}
        yield make("people_count", total, text, chain[0].start(), chain[-1].end(), extra)
