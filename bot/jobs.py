"""The daily deadline digest on PTB's JobQueue (on Mondays it carries the weekly overviews too, see
knowledge/weekly.py), plus a one-off resume at start-up.

application.bot_data.cfg is the Config; each run opens people's database (subscriptions, outbox) with
the knowledge store attached (tasks). context.bot is the application's bot, which carries the
AIORateLimiter, so the job needs no pacing of its own.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from telegram.ext import Application

from handlers.state import Context
from knowledge import deadlines, people

from .broadcast import broadcast, summary

log = logging.getLogger(__name__)

JOB_NAME = "deadline-digest"
RESUME_DELAY = 10       # seconds after start-up: let polling/webhook settle before sending anything
MISFIRE_GRACE = 3600    # a job delayed by a busy loop or a suspended host still runs within the hour


@contextlib.contextmanager
def broadcast_db(cfg) -> Iterator:
    """People's database with the knowledge store attached, for one broadcast run."""
    db = people.connect(cfg.people_db, knowledge=cfg.store_path)
    try:
        yield db
    finally:
        db.conn.close()


async def daily_digest(context: Context) -> None:
    """Decide and send today's notices (as_of is cfg.today(), so [bot] as_of can replay 2022)."""
    cfg = context.bot_data.cfg
    async with context.bot_data.broadcast_lock:
        with broadcast_db(cfg) as db:
            note = deadlines.past_note(deadlines.deadline_range(db), cfg.today())
            report = await broadcast(context.bot, db, cfg.today())
    if note:
        log.warning(note)
    log.info(summary(report))


async def resume_pending(context: Context) -> None:
    """Send what a broadcast that died mid-way left pending, instead of waiting for tomorrow's run."""
    cfg = context.bot_data.cfg
    async with context.bot_data.broadcast_lock:
        with broadcast_db(cfg) as db:
            report = await broadcast(context.bot, db, cfg.today(), resume_only=True)
    if report["chats"]:
        log.info("resumed: %s", summary(report))


def schedule(application: Application, cfg) -> None:
    """Run the digest every day at cfg.broadcast_time in cfg.timezone, and resume once at start-up."""
    when = cfg.broadcast_time.replace(tzinfo=ZoneInfo(cfg.timezone))
    # explicit tzinfo: correct even if the application's Defaults(tzinfo=...) were ever dropped
    application.job_queue.run_daily(daily_digest, time=when, name=JOB_NAME,
                                    job_kwargs={"misfire_grace_time": MISFIRE_GRACE, "coalesce": True})
    application.job_queue.run_once(resume_pending, when=RESUME_DELAY, name=JOB_NAME + "-resume")
