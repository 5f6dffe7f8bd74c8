"""One line per op for the history: who did what to which item."""

from __future__ import annotations

from typing import Any


def summarize(op: dict[str, Any], dropped: bool, titles: dict[str, str]) -> str:
    kind = op["type"]
    if kind == "restore":
        return f"restored the itinerary as it was at seq {op['seq']} ({len(op['items'])} items changed)"
    title = titles.get(op["item_id"]) or op.get("fields", {}).get("title") or "an item"
    if kind == "add_item":
        text = f"added '{op['fields'].get('title', title)}' on {op['day']}"
    elif kind == "set_fields":
        text = f"changed {', '.join(sorted(op['fields']))} of '{title}'"
    elif kind == "move_item":
        text = f"moved '{title}' to {op['day']}"
    else:
        text = f"removed '{title}'"
    return text + (" (no effect: the item had been removed)" if dropped else "")
