"""The product intent classifier, trained once per test session (the encoder loads once per process too), and
the recommendation indexes of the test's hub, as the wiring builds them once per process."""

from __future__ import annotations

import pytest

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import product_classifier
from ai.recommend.index import CatalogIndexes
from domains.kernel.runtime import Hub


@pytest.fixture(scope="session")
def intents(tmp_path_factory: pytest.TempPathFactory) -> IntentClassifier:
    return product_classifier(tmp_path_factory.mktemp("ai-intents"))


@pytest.fixture
def indexes(hub: Hub) -> CatalogIndexes:
    return CatalogIndexes(hub)
