"""The outbox: every (chat, task, kind of notice) the broadcast decided to send, and whether Telegram took it.

decide() works out the due notices and records them as 'pending' in one transaction, so a notice is decided
once ever (the primary key refuses a second row). The sender marks a message's rows 'sending' just before
the request goes out and 'sent' when Telegram accepts it, or back to 'pending' when Telegram certainly did
not take it (a refused connection, a 5xx answer), to be sent again.

When a message's outcome is unknown (the request went out but no answer came back: a read time-out, a
connection dropped mid-request, or the process was killed with the request on the wire, which leaves rows
'sending'), its rows become 'unknown' and are NOT sent again: the Bot API has no idempotency key, and
Telegram answering late is far more common than Telegram losing a request it received, so resending would
mostly post the same digest twice. A reminder missed that way is listed in the broadcast's report, and
`gazette-bot broadcast --resend-unknown` (requeue_unknown) sends such rows once more after a person checked.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import sqlite_utils

from . import clock, subscriptions, weekly
from .digest import WEEKLY, Notice, load_tasks, notices_due

TABLE = "outbox"
PK = ("chat_id", "task_key", "kind")
# A row's status. pending: decided, not yet accepted by Telegram; sending: its request is out; sent: accepted;
# unknown: sent without an answer (see above); dropped: the chat is gone (blocked, deleted); failed: Telegram
# refused the message for good (a BadRequest that is not about the chat)
_OPEN = "status in ('pending', 'sending')"      # rows a run still has to settle


def ensure_table(db: sqlite_utils.Database) -> None:
    db[TABLE].create({"chat_id": int, "task_key": str, "kind": str, "status": str, "as_of": str,
                      "decided_at": str, "sent_at": str, "message_id": int, "error": str},
                     pk=PK, not_null={"chat_id", "task_key", "kind", "status"}, if_not_exists=True)
    db[TABLE].create_index(["status", "chat_id"], if_not_exists=True)
    db[TABLE].create_index(["kind", "chat_id"], if_not_exists=True)     # whose overview of a week is decided


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
        now = clock.now()
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
                       f"where chat_id = ? and task_key = ? and kind = ? and {_OPEN}",
                       [status, clock.now() if status in ("sent", "unknown") else None, message_id, error,
                        chat_id, n.task_key, n.kind])


def mark_sending(db: sqlite_utils.Database, chat_id: int, notices: list[Notice]) -> None:
    """The message carrying these notices is about to go out (committed first, so a kill leaves a trace)."""
    _set_status(db, chat_id, notices, "sending")


def mark_pending(db: sqlite_utils.Database, chat_id: int, notices: list[Notice], error: str) -> None:
    """Telegram certainly did not take the message: it is sent again, later in this run or by the next one."""
    _set_status(db, chat_id, notices, "pending", error=error)


def mark_unknown(db: sqlite_utils.Database, chat_id: int, notices: list[Notice], error: str) -> None:
    """The request went out and no answer came back: not sent again (see the module's docstring)."""
    _set_status(db, chat_id, notices, "unknown", error=error)


def settle_interrupted(db: sqlite_utils.Database) -> int:
    """Rows a killed run left 'sending' become 'unknown'; call it only while no other run sends."""
    if not db[TABLE].exists():
        return 0
    with db.atomic():
        cur = db.execute(f"update [{TABLE}] set status = 'unknown', error = ? where status = 'sending'",
                         ["the sending process stopped while this message was on the wire"])
    return cur.rowcount


def requeue_unknown(db: sqlite_utils.Database) -> int:
    """Send the 'unknown' rows once more (for a person who checked they never arrived); returns how many."""
    if not db[TABLE].exists():
        return 0
    with db.atomic():
        cur = db.execute(f"update [{TABLE}] set status = 'pending' where status = 'unknown'")
    return cur.rowcount


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
                         f"where chat_id = ? and {_OPEN}", [reason, chat_id])
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
