// The group's records beside the chat: the team (assignments), vouchers and what is still missing.
// The office sees all three; guides and drivers see the team. Each panel reloads when the room hears
// that its records changed (assignment, voucher, flight, rooming or participant events).

import { api } from "../api.js";
import { el as h } from "../ui.js";
import { clear } from "./dom.js";
import { dayLabel } from "./itinerary.js";

const RELOAD_DELAY_MS = 300;

function contactLinks(person) {
  return [
    person.phone ? h("a", { href: `tel:${person.phone.replace(/[^+0-9]/g, "")}`, "aria-label": `Call ${person.name}` }, person.phone) : null,
    person.email ? h("a", { href: `mailto:${person.email}` }, person.email) : null,
  ].filter(Boolean);
}

export function teamList(team, { showStatus = true } = {}) {
  if (!team.length) return h("p", { class: "empty" }, "Nobody is assigned yet.");
  return h("ul", { class: "team-list" }, team.map((person) => h("li", { class: "team-member" },
    h("span", { class: "team-name" }, person.name ?? person.staff_name),
    h("span", { class: "badge" }, person.primary === false ? `${person.role} (backup)` : person.role),
    showStatus ? h("span", { class: `badge assignment ${person.status}` }, person.status) : null,
    h("span", { class: "team-contact" }, contactLinks(person)))));
}

function voucherSummary(voucher) {
  const d = voucher.details || {};
  if (d.type === "hotel") return `Hotel · ${dayLabel(d.check_in)} → ${dayLabel(d.check_out)}`;
  if (d.type === "restaurant") return `${d.meal_type || "Meal"} · ${d.guest_count} guests at ${d.time}`;
  if (d.type === "entrance") return `${d.attraction}`;
  return voucher.type;
}

function voucherList(vouchers) {
  if (!vouchers.length) return h("p", { class: "empty" }, "No vouchers issued yet.");
  return h("ul", { class: "room-vouchers" }, vouchers.map((voucher) => h("li", { class: "voucher" },
    h("span", { class: "voucher-number" }, voucher.number),
    h("span", { class: `badge voucher-status ${voucher.status}` }, voucher.status),
    h("span", { class: "voucher-what" }, voucherSummary(voucher)),
    h("span", { class: "voucher-date" }, dayLabel(voucher.service_date)))));
}

function missingList(missing) {
  if (!missing.items.length) return h("p", { class: "ok" }, "Nothing is missing.");
  return h("ul", { class: "missing-list" }, missing.items.map((item) => h("li", { class: `missing ${item.severity}` },
    h("span", { class: `badge severity ${item.severity}` }, item.severity),
    h("span", { class: "missing-area" }, item.area),
    h("span", { class: "missing-message" }, item.message))));
}

export class GroupPanels {
  // containers: {team, vouchers, missing} (null when the viewer may not see that panel)
  constructor(containers, { groupId, office, onError }) {
    Object.assign(this, { containers, groupId, office, onError });
  }

  async reload() {
    const base = `/api/v1/groups/${this.groupId}`;
    const jobs = [];
    const show = (name, path, render) => {
      const container = this.containers[name];
      if (!container) return;
      container.setAttribute("aria-busy", "true");
      jobs.push(api("GET", `${base}${path}`)
        .then((data) => clear(container).append(render(data)))
        .catch((error) => clear(container).append(h("p", { class: "error" }, error.message)))
        .finally(() => container.removeAttribute("aria-busy")));
    };
    if (this.office) {
      show("team", "/assignments", (rows) => teamList(rows));
      show("vouchers", "/vouchers", voucherList);
      show("missing", "/missing", missingList);
    } else {
      show("team", "/team", (trip) => teamList(trip.team));
    }
    await Promise.all(jobs);
  }

  // Any record event in the room: reload once the burst is over.
  changed() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
  }
}
