"""Each organization's dispatch board hears its own changes and its own people coming online, nobody else's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from domains.kernel.runtime import Hub
from domains.kernel.security import Role
from tests.support.builders import Person, a_person, an_organization, bearer, sign_in
from tests.support.live import LiveClient
from tests.support.server import RunningHub


@asynccontextmanager
async def on_the_board(server: RunningHub, http: httpx.AsyncClient, person: Person) -> AsyncIterator[LiveClient]:
    client = LiveClient(person.user.name)
    client.sio.on("board:presence", client._recorder("board:presence"))
    await client.connect(server.url, (await sign_in(http, person))["access_token"])
    try:
        assert (await client.join("board:dispatch"))["ok"]
        yield client
    finally:
        await client.close()


async def create_group(http: httpx.AsyncClient, person: Person, name: str) -> str:
    body = {"name": name, "start_date": "2027-06-01", "end_date": "2027-06-05"}
    response = await http.post("/api/v1/groups", json=body, headers=bearer(await sign_in(http, person)))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_board_hears_only_its_own_organization(server: RunningHub, http: httpx.AsyncClient, hub: Hub) -> None:
    lisbon, porto = await an_organization(hub, "Lisbon Tours"), await an_organization(hub, "Porto Tours")
    dana = await a_person(hub, lisbon, Role.DISPATCHER, "Dana")
    pedro = await a_person(hub, porto, Role.DISPATCHER, "Pedro")

    async with on_the_board(server, http, dana) as dana_board, on_the_board(server, http, pedro) as pedro_board:
        lisbon_group = await create_group(http, dana, "Lisbon Spring")
        await dana_board.wait_for("board:update", lambda d: d.get("group_id") == lisbon_group)
        # Porto's own change arrives after Lisbon's was sent: by then Lisbon's would have arrived too.
        porto_group = await create_group(http, pedro, "Porto Autumn")
        await pedro_board.wait_for("board:update", lambda d: d.get("group_id") == porto_group)

        assert all(update.get("org_id") == str(porto.id) for update in pedro_board.received["board:update"])
        assert lisbon_group not in {update.get("group_id") for update in pedro_board.received["board:update"]}


async def test_the_board_sees_people_come_online_and_leave(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon, porto = await an_organization(hub, "Lisbon Tours"), await an_organization(hub, "Porto Tours")
    dana = await a_person(hub, lisbon, Role.DISPATCHER, "Dana")
    dmitri = await a_person(hub, lisbon, Role.DRIVER, "Dmitri")
    pedro = await a_person(hub, porto, Role.DISPATCHER, "Pedro")
    paulo = await a_person(hub, porto, Role.DRIVER, "Paulo")

    async with on_the_board(server, http, dana) as dana_board, on_the_board(server, http, pedro) as pedro_board:
        driver = LiveClient("Dmitri")
        await driver.connect(server.url, (await sign_in(http, dmitri))["access_token"])
        online = await dana_board.wait_for("board:presence", lambda d: d["user_id"] == str(dmitri.user.id))
        assert online["online"] is True
        await driver.close()
        gone = await dana_board.wait_for(
            "board:presence", lambda d: d["user_id"] == str(dmitri.user.id) and not d["online"]
        )
        assert gone == {"user_id": str(dmitri.user.id), "online": False}

        other = LiveClient("Paulo")
        await other.connect(server.url, (await sign_in(http, paulo))["access_token"])
        await pedro_board.wait_for("board:presence", lambda d: d["user_id"] == str(paulo.user.id))
        await other.close()
        assert str(dmitri.user.id) not in {d["user_id"] for d in pedro_board.received["board:presence"]}


async def say(board: LiveClient, client_id: str, text: str) -> int:
    sent = await board.call("chat:send", {"room": "board:dispatch", "client_id": client_id, "text": text})
    assert sent["ok"], sent
    return int(sent["message"]["seq"])


async def test_each_organizations_board_chat_counts_replays_and_pages_its_own_messages(
    server: RunningHub, http: httpx.AsyncClient, hub: Hub
) -> None:
    lisbon, porto = await an_organization(hub, "Lisbon Tours"), await an_organization(hub, "Porto Tours")
    dana = await a_person(hub, lisbon, Role.DISPATCHER, "Dana")
    pedro = await a_person(hub, porto, Role.DISPATCHER, "Pedro")

    async with on_the_board(server, http, dana) as dana_board, on_the_board(server, http, pedro) as pedro_board:
        # The two operators talk at once: each one's messages count 1, 2, 3 on its own board.
        dana_seqs, pedro_seqs = [], []
        for n in range(3):
            dana_seqs.append(await say(dana_board, f"d-{n}", f"Lisbon bus {n} is late"))
            pedro_seqs.append(await say(pedro_board, f"p-{n}", f"Porto driver {n} is here"))
        heard = await pedro_board.wait_for("chat:message", lambda m: m["seq"] == 3)

        assert dana_seqs == [1, 2, 3] and pedro_seqs == [1, 2, 3]
        assert heard["message"]["text"] == "Porto driver 2 is here"
        assert {m["message"]["text"] for m in pedro_board.received["chat:message"]} == {
            f"Porto driver {n} is here" for n in range(3)
        }

    # Pedro comes back having seen his first message: he gets exactly his board's next two, nothing of Lisbon's.
    async with on_the_board(server, http, pedro) as pedro_again:
        rejoined = await pedro_again.join("board:dispatch", since=1)
        history = await pedro_again.call("chat:history", {"room": "board:dispatch", "limit": 50})

    assert rejoined["seq"] == 3 and rejoined["resync"] is False
    assert [(e["seq"], e["message"]["text"]) for e in rejoined["missed"]] == [
        (2, "Porto driver 1 is here"),
        (3, "Porto driver 2 is here"),
    ]
    assert [(m["seq"], m["text"]) for m in history["messages"]] == [
        (n + 1, f"Porto driver {n} is here") for n in range(3)
    ]
