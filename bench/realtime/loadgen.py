"""The Node load generator (bench/loadgen.mjs) driven over stdin/stdout, one JSON line per command and reply."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from bench.realtime.procs import LOADGEN_CORE, Children

BENCH_DIR = Path(__file__).resolve().parents[1]
SCRIPT = BENCH_DIR / "loadgen.mjs"


def ensure_node_modules() -> None:
    """`npm ci` in bench/ when socket.io-client is not installed yet (the lockfile pins it)."""
    if (BENCH_DIR / "node_modules" / "socket.io-client").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed; the load generator needs Node.js and npm")
    print("installing the load generator's packages (npm ci in bench/) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BENCH_DIR, check=True, timeout=300)


class LoadGen:
    def __init__(self, children: Children, log: Path, deflate: bool = True) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not installed; the load generator needs Node.js")
        self.children = children
        self.proc = children.start([node, str(SCRIPT)], core=LOADGEN_CORE, cwd=BENCH_DIR, log=log, pipes=True)
        self._replies: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, name="loadgen-reader", daemon=True).start()
        self.call("config", timeout=30, deflate=deflate)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._replies.put(line.decode())
        self._replies.put(None)

    def call(self, cmd: str, timeout: float, **args: Any) -> dict[str, Any]:
        """Send one command and wait at most `timeout` seconds for its reply."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps({"cmd": cmd, **args}) + "\n").encode())
        self.proc.stdin.flush()
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"load generator: no reply to {cmd!r} within {timeout:.0f} s") from None
        if line is None:
            raise RuntimeError(f"load generator exited (code {self.proc.poll()}) during {cmd!r}")
        reply: dict[str, Any] = json.loads(line)
        if not reply.pop("ok", False):
            raise RuntimeError(f"load generator: {cmd!r} failed: {reply.get('error')}")
        return reply

    def close(self) -> None:
        if self.proc.poll() is None and self.proc.stdin is not None:
            try:
                self.proc.stdin.write(b'{"cmd": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.children.stop(self.proc)
