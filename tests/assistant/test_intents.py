"""Intent classifier tests on the real MiniLM encoder (small data, runs in seconds)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from ai.encoder import Encoder
from ai.nlu.intents import IntentClassifier, Prediction
from ai.nlu.product_intents import INTENTS, TRAIN_FILES, load_examples, product_classifier

SYNTHETIC = {
    "weather": [
        "will it rain tomorrow?",
        "what's the weather like today?",
        "is it going to be sunny this weekend?",
        "how hot will it be this afternoon?",
        "do I need an umbrella today?",
        "what's the temperature outside?",
        "is there a storm coming?",
        "will it snow tonight?",
    ],
    "music": [
        "play some jazz",
        "put on my favourite playlist",
        "skip this song",
        "turn the music up",
        "play the latest album by Adele",
        "I want to listen to rock music",
        "pause the song",
        "shuffle my songs",
    ],
    "food": [
        "order a pizza",
        "I'm hungry, get me some sushi",
        "book a table for dinner",
        "find a burger place nearby",
        "I want to order Chinese takeaway",
        "get me a pepperoni pizza delivered",
        "what restaurants deliver now?",
        "order some pad thai",
    ],
}


@pytest.fixture(scope="module")
def synthetic(encoder: Encoder) -> IntentClassifier:
    texts = [t for phrases in SYNTHETIC.values() for t in phrases]
    labels = [label for label, phrases in SYNTHETIC.items() for _ in phrases]
    return IntentClassifier(encoder).fit(texts, labels)


def test_synthetic_classes_are_separated(synthetic: IntentClassifier) -> None:
    queries = {"is it raining right now?": "weather", "play something relaxing": "music", "order me a kebab": "food"}
    predictions = synthetic.predict(list(queries))
    assert [p.intent for p in predictions] == list(queries.values())
    assert all(isinstance(p, Prediction) and 0.0 < p.confidence <= 1.0 for p in predictions)


def test_unrelated_sentence_is_rejected_as_out_of_scope(synthetic: IntentClassifier) -> None:
    prediction = synthetic.predict_one("the quarterly corporate tax return is due in April")
    assert prediction.intent == "out_of_scope"
    assert prediction.alternatives and prediction.alternatives[0][0] in SYNTHETIC


def test_save_and_load_round_trip(synthetic: IntentClassifier, tmp_path: Path) -> None:
    path = tmp_path / "head.npz"
    synthetic.save(path)
    loaded = IntentClassifier.load(path, synthetic.encoder)
    queries = ["skip to the next track", "is it cold outside?", "how do I file taxes?"]
    assert [p.intent for p in loaded.predict(queries)] == [p.intent for p in synthetic.predict(queries)]
    assert loaded.temperature == pytest.approx(synthetic.temperature)


def test_explicit_validation_split_sets_thresholds(encoder: Encoder) -> None:
    texts = [t for phrases in SYNTHETIC.values() for t in phrases[:6]]
    labels = [label for label, phrases in SYNTHETIC.items() for _ in phrases[:6]]
    val_texts = [t for phrases in SYNTHETIC.values() for t in phrases[6:]] + ["how tall is Everest?", "hello robot"]
    val_labels = [label for label, phrases in SYNTHETIC.items() for _ in phrases[6:]] + ["oos", "oos"]
    clf = IntentClassifier(encoder, oos_label="oos").fit(texts, labels, val_texts, val_labels)
    assert clf.temperature > 0
    assert [p.intent for p in clf.predict(["play some blues", "will it be windy?"])] == ["music", "weather"]


@pytest.fixture(scope="module")
def product_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ai-cache")


@pytest.fixture(scope="module")
def product(product_dir: Path, encoder: Encoder) -> IntentClassifier:
    return product_classifier(product_dir, encoder)


def test_product_data_covers_every_intent_in_both_languages() -> None:
    for path in TRAIN_FILES:
        _, labels = load_examples([path])
        assert set(labels) == set(INTENTS)
        assert min(labels.count(intent) for intent in INTENTS) >= 15


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what time is pickup tomorrow?", "pickup_time"),
        ("¿a qué hora nos recogen mañana?", "pickup_time"),
        ("where is the meeting point?", "meeting_point"),
        ("¿dónde está el punto de encuentro?", "meeting_point"),
        ("I want to cancel my booking", "cancellation"),
        ("quiero cancelar mi reserva", "cancellation"),
        ("I lost my passport", "lost_item"),
        ("necesito hablar con una persona", "human_handoff"),
        ("call an ambulance, someone is hurt", "emergency"),
        ("thank you so much!", "thanks"),
    ],
)
def test_product_classifier_obvious_phrases(product: IntentClassifier, text: str, intent: str) -> None:
    prediction = product.predict_one(text)
    assert prediction.intent == intent, prediction


@pytest.mark.parametrize("text", ["blorf zingle wumpus", "what is the boiling point of tungsten?"])
def test_product_classifier_nonsense_is_out_of_scope_or_unsure(product: IntentClassifier, text: str) -> None:
    prediction = product.predict_one(text)
    assert prediction.intent == "out_of_scope" or prediction.confidence < 0.5, prediction


def test_product_classifier_is_cached_on_disk_and_fast(product: IntentClassifier, product_dir: Path) -> None:
    cached = product_dir / "product_intents.npz"
    assert cached.is_file()
    assert product_classifier(product_dir) is product  # memoised per cache directory
    reloaded = IntentClassifier.load(cached)
    np.testing.assert_allclose(reloaded.coef, product.coef)
    assert reloaded.metadata["fingerprint"] == product.metadata["fingerprint"]
    product.predict_one("warm-up query")
    started = time.perf_counter()
    for i in range(10):
        product.predict_one(f"when does the bus leave on day {i}?")  # distinct texts: no encoder cache hits
    assert (time.perf_counter() - started) / 10 < 0.1  # ~10-15 ms on a 2-core CPU; generous bound for CI noise


async def test_apredict_from_a_running_loop(product: IntentClassifier) -> None:
    predictions = await product.apredict(["where do we meet tomorrow?", "¿dónde quedamos mañana?"])
    assert [p.intent for p in predictions] == ["meeting_point", "meeting_point"]
