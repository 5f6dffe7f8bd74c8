// The page's Socket.IO connection, authenticated by the session cookie (same origin, no token in JS).
import { io } from "/static/vendor/socket.io-client/dist/socket.io.esm.min.js";
import { refreshSession, sessionExpired } from "./api.js";
import { noticeAlerts } from "./alert-notice.js";

const STATES = { connected: "connected", reconnecting: "reconnecting…", offline: "offline" };

export function setConnStatus(state) {
  const node = document.getElementById("conn-status");
  if (!node) return;
  node.hidden = false; // shown only on pages that hold a live connection
  node.dataset.state = state;
  node.textContent = STATES[state] || state;
}

/**
 * connectLive() → a socket.io-client socket. `#conn-status` follows it ("connected", "reconnecting…",
 * "offline"). The server refuses a handshake whose access cookie has expired; we renew the session
 * once and reconnect, and when that fails the session-expired flow takes over.
 */
export function connectLive(options = {}) {
  const socket = io({ transports: ["websocket"], withCredentials: true, ...options });
  noticeAlerts(socket);
  let renewals = 0;
  setConnStatus(navigator.onLine === false ? "offline" : "reconnecting");
  socket.on("connect", () => {
    renewals = 0;
    setConnStatus("connected");
  });
  socket.on("disconnect", (reason) => {
    // "io client disconnect" is our own doing; everything else reconnects on its own.
    setConnStatus(reason === "io client disconnect" ? "offline" : "reconnecting");
    if (reason === "io server disconnect") retryAfterRenewal();
  });
  socket.io.on("reconnect_attempt", () => setConnStatus("reconnecting"));
  socket.on("connect_error", (error) => {
    if (socket.active) {
      setConnStatus(navigator.onLine === false ? "offline" : "reconnecting");
      return; // a transport failure: the manager retries with backoff
    }
    // Refused by the server (unauthenticated / forbidden): it will not retry by itself.
    setConnStatus("offline");
    if (String(error && error.message).startsWith("unauthenticated")) retryAfterRenewal();
  });
  window.addEventListener("offline", () => setConnStatus("offline"));
  window.addEventListener("online", () => {
    if (!socket.connected) {
      setConnStatus("reconnecting");
      socket.connect();
    }
  });

  async function retryAfterRenewal() {
    renewals += 1;
    if (renewals <= 2 && (await refreshSession())) {
      socket.connect();
      return;
    }
    setConnStatus("offline");
    sessionExpired();
  }
  return socket;
}

/** Join a room (`board:dispatch`, `group:<id>`…) and resolve with the server's ack ({ok, seq, missed…}). */
export function joinRoom(socket, room, since) {
  const payload = since === undefined || since === null ? { room } : { room, since };
  return socket.timeout(15000).emitWithAck("room:join", payload).catch((error) => ({ ok: false, error: "timeout", message: String(error) }));
}
