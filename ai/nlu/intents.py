"""Intent classification on sentence embeddings with calibrated confidence and out-of-scope rejection.

Model: a multinomial logistic-regression head on L2-normalised embeddings. Its logits are temperature-scaled on
validation data (so ``confidence`` behaves like a probability) and a query is rejected as out-of-scope when

* the head predicts the explicit out-of-scope class (if the training data has one), or
* the calibrated top probability is below ``prob_threshold``, or
* the query is far from every training example (cosine to its nearest neighbour below ``sim_threshold``).

Both thresholds are chosen on validation data only: the given ``val_*`` split, or out-of-fold predictions of a
k-fold split of the training data when no validation split is given.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ai.nlu.calibration import choose_thresholds, fit_temperature, softmax

DEFAULT_OOS_LABEL = "out_of_scope"


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str] | str) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Prediction:
    intent: str
    confidence: float
    # Best in-scope candidates with their probabilities, useful for "did you mean ...?" replies after a rejection.
    alternatives: tuple[tuple[str, float], ...] = ()


class IntentClassifier:
    FORMAT_VERSION = 1  # bump when the saved head layout changes; cached heads of other versions are retrained

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        *,
        c: float = 10.0,
        oos_label: str = DEFAULT_OOS_LABEL,
        max_accuracy_drop: float = 0.005,
    ) -> None:
        self._encoder = encoder
        self.c = c
        self.max_accuracy_drop = max_accuracy_drop
        self.oos_label = oos_label
        self.classes: list[str] = []
        self.coef = np.zeros((0, 0), dtype=np.float32)
        self.intercept = np.zeros(0, dtype=np.float32)
        self.temperature = 1.0
        self.prob_threshold = 0.0
        self.sim_threshold = -1.0
        self.train_embeddings = np.zeros((0, 0), dtype=np.float32)
        self.metadata: dict[str, object] = {}

    @property
    def encoder(self) -> TextEncoder:
        if self._encoder is None:
            from ai.encoder import Encoder  # imported late: the research scripts pass their own encoders

            self._encoder = Encoder()
        return self._encoder

    # ------------------------------------------------------------------ training
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        val_texts: Sequence[str] | None = None,
        val_labels: Sequence[str] | None = None,
        oos_label: str | None = None,
    ) -> Self:
        x = self.encoder.encode(list(texts))
        xv = self.encoder.encode(list(val_texts)) if val_texts else None
        return self.fit_embeddings(x, labels, xv, val_labels, oos_label=oos_label)

    def fit_embeddings(
        self,
        x: np.ndarray,
        labels: Sequence[str],
        val_x: np.ndarray | None = None,
        val_labels: Sequence[str] | None = None,
        oos_label: str | None = None,
    ) -> Self:
        if oos_label is not None:
            self.oos_label = oos_label
        y = np.asarray(labels)
        if val_x is not None and val_labels is not None and len(val_labels):
            self._fit_head(x, y)
            logits = self._logits(val_x)
            sims = self._nearest_sim(val_x, x)
            yv = np.asarray(val_labels)
        else:
            logits, sims, yv = self._out_of_fold(x, y)
        self.temperature = fit_temperature(logits, np.array([self._index(v) for v in yv]))
        probs = softmax(logits / self.temperature)
        pred = np.array(self.classes)[probs.argmax(1)]
        is_oos = yv == self.oos_label
        self.prob_threshold, self.sim_threshold = choose_thresholds(
            correct=(pred == yv) & ~is_oos,
            flagged=pred == self.oos_label,
            conf=probs.max(1),
            sim=sims,
            is_oos=is_oos,
            max_accuracy_drop=self.max_accuracy_drop,
        )
        self.train_embeddings = x.astype(np.float32)
        return self

    def _index(self, label: str) -> int:
        # Validation labels unseen in training (e.g. "oos" when training has no OOS class) map to -1.
        return self.classes.index(label) if label in self.classes else -1

    def _fit_head(self, x: np.ndarray, y: np.ndarray) -> None:
        head = LogisticRegression(C=self.c, max_iter=3000)
        head.fit(x, y)
        self.classes = [str(c) for c in head.classes_]
        coef, intercept = head.coef_, head.intercept_
        if len(self.classes) == 2:  # sklearn collapses binary problems to one row; expand to two logits
            coef = np.vstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)

    def _out_of_fold(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Validation signals from k-fold cross-validation, for data sets too small to spare a validation split."""
        all_classes, counts = np.unique(y, return_counts=True)
        folds = max(2, min(5, int(counts.min())))
        logits = np.zeros((len(y), len(all_classes)), dtype=np.float32)
        sims = np.zeros(len(y), dtype=np.float32)
        for train_idx, val_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            self._fit_head(x[train_idx], y[train_idx])
            columns = [int(np.searchsorted(all_classes, c)) for c in self.classes]
            logits[np.ix_(val_idx, columns)] = self._logits(x[val_idx])
            sims[val_idx] = self._nearest_sim(x[val_idx], x[train_idx])
        self._fit_head(x, y)  # the deployed head sees all the data; folds only produced validation signals
        return logits, sims, y

    # ---------------------------------------------------------------- inference
    def _logits(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x @ self.coef.T + self.intercept, dtype=np.float32)

    @staticmethod
    def _nearest_sim(x: np.ndarray, reference: np.ndarray) -> np.ndarray:
        if not len(reference):
            return np.ones(len(x), dtype=np.float32)
        return np.asarray((x @ reference.T).max(1), dtype=np.float32)

    def predict(self, texts: Sequence[str] | str) -> list[Prediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        return self.predict_embeddings(self.encoder.encode(items)) if items else []

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    async def apredict(self, texts: Sequence[str] | str) -> list[Prediction]:
        """Like :meth:`predict`, with encoding off the event loop (the head itself takes microseconds)."""
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return []
        aencode = getattr(self.encoder, "aencode", None)
        x = await aencode(items) if aencode is not None else await asyncio.to_thread(self.encoder.encode, items)
        return self.predict_embeddings(x)

    def predict_embeddings(self, x: np.ndarray) -> list[Prediction]:
        if not self.classes:
            raise RuntimeError("IntentClassifier is not fitted")
        probs = softmax(self._logits(x) / self.temperature)
        sims = self._nearest_sim(x, self.train_embeddings)
        oos_idx = self._index(self.oos_label)
        in_scope = probs.copy()
        if oos_idx >= 0:
            in_scope[:, oos_idx] = -1.0
        out: list[Prediction] = []
        for row, scoped, sim in zip(probs, in_scope, sims, strict=True):
            best = int(row.argmax())
            order = np.argsort(-scoped)[:3]
            alternatives = tuple((self.classes[i], round(float(scoped[i]), 4)) for i in order if scoped[i] >= 0)
            conf = float(row[best])
            if best == oos_idx or conf < self.prob_threshold or sim < self.sim_threshold:
                # Confidence of a rejection: how little mass the best in-scope intent received.
                out.append(Prediction(self.oos_label, round(1.0 - float(scoped.max()), 4), alternatives))
            else:
                out.append(Prediction(self.classes[best], round(conf, 4), alternatives))
        return out

    # -------------------------------------------------------------- persistence
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(
            self.metadata,
            version=self.FORMAT_VERSION,
            oos_label=self.oos_label,
            c=self.c,
            max_accuracy_drop=self.max_accuracy_drop,
        )
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            classes=np.array(self.classes),
            coef=self.coef,
            intercept=self.intercept,
            train_embeddings=self.train_embeddings.astype(np.float16),  # halves the file; cosines barely move
            scalars=np.array([self.temperature, self.prob_threshold, self.sim_threshold]),
            meta=np.array(json.dumps(meta, sort_keys=True)),
        )
        tmp.replace(path)  # atomic: concurrent workers never read a half-written head

    @classmethod
    def load(cls, path: Path, encoder: TextEncoder | None = None) -> IntentClassifier:
        with np.load(path, allow_pickle=False) as data:  # no pickle: the cache dir must not be a code-exec vector
            meta = json.loads(str(data["meta"]))
            if meta.get("version") != cls.FORMAT_VERSION:
                raise ValueError(f"unsupported intent head format in {path}")
            clf = cls(
                encoder,
                c=float(meta["c"]),
                oos_label=str(meta["oos_label"]),
                max_accuracy_drop=float(meta["max_accuracy_drop"]),
            )
            clf.classes = [str(c) for c in data["classes"]]
            clf.coef = data["coef"]
            clf.intercept = data["intercept"]
            clf.train_embeddings = data["train_embeddings"].astype(np.float32)
            clf.temperature, clf.prob_threshold, clf.sim_threshold = (float(v) for v in data["scalars"])
            clf.metadata = meta
        return clf
