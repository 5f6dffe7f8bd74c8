// The partner's page: check a voucher code (typed, pasted or read by a scanner) and see my upcoming vouchers.
import { api } from "./api.js";
import { setUpScanning } from "./partner-scan.js";
import { el, formatDate, replaceChildren } from "./ui.js";

const form = document.getElementById("validate-form");
const codeInput = document.getElementById("voucher-code");
const redeem = document.getElementById("voucher-redeem");
const submit = document.getElementById("validate-submit");
const result = document.getElementById("validate-result");
const upcoming = document.getElementById("upcoming");
const upcomingStatus = document.getElementById("upcoming-status");

// Why a code was refused, by the API's status (see VoucherController.validate).
const REFUSALS = {
  422: "Not a genuine voucher",
  403: "Not one of your vouchers",
  409: "This voucher cannot be used",
  404: "Unknown voucher",
};

function detailLines(voucher) {
  const d = voucher.details || {};
  if (d.type === "hotel") {
    const rooms = (d.rooms || []).map((r) => `${r.count} × ${r.type}`).join(", ");
    return [`Check-in ${formatDate(d.check_in)}, check-out ${formatDate(d.check_out)}`, `Rooms: ${rooms}`, `Meal plan: ${d.meal_plan}`];
  }
  if (d.type === "restaurant") {
    const diets = Object.entries(d.dietary_counts || {}).map(([diet, n]) => `${n} ${diet}`).join(", ");
    return [`${formatDate(d.date)} at ${d.time} · ${d.meal_type}`, `${d.guest_count} guests${diets ? ` (${diets})` : ""}`, d.menu ? `Menu: ${d.menu}` : null];
  }
  if (d.type === "entrance") {
    const people = [["adults", d.adult_count], ["children", d.child_count], ["seniors", d.senior_count]]
      .filter(([, n]) => n)
      .map(([who, n]) => `${n} ${who}`)
      .join(", ");
    return [`${d.attraction} on ${formatDate(d.date)}`, people || null];
  }
  return [];
}

function voucherSummary(voucher) {
  return el(
    "div",
    {},
    el("strong", {}, `${voucher.number} · ${voucher.type}`),
    el("span", { class: "muted" }, ` · ${formatDate(voucher.service_date)} · ${voucher.status}`),
    el("ul", { class: "reasons" }, detailLines(voucher).filter(Boolean).map((line) => el("li", {}, line))),
  );
}

function showValid(voucher, redeemed) {
  replaceChildren(
    result,
    el(
      "div",
      { class: "result result-valid", role: "status", dataset: { outcome: redeemed ? "redeemed" : "valid" } },
      el("h2", {}, redeemed ? "Valid — marked as used" : "Valid voucher"),
      voucherSummary(voucher),
    ),
  );
}

function showRefused(error) {
  const headline = REFUSALS[error.status] || "The code could not be checked";
  replaceChildren(
    result,
    el(
      "div",
      { class: "result result-refused", role: "alert", dataset: { outcome: "refused", status: String(error.status) } },
      el("h2", {}, headline),
      el("p", {}, error.message),
    ),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = codeInput.value.trim();
  if (!code) {
    showRefused({ status: 0, message: "Type or paste the code printed under the QR code first." });
    codeInput.focus();
    return;
  }
  submit.disabled = true;
  try {
    const answer = await api("POST", "/api/v1/vouchers/validate", { code, redeem: redeem.checked });
    showValid(answer.voucher, redeem.checked);
    loadUpcoming(); // checking moves the voucher on (validated, redeemed)
  } catch (error) {
    if (error.status !== 401) showRefused(error);
  } finally {
    submit.disabled = false;
  }
});

// A scanner that types the code and presses Enter submits the form by itself; a pasted code is checked at once.
codeInput.addEventListener("paste", () => setTimeout(() => form.requestSubmit(), 0));

async function loadUpcoming() {
  try {
    const vouchers = await api("GET", "/api/v1/partners/me/vouchers");
    upcomingStatus.textContent = vouchers.length ? `${vouchers.length} upcoming` : "No upcoming vouchers.";
    replaceChildren(
      upcoming,
      vouchers.map((voucher) =>
        el("li", { dataset: { voucherId: voucher.id, status: voucher.status } }, voucherSummary(voucher)),
      ),
    );
  } catch (error) {
    if (error.status !== 401) upcomingStatus.textContent = `Could not load your vouchers: ${error.message}`;
  }
}

setUpScanning(document.getElementById("scan-video"), document.getElementById("scan-start"), (code, problem) => {
  if (problem) return showRefused({ status: 0, message: problem });
  codeInput.value = code;
  form.requestSubmit();
});
loadUpcoming();
