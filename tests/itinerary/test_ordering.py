"""Fractional keys: the reference algorithm's known answers, and ordering under any sequence of inserts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domains.itineraries.ops import key_after
from domains.itineraries.ordering import BASE_62_DIGITS, OrderKeyError, generate_key_between, validate_key
from domains.itineraries.schemas import Item

# Known answers of the reference implementation (rocicorp/fractional-indexing, base 62).
KNOWN = [
    (None, None, "a0"),
    (None, "a0", "Zz"),
    (None, "Zz", "Zy"),
    ("a0", None, "a1"),
    ("a1", None, "a2"),
    ("a0", "a1", "a0V"),
    ("a1", "a2", "a1V"),
    ("a0V", "a1", "a0l"),
    ("Zz", "a0", "ZzV"),
    ("Zz", "a1", "a0"),
    (None, "Y00", "Xzzz"),
    ("bzz", None, "c000"),
    ("a0", "a0V", "a0G"),
    ("a0", "a0G", "a08"),
    ("b125", "b129", "b127"),
    ("a0", "a1V", "a1"),
    ("Zz", "a01", "a0"),
    (None, "a0V", "a0"),
    (None, "b999", "b99"),
    (None, "A000000000000000000000000001", "A000000000000000000000000000V"),
    ("zzzzzzzzzzzzzzzzzzzzzzzzzzy", None, "zzzzzzzzzzzzzzzzzzzzzzzzzzz"),
    ("zzzzzzzzzzzzzzzzzzzzzzzzzzz", None, "zzzzzzzzzzzzzzzzzzzzzzzzzzzV"),
]
REFUSED = [
    (None, "A00000000000000000000000000"),  # the reserved smallest integer
    ("a00", None),  # trailing zero
    ("a00", "a1"),
    ("0", "1"),  # no such head
    ("a1", "a0"),  # bounds in the wrong order
    ("a1", "a1"),
    ("a", None),  # integer part too short
    ("a0!", None),  # not a base-62 digit
    ("", None),
]


@pytest.mark.parametrize(("low", "high", "expected"), KNOWN)
def test_known_answers(low: str | None, high: str | None, expected: str) -> None:
    assert generate_key_between(low, high) == expected


@pytest.mark.parametrize(("low", "high"), REFUSED)
def test_malformed_or_misordered_bounds_are_refused(low: str | None, high: str | None) -> None:
    with pytest.raises(OrderKeyError):
        generate_key_between(low, high)


@settings(max_examples=200)
@given(st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), min_size=1, max_size=120))
def test_any_sequence_of_inserts_stays_sorted_valid_and_distinct(positions: list[float]) -> None:
    keys: list[str] = []
    for position in positions:
        index = int(position * (len(keys) + 1))
        low = keys[index - 1] if index > 0 else None
        high = keys[index] if index < len(keys) else None
        key = generate_key_between(low, high)
        validate_key(key)
        assert (low is None or low < key) and (high is None or key < high)
        keys.insert(index, key)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(char in BASE_62_DIGITS for key in keys for char in key[1:])


@given(st.integers(1, 300))
def test_appending_keeps_keys_short(count: int) -> None:
    key = None
    for _ in range(count):
        key = generate_key_between(key, None)
    assert key is not None and len(key) <= 3


@given(st.integers(1, 60))
def test_inserting_at_the_front_again_and_again_still_orders(count: int) -> None:
    keys = [generate_key_between(None, None)]
    for _ in range(count):
        keys.insert(0, generate_key_between(None, keys[0]))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=40))
def test_key_after_places_an_item_right_after_its_anchor(anchors: list[str]) -> None:
    """Items named by their insertion; each goes right after a drawn earlier one, or first."""
    order: list[str] = []
    items: list[dict[str, str]] = []
    for n, anchor in enumerate(anchors):
        name = f"{anchor}{n}"
        after = next((i for i in reversed(order) if i.startswith(anchor)), None)
        key = key_after((Item(day="d", key=item["key"], id=item["id"], title=item["id"]) for item in items), after)
        items.append({"id": name, "key": key})
        order.insert(order.index(after) + 1 if after else 0, name)
    assert [item["id"] for item in sorted(items, key=lambda i: (i["key"], i["id"]))] == order


def test_equal_keys_are_ordered_by_item_id_and_an_unknown_anchor_means_the_end() -> None:
    day = [
        Item(day="d", key="a1", id="b", title="B"),
        Item(day="d", key="a1", id="a", title="A"),
        Item(day="d", key="a0", id="z", title="Z"),
    ]
    assert key_after(day, "a") > "a1"  # after the tie, never between the twins
    assert key_after(day, "no-such-item") == "a2"
    assert key_after(day, None) < "a0"
