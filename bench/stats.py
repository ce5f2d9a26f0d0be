"""The figures bench scripts print: percentiles of timings (nearest rank) and the median of a timed call."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def percentile(values: Sequence[float], q: float) -> float:
    """The value a fraction q (0 < q <= 1) of the values are at or below, by nearest rank (q=0.99 of 200
    values is the 198th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def ms(values: Sequence[float]) -> dict[str, float]:
    """Median, p95, p99 and max of times in seconds, in milliseconds."""
    return {"p50": statistics.median(values) * 1000, "p95": percentile(values, 0.95) * 1000,
            "p99": percentile(values, 0.99) * 1000, "max": max(values) * 1000}


def timed(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """fn() runs times: the median seconds a call took, and what the last call returned."""
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out
