// The conversations of a page, one tab each: the group's chat, the staff channel (staff only) and direct
// messages. Each runs its own room session over the page's one socket (its own seq, replay, history),
// so a tab that is not shown still hears everything and counts what is new. A direct message that
// arrives for a conversation not open yet opens its tab: the hub sends those to both people wherever
// they are (docs/realtime.md, "Rooms").

import { el as h } from "../ui.js";
import { ChatPanel } from "./chat.js";
import { clear } from "./dom.js";
import { RoomSession } from "./session.js";

const NEWS = ["chat:message", "file:shared", "bot:handoff"];

// Two people's conversation: the same key whoever opens it (the hub sorts the ids the same way).
export function dmRoom(one, other) {
  const [first, second] = [String(one), String(other)].sort();
  return `dm:${first}:${second}`;
}

export class Conversations {
  // tabs: the tab list; panels: where the chats go; options: socket, me, timeZone, onError(message),
  // onSelect(room) (the file picker follows the shown conversation), onOpen(entry) (a conversation started).
  constructor(tabs, panels, options) {
    Object.assign(this, options);
    this.tabs = tabs;
    this.panels = panels;
    this.open = new Map(); // room → {room, tab, count, panel, chat}
    this.active = null;
    for (const name of ["chat:message", "file:shared"]) this.socket.on(name, (event) => this.incoming(event));
  }

  // A conversation whose chat and session the page runs itself (the group's, with its itinerary).
  adopt(room, label, panel, chat, note) {
    const entry = this.addTab(room, label, panel, chat, note);
    if (!this.active) this.select(room);
    return entry;
  }

  // A conversation run here: the staff channel, a direct message. `title` names it in the input's label,
  // `note` says who reads it.
  start(room, label, title, note) {
    if (this.open.has(room)) return this.open.get(room);
    const panel = h("div", { class: "chat", hidden: true });
    this.panels.append(panel);
    const chat = new ChatPanel(panel, { socket: this.socket, room, me: this.me, timeZone: this.timeZone,
      label: title || label, onError: this.onError });
    const entry = this.addTab(room, label, panel, chat, note ?? `Private: only you and ${label} read this.`);
    new RoomSession(this.socket, room, {
      onReload: () => chat.reload().catch((error) => this.onError?.(error.message)),
      onJoined: () => chat.flush(),
      onEvent: (name, event) => {
        chat.handle(name, event);
        this.noticed(room, name, event);
      },
      onRefused: (ack) => this.onError?.(`You cannot open “${label}”: ${ack.message}`),
    }).start();
    this.onOpen?.(entry);
    if (!this.active) this.select(room);
    return entry;
  }

  // Someone wrote to me directly: open the conversation (its join loads the message) if it is not open.
  incoming(event) {
    const room = event?.room;
    if (typeof room !== "string" || !room.startsWith("dm:") || this.open.has(room)) return;
    if (!room.split(":").includes(String(this.me.id))) return;
    const author = event.message?.author;
    const entry = this.start(room, author && author.id !== this.me.id ? author.name : "Direct message");
    this.markUnread(entry);
  }

  // A room event a conversation handled: news in a tab that is not shown counts as unread.
  noticed(room, name, event) {
    const entry = this.open.get(room);
    if (!entry || room === this.active || !NEWS.includes(name)) return;
    if (event.message?.author?.id === this.me.id) return;
    this.markUnread(entry);
  }

  markUnread(entry) {
    if (entry.room === this.active) return;
    entry.unread += 1;
    clear(entry.count).append(String(entry.unread));
    entry.count.hidden = false;
    entry.tab.setAttribute("aria-label", `${entry.label}, ${entry.unread} new`);
  }

  addTab(room, label, panel, chat, note) {
    if (note) panel.prepend(h("p", { class: "conv-note" }, note));
    const id = `conv-${this.open.size}`;
    const count = h("span", { class: "tab-count", hidden: true, "aria-hidden": "true" });
    const tab = h("button", { type: "button", role: "tab", id, class: "conv-tab", "aria-selected": "false",
      "data-room": room, onclick: () => this.select(room), onkeydown: (e) => this.onKey(e) }, label, count);
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", id);
    panel.dataset.room = room;
    this.tabs.append(tab);
    const entry = { room, label, tab, count, panel, chat, unread: 0 };
    this.open.set(room, entry);
    return entry;
  }

  select(room) {
    const entry = this.open.get(room);
    if (!entry) return;
    this.active = room;
    for (const other of this.open.values()) {
      const shown = other === entry;
      other.panel.hidden = !shown;
      other.tab.setAttribute("aria-selected", String(shown));
      other.tab.tabIndex = shown ? 0 : -1;
    }
    entry.unread = 0;
    entry.count.hidden = true;
    entry.tab.setAttribute("aria-label", entry.label);
    entry.chat.scrollToEnd();
    this.onSelect?.(room);
  }

  // Arrow keys move between tabs, as in any tab list.
  onKey(event) {
    const tabs = [...this.tabs.querySelectorAll("[role=tab]")];
    const at = tabs.indexOf(event.currentTarget);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = tabs[(at + step + tabs.length) % tabs.length];
    next.focus();
    this.select(next.dataset.room);
  }
}
