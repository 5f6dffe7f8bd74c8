// Two-factor enrolment for staff whose organization requires it: start, scan, confirm with a code.
import { api } from "./api.js";

const step = document.getElementById("enrol-step");
const errorBox = document.getElementById("enrol-error");

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

const start = document.getElementById("enrol-start");
start.addEventListener("click", async () => {
  errorBox.hidden = true;
  try {
    const setup = await api("POST", "/api/v1/auth/totp/setup");
    document.getElementById("enrol-secret").textContent = setup.secret;
    document.getElementById("enrol-link").href = setup.provisioning_uri;
    // A fresh URL each time: a new setup replaces the secret.
    document.getElementById("enrol-qr").src = `/api/v1/auth/web/totp/qr.svg?t=${Date.now()}`;
    start.hidden = true;
    step.hidden = false;
    document.getElementById("enrol-code").focus();
  } catch (error) {
    if (error.status !== 401) showError(error.message);
  }
});

document.getElementById("enrol-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  const code = document.getElementById("enrol-code").value.trim();
  if (!/^\d{6}$/.test(code)) return showError("Enter the 6-digit code from the app.");
  try {
    await api("POST", "/api/v1/auth/totp/confirm", { code });
    location.reload(); // the page this person asked for, now that they are enrolled
  } catch (error) {
    if (error.status !== 401) showError(error.message);
  }
});
