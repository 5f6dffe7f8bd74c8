// Small DOM helpers. Everything user-provided goes through text nodes, never innerHTML.

const BOOLEAN_ATTRS = new Set(["hidden", "disabled", "checked", "selected", "required", "open", "multiple"]);

/**
 * el("button", {class: "button", onclick: fn, dataset: {id: 1}}, "Save", child) → an element.
 * Strings become text nodes; null/undefined/false children are skipped; arrays are flattened.
 * `on<event>` attributes become listeners (the strict CSP forbids inline handlers anyway).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (key === "class") {
      node.className = value;
    } else if (BOOLEAN_ATTRS.has(key)) {
      node[key] = Boolean(value);
    } else if (key === "value") {
      node.value = value;
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace a node's children. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A short message in the live region (screen readers hear it); it fades after a few seconds. */
export function toast(message, kind = "info", ms = 5000) {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = el("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : null }, message);
  box.append(item);
  setTimeout(() => item.remove(), ms);
}

const formatters = new Map();

/** An ISO timestamp shown in a timezone (the group's, by default the browser's): "Tue 14 Apr, 09:30". */
export function formatLocal(iso, tz, options = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) {
  if (!iso) return "";
  const key = `${tz || ""}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, tz ? { ...options, timeZone: tz } : options);
    formatters.set(key, format);
  }
  return format.format(new Date(iso));
}

/** A calendar date ("2027-04-10") as "Sat 10 Apr", without shifting it through a timezone. */
export function formatDate(isoDate) {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  return formatLocal(new Date(Date.UTC(y, m - 1, d)).toISOString(), "UTC", { weekday: "short", day: "numeric", month: "short" });
}

/** Read a cookie our scripts may read (the CSRF token); HttpOnly ones are invisible here by design. */
export function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

/** The signed-in user, as the page template put it on <body>. */
export function currentUser() {
  const { userId, userName, role } = document.body.dataset;
  return userId ? { id: userId, name: userName, role } : null;
}
