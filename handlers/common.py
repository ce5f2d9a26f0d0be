"""What every handler needs from the application: the current engine, the config, who is an admin."""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import re
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import ContextTypes
from telegram.warnings import PTBDeprecationWarning

if TYPE_CHECKING:
    from knowledge.engine import Engine

ENGINE, CFG, FLOOD = "engine", "cfg", "flood"
NOT_ALLOWED = "无权限（not allowed）：这个命令只对管理员开放。"
# a count someone typed (days, an item): ASCII digits only, as str.isdigit() also takes "²" that int() refuses
_NUMBER = re.compile(r"[0-9]+")
BIG = 1_000_000     # what a longer number is read as: more than any limit here, and no date or integer overflows


def typed_number(text: str) -> int | None:
    """The number text spells in ASCII digits, at most BIG; None when it is not one."""
    if not _NUMBER.fullmatch(text):
        return None
    return int(text) if len(text) <= 6 else BIG


def engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    """The engine now in use (/reload swaps it), its "today" following the clock unless as_of is set."""
    eng = context.bot_data[ENGINE]
    cfg = context.bot_data.get(CFG)
    if cfg is not None and cfg.as_of is None:
        eng.today = cfg.today()   # a bot running for weeks must count "还剩 N 天" from the real date
    return eng


T = TypeVar("T")
# One thread runs the engine: embedding a question takes milliseconds of CPU that must not stall the event loop,
# and one at a time keeps the engine's caches free of races.
_ENGINE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")


async def in_engine_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run fn(*args, **kwargs) (an engine call) off the event loop, in the engine's thread."""
    return await asyncio.get_running_loop().run_in_executor(_ENGINE_THREAD, functools.partial(fn, *args, **kwargs))


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """The sender is listed under [bot] admins."""
    cfg = context.bot_data.get(CFG)
    user = update.effective_user
    return bool(cfg and user and user.id in cfg.admins)


def ids(update: Update) -> tuple[int | None, int | None]:
    """(user id, chat id) for the activity log."""
    user, chat = update.effective_user, update.effective_chat
    return (user.id if user else None), (chat.id if chat else None)


def broadcast_lock(bot_data: dict) -> asyncio.Lock:
    """Held while a broadcast sends or the store is rebuilt. The daily run and the start-up resume take it
    so they never send the same pending rows side by side; /reload takes it because a rebuild copies the
    outbox into the new file, and a "sent" mark written to the old file after that copy would be lost."""
    return bot_data.setdefault("_broadcast_lock", asyncio.Lock())


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whether PTB hands it over as int or timedelta."""
    with warnings.catch_warnings():     # PTB 22 warns that the int form is going away; both are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
