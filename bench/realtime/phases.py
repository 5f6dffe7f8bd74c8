"""The measurements, run identically against each server through the same load generator."""

from __future__ import annotations

import time
from typing import Any

from bench.realtime.loadgen import LoadGen
from bench.realtime.plan import P99_LIMIT_MS, Plan
from bench.realtime.procs import CoreMeter, rss_bytes, wait_quiet
from bench.realtime.servers import Server

WARMUP_CYCLES = 100
BACKLOG_DRAIN_S = 90.0
Figures = dict[str, Any]


def log(server: Server, message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {server.name}: {message}", flush=True)


def settled_rss(server: Server) -> int:
    wait_quiet(server.pid)
    return rss_bytes(server.pid)


def churn(gen: LoadGen, server: Server, cycles: int, concurrency: int) -> dict[str, Any]:
    # Budget: even a slow server gets 60 s plus 50 ms a cycle; the loop stops there and reports what it did.
    budget = 60 + cycles * 0.05
    return gen.call(
        "churn",
        timeout=budget + 60,
        url=server.url,
        tokens=server.tokens,
        rooms=server.rooms,
        cycles=cycles,
        concurrency=concurrency,
        maxSeconds=budget,
    )


def warm_up(gen: LoadGen, server: Server) -> None:
    """Touch every code path once (imports, caches, pools), so the first measurement does not pay for it."""
    churn(gen, server, WARMUP_CYCLES, 10)


def leak_check(gen: LoadGen, server: Server, plan: Plan) -> Figures:
    """RSS before and after connect/join/leave/disconnect cycles, read after every block of cycles."""
    before = settled_rss(server)
    trace = [before]
    done = failed = 0
    seconds = 0.0
    errors: dict[str, int] = {}
    block = plan.churn_cycles // plan.churn_blocks
    for _ in range(plan.churn_blocks):
        result = churn(gen, server, block, plan.churn_concurrency)
        done, failed, seconds = done + result["cycles"], failed + result["failed"], seconds + result["seconds"]
        for key, count in result["errors"].items():
            errors[key] = errors.get(key, 0) + count
        trace.append(settled_rss(server))
        log(server, f"churn {done}/{plan.churn_cycles} cycles, RSS {trace[-1] / 2**20:.1f} MiB")
    after = trace[-1]
    # Growth after the first block: the first one may still fill allocator pools and caches.
    later_cycles = max(1, done - block)
    return {
        "cycles": done,
        "failed": failed,
        "errors": errors,
        "cycles_per_s": round(done / seconds, 1) if seconds else None,
        "rss_before_mib": round(before / 2**20, 1),
        "rss_after_mib": round(after / 2**20, 1),
        "rss_growth_mib": round((after - before) / 2**20, 2),
        "growth_after_first_block_bytes_per_cycle": round((after - trace[1]) / later_cycles, 1),
        "rss_trace_mib": [round(value / 2**20, 1) for value in trace],
    }


def idle(gen: LoadGen, server: Server, plan: Plan) -> Figures:
    """Idle authenticated connections held, and the server RSS they cost."""
    base = settled_rss(server)
    figures: Figures = {"rss_base_mib": round(base / 2**20, 1)}
    held = 0
    for target in plan.idle_counts:
        result = gen.call(
            "connect", timeout=target * 0.1 + 180, url=server.url, tokens=server.tokens, count=target - held
        )
        held = result["held"]
        rss = settled_rss(server)
        figures[str(target)] = {
            "held": held,
            "failed": result["failed"],
            "errors": result["errors"],
            "connects_per_s": round(result["connected"] / result["seconds"], 1) if result["seconds"] else None,
            "rss_mib": round(rss / 2**20, 1),
            "kib_per_connection": round((rss - base) / held / 1024, 1) if held else None,
        }
        log(server, f"{held} idle connections held, RSS {rss / 2**20:.1f} MiB")
    return figures


def load_step(gen: LoadGen, server: Server, plan: Plan, rate: int) -> Figures:
    meter = CoreMeter(server.pid, gen.pid)
    result = gen.call(
        "load",
        timeout=plan.warmup_s + plan.measure_s + plan.drain_s + 60,
        rate=rate,
        seconds=plan.measure_s,
        warmupSeconds=plan.warmup_s,
        drainSeconds=plan.drain_s,
    )
    result |= meter.read()
    result["sustained"] = sustained(result)
    # Robust to other load on the machine: what one message costs the server, fan-out included. Only meaningful
    # when the step kept up (a backlog is still being worked off after the step ends).
    result["server_cpu_ms_per_msg"] = (
        round(1000 * result["server_cpu_s"] / result["sent"], 2) if result["sent"] else None
    )
    p99 = result["latency_ms"]["p99"]
    log(
        server,
        f"{rate} msgs/s: {result['delivered_per_s']} deliveries/s, p99 "
        + (f"{p99:.1f} ms" if p99 is not None else "lost >1%")
        + f"; CPU server {result['server_cpu_pct']}%, loadgen {result['loadgen_cpu_pct']}%"
        + f", others on the server's core {result['others_on_server_core_pct']}%",
    )
    # An overloaded server still works through its backlog; the next step must not pay for it.
    wait_quiet(server.pid, timeout=BACKLOG_DRAIN_S)
    return result


def sustained(step: Figures) -> bool:
    p99 = step["latency_ms"]["p99"]
    return p99 is not None and p99 < P99_LIMIT_MS and not step["ack_errors"]


def delivery(gen: LoadGen, server: Server, plan: Plan) -> tuple[Figures, Figures]:
    """A ramp up the ladder to the first rate that misses the p99 limit, then the headline rate if not seen yet."""
    gen.call("disconnect", timeout=60, keep=plan.load_clients)
    wait_quiet(server.pid)
    held = gen.call("stats", timeout=10)["held"]
    if held < plan.load_clients:
        more = plan.load_clients - held
        gen.call("connect", timeout=more * 0.1 + 180, url=server.url, tokens=server.tokens, count=more)
    joined = gen.call("join", timeout=240, rooms=server.rooms[: plan.rooms], roomSize=plan.room_size)
    log(server, f"{joined['joined']} clients joined {plan.rooms} rooms ({joined['failed']} failed)")
    wait_quiet(server.pid)
    steps: dict[int, Figures] = {}
    for rate in plan.ladder:  # ascending: only the last step overloads the server
        steps[rate] = load_step(gen, server, plan, rate)
        if not steps[rate]["sustained"]:
            break
    if plan.base_rate not in steps:
        steps[plan.base_rate] = load_step(gen, server, plan, plan.base_rate)
    passing = [rate for rate, step in steps.items() if step["sustained"]]
    best = max(passing) if passing else None
    cost = steps[best]["server_cpu_ms_per_msg"] if best else None
    ramp: Figures = {
        "p99_limit_ms": P99_LIMIT_MS,
        "max_sustained_msgs_per_s": best,
        "max_sustained_deliveries_per_s": steps[best]["delivered_per_s"] if best else None,
        "server_cpu_ms_per_msg": cost,
        "saturation_msgs_per_s_on_free_core": round(1000 / cost) if cost else None,
        "steps": {str(rate): _step_summary(steps[rate]) for rate in sorted(steps)},
    }
    gen.call("disconnect", timeout=60, keep=0)
    return steps[plan.base_rate], ramp


def _step_summary(step: Figures) -> Figures:
    keys = (
        "delivered_per_s",
        "latency_ms",
        "sustained",
        "server_cpu_pct",
        "server_cpu_ms_per_msg",
        "others_on_server_core_pct",
        "ack_errors",
    )
    return {key: step[key] for key in keys}


def measure(gen: LoadGen, server: Server, plan: Plan) -> Figures:
    log(server, "warming up")
    warm_up(gen, server)
    # The leak check runs first, on a fresh process: freed memory from thousands of idle connections
    # would otherwise absorb (and hide) a slow leak.
    figures: Figures = {"leak": leak_check(gen, server, plan)}
    figures["idle"] = idle(gen, server, plan)
    figures["load"], figures["ramp"] = delivery(gen, server, plan)
    wait_quiet(server.pid)
    figures["rss_end_mib"] = round(rss_bytes(server.pid) / 2**20, 1)
    return figures
