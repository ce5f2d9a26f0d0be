"""Which deadline notices a chat is due on a date, and what its digest says about them.

Pure functions over task dicts and subscription rows (load_tasks is the one reader), so the rules can be
tested without a database or Telegram. The rules, per chat and task:

- "enter":   the task is within the chat's horizon for the first time (and more than 7 days out);
- "week":    7 days or fewer are left (the first notice when the task enters the horizon that late);
- "overdue": the deadline has passed and the chat was told about the task before.

The Monday overview's rules are in weekly.py; its notices are worded here too, as digests of their own.
compose() gives a chat's digests as plain words (titles, group headings, entries); handlers/render.py turns
them into Telegram messages under the length limit.

Each (chat, task, kind) is due at most once ever: `history` holds what was already decided. The conditions
are ranges ("7 days or fewer"), not exact days, so a day the broadcast did not run is caught up next time.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import sqlite_utils

from .deadlines import days_left, describe_days, ledger_note
from .normalize import shorten

WEEK = 7
SNIPPET = 60        # characters of a task's text shown in a digest item
KIND_LABELS = {"enter": "进入提醒期", "week": "一周内到期", "overdue": "期限已过"}
WEEKLY = "weekly:"  # a weekly overview's notices: kind "weekly:2022-W36" (see weekly.py)


@dataclass(frozen=True)
class Notice:
    task_key: str           # tasks.clause_id: stable across store rebuilds, unlike the integer id
    kind: str               # "enter" | "week" | "overdue" | "weekly:2022-W36" (a Monday overview)


@dataclass(frozen=True)
class Entry:
    """One task in a digest, in words: the renderer decides how each part looks."""
    group: str              # the heading of its group: "2022-06-30 到期", "⚠️ 期限已过"
    units: str              # who leads it ("（未列单位）" when the gazette names nobody)
    item: str               # its number in the document: "第2项"
    label: str              # the notice's kind in words ("一周内到期"), "" in an overview
    text: str               # the task, shortened
    when: str               # "还剩 5 天", or "2022-06-30 · 期限已过 4 天" where the date is shown
    citation: str
    notice: Notice


@dataclass(frozen=True)
class Digest:
    """One digest: a title ("📅 截止提醒" with its detail "（2022-06-20）：19 项"), what a message that continues
    it adds to the continued title, and its entries in order, grouped under their headings."""
    title: str
    detail: str
    continued_detail: str
    entries: list[Entry]


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


def entry(task: Mapping, notice: Notice, group: str, as_of: dt.date, dated: bool = False) -> Entry:
    """One task as a digest entry: unit, item number, the notice's kind (when it has a label), short text, days
    left (after the deadline itself when dated) and citation."""
    days = describe_days(task["deadline"], as_of)
    # the attached ledger giving another month ("（附件台账为2022年6月）") is said wherever the deadline is
    days += ledger_note(task.get("deadline_text"))
    return Entry(group=group, units="、".join(task["units"] or task["co_units"]) or "（未列单位）",
                 item=task["item"] or task["number"] or "", label=KIND_LABELS.get(notice.kind, ""),
                 text=shorten(task["text"], SNIPPET), when=f"{task['deadline']} · {days}" if dated else days,
                 citation=task["citation"] or task["doc_number"], notice=notice)


def compose(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date,
            following: tuple[str, str] = ("", "")) -> list[Digest]:
    """A chat's digests: the daily notices grouped by due date (earliest first), then each weekly overview
    on its own. following: what the chat's daily and weekly subscriptions follow, in words
    (subscriptions.following), said in each title so a chat with several knows what each digest covers."""
    notices = [n for n in notices if n.task_key in tasks]
    daily = [n for n in notices if not n.kind.startswith(WEEKLY)]
    digests = [_daily(tasks, daily, as_of)] if daily else []
    for kind in sorted({n.kind for n in notices} - {n.kind for n in daily}):
        digests.append(overview(tasks, [n for n in notices if n.kind == kind], as_of))
    said = [following[0]] * bool(daily) + [following[1]] * (len(digests) - bool(daily))
    return [replace(d, detail=f"{d.detail}（订阅：{what}）") if what else d for d, what in zip(digests, said)]


def _by_deadline(tasks: Mapping[str, Mapping], notices: list[Notice]) -> list[Notice]:
    return sorted(notices, key=lambda n: (tasks[n.task_key]["deadline"], tasks[n.task_key]["id"]))


def _daily(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date) -> Digest:
    notices = _by_deadline(tasks, notices)
    entries = [entry(tasks[n.task_key], n, f"{tasks[n.task_key]['deadline']} 到期", as_of) for n in notices]
    return Digest("📅 截止提醒", f"（{as_of.isoformat()}）：{len(notices)} 项", "", entries)


def overview(tasks: Mapping[str, Mapping], notices: list[Notice], as_of: dt.date) -> Digest:
    """One week's overview (notices of one weekly kind): what is overdue, then what is due this month."""
    week = notices[0].kind[len(WEEKLY):]
    notices = _by_deadline(tasks, notices)
    late = [n for n in notices if days_left(tasks[n.task_key]["deadline"], as_of) < 0]
    due = notices[len(late):]           # sorted by deadline: the overdue ones come first
    entries = [entry(tasks[n.task_key], n, group, as_of, dated=True)
               for group, chosen in (("⚠️ 期限已过", late), ("🗓 本月到期", due)) for n in chosen]
    return Digest("📋 每周到期汇总", f"（{week}，{as_of.isoformat()}）：本月到期 {len(due)} 项，"
                  f"上月以来期限已过 {len(late)} 项", f"（{week}）", entries)
