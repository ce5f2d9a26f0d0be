"""The scorer's figures (same as ../shared/eval/score.py), computed in-process from an ask function.

    python bench/eval/scoring.py bench/eval/heldA.tsv [--verbose]     # in-process, a few seconds a set
    python bench/eval/score.py bench/eval/heldA.tsv                   # through `gazette-bot ask --json -`
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def flatten(obj) -> str:
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return " ".join(flatten(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return " ".join(flatten(v) for v in obj)
    return "" if obj is None else str(obj)


def load(path: Path | str) -> list[tuple[str, str, list[str], list[str]]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        kind, q, expect, unit = (line.split("\t") + ["", "", ""])[:4]
        rows.append((kind, q, [norm(e) for e in expect.split("|") if e], [norm(u) for u in unit.split("|") if u]))
    return rows


def score(rows, ask: Callable[[str], dict], verbose: bool = False) -> dict[str, float]:
    """Hit@1, Hit@3, Unit@1, Abstain and the median passage length, as score.py defines them."""
    hit1 = hit3 = unit1 = n_in = n_unit = abstain = n_none = 0
    lengths = []
    for kind, q, expect, units in rows:
        answers = ask(q).get("answers") or []
        if kind == "none":
            n_none += 1
            abstain += not answers
            if answers and verbose:
                print(f"ANSWERED (should decline): {q} -> {norm(answers[0].get('passage', ''))[:60]}")
            continue
        n_in += 1
        if answers:
            lengths.append(len(norm(answers[0].get("passage", ""))))
        texts = [norm(flatten(a)) for a in answers[:3]]
        h = [any(e in t for e in expect) for t in texts]
        hit1 += bool(h and h[0])
        hit3 += any(h)
        if units:
            n_unit += 1
            first = answers[0] if answers else {}
            pool = norm(" ".join(first.get("units") or []) + " " + first.get("passage", ""))
            ok = any(u in pool for u in units)
            unit1 += ok
            if not ok and verbose:
                print(f"UNIT MISS: {q} -> want {units[0]}, got {first.get('units')}")
        if verbose and not (h and h[0]):
            got = norm(answers[0].get("passage", ""))[:60] if answers else "(no answer)"
            print(f"MISS [{kind}]: {q} -> {got}")
    f = lambda a, b: a / b if b else 1.0
    return {"hit1": f(hit1, n_in), "hit3": f(hit3, n_in), "unit1": f(unit1, n_unit), "abstain": f(abstain, n_none),
            "passage": sorted(lengths)[len(lengths) // 2] if lengths else 0, "n": len(rows)}


def line(figures: dict[str, float]) -> str:
    return (f"Hit@1={figures['hit1']:.3f} Hit@3={figures['hit3']:.3f} Unit@1={figures['unit1']:.3f} "
            f"Abstain={figures['abstain']:.3f} passage={figures['passage']} n={figures['n']}")


def main(argv: list[str]) -> int:
    import datetime as dt
    from knowledge.engine import Engine
    from knowledge.store import build_store, bundled_gazettes, default_store_path, is_current

    verbose = "--verbose" in argv
    paths = [a for a in argv if not a.startswith("--")]
    store = default_store_path()
    if not is_current(store):
        build_store(bundled_gazettes(), store)
    engine = Engine.load(store, today=dt.date(2022, 9, 1))
    for path in paths:
        print(f"{Path(path).name:14} {line(score(load(path), lambda q: engine.ask(q), verbose))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
