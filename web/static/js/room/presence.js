// Who is in the room: one entry per user (the hub folds tabs and devices), online, away or offline.
// People who leave stay listed as offline, so the list does not jump around.

import { el as h } from "../ui.js";
import { clear } from "./dom.js";

const ORDER = { online: 0, away: 1, offline: 2 };
const LABEL = { online: "online", away: "away", offline: "offline" };

export class PresenceList {
  // onMessage(person): when given, everyone but me gets a "Message" button (a direct conversation).
  constructor(container, me, { onMessage } = {}) {
    this.me = me;
    this.onMessage = onMessage;
    this.people = new Map(); // user id → {id, name, status}
    this.list = h("ul", { class: "presence-list", "aria-label": "People in this room" });
    container.append(this.list);
  }

  // After each (re)join: the ack's members are exactly who is here now.
  reset(members) {
    for (const person of this.people.values()) person.status = "offline";
    for (const member of members) this.people.set(member.id, { ...member });
    this.render();
  }

  update(user, status) {
    this.people.set(user.id, { id: user.id, name: user.name, status });
    this.render();
  }

  // While the socket is down we do not know who is here.
  markUnknown() {
    this.list.classList.add("stale");
  }

  render() {
    this.list.classList.remove("stale");
    const people = [...this.people.values()].sort(
      (a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name),
    );
    clear(this.list);
    for (const person of people) {
      const mine = person.id === this.me.id;
      const message = this.onMessage && !mine
        ? h("button", { type: "button", class: "link presence-message", "aria-label": `Message ${person.name}`,
          onclick: () => this.onMessage(person) }, "Message")
        : null;
      this.list.append(h("li", { class: `presence ${person.status}`, "data-user": person.id },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("span", { class: "presence-name" }, `${person.name}${mine ? " (you)" : ""}`),
        h("span", { class: "presence-status" }, LABEL[person.status] || person.status),
        message));
    }
  }
}
