"""Shared building blocks for the entity extractors: the Entity record and number words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EntityValue = str | int


@dataclass(frozen=True, slots=True)
class Entity:
    """One extracted entity; ``text == source[start:end]`` always holds."""

    type: str
    value: EntityValue
    start: int
    end: int
    text: str
    # Type-specific details (people breakdown, catalog name/kind, weekday...). Kept out of
    # ``value`` so that value comparison stays a plain equality.
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }
        if self.extra:
            out["extra"] = dict(self.extra)
        return out


def make(
    kind: str, value: EntityValue, source: str, start: int, end: int, extra: Mapping[str, Any] | None = None
) -> Entity:
    return Entity(kind, value, start, end, source[start:end], dict(extra or {}))


def _words(words: str) -> list[str]:
    return words.split()


def word_set(words: str) -> frozenset[str]:
    """Whitespace-separated word list -> set; keeps long vocabularies readable in source."""
    return frozenset(words.split())


def fold(text: str) -> str:
    """Lowercase and strip accents so that 'Mañana', 'manana' and 'MAÑANA' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_UNITS_EN = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
    " eighteen nineteen twenty"
)
_TENS_EN = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_UNITS_ES = _words(
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete"
    " dieciocho diecinueve veinte"
)
_TENS_ES = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60}

NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS_EN)}
NUMBER_WORDS.update({w: i for i, w in enumerate(_UNITS_ES)})
NUMBER_WORDS.update(_TENS_EN)
NUMBER_WORDS.update(_TENS_ES)
NUMBER_WORDS.update({"un": 1, "una": 1, "a couple of": 2, "a dozen": 12, "una docena de": 12})
NUMBER_WORDS.update({"veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25})

# Longest first so that 'seventeen' wins over 'seven' and 'veintiuno' over 'veinte'.
_WORD_ALT = "|".join(
    sorted(
        {re.escape(w).replace("\\ ", r"\s+") for w in NUMBER_WORDS if w not in ("un", "una", "cero", "zero")},
        key=len,
        reverse=True,
    )
)
_ACCENTED = r"diecis[eé]is|veintid[oó]s|veintitr[eé]s"
# A cardinal written as digits (1-3 of them, so years and prices do not qualify) or as words,
# including hyphenated compounds such as 'twenty-two'.
NUM = rf"(?:\d{{1,3}}|(?:{_ACCENTED}|{_WORD_ALT})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"


def parse_number(token: str) -> int | None:
    """Value of a cardinal matched by ``NUM`` (also 'a'/'an'/'un'/'una' meaning one)."""
    key = re.sub(r"\s+", " ", fold(token.strip()))
    if key.isdigit():
        return int(key)
    if key in ("a", "an", "un", "una", "uno"):
        return 1
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    if "-" in key:
        tens, _, unit = key.partition("-")
        if tens in NUMBER_WORDS and unit in NUMBER_WORDS:
            return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
    return None
