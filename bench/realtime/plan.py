"""How much load each phase applies: the full run (~10 minutes) and `--quick` (~2 minutes)."""

from __future__ import annotations

from dataclasses import dataclass

P99_LIMIT_MS = 200.0


@dataclass(frozen=True)
class Plan:
    idle_counts: tuple[int, ...]  # idle authenticated connections held, measured at each count
    load_clients: int  # clients in rooms for the delivery-rate phases
    room_size: int
    base_rate: int  # msgs/s sent in the headline phase: base_rate x room_size deliveries/s
    ladder: tuple[int, ...]  # ascending send rates tried for "highest sustained rate"
    warmup_s: float  # sent but not measured, at the start of each load phase
    measure_s: float
    drain_s: float  # after sending stops, how long late deliveries are still awaited
    churn_cycles: int  # connect/join/leave/disconnect cycles for the leak check
    churn_blocks: int  # RSS is read after each block of cycles
    churn_concurrency: int
    users: int  # coordinators signed in on the hub; connections reuse their tokens round robin

    @property
    def rooms(self) -> int:
        return self.load_clients // self.room_size


FULL = Plan(
    idle_counts=(1000, 5000),
    load_clients=1000,
    room_size=50,
    base_rate=200,
    ladder=(10, 25, 50, 100, 200, 300, 400, 600, 800),
    warmup_s=2.0,
    measure_s=8.0,
    drain_s=3.0,
    churn_cycles=10_000,
    churn_blocks=5,
    churn_concurrency=20,
    users=40,
)

QUICK = Plan(
    idle_counts=(500, 1000),
    load_clients=1000,
    room_size=50,
    base_rate=200,
    ladder=(25, 50, 100, 200, 300, 400, 600),
    warmup_s=1.0,
    measure_s=4.0,
    drain_s=2.0,
    churn_cycles=1000,
    churn_blocks=2,
    churn_concurrency=20,
    users=10,
)
