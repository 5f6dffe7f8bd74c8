"""In-process periodic jobs (reminders, outbox delivery). Each run is safe to repeat and to race:

the jobs themselves guarantee exactly-once effects, so every hub process (or a dedicated
`python -m hub worker`) may run them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], Awaitable[object]]


class Scheduler:
    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._loop(job), name=f"job:{job.name}") for job in self.jobs]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _loop(self, job: Job) -> None:
        while True:
            try:
                await job.run()
            except Exception:
                log.exception("scheduled job failed; it runs again next time", extra={"job": job.name})
            await asyncio.sleep(job.every_seconds)
