"""The Monday overview: per chat, every task its weekly subscriptions cover that is due in the current calendar
month or fell overdue since the start of the month before, in one message of its own (split only at Telegram's
length limit). Tasks overdue for longer are not repeated every week.

It travels the daily notices' path. Each task in a week's overview is an outbox row (chat, task,
"weekly:2022-W36"): decided in one transaction, sent by the same rate-limited broadcast, marked sent with the
message that carries it. The rows are keyed by ISO week, and a chat that has any row of a week is not decided
for again that week, so however many runs there are (the bot's job and a cron run, a rerun), a chat gets one
overview a week. Only a Monday's run decides one; a Monday the bot did not run at all is not made up for later
in the week (what that run left pending is, like any pending notice).
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from .digest import WEEKLY, Notice, covers
from .subscriptions import cadence_of

WEEKDAY = 0         # Monday, as date.weekday() counts


def week_kind(as_of: dt.date) -> str:
    """The outbox kind of as_of's week: 'weekly:2022-W36' (ISO year and week, so the year's turn is right)."""
    year, week, _ = as_of.isocalendar()
    return f"{WEEKLY}{year}-W{week:02d}"


def is_overview_day(as_of: dt.date) -> bool:
    return as_of.weekday() == WEEKDAY


def month_end(as_of: dt.date) -> dt.date:
    return as_of.replace(day=calendar.monthrange(as_of.year, as_of.month)[1])


def daily(subs: Iterable[Mapping]) -> list[Mapping]:
    """The subscriptions that want the daily notices."""
    return [s for s in subs if cadence_of(s) in ("daily", "both")]


def weekly(subs: Iterable[Mapping]) -> list[Mapping]:
    """The subscriptions that want the Monday overview."""
    return [s for s in subs if cadence_of(s) in ("weekly", "both")]


def overdue_since(as_of: dt.date) -> dt.date:
    """The earliest deadline an overview still lists as overdue: the first day of the month before as_of's.
    A task overdue for longer was in every overview of the past month; repeating it each Monday for years
    would bury what is new."""
    first = as_of.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def overview_due(tasks: Mapping[str, Mapping], subs: list[Mapping], as_of: dt.date) -> list[Notice]:
    """One chat's overview for as_of's week: the tasks a weekly subscription covers that are due by the end
    of the month, from the start of the month before (overdue_since); empty when it has no weekly one."""
    wanted = weekly(subs)
    if not wanted:
        return []
    since, end = overdue_since(as_of).isoformat(), month_end(as_of).isoformat()
    kind = week_kind(as_of)
    return [Notice(key, kind) for key, task in tasks.items()
            if since <= task["deadline"] <= end and any(covers(s, task) for s in wanted)]
