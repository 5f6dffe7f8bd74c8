// The one way pages talk to the API: JSON, the CSRF header, the server's message on errors,
// and a transparent session renewal when the access cookie has run out.
import { readCookie, toast } from "./ui.js";

const CSRF_COOKIE = "hub_csrf";
export const EXPIRED_MESSAGE = "Your session has expired — sign in again";

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function csrfHeaders() {
  const token = readCookie(CSRF_COOKIE);
  return token ? { "X-CSRF-Token": token } : {};
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const detail = body && (body.detail || body.message);
  const message = typeof detail === "string" ? detail : `The server answered ${response.status} ${response.statusText}`;
  return new ApiError(response.status, message, body);
}

let renewing = null;

/**
 * Renew the session with the refresh cookie. Tabs share cookies, and a refresh token works once, so
 * renewals are serialized across tabs (Web Locks) and within this tab (one promise); a tab that waited
 * for another's renewal gets the fresh cookies without spending its own.
 */
export function refreshSession() {
  if (!renewing) {
    const attempt = async () => {
      const response = await fetch("/api/v1/auth/web/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: csrfHeaders(),
      });
      return response.ok;
    };
    const seenCsrf = readCookie(CSRF_COOKIE);
    const run = navigator.locks
      ? navigator.locks.request("hub-session-refresh", async () => {
          // Another tab may have renewed while we waited: the cookies changed, nothing to do.
          if (await sessionStillValid(seenCsrf)) return true;
          return attempt();
        })
      : attempt();
    renewing = Promise.resolve(run).finally(() => {
      renewing = null;
    });
  }
  return renewing;
}

async function sessionStillValid(seenCsrf) {
  if (!readCookie(CSRF_COOKIE) || readCookie(CSRF_COOKIE) !== seenCsrf) return false;
  const probe = await fetch("/api/v1/me", { credentials: "same-origin" });
  return probe.ok;
}

let expiredShown = false;

/** The session is over: say so, then go to the sign-in page, which comes back here afterwards. */
export function sessionExpired() {
  if (expiredShown) return;
  expiredShown = true;
  toast(EXPIRED_MESSAGE, "error", 10000);
  document.body.classList.add("session-expired");
  const here = location.pathname + location.search;
  setTimeout(() => location.assign(`/signin?expired=1&next=${encodeURIComponent(here)}`), 1500);
}

async function send(method, path, body) {
  const headers = { Accept: "application/json", ...(method === "GET" ? {} : csrfHeaders()) };
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return fetch(path, init);
}

/**
 * api("POST", "/api/v1/groups/…/assignments", {...}) → the parsed JSON (null for 204).
 * Throws ApiError(status, server message). A 401 renews the session once and retries; when that
 * fails the session-expired flow runs and the promise rejects.
 */
export async function api(method, path, body) {
  let response = await send(method, path, body);
  if (response.status === 401) {
    if (await refreshSession()) response = await send(method, path, body);
    if (response.status === 401) {
      sessionExpired();
      throw new ApiError(401, EXPIRED_MESSAGE, null);
    }
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

function uploadOnce(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total, event);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, data });
      else {
        const detail = data && (data.detail || data.message);
        reject(new ApiError(xhr.status, typeof detail === "string" ? detail : `Upload failed (${xhr.status})`, data));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "The upload failed: the connection was lost", null)));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "The upload was cancelled", null)));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** Multipart upload of one file with progress (onProgress(fraction)); resolves to the JSON answer. */
export async function upload(path, file, onProgress) {
  try {
    return (await uploadOnce(path, file, onProgress)).data;
  } catch (error) {
    if (error.status !== 401) throw error;
    if (!(await refreshSession())) {
      sessionExpired();
      throw new ApiError(401, EXPIRED_MESSAGE, null);
    }
    return (await uploadOnce(path, file, onProgress)).data;
  }
}
