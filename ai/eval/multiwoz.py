"""Mapping between MultiWOZ slot spans and our entity types, and the span matching rule.

Slot groups (see ../shared/datasets/multiwoz_slots/README.md) map to our types:
people -> people_count, day -> date (compared by weekday), nights -> duration_nights,
time -> time, names and places -> place. A prediction is a true positive when it has the
same group, the same normalised value and a character span that overlaps the gold span
(our spans are often wider: '4 people' for the gold '4'). Matching is one-to-one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai.nlu.entities.base import parse_number
from ai.nlu.entities.catalog import Catalog, CatalogEntry, normalize
from ai.nlu.entities.extraction import extract

GROUPS = ("people", "day", "nights", "time", "names", "places")
_SLOT_GROUP = (
    ("bookpeople", "people"),
    ("bookday", "day"),
    ("train-day", "day"),
    ("bookstay", "nights"),
    ("booktime", "time"),
    ("leaveat", "time"),
    ("arriveby", "time"),
    ("-name", "names"),
    ("departure", "places"),
    ("destination", "places"),
)
_TYPE_GROUP = {"people_count": "people", "date": "day", "duration_nights": "nights", "time": "time"}
_VENUE_KINDS = frozenset({"hotel", "restaurant", "attraction"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# MultiWOZ is set in Cambridge; any fixed 'now' works since only weekdays are scored.
NOW = dt.datetime(2026, 1, 5, 12, 0)
TZ = "Europe/London"


@dataclass(frozen=True, slots=True)
class Span:
    group: str
    value: str
    start: int
    end: int
    text: str


def dev_path_for(test_path: str) -> Path:
    path = Path(test_path)
    name = path.name.replace("test", "dev") if "test" in path.name else "dev.jsonl"
    return path.with_name(name)


def slot_group(slot: str) -> str | None:
    return next((group for key, group in _SLOT_GROUP if key in slot), None)


def _key(name: str) -> str:
    norm = normalize(name)
    return norm[4:] if norm.startswith("the ") else norm


def build_catalog(dev_rows: Sequence[dict[str, Any]]) -> Catalog:
    """One entry per distinct dev name/place, its kind taken from the slot domain where it is known."""
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for row in dev_rows:
        for slot in row["slots"]:
            group = slot_group(slot["slot"])
            if group not in ("names", "places"):
                continue
            key = _key(slot["value"])
            if not key:
                continue
            surfaces[key][slot["value"]] += 1
            domain = slot["slot"].split("-")[0]
            kinds[key][domain if group == "names" else "city" if domain == "train" else "place"] += 1
    entries = []
    for key, forms in surfaces.items():
        known = [k for k, _ in kinds[key].most_common() if k != "place"]
        kind = known[0] if known else "place"
        name = forms.most_common(1)[0][0]
        aliases = tuple(f for f in forms if f != name)
        entries.append(CatalogEntry(key.replace(" ", "-"), name, kind, aliases))
    return Catalog(entries)


def gold_spans(row: dict[str, Any], catalog: Catalog) -> list[Span]:
    """Gold spans of the mapped groups; one mention labelled with two slots (taxi and restaurant
    time, say) is one entity, so exact duplicates within a group are merged."""
    spans: dict[tuple[str, int, int], Span] = {}
    for slot in row["slots"]:
        group = slot_group(slot["slot"])
        if group is not None:
            # The span often stops before 'pm' ('after [3:45] PM'); the meant value includes it.
            following = row["text"][slot["end"] : slot["end"] + 6]
            value = _gold_value(group, slot["value"], catalog, following)
            spans.setdefault(
                (group, slot["start"], slot["end"]), Span(group, value, slot["start"], slot["end"], slot["value"])
            )
    return list(spans.values())


def _gold_value(group: str, surface: str, catalog: Catalog, following: str = "") -> str:
    text = surface.strip().lower()
    if group in ("people", "nights"):
        digits = re.search(r"\d+", text)
        number = parse_number(text) or (int(digits.group()) if digits else None)
        return str(number) if number is not None else text
    if group == "day":
        return next((d for d in _WEEKDAYS if text[:3] == d[:3]), text)
    if group == "time":
        clock = re.search(r"(\d{1,2}):(\d{2})", text)
        if clock:
            hour = int(clock.group(1)) % 24
            if hour < 12 and re.match(r"\s*p\.?\s?m\b", following + " ", re.IGNORECASE):
                hour += 12
            return f"{hour:02d}:{clock.group(2)}"
        digits = re.search(r"\d{1,2}", text)
        return f"{int(digits.group()):02d}:00" if digits else text
    key = _key(surface)
    entry = catalog.lookup(key)
    return entry.id if entry is not None else "?" + key


def predicted_spans(text: str, catalog: Catalog) -> list[Span]:
    spans = []
    for ent in extract(text, NOW, TZ, catalog, phone_region="GB"):
        if ent.type == "place":
            group = "names" if ent.extra.get("kind") in _VENUE_KINDS else "places"
            spans.append(Span(group, str(ent.value), ent.start, ent.end, ent.text))
        elif ent.type in _TYPE_GROUP:
            value = str(ent.extra["weekday"]) if ent.type == "date" else str(ent.value)
            spans.append(Span(_TYPE_GROUP[ent.type], value, ent.start, ent.end, ent.text))
    return spans


def _same(gold: Span, pred: Span) -> bool:
    if not (pred.start < gold.end and gold.start < pred.end):
        return False
    if gold.group in ("names", "places"):
        # Venues are named in both groups (a taxi to 'the junction'); the gold span decides.
        return pred.group in ("names", "places") and (gold.value == pred.value or _key(gold.text) == _key(pred.text))
    return gold.group == pred.group and gold.value == pred.value


def match_line(gold: list[Span], pred: list[Span]) -> Iterator[tuple[str, str, Span]]:
    """Yield ('tp'|'fp'|'fn', group, span); a true positive is credited to the gold span's group."""
    unmatched = list(gold)
    for p in pred:
        hit = next((g for g in unmatched if _same(g, p)), None)
        if hit is None:
            yield "fp", p.group, p
        else:
            unmatched.remove(hit)
            yield "tp", hit.group, hit
    for g in unmatched:
        yield "fn", g.group, g
