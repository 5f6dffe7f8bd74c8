// One itinerary item: a read-only card (travelers) or an in-place editor whose every field change is
// one `set_fields` op (per-field last writer wins on the hub, so two people editing different fields
// of one item both keep their change).

import { el as h } from "../ui.js";
import { clear } from "./dom.js";

export const KINDS = ["transfer", "visit", "meal", "hotel", "flight", "free", "note"];
export const STATUSES = ["planned", "confirmed", "done", "cancelled"];

export function mapLink(place) {
  if (!place) return null;
  let href = null;
  if (typeof place.lat === "number" && typeof place.lon === "number") {
    href = `https://www.openstreetmap.org/?mlat=${place.lat}&mlon=${place.lon}#map=17/${place.lat}/${place.lon}`;
  } else if (place.address || place.name) {
    href = `https://www.openstreetmap.org/search?query=${encodeURIComponent(place.address || place.name)}`;
  }
  if (!href) return null;
  const label = place.name || place.address || "the place";
  return h("a", { class: "map-link", href, target: "_blank", rel: "noopener", "aria-label": `Map of ${label} (OpenStreetMap)` }, "Map");
}

function timeRange(item) {
  if (!item.start) return "Any time";
  return item.end ? `${item.start}–${item.end}` : item.start;
}

function editedBy(editor, me) {
  if (!editor || !editor.name) return "";
  return `edited by ${editor.id === me.id ? "you" : editor.name}`;
}

export function itemView(item, editor, me) {
  const place = item.place && (item.place.name || item.place.address)
    ? h("p", { class: "item-place" }, [item.place.name, item.place.address].filter(Boolean).join(", "), " ", mapLink(item.place))
    : null;
  return h("li", { class: `item kind-${item.kind} status-${item.status}`, "data-id": item.id, "data-day": item.day },
    h("p", { class: "item-time" }, timeRange(item)),
    h("div", { class: "item-body" },
      h("h4", { class: "item-title" }, item.title),
      h("p", { class: "item-tags" }, h("span", { class: "badge" }, item.kind),
        item.status !== "planned" ? h("span", { class: `badge status ${item.status}` }, item.status) : null),
      place,
      item.notes ? h("p", { class: "item-notes" }, item.notes) : null,
      editor ? h("p", { class: "edited-by" }, editedBy(editor, me)) : null));
}

function select(field, options, value, label) {
  return h("select", { "data-field": field, "aria-label": label },
    options.map((option) => h("option", { value: option, selected: option === value }, option)));
}

// actions: days, editor, me, send(op), move(direction)
export function itemEditor(item, actions) {
  const { days, editor, me, send, move } = actions;
  const input = (field, attrs) => h("input", { "data-field": field, ...attrs });
  const node = h("li", { class: `item editable kind-${item.kind} status-${item.status}`, "data-id": item.id,
    "data-day": item.day, role: "group", "aria-label": item.title },
  h("div", { class: "item-main" },
    input("start", { type: "time", "aria-label": "Start time" }),
    input("end", { type: "time", "aria-label": "End time" }),
    input("title", { type: "text", maxlength: "200", required: true, class: "item-title-input", "aria-label": "Title" }),
    select("kind", KINDS, item.kind, "Kind"),
    select("status", STATUSES, item.status, "Status")),
  h("details", { class: "item-more" },
    h("summary", {}, "Place, notes, day"),
    h("div", { class: "item-more-fields" },
      h("label", {}, "Place ", input("place.name", { type: "text", maxlength: "200" })),
      h("label", {}, "Address ", input("place.address", { type: "text", maxlength: "500" })),
      h("label", {}, "Notes ", h("textarea", { "data-field": "notes", rows: "2", maxlength: "4000" })),
      h("label", {}, "Day ", select("day", days, item.day, "Day")))),
  h("div", { class: "item-foot" },
    h("span", { class: "map-slot" }),
    h("span", { class: "edited-by", "aria-live": "polite" }),
    h("span", { class: "item-buttons" },
      h("button", { type: "button", class: "icon", "aria-label": "Move up", onclick: () => move(-1) }, "↑"),
      h("button", { type: "button", class: "icon", "aria-label": "Move down", onclick: () => move(1) }, "↓"),
      h("button", { type: "button", class: "link danger", onclick: () => send({ type: "remove_item", item_id: item.id }) }, "Remove"))));

  node.addEventListener("change", (event) => {
    const field = event.target.dataset?.field;
    if (!field) return;
    const current = node.item;
    const value = event.target.value;
    if (field === "day") {
      send({ type: "move_item", item_id: current.id, day: value });
    } else if (field.startsWith("place.")) {
      const place = { ...(current.place || {}) };
      place[field.slice(6)] = value.trim();
      const empty = !place.name && !place.address && place.lat == null && place.lon == null;
      send({ type: "set_fields", item_id: current.id, fields: { place: empty ? null : place } });
    } else if (field === "title" && !value.trim()) {
      patchEditor(node, current, null, me, true); // a title is required: put it back
    } else {
      const fieldValue = (field === "start" || field === "end") ? (value || null) : value;
      send({ type: "set_fields", item_id: current.id, fields: { [field]: fieldValue } });
    }
  });
  patchEditor(node, item, editor, me, true);
  return node;
}

const FIELD_VALUE = {
  start: (item) => item.start || "",
  end: (item) => item.end || "",
  "place.name": (item) => item.place?.name || "",
  "place.address": (item) => item.place?.address || "",
};

// Bring the editor's fields to the item's state. The field being typed in keeps what the person typed
// (their change goes out when they leave it), unless `force` (a refused change is put back).
export function patchEditor(node, item, editor, me, force = false) {
  node.item = item;
  node.className = `item editable kind-${item.kind} status-${item.status}`;
  node.setAttribute("aria-label", item.title);
  for (const field of node.querySelectorAll("[data-field]")) {
    if (!force && field === document.activeElement) continue;
    const name = field.dataset.field;
    const value = FIELD_VALUE[name] ? FIELD_VALUE[name](item) : String(item[name] ?? "");
    if (field.value !== value) field.value = value;
  }
  const slot = node.querySelector(".map-slot");
  clear(slot).append(mapLink(item.place) || "");
  if (editor !== null) node.querySelector(".edited-by").textContent = editedBy(editor, me);
}
