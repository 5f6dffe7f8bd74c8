"""The product intent classifier, trained once per test session (the encoder loads once per process too)."""

from __future__ import annotations

import pytest

from ai.nlu.intents import IntentClassifier
from ai.nlu.product_intents import product_classifier


@pytest.fixture(scope="session")
def intents(tmp_path_factory: pytest.TempPathFactory) -> IntentClassifier:
    return product_classifier(tmp_path_factory.mktemp("ai-intents"))
