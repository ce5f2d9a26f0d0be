"""Which deadline notices a chat is due on a date, and the digest message(s) that carry them.

Pure functions over task dicts and subscription rows (load_tasks is the one reader), so the rules can be
tested without a database or Telegram. The rules, per chat and task:

- "enter":   the task is within the chat's horizon for the first time (and more than 7 days out);
- "week":    7 days or fewer are left (the first notice when the task enters the horizon that late);
- "overdue": the deadline has passed and the chat was told about the task before.

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


@dataclass(frozen=True)
class Notice:
    task_key: str           # tasks.clause_id: stable across store rebuilds, unlike the integer id
    kind: str               # "enter" | "week" | "overdue"


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


def render_item(task: Mapping, kind: str, as_of: dt.date) -> str:
    """One digest item: unit, item number, kind, short text, days left and citation, HTML-escaped."""
    units = "、".join(task["units"] or task["co_units"]) or "（未列单位）"
    head = f"• <b>{escape(units, quote=False)}</b> {escape(task['item'] or task['number'] or '', quote=False)}" \
           f"〔{KIND_LABELS[kind]}〕"
    days = describe_days(task["deadline"], as_of)
    return (f"{head}\n{escape(_short(task['text']), quote=False)}\n"
            f"{days} · <i>{escape(task['citation'] or task['doc_number'], quote=False)}</i>")


def render_digest(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date,
                  limit: int = LIMIT) -> list[Chunk]:
    """A chat's digest, grouped by due date (earliest first), split into messages under the limit.

    A message never ends inside an item; a due-date group continued in the next message repeats its
    heading, so every message reads on its own.
    """
    notices = [n for n in notices if n.task_key in tasks]
    if not notices:
        return []
    notices.sort(key=lambda n: (tasks[n.task_key]["deadline"], tasks[n.task_key]["id"]))
    title = f"<b>📅 截止提醒</b>（{as_of.isoformat()}）：{len(notices)} 项"
    chunks: list[Chunk] = []
    text, carried, group = title, [], None

    def flush() -> None:
        chunks.append(Chunk(text, list(carried)))

    for notice in notices:
        task = tasks[notice.task_key]
        item = render_item(task, notice.kind, as_of)
        heading = f"<b>{task['deadline']} 到期</b>"
        new_group = task["deadline"] != group
        addition = "\n\n" + (heading + "\n" if new_group else "") + item
        if carried and _tg_len(text + addition) > limit:
            flush()
            text, carried = "<b>📅 截止提醒（续）</b>", []
            addition = "\n\n" + heading + ("" if new_group else "（续）") + "\n" + item
        text += addition
        carried.append(notice)
        group = task["deadline"]
    flush()
    return chunks
