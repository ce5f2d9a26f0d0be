"""An inverted index with BM25 weights over passage features, so a question only touches passages that share a feature."""
from __future__ import annotations

import math
import sys
from array import array
from collections import Counter, defaultdict

MAX_POSTINGS = 60    # candidates come from each feature's best passages; scores are then exact
K1 = 1.2
B = 0.75
CONTEXT_WEIGHT = 0.5   # words of the headings above a passage count half
DETAIL_WEIGHT = 0.15   # words of a ledger's columns beside an item count little: they are many, and minor


class Index:
    def __init__(self, docs: list[tuple[list[str], list[str], list[str]]]):
        """docs: (text features, context features, details features) per passage, in passage order."""
        self.n = len(docs)
        tfs: list[Counter] = []
        for text_f, ctx_f, detail_f in docs:
            # interned, so a question's feature finds its entry by identity: fewer memory reads per lookup
            tf: Counter = Counter(map(sys.intern, text_f))
            for f in ctx_f:
                tf[sys.intern(f)] += CONTEXT_WEIGHT
            for f in detail_f:
                tf[sys.intern(f)] += DETAIL_WEIGHT
            tfs.append(tf)
        lengths = [sum(tf.values()) for tf in tfs]
        avg = sum(lengths) / max(self.n, 1)
        df: Counter = Counter(f for tf in tfs for f in tf)
        self.df = df          # passages holding each feature
        self.idf = {f: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for f, d in df.items()}
        self.oov_idf = math.log(1 + (self.n + 0.5) / 0.5)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.weights: list[dict[str, float]] = []
        for i, tf in enumerate(tfs):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            w = {f: self.idf[f] * c * (K1 + 1) / (c + norm) for f, c in tf.items()}
            self.weights.append(w)
            for f, x in w.items():
                postings[f].append((i, x))
        # a word in hundreds of passages (the district's name) adds little to any score: its long tail is not walked
        # kept as two flat arrays each: walking them reads contiguous memory, not scattered tuples
        self.postings: dict[str, tuple[array, array]] = {}
        for f, p in postings.items():
            best = sorted(p, key=lambda t: -t[1])[:MAX_POSTINGS]
            self.postings[f] = (array("l", [i for i, _ in best]), array("d", [x for _, x in best]))

    def weight(self, feature: str) -> float:
        """How telling a feature is: its idf, or more than any known one when the gazette never uses it."""
        return self.idf.get(feature, self.oov_idf)

    def score(self, query: dict[str, float]) -> dict[int, float]:
        """BM25 scores of the passages that rank best on at least one of the query's features.

        Passages reached only through the tail of a very common feature are left out; the caller
        scores the candidates it keeps on all their features.
        """
        scores: dict[int, float] = {}
        postings = self.postings
        for f, qw in query.items():
            if f in postings:
                ids, ws = postings[f]
                if not scores and qw == 1.0:
                    scores = dict(zip(ids, ws))   # the first feature at full weight: a plain copy
                    continue
                get = scores.get
                for i, w in zip(ids, ws):
                    scores[i] = get(i, 0.0) + qw * w
        return scores
