// Alert cards, shared by the dispatch board's panel and the alerts inbox: who needs help, what they said,
// who was told and how, and an Acknowledge button until someone has it in hand.
import { api } from "./api.js";
import { el, formatLocal, toast } from "./ui.js";

const REASONS = {
  emergency: "Emergency",
  asked: "Asked for a person",
  complaint: "Complaint",
  negative_sentiment: "Upset",
  lost_item: "Lost item",
};
const CHANNELS = { in_app: "in the app", sms: "SMS", email: "email", "sms+email": "SMS and email", none: "no address on file" };

function told(alert) {
  if (!alert.deliveries.length) return "Nobody told yet.";
  return `Told: ${alert.deliveries.map((d) => `${d.name} (${CHANNELS[d.channel] || d.channel})`).join(", ")}.`;
}

/** One alert as a list item; `onChange(alert)` hears the acknowledged alert the server answered. */
export function alertCard(alert, onChange) {
  const emergency = alert.kind === "emergency";
  const who = alert.traveler_name || "A traveler";
  const group = `${alert.group_number} ${alert.group_name}`;
  const state = alert.acknowledged
    ? el("p", { class: "alert-ack" }, `Acknowledged by ${alert.acknowledged_by_name} at ${formatLocal(alert.acknowledged_at)}`)
    : el(
        "button",
        {
          type: "button",
          class: "button button-small",
          "aria-label": `Acknowledge the alert from ${alert.traveler_name} (${alert.group_name})`,
          onclick: async (event) => {
            event.currentTarget.disabled = true;
            try {
              const answer = await api("POST", `/api/v1/alerts/${alert.id}/acknowledge`);
              toast(`Acknowledged by ${answer.acknowledged_by_name}`, "ok");
              onChange(answer);
            } catch (error) {
              event.currentTarget.disabled = false;
              toast(`Not acknowledged: ${error.message}`, "error");
            }
          },
        },
        "Acknowledge",
      );
  return el(
    "li",
    { class: `alert-card${emergency ? " alert-emergency" : ""}${alert.acknowledged ? " alert-done" : ""}`, dataset: { alertId: alert.id } },
    el(
      "div",
      { class: "alert-head" },
      el("span", { class: `badge ${emergency ? "badge-critical" : "badge-normal"}` }, REASONS[alert.reason] || "Needs a person"),
      el("strong", { class: "alert-title ellipsis", title: who }, who),
      el("time", { class: "muted", datetime: alert.created_at }, formatLocal(alert.created_at)),
    ),
    el("a", { class: "alert-group ellipsis", href: `/groups/${alert.group_id}`, title: `Open the room of ${group}` }, group),
    alert.message ? el("blockquote", { class: "alert-message" }, alert.message) : null,
    el("p", { class: "muted alert-told" }, told(alert), alert.level ? ` Escalated ${alert.level}×.` : ""),
    state,
  );
}
