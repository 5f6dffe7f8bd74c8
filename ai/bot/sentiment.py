"""Is a traveler upset? A small English/Spanish lexicon, enough to route an angry message to a person.

Deliberately simple and explainable: strong words ("unacceptable", "furious", "vergüenza") count 2, milder ones
("disappointed", "cold", "molesto") 1, a negation just before a word ("not bad", "no está mal") cancels it,
shouting (!!!, CAPITALS) adds 1. A score of 2 or more is negative. The lexicon is ours, small on purpose: a
false alarm costs a coordinator a look, a missed one an angry traveler, and the intent classifier already
catches most complaints as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai.nlu.entities.base import fold, word_set

NEGATIVE_THRESHOLD = 2
_STRONG = word_set(
    """terrible horrible awful worst disgusting unacceptable ridiculous furious outraged outrageous appalling scam
    rip-off ripoff nightmare disaster useless hate angry livid pathetic shameful incompetent rude filthy dirty
    pesimo pesima fatal asqueroso asquerosa inaceptable ridiculo ridicula furioso furiosa indignante indignado
    indignada verguenza estafa desastre inutil odio enfadado enfadada enojado enojada harto harta incompetente
    maleducado grosero grosera sucio sucia penoso lamentable timo"""
)
_MILD = word_set(
    """bad poor disappointed disappointing upset unhappy annoyed annoying frustrated frustrating late cold broken
    noisy waiting worse never wrong sucks lousy mal malo mala decepcionado decepcionada decepcion molesto molesta
    frustrado frustrada roto rota ruidoso esperando peor nunca fria frio"""
)
_NEGATIONS = word_set("not no isn't wasn't aren't don't didn't nada ni tan")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)?")
_SHOUT = re.compile(r"!{2,}|\b[A-Z]{4,}\b")


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: int
    words: tuple[str, ...]

    @property
    def negative(self) -> bool:
        return self.score >= NEGATIVE_THRESHOLD


def sentiment(text: str) -> Sentiment:
    words = [fold(w) for w in _WORD.findall(text)]
    score = 0
    hits: list[str] = []
    for index, word in enumerate(words):
        weight = 2 if word in _STRONG else 1 if word in _MILD else 0
        if not weight:
            continue
        # 'not bad', 'no está mal', 'no es tan malo': a negation within two words before cancels it.
        if any(w in _NEGATIONS for w in words[max(0, index - 2) : index]):
            continue
        score += weight
        hits.append(word)
    if hits and _SHOUT.search(text):
        score += 1
    return Sentiment(score, tuple(hits))
