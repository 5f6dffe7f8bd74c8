// Chat with the assistant over the page's socket. `bot:ask {text}` answers in its ack
// (`{ok, reply, intent, confidence, entities, handoff}`), and the hub also sends `bot:reply
// {question, reply, …}` to every connection of the traveler, so a question asked on the phone shows on
// the laptop too. The asking page shows the answer once, whichever of the two arrives first.
// A hub without the assistant (no handler, so no ack) or an error ack gets a plain apology.

import { el as h } from "../ui.js";
import { newId } from "./dom.js";
import { call } from "./session.js";

const ASK_TIMEOUT_MS = 30000; // the first question after a start may load the intent model
const UNAVAILABLE = "The assistant is not available right now. Ask in the group chat; your guide will answer.";

export class BotChat {
  constructor(container, { socket }) {
    this.socket = socket;
    this.pending = null; // {text, answered, thinking}: the question this page is waiting on
    const inputId = `bot-input-${newId().slice(0, 8)}`;
    this.log = h("ol", { class: "chat-log bot-log", "aria-label": "Conversation with the assistant" },
      h("li", { class: "msg bot" }, h("p", { class: "msg-text" },
        "Hi! Ask me about your plan: times, places, your hotel, who to call.")));
    this.scroller = h("div", { class: "chat-scroll", role: "log", "aria-live": "polite", tabindex: "0" }, this.log);
    this.input = h("input", { id: inputId, type: "text", maxlength: "1000", autocomplete: "off", placeholder: "e.g. When does the bus leave tomorrow?" });
    this.button = h("button", { type: "submit", class: "button primary" }, "Ask");
    const form = h("form", { class: "chat-form bot-form", onsubmit: (e) => this.onSubmit(e) },
      h("label", { for: inputId, class: "visually-hidden" }, "Question for the assistant"), this.input, this.button);
    container.append(this.scroller, form);
    socket.on("bot:reply", (event) => this.onReply(event));
  }

  onReply(event) {
    if (!event || !event.reply) return;
    const mine = this.pending && !this.pending.answered && event.question === this.pending.text;
    if (mine) this.answer(event);
    else { // asked from another tab or device of the same person
      this.say("me", event.question || "");
      this.showReply(event);
    }
  }

  async onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text || this.pending) return;
    this.input.value = "";
    this.say("me", text);
    this.pending = { text, answered: false, thinking: this.say("bot pending", "…") };
    this.button.disabled = true;
    try {
      const ack = this.socket.connected
        ? await call(this.socket, "bot:ask", { text }, ASK_TIMEOUT_MS)
        : { ok: false, error: "offline" };
      if (this.pending.answered) return;
      if (ack.ok && ack.reply) this.answer(ack);
      else {
        this.pending.thinking.remove();
        if (ack.error === "offline") this.say("bot error", "You are offline; ask again when the connection is back.");
        else if (ack.error === "invalid" && ack.message) this.say("bot error", ack.message);
        else this.say("bot error", UNAVAILABLE);
      }
    } finally {
      this.pending = null;
      this.button.disabled = false;
    }
  }

  answer(reply) {
    this.pending.answered = true;
    this.pending.thinking.remove();
    this.showReply(reply);
  }

  showReply(reply) {
    this.say(reply.handoff ? "bot handoff-note" : "bot", reply.reply); // a hand-off reply says who answers next
  }

  say(who, text) {
    const node = h("li", { class: `msg ${who}` },
      h("span", { class: "visually-hidden" }, who === "me" ? "You: " : "Assistant: "),
      h("p", { class: "msg-text" }, text));
    this.log.append(node);
    this.scroller.scrollTop = this.scroller.scrollHeight;
    return node;
  }
}
