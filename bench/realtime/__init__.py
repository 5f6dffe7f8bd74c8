"""`python -m bench realtime [--quick]`: Socket.IO capacity of the hub next to a bare python-socketio server."""

from bench.realtime.run import main

__all__ = ["main"]
