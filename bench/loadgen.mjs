// Load generator for `python -m bench realtime`.
//
// One Node process holds every client connection (socket.io-client, websocket transport only) and is driven by the
// Python runner over stdin/stdout: one JSON command per line in, one JSON reply per line out. Latency is measured
// inside this process only: receive time minus the send time embedded in the message text (performance.now()).
//
// Commands: config, connect, join, disconnect, load, churn, stats, exit. Every loop is bounded in count and in time.

import { createInterface } from "node:readline";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { io } from "socket.io-client";

const PAD = "x".repeat(48); // a chat message of roughly realistic size
/** @type {{socket: import("socket.io-client").Socket, room: string | null}[]} */
const pool = [];
let phaseCounter = 0;
let current = null; // the load phase receivers record into
let deflate = true; // offer permessage-deflate, as browsers and Node's ws do by default

const countError = (errors, key) => {
  const name = String(key).slice(0, 120);
  errors[name] = (errors[name] ?? 0) + 1;
};

function connectOne(url, token, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ["websocket"],
      forceNew: true, // one engine.io connection per client, no multiplexing
      reconnection: false,
      timeout: timeoutMs,
      auth: token ? { token } : {},
      perMessageDeflate: deflate ? { threshold: 1024 } : false,
    });
    const fail = (err) => {
      socket.close();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    socket.once("connect_error", fail);
    socket.once("connect", () => {
      socket.off("connect_error", fail);
      socket.on("chat:message", onChatMessage);
      resolve(socket);
    });
  });
}

// Run `task(i)` for i in [0, count) with at most `concurrency` in flight, stopping early at `deadline`.
async function bounded(count, concurrency, deadline, task) {
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      await task(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return next;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function onChatMessage(data) {
  const phase = current;
  const text = data?.message?.text;
  if (phase === null || typeof text !== "string" || !text.startsWith("bench ")) return;
  const received = performance.now();
  const [, id, , sentAt] = text.split(" ", 4);
  if (Number(id) !== phase.id) return;
  const sent = Number(sentAt);
  if (received >= phase.windowStart && received < phase.windowEnd) phase.deliveredInWindow += 1;
  if (sent >= phase.windowStart && sent < phase.windowEnd) phase.latencies.push(received - sent);
}

async function connect({ url, tokens, count, concurrency = 100, timeoutMs = 20000, maxSeconds = 120 }) {
  const started = performance.now();
  const errors = {};
  let connected = 0;
  await bounded(count, concurrency, started + maxSeconds * 1000, async (i) => {
    try {
      const socket = await connectOne(url, tokens.length ? tokens[i % tokens.length] : null, timeoutMs);
      pool.push({ socket, room: null });
      connected += 1;
    } catch (err) {
      countError(errors, err.message);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { connected, failed: count - connected, held: pool.length, errors, seconds };
}

async function join({ rooms, roomSize, concurrency = 50, timeoutMs = 20000, maxSeconds = 120 }) {
  const started = performance.now();
  const errors = {};
  let joined = 0;
  const count = Math.min(pool.length, rooms.length * roomSize);
  await bounded(count, concurrency, started + maxSeconds * 1000, async (i) => {
    const entry = pool[i];
    const room = rooms[Math.floor(i / roomSize)];
    try {
      const ack = await entry.socket.timeout(timeoutMs).emitWithAck("room:join", { room });
      if (!ack?.ok) throw new Error(`room:join refused: ${ack?.error}`);
      entry.room = room;
      joined += 1;
    } catch (err) {
      countError(errors, err.message);
    }
  });
  return { joined, failed: count - joined, errors, seconds: (performance.now() - started) / 1000 };
}

async function disconnect({ keep = 0 }) {
  const gone = pool.splice(keep);
  for (const entry of gone) entry.socket.disconnect();
  await sleep(200); // let the close frames leave this process
  return { disconnected: gone.length, held: pool.length };
}

function percentile(sorted, expected, q) {
  // Deliveries that never arrived count as infinitely late, so loss pushes the tail up instead of hiding.
  if (expected === 0) return null;
  const index = Math.max(0, Math.ceil(q * expected) - 1);
  return index < sorted.length ? Number(sorted[index].toFixed(2)) : null;
}

async function load({ rate, seconds, warmupSeconds = 2, drainSeconds = 3, ackTimeoutMs = 10000 }) {
  const senders = pool.filter((entry) => entry.room !== null);
  if (senders.length === 0) throw new Error("load: no client has joined a room");
  const roomSizes = new Map();
  for (const entry of senders) roomSizes.set(entry.room, (roomSizes.get(entry.room) ?? 0) + 1);

  const t0 = performance.now();
  const phase = {
    id: ++phaseCounter,
    windowStart: t0 + warmupSeconds * 1000,
    windowEnd: t0 + (warmupSeconds + seconds) * 1000,
    latencies: [],
    deliveredInWindow: 0,
  };
  current = phase;
  let sent = 0;
  let sentInWindow = 0;
  let expected = 0;
  let acked = 0;
  const ackErrors = {};
  const ackLatencies = [];
  let cpuAtStart = null;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });

  const sendOne = (n) => {
    const entry = senders[n % senders.length];
    const at = performance.now();
    const inWindow = at >= phase.windowStart && at < phase.windowEnd;
    if (inWindow) {
      sentInWindow += 1;
      expected += roomSizes.get(entry.room); // the server broadcasts to the whole room, sender included
    }
    const text = `bench ${phase.id} ${n} ${at.toFixed(3)} ${PAD}`;
    entry.socket
      .timeout(ackTimeoutMs)
      .emitWithAck("chat:send", { room: entry.room, client_id: `b${phase.id}-${n}`, text })
      .then((ack) => {
        if (ack?.ok) {
          acked += 1;
          if (inWindow) ackLatencies.push(performance.now() - at);
        } else countError(ackErrors, ack?.error ?? "bad ack");
      })
      .catch(() => countError(ackErrors, "ack timeout"));
  };

  // Open loop: messages go out on schedule whether or not the server keeps up, so a backlog shows as latency.
  const end = phase.windowEnd;
  for (let now = performance.now(); now < end; now = performance.now()) {
    if (cpuAtStart === null && now >= phase.windowStart) {
      cpuAtStart = process.cpuUsage();
      loopDelay.enable();
    }
    const due = Math.min(Math.floor(((now - t0) / 1000) * rate), Math.ceil((warmupSeconds + seconds) * rate));
    while (sent < due) sendOne(sent++);
    await sleep(2);
  }
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  loopDelay.disable();
  const drainDeadline = performance.now() + drainSeconds * 1000;
  while (phase.latencies.length < expected && performance.now() < drainDeadline) await sleep(20);
  current = null;

  const sorted = Float64Array.from(phase.latencies).sort();
  const ackSorted = Float64Array.from(ackLatencies).sort();
  return {
    rate,
    seconds,
    clients: senders.length,
    rooms: roomSizes.size,
    sent,
    sent_in_window: sentInWindow,
    acked,
    ack_errors: ackErrors,
    expected_deliveries: expected,
    delivered: sorted.length,
    delivered_per_s: Math.round(phase.deliveredInWindow / seconds),
    latency_ms: {
      p50: percentile(sorted, expected, 0.5),
      p95: percentile(sorted, expected, 0.95),
      p99: percentile(sorted, expected, 0.99),
      max: sorted.length ? Number(sorted[sorted.length - 1].toFixed(2)) : null,
    },
    ack_ms: {
      p50: percentile(ackSorted, ackSorted.length, 0.5),
      p99: percentile(ackSorted, ackSorted.length, 0.99),
    },
    loadgen_cpu_pct: Math.round(((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100),
    loadgen_loop_delay_p99_ms: Number((loopDelay.percentile(99) / 1e6).toFixed(2)),
  };
}

async function churn({ url, tokens, rooms, cycles, concurrency = 20, timeoutMs = 20000, maxSeconds = 300 }) {
  const started = performance.now();
  const errors = {};
  let done = 0;
  const attempted = await bounded(cycles, concurrency, started + maxSeconds * 1000, async (i) => {
    let socket = null;
    try {
      socket = await connectOne(url, tokens.length ? tokens[i % tokens.length] : null, timeoutMs);
      const room = rooms[i % rooms.length];
      const joined = await socket.timeout(timeoutMs).emitWithAck("room:join", { room });
      if (!joined?.ok) throw new Error(`room:join refused: ${joined?.error}`);
      const left = await socket.timeout(timeoutMs).emitWithAck("room:leave", { room });
      if (!left?.ok) throw new Error(`room:leave refused: ${left?.error}`);
      done += 1;
    } catch (err) {
      countError(errors, err.message);
    } finally {
      socket?.disconnect();
    }
  });
  await sleep(200);
  return { cycles: done, failed: attempted - done, errors, seconds: (performance.now() - started) / 1000 };
}

function config(options) {
  if (typeof options.deflate === "boolean") deflate = options.deflate;
  return { deflate };
}

const COMMANDS = {
  config,
  connect,
  join,
  disconnect,
  load,
  churn,
  stats: async () => ({ held: pool.length, rss_bytes: process.memoryUsage().rss }),
};

const reply = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    reply({ ok: false, error: "bad json" });
    continue;
  }
  if (request.cmd === "exit") break;
  const command = COMMANDS[request.cmd];
  if (!command) {
    reply({ ok: false, error: `unknown command ${request.cmd}` });
    continue;
  }
  try {
    reply({ ok: true, ...(await command(request)) });
  } catch (err) {
    reply({ ok: false, error: String(err?.message ?? err) });
  }
}
for (const entry of pool.splice(0)) entry.socket.disconnect();
process.exit(0);
