"""Which deadline notices a chat is due on a date, and the digest message(s) that carry them.

Pure functions over task dicts and subscription rows (load_tasks is the one reader), so the rules can be
tested without a database or Telegram. The rules, per chat and task:

- "enter":   the task is within the chat's horizon for the first time (and more than 7 days out);
- "week":    7 days or fewer are left (the first notice when the task enters the horizon that late);
- "overdue": the deadline has passed and the chat was told about the task before.

The Monday overview's rules are in weekly.py; its notices are rendered here too, in messages of their own.

Each (chat, task, kind) is due at most once ever: `history` holds what was already decided. The conditions
are ranges ("7 days or fewer"), not exact days, so a day the broadcast did not run is caught up next time.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

import sqlite_utils

from .deadlines import days_left, describe_days

WEEK = 7
LIMIT = 4096        # Telegram's message length limit (MessageLimit.MAX_TEXT_LENGTH)
SNIPPET = 60        # characters of a task's text shown in a digest item
KIND_LABELS = {"enter": "进入提醒期", "week": "一周内到期", "overdue": "已逾期"}
WEEKLY = "weekly:"  # a weekly overview's notices: kind "weekly:2022-W36" (see weekly.py)


@dataclass(frozen=True)
class Notice:
    task_key: str           # tasks.clause_id: stable across store rebuilds, unlike the integer id
    kind: str               # "enter" | "week" | "overdue" | "weekly:2022-W36" (a Monday overview)


@dataclass
class Chunk:
    """One Telegram message of a digest and the notices it carries (marked sent together)."""
    text: str
    notices: list[Notice]


def load_tasks(db: sqlite_utils.Database) -> dict[str, dict]:
    """Tasks with a deadline, keyed by their stable key, list columns decoded."""
    tasks = {}
    for row in db.query("select * from tasks where deadline is not null order by deadline, id"):
        for col in ("units", "leaders", "co_units"):
            row[col] = json.loads(row[col] or "[]")
        tasks[row["clause_id"]] = row
    return tasks


def covers(sub: Mapping, task: Mapping) -> bool:
    """Whether one subscription is about a task; a unit follows tasks it leads and those it supports."""
    kind, value = sub["kind"], sub["value"]
    if kind == "all":
        return True
    if kind == "unit":
        return value in task["units"] or value in task["co_units"]
    if kind == "leader":
        return value in task["leaders"]
    if kind == "doc":
        return task["doc_number"] == value
    return False


def horizon(subs: Iterable[Mapping], task: Mapping) -> int | None:
    """The longest horizon among the subscriptions covering a task (None: none covers it)."""
    days = [s["horizon_days"] for s in subs if covers(s, task)]
    return max(days) if days else None


def notices_due(tasks: Mapping[str, Mapping], subs: list[Mapping], history: set[tuple[str, str]],
                as_of: dt.date) -> list[Notice]:
    """The notices one chat is due on as_of; history is the (task_key, kind) pairs already decided for it."""
    out = []
    for key, task in tasks.items():
        h = horizon(subs, task)
        if h is None:
            continue
        n = days_left(task["deadline"], as_of)
        told = {kind for (k, kind) in history if k == key}
        if n < 0:
            # only tasks the chat was following: a new subscriber is not flooded with last year's deadlines
            if "overdue" not in told and told & {"enter", "week"}:
                out.append(Notice(key, "overdue"))
        elif n <= h:
            if n <= WEEK:
                if "week" not in told:
                    out.append(Notice(key, "week"))
            elif not told & {"enter", "week"}:
                out.append(Notice(key, "enter"))
    return out


def _tg_len(text: str) -> int:
    # Telegram counts UTF-16 code units; counting the raw HTML (tags included) keeps us under either way
    return len(text.encode("utf-16-le")) // 2


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET else text[:SNIPPET].rstrip("，、；。 ") + "…"


def render_item(task: Mapping, kind: str | None, as_of: dt.date, dated: bool = False) -> str:
    """One digest item: unit, item number, kind (when it has a label), short text, days left (after the
    deadline itself when dated) and citation, HTML-escaped."""
    units = "、".join(task["units"] or task["co_units"]) or "（未列单位）"
    tag = f"〔{KIND_LABELS[kind]}〕" if kind in KIND_LABELS else ""
    head = f"• <b>{escape(units, quote=False)}</b> {escape(task['item'] or task['number'] or '', quote=False)}{tag}"
    days = describe_days(task["deadline"], as_of)
    if dated:
        days = f"{task['deadline']} · {days}"
    return (f"{head}\n{escape(_short(task['text']), quote=False)}\n"
            f"{days} · <i>{escape(task['citation'] or task['doc_number'], quote=False)}</i>")


def _pack(title: str, continued: str, entries: list[tuple[str, str, Notice]], limit: int) -> list[Chunk]:
    """Messages under the limit from (group heading, item, notice) entries in order. A message never ends
    inside an item; a group continued in the next message repeats its heading, so every message reads on
    its own."""
    chunks: list[Chunk] = []
    text, carried, group = title, [], None
    for heading, item, notice in entries:
        new_group = heading != group
        addition = "\n\n" + (heading + "\n" if new_group else "") + item
        if carried and _tg_len(text + addition) > limit:
            chunks.append(Chunk(text, carried))
            text, carried = continued, []
            addition = "\n\n" + heading + ("" if new_group else "（续）") + "\n" + item
        text += addition
        carried.append(notice)
        group = heading
    chunks.append(Chunk(text, carried))
    return chunks


def render_digest(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date,
                  limit: int = LIMIT) -> list[Chunk]:
    """A chat's messages: the daily notices grouped by due date (earliest first), then each weekly overview
    in a message of its own, all split into messages under the limit."""
    notices = [n for n in notices if n.task_key in tasks]
    daily = [n for n in notices if not n.kind.startswith(WEEKLY)]
    chunks = _render_daily(tasks, daily, as_of, limit) if daily else []
    for kind in sorted({n.kind for n in notices} - {n.kind for n in daily}):
        chunks += render_weekly(tasks, [n for n in notices if n.kind == kind], as_of, limit)
    return chunks


def _render_daily(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date, limit: int) -> list[Chunk]:
    notices = sorted(notices, key=lambda n: (tasks[n.task_key]["deadline"], tasks[n.task_key]["id"]))
    title = f"<b>📅 截止提醒</b>（{as_of.isoformat()}）：{len(notices)} 项"
    entries = [(f"<b>{tasks[n.task_key]['deadline']} 到期</b>", render_item(tasks[n.task_key], n.kind, as_of), n)
               for n in notices]
    return _pack(title, "<b>📅 截止提醒（续）</b>", entries, limit)


def render_weekly(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date,
                  limit: int = LIMIT) -> list[Chunk]:
    """One week's overview (notices of one weekly kind): what is overdue, then what is due this month."""
    if not notices:
        return []
    week = notices[0].kind[len(WEEKLY):]
    notices = sorted(notices, key=lambda n: (tasks[n.task_key]["deadline"], tasks[n.task_key]["id"]))
    late = [n for n in notices if days_left(tasks[n.task_key]["deadline"], as_of) < 0]
    due = notices[len(late):]           # sorted by deadline: the overdue ones come first
    title = (f"<b>📋 每周到期汇总</b>（{week}，{as_of.isoformat()}）：本月到期 {len(due)} 项，"
             f"已逾期 {len(late)} 项")
    entries = [(heading, render_item(tasks[n.task_key], None, as_of, dated=True), n)
               for heading, group in (("<b>⚠️ 已逾期</b>", late), ("<b>🗓 本月到期</b>", due)) for n in group]
    return _pack(title, f"<b>📋 每周到期汇总（续）</b>（{week}）", entries, limit)
