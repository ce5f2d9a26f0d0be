"""Everyday wording no lexicon entry spells out, matched by meaning to the words the lexicon does hold.

Residents describe what happened ("像是燃气漏了", "暖气管道爆了", "米面油都被抢光了"); the lexicon lists
some of the ways people say it ("燃气泄漏", "暖气管爆", "抢空了"), never all. Each of the lexicon's Chinese
words, and each gazette term they stand for, is embedded once (cached and seeded like passage vectors); a
question's words that neither the lexicon nor the gazette has are embedded and, when they are close enough
to one of them, stand for what that word means. Embedding a few words costs a few milliseconds, so this
runs only when the lexical ranking alone is unsure.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from .embedding import Model
from .lexicon import lexicon, situation_sayings
from .tokens import numerals
from .tuning import BRIDGE_MIN_CHARS, BRIDGE_SIMILARITY

CACHE = 4096   # recent question words and their nearest lexicon word: the same wordings recur


def bridge_phrases() -> tuple[list[str], list[tuple[str, ...]]]:
    """The lexicon's Chinese words and the gazette terms they mean, each with the terms it stands for."""
    phrases: dict[str, tuple[str, ...]] = {}
    matched_only = situation_sayings()
    for e in lexicon():
        if e.english or e.say in matched_only:
            continue
        phrases.setdefault(e.say, e.means)
        for term in e.means:
            phrases.setdefault(term, (term,))
    return list(phrases), list(phrases.values())


class TermBridge:
    """The lexicon's words as unit vectors, and the model to embed a question's words into the same space."""

    def __init__(self, phrases: Sequence[str], means: Sequence[tuple[str, ...]], matrix: np.ndarray, model: Model):
        self.phrases, self.means, self.matrix, self.model = list(phrases), list(means), matrix, model
        self._cache: OrderedDict[str, tuple[str, tuple[str, ...], float] | None] = OrderedDict()

    @classmethod
    def load(cls, model: Model) -> TermBridge:
        from .vectors import embed_texts   # vectors imports the model module; keep this module light to import
        phrases, means = bridge_phrases()
        matrix = embed_texts(phrases, model).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
        return cls(phrases, means, matrix, model)

    def unseen(self, spans: Sequence[str]) -> list[str]:
        """The spans worth embedding that no earlier question has had embedded."""
        return [s for s in dict.fromkeys(spans) if len(s) >= BRIDGE_MIN_CHARS and s not in self._cache]

    def learn(self, spans: Sequence[str], vectors: np.ndarray) -> None:
        """Remember the nearest lexicon word of each span from its (query) vector."""
        # matrix @ vectors.T, not vectors @ matrix.T: the same numbers, a third of the time with one BLAS thread
        for s, sims in zip(spans, (self.matrix @ vectors.T).T):
            best = int(np.argmax(sims))
            # close in meaning and sharing a character: without one, short words land on unrelated ones that
            # merely sound official ("打算" ≈ 提案, "交给" ≈ 陪同); and the same numbers
            close = sims[best] >= BRIDGE_SIMILARITY and not set(s).isdisjoint(self.phrases[best]) \
                and numerals(s) == numerals(self.phrases[best])
            self._cache[s] = (self.phrases[best], self.means[best], float(sims[best])) if close else None
        while len(self._cache) > CACHE:
            self._cache.popitem(last=False)

    def nearest(self, spans: Sequence[str], unless: Callable[[str, str], bool] | None = None
                ) -> tuple[str, tuple[str, ...], float] | None:
        """The lexicon word closest in meaning to any of spans (a question's words, whole and in parts), what it
        means and how close, when close enough and unless(span, word) rules it out. Only spans already learnt
        count: the caller embeds them all in one call, as many as it can afford."""
        found = [self._cache[s] for s in dict.fromkeys(spans)
                 if self._cache.get(s) and not (unless and unless(s, self._cache[s][0]))]
        return max(found, key=lambda f: f[2]) if found else None


def spans(tokens: Sequence[str]) -> list[str]:
    """The words of a question segment whole, and runs of three of them: in "商场电梯突然卡住把人关里头" the
    whole says less than "电梯突然卡住". (Runs of two found nothing more on the tuned sets and cost a third
    more embeddings.)"""
    out = ["".join(tokens)]
    if len(tokens) > 3:
        out.extend("".join(tokens[i:i + 3]) for i in range(len(tokens) - 2))
    return out
