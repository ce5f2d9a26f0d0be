"""The outbox: every (chat, task, kind of notice) the broadcast decided to send, and whether Telegram took it.

Exactly-once works in two steps. decide() works out the due notices and records them as 'pending' in one
transaction, so a notice is decided once ever (the primary key refuses a second row). The sender marks a
row 'sent' right after Telegram accepts the message carrying it. A run that dies in between leaves rows
'pending'; the next run sends those and never decides a 'sent' row again. The one window left is a
crash after Telegram accepted a message but before the local commit (milliseconds): that message
would be sent again, as the Bot API has no idempotency key.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import sqlite_utils

from . import subscriptions, weekly
from .digest import WEEKLY, Notice, load_tasks, notices_due

TABLE = "outbox"
PK = ("chat_id", "task_key", "kind")
# pending: decided, not yet accepted by Telegram; sent: accepted; dropped: the chat is gone (blocked, deleted);
# failed: Telegram refused the message for good (a BadRequest that is not about the chat)
STATUSES = ("pending", "sent", "dropped", "failed")


def ensure_table(db: sqlite_utils.Database) -> None:
    db[TABLE].create({"chat_id": int, "task_key": str, "kind": str, "status": str, "as_of": str,
                      "decided_at": str, "sent_at": str, "message_id": int, "error": str},
                     pk=PK, not_null={"chat_id", "task_key", "kind", "status"}, if_not_exists=True)
    db[TABLE].create_index(["status", "chat_id"], if_not_exists=True)
    db[TABLE].create_index(["kind", "chat_id"], if_not_exists=True)     # whose overview of a week is decided


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@contextlib.contextmanager
def _write_lock(db: sqlite_utils.Database) -> Iterator[None]:
    """A transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE), so a cron run and the bot's
    daily job deciding at the same moment are serialised instead of both reading "not yet decided"."""
    if db.conn.in_transaction:      # inside a caller's transaction: that one is the unit of work
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def histories(db: sqlite_utils.Database) -> dict[int, set[tuple[str, str]]]:
    """chat id -> (task_key, kind) pairs of daily notices ever decided for it, whatever became of them
    (weekly overviews' rows, a task a week, have no say in the daily rules)."""
    if not db[TABLE].exists():      # readers never create tables: --dry-run writes nothing
        return {}
    out: dict[int, set[tuple[str, str]]] = {}
    for r in db.query(f"select chat_id, task_key, kind from [{TABLE}] where kind not like ?", [WEEKLY + "%"]):
        out.setdefault(r["chat_id"], set()).add((r["task_key"], r["kind"]))
    return out


def overview_chats(db: sqlite_utils.Database, as_of: dt.date) -> set[int]:
    """Chats that have had as_of's week's overview decided (whatever became of it)."""
    if not db[TABLE].exists():
        return set()
    return {r["chat_id"] for r in db.query(f"select distinct chat_id from [{TABLE}] where kind = ?",
                                           [weekly.week_kind(as_of)])}


def plan(db: sqlite_utils.Database, as_of: dt.date) -> dict[int, list[Notice]]:
    """New notices per chat with active subscriptions on as_of, and on a Monday the week's overviews;
    reads only (the --dry-run view)."""
    tasks = load_tasks(db)
    seen = histories(db)
    done = overview_chats(db, as_of) if weekly.is_overview_day(as_of) else set()
    out = {}
    for chat_id, subs in subscriptions.active(db).items():
        notices = notices_due(tasks, weekly.daily(subs), seen.get(chat_id, set()), as_of)
        if weekly.is_overview_day(as_of) and chat_id not in done:
            notices += weekly.overview_due(tasks, subs, as_of)
        if notices:
            out[chat_id] = notices
    return out


def decide(db: sqlite_utils.Database, as_of: dt.date) -> int:
    """Work out the notices due on as_of and record them 'pending', in one transaction; returns how many."""
    ensure_table(db)
    subscriptions.ensure_table(db)
    with _write_lock(db):
        now = _now()
        rows = [{"chat_id": chat_id, "task_key": n.task_key, "kind": n.kind, "status": "pending",
                 "as_of": as_of.isoformat(), "decided_at": now, "sent_at": None, "message_id": None,
                 "error": None}
                for chat_id, notices in plan(db, as_of).items() for n in notices]
        # ignore=True: a row that exists was decided before and must not be decided (or reset) again
        db[TABLE].insert_all(rows, pk=PK, ignore=True)
    return len(rows)


def pending(db: sqlite_utils.Database) -> dict[int, list[Notice]]:
    """Notices decided but not yet accepted by Telegram, per chat (this run's and any a dead run left)."""
    if not db[TABLE].exists():
        return {}
    out: dict[int, list[Notice]] = {}
    for r in db[TABLE].rows_where("status = 'pending'", order_by="chat_id, task_key, kind"):
        out.setdefault(r["chat_id"], []).append(Notice(r["task_key"], r["kind"]))
    return out


def _set_status(db: sqlite_utils.Database, chat_id: int, notices: list[Notice], status: str,
                message_id: int | None = None, error: str | None = None) -> None:
    with db.atomic():
        for n in notices:
            db.execute(f"update [{TABLE}] set status = ?, sent_at = ?, message_id = ?, error = ? "
                       "where chat_id = ? and task_key = ? and kind = ? and status = 'pending'",
                       [status, _now() if status == "sent" else None, message_id, error,
                        chat_id, n.task_key, n.kind])


def mark_sent(db: sqlite_utils.Database, chat_id: int, notices: list[Notice], message_id: int | None) -> None:
    """Telegram accepted the message carrying these notices: they are never sent again."""
    _set_status(db, chat_id, notices, "sent", message_id=message_id)


def mark_failed(db: sqlite_utils.Database, chat_id: int, notices: list[Notice], error: str) -> None:
    """Telegram refused this message for good; keep the reason, do not retry it every day."""
    _set_status(db, chat_id, notices, "failed", error=error)


def drop_chat(db: sqlite_utils.Database, chat_id: int, reason: str) -> int:
    """The chat is gone: its pending notices are dropped rather than retried forever."""
    ensure_table(db)
    with db.atomic():
        cur = db.execute(f"update [{TABLE}] set status = 'dropped', error = ? "
                         "where chat_id = ? and status = 'pending'", [reason, chat_id])
    return cur.rowcount


def forget_chat(db: sqlite_utils.Database, chat_id: int) -> int:
    """A chat that blocked the bot is back: forget the daily notices decided for it, so the next run tells
    it again about everything now within its horizon. Tasks already overdue are not announced (the overdue
    notice needs an earlier one), and a week's overview stays decided once."""
    ensure_table(db)
    with db.atomic():
        cur = db.execute(f"delete from [{TABLE}] where chat_id = ? and kind not like ?", [chat_id, WEEKLY + "%"])
    return cur.rowcount


def migrate_chat(db: sqlite_utils.Database, old_chat_id: int, new_chat_id: int) -> None:
    """Move a group's history to its supergroup id, so nothing already sent is sent again there."""
    ensure_table(db)
    with db.atomic():
        db.execute(f"update or ignore [{TABLE}] set chat_id = ? where chat_id = ?", [new_chat_id, old_chat_id])
        db.execute(f"delete from [{TABLE}] where chat_id = ?", [old_chat_id])


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per status, for reports."""
    if not db[TABLE].exists():
        return {}
    return {r["status"]: r["n"] for r in db.query(f"select status, count(*) n from [{TABLE}] group by status")}
