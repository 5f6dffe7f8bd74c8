// An alert raised for a group you work reaches you on whatever page you have open: a notice that stays until
// you dismiss it or open the alerts. (Only the group's staff receive `alert:raised`; the server records that
// you were told in the app, so no SMS goes out to you for it.)
import { el } from "./ui.js";

export function noticeAlerts(socket) {
  socket.on("alert:raised", ({ alert }) => {
    const box = document.getElementById("toasts");
    if (!box || !alert || location.pathname === "/alerts") return; // the inbox shows it in its list
    const emergency = alert.kind === "emergency";
    const notice = el(
      "div",
      { class: `toast alert-notice${emergency ? " toast-error" : ""}`, role: "alert", dataset: { alertId: alert.id } },
      el("strong", {}, `${emergency ? "Emergency" : "Needs a person"}: ${alert.traveler_name} (${alert.group_name})`),
      alert.message ? el("span", { class: "alert-notice-text" }, `“${alert.message}”`) : null,
      el(
        "span",
        { class: "row" },
        el("a", { class: "button button-small", href: "/alerts" }, "Open alerts"),
        el("button", { type: "button", class: "button button-small button-quiet", onclick: () => notice.remove() }, "Dismiss"),
      ),
    );
    box.append(notice);
  });
}
