// The dispatch board: groups in a date window, what each lacks, who works it and whether they are
// online; filters; assigning from ranked suggestions; the open alerts, to acknowledge. Live: every
// `board:update` (a group changed, an alert was raised, escalated or acknowledged) refetches the window.
import { api } from "./api.js";
import { connectLive, joinRoom } from "./live.js";
import { el, formatDate, replaceChildren, toast } from "./ui.js";
import { openAssign } from "./board-assign.js";
import { alertCard } from "./alert-cards.js";

const AREAS = [
  ["guide", "Guide"],
  ["driver", "Driver"],
  ["coordinator", "Coordinator"],
  ["vouchers", "Vouchers"],
  ["rooming_list", "Rooming"],
  ["flights", "Flights"],
  ["contacts", "Contacts"],
];
const STATUS_WORDS = { ok: "complete", normal: "missing", critical: "critical" };
const BOARD_ROOM = "board:dispatch";
const DAY_MS = 86400000;

const form = document.getElementById("board-filters");
const from = document.getElementById("f-from");
const to = document.getElementById("f-to");
const statusFilter = document.getElementById("f-status");
const cityFilter = document.getElementById("f-city");
const incompleteOnly = document.getElementById("f-incomplete");
const tbody = document.getElementById("board-rows");
const summary = document.getElementById("board-summary");
const alertsPanel = document.getElementById("alerts-panel");
const alertsList = document.getElementById("alerts-list");
const alertsCount = document.getElementById("alerts-count");

const emptyRow = el("tr", { class: "empty", hidden: true }, el("td", { colspan: 6, class: "muted" }, ""));
let rows = []; // the board API's groups, in its order
const rendered = new Map(); // group id → {signature, tr}
const changed = new Set(); // groups named by live updates since the last render: they flash
let online = new Map(); // user id → online, updated live between fetches

function addDays(isoDate, days) {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function initialFilters() {
  const params = new URLSearchParams(location.search);
  from.value = params.get("from") || document.getElementById("main").dataset.today;
  to.value = params.get("to") || addDays(from.value, 14);
  statusFilter.value = params.get("status") || "";
  incompleteOnly.checked = params.get("incomplete") === "1";
  cityFilter.dataset.wanted = params.get("city") || "";
}

function rememberFilters() {
  const params = new URLSearchParams({ from: from.value, to: to.value });
  if (statusFilter.value) params.set("status", statusFilter.value);
  if (cityFilter.value) params.set("city", cityFilter.value);
  if (incompleteOnly.checked) params.set("incomplete", "1");
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

let loading = null;
let again = false;

/** Fetch the window; calls while one is in flight collapse into one more fetch afterwards. */
async function load() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      const data = await api("GET", `/api/v1/board?date_from=${from.value}&to=${to.value}`);
      rows = data.groups;
      renderAlerts(data.alerts);
      online = new Map();
      fillCities();
      render();
    } catch (error) {
      if (error.status !== 401) summary.textContent = `The board could not be loaded: ${error.message}`;
    } finally {
      loading = null;
    }
    if (again) {
      again = false;
      await load();
    }
  })();
  return loading;
}

/** Open alerts stay on the board, whatever the dates, until someone acknowledges them. */
function renderAlerts(alerts) {
  alertsPanel.hidden = alerts.length === 0;
  alertsCount.textContent = String(alerts.length);
  replaceChildren(alertsList, alerts.map((alert) => alertCard(alert, () => load())));
}

function alertBadge(row) {
  if (!row.alerts.length) return null;
  const emergency = row.alerts.some((alert) => alert.kind === "emergency");
  const words = `${row.alerts.length} open alert${row.alerts.length > 1 ? "s" : ""}`;
  return el("span", { class: `badge ${emergency ? "badge-critical" : "badge-normal"} alert-flag`, title: words }, "⚠ ", words);
}

function fillCities() {
  const wanted = cityFilter.value || cityFilter.dataset.wanted || "";
  const cities = [...new Set(rows.flatMap((row) => row.group.cities || []))].sort((a, b) => a.localeCompare(b));
  if (wanted && !cities.includes(wanted)) cities.unshift(wanted);
  replaceChildren(cityFilter, el("option", { value: "" }, "Any"), cities.map((city) => el("option", { value: city }, city)));
  cityFilter.value = wanted;
  delete cityFilter.dataset.wanted;
}

function isIncomplete(row) {
  return Object.values(row.areas).some((status) => status !== "ok");
}

function visibleRows() {
  return rows.filter(
    (row) =>
      (!statusFilter.value || row.group.status === statusFilter.value) &&
      (!cityFilter.value || (row.group.cities || []).includes(cityFilter.value)) &&
      (!incompleteOnly.checked || isIncomplete(row)),
  );
}

function isOnline(person) {
  return person.user_id && online.has(person.user_id) ? online.get(person.user_id) : person.online;
}

function areaBadges(row) {
  return el(
    "div",
    { class: "areas" },
    AREAS.map(([area, label]) => {
      const status = row.areas[area] || "ok";
      const messages = row.missing.filter((item) => item.area === area).map((item) => item.message);
      return el(
        "span",
        {
          class: `badge badge-${status}`,
          title: messages.length ? messages.join("; ") : `${label}: complete`,
          dataset: { area, status },
        },
        label,
        el("span", { class: "visually-hidden" }, `: ${STATUS_WORDS[status]}${messages.length ? ` (${messages.join("; ")})` : ""}`),
      );
    }),
  );
}

function peopleList(row) {
  if (!row.people.length) return el("span", { class: "muted" }, "nobody yet");
  return el(
    "ul",
    { class: "people" },
    row.people.map((person) => {
      const on = isOnline(person);
      return el(
        "li",
        { dataset: { role: person.role, staffId: person.staff_id, userId: person.user_id || "" } },
        el("span", { class: on ? "dot dot-online" : "dot", title: on ? "online" : "offline" }),
        el("span", { class: "visually-hidden" }, on ? "online: " : "offline: "),
        el("span", { class: "person-name", title: person.name }, person.name),
        el("span", { class: "muted" }, ` · ${person.role}${person.status === "confirmed" ? "" : ` (${person.status})`}`),
      );
    }),
  );
}

function rowSignature(row) {
  return JSON.stringify([row, row.people.map(isOnline)]);
}

function buildRow(row) {
  const group = row.group;
  return el(
    "tr",
    { dataset: { groupId: group.id } },
    el(
      "td",
      { class: "group-cell" },
      el("a", { class: "group-name", href: `/groups/${group.id}`, title: group.name }, group.name),
      el("span", { class: "muted" }, [group.number, (group.cities || []).join(", ")].filter(Boolean).join(" · ")),
      alertBadge(row),
    ),
    el("td", { class: "dates", "data-label": "Dates" }, formatDate(group.start_date), " –", el("br"), formatDate(group.end_date)),
    el("td", { "data-label": "Status" }, el("span", { class: "badge badge-status" }, group.status.replace("_", " "))),
    el("td", { "data-label": "Completeness" }, areaBadges(row)),
    el("td", { "data-label": "People" }, peopleList(row)),
    el(
      "td",
      { class: "actions" },
      el(
        "button",
        {
          type: "button",
          class: "button button-small",
          "aria-label": `Assign someone to ${group.name}`,
          onclick: () => openAssign(row, () => load()),
        },
        "Assign…",
      ),
    ),
  );
}

/** Re-render only the rows whose data changed, so 200 rows stay cheap and focus stays put. */
function render() {
  const shown = visibleRows();
  const keep = new Set(shown.map((row) => row.group.id));
  emptyRow.remove();
  for (const [id, entry] of rendered) {
    if (!keep.has(id)) {
      entry.tr.remove();
      rendered.delete(id);
    }
  }
  let previous = null;
  for (const row of shown) {
    const id = row.group.id;
    const signature = rowSignature(row);
    let entry = rendered.get(id);
    if (!entry || entry.signature !== signature) {
      const tr = buildRow(row);
      if (entry) {
        if (entry.tr.contains(document.activeElement)) tr.dataset.refocus = "1";
        entry.tr.replaceWith(tr);
      }
      entry = { signature, tr };
      rendered.set(id, entry);
      if (changed.has(id)) tr.classList.add("flash");
    }
    const expectedNext = previous ? previous.nextSibling : tbody.firstChild;
    if (expectedNext !== entry.tr) tbody.insertBefore(entry.tr, expectedNext);
    if (entry.tr.dataset.refocus) {
      delete entry.tr.dataset.refocus;
      entry.tr.querySelector("button")?.focus();
    }
    previous = entry.tr;
  }
  changed.clear();
  emptyRow.hidden = shown.length > 0;
  emptyRow.firstChild.textContent = rows.length
    ? "No group matches these filters."
    : "No groups travel in these dates. Widen the date range to see more.";
  if (!emptyRow.isConnected) tbody.append(emptyRow);
  const incomplete = shown.filter(isIncomplete).length;
  const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  summary.textContent = `${shown.length} of ${rows.length} groups shown · ${incomplete} incomplete · updated ${time}`;
  tbody.dataset.loaded = "1";
}

form.addEventListener("change", (event) => {
  rememberFilters();
  if (event.target === from || event.target === to) {
    if (from.value && to.value && to.value < from.value) to.value = addDays(from.value, 14);
    load();
  } else {
    render();
  }
});
form.addEventListener("submit", (event) => event.preventDefault());

// ---- live ------------------------------------------------------------------------------------

let refetchTimer = null;

function scheduleRefetch(groupId) {
  if (groupId) changed.add(groupId);
  clearTimeout(refetchTimer);
  // A burst of updates (an import, a bulk assign) becomes one fetch.
  refetchTimer = setTimeout(load, 120);
}

const socket = connectLive();
socket.on("connect", async () => {
  const ack = await joinRoom(socket, BOARD_ROOM);
  if (!ack.ok) {
    toast(`Live updates are off: ${ack.message || ack.error}`, "error");
    return;
  }
  // The board room has no replay: after a reconnect, fetch whatever changed meanwhile.
  scheduleRefetch(null);
});
socket.on("board:update", (data) => scheduleRefetch(data.group_id));
socket.on("board:presence", (data) => {
  online.set(data.user_id, data.online);
  render();
});

initialFilters();
load();
