"""`gazette-bot ask --json -` in a steady stream, next to the engine alone in this process.

The engine alone: Engine.ask per question, in this process, after one pass over the distinct questions
(its caches warm). The command: one process fed the same questions through a pipe all at once; its
steady-state time per question is the time from the answer to the last distinct question's first
appearance to its last answer, over the answers in between, so start-up (loading the engine) and the
first sight of each question are left out on both sides.
Run without logging (the default) and with --log. Each figure is the best of ROUNDS runs, as the machine
is shared and a run can be slowed by others. Target: the command within 1.5x the engine. It asserts
nothing.

    .venv/bin/python bench/ask_cli.py [--questions 20000]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
sys.path.insert(0, str(ROOT))

from bench.bot_throughput import QUESTIONS  # noqa: E402
from knowledge.engine import Engine  # noqa: E402
from bundled import bundled_store, load_engine  # noqa: E402


def engine_alone(engine: Engine, questions: list[str]) -> float:
    """Seconds per question, the engine called directly (after one pass to warm its caches)."""
    for q in QUESTIONS:
        engine.ask(q)
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for q in questions:
            engine.ask(q)
        best = min(best, (time.perf_counter() - start) / len(questions))
    return best


def command(store: Path, questions: list[str], *extra: str) -> float:
    """Seconds per question of `gazette-bot ask --json -` in steady state (first to last answer)."""
    env = {**os.environ, "GAZETTE_BOT_DB": str(store)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "ask", "--json", "--as-of", "2022-09-01", *extra, "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=store.parent, env=env)

    def feed() -> None:
        proc.stdin.write("".join(q + "\n" for q in questions).encode())
        proc.stdin.close()
    threading.Thread(target=feed, daemon=True).start()
    for _ in range(len(set(QUESTIONS))):
        proc.stdout.readline()
    first = time.perf_counter()
    lines = sum(1 for _ in proc.stdout)
    last = time.perf_counter()
    proc.wait()
    return (last - first) / lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    args = parser.parse_args()
    questions = [QUESTIONS[k % len(QUESTIONS)] for k in range(args.questions)]
    with bundled_store() as store:
        engine = load_engine(store)
        alone = engine_alone(engine, questions)
        plain = min(command(store, questions) for _ in range(ROUNDS))
        logged = min(command(store, questions, "--log") for _ in range(ROUNDS))
    print(f"{args.questions} questions in a steady stream, per question:")
    print(f"  engine alone (this process)   {alone * 1000:7.3f} ms")
    print(f"  ask --json -                  {plain * 1000:7.3f} ms   {plain / alone:4.2f}x the engine (target <= 1.5x)")
    print(f"  ask --json --log -            {logged * 1000:7.3f} ms   {logged / alone:4.2f}x the engine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
