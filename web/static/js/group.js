// The group room: chat, presence, files, the live itinerary and the group's records, over one socket.
// The room session joins and rejoins (with `since` after a dropped connection) and hands every room
// event to the panels once; the panels never talk to each other. Beside the group's chat, staff have the
// staff channel (travelers never see it) and anyone may open a direct message from "Who is here".

import { connectLive } from "./live.js";
import { currentUser, toast } from "./ui.js";
import { ChatPanel } from "./room/chat.js";
import { Conversations, dmRoom } from "./room/conversations.js";
import { FileDrop } from "./room/files.js";
import { ItineraryPanel } from "./room/itinerary.js";
import { GroupPanels } from "./room/panels.js";
import { PresenceList } from "./room/presence.js";
import { RoomSession, LIVE_EVENTS } from "./room/session.js";

const OFFICE = ["admin", "dispatcher", "coordinator"];
const EDITORS = [...OFFICE, "guide", "driver"];
const RECORD_EVENTS = LIVE_EVENTS.filter((name) => !name.startsWith("presence:"));

const main = document.getElementById("main");
const groupId = main.dataset.groupId;
const timeZone = main.dataset.groupTimezone;
const groupName = main.dataset.groupName || "the group";
const me = currentUser();
const room = `group:${groupId}`;
const office = OFFICE.includes(me.role);
const staff = main.dataset.staff === "yes";
const showError = (message) => toast(message, "error");

const socket = connectLive();
const chat = new ChatPanel(document.getElementById("chat"), {
  socket, room, me, timeZone, label: groupName, onError: showError,
});
const files = new FileDrop(document.getElementById("chat-panel"), document.getElementById("file-share"), {
  room, onError: showError,
});
const conversations = new Conversations(document.getElementById("chat-tabs"), document.getElementById("chat-panels"), {
  socket, me, timeZone, onError: showError, onSelect: (shown) => { files.room = shown; },
});
conversations.adopt(room, "Group", document.getElementById("chat"), chat,
  staff ? "Everyone in the group reads this chat, travelers too." : null);
if (staff) {
  const channel = conversations.start(`staff:${groupId}`, "Staff", `the staff of ${groupName}`,
    "Staff only: the office, guides and drivers of this group. Travelers never see this channel.");
  channel.panel.classList.add("staff-only"); // tinted, so nobody mistakes it for the group's chat
}
const presence = new PresenceList(document.getElementById("presence"), me, {
  onMessage(person) {
    const entry = conversations.start(dmRoom(me.id, person.id), person.name, person.name);
    conversations.select(entry.room);
  },
});
const itinerary = new ItineraryPanel(document.getElementById("itinerary"), {
  socket, groupId, me, editable: EDITORS.includes(me.role), onError: showError,
});
const panels = new GroupPanels({
  team: document.getElementById("team"),
  vouchers: document.getElementById("vouchers"),
  missing: document.getElementById("missing"),
}, { groupId, office, onError: showError });

const session = new RoomSession(socket, room, {
  async onReload(_ack, first) {
    try {
      await Promise.all([chat.reload(), itinerary.reload(), first ? panels.reload() : null]);
    } catch (error) {
      showError(`Could not load the room: ${error.message}`);
    }
  },
  onJoined(ack) {
    presence.reset(ack.members);
    if (document.visibilityState === "hidden") socket.emit("presence:set", { status: "away" }, () => {});
    chat.flush();
    itinerary.flush();
    if (!itinerary.model.loaded) itinerary.reload().catch((error) => showError(error.message)); // an earlier load failed
  },
  onEvent(name, event) {
    if (name === "presence:update") presence.update(event.user, event.status);
    else if (name === "itinerary:applied") itinerary.handle(name, event);
    else if (RECORD_EVENTS.includes(name)) {
      if (name === "group:status_changed") document.getElementById("group-status").textContent = event.to_status;
      panels.changed();
    }
    else {
      chat.handle(name, event);
      conversations.noticed(room, name, event);
    }
  },
  onError(error) {
    showError(`Could not catch up with the room: ${error.message}`);
  },
  onRefused(ack) {
    showError(`You cannot join this room: ${ack.message}`);
  },
});
socket.on("disconnect", () => presence.markUnknown());
session.start();

// A tab in the background counts as "away" for the others.
document.addEventListener("visibilitychange", () => {
  if (!socket.connected) return;
  socket.emit("presence:set", { status: document.visibilityState === "hidden" ? "away" : "online" }, () => {});
});
