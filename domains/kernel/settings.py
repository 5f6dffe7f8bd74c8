"""Settings from environment variables and an optional `.env` file (pydantic-settings)."""

from __future__ import annotations

import itertools
import math
import secrets
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets that appear in docs, examples or tutorials; production refuses them.
KNOWN_DEFAULT_SECRETS = frozenset(
    {"secret", "changeme", "change-me", "dev", "development", "jwt-secret", "supersecret", "please-change-me"}
)
MIN_SECRET_BYTES = 32
# Production secrets must hold at least this much randomness by `estimated_entropy_bits`; one made as the README
# says (`secrets.token_urlsafe(48)`) scores about 350.
MIN_SECRET_BITS = 96
SECRET_RECIPE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105 - how to make one


def _bits_per_symbol(symbols: Sequence[object]) -> float:
    """The empirical Shannon entropy of a sequence, in bits per symbol."""
    if not symbols:
        return 0.0
    total = len(symbols)
    return -sum(n / total * math.log2(n / total) for n in Counter(symbols).values())


def _shortest_period(text: str) -> str:
    """The shortest prefix that `text` repeats: "abcabcab" → "abc"; a text that does not repeat is its own."""
    for size in range(1, len(text)):
        if all(text[i] == text[i % size] for i in range(size, len(text))):
            return text[:size]
    return text


def estimated_entropy_bits(secret: str) -> float:
    """A conservative estimate of the randomness in a secret: its length times the entropy per character, taking
    the lower of the characters' and of the steps between neighbours (so "abcdef…" scores as low as "aaaaaa…"),
    counted over the shortest part it repeats ("password" × 4 scores as "password")."""
    core = _shortest_period(secret)
    steps = [ord(b) - ord(a) for a, b in itertools.pairwise(core)]
    per_symbol = _bits_per_symbol(core) if len(core) < 2 else min(_bits_per_symbol(core), _bits_per_symbol(steps))
    return len(core) * per_symbol


def secret_problem(name: str, secret: str | None, *, required: bool = True) -> str | None:
    """Why `secret` may not be used in production, or None."""
    if not secret:
        return f"{name} is not set" if required else None
    if secret.lower() in KNOWN_DEFAULT_SECRETS:
        return f"{name} is a well-known default value"
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"{name} is shorter than {MIN_SECRET_BYTES} bytes"
    if (bits := estimated_entropy_bits(secret)) < MIN_SECRET_BITS:
        return (
            f"{name} is too predictable (about {bits:.0f} bits of randomness, at least {MIN_SECRET_BITS} needed); "
            f"make one with {SECRET_RECIPE}"
        )
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL", "HUB_DATABASE_URL"))
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL", "HUB_REDIS_URL"))
    # Prefix for every Redis key and channel, so several hubs (or test runs) can share one Redis.
    redis_prefix: str = "hub"
    jwt_secret: str | None = None
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    cors_origins: list[str] = []
    log_level: str = "INFO"
    login_attempts_per_email: int = 5
    login_attempts_per_client: int = 20
    login_window_seconds: int = 15 * 60
    # Realtime: per-connection event limits, payload bound, presence heartbeats.
    socket_event_burst: int = 40
    socket_events_per_second: float = 20.0
    socket_max_payload_bytes: int = 64 * 1024
    socket_ping_interval_seconds: float = 25.0
    socket_ping_timeout_seconds: float = 20.0
    presence_heartbeat_seconds: float = 5.0
    presence_ttl_seconds: float = 15.0
    upload_max_bytes: int = 25 * 1024 * 1024
    # Upload quotas (docs/realtime.md "Files"): files and bytes per person and per room in a sliding window,
    # shared by every process through Redis in scale-out. Beyond them: 429 with Retry-After.
    upload_quota_window_seconds: int = 3600
    upload_quota_user_files: int = 40
    upload_quota_user_bytes: int = 100 * 1024 * 1024
    upload_quota_room_files: int = 150
    upload_quota_room_bytes: int = 300 * 1024 * 1024
    # How many days a group may span (create and update answer 422 beyond it); views of longer groups
    # stored before the rule list only this many days.
    max_group_days: int = Field(default=120, ge=1, le=3660)
    # Recommendations (docs/ai.md): an exact faiss index up to this many catalog items, HNSW above it.
    recommend_exact_max_items: int = 20_000
    recommend_hnsw_ef_search: int = 512  # recall of the exact top 50: 0.995 at 100k, 0.83 at 256 (bench recommend)
    # Periodic jobs (reminders, outbox delivery) run in every web process unless switched off here,
    # e.g. when a separate `python -m hub worker` runs them.
    scheduler_enabled: bool = True
    reminder_interval_seconds: float = 60.0
    outbox_interval_seconds: float = 2.0
    # Notifications (docs/notifications.md). Without provider credentials the local outbox is used.
    outbox_max_attempts: int = 8
    outbox_backoff_base_seconds: float = 2.0
    outbox_backoff_max_seconds: float = 3600.0
    outbox_claim_seconds: float = 300.0  # a claimed row left by a crashed worker is retried after this
    provider_timeout_seconds: float = 15.0
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None  # an E.164 number, or use a messaging service:
    twilio_messaging_service_sid: str | None = None
    twilio_base_url: str | None = None  # tests point the real client at a local server
    sendgrid_api_key: str | None = None
    sendgrid_base_url: str | None = None
    sendgrid_webhook_public_key: str | None = None
    public_url: str | None = None  # how providers reach our webhooks, e.g. https://hub.example.com
    mail_domain: str = "spirithub.example"  # default senders: bookings@, groups@, dispatch@, noreply@, support@
    confirmation_timeout_minutes: float = 240.0  # unanswered assignment requests are escalated after this
    # Alerts (a traveler's emergency, a hand-off): unacknowledged ones go to the next person after this.
    alert_escalation_minutes: float = 10.0
    alert_interval_seconds: float = 15.0
    quiet_hours: str = "21:00-08:00"  # default for recipients without their own
    # The travelers' assistant (docs/ai.md "The bot"): below this calibrated intent confidence a question
    # goes to a person; conversations are remembered per traveler for a while (Redis when REDIS_URL is set).
    # Load the assistant's intent model at startup, in a worker thread, so the first question is answered at once.
    bot_warm_up: bool = True
    bot_handoff_confidence: float = 0.5
    bot_memory_ttl_seconds: float = 30 * 60
    bot_memory_max_travelers: int = 10_000
    bot_max_text_chars: int = 1000
    # `/metrics` answers only to `Authorization: Bearer <this token>` when it is set; in production it is
    # closed without it. Development and tests leave it open when unset.
    metrics_token: str | None = None
    demo_password: str = "spirit-demo-2026"  # noqa: S105 - printed demo logins, embedded mode only

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hub.sqlite3"

    @property
    def effective_database_url(self) -> str:
        """The URL SQLAlchemy uses: the configured one with an async driver, or the embedded SQLite file."""
        if not self.database_url:
            return f"sqlite+aiosqlite:///{self.sqlite_path}"
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url.removeprefix(prefix)
        if url.startswith("sqlite://"):
            return "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
        return url

    @property
    def uses_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    def production_problems(self) -> list[str]:
        """Why this configuration may not run in production; empty when it may."""
        problems: list[str] = []
        for problem in (
            secret_problem("HUB_JWT_SECRET", self.jwt_secret),
            secret_problem("HUB_METRICS_TOKEN", self.metrics_token, required=False),
        ):
            if problem is not None:
                problems.append(problem)
        if self.uses_sqlite:
            problems.append("DATABASE_URL must point at PostgreSQL in production, not SQLite")
        return problems

    def signing_secret(self) -> str:
        """The JWT secret; outside production a random one is kept under the data dir."""
        if self.jwt_secret:
            return self.jwt_secret
        if self.is_production:
            raise RuntimeError("HUB_JWT_SECRET is not set")
        path = self.data_dir / "jwt-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


class ConfigurationError(SystemExit):
    """Raised to stop the process with a one-line reason instead of a traceback."""


def check_startup(settings: Settings) -> None:
    if settings.is_production and (problems := settings.production_problems()):
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
