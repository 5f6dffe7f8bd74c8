"""The itinerary as plain data, and the one function that applies an op to it.

The server *resolves* an incoming op once, against its current state (fractional key for `after`,
dropped or not, the full diff of a restore), and logs the resolved op. Everyone then folds resolved ops
with the same `apply_op`: the server on its materialized items, `at_seq` and restore when replaying the
log from empty, and clients on the `itinerary:applied` events they receive in seq order. Resolved ops
are plain JSON, so a client in any language can do the same.

An item is an `Item` (schemas.py): JSON values throughout (ids and dates as strings), plus a tombstone flag.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import msgspec

from domains.itineraries.ordering import generate_key_between
from domains.itineraries.schemas import (
    AddItem,
    Item,
    ItemFields,
    ItemView,
    MoveItem,
    Op,
    RemoveItem,
    Restore,
    SetFields,
)
from domains.kernel.errors import Conflict, Invalid, NotFound

Items = dict[str, Item]

MAX_KEY_LENGTH = 512


def apply_op(items: Items, op: dict[str, Any]) -> bool:
    """Apply one resolved op in place; False when it changes nothing (a dropped op)."""
    kind = op["type"]
    if kind == "restore":
        for state in op["items"]:
            items[state["id"]] = msgspec.convert(state, Item)
        return True
    item_id = op["item_id"]
    item = items.get(item_id)
    if kind == "add_item":
        if item is not None:
            return False
        state = {"id": item_id, "day": op["day"], "key": op["key"], **op["fields"]}
        items[item_id] = msgspec.convert(copy.deepcopy(state), Item)
        return True
    if item is None or item.removed:
        return False
    if kind == "set_fields":
        # Per-field last-writer-wins: only the fields named in the op change.
        for name, value in op["fields"].items():
            setattr(item, name, copy.deepcopy(value))
    elif kind == "move_item":
        item.day, item.key = op["day"], op["key"]
    elif kind == "remove_item":
        item.removed = True
    else:
        raise ValueError(f"unknown op type {kind!r}")
    return True


def replay(ops: Iterable[dict[str, Any]]) -> Items:
    """The itinerary after these resolved ops, starting from empty."""
    items: Items = {}
    for op in ops:
        apply_op(items, op)
    return items


def sort_key(item: ItemView) -> tuple[str, str, str]:
    # Equal keys cannot come out of generate_key_between, but the id settles any tie deterministically.
    return (item.day, item.key, item.id)


def visible(items: Iterable[Item]) -> list[ItemView]:
    """Live items in display order, without the tombstone flag."""
    return [view_of(item) for item in sorted(items, key=sort_key) if not item.removed]


def view_of(item: Item) -> ItemView:
    return ItemView(**{name: getattr(item, name) for name in ItemView.__struct_fields__})


def normalize_fields(fields: ItemFields) -> dict[str, Any]:
    """Only the fields the client named, as JSON values; staff ids deduplicated in their given order."""
    data: dict[str, Any] = msgspec.to_builtins(fields)
    if "staff_ids" in data:
        data["staff_ids"] = list(dict.fromkeys(data["staff_ids"]))
    return data


def key_after(siblings: Iterable[Item], after: str | None) -> str:
    """The key placing an item right after `after` in a day; first when `after` is None, last when
    `after` is not (or no longer) in that day."""
    ordered = sorted(siblings, key=sort_key)
    if after is None:
        key = generate_key_between(None, ordered[0].key if ordered else None)
    else:
        index = next((i for i, item in enumerate(ordered) if item.id == after), None)
        if index is None:
            key = generate_key_between(ordered[-1].key if ordered else None, None)
        else:
            low = ordered[index].key
            high = next((item.key for item in ordered[index + 1 :] if item.key > low), None)
            key = generate_key_between(low, high)
    if len(key) > MAX_KEY_LENGTH:
        raise Invalid("too many items were inserted at this spot; move some items elsewhere first")
    return key


def day_siblings(items: Items, day: str, exclude: str) -> list[Item]:
    return [item for item in items.values() if item.day == day and not item.removed and item.id != exclude]


def resolve(op: Op, items: Items) -> tuple[dict[str, Any], bool]:
    """The op as it will be logged and applied, and whether it is dropped (changes nothing).

    `items` must hold the op's item (if it exists) and the live items of the target day.
    """
    if isinstance(op, AddItem):
        item_id, day = str(op.item_id), op.day.isoformat()
        if item_id in items:
            raise Conflict("item_id is already used in this itinerary; make a new id for a new item")
        fields = normalize_fields(op.fields)
        if "title" not in fields:
            raise Invalid("fields.title is required to add an item")
        after = str(op.after) if op.after else None
        key = key_after(day_siblings(items, day, item_id), after)
        return {"type": "add_item", "item_id": item_id, "day": day, "after": after, "key": key, "fields": fields}, False
    if isinstance(op, Restore):
        raise TypeError("a restore is resolved by the service, which replays the log")
    item_id = str(op.item_id)
    item = items.get(item_id)
    if item is None:
        raise NotFound("item not found in this itinerary")
    dropped = item.removed
    if isinstance(op, SetFields):
        fields = normalize_fields(op.fields)
        if not fields:
            raise Invalid("fields must name at least one field to change")
        return {"type": "set_fields", "item_id": item_id, "fields": fields}, dropped
    if isinstance(op, MoveItem):
        day, after = op.day.isoformat(), str(op.after) if op.after else None
        if after == item_id:
            raise Invalid("an item cannot be moved after itself")
        key = item.key if dropped else key_after(day_siblings(items, day, item_id), after)
        return {"type": "move_item", "item_id": item_id, "day": day, "after": after, "key": key}, dropped
    if isinstance(op, RemoveItem):
        return {"type": "remove_item", "item_id": item_id}, dropped
    raise TypeError(f"resolve does not handle {type(op).__name__}")  # pragma: no cover


def restore_diff(current: Items, target: Items) -> list[dict[str, Any]]:
    """Item states (as logged: JSON) that turn `current` into `target`; items that did not exist at the target
    are removed."""
    changes: list[Item] = []
    for item_id, now in current.items():
        wanted = target.get(item_id) or msgspec.structs.replace(now, removed=True)
        if wanted != now:
            changes.append(wanted)
    changes.extend(state for item_id, state in target.items() if item_id not in current)
    return [msgspec.to_builtins(item) for item in sorted(changes, key=lambda item: item.id)]
