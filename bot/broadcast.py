"""Send each subscribed chat its deadline digest through a telegram.Bot, exactly once per notice.

The outbox (knowledge/outbox.py) decides and records; this module only delivers: render a chat's pending
notices, send the messages, mark them sent, and deal with what Telegram answers. Pacing is the Bot's
rate limiter's job (PTB's AIORateLimiter, see rate_limiter()); this module keeps a few chats in flight
so the limiter, not the round trip, sets the pace, and pauses them all while a RetryAfter is waited out.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import logging
import re
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable

import sqlite_utils
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from knowledge import outbox, subscriptions
from knowledge.digest import Chunk, load_tasks, render_digest

try:
    import fcntl
except ImportError:     # not on Windows: there a cron run and the bot's job must not overlap
    fcntl = None

log = logging.getLogger(__name__)

IN_FLIGHT = 8           # chats sent to concurrently; also the most messages a hard kill can leave unrecorded
MAX_ATTEMPTS = 5        # RetryAfter waits / migrations per message before leaving it for the next run
GRACE = 15.0            # seconds a cancelled broadcast waits for the request already on the wire
LOCK_POLL = 0.2         # seconds between looks at another process's broadcast lock
# BadRequests that mean the chat itself is unusable (deleted, or the bot may not write there any more)
_GONE = ("chat not found", "user not found", "peer_id_invalid", "not enough rights", "have no rights",
         "chat_write_forbidden", "group chat was deactivated")

Sleep = Callable[[float], Awaitable[object]]


def rate_limiter() -> AIORateLimiter:
    """PTB's AIORateLimiter set to a steady 29 messages/s instead of bursts.

    aiolimiter is a leaky bucket: with the default (30 per 1 s) it lets 30 requests through at once and
    then 30 more per second, so up to ~60 messages can land within one second at the start of a broadcast.
    A bucket of one that drains 29 times a second never puts more than 30 into any one second. Groups
    keep PTB's default (20 per minute): a digest is one or two messages per group a day.
    """
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29)


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whether PTB hands it over as int or timedelta."""
    with warnings.catch_warnings():     # PTB 22 warns that the int form is going away; both are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _new_report(as_of: dt.date, dry_run: bool) -> dict:
    return {"as_of": as_of.isoformat(), "dry_run": dry_run, "decided": 0, "chats": 0, "messages": 0,
            "notices": 0, "retry_after": 0, "deactivated": [], "migrated": {}, "failed": {}, "pending": 0}


async def broadcast(bot: Bot | None, db: sqlite_utils.Database, as_of: dt.date, dry_run: bool = False, *,
                    resume_only: bool = False, sleep: Sleep = asyncio.sleep, in_flight: int = IN_FLIGHT) -> dict:
    """Decide today's notices, then deliver every pending one; returns a report.

    dry_run: only render what would be sent (report["digests"]: chat id -> message texts); nothing is
    recorded and bot may be None. resume_only: send what an earlier run left pending, decide nothing new
    (used at start-up after a crash). sleep is injectable so tests need not wait out a real RetryAfter.
    """
    report = _new_report(as_of, dry_run)
    tasks = load_tasks(db)
    if dry_run:
        work = outbox.pending(db)
        for chat_id, notices in outbox.plan(db, as_of).items():
            work.setdefault(chat_id, []).extend(notices)
        report["digests"] = {chat_id: [c.text for c in render_digest(tasks, notices, as_of)]
                             for chat_id, notices in work.items()}
        report["chats"] = len(work)
        report["notices"] = sum(len(n) for n in work.values())
        return report
    if bot is None:
        raise ValueError("broadcast needs a Bot unless dry_run")
    async with exclusive(db):
        outbox.ensure_table(db)
        subscriptions.ensure_table(db)
        if not resume_only:
            report["decided"] = outbox.decide(db, as_of)
        work = outbox.pending(db)
        report["chats"] = len(work)
        gate = asyncio.Semaphore(max(1, in_flight))
        calm = asyncio.Event()   # cleared while a RetryAfter is waited out: flood control is per bot, not per chat
        calm.set()
        async with asyncio.TaskGroup() as group:
            for chat_id, notices in work.items():
                group.create_task(_send_chat(bot, db, chat_id, notices, tasks, as_of, report, sleep, gate, calm))
        report["pending"] = outbox.counts(db).get("pending", 0)
    return report


@contextlib.asynccontextmanager
async def exclusive(db: sqlite_utils.Database, poll: float = LOCK_POLL) -> AsyncIterator[None]:
    """Hold the store's broadcast lock, a file lock beside it, while pending notices are read and sent.

    A cron `gazette-bot broadcast` and the running bot's daily job may start together; without the lock
    both would read the same pending rows and send them twice. The second one waits, then finds them sent.
    The operating system releases the lock when a process dies, so a crash never leaves it held.
    """
    path = _store_file(db)
    if fcntl is None or not path:    # no file locks here, or an in-memory store only this process sees
        yield
        return
    try:
        handle = open(path + ".broadcast-lock", "a")
    except OSError as exc:           # a read-only folder: go on unguarded rather than not at all
        log.warning("no broadcast lock beside %s (%s)", path, exc)
        yield
        return
    with handle:
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    log.info("another broadcast is sending from this store; waiting for it to finish")
                    told = True
                await asyncio.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _store_file(db: sqlite_utils.Database) -> str:
    """The file behind the store's main database ("" for an in-memory one)."""
    return next((row[2] for row in db.execute("pragma database_list").fetchall() if row[1] == "main"), "")


async def _send_chat(bot: Bot, db: sqlite_utils.Database, chat_id: int, notices: list, tasks: dict,
                     as_of: dt.date, report: dict, sleep: Sleep, gate: asyncio.Semaphore,
                     calm: asyncio.Event) -> None:
    async with gate:
        gone = [n for n in notices if n.task_key not in tasks]
        if gone:    # the store was rebuilt without that task: nothing left to announce
            outbox.mark_failed(db, chat_id, gone, "task no longer in the store")
        for chunk in render_digest(tasks, notices, as_of):
            chat_id, go_on = await _deliver(bot, db, chat_id, chunk, report, sleep, calm)
            if not go_on:
                return


async def _deliver(bot: Bot, db: sqlite_utils.Database, chat_id: int, chunk: Chunk, report: dict,
                   sleep: Sleep, calm: asyncio.Event) -> tuple[int, bool]:
    """Send one message, handling Telegram's answers; returns the (possibly migrated) chat id and whether
    the rest of this chat's digest should be sent."""
    for _attempt in range(MAX_ATTEMPTS):
        await calm.wait()
        try:
            await _send_and_record(bot, db, chat_id, chunk)
            report["messages"] += 1
            report["notices"] += len(chunk.notices)
            return chat_id, True
        except RetryAfter as exc:
            report["retry_after"] += 1
            wait = retry_seconds(exc)
            log.info("chat %s: flood control, retrying in %.1f s", chat_id, wait)
            calm.clear()
            try:
                await sleep(wait)
            finally:
                calm.set()
        except ChatMigrated as exc:
            new_id = int(exc.new_chat_id)
            with db.atomic():   # subscriptions and history move together, or not at all
                subscriptions.migrate_chat(db, chat_id, new_id)
                outbox.migrate_chat(db, chat_id, new_id)
            log.info("chat %s became supergroup %s: subscriptions moved", chat_id, new_id)
            report["migrated"][chat_id] = new_id
            chat_id = new_id
        except Forbidden as exc:
            _chat_gone(db, chat_id, exc, report)
            return chat_id, False
        except BadRequest as exc:
            if any(p in exc.message.lower() for p in _GONE):
                _chat_gone(db, chat_id, exc, report)
                return chat_id, False
            # Telegram will refuse this message however often it is sent: record why, go on
            log.error("chat %s: message refused: %s", chat_id, exc.message)
            outbox.mark_failed(db, chat_id, chunk.notices, exc.message)
            report["failed"][chat_id] = exc.message
            return chat_id, True
        except TelegramError as exc:
            # network trouble, timeouts, server errors: the notices stay pending for the next run
            log.warning("chat %s: not sent (%s); will retry next run", chat_id, exc)
            report["failed"][chat_id] = str(exc)
            return chat_id, False
    log.warning("chat %s: gave up after %d attempts; will retry next run", chat_id, MAX_ATTEMPTS)
    report["failed"][chat_id] = f"gave up after {MAX_ATTEMPTS} attempts"
    return chat_id, False


async def _send_and_record(bot: Bot, db: sqlite_utils.Database, chat_id: int, chunk: Chunk) -> None:
    """Send, then mark sent, as one unit a cancellation cannot split: if the broadcast is cancelled
    (shutdown, or a sibling chat crashed) while the request is on the wire, wait for its answer and record
    it, so a message Telegram accepted is never left 'pending' to be sent again."""
    async def send() -> None:
        message = await bot.send_message(chat_id, chunk.text, parse_mode=ParseMode.HTML,
                                         link_preview_options=LinkPreviewOptions(is_disabled=True))
        outbox.mark_sent(db, chat_id, chunk.notices, message.message_id)

    inner = asyncio.ensure_future(send())
    try:
        await asyncio.shield(inner)
    except asyncio.CancelledError:
        if not inner.done():
            await asyncio.wait({inner}, timeout=GRACE)
        if inner.done() and not inner.cancelled():
            inner.exception()   # retrieved, so asyncio does not log "exception was never retrieved"
        raise


def _chat_gone(db: sqlite_utils.Database, chat_id: int, exc: TelegramError, report: dict) -> None:
    """The chat blocked the bot or no longer exists: stop following it, keep going for the others."""
    with db.atomic():
        n = subscriptions.deactivate_chat(db, chat_id)
        outbox.drop_chat(db, chat_id, exc.message)
    log.warning("chat %s unreachable (%s): %d subscription(s) deactivated", chat_id, exc.message, n)
    report["deactivated"].append(chat_id)


def summary(report: dict) -> str:
    """The one-line report the command prints."""
    if report["dry_run"]:
        return (f"broadcast {report['as_of']} (dry run): {report['chats']} chat(s) would get "
                f"{report['notices']} notice(s); nothing sent or recorded")
    return (f"broadcast {report['as_of']}: {report['decided']} new notice(s) decided; {report['messages']} "
            f"message(s) to {report['chats']} chat(s) carrying {report['notices']} notice(s); "
            f"{report['retry_after']} RetryAfter waited out; {len(report['deactivated'])} chat(s) deactivated; "
            f"{len(report['migrated'])} migrated; {len(report['failed'])} failed; {report['pending']} still pending")


def _plain(text: str) -> str:
    """A digest as terminal text: tags dropped, entities unescaped."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


async def _send_all(cfg, db: sqlite_utils.Database, as_of: dt.date) -> dict:
    from telegram.ext import ExtBot
    kwargs = {k: v for k, v in (("base_url", cfg.base_url), ("base_file_url", cfg.base_file_url)) if v}
    # ExtBot takes PTB's AIORateLimiter directly: no Application (no polling, no job queue) is needed
    bot = ExtBot(cfg.token, rate_limiter=rate_limiter(), **kwargs)
    async with bot:
        return await broadcast(bot, db, as_of)


def run_broadcast_cli(cfg, dry_run: bool) -> int:
    """`gazette-bot broadcast`: one run for cron or for trying it out; 0 when nothing is left pending."""
    from knowledge.store import open_store
    from .redact import configure_logging
    configure_logging(cfg.token, logging.WARNING)
    db = open_store(cfg.store_path)
    as_of = cfg.today()
    try:
        if dry_run:
            report = asyncio.run(broadcast(None, db, as_of, dry_run=True))
            for chat_id, texts in report["digests"].items():
                for i, text in enumerate(texts, 1):
                    print(f"── chat {chat_id} · message {i}/{len(texts)} ──\n{_plain(text)}\n")
            print(summary(report))
            return 0
        if not cfg.token:
            print("gazette-bot: error: no Telegram token (config.toml [telegram] token or TELEGRAM_BOT_TOKEN); "
                  "try --dry-run", file=sys.stderr)
            return 2
        report = asyncio.run(_send_all(cfg, db, as_of))
        print(summary(report))
        return 0 if not report["pending"] else 1
    finally:
        with contextlib.suppress(Exception):
            db.conn.close()
