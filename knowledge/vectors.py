"""Passage vectors: worked out at build time, kept in the store, and cached by (model, text) so that a
rebuild, a test run or a second store never embeds an unchanged passage again.

Two caches are read: the seed shipped with the package (knowledge/data/vectors.npz, the bundled issue, so a
fresh machine embeds nothing for it) and the user's cache ($XDG_CACHE_HOME/gazette-bot/vectors.db), which
every newly embedded passage is added to.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import sqlite_utils

from .embedding import MAX_CHARS, MODEL_ID, Model
from .lexicon import everyday_words

log = logging.getLogger(__name__)

BATCH = 16   # passages per model call: large enough to use both cores, small enough for a smooth progress bar
SEED = "vectors.npz"


def embedding_text(p: dict, doc_title: str, said: Sequence[str] = ()) -> str:
    """What a passage is embedded as: where it stands (document, headings), what it says, who does it, and how
    residents say what it is about (the lexicon's everyday words for its own terms)."""
    units = "、".join(p.get("units") or [])
    head = " ".join(x for x in (doc_title, p.get("context") or "") if x)
    said = "、".join(said)
    text = f"{head}\n{p['text']}" + (f"\n主责单位：{units}" if units else "")
    # the everyday words go first when the passage is long, so the length limit cannot cut them off
    return (f"{text[:MAX_CHARS - len(said) - 4]}\n俗称：{said}" if said else text[:MAX_CHARS])


def _embedding_texts(passages: list[dict], titles: dict[str, str]) -> list[str]:
    said = everyday_words([p["text"] for p in passages])
    return [embedding_text(p, titles.get(p["doc_number"], ""), words) for p, words in zip(passages, said)]


def text_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_ID}\n{text}".encode("utf-8")).hexdigest()


def cache_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gazette-bot" / "vectors.db"


@lru_cache(maxsize=1)
def _seed() -> dict[str, np.ndarray]:
    try:
        with resources.files("knowledge").joinpath("data", SEED).open("rb") as fh:
            data = np.load(fh)
            return dict(zip((k.decode() for k in data["keys"]), data["vectors"]))
    except (OSError, KeyError, ValueError):
        return {}


def _open_cache() -> sqlite3.Connection | None:
    try:
        path = cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=5)
        conn.execute("create table if not exists vectors (key text primary key, vec blob)")
        return conn
    except (OSError, sqlite3.Error) as exc:
        log.info("no vector cache (%s): passages are embedded afresh", exc)
        return None


def _cached(conn: sqlite3.Connection | None, keys: Sequence[str]) -> dict[str, np.ndarray]:
    seed = _seed()
    found = {k: seed[k] for k in keys if k in seed}
    rest = [k for k in keys if k not in found]
    if conn is not None:
        for i in range(0, len(rest), 500):
            chunk = rest[i:i + 500]
            rows = conn.execute(f"select key, vec from vectors where key in ({','.join('?' * len(chunk))})", chunk)
            found.update((k, np.frombuffer(v, dtype=np.float16)) for k, v in rows)
    return found


def embed_texts(texts: Sequence[str], model: Model,
                progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Vectors (float16, one row per text) from the caches, embedding only the texts they lack."""
    keys = [text_key(t) for t in texts]
    conn = _open_cache()
    try:
        found = _cached(conn, keys)
        missing = [i for i, k in enumerate(keys) if k not in found]
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            vecs = model.passages([texts[i] for i in batch]).astype(np.float16)
            for i, v in zip(batch, vecs):
                found[keys[i]] = v
            if conn is not None:
                try:
                    conn.executemany("insert or replace into vectors values (?, ?)",
                                     [(keys[i], v.tobytes()) for i, v in zip(batch, vecs)])
                    conn.commit()
                except sqlite3.Error as exc:   # a full or read-only cache only costs a later re-embedding
                    log.info("vector cache not written (%s)", exc)
                    conn = None
            if progress:
                progress(min(start + BATCH, len(missing)), len(missing))
    finally:
        if conn is not None:
            conn.close()
    return np.stack([found[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float16)


def store_vectors(db: sqlite_utils.Database, passages: list[dict], titles: dict[str, str], model: Model,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """Embed the passages (cached ones are not embedded again) into the store's vectors table."""
    texts = _embedding_texts(passages, titles)
    vecs = embed_texts(texts, model, progress)
    db["vectors"].insert_all(({"passage_id": p["id"], "vec": v.tobytes()} for p, v in zip(passages, vecs)),
                             pk="passage_id", replace=True)
    db["meta"].insert({"key": "vector_model", "value": MODEL_ID}, pk="key", replace=True)
    return len(vecs)


def load_vectors(db: sqlite_utils.Database, passage_ids: Sequence[int]) -> np.ndarray | None:
    """The passages' vectors (float32, unit length, in the order of passage_ids), or None when the store has
    none from the current model."""
    if "vectors" not in db.table_names():
        return None
    row = db.execute("select value from meta where key = 'vector_model'").fetchone()
    if not row or row[0] != MODEL_ID:
        return None
    by_id = {pid: np.frombuffer(v, dtype=np.float16) for pid, v in db.execute("select passage_id, vec from vectors")}
    if any(pid not in by_id for pid in passage_ids):
        return None
    matrix = np.stack([by_id[pid] for pid in passage_ids]).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return matrix


def export_seed(db: sqlite_utils.Database, passages: list[dict], titles: dict[str, str], path: Path,
                texts: Sequence[str] = (), model: Model | None = None) -> int:
    """Write the store's vectors, and those of texts (the lexicon's words, see bridge.py), as the package's seed
    cache for the bundled issue."""
    keys, vecs = [], []
    stored = {pid: v for pid, v in db.execute("select passage_id, vec from vectors")}
    for p, text in zip(passages, _embedding_texts(passages, titles)):
        if p["id"] in stored:
            keys.append(text_key(text).encode())
            vecs.append(np.frombuffer(stored[p["id"]], dtype=np.float16))
    if texts and model is not None:
        keys.extend(text_key(t).encode() for t in texts)
        vecs.extend(embed_texts(texts, model))
    np.savez_compressed(path, keys=np.array(keys), vectors=np.stack(vecs))
    return len(keys)
