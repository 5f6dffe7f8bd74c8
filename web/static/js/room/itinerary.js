// The itinerary, live: read-only for travelers, an in-place editor for the people who may edit.
// Edits go out as ops (client op id, base seq); the page changes only when the broadcast comes back,
// so every open page shows the server's order of events. Other people's edits update the item in
// place (never the field you are typing in) and say who made them.

import { api } from "../api.js";
import { call } from "./session.js";
import { ItineraryModel } from "./itinerary-model.js";
import { itemEditor, itemView, patchEditor } from "./itinerary-item.js";
import { el as h } from "../ui.js";
import { clear, newId } from "./dom.js";

const WARNINGS_DELAY_MS = 800;

export class ItineraryPanel {
  // options: socket, groupId, me, editable, onError(message)
  constructor(container, options) {
    Object.assign(this, options);
    this.model = new ItineraryModel();
    this.outbox = []; // ops not yet acknowledged: resent with the same client op id after a rejoin
    this.nodes = new Map(); // item id → li
    this.tzNote = h("p", { class: "hint" });
    this.warnings = h("ul", { class: "warnings", "aria-label": "Itinerary warnings" });
    this.daysNode = h("div", { class: "days" });
    container.append(this.tzNote, this.warnings, this.daysNode);
  }

  async reload() {
    this.model.unload(); // broadcasts wait until the snapshot is in
    const [snapshot, history] = await Promise.all([
      api("GET", `/api/v1/groups/${this.groupId}/itinerary`),
      this.editable ? api("GET", `/api/v1/groups/${this.groupId}/itinerary/history?limit=100`).catch(() => []) : [],
    ]);
    this.model.load(snapshot);
    // Editors see who changed each item last; readers only hear about changes made while they look.
    if (this.editable) this.model.rememberEditors(history);
    this.tzNote.textContent = `Times are local to the group (${snapshot.timezone}).`;
    this.showWarnings(snapshot.warnings);
    this.renderAll();
  }

  handle(name, event) {
    if (name !== "itinerary:applied") return;
    const touched = this.model.receive(event);
    if (touched === null) {
      this.reload().catch((error) => this.onError?.(error.message));
      return;
    }
    if (!this.model.loaded || !touched.length) return;
    const remote = event.author.id !== this.me.id;
    for (const id of touched) this.refreshItem(id, remote);
    this.refreshWarnings();
  }

  renderAll() {
    clear(this.daysNode);
    this.nodes.clear();
    this.dayLists = new Map();
    for (const day of this.model.days) {
      const list = h("ol", { class: "items", "aria-label": `Plan for ${dayLabel(day)}` });
      this.dayLists.set(day, list);
      const section = h("section", { class: "day", "data-day": day },
        h("h3", {}, dayLabel(day)), list, this.editable ? this.addForm(day) : null);
      this.daysNode.append(section);
      for (const item of this.model.itemsOf(day)) list.append(this.renderItem(item));
      this.markEmpty(day);
    }
  }

  renderItem(item) {
    const editor = this.model.editors.get(item.id);
    const node = this.editable
      ? itemEditor(item, { days: this.model.days, editor, me: this.me, send: (op) => this.send(op), move: (dir) => this.move(item.id, dir) })
      : itemView(item, editor, this.me);
    this.nodes.set(item.id, node);
    return node;
  }

  // One item changed: patch its node where it stands, then put the day's items in order.
  // `force` also resets the field being typed in (after the hub refused a change to it).
  refreshItem(id, remote, force = false) {
    const item = this.model.items.get(id);
    const old = this.nodes.get(id);
    if (!item || item.removed) {
      old?.remove();
      this.nodes.delete(id);
    } else if (old && this.editable && old.dataset.day === item.day) {
      patchEditor(old, item, this.model.editors.get(id), this.me, force);
    } else {
      const node = this.renderItem(item);
      if (old && old.dataset.day === item.day) old.replaceWith(node);
      else {
        old?.remove(); // moved to another day
        this.dayLists.get(item.day)?.append(node);
      }
    }
    if (item && !item.removed) {
      const node = this.nodes.get(id);
      node.dataset.day = item.day;
      if (remote) flash(node);
    }
    for (const day of this.model.days) this.reorder(day);
  }

  reorder(day) {
    const list = this.dayLists.get(day);
    if (!list) return;
    const wanted = this.model.itemsOf(day).map((item) => this.nodes.get(item.id)).filter(Boolean);
    const current = [...list.children].filter((node) => node.dataset.id);
    for (const node of current) if (!wanted.includes(node)) node.remove();
    if (wanted.length !== current.length || wanted.some((node, i) => node !== current[i])) {
      // Moving the node with the focus would blur it; keep it and move the others around it.
      const focused = document.activeElement;
      for (const node of wanted) if (!node.contains(focused)) list.append(node);
      const anchor = wanted.find((node) => node.contains(focused));
      if (anchor) {
        const index = wanted.indexOf(anchor);
        for (const node of wanted.slice(0, index)) list.insertBefore(node, anchor);
      }
    }
    this.markEmpty(day);
  }

  markEmpty(day) {
    const list = this.dayLists.get(day);
    const empty = list.querySelector(".empty");
    const hasItems = list.querySelector("[data-id]");
    if (hasItems && empty) empty.remove();
    if (!hasItems && !empty) list.append(h("li", { class: "empty" }, "Nothing planned yet."));
  }

  addForm(day) {
    const title = h("input", { type: "text", maxlength: "200", required: true, placeholder: "What happens?", "aria-label": `New item on ${dayLabel(day)}: title` });
    const start = h("input", { type: "time", "aria-label": `New item on ${dayLabel(day)}: start time` });
    return h("form", { class: "add-item", onsubmit: (e) => {
      e.preventDefault();
      if (!title.value.trim()) return;
      const items = this.model.itemsOf(day);
      const fields = { title: title.value.trim(), ...(start.value ? { start: start.value } : {}) };
      this.send({ type: "add_item", item_id: newId(), day, after: items.length ? items.at(-1).id : null, fields });
      title.value = "";
      start.value = "";
    } }, start, title, h("button", { type: "submit", class: "button" }, "Add"));
  }

  move(id, direction) {
    const item = this.model.items.get(id);
    const items = this.model.itemsOf(item.day);
    const index = items.findIndex((other) => other.id === id);
    if (direction < 0 && index > 0) {
      this.send({ type: "move_item", item_id: id, day: item.day, after: index > 1 ? items[index - 2].id : null });
    } else if (direction > 0 && index < items.length - 1) {
      this.send({ type: "move_item", item_id: id, day: item.day, after: items[index + 1].id });
    }
  }

  send(op) {
    if (op.type === "move_item" && op.after === undefined) {
      const others = this.model.itemsOf(op.day).filter((item) => item.id !== op.item_id);
      op.after = others.length ? others.at(-1).id : null; // another day: to its end
    }
    this.outbox.push({ group_id: this.groupId, client_op_id: newId(), base_seq: this.model.seq ?? 0, op });
    this.flush();
  }

  // Ops go out one at a time in the order they were made; a lost ack is resent with the same id.
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length && this.socket.connected) {
        const payload = this.outbox[0];
        const ack = await call(this.socket, "itinerary:op", payload);
        if (!ack.ok && ["timeout", "rate_limited"].includes(ack.error)) break;
        if (!ack.ok && ack.message === "join the room first") break;
        this.outbox.shift();
        if (!ack.ok) {
          this.onError?.(`Not saved: ${ack.message}`);
          const id = payload.op.item_id;
          if (id && this.model.items.has(id)) this.refreshItem(id, false, true); // put the field back
        } else if (ack.dropped) {
          this.onError?.("That item was removed by someone else, so the change was dropped.");
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  refreshWarnings() {
    clearTimeout(this.warningsTimer);
    this.warningsTimer = setTimeout(async () => {
      try {
        this.showWarnings((await api("GET", `/api/v1/groups/${this.groupId}/itinerary`)).warnings);
      } catch {
        /* the next change tries again */
      }
    }, WARNINGS_DELAY_MS);
  }

  showWarnings(warnings) {
    clear(this.warnings);
    for (const warning of warnings) {
      this.warnings.append(h("li", { class: `warning ${warning.code}` }, `${dayLabel(warning.day)}: ${warning.message}`));
    }
  }
}

export function dayLabel(day) {
  const date = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(date);
}

function flash(node) {
  node.classList.remove("flash");
  void node.offsetWidth; // restart the animation
  node.classList.add("flash");
}
