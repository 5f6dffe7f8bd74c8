// The chat of a room: history with infinite scroll back, live messages, edits and deletions,
// sending that survives a dropped connection (same client_id, so a resend is never a duplicate),
// the typing indicator and file previews. Used by the group room and the traveler view.

import { call } from "./session.js";
import { el as h } from "../ui.js";
import { clear, localTime, newId } from "./dom.js";
import { filePreview } from "./previews.js";

const PAGE = 50;
// Why the assistant handed a traveler over (docs/realtime.md, `bot:handoff`), in words for the staff.
const HANDOFF_REASONS = {
  emergency: "Reported an emergency to the assistant.",
  asked: "Asked the assistant for a person.",
  complaint: "Has a complaint.",
  negative_sentiment: "Sounded upset with the assistant.",
  low_confidence: "The assistant was not sure it understood.",
};
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 4000;

export class ChatPanel {
  // options: socket, room, me ({id, name}), timeZone, label (the heading), onError(message)
  constructor(container, options) {
    Object.assign(this, options);
    this.messages = new Map(); // message id → {message, node}
    this.outbox = []; // {client_id, text, node}: shown as "sending…" until the hub has them
    this.hasMore = false;
    this.loadingOlder = false;
    this.typists = new Map(); // user id → {name, timer}
    this.lastTypingSent = 0;
    this.readSeq = 0;
    this.build(container);
  }

  build(container) {
    const inputId = `chat-input-${newId().slice(0, 8)}`;
    this.older = h("button", { type: "button", class: "chat-older", hidden: true, onclick: () => this.loadOlder() },
      "Load earlier messages");
    this.list = h("ol", { class: "chat-log", "aria-label": `Messages in ${this.label}` });
    this.scroller = h("div", { class: "chat-scroll", tabindex: "0", role: "log", "aria-live": "polite",
      "aria-relevant": "additions" }, this.older, this.list);
    // Shown when messages arrive while the reader is scrolled up in the history.
    this.newBelow = h("button", { type: "button", class: "chat-new", hidden: true, onclick: () => this.scrollToEnd() },
      "New messages ↓");
    this.scroller.addEventListener("scroll", () => {
      if (this.isAtEnd()) this.newBelow.hidden = true;
    });
    this.typing = h("p", { class: "chat-typing", role: "status" });
    this.input = h("textarea", { id: inputId, rows: "2", maxlength: "4000", required: true, autocomplete: "off",
      placeholder: "Write a message…", onkeydown: (e) => this.onKey(e), oninput: () => this.onTyping() });
    this.form = h("form", { class: "chat-form", onsubmit: (e) => this.onSubmit(e) },
      h("label", { for: inputId, class: "visually-hidden" }, `Message to ${this.label}`),
      this.input,
      h("button", { type: "submit", class: "button primary" }, "Send"));
    container.append(this.scroller, this.newBelow, this.typing, this.form);
    // Reaching the top of the list loads the page before it; the button does the same from the keyboard.
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.loadOlder();
    }, { root: this.scroller }).observe(this.older);
  }

  // First join or resync: the latest page replaces whatever the list held.
  async reload() {
    // Clear first: a message broadcast while the page is on its way stays, and the page merges in.
    this.messages.clear();
    for (const child of [...this.list.children]) if (!child.dataset.pending) child.remove();
    const ack = await call(this.socket, "chat:history", { room: this.room, limit: PAGE });
    if (!ack.ok) return this.onError?.(ack.message);
    for (const message of ack.messages) this.upsert(message, false);
    this.setHasMore(ack.has_more);
    this.scrollToEnd();
  }

  async loadOlder() {
    if (!this.hasMore || this.loadingOlder) return;
    const oldest = Math.min(...[...this.messages.values()].map((m) => m.message.seq));
    this.loadingOlder = true;
    try {
      const ack = await call(this.socket, "chat:history", { room: this.room, before_seq: oldest, limit: PAGE });
      if (!ack.ok) return this.onError?.(ack.message);
      // Keep what the reader looks at in place while older messages land above it.
      const before = this.scroller.scrollHeight;
      for (const message of ack.messages) this.upsert(message, false);
      this.scroller.scrollTop += this.scroller.scrollHeight - before;
      this.setHasMore(ack.has_more);
    } finally {
      this.loadingOlder = false;
    }
  }

  setHasMore(more) {
    this.hasMore = more;
    this.older.hidden = !more;
  }

  handle(name, event) {
    if (name === "chat:message" || name === "chat:updated" || name === "file:shared") {
      const atEnd = this.isAtEnd();
      this.upsert(event.message, true);
      if (atEnd || event.message.author.id === this.me.id) this.scrollToEnd();
      else if (name !== "chat:updated") this.newBelow.hidden = false;
      this.markRead(event.seq);
    } else if (name === "bot:handoff" && event.handoff) {
      this.showHandoff(event.seq, event.handoff);
    } else if (name === "presence:typing" && event.user.id !== this.me.id) {
      this.showTyping(event.user);
    }
  }

  upsert(message, live) {
    const known = this.messages.get(message.id);
    if (known && !live && isNewer(known.message, message)) return; // a page read before a live edit
    const pending = this.outbox.find((p) => p.client_id === message.client_id && message.author.id === this.me.id);
    if (pending) {
      pending.node.remove();
      this.outbox = this.outbox.filter((p) => p !== pending);
    }
    const node = this.render(message);
    if (known) {
      known.node.replaceWith(node);
    } else {
      this.insertInOrder(node, message.seq);
      if (live && message.author.id !== this.me.id) this.clearTyping(message.author.id);
    }
    this.messages.set(message.id, { message, node });
  }

  // The assistant passed a traveler to the people of the room: show what they asked, to answer here.
  showHandoff(seq, handoff) {
    const key = `handoff:${handoff.id}`;
    if (this.messages.has(key) || handoff.redacted || !handoff.traveler) return; // travelers get a stub
    const transcript = h("ol", { class: "handoff-transcript" },
      (handoff.transcript || []).map((turn) => h("li", { class: `turn ${turn.from}` },
        h("span", { class: "turn-from" }, turn.from === "bot" ? "Assistant" : handoff.traveler.name), ": ", turn.text)));
    const node = h("li", { class: "msg handoff", "data-seq": seq },
      h("div", { class: "msg-head" },
        h("span", { class: "msg-author" }, `${handoff.traveler.name} needs a person`),
        h("time", { datetime: handoff.created_at }, localTime(handoff.created_at, this.timeZone, true))),
      h("p", { class: "msg-text" }, HANDOFF_REASONS[handoff.reason] || "The assistant passed the conversation on."),
      handoff.transcript?.length ? h("details", {}, h("summary", {}, "What they asked the assistant"), transcript) : null);
    this.insertInOrder(node, seq);
    this.messages.set(key, { message: { seq, id: key }, node });
    if (this.isAtEnd()) this.scrollToEnd();
  }

  insertInOrder(node, seq) {
    const after = [...this.list.children].find((li) => li.dataset.pending || Number(li.dataset.seq) > seq);
    this.list.insertBefore(node, after || null);
  }

  render(message) {
    const mine = message.author.id === this.me.id;
    const classes = ["msg", mine ? "mine" : "", message.deleted ? "deleted" : ""].filter(Boolean).join(" ");
    let body;
    if (message.deleted) body = h("p", { class: "msg-text" }, "Message deleted");
    else if (message.kind === "file" && message.file) body = filePreview(message.file);
    else body = h("p", { class: "msg-text" }, message.text);
    const actions = mine && !message.deleted && message.kind === "text"
      ? h("div", { class: "msg-actions" },
        h("button", { type: "button", class: "link", onclick: () => this.startEdit(message) }, "Edit"),
        h("button", { type: "button", class: "link", onclick: () => this.remove(message) }, "Delete"))
      : null;
    return h("li", { class: classes, "data-seq": message.seq, "data-id": message.id },
      h("div", { class: "msg-head" },
        h("span", { class: "msg-author" }, mine ? `${message.author.name} (you)` : message.author.name),
        h("time", { datetime: message.created_at }, localTime(message.created_at, this.timeZone, true)),
        message.edited_at && !message.deleted ? h("span", { class: "msg-edited" }, "edited") : null),
      body, actions);
  }

  startEdit(message) {
    const entry = this.messages.get(message.id);
    if (!entry) return;
    const field = h("textarea", { rows: "2", maxlength: "4000", "aria-label": "Edit your message", value: message.text });
    const form = h("form", { class: "msg-edit", onsubmit: async (e) => {
      e.preventDefault();
      const text = field.value.trim();
      if (!text) return;
      const ack = await call(this.socket, "chat:edit", { room: this.room, message_id: message.id, text });
      if (!ack.ok) this.onError?.(ack.message);
      else this.upsert(ack.message, false);
    } }, field,
    h("button", { type: "submit", class: "button" }, "Save"),
    h("button", { type: "button", class: "button", onclick: () => this.upsert(message, false) }, "Cancel"));
    entry.node.querySelector(".msg-text")?.replaceWith(form);
    field.focus();
  }

  async remove(message) {
    const ack = await call(this.socket, "chat:delete", { room: this.room, message_id: message.id });
    if (!ack.ok) this.onError?.(ack.message);
    else this.upsert(ack.message, false);
  }

  onKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.form.requestSubmit();
    }
  }

  onTyping() {
    const now = Date.now();
    if (!this.socket.connected || now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = now;
    this.socket.emit("presence:typing", { room: this.room }, () => {});
  }

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    const pending = { client_id: newId(), text, node: null };
    pending.node = h("li", { class: "msg mine pending", "data-pending": "1" },
      h("div", { class: "msg-head" }, h("span", { class: "msg-author" }, `${this.me.name} (you)`),
        h("span", { class: "msg-status" }, "sending…")),
      h("p", { class: "msg-text" }, text));
    this.list.append(pending.node);
    this.outbox.push(pending);
    this.scrollToEnd();
    this.flush();
  }

  // Send whatever waits, in order. Called after each (re)join; a resend with the same client_id
  // returns the stored message, so a send whose ack was lost is never doubled.
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length && this.socket.connected) {
        const pending = this.outbox[0];
        const ack = await call(this.socket, "chat:send", { room: this.room, client_id: pending.client_id, text: pending.text });
        if (ack.ok) {
          this.upsert(ack.message, false);
        } else if (ack.error === "timeout" || ack.error === "forbidden" || ack.error === "rate_limited") {
          break; // not joined (yet) or the connection dropped: the next join flushes again
        } else {
          pending.node.querySelector(".msg-status").textContent = `not sent: ${ack.message}`;
          this.outbox.shift();
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  markRead(seq) {
    if (document.visibilityState !== "visible" || seq <= this.readSeq) return;
    this.readSeq = seq;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.socket.emit("chat:read", { room: this.room, seq: this.readSeq }, () => {}), 1000);
  }

  showTyping(user) {
    const known = this.typists.get(user.id);
    if (known) clearTimeout(known.timer);
    this.typists.set(user.id, { name: user.name, timer: setTimeout(() => this.clearTyping(user.id), TYPING_SHOWN_MS) });
    this.renderTyping();
  }

  clearTyping(userId) {
    const known = this.typists.get(userId);
    if (!known) return;
    clearTimeout(known.timer);
    this.typists.delete(userId);
    this.renderTyping();
  }

  renderTyping() {
    const names = [...this.typists.values()].map((t) => t.name);
    clear(this.typing);
    if (names.length === 1) this.typing.append(`${names[0]} is typing…`);
    else if (names.length > 1) this.typing.append(`${names.slice(0, -1).join(", ")} and ${names.at(-1)} are typing…`);
  }

  isAtEnd() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.newBelow.hidden = true;
  }
}

// Did `a` change after `b` (a later edit, or a deletion)? Messages only ever get edited or deleted.
function isNewer(a, b) {
  if (a.deleted !== b.deleted) return a.deleted;
  return (a.edited_at || "") > (b.edited_at || "");
}
