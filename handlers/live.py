"""Switch to a rebuilt knowledge store while the bot runs (`gazette-bot build` from another terminal).

A rebuild puts a new file in place with a rename, so the file's identity changes. Questions look at it at
most every CHECK_EVERY seconds (one stat, no SQLite); a change loads a new engine in a thread while the
old one keeps answering, and the swap happens between two questions.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import BotData

log = logging.getLogger(__name__)

CHECK_EVERY = 3.0       # seconds between looks at the store file


def signature(path: Path) -> tuple[int, int, int, int] | None:
    """The file's identity and version: device, inode, mtime, size (None when it is missing)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def loaded(bot_data: BotData, path: Path) -> None:
    """Note that the engine in use was loaded from the file now at path (from now on it is watched)."""
    bot_data.store_signature = signature(path)
    bot_data.store_checked = time.monotonic()


def busy(bot_data: BotData) -> bool:
    """A switch or a /reload is under way."""
    task = bot_data.store_switch
    return task is not None and not task.done()


def check(bot_data: BotData, every: float | None = None) -> asyncio.Task | None:
    """Start switching to the store file when it changed since the engine was loaded; returns that task."""
    now = time.monotonic()
    if bot_data.store_checked is None or busy(bot_data) or \
            now - bot_data.store_checked < (CHECK_EVERY if every is None else every):
        return None
    bot_data.store_checked = now
    cfg = bot_data.cfg
    found = signature(cfg.store_path)
    if found == bot_data.store_signature:
        return None
    if found is None:
        log.warning("the knowledge store %s is gone; answering from the copy in memory. Run `gazette-bot build` "
                    "to write it again (subscriptions and questions are in %s, untouched)", cfg.store_path,
                    cfg.people_db)
        bot_data.store_signature = None
        return None
    task = asyncio.get_running_loop().create_task(switch(bot_data, cfg.store_path, found))
    bot_data.store_switch = task
    return task


async def switch(bot_data: BotData, path: Path, found: tuple) -> None:
    """Load the engine from the rebuilt file in a thread, then put it in use."""
    from knowledge.engine import Engine
    old = bot_data.engine
    try:
        new = await asyncio.to_thread(Engine.load, path, old.today)
    except Exception as exc:   # a half-written or foreign file: keep answering from the old engine
        log.warning("the knowledge store %s changed but cannot be loaded (%s); still answering from the "
                    "previous one", path, exc)
        bot_data.store_signature = found
        return
    bot_data.engine = new
    bot_data.store_signature = found
    log.info("switched to the rebuilt knowledge store %s (%d documents)", path, len(new.documents))
