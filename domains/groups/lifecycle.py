"""Which group status may follow which."""

from __future__ import annotations

from domains.kernel.errors import Conflict

STATUSES = ("draft", "planning", "ready", "in_progress", "completed", "cancelled")
ALLOWED: dict[str, frozenset[str]] = {
    "draft": frozenset({"planning", "cancelled"}),
    "planning": frozenset({"draft", "ready", "cancelled"}),
    "ready": frozenset({"planning", "in_progress", "cancelled"}),
    "in_progress": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset({"draft"}),
}


def check_transition(current: str, target: str) -> None:
    if target not in ALLOWED.get(current, frozenset()):
        allowed = ", ".join(sorted(ALLOWED.get(current, ()))) or "nothing"
        raise Conflict(f"a group cannot go from {current} to {target} (from {current} it can go to: {allowed})")
