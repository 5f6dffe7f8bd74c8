// One group room over the page's socket: joins (and rejoins after every reconnect with `since`),
// hands each room event to the page exactly once, and says when the page must reload from scratch.

import { SeqLog } from "./seqlog.js";

// Events that are news about the moment (who is here, who types) or about the group's records.
// Room log events (chat, files, itinerary ops, hand-offs…) carry the room and a seq instead; every
// one of them, known to this page or not, moves the seq watermark, so `since` never stalls.
export const LIVE_EVENTS = [
  "presence:update",
  "presence:typing",
  "assignment:proposed",
  "assignment:confirmed",
  "assignment:declined",
  "voucher:issued",
  "voucher:transitioned",
  "voucher:redeemed",
  "flight:added",
  "flight:changed",
  "passenger:added",
  "rooming_list:updated",
  "group:status_changed",
  "participant:added",
];

const ACK_TIMEOUT_MS = 15000;

// An ack, or `{ok: false, error: "timeout"}` when none comes (a dropped connection, or no handler).
export async function call(socket, event, payload, timeoutMs = ACK_TIMEOUT_MS) {
  try {
    return await socket.timeout(timeoutMs).emitWithAck(event, payload);
  } catch {
    return { ok: false, error: "timeout", message: "no answer from the hub" };
  }
}

export class RoomSession {
  // handlers: onEvent(name, event), onReload(ack) (first join or resync: load history and snapshot),
  // onJoined(ack) (members, flush what waits to be sent), onRefused(ack).
  constructor(socket, room, handlers) {
    this.socket = socket;
    this.room = room;
    this.handlers = handlers;
    this.log = new SeqLog();
    this.joined = false;
    this.joinedOnce = false;
    this.joining = null;
  }

  start() {
    this.socket.onAny((name, event) => this.dispatch(name, event));
    this.socket.on("connect", () => this.join());
    this.socket.on("disconnect", () => {
      this.joined = false;
    });
    if (this.socket.connected) this.join();
  }

  join() {
    // A reconnect while a join is in flight waits for it rather than joining twice.
    // A failed join must not block the next one, so the chain swallows (and reports) errors.
    this.joining = (this.joining || Promise.resolve())
      .then(() => this.joinOnce())
      .catch((error) => this.handlers.onError?.(error));
    return this.joining;
  }

  async joinOnce() {
    if (!this.socket.connected) return;
    const payload = this.joinedOnce ? { room: this.room, since: this.log.watermark } : { room: this.room };
    const ack = await call(this.socket, "room:join", payload);
    if (!ack.ok) {
      if (ack.error !== "timeout") this.handlers.onRefused?.(ack);
      return;
    }
    const first = !this.joinedOnce;
    this.joinedOnce = true;
    this.joined = true;
    if (first || ack.resync) {
      // Everything up to the ack's seq comes from history and the snapshot; later events arrive live.
      this.log.reset(ack.seq);
      await this.handlers.onReload?.(ack, first);
    } else {
      // Replayed events carry their name but not always the room; they are this room's.
      for (const event of ack.missed) this.dispatch(event.event, { room: this.room, ...event });
      // Up to the ack's seq, whatever was neither seen nor replayed is not for us (hand-offs only
      // the staff see, say); without this the watermark would wait for it forever.
      this.log.advanceTo(ack.seq);
    }
    await this.handlers.onJoined?.(ack);
  }

  dispatch(name, event) {
    if (!event || typeof event !== "object" || (event.room && event.room !== this.room)) return;
    const logged = typeof event.seq === "number" && event.room === this.room;
    if (logged && !this.log.accept(event.seq)) return;
    if (logged || LIVE_EVENTS.includes(name)) this.handlers.onEvent?.(name, event);
  }
}
