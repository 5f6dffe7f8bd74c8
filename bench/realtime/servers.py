"""The two servers under test: the hub (embedded SQLite, real auth) and the bare python-socketio baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.realtime.procs import SERVER_CORE, Children, free_port, wait_http

PASSWORD = "bench-password-1234"  # a throwaway data dir per run; never a real account
GROUP_DATES = {"start_date": "2027-05-01", "end_date": "2027-05-03"}
REPO = Path(__file__).resolve().parents[2]
# Only embedded mode: a configured PostgreSQL or Redis must not leak into the benchmark.
ADMIN_ARGS = ("--email", "admin@bench.test", "--name", "Bench Admin", "--role", "admin", "--org", "benchorg")
DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "HUB_DATABASE_URL", "HUB_REDIS_URL")


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    tokens: list[str] = field(default_factory=list)  # empty: connect without auth
    rooms: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.proc.pid


def _http(method: str, url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def hub_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(
        HUB_ENV="development",
        HUB_DATA_DIR=str(data_dir),
        HUB_SOCKET_EVENT_BURST="100000",
        HUB_SOCKET_EVENTS_PER_SECOND="100000",
        # Reconnecting clients reuse their tokens for the whole run, which may outlast the default 15 minutes.
        HUB_ACCESS_TOKEN_TTL_SECONDS="7200",
        # The assistant's model would load (or train) on the server's core while the churn phase measures memory.
        HUB_BOT_WARM_UP="false",
    )
    return env


def start_hub(children: Children, work: Path, users: int, rooms: int) -> Server:
    """Migrate a fresh data dir, start the hub on core 0, sign in `users` coordinators, create `rooms` groups."""
    data_dir = work / "hub-data"
    env = hub_env(data_dir)
    python = sys.executable
    log = work / "hub.log"
    subprocess.run([python, "-m", "hub", "migrate"], env=env, cwd=work, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [python, "-m", "hub", "create-user", *ADMIN_ARGS],
        env=env | {"HUB_NEW_PASSWORD": PASSWORD},
        cwd=work,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    args = [python, "-m", "hub", "run", "--host", "127.0.0.1", "--port", str(port)]
    proc = children.start(args, core=SERVER_CORE, env=env, cwd=work, log=log)
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/health", proc)
    server = Server("hub", url, proc)
    admin = login(url, "admin@bench.test")
    emails = [f"coordinator{i:03d}@bench.test" for i in range(users)]
    for i, email in enumerate(emails):
        user = {"email": email, "name": f"Coordinator {i}", "role": "coordinator", "password": PASSWORD}
        _http("POST", f"{url}/api/v1/users", user, admin)
    server.tokens = [login(url, email) for email in emails]
    for i in range(rooms):
        group = _http("POST", f"{url}/api/v1/groups", {"name": f"Bench group {i}", **GROUP_DATES}, admin)
        server.rooms.append(f"group:{group['id']}")
    return server


def login(url: str, email: str) -> str:
    token: str = _http("POST", f"{url}/api/v1/auth/login", {"email": email, "password": PASSWORD})["access_token"]
    return token


def start_bare(children: Children, work: Path, rooms: int) -> Server:
    port = free_port()
    args = [sys.executable, "-m", "bench.bare_server", "--host", "127.0.0.1", "--port", str(port)]
    proc = children.start(args, core=SERVER_CORE, cwd=REPO, log=work / "bare.log")
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/socket.io/?EIO=4&transport=polling", proc)
    time.sleep(0.2)
    return Server("bare", url, proc, rooms=[f"room-{i}" for i in range(rooms)])
