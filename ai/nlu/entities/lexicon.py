"""Closed-vocabulary entities: dietary requirements and spoken languages (English and Spanish)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ai.nlu.entities.base import Entity, make

_FLAGS = re.IGNORECASE
_ALLERGIC = r"(?:allerg(?:y|ies|ic)|al[eé]rgic[oa]s?|alergias?)\s+(?:to|a|al|a\s+l[oa]s|a\s+la)?\s*"
_DIETARY: dict[str, str] = {
    "vegetarian": r"vegetarians?|veggie|vegetarian[oa]s?",
    "vegan": r"vegans?|vegan[oa]s?",
    "gluten-free": r"gluten[\s-]*free|no\s+gluten|without\s+gluten|sin\s+gluten|c[oe]?eliacs?|coeliacs?|cel[ií]ac[oa]s?"
    r"|gluten\s+(?:intolerance|intolerant|allergy)|intoleran\w+\s+al\s+gluten",
    "lactose-free": r"lactose[\s-]*free|lactose[\s-]+intoleran\w+|sin\s+lactosa|intoleran\w+\s+a\s+la\s+lactosa",
    "dairy-free": r"dairy[\s-]*free|no\s+dairy|sin\s+l[aá]cteos",
    "nut-allergy": rf"(?:tree\s+|pea)?nut[\s-]+(?:allergy|allergies|free)|{_ALLERGIC}(?:tree\s+|pea)?nuts"
    rf"|{_ALLERGIC}(?:los\s+)?(?:frutos\s+secos|cacahuetes|nueces|man[ií])",
    "shellfish-allergy": rf"shellfish[\s-]+(?:allergy|allergies|free)|{_ALLERGIC}(?:shellfish|seafood)"
    rf"|{_ALLERGIC}(?:el\s+|los\s+)?mariscos?",
    "pescatarian": r"pesc[ae]tarians?|pescetarian[oa]s?|pescatarian[oa]s?",
    "halal": r"halal",
    "kosher": r"kosher",
}
_DIETARY_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<d{i}>{alt})" for i, alt in enumerate(_DIETARY.values())) + r")\b", _FLAGS
)
_DIETARY_KEYS = list(_DIETARY)

_LANGUAGES: dict[str, str] = {
    r"english|ingl[eé]s": "en",
    r"spanish|espa[nñ]ol|castellano": "es",
    r"italian|italiano": "it",
    r"french|franc[eé]s": "fr",
    r"german|alem[aá]n": "de",
    r"portuguese|portugu[eé]s": "pt",
    r"chinese|mandarin|chino|mandar[ií]n": "zh",
    r"japanese|japon[eé]s": "ja",
    r"russian|ruso": "ru",
    r"arabic|[aá]rabe": "ar",
    r"dutch|holand[eé]s|neerland[eé]s": "nl",
    r"korean|coreano": "ko",
    r"catalan|catal[aá]n": "ca",
    r"greek|griego": "el",
    r"polish|polaco": "pl",
    r"hebrew|hebreo": "he",
    r"hindi": "hi",
    r"turkish|turco": "tr",
    r"swedish|sueco": "sv",
}


def _lang(prefix: str) -> str:
    return "|".join(f"(?P<{prefix}{i}>{alt})" for i, alt in enumerate(_LANGUAGES))


_LANG_CODES = list(_LANGUAGES.values())
# Language names double as nationalities and cuisines ('Italian food'), so a cue is required.
_BEFORE = (
    r"speaks?|speaking|spoken|speakers?|in|into|language|languages|hablan?|hablamos|hablar|habla|en|idioma|translate"
    r"|understand|understands|entiende|entienden|guided|subtitles|subtitulad[oa]s?"
)
_AFTER = (
    r"-?\s*speaking|speakers?|guides?|guided|tours?|language|audio\s*guides?|subtitles|versions?|translation"
    r"|interpreters?|translators?|hablantes?|natives?"
)
_LANGUAGE_RE = re.compile(
    rf"\b(?:{_BEFORE})\s+(?:(?:a\s+little|only|some|fluent|good|basic|un\s+poco\s+de|solo|solamente)\s+)?"
    rf"(?:{_lang('a')})\b"
    rf"(?!\s+(?:food|cuisine|restaurants?|dish(?:es)?|wines?|style|comida|cocina|restaurantes?|people|town))"
    rf"|\b(?:{_lang('b')})(?=\s*(?:{_AFTER})\b)",
    _FLAGS,
)


def find_lexicon(text: str) -> Iterator[Entity]:
    for m in _DIETARY_RE.finditer(text):
        key = next(_DIETARY_KEYS[i] for i in range(len(_DIETARY_KEYS)) if m.group(f"d{i}"))
        yield make("dietary", key, text, m.start(), m.end())
    for m in _LANGUAGE_RE.finditer(text):
        group = next(f"{p}{i}" for p in "ab" for i in range(len(_LANG_CODES)) if m.group(f"{p}{i}"))
        yield make("language", _LANG_CODES[int(group[1:])], text, m.start(group), m.end(group))
