"""Fractional ordering keys: a key between any two keys, so an insert or a move never renumbers anything.

This is the well-known "generate_key_between" algorithm (David Greenspan's "Implementing Fractional
Indexing", as published in rocicorp/fractional-indexing), written out here with base-62 digits:

- a key is an *integer part* followed by a *fraction*; the integer part's first character (its head)
  gives its length (`a`..`z` → 2..27 characters, `A`..`Z` → 27..2 characters, negative numbers), so
  plain string comparison orders keys;
- appending to the end increments the integer part (`a0`, `a1`, ... `az`, `b00`), which keeps keys short
  for the common case; inserting between two keys takes the midpoint of their fractions.

Keys compare by code point (Python `<` on `str`), which is why the digits are in ASCII order. Never let a
database collation order them: PostgreSQL's locale collations put `a` before `B`. Sort in Python.
"""

from __future__ import annotations

BASE_62_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# The smallest integer part has no key below it; it is reserved so that "before everything" always exists.
SMALLEST_INTEGER = "A" + BASE_62_DIGITS[0] * 26


class OrderKeyError(ValueError):
    """A malformed key, or bounds given in the wrong order."""


def _midpoint(a: str, b: str | None, digits: str) -> str:
    """A fraction strictly between fractions `a` and `b` (`b` None: above `a`); neither ends in the zero digit."""
    zero = digits[0]
    if b is not None and a >= b:
        raise OrderKeyError(f"{a} >= {b}")
    if a[-1:] == zero or (b is not None and b[-1:] == zero):
        raise OrderKeyError("trailing zero")
    if b is not None:
        # Skip the common prefix (a is padded with zeros while it is shorter).
        n = 0
        while (a[n] if n < len(a) else zero) == b[n]:
            n += 1
        if n > 0:
            return b[:n] + _midpoint(a[n:], b[n:], digits)
    digit_a = digits.index(a[0]) if a else 0
    digit_b = digits.index(b[0]) if b is not None else len(digits)
    if digit_b - digit_a > 1:
        # Round half up, as the reference implementation's Math.round does.
        return digits[(digit_a + digit_b + 1) // 2]
    if b is not None and len(b) > 1:
        return b[:1]
    return digits[digit_a] + _midpoint(a[1:], None, digits)


def _integer_length(head: str) -> int:
    if "a" <= head <= "z":
        return ord(head) - ord("a") + 2
    if "A" <= head <= "Z":
        return ord("Z") - ord(head) + 2
    raise OrderKeyError(f"invalid order key head: {head}")


def _integer_part(key: str) -> str:
    length = _integer_length(key[0])
    if length > len(key):
        raise OrderKeyError(f"invalid order key: {key}")
    return key[:length]


def validate_key(key: str, digits: str = BASE_62_DIGITS) -> None:
    if not key:
        raise OrderKeyError("invalid order key: empty")
    if key == SMALLEST_INTEGER:
        raise OrderKeyError(f"invalid order key: {key}")
    integer = _integer_part(key)
    fraction = key[len(integer) :]
    if any(char not in digits for char in key[1:]):
        raise OrderKeyError(f"invalid order key: {key}")
    if fraction[-1:] == digits[0]:
        raise OrderKeyError(f"invalid order key: {key}")


def _increment_integer(x: str, digits: str) -> str | None:
    head, rest = x[0], list(x[1:])
    for i in reversed(range(len(rest))):
        d = digits.index(rest[i]) + 1
        if d < len(digits):
            rest[i] = digits[d]
            return head + "".join(rest)
        rest[i] = digits[0]
    # Every digit carried: the integer part grows by one character (or runs out at `z`).
    if head == "Z":
        return "a" + digits[0]
    if head == "z":
        return None
    new_head = chr(ord(head) + 1)
    if new_head > "a":
        rest.append(digits[0])
    else:
        rest.pop()
    return new_head + "".join(rest)


def _decrement_integer(x: str, digits: str) -> str | None:
    head, rest = x[0], list(x[1:])
    for i in reversed(range(len(rest))):
        d = digits.index(rest[i]) - 1
        if d >= 0:
            rest[i] = digits[d]
            return head + "".join(rest)
        rest[i] = digits[-1]
    if head == "a":
        return "Z" + digits[-1]
    if head == "A":
        return None
    new_head = chr(ord(head) - 1)
    if new_head < "Z":
        rest.append(digits[-1])
    else:
        rest.pop()
    return new_head + "".join(rest)


def generate_key_between(a: str | None, b: str | None, digits: str = BASE_62_DIGITS) -> str:
    """A key that sorts strictly after `a` and before `b`; None means "no bound" on that side."""
    if a is not None:
        validate_key(a, digits)
    if b is not None:
        validate_key(b, digits)
    if a is not None and b is not None and a >= b:
        raise OrderKeyError(f"{a} >= {b}")
    if a is None:
        if b is None:
            return "a" + digits[0]
        int_b = _integer_part(b)
        frac_b = b[len(int_b) :]
        if int_b == SMALLEST_INTEGER:
            return int_b + _midpoint("", frac_b, digits)
        if int_b < b:
            return int_b
        below = _decrement_integer(int_b, digits)
        if below is None:
            raise OrderKeyError("cannot decrement any more")
        return below
    if b is None:
        int_a = _integer_part(a)
        frac_a = a[len(int_a) :]
        above = _increment_integer(int_a, digits)
        return int_a + _midpoint(frac_a, None, digits) if above is None else above
    int_a = _integer_part(a)
    frac_a = a[len(int_a) :]
    int_b = _integer_part(b)
    frac_b = b[len(int_b) :]
    if int_a == int_b:
        return int_a + _midpoint(frac_a, frac_b, digits)
    above = _increment_integer(int_a, digits)
    if above is None:
        raise OrderKeyError("cannot increment any more")
    if above < b:
        return above
    return int_a + _midpoint(frac_a, None, digits)
