"""The semantic recall channel: cosine similarity between a question and every passage, from the embedding
model and the vectors stored at build time. It finds passages in wording no lexicon holds."""
from __future__ import annotations

import logging
from collections import OrderedDict

import numpy as np
import sqlite_utils

from .embedding import Model, load_model
from .vectors import load_vectors

log = logging.getLogger(__name__)

CACHE = 2048   # recent questions' similarities: the same question comes again from other residents


class SemanticIndex:
    """Passage vectors in passage order, and the model that embeds questions into the same space."""

    def __init__(self, matrix: np.ndarray, model: Model):
        self.matrix = matrix
        self.model = model
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def load(cls, db: sqlite_utils.Database, passage_ids: list[int]) -> SemanticIndex | None:
        """The index over the store's vectors, or None when the store has none or the model does not load."""
        matrix = load_vectors(db, passage_ids)
        if matrix is None:
            log.info("the store holds no passage vectors from this model: semantic search is off until rebuilt")
            return None
        model = load_model()
        return cls(matrix, model) if model is not None else None

    def prime(self, text: str, vector: np.ndarray) -> None:
        """Keep the similarities of a question embedded elsewhere (with other texts, in one model call)."""
        if text not in self._cache:
            self._keep(text, self.matrix @ vector)

    def _keep(self, text: str, sims: np.ndarray) -> None:
        self._cache[text] = sims
        if len(self._cache) > CACHE:
            self._cache.popitem(last=False)

    def __contains__(self, text: str) -> bool:
        return text in self._cache

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of the question to each passage (in passage order)."""
        sims = self._cache.get(text)
        if sims is None:
            sims = self.matrix @ self.model.query(text)
            self._keep(text, sims)
        else:
            self._cache.move_to_end(text)
        return sims


def top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest similarities, highest first, ties in passage order. Passages that repeat a
    heading can tie to the last digit; np.argpartition leaves the order of ties to the sort it happens to use,
    which need not be the same on every machine."""
    return np.argsort(-sims, kind="stable")[:k]
