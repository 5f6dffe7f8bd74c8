"""Typo-tolerant lookup of catalog places (hotels, restaurants, sights, cities) in free text.

Every word n-gram of the sentence is looked up exactly, then fuzzily with rapidfuzz's
Levenshtein distance on the space-free form, so that 'Colosseo' finds 'Colosseum',
'Hotel Aveniada' finds 'Hotel Avenida' and 'city roomz' finds 'Cityroomz'. The allowed number
of edits grows with length; short names (under 5 letters) must match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ai.nlu.entities.base import Entity, fold, make, word_set

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# Single words that are place names in some catalogs but ordinary words in most sentences:
# they only match when capitalised mid-sentence ('we ask' vs 'dinner at Ask', 'that is nice' vs 'to Nice').
_COMMON = word_set(
    """a an the and or of to in on at for from by with my our your it is be me we i you he she they this that
    home ask place junction college church museum park hotel restaurant station centre center city town gallery
    house lodge theatre theater cinema pool market bridge garden gardens hall square club bar cafe kitchen good
    golden royal old new little grand central north south east west street road way one two time day night
    el la los las de del y en un una casa plaza nice reading bath split mobile deal sale orange victoria"""
)
# Candidate n-grams for fuzzy matching may not start or end with one of these.
_EDGE_STOP = word_set(
    """a an the and or of to in on at for from by with my our your it is be me we i you please near
    el la los las de del y en un una al para por"""
)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: CatalogEntry
    weak: bool  # A common single word: needs capitalisation to count.


def normalize(text: str) -> str:
    return " ".join(tok.group() for tok in _TOKEN.finditer(fold(text).replace("&", " and ")))


def max_edits(length: int) -> int:
    return 0 if length < 5 else 1 if length < 8 else 2 if length < 16 else 3


class Catalog:
    """Index over catalog entries; build it once and pass it to ``extract`` many times."""

    def __init__(self, entries: Iterable[CatalogEntry | Mapping[str, Any] | Any]) -> None:
        self.entries = [_coerce_entry(e) for e in entries]
        self._exact: dict[str, _Alias] = {}
        buckets: dict[str, dict[str, CatalogEntry]] = {}
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                norm = normalize(alias)
                if not norm:
                    continue
                self._add_exact(norm, entry, weak=" " not in norm and norm in _COMMON)
                bare = norm[4:] if norm.startswith("the ") else norm
                # 'the place' must not turn every 'place' into a venue: a bare single word stays weak.
                self._add_exact(bare, entry, weak=" " not in bare and (bare != norm or bare in _COMMON))
                squashed = bare.replace(" ", "")
                if " " in bare or bare not in _COMMON:
                    buckets.setdefault(squashed[:1], {}).setdefault(squashed, entry)
        self._buckets = {k: (list(v), list(v.values())) for k, v in buckets.items()}
        self._max_tokens = max((len(k.split()) for k in self._exact), default=0) + 1

    def _add_exact(self, norm: str, entry: CatalogEntry, weak: bool) -> None:
        current = self._exact.get(norm)
        if current is None or (current.weak and not weak):
            self._exact[norm] = _Alias(entry, weak)

    def lookup(self, name: str) -> CatalogEntry | None:
        """Exact (normalised) lookup of a name or alias."""
        alias = self._exact.get(normalize(name))
        return alias.entry if alias is not None else None

    def find(self, text: str) -> list[Entity]:
        tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
        scored: list[tuple[float, int, int, CatalogEntry, int]] = []
        for i in range(len(tokens)):
            for n in range(min(self._max_tokens, len(tokens) - i), 0, -1):
                words = [t[2] for t in tokens[i : i + n]]
                hit = self._lookup(text, tokens, i, n, words)
                if hit is not None:
                    entry, dist, alias_len = hit
                    scored.append((alias_len - 1.5 * dist, tokens[i][0], tokens[i + n - 1][1], entry, dist))
        # Longer and closer matches first; 'cambridge artworks' beats the city 'cambridge' inside it.
        scored.sort(key=lambda s: (-s[0], s[1]))
        taken: list[tuple[int, int]] = []
        found: list[Entity] = []
        for _score, start, end, entry, dist in scored:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            extra = {"name": entry.name, "kind": entry.kind, "distance": dist}
            found.append(make("place", entry.id, text, start, end, extra))
        return sorted(found, key=lambda e: e.start)

    def _lookup(
        self, text: str, tokens: list[tuple[int, int, str]], i: int, n: int, words: list[str]
    ) -> tuple[CatalogEntry, int, int] | None:
        joined = " ".join(words)
        alias = self._exact.get(joined)
        if alias is not None:
            if alias.weak and not _capitalised_mid_sentence(text, tokens[i][0]):
                return None
            return alias.entry, 0, len(joined.replace(" ", ""))
        if words[0] in _EDGE_STOP or words[-1] in _EDGE_STOP or (n == 1 and words[0] in _COMMON):
            return None
        squashed = joined.replace(" ", "")
        limit = max_edits(len(squashed))
        bucket = self._buckets.get(squashed[:1])
        if limit == 0 or bucket is None:
            return None
        best = process.extractOne(squashed, bucket[0], scorer=Levenshtein.distance, score_cutoff=limit)
        if best is None:
            return None
        choice, dist, index = best
        # The edit budget is judged on the shorter string so 'ely' cannot grow into 'elysium'.
        if dist > max_edits(min(len(choice), len(squashed))):
            return None
        return bucket[1][index], int(dist), len(choice)


def _capitalised_mid_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return text[start].isupper() and bool(before) and before[-1] not in ".!?¿¡:\"'"


def _coerce_entry(item: CatalogEntry | Mapping[str, Any] | Any) -> CatalogEntry:
    if isinstance(item, CatalogEntry):
        return item
    get = item.get if isinstance(item, Mapping) else lambda key, default=None: getattr(item, key, default)
    aliases = get("aliases", ()) or ()
    return CatalogEntry(str(get("id")), str(get("name")), str(get("kind", "place")), tuple(str(a) for a in aliases))
