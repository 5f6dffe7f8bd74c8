"""Live itinerary: ops applied per second on one itinerary with 5 concurrent editors, and the delay from
sending an op to the other editors receiving its `itinerary:applied`, on SQLite and on PostgreSQL.

`python -m bench.itinerary [--seconds 10] [--editors 5] [--backends sqlite,postgres]`

Per backend it does what a user would: a fresh data dir (and, for PostgreSQL, a fresh database on
HUB_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432, dropped afterwards), `python -m hub
migrate`, `python -m hub create-user` (an admin), `python -m hub run` on a free port; then over HTTP the admin
creates the editors (coordinators) and a group, and each editor connects with python-socketio (websocket),
joins the group room, adds a few items and then edits for `--seconds`: set_fields mostly, some moves and
adds, each op sent as soon as the previous one's ack arrived. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import socketio

PASSWORD = "bench-password-1234"  # throwaway accounts in a throwaway database
DAYS = ["2027-05-01", "2027-05-02", "2027-05-03"]
PG_ADMIN_URL = os.environ.get("HUB_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# The benchmark chooses the database itself; inherited settings must not leak in.
DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "HUB_DATABASE_URL", "HUB_REDIS_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def hub_process(database_url: str | None, work: Path) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(
        HUB_ENV="development",
        HUB_DATA_DIR=str(work / "data"),
        HUB_JWT_SECRET=secrets.token_hex(32),
        HUB_SOCKET_EVENT_BURST="100000",
        HUB_SOCKET_EVENTS_PER_SECOND="100000",
        HUB_SCHEDULER_ENABLED="false",
        HUB_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    run = {"env": env, "cwd": work, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "hub", "migrate"], **run)  # type: ignore[call-overload]
    admin = ["--email", "admin@bench.test", "--name", "Bench Admin", "--role", "admin", "--org", "bench"]
    subprocess.run(
        [sys.executable, "-m", "hub", "create-user", *admin],
        **run | {"env": env | {"HUB_NEW_PASSWORD": PASSWORD}},  # type: ignore[call-overload]
    )
    port = free_port()
    with (work / "hub.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hub", "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so we stop exactly what we started
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the hub exited; see {work / 'hub.log'}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the hub did not become healthy within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


async def prepare(url: str, editors: int) -> tuple[str, list[str]]:
    """A group and `editors` signed-in coordinators; returns the group id and their tokens."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:

        async def login(email: str) -> str:
            response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
            response.raise_for_status()
            return str(response.json()["access_token"])

        admin = {"Authorization": f"Bearer {await login('admin@bench.test')}"}
        emails = [f"editor{n}@bench.test" for n in range(editors)]
        for n, email in enumerate(emails):
            user = {"email": email, "name": f"Editor {n}", "role": "coordinator", "password": PASSWORD}
            (await http.post("/api/v1/users", json=user, headers=admin)).raise_for_status()
        group = {"name": "Bench Trip", "start_date": DAYS[0], "end_date": DAYS[-1], "timezone": "Europe/Lisbon"}
        created = await http.post("/api/v1/groups", json=group, headers=admin)
        created.raise_for_status()
        return str(created.json()["id"]), [await login(email) for email in emails]


class Editor:
    def __init__(self, name: str, sent_at: dict[str, float], delays: list[float]) -> None:
        self.name = name
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sent_at, self.delays = sent_at, delays
        self.items: list[str] = []
        self.seq = 0
        self.applied = 0
        self.refused = 0
        self.sio.on("itinerary:applied", self.on_applied)

    async def on_applied(self, event: dict[str, Any]) -> None:
        self.seq = max(self.seq, event["seq"])
        op = event["op"]
        if op["type"] == "add_item" and op["item_id"] not in self.items:
            self.items.append(op["item_id"])
        sent = self.sent_at.get(event["client_op_id"])
        if sent is not None and event["author"]["name"] != self.name:
            self.delays.append(time.perf_counter() - sent)

    async def send(self, group_id: str, op: dict[str, Any]) -> None:
        client_op_id = uuid.uuid4().hex
        self.sent_at[client_op_id] = time.perf_counter()
        ack = await self.sio.call(
            "itinerary:op",
            {"group_id": group_id, "client_op_id": client_op_id, "base_seq": self.seq, "op": op},
            timeout=30,
        )
        if ack.get("ok"):
            self.applied += 1
            self.seq = max(self.seq, ack["seq"])
        else:
            self.refused += 1

    def next_op(self, rng: random.Random) -> dict[str, Any]:
        roll = rng.random()
        if roll < 0.1 or not self.items:
            item_id = str(uuid.uuid4())
            self.items.append(item_id)
            fields = {"title": f"Stop {len(self.items)}", "kind": "visit"}
            return {"type": "add_item", "item_id": item_id, "day": rng.choice(DAYS), "after": None, "fields": fields}
        item_id = rng.choice(self.items)
        if roll < 0.25:
            after = rng.choice([None, *self.items])
            return {"type": "move_item", "item_id": item_id, "day": rng.choice(DAYS), "after": after}
        hour = rng.randrange(7, 20)
        fields = rng.choice(
            [{"title": f"Visit {rng.randrange(1000)}"}, {"notes": "bring water"}, {"start": f"{hour:02d}:00"}]
        )
        return {"type": "set_fields", "item_id": item_id, "fields": fields}


async def measure(url: str, editors: int, seconds: float) -> dict[str, float]:
    group_id, tokens = await prepare(url, editors)
    sent_at: dict[str, float] = {}
    delays: list[float] = []
    crew = [Editor(f"Editor {n}", sent_at, delays) for n in range(editors)]
    for editor, token in zip(crew, tokens, strict=True):
        await editor.sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        joined = await editor.sio.call("room:join", {"room": f"group:{group_id}"}, timeout=10)
        assert joined.get("ok"), joined
    for editor in crew:  # warm-up: a few items each, not timed
        for _ in range(3):
            await editor.send(group_id, editor.next_op(random.Random(editor.name)))
    await asyncio.sleep(0.5)
    delays.clear()
    before = sum(editor.applied for editor in crew)
    stop = time.perf_counter() + seconds

    async def edit(editor: Editor, rng: random.Random) -> None:
        while time.perf_counter() < stop:
            await editor.send(group_id, editor.next_op(rng))

    started = time.perf_counter()
    await asyncio.gather(*(edit(editor, random.Random(n)) for n, editor in enumerate(crew)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(1.0)  # let the last broadcasts arrive
    for editor in crew:
        await editor.sio.disconnect()
    applied = sum(editor.applied for editor in crew) - before
    cut = statistics.quantiles(delays, n=100) if len(delays) >= 2 else [float("nan")] * 99
    return {
        "ops": applied,
        "ops_per_s": applied / elapsed,
        "refused": sum(editor.refused for editor in crew),
        "deliveries": len(delays),
        "p50_ms": cut[49] * 1000,
        "p99_ms": cut[98] * 1000,
    }


async def create_database() -> tuple[str, str]:
    name = f"hub_bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name, f"{PG_ADMIN_URL.rstrip('/')}/{name}"


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def run_backend(backend: str, editors: int, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"bench-itinerary-{backend}-") as tmp:
        work = Path(tmp)
        if backend == "sqlite":
            with hub_process(None, work) as url:
                return asyncio.run(measure(url, editors, seconds))
        name, database_url = asyncio.run(create_database())
        try:
            with hub_process(database_url, work) as url:
                return asyncio.run(measure(url, editors, seconds))
        finally:
            asyncio.run(drop_database(name))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.itinerary", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="timed editing per backend (default 10)")
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args(argv)
    print(f"itinerary: one itinerary, {args.editors} concurrent editors, {args.seconds:g} s per backend")
    print(f"{'backend':<10} {'ops':>6} {'ops/s':>8} {'refused':>8} {'deliveries':>11} {'p50 ms':>8} {'p99 ms':>8}")
    status = 0
    for backend in args.backends.split(","):
        try:
            r = run_backend(backend.strip(), args.editors, args.seconds)
        except Exception as exc:  # noqa: BLE001 - report and go on with the other backend
            print(f"{backend:<10} failed: {exc}")
            status = 1
            continue
        print(
            f"{backend:<10} {r['ops']:>6.0f} {r['ops_per_s']:>8.1f} {r['refused']:>8.0f} {r['deliveries']:>11.0f} "
            f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}"
        )
    print("p50/p99: from sending an op to another editor receiving its itinerary:applied (same machine)")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
