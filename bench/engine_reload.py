"""How long Engine.load takes the first time in a process and again (the bot's /reload, a live switch to a
rebuilt store, tests), and how much of it is jieba's tokenizer. Prints figures; asserts nothing.

    .venv/bin/python bench/engine_reload.py [LOADS]
"""
import statistics
import sys
import time

from bundled import bundled_store, load_engine
import knowledge.engine as engine_module
from knowledge import tokens


def main(loads: int) -> None:
    made: list[float] = []
    real = tokens.make_tokenizer

    def timed_tokenizer(user_words):
        start = time.perf_counter()
        try:
            return real(user_words)
        finally:
            made.append(time.perf_counter() - start)

    engine_module.make_tokenizer = timed_tokenizer     # the name Engine.__init__ calls
    with bundled_store() as store:
        times = []
        for _ in range(loads):
            start = time.perf_counter()
            load_engine(store)
            times.append(time.perf_counter() - start)
    print(f"Engine.load, first in the process  {times[0]:.2f} s (jieba tokenizer {made[0]:.2f} s)")
    print(f"Engine.load, again (median of {loads - 1})  {statistics.median(times[1:]):.2f} s "
          f"(jieba tokenizer {statistics.median(made[1:]):.2f} s)")


if __name__ == "__main__":
    main(max(2, int(sys.argv[1]) if len(sys.argv) > 1 else 4))
