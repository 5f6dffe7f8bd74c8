"""Start each server on core 0 and the load generator on core 1, measure, print, and always clean up."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

from bench.realtime import phases, report
from bench.realtime.loadgen import LoadGen, ensure_node_modules
from bench.realtime.plan import FULL, QUICK, Plan
from bench.realtime.procs import (
    LOADGEN_CORE,
    Children,
    cpu_count_ok,
    foreign_load,
    pin_self,
    raise_open_files_limit,
)
from bench.realtime.servers import Server, start_bare, start_hub

SERVERS = ("hub", "bare")
FOREIGN_LOAD_WARNING_PCT = 10


def _terminate(signum: int, _: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`, which stops the children


def _start(name: str, children: Children, work: Path, plan: Plan) -> Server:
    if name == "hub":
        return start_hub(children, work, users=plan.users, rooms=plan.rooms)
    return start_bare(children, work, rooms=plan.rooms)


def _environment(open_files: int, busy_before: dict[str, int], deflate: bool) -> dict[str, Any]:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "python": platform.python_version(),
        "node": node,
        "cpus": os.cpu_count(),
        "server_core": 0,
        "loadgen_core": LOADGEN_CORE,
        "open_files_limit": open_files,
        "permessage_deflate_offered": deflate,
        "busy_before_start": busy_before,
    }


def run(plan: Plan, quick: bool, names: list[str], deflate: bool) -> int:
    if not cpu_count_ok():
        print("warning: fewer than 2 CPUs; server and load generator will share a core", file=sys.stderr)
    open_files = raise_open_files_limit()
    before = foreign_load()
    if max(before.values()) > FOREIGN_LOAD_WARNING_PCT:
        print(f"warning: the machine is busy before the benchmark starts ({before}); figures will be lower", flush=True)
    pin_self(LOADGEN_CORE)  # this runner mostly waits; keep it off the server's core
    ensure_node_modules()
    work = Path(tempfile.mkdtemp(prefix="bench-realtime-"))
    children = Children()
    results: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    ok = False
    try:
        gen = LoadGen(children, work / "loadgen.log", deflate=deflate)
        for name in names:
            print(f"== {name} ==", flush=True)
            server = _start(name, children, work, plan)
            try:
                results[name] = phases.measure(gen, server, plan)
            finally:
                children.stop(server.proc)
        gen.close()
        ok = True
    finally:
        children.close()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"benchmark failed; logs kept in {work}", file=sys.stderr)
        if results:  # on a failure, what was measured so far is still worth printing
            print(f"\nrealtime benchmark ({'quick' if quick else 'full'}, {time.monotonic() - started:.0f} s)")
            print(report.table(plan, results))
            print(report.json_line(plan, quick, results, _environment(open_files, before, deflate)), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench realtime", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts, about 2 minutes")
    parser.add_argument(
        "--no-deflate", action="store_true", help="clients do not offer permessage-deflate (default: they do)"
    )
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated subset of: hub,bare")
    args = parser.parse_args(argv)
    names = [name for name in args.servers.split(",") if name]
    if unknown := set(names) - set(SERVERS):
        parser.error(f"unknown servers: {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGTERM, _terminate)
    return run(QUICK if args.quick else FULL, args.quick, names, deflate=not args.no_deflate)
