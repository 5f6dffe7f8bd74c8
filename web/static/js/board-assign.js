// The board's "Assign…" dialog: ranked suggestions with their reasons, or anyone else of the role.
// A clash (double-booking, time off) comes back as a 409 whose message is shown as is.
import { api } from "./api.js";
import { el, replaceChildren, toast } from "./ui.js";

const dialog = document.getElementById("assign-dialog");
const title = document.getElementById("assign-group");
const roleSelect = document.getElementById("assign-role");
const list = document.getElementById("assign-suggestions");
const errorBox = document.getElementById("assign-error");
const loading = document.getElementById("assign-loading");

let current = null; // {row, onDone}
let request = 0; // only the latest suggestions request may fill the list

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  errorBox.focus?.();
}

async function assign(staff, button) {
  const { row, onDone } = current;
  const group = row.group;
  errorBox.hidden = true;
  button.disabled = true;
  try {
    await api("POST", `/api/v1/groups/${group.id}/assignments`, {
      staff_id: staff.id,
      role: roleSelect.value,
      start_date: group.start_date,
      end_date: group.end_date,
    });
    toast(`${staff.name} proposed as ${roleSelect.value} for ${group.name}`, "ok");
    dialog.close();
    onDone();
  } catch (error) {
    if (error.status === 401) return;
    showError(error.status === 409 ? `Cannot assign ${staff.name}: ${error.message}` : error.message);
  } finally {
    button.disabled = false;
  }
}

function suggestionItem(suggestion) {
  const staff = suggestion.staff;
  return el(
    "li",
    { class: "suggestion", dataset: { staffId: staff.id } },
    el(
      "div",
      { class: "suggestion-body" },
      el("strong", { class: "suggestion-name" }, staff.name),
      el("span", { class: "muted" }, ` · score ${Math.round(suggestion.score)}`),
      suggestion.reasons.length ? el("ul", { class: "reasons" }, suggestion.reasons.map((reason) => el("li", {}, reason))) : null,
    ),
    el(
      "button",
      {
        type: "button",
        class: "button button-small",
        "aria-label": `Assign ${staff.name}`,
        onclick: (event) => assign(staff, event.currentTarget),
      },
      "Assign",
    ),
  );
}

function someoneElse(staffList, suggested) {
  const others = staffList.filter((staff) => !suggested.has(staff.id));
  if (!others.length) return null;
  const select = el(
    "select",
    { id: "assign-other" },
    others.map((staff) => el("option", { value: staff.id }, staff.name)),
  );
  return el(
    "li",
    { class: "suggestion" },
    el(
      "div",
      { class: "suggestion-body field" },
      el("label", { for: "assign-other" }, "Someone else (not suggested: busy, away or a poor fit)"),
      select,
    ),
    el(
      "button",
      {
        type: "button",
        class: "button button-small button-quiet",
        onclick: (event) => assign(others.find((staff) => staff.id === select.value), event.currentTarget),
      },
      "Assign",
    ),
  );
}

async function loadSuggestions() {
  const mine = ++request;
  const { row } = current;
  errorBox.hidden = true;
  loading.hidden = false;
  list.replaceChildren();
  try {
    const role = roleSelect.value;
    const [suggestions, staffList] = await Promise.all([
      api("GET", `/api/v1/groups/${row.group.id}/staff-suggestions?role=${role}`),
      api("GET", `/api/v1/staff?role=${role}`),
    ]);
    if (mine !== request) return;
    const suggested = new Set(suggestions.map((s) => s.staff.id));
    replaceChildren(
      list,
      suggestions.length ? suggestions.map(suggestionItem) : el("li", { class: "muted" }, `Nobody is free as ${role} on these dates.`),
      someoneElse(staffList, suggested),
    );
  } catch (error) {
    if (mine === request && error.status !== 401) showError(error.message);
  } finally {
    if (mine === request) loading.hidden = true;
  }
}

/** Open the dialog for a board row; `onDone` runs after a successful assignment. */
export function openAssign(row, onDone) {
  current = { row, onDone };
  title.textContent = `${row.group.number} · ${row.group.name} · ${row.group.start_date} – ${row.group.end_date}`;
  title.title = row.group.name;
  // Start with the most urgent missing role.
  const missing = ["guide", "driver", "coordinator"].find((role) => row.areas[role] === "critical");
  roleSelect.value = missing || "guide";
  dialog.showModal();
  loadSuggestions();
}

roleSelect.addEventListener("change", () => current && loadSuggestions());
dialog.addEventListener("close", () => {
  current = null;
  request += 1;
});
