"""Realtime figures on /metrics (the default Prometheus registry that Litestar's controller serves)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

CONNECTIONS = Gauge("hub_socket_connections", "Open Socket.IO connections in this process")
ROOMS = Gauge("hub_socket_rooms", "Rooms with at least one member connected to this process")
EVENTS_IN = Counter("hub_socket_events_in_total", "Events received from clients", ["event"])
EVENTS_OUT = Counter("hub_socket_events_out_total", "Events emitted to rooms", ["event"])
REPLAYED = Counter("hub_socket_replayed_events_total", "Room events replayed to rejoining clients")
REFUSED_JOINS = Counter("hub_socket_refused_joins_total", "Room joins refused by authorization")
REFUSED_CONNECTIONS = Counter("hub_socket_refused_connections_total", "Connections refused at authentication")
RATE_LIMITED = Counter("hub_socket_rate_limited_total", "Events refused by the per-connection rate limit")
SESSION_CHECKS = Counter(
    "hub_socket_session_checks_total",
    "Sockets whose session was checked again when their access token expired, by outcome (kept, closed)",
    ["outcome"],
)
SESSION_ENDS = Counter("hub_socket_session_ends_total", "Sockets closed because their session ended or was refused")
