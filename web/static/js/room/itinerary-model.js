// The itinerary as the hub keeps it: a map of items folded from resolved ops in seq order.
// `applyOp` is the same function as the server's (domains/itineraries/ops.py: apply_op), so every
// client that applies the broadcasts in order ends with the server's state.

const DEFAULTS = {
  kind: "note", start: null, end: null, place: null, notes: "", status: "planned",
  voucher_id: null, flight_id: null, catalog_item_id: null, staff_ids: [],
}; // the server's DEFAULTS (tests/web/test_itinerary_fold_in_js.py keeps the two equal)

const copy = (value) => (value === undefined ? undefined : structuredClone(value));

export function applyOp(items, op) {
  if (op.type === "restore") {
    for (const state of op.items) items.set(state.id, copy(state));
    return true;
  }
  const item = items.get(op.item_id);
  if (op.type === "add_item") {
    if (item) return false;
    items.set(op.item_id, { id: op.item_id, day: op.day, key: op.key, ...copy({ ...DEFAULTS, ...op.fields }), removed: false });
    return true;
  }
  if (!item || item.removed) return false;
  if (op.type === "set_fields") Object.assign(item, copy(op.fields)); // per field, the last writer wins
  else if (op.type === "move_item") Object.assign(item, { day: op.day, key: op.key });
  else if (op.type === "remove_item") item.removed = true;
  else return false;
  return true;
}

// Code-point order, like the server's `(key, id)` sort; keys and ids are ASCII.
const byKeyThenId = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function itemIdsTouched(op) {
  return op.type === "restore" ? op.items.map((state) => state.id) : [op.item_id];
}

export class ItineraryModel {
  constructor() {
    this.items = new Map();
    this.days = [];
    this.timezone = "UTC";
    this.seq = null; // null until the snapshot is in
    this.snapshotSeq = 0;
    this.waiting = []; // broadcasts that arrived before the snapshot
    this.editors = new Map(); // item id → {id, name, seq}: who changed it last
  }

  get loaded() {
    return this.seq !== null;
  }

  unload() {
    this.seq = null;
  }

  // The snapshot replaces the state; broadcasts that waited for it and are newer apply on top.
  load(snapshot) {
    this.items = new Map(snapshot.items.map((item) => [item.id, { ...item, removed: false }]));
    this.days = snapshot.days.map((day) => day.date);
    this.timezone = snapshot.timezone;
    this.groupName = snapshot.group_name;
    this.seq = this.snapshotSeq = snapshot.seq;
    const waiting = this.waiting.sort((a, b) => a.seq - b.seq);
    this.waiting = [];
    for (const event of waiting) this.receive(event);
  }

  // One `itinerary:applied` (live or replayed), already deduplicated by seq.
  // Returns the touched item ids, [] when it changed nothing, or null when the page must reload the
  // snapshot (an op older than one already applied: broadcasts from two processes crossed).
  receive(event) {
    if (!this.loaded) {
      this.waiting.push(event);
      return [];
    }
    if (event.seq <= this.snapshotSeq) return []; // the snapshot has it
    if (event.seq < this.seq) return null;
    this.seq = event.seq;
    const touched = itemIdsTouched(event.op);
    if (event.dropped || !applyOp(this.items, event.op)) return [];
    for (const id of touched) this.editors.set(id, { ...event.author, seq: event.seq });
    return touched;
  }

  // Who changed what last, from the history endpoint (newest first), for items the page has not
  // seen change live yet.
  rememberEditors(history) {
    for (const entry of [...history].reverse()) {
      if (entry.dropped) continue;
      for (const id of itemIdsTouched(entry.op)) {
        const known = this.editors.get(id);
        if (!known || known.seq < entry.seq) this.editors.set(id, { ...entry.author, seq: entry.seq });
      }
    }
  }

  itemsOf(day) {
    return [...this.items.values()].filter((item) => !item.removed && item.day === day).sort(byKeyThenId);
  }
}
