"""Language detection and the upset-tone lexicon: small, pure functions, tested hard on short messages."""

from __future__ import annotations

import pytest

from ai.bot.language import LanguageDetector
from ai.bot.sentiment import sentiment

detect_language = LanguageDetector().detect  # one detector for these stories, as the assistant holds one


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola", "es"),
        ("gracias", "es"),
        ("¿y el viernes?", "es"),
        ("soy celíaca", "es"),
        ("mi madre usa silla de ruedas", "es"),
        ("¿a qué hora nos recogen mañana?", "es"),
        ("hello", "en"),
        ("thanks!", "en"),
        ("and the day after?", "en"),
        ("I'm vegetarian", "en"),
        ("what time is my flight and which terminal?", "en"),
        ("my mother uses a wheelchair", "en"),
    ],
)
def test_short_messages_get_the_right_language(text: str, language: str) -> None:
    assert detect_language(text).code == language


def test_a_message_with_no_clue_keeps_the_conversations_language() -> None:
    assert detect_language("TP1351?", previous="es").code == "es"
    assert detect_language("TP1351?", previous="en").code == "en"
    assert detect_language("TP1351?").code in ("en", "es")


@pytest.mark.parametrize(
    "text",
    [
        "this is unacceptable",
        "the bus was late and the room is cold",
        "es una vergüenza",
        "estoy muy enfadado con el servicio",
        "I am disappointed!!!",
    ],
)
def test_upset_messages_are_negative(text: str) -> None:
    assert sentiment(text).negative


@pytest.mark.parametrize(
    "text",
    ["not bad at all", "no está mal", "what time is pickup tomorrow?", "I am a bit late, sorry", "por la tarde"],
)
def test_calm_messages_are_not(text: str) -> None:
    assert not sentiment(text).negative
