// The alerts inbox: open alerts of the groups you work (all groups for the office), newest first, to
// acknowledge. Live: an alert raised, escalated or acknowledged reaches the group's staff in their own
// `user:<id>` room and the office on the board room; either way the list is fetched again.
import { api } from "./api.js";
import { connectLive, joinRoom } from "./live.js";
import { currentUser, replaceChildren, el } from "./ui.js";
import { alertCard } from "./alert-cards.js";

const OFFICE = new Set(["admin", "dispatcher", "coordinator"]);
const list = document.getElementById("inbox");
const summary = document.getElementById("inbox-summary");
const showAll = document.getElementById("show-all");

async function load() {
  try {
    const alerts = await api("GET", `/api/v1/alerts?show=${showAll.checked ? "all" : "open"}`);
    const open = alerts.filter((alert) => !alert.acknowledged).length;
    replaceChildren(
      list,
      alerts.length
        ? alerts.map((alert) => alertCard(alert, () => load()))
        : el("li", { class: "muted" }, showAll.checked ? "No alerts yet." : "No open alerts. All is in hand."),
    );
    summary.textContent = `${open} open alert${open === 1 ? "" : "s"}`;
    list.dataset.loaded = "1";
  } catch (error) {
    if (error.status !== 401) summary.textContent = `The alerts could not be loaded: ${error.message}`;
  }
}

let timer = null;
function reload() {
  clearTimeout(timer);
  timer = setTimeout(load, 100);
}

showAll.addEventListener("change", load);
const socket = connectLive();
socket.on("connect", async () => {
  if (OFFICE.has(currentUser()?.role)) await joinRoom(socket, "board:dispatch");
  reload(); // whatever happened while disconnected
});
for (const name of ["alert:raised", "alert:escalated", "alert:acknowledged"]) socket.on(name, reload);
socket.on("board:update", (data) => {
  if (String(data.event || "").startsWith("alert.")) reload();
});
load();
