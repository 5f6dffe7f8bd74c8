"""The client examples in docs/realtime.md hand every room event to the client exactly once, as the web app
does, even when a scale-out hub delivers live events out of order: the room log of each example (the
first code block of the Python and of the JavaScript example, run as written) is driven through the same
story of live events, duplicates, a reconnect with replay, and a staff-only event the client never gets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.node import run_node

DOCS = Path(__file__).resolve().parents[2] / "docs" / "realtime.md"


def first_block(heading: str, language: str) -> str:
    """The first fenced `language` block after `heading` in docs/realtime.md."""
    text = DOCS.read_text(encoding="utf-8")
    after = text[text.index(heading) :]
    found = re.search(rf"```{language}\n(.*?)```", after, re.DOTALL)
    assert found, f"no {language} block after {heading!r}"
    return found.group(1)


# A story, as steps: live events (the hub's broadcasts, out of order across two processes, one of them
# twice) and (re)joins whose ack replays `missed` and names the room's seq.
STORY: list[dict[str, Any]] = [
    {"live": 1},
    {"live": 2},
    {"live": 4},  # process B's broadcast overtakes process A's seq 3
    {"live": 3},
    {"live": 3},  # a duplicate
    {"live": 5},
    # The connection drops; seq 6 is lost with it, seq 7 arrives from the other process before the rejoin.
    {"live": 7},
    {"join": {"missed": [6, 7, 8], "seq": 8}},
    # Seq 9 is a hand-off only the staff see: this traveler never gets it, live or replayed.
    {"live": 10},
    {"join": {"missed": [10], "seq": 10}},
    {"live": 11},
]
EXPECTED_HANDLED = [1, 2, 4, 3, 5, 7, 6, 8, 10, 11]
EXPECTED_SINCE = [5, 8]  # each rejoin asks from the seq up to which it has everything
EXPECTED_WATERMARK = 11


def drive_python(room_log_source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(room_log_source, str(DOCS), "exec"), namespace)  # the docs' own code, as written
    log = namespace["RoomLog"]()
    handled: list[int] = []
    joins: list[int] = []
    for step in STORY:
        if "live" in step:
            if log.accept(step["live"]):
                handled.append(step["live"])
        else:
            joins.append(log.watermark)
            handled.extend(seq for seq in step["join"]["missed"] if log.accept(seq))
            log.advance_to(step["join"]["seq"])
    return {"handled": handled, "joins": joins, "watermark": log.watermark}


JS_DRIVER = """
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { story } = JSON.parse(input);
const log = new RoomLog();
const handled = [], joins = [];
for (const step of story) {
  if ("live" in step) { if (log.accept(step.live)) handled.push(step.live); }
  else {
    joins.push(log.watermark);
    for (const seq of step.join.missed) if (log.accept(seq)) handled.push(seq);
    log.advanceTo(step.join.seq);
  }
}
console.log(JSON.stringify({ handled, joins, watermark: log.watermark }));
"""


def drive_javascript(room_log_source: str) -> dict[str, Any]:
    return run_node(room_log_source + JS_DRIVER, {"story": STORY})  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("heading", "language", "drive"),
    [("### Python client example", "python", drive_python), ("### JavaScript client example", "js", drive_javascript)],
    ids=["python", "javascript"],
)
def test_the_docs_client_handles_every_event_once_whatever_the_order(heading: str, language: str, drive: Any) -> None:
    outcome = drive(first_block(heading, language))

    assert outcome["handled"] == EXPECTED_HANDLED  # seq 3 after seq 4, and seq 6 replayed after 7: none lost
    assert outcome["joins"] == EXPECTED_SINCE
    assert outcome["watermark"] == EXPECTED_WATERMARK  # past the staff-only seq 9, not stuck below it
