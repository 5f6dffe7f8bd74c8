import { api } from "./api.js";

const status = document.getElementById("signout-status");
try {
  await api("POST", "/api/v1/auth/web/logout");
  location.replace("/signin?signed_out=1");
} catch (error) {
  status.textContent = `Signing out did not finish: ${error.message}`;
}
