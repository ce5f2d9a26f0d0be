"""Time `build_store` on the bundled gazette (target: under 2 s). Prints figures; asserts nothing."""
import statistics
import sys
import tempfile
import time
from pathlib import Path

from knowledge.store import build_store, bundled_gazettes


def main(runs: int = 5) -> None:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            build_store(bundled_gazettes(), Path(tmp) / "g.db")
            times.append(time.perf_counter() - start)
    print(f"build_store (bundled issue): median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s over {runs} runs (target < 2 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
