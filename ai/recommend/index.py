"""Per-organization faiss index of catalog item embeddings, persisted and kept up to date.

* Vectors are MiniLM embeddings of `ItemRecord.embedding_text`, unit length, compared by inner product.
* Up to `recommend_exact_max_items` items the index is exact (`IndexFlatIP`); above it, `IndexHNSWFlat`
  (M=32, efSearch from settings). faiss labels are positions; `ids` maps them back to catalog ids.
* Files: `<data_dir>/index/<org_id>.faiss` and `<org_id>.ids.npz` (ids, text hashes, alive flags and a
  content fingerprint). A file whose fingerprint differs from the catalog is not trusted: its vectors are
  reused only for items whose text hash still matches, the rest are embedded again, and it is rewritten.
* Built lazily on first use (`CatalogIndexes.get`; the wiring builds one `CatalogIndexes` per process).
  Catalog events re-sync a loaded index; every `get` also compares the newest `updated_at` (one index
  lookup), so changes made by other processes are seen; rows are never deleted (retiring is a flag), so the
  newest change is all a watermark needs.
* Retired or re-embedded HNSW entries are masked (`alive`), and the index is rebuilt once masked entries
  pass `MAX_DEAD_SHARE`; the exact index is simply rebuilt, which is cheap at its size.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import faiss
import numpy as np
from sqlalchemy import func, select

from ai.encoder import Encoder
from ai.recommend.catalog_table import Columns, ItemRecord, Vocabulary
from ai.recommend.index_files import SavedIndex, fingerprint, load_index, save_index
from domains.kernel.bus import Event
from domains.kernel.runtime import Hub
from domains.models import CatalogItem

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 128  # 64 builds 2.4× faster but needs about twice the efSearch for the same recall
MAX_DEAD_SHARE = 0.2
# Rows changed this long before the newest change seen are read again on every sync: a transaction that
# committed late with an older `updated_at` is still picked up.
SYNC_SLACK = timedelta(seconds=60)
RECHECK_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class IndexSettings:
    exact_max_items: int
    ef_search: int
    directory: Path


def build_faiss(vectors: np.ndarray, settings: IndexSettings) -> faiss.Index:
    dim = vectors.shape[1]
    if len(vectors) <= settings.exact_max_items:
        index: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = settings.ef_search
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class OrgCatalog:
    """Records, filter columns, vectors and the faiss index of one organization, position-aligned."""

    def __init__(self, org_id: uuid.UUID, settings: IndexSettings, dim: int) -> None:
        self.org_id, self.settings, self.dim = org_id, settings, dim
        self.ids: list[uuid.UUID] = []
        self.positions: dict[uuid.UUID, int] = {}
        self.records: list[ItemRecord] = []
        self.text_hashes: list[str] = []
        self.vocabulary = Vocabulary()
        self.columns = Columns()
        self._vectors = np.zeros((0, dim), np.float32)  # capacity buffer; `vectors` is the used part
        self.faiss: faiss.Index = build_faiss(self._vectors, settings)
        self.watermark: datetime | None = None  # the newest `updated_at` read
        self.checked_at = 0.0

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors[: len(self.ids)]

    @property
    def exact(self) -> bool:
        return isinstance(self.faiss, faiss.IndexFlat)

    @property
    def alive_count(self) -> int:
        return int(self.columns.alive.sum())

    def position_of(self, item_id: uuid.UUID) -> int | None:
        """The item's position if it is live in the index."""
        position = self.positions.get(item_id)
        return position if position is not None and self.columns.alive[position] else None

    # -- building -------------------------------------------------------------------------------------
    def fill(self, records: list[ItemRecord], vectors: np.ndarray, index: faiss.Index | None = None) -> None:
        self.ids = [r.id for r in records]
        self.positions = {r.id: p for p, r in enumerate(records)}
        self.records = list(records)
        self.text_hashes = [r.text_hash for r in records]
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(records), self.dim)
        self.vocabulary, self.columns = Vocabulary(), Columns(len(records))
        for position, record in enumerate(records):
            self.columns.set(position, record, self.vocabulary)
        self.faiss = index if index is not None else build_faiss(self._vectors, self.settings)

    def _append(self, record: ItemRecord, vector: np.ndarray) -> int:
        position = len(self.ids)
        if position == len(self._vectors):
            grown = np.zeros((max(16, 2 * position), self.dim), np.float32)
            grown[:position] = self._vectors[:position]
            self._vectors = grown
        self._vectors[position] = vector
        self.ids.append(record.id)
        self.records.append(record)
        self.text_hashes.append(record.text_hash)
        self.columns.grow(1)
        self.columns.set(position, record, self.vocabulary)
        self.positions[record.id] = position
        return position

    def apply(self, records: list[ItemRecord], fresh: dict[str, np.ndarray]) -> tuple[bool, bool]:
        """Bring these items up to date (`fresh`: vectors by text hash).

        Returns whether anything changed, and whether faiss must be rebuilt."""
        rebuild = changed = False
        for record in records:
            position = self.positions.get(record.id)
            if position is not None and self.records[position] == record:
                continue
            changed = changed or position is not None or record.active
            if position is not None and (not record.active or self.text_hashes[position] == record.text_hash):
                # Same text: same vector. Retired: masked, its vector is never returned.
                self.records[position] = record
                self.columns.set(position, record, self.vocabulary)
                continue
            if not record.active:
                continue
            vector = fresh[record.text_hash]
            if position is not None and self.exact:
                self._vectors[position] = vector
                self.text_hashes[position], self.records[position] = record.text_hash, record
                self.columns.set(position, record, self.vocabulary)
                rebuild = True
                continue
            if position is not None:
                self.columns.alive[position] = False  # HNSW cannot replace in place: mask, append anew
            new_position = self._append(record, vector)
            if self.exact:
                rebuild = True
            else:
                self.faiss.add(vector.reshape(1, -1))
                assert self.faiss.ntotal == new_position + 1
        crossing = self.exact and self.alive_count > self.settings.exact_max_items
        dead_share = 1 - self.alive_count / max(1, len(self.ids))
        return changed, rebuild or crossing or dead_share > MAX_DEAD_SHARE

    def compacted(self) -> tuple[list[ItemRecord], np.ndarray]:
        keep = np.flatnonzero(self.columns.alive)
        return [self.records[p] for p in keep], self.vectors[keep].copy()

    @property
    def paths(self) -> tuple[Path, Path]:
        base = self.settings.directory / str(self.org_id)
        return base.with_suffix(".faiss"), base.with_suffix(".ids.npz")

    def save(self, print_: str) -> None:
        save_index(self.paths, self.faiss, self.ids, self.text_hashes, self.columns.alive, print_)

    def saved(self) -> SavedIndex | None:
        return load_index(self.paths, self.dim)


class CatalogIndexes:
    """The process's loaded catalogs, one per organization, each built on first use.

    The wiring builds one per process and hands it to the assistant, the recommendation route and the
    catalog subscriber, so they all read (and keep in step) the same indexes."""

    def __init__(self, hub: Hub, encoder: Encoder) -> None:
        self.hub = hub
        self.encoder = encoder
        self.settings = IndexSettings(
            hub.settings.recommend_exact_max_items, hub.settings.recommend_hnsw_ef_search, hub.settings.index_dir
        )
        self._catalogs: dict[uuid.UUID, OrgCatalog] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._dirty: set[uuid.UUID] = set()

    def loaded(self, org_id: uuid.UUID) -> OrgCatalog | None:
        return self._catalogs.get(org_id)

    async def get(self, org_id: uuid.UUID) -> OrgCatalog:
        catalog = self._catalogs.get(org_id)
        if catalog is None:
            async with self._locks.setdefault(org_id, asyncio.Lock()):
                if org_id not in self._catalogs:
                    self._catalogs[org_id] = await self._load(org_id)
                return self._catalogs[org_id]
        await self.refresh(org_id)
        return catalog

    async def catalog_changed(self, event: Event) -> None:
        """Right after a catalog change commits: re-sync that organization's loaded index (re-embedding only
        what changed)."""
        await self.refresh(event.org_id, force=True)

    async def refresh(self, org_id: uuid.UUID, *, force: bool = False) -> None:
        """Re-read items changed since the index's watermark, if the catalog moved on (or `force`).

        Forced refreshes (catalog events) coalesce: while one runs, later ones only mark the catalog dirty
        and the running one reads again, so a bulk import costs a few syncs, not one per item.
        """
        catalog = self._catalogs.get(org_id)
        if catalog is None:
            return  # not loaded in this process: it will be built fresh on first use
        lock = self._locks.setdefault(org_id, asyncio.Lock())
        if force:
            self._dirty.add(org_id)
            if lock.locked():
                return
        async with lock:
            while True:
                forced = org_id in self._dirty
                self._dirty.discard(org_id)
                await self._sync(catalog, org_id, forced)
                if org_id not in self._dirty:
                    return

    async def _sync(self, catalog: OrgCatalog, org_id: uuid.UUID, forced: bool) -> None:
        watermark = await self._watermark(org_id)
        overdue = time.monotonic() - catalog.checked_at > RECHECK_SECONDS
        if watermark == catalog.watermark and not (forced or overdue):
            return
        newest_seen = catalog.watermark
        rows = await self._rows(org_id, newest_seen - SYNC_SLACK if newest_seen else None)
        records = [ItemRecord.of(row) for row in rows]
        unchanged = {
            r.id
            for r in records
            if r.id in catalog.positions and catalog.text_hashes[catalog.positions[r.id]] == r.text_hash
        }
        fresh = await self._embed(
            {r.text_hash: r.embedding_text for r in records if r.active and r.id not in unchanged}
        )
        changed, rebuild = catalog.apply(records, fresh)
        if rebuild:
            kept, vectors = catalog.compacted()
            index = await asyncio.to_thread(build_faiss, vectors, self.settings)
            catalog.fill(kept, vectors, index)
        catalog.watermark, catalog.checked_at = watermark, time.monotonic()
        if changed:
            alive = [r for p, r in enumerate(catalog.records) if catalog.columns.alive[p]]
            await asyncio.to_thread(catalog.save, fingerprint(alive, catalog.dim))

    async def _load(self, org_id: uuid.UUID) -> OrgCatalog:
        dim = await asyncio.to_thread(lambda: self.encoder.dimension)
        catalog = OrgCatalog(org_id, self.settings, dim)
        watermark = await self._watermark(org_id)
        records = [ItemRecord.of(row) for row in await self._rows(org_id, None) if row.active]
        current = fingerprint(records, dim)
        saved = await asyncio.to_thread(catalog.saved)
        if saved is not None and saved.fingerprint == current:
            ids, alive, index = saved.ids, saved.alive, saved.index
            by_id = {r.id: r for r in records}
            kept = [(p, by_id[i]) for p, i in enumerate(ids) if alive[p] and i in by_id]
            everything = await asyncio.to_thread(index.reconstruct_n, 0, index.ntotal)
            vectors = everything[[p for p, _ in kept]]
            if len(kept) == len(ids):
                catalog.fill([r for _, r in kept], vectors, index)
            else:  # masked entries in the file: compact once, and save, so the next start reads it as is
                index = await asyncio.to_thread(build_faiss, vectors, self.settings)
                catalog.fill([r for _, r in kept], vectors, index)
                await asyncio.to_thread(catalog.save, current)
        else:
            known: dict[str, np.ndarray] = {}
            if saved is not None:  # stale file: keep the vectors of texts that did not change
                vectors = await asyncio.to_thread(saved.index.reconstruct_n, 0, saved.index.ntotal)
                known = {h: vectors[p] for p, h in enumerate(saved.text_hashes) if saved.alive[p]}
            wanted = {r.text_hash: r.embedding_text for r in records if r.text_hash not in known}
            known.update(await self._embed(wanted))
            vectors = np.stack([known[r.text_hash] for r in records]) if records else np.zeros((0, dim), np.float32)
            index = await asyncio.to_thread(build_faiss, vectors, self.settings)
            catalog.fill(records, vectors, index)
            await asyncio.to_thread(catalog.save, current)
        catalog.watermark, catalog.checked_at = watermark, time.monotonic()
        return catalog

    async def _embed(self, texts_by_hash: dict[str, str]) -> dict[str, np.ndarray]:
        if not texts_by_hash:
            return {}
        vectors = await self.encoder.aencode(list(texts_by_hash.values()))  # on the encoder's worker thread
        return dict(zip(texts_by_hash, vectors, strict=True))

    async def _watermark(self, org_id: uuid.UUID) -> datetime | None:
        """The newest change: max(updated_at) is one lookup in the (org_id, updated_at) index, a count is not."""
        async with self.hub.unit_of_work(org_id) as uow:
            query = select(func.max(CatalogItem.updated_at)).where(CatalogItem.org_id == org_id)
            newest = await uow.session.scalar(query)
        if newest is not None and newest.tzinfo is None:  # aggregates may skip the column type on SQLite
            newest = newest.replace(tzinfo=UTC)
        return newest

    async def _rows(self, org_id: uuid.UUID, since: datetime | None) -> Sequence[CatalogItem]:
        async with self.hub.unit_of_work(org_id) as uow:
            query = select(CatalogItem).where(CatalogItem.org_id == org_id)
            if since is not None:
                query = query.where(CatalogItem.updated_at >= since)
            return (await uow.session.execute(query.order_by(CatalogItem.id))).scalars().all()
