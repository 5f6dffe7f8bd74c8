"""How deeply a JSON text nests, found by scanning its raw bytes before any parser sees them.

Decoders recurse once per level: `[[[[...]]]]` a few thousand levels deep makes them raise `RecursionError`.
No message of this product nests more than a handful of levels, so the doors (HTTP bodies, socket payloads)
refuse anything deeper than `MAX_JSON_DEPTH` first. The scan counts brackets outside strings, in C
(`re`, `bytes.translate`, `itertools.accumulate`): about 0.1 s for 1 MiB of brackets, nothing for the
usual body, which has fewer brackets than the limit.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP = [0] * 256
for _open in b"[{":
    _STEP[_open] = 1
for _close in b"]}":
    _STEP[_close] = -1


def _bytes(raw: bytes | str) -> bytes:
    return raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw


def json_depth(raw: bytes | str) -> int:
    """How deeply `raw` nests arrays and objects, brackets inside strings not counted.

    Exact for valid JSON. For invalid JSON it may count more than a parser would reach (after an unclosed
    string, say), never less before the first syntax error, where every parser stops."""
    brackets = _STRING.sub(b"", _bytes(raw)).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def too_deep(raw: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    data = _bytes(raw)
    if data.count(b"[") + data.count(b"{") <= limit:  # the usual case: too few brackets to matter
        return False
    return json_depth(data) > limit


def too_deep_message(limit: int = MAX_JSON_DEPTH) -> str:
    return f"the JSON is nested too deeply: at most {limit} levels of arrays and objects"
