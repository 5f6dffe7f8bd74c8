"""One spelling per dietary need, so "nut allergy" on a traveler meets "nut-free" on a restaurant."""

from __future__ import annotations

from collections.abc import Iterable

SYNONYMS = {
    "veggie": "vegetarian",
    "vegetarian": "vegetarian",
    "vegan": "vegan",
    "plant-based": "vegan",
    "gluten free": "gluten-free",
    "gluten-free": "gluten-free",
    "no gluten": "gluten-free",
    "coeliac": "gluten-free",
    "celiac": "gluten-free",
    "halal": "halal",
    "kosher": "kosher",
    "lactose free": "lactose-free",
    "lactose-free": "lactose-free",
    "lactose intolerant": "lactose-free",
    "lactose intolerance": "lactose-free",
    "dairy free": "lactose-free",
    "dairy-free": "lactose-free",
    "nut free": "nut-free",
    "nut-free": "nut-free",
    "nut allergy": "nut-free",
    "nuts allergy": "nut-free",
    "peanut allergy": "nut-free",
    "tree nut allergy": "nut-free",
    "pescatarian": "pescatarian",
    "shellfish allergy": "shellfish-free",
    "shellfish-free": "shellfish-free",
    "seafood allergy": "shellfish-free",
}


def canonical(need: str) -> str:
    """The catalog's word for a need; unknown needs are kept (lower-cased) so they still have to be met."""
    key = " ".join(need.strip().lower().replace("_", " ").split())
    return SYNONYMS.get(key, SYNONYMS.get(key.replace("-", " "), key))


def canonical_set(needs: Iterable[str]) -> set[str]:
    return {canonical(need) for need in needs if need.strip()}
