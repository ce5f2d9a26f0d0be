"""What every handler needs from the application: the current engine, the config, who is an admin, and
people's database (through the writer, or in a thread: the event loop never waits on SQLite)."""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import re
import sqlite3
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import sqlite_utils
from telegram import Update
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from knowledge import deadlines, people

from . import live
from .state import Context

if TYPE_CHECKING:
    from knowledge.engine import Engine
    from knowledge.writer import Writer

NOT_ALLOWED = "无权限（not allowed）：这个命令只对管理员开放。"
PEOPLE_BUSY = "暂时无法读写订阅数据，请稍后再试。"
T = TypeVar("T")
log = logging.getLogger(__name__)
# a count someone typed (days, an item): ASCII digits only, as str.isdigit() also takes "²" that int() refuses
_NUMBER = re.compile(r"[0-9]+")
BIG = 1_000_000     # what a longer number is read as: more than any limit here, and no date or integer overflows


def typed_number(text: str) -> int | None:
    """The number text spells in ASCII digits, at most BIG; None when it is not one."""
    if not _NUMBER.fullmatch(text):
        return None
    return int(text) if len(text) <= 6 else BIG


def engine(context: Context) -> Engine:
    """The engine now in use (/reload swaps it), its "today" following the clock unless as_of is set."""
    live.check(context.bot_data)       # a rebuilt store is switched to in the background
    eng = context.bot_data.engine
    cfg = context.bot_data.cfg
    if cfg.as_of is None:
        eng.today = cfg.today()   # a bot running for weeks must count "还剩 N 天" from the real date
    return eng


# One thread runs the engine: embedding a question takes milliseconds of CPU that must not stall the event loop,
# and one at a time keeps the engine's caches free of races.
_ENGINE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")


async def in_engine_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run fn(*args, **kwargs) (an engine call) off the event loop, in the engine's thread."""
    return await asyncio.get_running_loop().run_in_executor(_ENGINE_THREAD, functools.partial(fn, *args, **kwargs))


def warm_up(engine: Engine) -> None:
    """Start loading what the engine reads on first use, in its thread: questions that arrive meanwhile queue
    behind it, as they would behind the first question."""
    def failed(future: Future) -> None:
        if future.exception() is not None:    # answering still works: the first question loads it instead
            log.warning("warming the engine up failed (%s)", future.exception())
    _ENGINE_THREAD.submit(engine.warm).add_done_callback(failed)


def is_admin(update: Update, context: Context) -> bool:
    """The sender is listed under [bot] admins."""
    user = update.effective_user
    return bool(user and user.id in context.bot_data.cfg.admins)


def ids(update: Update) -> tuple[int | None, int | None]:
    """(user id, chat id) for the activity log."""
    user, chat = update.effective_user, update.effective_chat
    return (user.id if user else None), (chat.id if chat else None)


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whether PTB hands it over as int or timedelta."""
    with warnings.catch_warnings():     # PTB 22 warns that the int form is going away; both are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def writer(context: Context) -> Writer:
    """The writer of people's database: questions, stored questions and feedback go through it."""
    return context.bot_data.writer


async def recall(context: Context, qid: int) -> str | None:
    """The question a button's id stands for: from memory, else read in a thread (a button of an earlier run)."""
    log_ = writer(context)
    text = log_.recalled(qid)
    if text is not None:
        return text
    try:
        return await asyncio.to_thread(log_.recall, qid)
    except (sqlite3.Error, OSError) as exc:
        log.warning("cannot read stored question %s (%s)", qid, exc)
        return None


async def in_people_db(context: Context, work: Callable[[sqlite_utils.Database], T]) -> T:
    """work(db) on a short-lived connection to people's database, in a thread with a short busy timeout;
    raises sqlite3.Error or OSError when the file cannot be used (callers reply PEOPLE_BUSY)."""
    path = context.bot_data.cfg.people_db

    def run() -> T:
        db = people.connect(path)
        try:
            with db.conn:
                return work(db)
        finally:
            db.conn.close()
    return await asyncio.to_thread(run)


def past_note(context: Context) -> str | None:
    """One line when every deadline in the store is past (the bundled issue read years later); None otherwise.
    Worked out once per engine."""
    eng = engine(context)
    cached = context.bot_data.deadline_range
    if cached is None or cached[0] is not eng:
        cached = context.bot_data.deadline_range = (eng, deadlines.deadline_range(eng.db))
    return deadlines.past_note(cached[1], eng.today, admin=False)
