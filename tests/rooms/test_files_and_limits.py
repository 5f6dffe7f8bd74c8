"""Files shared in a room, and the limits that keep one client from hurting the others."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domains.kernel.runtime import Hub
from tests.support.backends import Backend
from tests.support.builders import a_tour_group, bearer, sign_in
from tests.support.images import a_photo
from tests.support.live import LiveClient
from tests.support.server import RunningHub, http_client, running_hub

PNG = a_photo("PNG")  # a real one: images must decode as what they claim


async def test_a_coordinator_shares_a_photo_with_the_group(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon = await a_tour_group(hub)
    carla_tokens, ana_tokens = await sign_in(http, lisbon.coordinator), await sign_in(http, lisbon.guide)
    ana = LiveClient("ana")
    await ana.connect(server.url, ana_tokens["access_token"])
    try:
        await ana.join(lisbon.room)
        upload = await http.post(
            f"/api/v1/rooms/{lisbon.room}/files",
            files={"file": ("../../etc/bus stop.png", PNG, "text/plain")},  # the claimed type is ignored
            headers=bearer(carla_tokens),
        )
        assert upload.status_code == 201, upload.text
        file = upload.json()["file"]
        assert file["name"] == "bus stop.png" and file["content_type"] == "image/png" and file["size"] == len(PNG)

        shared = await ana.wait_for("file:shared")
        assert shared["file"] == file and shared["room"] == lisbon.room
        history = (await ana.call("chat:history", {"room": lisbon.room}))["messages"]
        assert history[-1]["kind"] == "file" and history[-1]["file"]["id"] == file["id"]
    finally:
        await ana.close()

    download = await http.get(file["url"], headers=bearer(ana_tokens))
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png"

    outsider = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)
    tom_elsewhere = bearer(await sign_in(http, outsider.traveler))
    assert (await http.get(file["url"], headers=tom_elsewhere)).status_code == 403


async def test_uploads_are_refused_when_too_big_forbidden_or_dangerous(
    backend: Backend, hub: Hub, tmp_path: Path
) -> None:
    lisbon = await a_tour_group(hub)
    settings = backend.settings(tmp_path, upload_max_bytes=1024)
    async with running_hub(settings) as small, http_client(small.url) as http:
        carla = bearer(await sign_in(http, lisbon.coordinator))
        big = await http.post(
            f"/api/v1/rooms/{lisbon.room}/files", files={"file": ("big.txt", b"x" * 5000)}, headers=carla
        )
        assert big.status_code == 413 and "limit" in big.json()["detail"]

        elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
        binary = await http.post(f"/api/v1/rooms/{lisbon.room}/files", files={"file": ("tool", elf)}, headers=carla)
        assert binary.status_code == 415

        no_file = await http.post(f"/api/v1/rooms/{lisbon.room}/files", data={"note": "hi"}, headers=carla)
        assert no_file.status_code in (400, 422)

        other = await a_tour_group(hub, "Porto Autumn", org=lisbon.org)
        tom = bearer(await sign_in(http, other.traveler))
        refused = await http.post(f"/api/v1/rooms/{lisbon.room}/files", files={"file": ("a.txt", b"hi")}, headers=tom)
        assert refused.status_code == 403
    assert not any(path.name.startswith(".upload-") for path in settings.files_dir.rglob("*"))


@pytest.fixture
async def tom(server: RunningHub, http: httpx.AsyncClient, hub: Hub) -> AsyncIterator[tuple[LiveClient, str]]:
    lisbon = await a_tour_group(hub)
    client = LiveClient("tom")
    await client.connect(server.url, (await sign_in(http, lisbon.traveler))["access_token"])
    await client.join(lisbon.room)
    yield client, lisbon.room
    await client.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
CLIENT_EVENTS = ["room:join", "room:leave", "chat:send", "chat:history", "chat:edit", "chat:delete", "chat:read",
                 "presence:typing", "presence:set", "no:such-event"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=st.sampled_from(CLIENT_EVENTS), payload=JSON_VALUES, with_room=st.booleans())
async def test_any_payload_gets_an_answer_and_the_connection_stays_up(
    tom: tuple[LiveClient, str], event: str, payload: object, with_room: bool
) -> None:
    client, room = tom
    if with_room and isinstance(payload, dict):
        payload = payload | {"room": room}
    if event == "no:such-event":
        await client.sio.emit(event, payload)
    else:
        ack = await client.call(event, payload)
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
        if not ack["ok"]:
            assert ack["error"] in {"invalid", "forbidden", "not_found", "conflict", "payload_too_large"}, ack
    # A well-behaved request still works afterwards on the same connection (rejoining, in case it left).
    assert (await client.join(room))["ok"] is True
    assert (await client.call("chat:history", {"room": room, "limit": 1}))["ok"] is True


async def test_an_oversized_payload_is_refused_without_dropping_the_connection(tom: tuple[LiveClient, str]) -> None:
    client, room = tom
    huge = await client.call("chat:send", {"room": room, "client_id": "big", "text": "x" * 200_000})
    assert huge["ok"] is False and huge["error"] == "payload_too_large"
    assert (await client.call("chat:send", {"room": room, "client_id": "ok", "text": "fine"}))["ok"] is True


async def test_a_flooding_client_is_rate_limited_and_stays_connected(
    backend: Backend, hub: Hub, tmp_path: Path
) -> None:
    lisbon = await a_tour_group(hub)
    # A bucket that barely refills: on a loaded machine eight calls can take seconds, and a refill
    # in between would let one of the last three through.
    settings_ = backend.settings(tmp_path, socket_event_burst=5, socket_events_per_second=0.01)
    async with running_hub(settings_) as strict, http_client(strict.url) as http:
        client = LiveClient("flood")
        await client.connect(strict.url, (await sign_in(http, lisbon.coordinator))["access_token"])
        try:
            acks = [await client.call("chat:history", {"room": "nowhere"}) for _ in range(8)]
            assert [a.get("error") for a in acks[5:]] == ["rate_limited"] * 3
            assert client.sio.connected
            metrics = (await http.get("/metrics")).text
        finally:
            await client.close()
    assert "hub_socket_rate_limited_total" in metrics
    assert 'hub_socket_events_in_total{event="chat:history"}' in metrics
    for name in ("hub_socket_connections", "hub_socket_refused_joins_total", "hub_socket_replayed_events_total"):
        assert name in metrics


async def test_the_hub_restarts_and_a_client_still_catches_up(backend: Backend, hub: Hub, tmp_path: Path) -> None:
    lisbon = await a_tour_group(hub)
    async with (
        running_hub(backend.settings(tmp_path / "first")) as first,
        http_client(first.url) as http,
    ):
        carla = LiveClient("carla")
        await carla.connect(first.url, (await sign_in(http, lisbon.coordinator))["access_token"])
        await carla.join(lisbon.room)
        for n in range(5):
            await carla.call("chat:send", {"room": lisbon.room, "client_id": f"r-{n}", "text": f"before restart {n}"})
        await carla.close()

    async with (
        running_hub(backend.settings(tmp_path / "second")) as second,
        http_client(second.url) as http,
    ):
        ana = LiveClient("ana")
        await ana.connect(second.url, (await sign_in(http, lisbon.guide))["access_token"])
        rejoined = await ana.join(lisbon.room, since=2)
        await ana.close()
    assert [e["message"]["text"] for e in rejoined["missed"]] == [f"before restart {n}" for n in (2, 3, 4)]
    assert json.dumps(rejoined)  # everything in the ack is plain JSON
