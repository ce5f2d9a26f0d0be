"""Send each subscribed chat its deadline digest through a telegram.Bot, at most once per notice.

The outbox (knowledge/outbox.py) decides and records; this module only delivers: render a chat's pending
notices, send the messages one at a time, record each outcome, and deal with what Telegram answers.

- Pacing is the bot's rate limiter's (rate_limiter(): PTB's AIORateLimiter, steady at 29/s). Messages go
  out one at a time, so when Telegram answers 429 no other request of the broadcast is already on its way,
  and the limiter holds every request of the bot (replies included) until retry_after has passed.
- A 5xx answer or a connection that could not be made means Telegram did not take the message: it is sent
  again after 1, 2, 4 and 8 s; still failing, the run stops and leaves the rest pending for the next run.
- A request that went out without an answer (a time-out, a dropped connection, a killed process) has an
  unknown outcome and is not sent again (outbox.py says why). Telegram gets ANSWER_TIMEOUT to answer, so
  a slow answer is still an answer. After STRIKES such messages in a row the run stops.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import sqlite_utils
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter,
                            TelegramError)
from telegram.ext import AIORateLimiter

from handlers.common import retry_seconds
from handlers.render import Chunk, digest_messages, html_to_text
from knowledge import outbox, subscriptions
from knowledge.digest import compose, load_tasks

try:
    import fcntl
except ImportError:     # not on Windows: there a cron run and the bot's job must not overlap
    fcntl = None

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5        # RetryAfter waits / migrations per message before leaving it for the next run
BACKOFF = (1.0, 2.0, 4.0, 8.0)  # seconds before each new try of a message Telegram certainly did not take
ANSWER_TIMEOUT = 30.0   # seconds Telegram gets to answer a sendMessage before its outcome is unknown
STRIKES = 3             # unknown outcomes in a row that stop the run: Telegram is not answering
GRACE = 15.0            # seconds a cancelled broadcast waits for the request already on the wire
LOCK_POLL = 0.2         # seconds between looks at another process's broadcast lock
# BadRequests that mean the chat itself is unusable (deleted, or the bot may not write there any more)
_GONE = ("chat not found", "user not found", "peer_id_invalid", "not enough rights", "have no rights",
         "chat_write_forbidden", "group chat was deactivated")
# what _deliver tells the run to do next
SENT, UNKNOWN, NEXT_CHAT, STOP = "sent", "unknown", "next chat", "stop"

Sleep = Callable[[float], Awaitable[object]]


class _Flooded(Exception):
    """Carries a RetryAfter past AIORateLimiter, which would log it as an ERROR with a traceback."""

    def __init__(self, error: RetryAfter):
        super().__init__(error.message)
        self.error = error


class FloodControlLimiter(AIORateLimiter):
    """PTB's AIORateLimiter, with a 429 that pauses the whole bot for retry_after.

    AIORateLimiter checks its own pause before a request takes its turn, and any request that finishes
    lifts it, so requests queued behind the limiter still go out during the wait. Here every request checks
    the pause right before it goes on the wire; a 429 moves the end of the pause (one WARNING line) and the
    RetryAfter goes back to the caller, which decides whether to send again: that try waits for the pause
    too. getUpdates is exempt: it sends nothing to anyone, and the bot keeps hearing questions meanwhile.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._quiet_until = 0.0       # event-loop time before which nothing is sent
        # one send on the wire at a time: chats are answered side by side, but a send that left before a 429
        # came back would reach Telegram inside its wait, which lengthens the ban
        self._wire: asyncio.Lock | None = None

    async def _wait_out(self) -> None:
        loop = asyncio.get_running_loop()
        while (left := self._quiet_until - loop.time()) > 0:
            await asyncio.sleep(left)

    def _pause(self, seconds: float) -> None:
        until = asyncio.get_running_loop().time() + seconds
        if until > self._quiet_until:
            self._quiet_until = until
            log.warning("Telegram flood control: every send paused for %.0f s (retry_after)", seconds)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        async def gated(*a, **kw):
            if endpoint == "getUpdates":
                return await callback(*a, **kw)
            if self._wire is None:
                self._wire = asyncio.Lock()
            async with self._wire:
                await self._wait_out()
                try:
                    return await callback(*a, **kw)
                except RetryAfter as exc:
                    self._pause(retry_seconds(exc))
                    raise _Flooded(exc) from None

        try:
            return await super().process_request(gated, args, kwargs, endpoint, data, rate_limit_args)
        except _Flooded as flooded:
            raise flooded.error from None


def rate_limiter() -> FloodControlLimiter:
    """The bot's limiter: a steady 29 messages/s instead of bursts, and one pause for all during a 429.

    aiolimiter is a leaky bucket: with the default (30 per 1 s) it lets 30 requests through at once and
    then 30 more per second, so up to ~60 messages can land within one second at the start of a broadcast.
    A bucket of one that drains 29 times a second never puts more than 30 into any one second. Groups
    keep PTB's default (20 per minute): a digest is one or two messages per group a day.
    """
    return FloodControlLimiter(overall_max_rate=1, overall_time_period=1 / 29)


def outcome_unknown(exc: TelegramError) -> bool:
    """Whether a failed request may still have reached Telegram: it went out and no answer came back (a read
    or write time-out, a connection dropped mid-request). A connection never made, or an error answer from
    Telegram (5xx), means the message was not taken."""
    cause = exc.__cause__
    if isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return False
    return isinstance(cause, httpx.TransportError)


def _new_report(as_of: dt.date, dry_run: bool) -> dict:
    return {"as_of": as_of.isoformat(), "dry_run": dry_run, "decided": 0, "chats": 0, "messages": 0,
            "notices": 0, "retry_after": 0, "retried": 0, "unknown": 0, "stopped": None, "deactivated": [],
            "migrated": {}, "failed": {}, "pending": 0}


async def broadcast(bot: Bot | None, db: sqlite_utils.Database, as_of: dt.date, dry_run: bool = False, *,
                    resume_only: bool = False, sleep: Sleep = asyncio.sleep) -> dict:
    """Decide today's notices, then deliver every pending one; returns a report.

    dry_run: only render what would be sent (report["digests"]: chat id -> message texts); nothing is
    recorded and bot may be None. resume_only: send what an earlier run left pending, decide nothing new
    (used at start-up after a crash). sleep is injectable so tests need not wait out a real RetryAfter
    or back-off.
    """
    report = _new_report(as_of, dry_run)
    tasks = load_tasks(db)
    if dry_run:
        work = outbox.pending(db)
        for chat_id, notices in outbox.plan(db, as_of).items():
            work.setdefault(chat_id, []).extend(notices)
        report["digests"] = {chat_id: [c.text for c in digest_messages(
                                 compose(tasks, notices, as_of, subscriptions.following(db, chat_id)))]
                             for chat_id, notices in work.items()}
        report["chats"] = len(work)
        report["notices"] = sum(len(n) for n in work.values())
        return report
    if bot is None:
        raise ValueError("broadcast needs a Bot unless dry_run")
    async with exclusive(db):
        outbox.ensure_table(db)
        subscriptions.ensure_table(db)
        interrupted = outbox.settle_interrupted(db)     # only this run sends now: 'sending' rows are a dead run's
        if interrupted:
            log.warning("%d notice(s) were on the wire when a broadcast stopped; not sent again (outcome unknown)",
                        interrupted)
            report["unknown"] += interrupted
        if not resume_only:
            report["decided"] = outbox.decide(db, as_of)
        work = outbox.pending(db)
        report["chats"] = len(work)
        strikes = [0]
        for chat_id, notices in work.items():
            if await _send_chat(bot, db, chat_id, notices, tasks, as_of, report, sleep, strikes) == STOP:
                break
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
                     as_of: dt.date, report: dict, sleep: Sleep, strikes: list[int]) -> str:
    """Send one chat's digest, message by message; returns what the run does next (NEXT_CHAT or STOP)."""
    gone = [n for n in notices if n.task_key not in tasks]
    if gone:    # the store was rebuilt without that task: nothing left to announce
        outbox.mark_failed(db, chat_id, gone, "task no longer in the store")
    for chunk in digest_messages(compose(tasks, notices, as_of, subscriptions.following(db, chat_id))):
        chat_id, outcome = await _deliver(bot, db, chat_id, chunk, report, sleep)
        if outcome == UNKNOWN:
            strikes[0] += 1
            if strikes[0] >= STRIKES:
                report["stopped"] = f"{STRIKES} messages in a row without an answer from Telegram"
                log.warning("broadcast stopped: %s; the rest stays pending", report["stopped"])
                return STOP
            return NEXT_CHAT
        if outcome == SENT:
            strikes[0] = 0
            continue
        if outcome == STOP:
            return STOP
        return NEXT_CHAT
    return NEXT_CHAT


async def _deliver(bot: Bot, db: sqlite_utils.Database, chat_id: int, chunk: Chunk, report: dict,
                   sleep: Sleep) -> tuple[int, str]:
    """Send one message, handling Telegram's answers; returns the (possibly migrated) chat id and SENT (go on),
    UNKNOWN (sent without an answer), NEXT_CHAT (this chat's digest stops here) or STOP (the run stops)."""
    floods = tries = 0
    while True:
        try:
            await _send_and_record(bot, db, chat_id, chunk)
            report["messages"] += 1
            report["notices"] += len(chunk.notices)
            return chat_id, SENT
        except RetryAfter as exc:
            # the limiter has logged it and holds every request until the wait is over; waiting here too
            # covers a bot with a plain AIORateLimiter
            report["retry_after"] += 1
            floods += 1
            outbox.mark_pending(db, chat_id, chunk.notices, exc.message)
            if floods >= MAX_ATTEMPTS:
                log.warning("chat %s: flood control %d times; left for the next run", chat_id, floods)
                report["failed"][chat_id] = f"flood control {floods} times"
                return chat_id, NEXT_CHAT
            await sleep(retry_seconds(exc))
        except ChatMigrated as exc:
            new_id = int(exc.new_chat_id)
            with db.atomic():   # subscriptions and history move together, or not at all
                outbox.mark_pending(db, chat_id, chunk.notices, "chat migrated")
                subscriptions.migrate_chat(db, chat_id, new_id)
                outbox.migrate_chat(db, chat_id, new_id)
            log.info("chat %s became supergroup %s: subscriptions moved", chat_id, new_id)
            report["migrated"][chat_id] = new_id
            chat_id = new_id
            floods += 1
            if floods >= MAX_ATTEMPTS:
                return chat_id, NEXT_CHAT
        except Forbidden as exc:
            _chat_gone(db, chat_id, exc, report)
            return chat_id, NEXT_CHAT
        except BadRequest as exc:
            if any(p in exc.message.lower() for p in _GONE):
                _chat_gone(db, chat_id, exc, report)
                return chat_id, NEXT_CHAT
            # Telegram will refuse this message however often it is sent: record why, go on
            log.error("chat %s: message refused: %s", chat_id, exc.message)
            outbox.mark_failed(db, chat_id, chunk.notices, exc.message)
            report["failed"][chat_id] = exc.message
            return chat_id, SENT
        except InvalidToken:
            outbox.mark_pending(db, chat_id, chunk.notices, "the token was refused")
            raise
        except NetworkError as exc:     # time-outs, dropped connections, Telegram's 5xx answers
            if outcome_unknown(exc):
                outbox.mark_unknown(db, chat_id, chunk.notices, str(exc) or type(exc).__name__)
                log.warning("chat %s: sent, but no answer came (%s); not sent again", chat_id,
                            str(exc) or type(exc).__name__)
                report["unknown"] += 1
                return chat_id, UNKNOWN
            outbox.mark_pending(db, chat_id, chunk.notices, str(exc))
            if tries == len(BACKOFF):
                log.warning("chat %s: not sent after %d tries (%s); the run stops, the rest stays pending",
                            chat_id, tries + 1, exc)
                report["failed"][chat_id] = str(exc)
                report["stopped"] = f"Telegram unreachable ({exc})"
                return chat_id, STOP
            log.info("chat %s: not sent (%s); trying again in %.0f s", chat_id, exc, BACKOFF[tries])
            await sleep(BACKOFF[tries])
            tries += 1
            report["retried"] += 1
        except TelegramError as exc:
            outbox.mark_pending(db, chat_id, chunk.notices, exc.message)
            log.warning("chat %s: not sent (%s); will retry next run", chat_id, exc)
            report["failed"][chat_id] = str(exc)
            return chat_id, NEXT_CHAT


async def _send_and_record(bot: Bot, db: sqlite_utils.Database, chat_id: int, chunk: Chunk) -> None:
    """Mark the notices 'sending', send, then mark them sent, as one unit a cancellation cannot split: if
    the broadcast is cancelled (shutdown) while the request is on the wire, wait for its answer and record
    it, so a message Telegram accepted is never left to be sent again."""
    outbox.mark_sending(db, chat_id, chunk.notices)

    async def send() -> None:
        message = await bot.send_message(chat_id, chunk.text, parse_mode=ParseMode.HTML,
                                         link_preview_options=LinkPreviewOptions(is_disabled=True),
                                         read_timeout=ANSWER_TIMEOUT)
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
    except TelegramError:
        raise                   # Telegram's answer (or the lack of one): _deliver records what it means
    except Exception:
        # a failure on this side before Telegram was asked (a bug, a crash): the message is still to be sent
        outbox.mark_pending(db, chat_id, chunk.notices, "the sending process failed before the request")
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
                f"{report['notices']} notice(s); nothing sent or recorded (a dry run records nothing, so the "
                f"'overdue' notice, sent only to chats already told about a task, never shows in one)")
    line = (f"broadcast {report['as_of']}: {report['decided']} new notice(s) decided; {report['messages']} "
            f"message(s) to {report['chats']} chat(s) carrying {report['notices']} notice(s); "
            f"{report['retry_after']} RetryAfter waited out; {report['retried']} resent after an error; "
            f"{report['unknown']} sent without an answer (not resent); {len(report['deactivated'])} chat(s) "
            f"deactivated; {len(report['migrated'])} migrated; {len(report['failed'])} failed; "
            f"{report['pending']} still pending")
    return line + (f"; stopped: {report['stopped']}" if report["stopped"] else "")


async def _send_all(cfg, db: sqlite_utils.Database, as_of: dt.date) -> dict:
    from telegram.ext import ExtBot
    kwargs = {k: v for k, v in (("base_url", cfg.base_url), ("base_file_url", cfg.base_file_url)) if v}
    # ExtBot takes PTB's AIORateLimiter directly: no Application (no polling, no job queue) is needed
    bot = ExtBot(cfg.token, rate_limiter=rate_limiter(), **kwargs)
    async with bot:
        return await broadcast(bot, db, as_of)


def run_broadcast_cli(cfg, dry_run: bool, resend_unknown: bool = False) -> int:
    """`gazette-bot broadcast`: one run for cron or for trying it out; 0 when nothing is left pending.
    resend_unknown: first put the notices sent without an answer back in the queue (see knowledge/outbox.py)."""
    from knowledge import deadlines, people
    from .redact import configure_logging
    configure_logging(cfg.token, logging.WARNING)
    people.prepare(cfg.store_path, cfg.people_db)
    db = people.connect(cfg.people_db, knowledge=cfg.store_path)   # subscriptions and outbox; tasks attached
    as_of = cfg.today()
    note = deadlines.past_note(deadlines.deadline_range(db), as_of)
    if note:
        print(note, file=sys.stderr)
    try:
        if dry_run:
            report = asyncio.run(broadcast(None, db, as_of, dry_run=True))
            for chat_id, texts in report["digests"].items():
                for i, text in enumerate(texts, 1):
                    print(f"── chat {chat_id} · message {i}/{len(texts)} ──\n{html_to_text(text)}\n")
            print(summary(report))
            return 0
        if not cfg.token:
            print("gazette-bot: error: no Telegram token (config.toml [telegram] token or TELEGRAM_BOT_TOKEN); "
                  "try --dry-run", file=sys.stderr)
            return 2
        if resend_unknown:
            outbox.ensure_table(db)
            print(f"{outbox.requeue_unknown(db)} notice(s) sent without an answer are queued again")
        report = asyncio.run(_send_all(cfg, db, as_of))
        print(summary(report))
        return 0 if not report["pending"] else 1
    finally:
        with contextlib.suppress(Exception):
            db.conn.close()
