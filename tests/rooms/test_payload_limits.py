"""Tom's phone sends the hub things no form would: huge, deeply nested or broken text. He gets an error ack
and his connection stays up; past the transport cap the connection closes, as docs/realtime.md says."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from socketio.packet import Packet

from domains.kernel.errors import TooLarge
from domains.kernel.runtime import Hub
from realtime.packets import Refused, bounded_packet
from realtime.server import TRANSPORT_BUFFER_BYTES
from tests.support.builders import a_tour_group, sign_in
from tests.support.live import PATIENCE_SECONDS, LiveClient
from tests.support.server import RunningHub


@dataclass
class Tom:
    client: LiveClient
    room: str

    async def still_chats(self, client_id: str) -> None:
        sent = await self.client.call("chat:send", {"room": self.room, "client_id": client_id, "text": "still here"})
        assert sent["ok"] is True, sent


@pytest.fixture(params=["websocket", "polling"])
async def tom(
    request: pytest.FixtureRequest, server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> AsyncIterator[Tom]:
    lisbon = await a_tour_group(hub)
    client = LiveClient("tom")
    await client.connect(server.url, (await sign_in(http, lisbon.traveler))["access_token"], transport=request.param)
    await client.join(lisbon.room)
    yield Tom(client, lisbon.room)
    await client.close()


def nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


async def test_a_payload_above_the_old_one_mebibyte_cap_gets_an_ack_and_the_connection_stays(tom: Tom) -> None:
    two_mebibytes = "x" * (2 * 1024 * 1024)
    ack = await tom.client.call("chat:send", {"room": tom.room, "client_id": "big", "text": two_mebibytes})
    assert ack == {"ok": False, "error": "payload_too_large", "message": "the payload is larger than 65536 bytes"}
    assert tom.client.sio.connected
    await tom.still_chats("after-big")


async def test_a_deeply_nested_payload_is_invalid_without_a_traceback(
    tom: Tom, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="realtime")
    # As deep as the Python client's own encoder goes comfortably (test_the_door_refuses_without_parsing
    # goes to 100,000); the server refuses anything past 64 levels unparsed.
    ack = await tom.client.call("chat:send", {"room": tom.room, "client_id": "deep", "text": nested(300)})
    assert ack["ok"] is False and ack["error"] == "invalid" and "nested too deeply" in ack["message"]
    await tom.still_chats("after-deep")
    refusals = [r for r in caplog.records if r.name.startswith("realtime") and "refused" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].exc_info is None


async def test_a_lone_surrogate_is_invalid_with_one_log_line_and_no_traceback(
    tom: Tom, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for event, payload in (
        ("chat:send", {"room": tom.room, "client_id": "s1", "text": "Help \ud800"}),
        ("chat:send", {"room": tom.room, "client_id": "s2", "text": "ok", "\udfff": 1}),
        ("room:join", {"room": "group:\ud800"}),
        ("presence:set", {"status": "\ud800"}),
    ):
        ack = await tom.client.call(event, payload)
        assert ack["ok"] is False and ack["error"] == "invalid", (event, ack)
        assert "lone surrogate" in ack["message"], ack
    await tom.still_chats("after-surrogates")
    server_records = [r for r in caplog.records if r.name.startswith("realtime")]
    assert not [r for r in server_records if r.exc_info or r.levelno >= logging.ERROR]
    assert len([r for r in server_records if "lone surrogate" in r.getMessage()]) == 4


async def test_integers_beyond_a_database_column_are_invalid_and_named(tom: Tom) -> None:
    for event, payload, field in (
        ("room:join", {"room": tom.room, "since": 2**63}, "since"),
        ("chat:history", {"room": tom.room, "before_seq": 615673132830601117696}, "before_seq"),
        ("chat:history", {"room": tom.room, "limit": 2**31}, "limit"),
        ("chat:read", {"room": tom.room, "seq": 2**40}, "seq"),
    ):
        ack = await tom.client.call(event, payload)
        assert ack["ok"] is False and ack["error"] == "invalid" and f"$.{field}" in ack["message"], (event, ack)
    await tom.still_chats("after-integers")


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_past_the_transport_cap_the_connection_closes(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub, transport: str
) -> None:
    lisbon = await a_tour_group(hub)
    client = LiveClient("tom")
    gone = asyncio.Event()
    client.sio.on("disconnect", lambda *_: gone.set())
    await client.connect(server.url, (await sign_in(http, lisbon.traveler))["access_token"], transport=transport)
    try:
        await client.join(lisbon.room)
        too_big = "x" * TRANSPORT_BUFFER_BYTES
        await client.sio.emit("chat:send", {"room": lisbon.room, "client_id": "x", "text": too_big})
        await asyncio.wait_for(gone.wait(), PATIENCE_SECONDS)
        assert not client.sio.connected
    finally:
        await client.close()


def test_the_door_refuses_without_parsing() -> None:
    packet_class = bounded_packet(1_000_000)
    deep_text = '21["chat:send",' + "[" * 100_000 + "]" * 100_000 + "]"
    with pytest.raises(RecursionError):
        Packet(encoded_packet=deep_text)  # python-socketio's own decoder, as the hub used it before
    deep = packet_class(encoded_packet=deep_text)
    assert deep.id == 1 and deep.data[0] == "chat:send" and isinstance(deep.data[1], Refused)
    assert "nested too deeply" in deep.data[1].error.message
    big = packet_class(encoded_packet='22["chat:send",{"text":"' + "x" * 1_002_000 + '"}]')
    assert isinstance(big.data[1], Refused) and isinstance(big.data[1].error, TooLarge)
    fine = packet_class(encoded_packet='23["chat:send",{"text":"[[[[ a smiley ]]]]"}]')
    assert fine.data == ["chat:send", {"text": "[[[[ a smiley ]]]]"}]
