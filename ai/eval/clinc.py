"""CLINC150 ("full") benchmark of the intent engine: ``python -m ai.eval clinc150 data_full.json``.

Protocol (Larson et al., 2019): train on ``train`` + ``oos_train``; every choice (classifier temperature,
rejection thresholds) is made on ``val`` + ``oos_val``; ``test`` + ``oos_test`` is predicted exactly once, at the
end, and only to report figures. In-scope accuracy counts a test query as correct only when it survives rejection
with the right intent; out-of-scope recall is the share of ``oos_test`` that is rejected.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from ai.encoder import Encoder
from ai.nlu.finetune import FinetuneConfig, finetune_encoder
from ai.nlu.intents import IntentClassifier

OOS = "oos"
# All chosen with validation-only experiments (docs/ai.md): tuning on one half of val, measuring on the other.
CLINC_FINETUNE = FinetuneConfig(epochs=4, trainable_layers=3, lr=1e-4, scale=20.0, margin=0.2, batch_size=32)
HEAD_C = 50.0  # 150 intents x 100 examples support a weaker L2 penalty than the small product set
MAX_ACCURACY_DROP = 0.003  # the accuracy budget for rejection, kept small: the goal is an accuracy floor


def load_clinc(path: str | Path) -> dict[str, list[tuple[str, str]]]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {split: [(str(text), str(label)) for text, label in rows] for split, rows in raw.items()}


def _split(rows: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [t for t, _ in rows], [label for _, label in rows]


def score(predicted: list[str], gold: list[str]) -> dict[str, float]:
    pred, true = np.array(predicted), np.array(gold)
    in_scope = true != OOS
    rejected = pred == OOS
    return {
        "in_scope_accuracy": float((pred[in_scope] == true[in_scope]).mean()),
        "oos_recall": float(rejected[~in_scope].mean()) if (~in_scope).any() else float("nan"),
        "oos_precision": float((~in_scope)[rejected].mean()) if rejected.any() else float("nan"),
        "in_scope_rejected": float(rejected[in_scope].mean()),
    }


def run_clinc150(path: str, config: FinetuneConfig = CLINC_FINETUNE) -> dict[str, float]:
    torch.set_num_threads(2)
    data = load_clinc(path)
    train_x, train_y = _split(data["train"] + data["oos_train"])
    val_x, val_y = _split(data["val"] + data["oos_val"])
    test_x, test_y = _split(data["test"] + data["oos_test"])
    print(f"CLINC150 full: train {len(train_x)}, val {len(val_x)}, test {len(test_x)} ({Counter(test_y)[OOS]} oos)")

    start, cpu_start = time.perf_counter(), time.process_time()
    model = finetune_encoder(train_x, train_y, config, log=lambda msg: print(f"  fine-tune: {msg}", flush=True))
    tuned = time.perf_counter()
    encoder = Encoder(model=model, cache_size=0, batch_size=256)
    clf = IntentClassifier(encoder, c=HEAD_C, oos_label=OOS, max_accuracy_drop=MAX_ACCURACY_DROP)
    clf.fit(train_x, train_y, val_x, val_y)
    trained = time.perf_counter()
    print(f"fine-tuning {tuned - start:.0f}s, head + calibration on val {trained - tuned:.0f}s")
    print(
        f"val-chosen: temperature {clf.temperature:.3f}, prob threshold {clf.prob_threshold:.3f}, "
        f"similarity threshold {clf.sim_threshold:.3f}"
    )
    # Wall time depends on whatever else shares the CPU; process CPU time (all threads) does not.
    cpu = time.process_time() - cpu_start
    print(f"total training time {trained - start:.0f}s wall ({(trained - start) / 60:.1f} min), {cpu:.0f}s CPU")

    # The only contact with the test split: one prediction pass, after every choice has been made.
    predicted = [p.intent for p in clf.predict(test_x)]
    tested = time.perf_counter()
    result = score(predicted, test_y)
    print(f"test prediction {tested - trained:.0f}s ({1000 * (tested - trained) / len(test_x):.1f} ms/query)")
    print(
        f"in-scope accuracy {100 * result['in_scope_accuracy']:.2f}%  "
        f"(in-scope rejected {100 * result['in_scope_rejected']:.2f}%)"
    )
    print(f"out-of-scope recall {100 * result['oos_recall']:.2f}%  (precision {100 * result['oos_precision']:.2f}%)")
    headline = {
        "in_scope_accuracy": round(result["in_scope_accuracy"], 4),
        "oos_recall": round(result["oos_recall"], 4),
    }
    print(json.dumps(headline))
    return result
