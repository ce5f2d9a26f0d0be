"""Questions remembered by a short id, so "更多结果" buttons carry a number instead of the question's text.

Kept in the store (table bot_queries), so buttons still work after a restart; /reload carries the
table over with the other tables people's activity fills.
"""
from __future__ import annotations

import sqlite_utils

TABLE = "bot_queries"


def _ensure(db: sqlite_utils.Database) -> None:
    db.execute(f"CREATE TABLE IF NOT EXISTS [{TABLE}] (id INTEGER PRIMARY KEY, query TEXT NOT NULL UNIQUE)")


def remember(db: sqlite_utils.Database, query: str) -> int:
    """The id of query, stored the first time it is asked (the same question keeps its id)."""
    _ensure(db)
    if db.execute(f"INSERT OR IGNORE INTO [{TABLE}] (query) VALUES (?)", [query]).rowcount:
        db.conn.commit()    # only new questions cost a commit: repeated ones are the common case
    return db.execute(f"SELECT id FROM [{TABLE}] WHERE query = ?", [query]).fetchone()[0]


def recall(db: sqlite_utils.Database, qid: int) -> str | None:
    """The query stored under qid, or None when it is unknown (a button from another store)."""
    if not db[TABLE].exists():
        return None
    row = db.execute(f"SELECT query FROM [{TABLE}] WHERE id = ?", [qid]).fetchone()
    return row[0] if row else None
