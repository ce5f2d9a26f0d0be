"""One thread writes questions, stored questions and feedback to people's database, in batches.

Callers only append rows to a list in memory, so no answer waits for the disk, nor for the thread: it
looks at the list every INTERVAL seconds on its own and is woken only when BATCH rows wait, so a question
costs no thread switch.
A commit happens every BATCH rows or INTERVAL seconds, whichever comes first, and a clean stop writes
what is left. A process killed outright
loses at most the rows of the last INTERVAL. A write that fails (locked by another program, read-only,
disk full, file deleted) keeps its rows in memory and is retried, with one log line per kind of failure
saying what to do, and one when writing works again.
"""
from __future__ import annotations

import atexit
import itertools
import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import clock, people

log = logging.getLogger(__name__)

BATCH = 100             # rows per commit at most, in steady use
INTERVAL = 1.0          # seconds a row waits for its commit at most, while writing works
RETRY = (0.25, 5.0)     # first and longest wait between attempts while writing fails
BACKLOG = 200_000       # rows kept in memory while writing fails; beyond that the oldest are given up
REMEMBERED = 100_000    # stored questions kept in memory for the buttons of this run
STOP_WAIT = 5.0         # seconds a clean stop keeps trying to write what is left

_ADVICE = {
    "locked": "{path} is locked by another program (an open transaction in sqlite3, Datasette or a backup?). "
              "Answers go on; the log is kept in memory and written when the lock is released.",
    "readonly": "{path} cannot be written (read-only file, folder or file system). Answers go on; fix its "
                "permissions (the bot's user must write the file and its folder) and the log catches up.",
    "full": "the disk holding {path} is full. Answers go on; free some space and the log catches up.",
    "deleted": "{path} was deleted while the bot runs: a new, empty one is started there. Subscriptions and "
               "history made before are gone unless you restore the file from a backup.",
    "error": "writing {path} fails ({error}). Answers go on; the log is kept in memory and retried.",
}


def failure_kind(exc: BaseException) -> str:
    """locked / readonly / full / error, from what SQLite (or the OS) said."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "readonly" in text or "read-only" in text or "permission" in text:
        return "readonly"
    if "full" in text or "no space" in text:
        return "full"
    return "error"


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict], verb: str = "insert") -> None:
    cols = list(rows[0])
    conn.executemany(f"{verb} into [{table}] ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                     [tuple(r[c] for c in cols) for r in rows])


class Writer:
    """The writer of one people's database. question(), feedback() and remember() never touch the disk."""

    def __init__(self, path: Path, *, batch: int = BATCH, interval: float = INTERVAL,
                 connect: Callable[[], sqlite3.Connection] | None = None,
                 on_commit: Callable[[int], None] | None = None):
        self.path = Path(path)
        self.batch = batch
        self.interval = interval
        self._connect = connect or (lambda: people.connect(self.path).conn)
        self.on_commit = on_commit          # called in the writer thread with the rows just committed
        self._rows: list[tuple[str, dict]] = []     # handed over, not yet taken by the thread
        self._first_at = 0.0                        # when the oldest of them came
        self._wake = threading.Event()
        self._stopping = self._flushing = False
        self._lock = threading.Lock()
        self._written = threading.Condition(self._lock)
        self._put = 0                       # rows handed over so far
        self._done = 0                      # of those, rows committed or given up
        self.committed = 0                  # rows committed
        self.lost = 0                       # rows given up (backlog overflow, or a stop that could not write)
        self._queries: dict[str, int] = {}  # stored question -> id, and back, for this run's buttons
        self._texts: dict[int, str] = {}
        self._ids = itertools.count(self._first_id())
        self._stop_by = float("inf")
        self._thread = threading.Thread(target=self._run, name="people-writer", daemon=True)
        self._thread.start()
        atexit.register(self.stop)          # a clean exit writes what is queued

    # ---------------------------------------------------------------- what callers use (no disk)

    def question(self, question: str, result: dict, user_id: int | None = None,
                 chat_id: int | None = None) -> None:
        """Log a question; one the engine declined also goes to `declined`, for staff to review."""
        question = (question or "").strip()[:1000]
        if not question:
            return
        answered = bool(result["answers"])
        topic = result["answers"][0]["item"] if answered else None
        at = clock.now()
        rows = [("questions", {"at": at, "question": question, "intent": result["intent"], "answered": answered,
                               "user_id": user_id, "chat_id": chat_id, "topic": topic})]
        if not answered:
            rows.append(("declined", {"at": at, "question": question, "intent": result["intent"],
                                      "user_id": user_id}))
        self._send(rows)

    def feedback(self, passage_id: int, vote: int, user_id: int | None = None, question: str | None = None) -> None:
        """A 👍 (1) or 👎 (-1) on an answer; a user's later vote on the same passage replaces it."""
        self._send([("feedback", {"key": f"{user_id}:{passage_id}", "passage_id": passage_id, "vote": vote,
                                  "user_id": user_id, "question": question, "at": clock.now()})])

    def remember(self, query: str) -> int:
        """An id for query that buttons carry, known at once (the row is written later)."""
        with self._lock:
            qid = self._queries.get(query)
            if qid is not None:
                return qid
            qid = next(self._ids)
            self._queries[query], self._texts[qid] = qid, query
            if len(self._texts) > REMEMBERED:     # forget the oldest half; their rows are in the file
                for old in list(self._texts)[: REMEMBERED // 2]:
                    self._queries.pop(self._texts.pop(old), None)
        self._send([("bot_queries", {"id": qid, "query": query})])
        return qid

    def recalled(self, qid: int) -> str | None:
        """The query stored under qid in this run, without touching the disk (None: ask recall())."""
        with self._lock:
            return self._texts.get(qid)

    def recall(self, qid: int) -> str | None:
        """The query stored under qid, from memory or the file (a button from an earlier run); reads the disk,
        so callers on an event loop run it in a thread."""
        text = self.recalled(qid)
        if text is not None:
            return text
        db = people.connect(self.path)
        try:
            row = db.execute("select query from bot_queries where id = ?", [qid]).fetchone()
        finally:
            db.conn.close()
        return row[0] if row else None

    def flush(self, timeout: float | None = None) -> bool:
        """Write everything handed over so far now; True once it is committed (False: still failing)."""
        with self._lock:
            target = self._put
            self._flushing = True
        self._wake.set()
        with self._written:
            return self._written.wait_for(lambda: self._done >= target, timeout)

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """Write what is left (trying for up to timeout seconds) and end the thread."""
        if not self._thread.is_alive():
            return
        with self._lock:
            self._stop_by = time.monotonic() + timeout
            self._stopping = True
        self._wake.set()
        self._thread.join(timeout + 1)
        atexit.unregister(self.stop)

    @property
    def backlog(self) -> int:
        """Rows handed over and not yet committed."""
        with self._lock:
            return self._put - self._done

    # ---------------------------------------------------------------- the thread

    def _first_id(self) -> int:
        """Ids follow the largest stored one; read once at start (WAL: no writer can block this read)."""
        try:
            db = people.connect(self.path)
            try:
                return (db.execute("select max(id) from bot_queries").fetchone()[0] or 0) + 1
            finally:
                db.conn.close()
        except (sqlite3.Error, OSError) as exc:
            # no ids from the file: random ones far above any it holds, so buttons stay distinct
            log.warning("cannot read %s (%s); stored questions get ids of their own", self.path, exc)
            return random.randrange(1 << 40, 1 << 48)

    def _send(self, rows: list[tuple[str, dict]]) -> None:
        with self._lock:
            before = len(self._rows)
            if not before:
                self._first_at = time.monotonic()
            self._rows.extend(rows)
            self._put += len(rows)
            wake = before < self.batch <= len(self._rows)
        if wake:
            self._wake.set()

    def _run(self) -> None:
        batch: list[tuple[str, dict]] = []      # taken from self._rows, not yet committed (while failing)
        retry, retry_at = RETRY[0], 0.0
        conn: sqlite3.Connection | None = None
        inode: tuple[int, int] | None = None
        failing: str | None = None
        while True:
            self._wake.clear()      # before reading the state: a wake-up after this is kept for the wait
            with self._lock:
                stopping, flushing, waiting, first_at = self._stopping, self._flushing, len(self._rows), self._first_at
            if not batch and not waiting:
                if stopping:
                    break
                with self._lock:
                    self._flushing = False
                self._wake.wait(self.interval)     # rows that come meanwhile wait at most this long
                continue
            now = time.monotonic()
            if failing:
                ready, wait = flushing or now >= retry_at, retry_at - now
            else:
                due = first_at + self.interval
                ready, wait = stopping or flushing or now >= due or waiting >= self.batch, due - now
            if not ready:
                self._wake.wait(max(0.0, wait))
                continue
            with self._lock:
                batch += self._rows
                self._rows = []
                self._flushing = False
            try:
                if conn is not None and not self._same_file(inode):
                    log.warning(_ADVICE["deleted"].format(path=self.path))
                    conn.close()
                    conn = None
                if conn is None:
                    conn, inode = self._open()
                self._commit(conn, batch)
            except (sqlite3.Error, OSError) as exc:
                kind = failure_kind(exc)
                if kind != failing:
                    log.warning(_ADVICE[kind].format(path=self.path, error=exc) + " (%d rows waiting)", len(batch))
                    failing = kind
                if conn is not None:
                    conn.close()       # a fresh connection sees fixed permissions and a recreated file
                conn = None
                if stopping and time.monotonic() >= self._stop_by:
                    with self._lock:
                        batch += self._rows
                        self._rows = []
                    self._give_up(batch, "the bot stopped while writing still failed")
                    break
                batch = self._trim(batch)
                retry_at = time.monotonic() + retry
                retry = min(retry * 2, RETRY[1])
                continue
            if failing:
                log.warning("%s can be written again: the log caught up (%d rows)", self.path, len(batch))
                failing = None
            n, batch, retry = len(batch), [], RETRY[0]
            self._finished(n, committed=True)
        if conn is not None:
            conn.close()

    def _same_file(self, inode: tuple[int, int] | None) -> bool:
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == inode

    def _open(self) -> tuple[sqlite3.Connection, tuple[int, int]]:
        conn = self._connect()
        conn.isolation_level = None     # BEGIN IMMEDIATE below: the write lock is taken up front
        st = os.stat(self.path)
        return conn, (st.st_dev, st.st_ino)

    def _commit(self, conn: sqlite3.Connection, batch: list[tuple[str, dict]]) -> None:
        by_table: dict[str, list[dict]] = {}
        for table, row in batch:
            by_table.setdefault(table, []).append(row)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, rows in by_table.items():
                verb = {"feedback": "insert or replace", "bot_queries": "insert or ignore"}.get(table, "insert")
                _insert(conn, table, rows, verb)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _trim(self, batch: list) -> list:
        if len(batch) <= BACKLOG:
            return batch
        self._give_up(batch[: len(batch) - BACKLOG], "too many rows waiting")
        return batch[len(batch) - BACKLOG:]

    def _give_up(self, rows: list, why: str) -> None:
        log.error("%d rows for %s were not written: %s", len(rows), self.path, why)
        self._finished(len(rows), committed=False)

    def _finished(self, n: int, committed: bool) -> None:
        with self._written:
            self._done += n
            if committed:
                self.committed += n
            else:
                self.lost += n
            self._written.notify_all()
        if committed and self.on_commit:
            self.on_commit(n)
