"""Which language a traveler writes in (English or Spanish), so the assistant replies in it.

py3langid (a maintained fork of langid.py: a naive Bayes model over byte n-grams, 4.5 MB, offline) restricted
to the languages we answer in does the work. It stumbles on one- and two-word messages ("hola", "ciao",
"see ya"), which is where a short list of unmistakable words decides instead, and when even those say nothing
the language of the conversation so far is kept. Measured on the intent phrases in ``ai/data`` (1,196
EN/ES lines, mostly short): py3langid alone 99.2%, with the word lists 99.7%; on the 138 held-out lines
of ``ai/data/intents_eval.jsonl`` 99.3% and 100%; see docs/ai.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from ai.nlu.entities.base import fold, word_set

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Below this normalised probability the model's guess on a short text is a coin toss.
MIN_CONFIDENCE = 0.9

# Words that, in a travel chat, belong to one of the two languages only (accents folded).
_ES_WORDS = word_set(
    """hola holaa buenas buenos dias tardes noches gracias muchas adios chao hasta luego vale quiero necesito tengo
    soy estoy somos estamos mi mis nuestro nuestra nuestros el los las del al que donde cuando quien cual como
    cuanto cuantos hay por para con sin esta este manana hoy ayer pasado noche tarde recogen recogida guia
    conductor chofer vuelo habitacion reserva ayuda ayudame porfa favor senor senora perdon disculpa si
    tambien pero muy mucho bien mal puedo puedes podria y o e nos les usa usar silla ruedas madre padre"""
)
_EN_WORDS = word_set(
    """hi hello hey hiya thanks thank thx bye goodbye cheers see ya the my our your is are was were what where
    when who which how much many there please pls can could would should will do does did have has i im i'm
    we you it this that tomorrow today tonight yesterday morning evening pickup guide driver flight room
    booking help need want and or but with without from of to for at on in uses wheelchair mother father ok okay"""
)
_ES_MARKS = re.compile(r"[¿¡ñÑ]|[a-z]+(?:ción|ciones|ñ[a-z]*)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    code: str
    confidence: float
    method: str  # "model", "words" or "conversation": how the answer was reached, for the figures


class LanguageDetector:
    """py3langid restricted to the languages we answer in, loaded on first use; the assistant holds one."""

    def __init__(self) -> None:
        self._identifier: LanguageIdentifier | None = None
        self._loading = threading.Lock()

    def _model(self) -> LanguageIdentifier:
        if self._identifier is None:
            with self._loading:
                if self._identifier is None:
                    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                    identifier.set_languages(list(LANGUAGES))
                    self._identifier = identifier
        return self._identifier

    def detect(self, text: str, previous: str | None = None) -> DetectedLanguage:
        """The language of ``text``; ``previous`` (the conversation's language) breaks ties on short messages."""
        code, confidence = self._model().classify(text)
        if confidence >= MIN_CONFIDENCE and len(_WORD.findall(text)) > 2:
            return DetectedLanguage(str(code), float(confidence), "model")
        by_words = _by_words(text)
        if by_words is not None:
            return DetectedLanguage(by_words, 1.0, "words")
        if confidence >= MIN_CONFIDENCE:
            return DetectedLanguage(str(code), float(confidence), "model")
        if previous in LANGUAGES:
            return DetectedLanguage(previous, float(confidence), "conversation")
        return DetectedLanguage(str(code) if code in LANGUAGES else DEFAULT_LANGUAGE, float(confidence), "model")


def _by_words(text: str) -> str | None:
    if _ES_MARKS.search(text):
        return "es"
    words = [fold(w) for w in _WORD.findall(text)]
    spanish = sum(w in _ES_WORDS for w in words)
    english = sum(w in _EN_WORDS for w in words)
    if spanish != english:
        return "es" if spanish > english else "en"
    return None
