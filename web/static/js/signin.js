// Sign-in: email and password, then the one-time code when the account has two-factor sign-in.
import { readCookie } from "./ui.js";

const form = document.getElementById("signin-form");
const totpStep = document.getElementById("step-totp");
const passwordStep = document.getElementById("step-password");
const errorBox = document.getElementById("signin-error");
const submit = document.getElementById("signin-submit");
const back = document.getElementById("signin-back");
const checking = document.getElementById("signin-checking");

// Where to go after signing in. The server checked `?next=` (web/routes/pages.py `safe_next`: exactly a path of
// this site) and hands over the result, empty when it was refused; this script never reads the address bar's.
const next = form.dataset.next || null;

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function csrf() {
  const token = readCookie("hub_csrf");
  return token ? { "X-CSRF-Token": token } : {};
}

// A page sent us here because its access cookie ran out; when the longer-lived refresh cookie still
// works, go straight back without asking for the password again.
async function tryRenewal() {
  if (!readCookie("hub_csrf") || new URLSearchParams(location.search).get("expired") === "1") return;
  form.hidden = true;
  checking.hidden = false;
  try {
    const response = await fetch("/api/v1/auth/web/refresh", { method: "POST", credentials: "same-origin", headers: csrf() });
    if (response.ok) {
      const user = await response.json();
      location.replace(next || user.home);
      return;
    }
  } catch {
    // offline: fall through to the form
  }
  form.hidden = false;
  checking.hidden = true;
}

function showTotpStep() {
  passwordStep.hidden = true;
  totpStep.hidden = false;
  back.hidden = false;
  submit.textContent = "Verify code";
  document.getElementById("totp").focus();
}

back.addEventListener("click", () => {
  passwordStep.hidden = false;
  totpStep.hidden = true;
  back.hidden = true;
  submit.textContent = "Sign in";
  document.getElementById("totp").value = "";
  errorBox.hidden = true;
  document.getElementById("email").focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  const email = document.getElementById("email").value.trim();
  const password = document.getElementById("password").value;
  const totp = document.getElementById("totp").value.trim();
  if (!email || !password) return showError("Enter your email and password.");
  if (!totpStep.hidden && !/^\d{6}$/.test(totp)) return showError("Enter the 6-digit code.");
  const body = { email, password, ...(totpStep.hidden ? {} : { totp }) };
  submit.disabled = true;
  try {
    const response = await fetch("/api/v1/auth/web/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok) {
      location.replace(next || data.home || "/");
      return;
    }
    if (response.status === 401 && data.totp_required) return showTotpStep();
    if (response.status === 400 || response.status === 422) return showError("Check the email address and the code.");
    showError(typeof data.detail === "string" ? data.detail : `Sign-in failed (${response.status}).`);
  } catch {
    showError("The hub cannot be reached. Check your connection and try again.");
  } finally {
    submit.disabled = false;
  }
});

tryRenewal();
