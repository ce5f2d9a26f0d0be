"""Per-question latency of the engine vs a plain BM25 (bm25s) over the same passages, in one process.

Targets: median under 1 ms per question, and no slower than 3x the BM25 baseline.
Prints figures and ratios; asserts nothing. Needs the bench extra (pip install -e '.[bench]').

The two take turns round by round, so a busy neighbour on a shared machine slows both alike; even so
the ratio moves by about 0.3x from run to run, so run it a few times. "first sight" asks each question
once on a fresh engine: the cost of wording the engine has never seen. Usage: engine_latency.py [ROUNDS]
"""
import sys
import time
from pathlib import Path

from knowledge.normalize import search_key
from knowledge.tokens import bigrams
from bundled import bundled_store, load_engine
from stats import ms

QUESTIONS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "questions.dev.tsv"
EXTRA = ["谁负责老楼加装电梯", "晚上路灯不亮归谁管", "电梯困人了找谁", "加装店梯", "who handles elevators?",
         "区水务局负责哪些民生实事", "倪德才牵头哪些工作", "通政发〔2022〕3号是什么文件", "京哈高速什么时候完成"]


def questions() -> list[str]:
    qs = list(EXTRA)
    if QUESTIONS.exists():
        qs += [l.split("\t")[1] for l in QUESTIONS.read_text(encoding="utf-8").splitlines()[1:] if l.strip()]
    return qs


def timed(fns, items, repeat: int) -> list[list[float]]:
    """Per-call times of each function; they take turns round by round, so a noisy neighbour slows them alike."""
    for fn in fns:
        for q in items:  # warm caches once
            fn(q)
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, out):
            for q in items:
                start = time.perf_counter()
                fn(q)
                times.append(time.perf_counter() - start)
    return out


def describe(name: str, t: list[float]) -> tuple[float, float]:
    figures = ms(t)
    med, p99 = figures["p50"], figures["p99"]
    print(f"{name:<22} median {med:7.3f} ms   p99 {p99:7.3f} ms   n={len(t)}")
    return med, p99


def main(repeat: int = 20) -> None:
    import bm25s

    with bundled_store() as db:
        engine = load_engine(db, "engine load           ")
        qs = questions()

        corpus = [" ".join(bigrams(p["key"])) for p in engine.passages]
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenize(corpus, stopwords=None, show_progress=False), show_progress=False)

        def bm25(q: str):
            tokens = bm25s.tokenize([" ".join(bigrams(search_key(q)))], stopwords=None, show_progress=False)
            return retriever.retrieve(tokens, k=5, show_progress=False)

        engine.ask("你好")   # one-time set-up (lexicon tables, patterns) is not a question's cost
        first = []
        for q in qs:   # each question once, before any cache has seen its words
            start = time.perf_counter()
            engine.ask(q)
            first.append(time.perf_counter() - start)
        describe("engine, first sight", first)
        ours, base = timed([engine.ask, bm25], qs, repeat)
        m1, p1 = describe("gazette-bot engine", ours)
        m2, p2 = describe("bm25s baseline", base)
        print(f"ratio engine/bm25s     median {m1 / m2:5.2f}x   p99 {p1 / p2:5.2f}x   (target: median < 1 ms, <= 3x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
