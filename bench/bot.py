"""The assistant: time from a traveler's question to the reply, on one core, after warm-up.

`python -m bench bot [--questions 200] [--core N]`

What runs, in this one process: a fresh SQLite data dir built with the migrations, the demo seed (the demo
organization's week, with the demo traveler Tom in "Lisbon Spring Highlights"; catalog included when the
demo ships one), the hub's clock pinned to 19:00 on the trip's first evening in Lisbon, and `Bot.answer` for
Tom, exactly as the socket and HTTP handlers call it: classification (MiniLM on the encoder's worker thread),
the trip queries, entity extraction, the answer, the writes (needs, hand-offs) and the conversation memory.
The transport (Socket.IO/HTTP framing) is not included. The process is pinned to one core and torch to one
thread. Warm-up: the model load, the intent head, and 30 questions not in the measured set. The measured
questions are all distinct texts (the encoder caches repeated texts, which would flatter the figures) and
its cache is cleared after warm-up. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

# One base question per line: intents across the product, English and Spanish, follow-ups, hand-offs, needs.
BASE_QUESTIONS = [
    "who is our guide?",
    "what's the driver's phone number?",
    "when is pickup tomorrow?",
    "and the day after?",
    "where do we meet tomorrow morning?",
    "what's the plan for tomorrow?",
    "what's the address of our hotel?",
    "what time is check-in at the hotel?",
    "what time is my flight and which terminal?",
    "is my booking confirmed?",
    "any good restaurants for dinner tonight near the hotel?",
    "what can we do this evening?",
    "do we have vouchers for dinner?",
    "I'm vegetarian",
    "my father needs a wheelchair at the airport",
    "I want to talk to a person",
    "the bus never came and nobody told us, this is not ok",
    "I think I left my jacket on the coach",
    "can I change my booking to add a night?",
    "thank you so much!",
    "¿quién es nuestro guía?",
    "¿a qué hora nos recogen mañana?",
    "¿y el lunes?",
    "¿cuál es la dirección del hotel?",
    "¿a qué hora sale mi vuelo?",
    "¿está confirmada mi reserva?",
    "¿algún restaurante para cenar esta noche?",
    "soy celíaca",
    "necesito hablar con una persona",
    "gracias",
    "what's the weather like on the moon?",
    "hello!",
    "what time is breakfast?",
    "where is the meeting point on Monday?",
    "and on the 12th?",
    "what's the phone of the coordinator?",
    "can you recommend a tour for tomorrow?",
    "how do I pay the balance?",
    "I lost my passport",
    "goodbye",
]
PREFIXES = ["", "hi, ", "quick question: ", "sorry, ", "hey - "]
WARM_UP_PREFIX = "ok so "
DEMO_TRAVELER = "traveler@demo.spirithub.example"


def questions(count: int) -> list[str]:
    texts = [f"{prefix}{base}" for prefix in PREFIXES for base in BASE_QUESTIONS]
    return (texts * (count // len(texts) + 1))[:count]


def pin_to_one_core(core: int | None) -> int:
    available = sorted(os.sched_getaffinity(0))
    chosen = core if core is not None else available[-1]
    os.sched_setaffinity(0, {chosen})
    import torch

    torch.set_num_threads(1)  # one core means one inference thread too
    return chosen


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(count: int, core: int | None, show: int) -> int:
    chosen = pin_to_one_core(core)
    from ai.bot.assistant import Bot
    from ai.encoder import Encoder
    from ai.nlu.product_intents import product_classifier
    from ai.recommend.index import CatalogIndexes
    from domains.kernel.runtime import Hub
    from domains.kernel.security import Principal, Role
    from domains.kernel.settings import Settings
    from domains.models import Group, Participant, User
    from hub.demo.data import seed_demo
    from hub.migrate import upgrade_head_async

    with tempfile.TemporaryDirectory(prefix="bench-bot-") as work:
        data_dir = Path(work) / "data"
        data_dir.mkdir()
        settings = Settings(env="development", data_dir=data_dir, jwt_secret=secrets.token_hex(32), redis_url=None)
        await upgrade_head_async(settings.effective_database_url)
        hub = Hub(settings)
        try:
            started = time.perf_counter()
            await seed_demo(hub)
            seeded = time.perf_counter() - started
            async with hub.unit_of_work() as uow:
                row = (
                    await uow.session.execute(
                        select(User, Group)
                        .join(Participant, Participant.user_id == User.id)
                        .join(Group, Group.id == Participant.group_id)
                        .where(User.email == DEMO_TRAVELER)
                    )
                ).first()
            if row is None:
                print("the demo seed has no traveler with a trip; nothing to measure", file=sys.stderr)
                return 1
            user, group = row
            evening = datetime.combine(group.start_date, datetime.min.time()) + timedelta(hours=19)
            pinned = evening.replace(tzinfo=ZoneInfo(group.timezone)).astimezone(UTC)
            hub.clock = lambda: pinned  # type: ignore[method-assign]
            tom = Principal(user_id=user.id, org_id=user.org_id, role=Role.TRAVELER, session_id=uuid.uuid4())

            started = time.perf_counter()
            encoder = Encoder()
            # cached under HUB_DATA_DIR/ai (default var/ai) after the first run
            classifier = product_classifier(encoder=encoder)
            encoder.warm_up()
            loaded = time.perf_counter() - started
            bot = Bot(hub, CatalogIndexes(hub, encoder), classifier=classifier)
            for text in [f"{WARM_UP_PREFIX}{base}" for base in BASE_QUESTIONS[:30]]:
                await bot.answer(tom, text)
            encoder.clear_cache()

            timings: list[float] = []
            by_intent: dict[str, list[float]] = defaultdict(list)
            handoffs = 0
            for text in questions(count):
                began = time.perf_counter()
                reply = await bot.answer(tom, text)
                elapsed = time.perf_counter() - began
                timings.append(elapsed)
                by_intent[reply.intent].append(elapsed)
                handoffs += reply.handoff
                if len(timings) <= show:
                    print(f"  {text!r} -> [{reply.intent}{' hand-off' if reply.handoff else ''}] {reply.reply}")
        finally:
            await hub.close()

    ms = [t * 1000 for t in timings]
    print(f"assistant: question -> reply, {len(ms)} questions on core {chosen} (torch threads: 1), SQLite")
    print(f"  demo seed {seeded:.1f} s; classifier + model load {loaded:.1f} s (not measured); {handoffs} hand-offs")
    print(
        f"  p50 {percentile(ms, 0.5):.1f} ms   p95 {percentile(ms, 0.95):.1f} ms   p99 {percentile(ms, 0.99):.1f} ms"
        f"   mean {statistics.fmean(ms):.1f} ms   max {max(ms):.1f} ms   (goal: p95 < 100 ms)"
    )
    print("  by intent (n, p50 ms):")
    for intent, values in sorted(by_intent.items(), key=lambda kv: -len(kv[1])):
        print(f"    {intent:24s} {len(values):4d} {percentile([v * 1000 for v in values], 0.5):8.1f}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench bot", description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--core", type=int, default=None, help="CPU to pin to (default: the last one available)")
    parser.add_argument("--show", type=int, default=0, help="print the first N questions with their replies")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.questions, args.core, args.show))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
