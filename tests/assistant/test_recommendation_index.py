"""The catalog index: built on first use, persisted and reloaded, kept in step with catalog changes, HNSW when big."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from ai.encoder import Encoder
from ai.recommend.index import CatalogIndexes
from ai.recommend.recommendations import recommend_for_group
from domains.catalog.events import CatalogItemAdded, CatalogItemChanged, CatalogItemRetired
from domains.catalog.schemas import CatalogItemUpdate
from domains.catalog.service import CatalogService
from domains.kernel.runtime import Hub
from tests.support.backends import Backend
from tests.support.builders import an_organization
from tests.support.catalog_world import LISBON, a_catalog, a_group, an_item


async def test_the_index_is_saved_and_a_new_process_reloads_it_without_embedding_again(
    hub: Hub, indexes: CatalogIndexes, backend: Backend, data_dir: Path
) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Curious")
    first = await recommend_for_group(indexes, org.id, group.id, k=5)
    built = indexes.loaded(org.id)
    assert built is not None and built.exact
    saved = data_dir / "index" / f"{org.id}.faiss"
    written = saved.stat().st_mtime_ns

    restarted = Hub(backend.settings(data_dir))
    try:
        restarted_indexes = CatalogIndexes(restarted, indexes.encoder)
        again = await recommend_for_group(restarted_indexes, org.id, group.id, k=5)
        reloaded = restarted_indexes.loaded(org.id)
        assert reloaded is not None
        # The fingerprint matched: the file was used as it is, not rebuilt and rewritten.
        assert saved.stat().st_mtime_ns == written
        assert reloaded.faiss.ntotal == len(LISBON)
        assert np.allclose(reloaded.vectors, built.vectors[[built.positions[i] for i in reloaded.ids]])
        assert [r.item_id for r in again] == [r.item_id for r in first]
    finally:
        await restarted.close()


async def test_a_stale_file_is_rebuilt_from_the_catalog(
    hub: Hub, indexes: CatalogIndexes, backend: Backend, data_dir: Path
) -> None:
    org = await an_organization(hub)
    items = await a_catalog(hub, org)
    group = await a_group(hub, org, "Curious", interests=["fado"])
    await recommend_for_group(indexes, org.id, group.id)
    saved = (data_dir / "index" / f"{org.id}.faiss").stat().st_mtime_ns

    # Another process (no subscriber here) renames an item while this one is down.
    other = Hub(backend.settings(data_dir))
    try:
        async with other.unit_of_work(org.id) as uow:
            await CatalogService(uow.session, uow.bus).update_item(
                items["Fado night in Alfama"].id, CatalogItemUpdate(name="Fado and petiscos night in Alfama")
            )
        fresh = await recommend_for_group(
            CatalogIndexes(other, indexes.encoder), org.id, group.id, kind="activity", k=1
        )
    finally:
        await other.close()

    assert fresh[0].name == "Fado and petiscos night in Alfama"
    assert (data_dir / "index" / f"{org.id}.faiss").stat().st_mtime_ns != saved


async def test_catalog_changes_reach_the_index_as_they_commit(hub: Hub, indexes: CatalogIndexes) -> None:
    hub.subscribers.subscribe(indexes.catalog_changed, CatalogItemAdded, CatalogItemChanged, CatalogItemRetired)
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Climbers", interests=["climbing"])
    await recommend_for_group(indexes, org.id, group.id)  # loads the index
    index = indexes.loaded(org.id)
    assert index is not None

    async with hub.unit_of_work(org.id) as uow:
        wall = await CatalogService(uow.session, uow.bus).add_item(
            org.id, an_item("activity", "Indoor climbing wall session", tags=["climbing", "sport"])
        )
    assert index.position_of(wall.id) is not None  # synced by the subscriber, before anyone asks
    assert (await recommend_for_group(indexes, org.id, group.id, k=1))[0].name == "Indoor climbing wall session"

    async with hub.unit_of_work(org.id) as uow:
        await CatalogService(uow.session, uow.bus).retire_item(wall.id)
    assert index.position_of(wall.id) is None
    assert "Indoor climbing wall session" not in [
        r.name for r in await recommend_for_group(indexes, org.id, group.id, k=20)
    ]


async def test_above_the_threshold_the_index_is_hnsw_and_still_finds_the_best_items(
    backend: Backend, data_dir: Path, encoder: Encoder
) -> None:
    hub = Hub(backend.settings(data_dir, recommend_exact_max_items=8))
    indexes = CatalogIndexes(hub, encoder)
    hub.subscribers.subscribe(indexes.catalog_changed, CatalogItemAdded, CatalogItemChanged, CatalogItemRetired)
    try:
        org = await an_organization(hub)
        await a_catalog(hub, org, LISBON[:6])
        group = await a_group(hub, org, "Night owls", interests=["fado music"])
        await recommend_for_group(indexes, org.id, group.id)
        index = indexes.loaded(org.id)
        assert index is not None and index.exact

        await a_catalog(hub, org, LISBON[6:])  # 13 items now: over the threshold of 8
        index = indexes.loaded(org.id)
        assert index is not None and isinstance(index.faiss, faiss.IndexHNSWFlat)
        activities = await recommend_for_group(indexes, org.id, group.id, kind="activity", k=1)
        assert activities[0].name == "Fado night in Alfama"

        # A changed text is masked and appended in HNSW; the old vector never comes back.
        fado = next(r for r in index.records if r.name == "Fado night in Alfama")
        async with hub.unit_of_work(org.id) as uow:
            await CatalogService(uow.session, uow.bus).update_item(
                fado.id, CatalogItemUpdate(description="Fado singers every night, with dinner")
            )
        index = indexes.loaded(org.id)
        assert index is not None and index.faiss.ntotal == len(LISBON) + 1 and index.alive_count == len(LISBON)
        assert [r.name for r in await recommend_for_group(indexes, org.id, group.id, kind="activity", k=5)].count(
            "Fado night in Alfama"
        ) == 1
    finally:
        await hub.close()

    # A restarted process reads the HNSW index back; the masked entry is compacted away once, and saved.
    for _ in range(2):
        restarted = Hub(backend.settings(data_dir, recommend_exact_max_items=8))
        try:
            restarted_indexes = CatalogIndexes(restarted, indexes.encoder)
            activities = await recommend_for_group(restarted_indexes, org.id, group.id, kind="activity", k=5)
            reloaded = restarted_indexes.loaded(org.id)
            assert reloaded is not None and isinstance(reloaded.faiss, faiss.IndexHNSWFlat)
            assert reloaded.faiss.ntotal == len(LISBON)
            assert [r.name for r in activities].count("Fado night in Alfama") == 1
        finally:
            await restarted.close()


async def test_an_organization_without_a_catalog_gets_nothing_until_the_first_item(
    hub: Hub, indexes: CatalogIndexes
) -> None:
    hub.subscribers.subscribe(indexes.catalog_changed, CatalogItemAdded, CatalogItemChanged, CatalogItemRetired)
    org = await an_organization(hub)
    group = await a_group(hub, org, "Early adopters", interests=["wine"])

    assert await recommend_for_group(indexes, org.id, group.id) == []

    await a_catalog(hub, org, [an_item("tour", "Alentejo wine day", city="Lisbon", tags=["wine"])])
    assert [r.name for r in await recommend_for_group(indexes, org.id, group.id)] == ["Alentejo wine day"]


async def test_a_change_made_by_another_process_is_seen_on_the_next_query(
    hub: Hub, indexes: CatalogIndexes, backend: Backend, data_dir: Path
) -> None:
    org = await an_organization(hub)
    await a_catalog(hub, org)
    group = await a_group(hub, org, "Climbers", interests=["climbing"])
    await recommend_for_group(indexes, org.id, group.id)  # this process has the index loaded

    other = Hub(backend.settings(data_dir / "other-process"))  # its own bus: this one hears no event
    try:
        async with other.unit_of_work(org.id) as uow:
            await CatalogService(uow.session, uow.bus).add_item(
                org.id, an_item("activity", "Indoor climbing wall session", tags=["climbing", "sport"])
            )
    finally:
        await other.close()

    assert (await recommend_for_group(indexes, org.id, group.id, k=1))[0].name == "Indoor climbing wall session"
