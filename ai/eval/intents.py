"""``python -m ai.eval intents FILE.jsonl``: score the product intent classifier on labelled JSON lines."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from ai.nlu.product_intents import load_examples, product_classifier


def per_intent_report(gold: list[str], predicted: list[str]) -> list[tuple[str, float, float, int]]:
    """``(intent, precision, recall, support)`` for every intent seen in gold or predictions."""
    tp = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    n_pred, n_gold = Counter(predicted), Counter(gold)
    rows = []
    for intent in sorted(set(gold) | set(predicted)):
        precision = tp[intent] / n_pred[intent] if n_pred[intent] else 0.0
        recall = tp[intent] / n_gold[intent] if n_gold[intent] else 0.0
        rows.append((intent, precision, recall, n_gold[intent]))
    return rows


def run_intents(path: str) -> dict[str, float]:
    texts, gold = load_examples([Path(path)])
    langs = [
        str(json.loads(line).get("lang", "")) for line in Path(path).read_text("utf-8").splitlines() if line.strip()
    ]
    start = time.perf_counter()
    clf = product_classifier()
    ready = time.perf_counter()
    predictions = clf.predict(texts)
    done = time.perf_counter()
    predicted = [p.intent for p in predictions]
    print(f"classifier ready in {ready - start:.2f}s; {1000 * (done - ready) / max(1, len(texts)):.1f} ms/query")
    print(f"{'intent':<24}{'precision':>10}{'recall':>8}{'n':>5}")
    for intent, precision, recall, support in per_intent_report(gold, predicted):
        print(f"{intent:<24}{precision:>10.2f}{recall:>8.2f}{support:>5}")
    for lang in sorted(set(langs) - {""}):
        idx = [i for i, code in enumerate(langs) if code == lang]
        acc = sum(predicted[i] == gold[i] for i in idx) / len(idx)
        print(f"accuracy [{lang}] {100 * acc:.1f}% (n={len(idx)})")
    errors = [(t, g, p) for t, g, p in zip(texts, gold, predictions, strict=True) if g != p.intent]
    for text, expected, got in errors:
        print(f"  miss: {text!r}: expected {expected}, got {got.intent} ({got.confidence:.2f})")
    accuracy = (len(texts) - len(errors)) / len(texts) if texts else 0.0
    print(json.dumps({"accuracy": round(accuracy, 4), "n": len(texts)}))
    return {"accuracy": accuracy, "n": float(len(texts))}
