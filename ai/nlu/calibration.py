"""Confidence calibration and out-of-scope threshold selection (validation data only, never test data)."""

from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float32)


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """Temperature scaling (Guo et al., 2017): the T minimising validation NLL of ``softmax(logits / T)``.

    Rows whose target is not a training class (-1) carry no likelihood and are ignored. A 1-D log-spaced
    search is plenty for one parameter and avoids an optimiser dependency.
    """
    keep = targets >= 0
    if not keep.any():
        return 1.0
    z, t = logits[keep], targets[keep]

    def nll(temp: float) -> float:
        p = softmax(z / temp)
        return float(-np.log(np.clip(p[np.arange(len(t)), t], 1e-12, None)).mean())

    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 121))
    best = min(grid, key=nll)
    fine = best * np.exp(np.linspace(-0.05, 0.05, 21))
    return float(min(fine, key=nll))


def choose_thresholds(
    correct: np.ndarray,
    flagged: np.ndarray,
    conf: np.ndarray,
    sim: np.ndarray,
    is_oos: np.ndarray,
    max_accuracy_drop: float = 0.005,
) -> tuple[float, float]:
    """Pick ``(prob_threshold, sim_threshold)`` on validation signals.

    ``correct``: in-scope rows predicted with the right intent; ``flagged``: rows the head already sends to the
    explicit OOS class; ``conf``: calibrated top probability; ``sim``: cosine to the nearest training example.

    With OOS examples: the thresholds with the best OOS recall among those that cost at most
    ``max_accuracy_drop`` of in-scope accuracy. Rejecting a genuine traveller request is worse than answering an
    off-topic one, so accuracy is a budget rather than something to trade one-for-one (Youden's J would give up
    several points of accuracy for recall). Without OOS examples nothing measures recall, so the probability gate
    stays open and only queries less similar to the training data than 98% of in-scope queries are rejected.
    """
    in_scope = ~is_oos
    if not is_oos.any():
        return 0.0, float(np.quantile(sim[in_scope], 0.02)) if in_scope.any() else -1.0
    if not in_scope.any():
        return 1.0, 1.0
    floor = float(correct[in_scope].mean()) - max_accuracy_drop
    p_grid = np.unique(np.concatenate([[0.0], np.quantile(conf, np.linspace(0.0, 0.4, 81))]))
    s_grid = np.unique(np.concatenate([[-1.0], np.quantile(sim, np.linspace(0.0, 0.3, 31))]))
    best = (-1.0, -1.0, 0.0, -1.0)  # (recall, accuracy, prob threshold, sim threshold)
    for s in s_grid:
        passes_sim = sim >= s
        for p in p_grid:
            accepted = passes_sim & (conf >= p)
            acc = float((correct & accepted)[in_scope].mean())
            rec = float((flagged | ~accepted)[is_oos].mean())
            if acc >= floor - 1e-9 and (rec, acc) > best[:2]:
                best = (rec, acc, float(p), float(s))
    return best[2], best[3]
