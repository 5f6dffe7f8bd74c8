"""One sentence encoder for the session (as the wiring builds one per process), the product intent classifier
trained once per session on it, and the recommendation indexes of the test's hub."""

from __future__ import annotations

import pytest

from ai.encoder import Encoder
from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import product_classifier
from ai.recommend.index import CatalogIndexes
from domains.kernel.runtime import Hub


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="session")
def intents(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> IntentClassifier:
    return product_classifier(tmp_path_factory.mktemp("ai-intents"), encoder)


@pytest.fixture
def indexes(hub: Hub, encoder: Encoder) -> CatalogIndexes:
    return CatalogIndexes(hub, encoder)
