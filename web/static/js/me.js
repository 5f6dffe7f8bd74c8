// "My trip": the traveler's itinerary (live, read-only, in the group's local time, with map links),
// the guide and driver with tap-to-call links, the group chat and the assistant. Guides and drivers
// see the same page for the groups they work, with a link to the full group room.

import { api } from "./api.js";
import { connectLive } from "./live.js";
import { currentUser, el, formatDate, toast } from "./ui.js";
import { BotChat } from "./room/bot.js";
import { ChatPanel } from "./room/chat.js";
import { Conversations, dmRoom } from "./room/conversations.js";
import { clear } from "./room/dom.js";
import { ItineraryPanel } from "./room/itinerary.js";
import { teamList } from "./room/panels.js";
import { RoomSession } from "./room/session.js";

const me = currentUser();
const showError = (message) => toast(message, "error");
const byId = (id) => document.getElementById(id);

// The trip asked for (?group=), else the one under way or coming next, else the latest.
function pickTrip(trips) {
  const wanted = new URLSearchParams(location.search).get("group");
  const today = new Date().toISOString().slice(0, 10);
  return trips.find((t) => t.group.id === wanted)
    || trips.find((t) => t.group.end_date >= today)
    || trips.at(-1);
}

function showHeader(trip, trips) {
  const { group } = trip;
  byId("trip-title").textContent = group.name;
  byId("trip-dates").textContent = `${formatDate(group.start_date)} – ${formatDate(group.end_date)}`
    + (group.cities.length ? ` · ${group.cities.join(", ")}` : "");
  const links = byId("trip-links");
  clear(links);
  if (me.role !== "traveler") links.append(el("a", { class: "button", href: `/groups/${group.id}` }, "Open the group room"));
  const others = trips.filter((t) => t !== trip);
  if (others.length) {
    links.append(el("span", { class: "muted" }, "Other trips: "),
      others.map((t) => el("a", { href: `/me?group=${t.group.id}`, class: "trip-link" }, t.group.name)));
  }
}

async function start() {
  let trips;
  try {
    trips = await api("GET", "/api/v1/me/trips");
  } catch (error) {
    showError(`Could not load your trip: ${error.message}`);
    return;
  }
  if (!trips.length) {
    byId("trip-title").textContent = "No trip yet";
    byId("trip-dates").textContent = "When you are added to a group, its plan, your guide and the group chat appear here.";
    for (const section of document.querySelectorAll("[data-needs-trip]")) section.hidden = true;
    return;
  }
  const trip = pickTrip(trips);
  const { group } = trip;
  showHeader(trip, trips);
  const socket = connectLive();
  // Private messages with the people who look after me: the same conversation whoever starts it.
  const messages = new Conversations(byId("dm-tabs"), byId("dm-panels"), {
    socket, me, timeZone: group.timezone, onError: showError, onOpen: () => { byId("dm-empty").hidden = true; },
  });
  const writable = trip.team.filter((person) => person.user_id && person.user_id !== me.id);
  const writeTo = (person) => {
    const entry = messages.start(dmRoom(me.id, person.user_id), person.name, person.name);
    messages.select(entry.room);
    entry.chat.input.focus();
  };
  clear(byId("team")).append(teamList(trip.team, { showStatus: false }),
    writable.length ? el("p", { class: "panel-links" }, writable.map((person) => el("button",
      { type: "button", class: "button", onclick: () => writeTo(person) }, `Message ${person.name}`))) : null);

  const room = `group:${group.id}`;
  const itinerary = new ItineraryPanel(byId("itinerary"), { socket, groupId: group.id, me, editable: false, onError: showError });
  const chat = new ChatPanel(byId("chat"), { socket, room, me, timeZone: group.timezone, label: group.name, onError: showError });
  if (me.role === "traveler") new BotChat(byId("bot"), { socket });
  else byId("bot-section").hidden = true;

  new RoomSession(socket, room, {
    async onReload() {
      try {
        await Promise.all([chat.reload(), itinerary.reload()]);
      } catch (error) {
        showError(`Could not load your trip: ${error.message}`);
      }
    },
    onJoined() {
      chat.flush();
      if (!itinerary.model.loaded) itinerary.reload().catch((error) => showError(error.message)); // an earlier load failed
    },
    onEvent(name, event) {
      if (name === "itinerary:applied") itinerary.handle(name, event);
      else chat.handle(name, event);
    },
    onError(error) {
      showError(`Could not catch up with the room: ${error.message}`);
    },
    onRefused(ack) {
      showError(`The group chat is not available: ${ack.message}`);
    },
  }).start();
}

start();
