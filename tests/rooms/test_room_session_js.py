"""The room session of the web app (web/static/js/room/session.js, run by Node against a stand-in socket)
hands every room event to the page exactly once, whatever mix of live events, replays, duplicates and
out-of-order broadcasts arrives, and rejoins with `since` = the highest seq below which it has all."""

from __future__ import annotations

from typing import Any

from tests.support.node import run_node

# A socket double with the socket.io-client surface the session uses (on, onAny, emitWithAck through
# timeout, connected). `steps` drive it: connect (the next join is answered with the given ack),
# live events, and disconnects. It prints what the page handled and what each join sent.
SESSION = """
import { RoomSession } from "room/session.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { steps } = JSON.parse(input);
const listeners = {}, any = [], joins = [], handled = [];
let acks = [];
const socket = {
  connected: false,
  on(name, fn) { (listeners[name] ||= []).push(fn); },
  onAny(fn) { any.push(fn); },
  timeout() { return this; },
  async emitWithAck(name, payload) { joins.push(payload); return acks.shift(); },
};
const fire = (name, data) => {
  for (const fn of any) fn(name, data);
  for (const fn of listeners[name] || []) fn(data);
};
const session = new RoomSession(socket, "group:g", {
  onEvent: (name, event) => handled.push([name, event.seq ?? null]),
  onReload: () => handled.push(["reload", null]),
});
session.start();
for (const step of steps) {
  if (step.connect) { acks.push(step.connect); socket.connected = true; fire("connect"); await session.joining; }
  else if (step.disconnect) { socket.connected = false; fire("disconnect", "transport close"); }
  else fire(step.event, { room: "group:g", ...step.data });
}
console.log(JSON.stringify({ handled, joins, watermark: session.log.watermark }));
"""


def live(event: str, seq: int) -> dict[str, Any]:
    return {"event": event, "data": {"seq": seq}}


def ack(seq: int, missed: tuple[tuple[str, int], ...] = (), resync: bool = False) -> dict[str, Any]:
    # Replayed events carry their name and seq but no room, as the hub sends them.
    return {"connect": {"ok": True, "room": "group:g", "seq": seq, "members": [], "resync": resync,
                        "missed": [{"event": name, "seq": s} for name, s in missed]}}  # fmt: skip


def test_live_events_replays_and_duplicates_reach_the_page_once_and_rejoins_ask_from_the_watermark() -> None:
    steps = [
        ack(2),  # first join: history up to seq 2 is loaded by the page
        live("chat:message", 3),
        live("chat:message", 3),  # a duplicate broadcast
        live("itinerary:applied", 5),  # 4 is late: two processes' broadcasts crossed
        live("presence:typing", 0) | {"data": {}},  # no seq: news of the moment, always handed on
        {"disconnect": True},
        # Rejoin from 3 (4 is missing): the replay brings 4 and 5 again and what happened meanwhile.
        ack(7, missed=(("chat:message", 4), ("itinerary:applied", 5), ("bot:handoff", 6), ("file:shared", 7))),
        live("file:shared", 7),  # also arrived live: entered the room before the log was read
        live("chat:updated", 8),
    ]

    out = run_node(SESSION, {"steps": steps})

    assert out["handled"] == [
        ["reload", None],
        ["chat:message", 3],
        ["itinerary:applied", 5],
        ["presence:typing", None],
        ["chat:message", 4],
        ["bot:handoff", 6],
        ["file:shared", 7],
        ["chat:updated", 8],
    ]
    assert out["joins"] == [{"room": "group:g"}, {"room": "group:g", "since": 3}]
    assert out["watermark"] == 8


def test_a_rejoin_settles_seqs_not_meant_for_this_person_and_a_resync_reloads() -> None:
    steps = [
        ack(1),
        live("chat:message", 2),
        {"disconnect": True},
        # Seq 3 was a hand-off this traveler may not replay: the ack's seq still covers it.
        ack(4, missed=(("chat:message", 4),)),
        {"disconnect": True},
        ack(400, resync=True),  # too far behind: the page reloads instead of replaying
        live("chat:message", 401),
    ]

    out = run_node(SESSION, {"steps": steps})

    assert out["joins"][1:] == [{"room": "group:g", "since": 2}, {"room": "group:g", "since": 4}]
    assert out["handled"] == [
        ["reload", None],
        ["chat:message", 2],
        ["chat:message", 4],
        ["reload", None],
        ["chat:message", 401],
    ]
    assert out["watermark"] == 401


def test_an_event_that_beats_the_first_joins_ack_still_counts_towards_the_watermark() -> None:
    steps = [
        live("chat:message", 3),  # committed after the join read the log, broadcast before the ack came back
        ack(2),
        {"disconnect": True},
        ack(3),
    ]

    out = run_node(SESSION, {"steps": steps})

    assert out["handled"] == [["chat:message", 3], ["reload", None]]
    assert out["joins"] == [{"room": "group:g"}, {"room": "group:g", "since": 3}]
