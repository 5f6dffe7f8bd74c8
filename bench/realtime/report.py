"""The side-by-side summary table and the final JSON line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bench.realtime.plan import P99_LIMIT_MS, Plan

REFERENCE = {
    "source": "measured elsewhere, one core per side: bare python-socketio on uvicorn",
    "bare_deliveries_per_s_at_p99_under_200ms": 10_000,
    "bare_idle_kib_per_connection": 41,
}
Row = tuple[str, Callable[[dict[str, Any]], str]]


def _get(figures: dict[str, Any], *path: str | int) -> Any:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict) or str(key) not in value:
            return None
        value = value[str(key)]
    return value


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _ms(value: Any) -> str:
    return "lost >1%" if value is None else f"{value:,.1f} ms"


def _at(*path: str | int, unit: str = "", ms: bool = False) -> Callable[[dict[str, Any]], str]:
    """A cell showing the figure at `path`, as milliseconds or with a unit."""

    def cell(figures: dict[str, Any]) -> str:
        value = _get(figures, *path)
        return _ms(value) if ms else f"{_fmt(value)}{unit}"

    return cell


def _pair(first: Callable[[dict[str, Any]], str], second: Callable[[dict[str, Any]], str]) -> Callable[..., str]:
    return lambda figures: f"{first(figures)} / {second(figures)}"


def rows(plan: Plan) -> list[Row]:
    load = f"{plan.load_clients:,} clients, rooms of {plan.room_size}, {plan.base_rate} msgs/s"
    table: list[Row] = []
    for count in plan.idle_counts:
        table += [
            (f"idle {count:,}: connections held", _at("idle", count, "held")),
            (f"idle {count:,}: server RSS", _at("idle", count, "rss_mib", unit=" MiB")),
            (f"idle {count:,}: RSS per connection", _at("idle", count, "kib_per_connection", unit=" KiB")),
        ]
    table += [
        ("idle: connects/s (last batch)", _at("idle", plan.idle_counts[-1], "connects_per_s")),
        (f"load ({load}): delivered/s", _at("load", "delivered_per_s")),
        ("load: expected deliveries/s", lambda _: _fmt(plan.base_rate * plan.room_size)),
        ("load: latency p50", _at("load", "latency_ms", "p50", ms=True)),
        ("load: latency p95", _at("load", "latency_ms", "p95", ms=True)),
        ("load: latency p99", _at("load", "latency_ms", "p99", ms=True)),
        ("load: ack p50 / p99", _pair(_at("load", "ack_ms", "p50", ms=True), _at("load", "ack_ms", "p99", ms=True))),
        (
            "load: server CPU / loadgen CPU",
            _pair(_at("load", "server_cpu_pct", unit="%"), _at("load", "loadgen_cpu_pct", unit="%")),
        ),
        ("load: others' CPU on the server core", _at("load", "others_on_server_core_pct", unit="%")),
        (f"max rate with p99 < {P99_LIMIT_MS:.0f} ms", _sustained),
        ("ramp: p99 by send rate", _ramp),
        ("server CPU per message (max sustained step)", _at("ramp", "server_cpu_ms_per_msg", unit=" ms")),
        ("=> msgs/s that would saturate a free core", _at("ramp", "saturation_msgs_per_s_on_free_core")),
        (f"leak: RSS before {plan.churn_cycles:,} cycles", _at("leak", "rss_before_mib", unit=" MiB")),
        ("leak: RSS after", _at("leak", "rss_after_mib", unit=" MiB")),
        ("leak: growth after 1st block", _at("leak", "growth_after_first_block_bytes_per_cycle", unit=" B/cycle")),
        ("leak: cycles done / failed", _pair(_at("leak", "cycles"), _at("leak", "failed"))),
        ("leak: cycles/s", _at("leak", "cycles_per_s")),
    ]
    return table


def _sustained(figures: dict[str, Any]) -> str:
    rate = _get(figures, "ramp", "max_sustained_msgs_per_s")
    if rate is None:
        tried = _get(figures, "ramp", "steps") or {}
        return f"< {min(map(int, tried))} msgs/s" if tried else "-"
    return f"{rate:,} msgs/s ({_fmt(_get(figures, 'ramp', 'max_sustained_deliveries_per_s'))} deliveries/s)"


def _ramp(figures: dict[str, Any]) -> str:
    steps = _get(figures, "ramp", "steps") or {}
    parts = []
    for rate, step in steps.items():
        p99 = step["latency_ms"]["p99"]
        parts.append(f"{rate}:{'lost' if p99 is None else f'{p99:.0f}'}")
    return " ".join(parts) + (" (ms)" if parts else "")


def table(plan: Plan, results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    body = [(label, [render(results[name]) for name in names]) for label, render in rows(plan)]
    label_width = max(len(label) for label, _ in body)
    widths = [max(len(name), *(len(cells[i]) for _, cells in body)) for i, name in enumerate(names)]
    lines = ["  ".join([" " * label_width, *(name.rjust(w) for name, w in zip(names, widths, strict=True))])]
    for label, cells in body:
        lines.append("  ".join([label.ljust(label_width), *(c.rjust(w) for c, w in zip(cells, widths, strict=True))]))
    lines.append(
        f"reference (elsewhere, 1 core per side): bare ~{REFERENCE['bare_deliveries_per_s_at_p99_under_200ms']:,} "
        f"deliveries/s at p99 < 200 ms, idle ~{REFERENCE['bare_idle_kib_per_connection']} KiB/connection"
    )
    return "\n".join(lines)


def json_line(plan: Plan, quick: bool, results: dict[str, dict[str, Any]], environment: dict[str, Any]) -> str:
    return json.dumps(
        {"benchmark": "realtime", "quick": quick, "plan": plan.__dict__, "environment": environment}
        | {"results": results, "reference": REFERENCE},
        separators=(",", ":"),
    )
