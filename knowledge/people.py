"""People's database: what residents and staff did (subscriptions, outbox, questions, declined questions,
feedback, stored questions for buttons), in a SQLite file of its own that no rebuild of the knowledge store
touches. The knowledge store is rebuilt from gazette files and only read at run time.

WAL and synchronous=NORMAL: readers never wait for the writer, and a commit costs no fsync (a crash of the
process loses nothing committed; a power cut may lose the last commits, never the file).
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import sqlite_utils

from . import outbox, subscriptions

log = logging.getLogger(__name__)

# seconds a connection waits for another one's write lock: short, so a held lock costs a retry, not a freeze
BUSY_TIMEOUT = 2.0
# tables of people's data this module creates; a migration also moves any other non-knowledge table
TABLES = ("questions", "declined", "feedback", "bot_queries", subscriptions.TABLE, outbox.TABLE)
KNOWLEDGE_ALIAS = "gazette"    # the knowledge store, attached read-only where a job needs both (broadcasts)


def default_path(store_path: Path) -> Path:
    """people.db beside the knowledge store."""
    return Path(store_path).with_name("people.db")


def prepare(store_path: Path, people_path: Path) -> None:
    """At start: move people's tables out of an old combined store, and say so when people.db is new
    (on a first start that is expected; otherwise it was deleted and subscriptions start afresh)."""
    existed = Path(people_path).exists()
    moved = migrate(store_path, people_path)
    if not existed and not moved:
        log.warning("no people's database at %s: starting an empty one (subscriptions, questions, feedback). "
                    "Expected on a first start; otherwise restore the file from a backup.", people_path)
        connect(people_path).conn.close()


def ensure_tables(db: sqlite_utils.Database) -> None:
    """Create people's tables that are missing (a new file, or one older than a table)."""
    db["questions"].create({"id": int, "at": str, "question": str, "intent": str, "answered": int,
                            "user_id": int, "chat_id": int, "topic": str}, pk="id", if_not_exists=True)
    db["declined"].create({"id": int, "at": str, "question": str, "intent": str, "user_id": int},
                          pk="id", if_not_exists=True)
    db["feedback"].create({"key": str, "passage_id": int, "vote": int, "user_id": int, "question": str,
                           "at": str}, pk="key", if_not_exists=True)
    # ids are handed out in memory before the row is written (see writer.py), so the same text may have
    # several ids across restarts: no UNIQUE on query
    db["bot_queries"].create({"id": int, "query": str}, pk="id", not_null={"query"}, if_not_exists=True)
    subscriptions.ensure_table(db)
    outbox.ensure_table(db)


def connect(path: Path, knowledge: Path | None = None, timeout: float = BUSY_TIMEOUT) -> sqlite_utils.Database:
    """A connection to people's database (created with its tables when missing), in WAL mode.

    knowledge: the knowledge store to attach read-only, so one connection sees tasks and subscriptions
    (unqualified table names resolve to whichever file has the table).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False, uri=knowledge is not None)
    try:
        if conn.execute("pragma journal_mode").fetchone()[0] != "wal":
            conn.execute("pragma journal_mode = wal")
        conn.execute("pragma synchronous = normal")
        db = sqlite_utils.Database(conn)
        if "bot_queries" not in db.table_names() or outbox.TABLE not in db.table_names():
            ensure_tables(db)
            conn.commit()
        if knowledge is not None:
            conn.execute(f"attach database ? as {KNOWLEDGE_ALIAS}", [_read_only_uri(knowledge)])
    except BaseException:
        conn.close()
        raise
    return db


def _read_only_uri(path: Path) -> str:
    if not Path(path).exists():     # mode=ro would say "unable to open": say which file
        raise sqlite3.OperationalError(f"no knowledge store at {path}")
    return Path(path).resolve().as_uri() + "?mode=ro"


def migrate(store_path: Path, people_path: Path) -> dict[str, int]:
    """Move people's tables out of an old combined store into people's database; returns rows moved per table.

    Copies are idempotent (INSERT OR IGNORE on each table's key), so a run cut short is simply run again;
    the tables are dropped from the store only after the copy is committed.
    """
    store_path, people_path = Path(store_path), Path(people_path)
    if not store_path.exists():
        return {}
    try:
        old = sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)
        from .store import KNOWLEDGE_TABLES
        names = [r[0] for r in old.execute("select name from sqlite_master where type = 'table'")
                 if r[0] not in KNOWLEDGE_TABLES and not r[0].startswith("sqlite_")]
        schemas = {n: old.execute("select sql from sqlite_master where name = ?", [n]).fetchone()[0] for n in names}
        columns = {n: [r[1] for r in old.execute(f"pragma table_info([{n}])")] for n in names}
        old.close()
    except sqlite3.DatabaseError:
        return {}       # not a store we can read: nothing to move
    if not names:
        return {}
    db = connect(people_path)
    moved: dict[str, int] = {}
    try:
        db.execute("attach database ? as old", [str(store_path)])
        with db.conn:
            for name in names:
                if name not in db.table_names():
                    db.execute(schemas[name])
                target = [r[1] for r in db.execute(f"pragma main.table_info([{name}])")]
                cols = [c for c in columns[name] if c in target]
                select = [f"[{c}]" for c in cols]
                if "id" in target and "id" not in columns[name]:   # questions, declined: rowid becomes id
                    cols.append("id")
                    select.append("rowid")
                before = db.execute(f"select count(*) from main.[{name}]").fetchone()[0]
                db.execute(f"insert or ignore into main.[{name}] ({', '.join(f'[{c}]' for c in cols)}) "
                           f"select {', '.join(select)} from old.[{name}]")
                moved[name] = db.execute(f"select count(*) from main.[{name}]").fetchone()[0] - before
        db.execute("detach database old")
    finally:
        db.conn.close()
    log.warning("moved people's data out of the knowledge store %s into %s: %s", store_path, people_path,
                ", ".join(f"{n} {k} rows" for n, k in moved.items()))
    try:
        conn = sqlite3.connect(str(store_path))
        with conn:
            for name in names:
                conn.execute(f"drop table if exists [{name}]")
        conn.close()
    except sqlite3.DatabaseError as exc:
        # the copy is safe in people.db; a later rebuild replaces the store and its stale copy
        log.warning("could not drop the moved tables from %s (%s); they are ignored there", store_path, exc)
    return moved
