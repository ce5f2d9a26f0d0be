"""Task listings as files: an iCalendar file (one all-day event per task on its deadline) or CSV.

The tasks come from the engine's own listings (Engine.due, Engine.unit_tasks, the leader listing), so a file
holds what /due, /unit and "倪德才牵头哪些任务" show. Event UIDs are derived from the 文号 and the item, never
from row ids, which change when the store is rebuilt: importing a newer export updates the events an
older one created instead of adding them twice.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .deadlines import DEFAULT_DAYS, clamp_days
from .listings import unknown_unit
from .normalize import shorten

if TYPE_CHECKING:
    from .engine import Engine

FORMATS = ("ics", "csv")
EVERYTHING = 1_000_000       # a listing's limit that no listing reaches
# Fixed when the first calendars were exported: a new domain would make every event a new one in the calendars
# people imported them into, so it stays, whichever gazette the tasks come from.
UID_DOMAIN = "gazette-bot.tongzhou"
SUMMARY = 40                 # characters of a task's text in a calendar event's title
CSV_COLUMNS = ("截止日期", "剩余", "主责单位", "协办单位", "牵头领导", "事项", "内容", "完成时限", "文号", "出处", "UID")
# the issue in a citation, "《…》第3项（文号，<cited_as>2022年第1期约第30页）", whatever the profile calls the gazette
_ISSUE = re.compile(r"，([^，（）《》]*?\d{4}年第\d+期)(?:约?第\d+页)?）")


class ExportError(ValueError):
    """What was asked for names nothing in the gazette; the message says so in words for people."""


@dataclass
class Listing:
    title: str                # "区住房城乡建设委 · 今后 30 天内到期"
    tasks: list[dict]         # answers, in the listing's order
    as_of: dt.date
    name: str                 # a file name stem: "区住房城乡建设委-2022-09-01"
    publication: str = "公报"  # the gazette's name for people, from its profile ([gazette] name)

    @property
    def dated(self) -> list[dict]:
        return [t for t in self.tasks if t.get("deadline")]


def leader_tasks(engine: Engine, name: str) -> tuple[str | None, list[dict]]:
    """The engine's leader listing ("X 牵头哪些任务"): (the leader's name, the answers), or (None, [])."""
    result = engine.ask(f"{name.strip()}牵头哪些任务", limit=EVERYTHING)
    if result.get("intent") != "leader_list" or not result["answers"]:
        return None, []
    # the lead names the leader as the gazette writes the name ("倪德才 牵头：共 17 项")
    found = next((n for n in engine.leader_names if n in (result.get("lead") or "")), name.strip())
    return found, result["answers"]


def select(engine: Engine, unit: str | None = None, leader: str | None = None, days: int | None = None) -> Listing:
    """The tasks of a unit and/or a leader, optionally only those due within days; with neither, what /due
    lists (days, default 30). Raises ExportError for a unit or leader the gazette does not know."""
    as_of = engine.today
    parts: list[str] = []
    tasks: list[dict] | None = None
    if days is not None:
        days = clamp_days(days)
    if unit:
        found, tasks = engine.unit_tasks(unit)
        if found is None:
            raise ExportError(unknown_unit(unit))
        parts.append(found)
    if leader:
        found, led = leader_tasks(engine, leader)
        if found is None:
            raise ExportError(f"公报中没有找到“{leader}”牵头的任务。")
        parts.append(f"{found} 牵头")
        ids = {t["id"] for t in led}
        tasks = led if tasks is None else [t for t in tasks if t["id"] in ids]
    if tasks is None:
        days = days or DEFAULT_DAYS
        tasks = engine.due(days)
    elif days is not None:
        end = as_of + dt.timedelta(days=days)
        # the window Engine.due uses: from today to today + days, both included
        tasks = [t for t in tasks if t.get("deadline") and as_of <= dt.date.fromisoformat(t["deadline"]) <= end]
    if days is not None:
        parts.append(f"今后 {days} 天内到期")
    stem = "-".join(p.replace(" ", "") for p in parts) or "tasks"
    return Listing(" · ".join(parts), list(tasks), as_of, f"{stem}-{as_of.isoformat()}", engine.publication)


def task_uid(task: Mapping, salt: str = "") -> str:
    """A UID that stays the same across store rebuilds and exports: a hash of the 文号 and the item."""
    key = f"{task.get('doc_number') or ''}|{task.get('item') or ''}{salt}"
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()[:24]}@{UID_DOMAIN}"


def uids(tasks: Iterable[Mapping]) -> list[str]:
    """UIDs for tasks in order; a 文号 + item that occurs twice (one item, two rows) adds the text to tell them apart."""
    out, seen = [], set()
    for t in tasks:
        uid = task_uid(t)
        if uid in seen:
            uid = task_uid(t, "|" + (t.get("passage") or t.get("text") or ""))
        seen.add(uid)
        out.append(uid)
    return out


def _units(task: Mapping) -> str:
    return "、".join(task.get("units") or []) or "（未列单位）"


def _words(task: Mapping) -> str:
    """The task's own words on one line: a livelihood item's text ends with its 牵头领导 line, which the event
    and the CSV say in their own field."""
    passage = task.get("passage") or ""
    if task.get("leaders"):
        passage = re.sub(r"\s*牵头领导[:：][^\n]*$", "", passage)
    return " ".join(passage.split())


def describe(task: Mapping) -> str:
    """An event's description: item, units, leaders, the task's text, the deadline as written, the citation."""
    lines = [f"事项：{task.get('item') or '—'}", f"主责单位：{_units(task)}"]
    if task.get("co_units"):
        lines.append(f"{task.get('co_label') or '协办单位'}：" + "、".join(task["co_units"]))   # 8号文's are 责任单位
    if task.get("leaders"):
        lines.append("牵头领导：" + "、".join(task["leaders"]))
    lines.append("")
    lines.append(_words(task))
    if task.get("deadline_text"):
        lines.append(f"完成时限：{task['deadline_text']}")
    lines.append(f"出处：{task.get('citation') or task.get('doc_number') or ''}")
    return "\n".join(lines)


def to_ics(listing: Listing, stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file: one all-day, free-time event per task with a deadline, on that day."""
    from icalendar import Calendar, Event

    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", f"-//gazette-bot//{listing.publication}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{listing.publication}任务" + (f"：{listing.title}" if listing.title else ""))
    tasks = listing.dated
    for task, uid in zip(tasks, uids(tasks)):
        day = dt.date.fromisoformat(task["deadline"])
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))    # all-day events end the next day (exclusive)
        event.add("summary", f"{_units(task)} {task.get('item') or ''}：{shorten(task.get('passage') or '', SUMMARY)}")
        event.add("description", describe(task))
        event.add("categories", [task.get("doc_number") or "公报"])
        event.add("transp", "TRANSPARENT")                  # a deadline does not make anyone busy
        cal.add_component(event)
    return cal.to_ical()


def to_csv(listing: Listing) -> bytes:
    """CSV of every task of the listing (those without a deadline too), UTF-8 with a BOM so Excel reads Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for task, uid in zip(listing.tasks, uids(listing.tasks)):
        writer.writerow([task.get("deadline") or "", task.get("days_left") or "", _units(task),
                         "、".join(task.get("co_units") or []), "、".join(task.get("leaders") or []),
                         task.get("item") or "", _words(task),
                         task.get("deadline_text") or "", task.get("doc_number") or "", task.get("citation") or "",
                         uid if task.get("deadline") else ""])
    return buf.getvalue().encode("utf-8-sig")


def render(listing: Listing, fmt: str) -> bytes:
    """The listing in a format of FORMATS."""
    if fmt == "ics":
        return to_ics(listing)
    if fmt == "csv":
        return to_csv(listing)
    raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def export(engine: Engine, fmt: str, unit: str | None = None, leader: str | None = None,
           days: int | None = None) -> tuple[bytes, Listing]:
    """The file's bytes and the listing it holds; what `gazette-bot export` and /due ics, /unit X ics call."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    listing = select(engine, unit=unit, leader=leader, days=days)
    return render(listing, fmt), listing


def sources(tasks: Iterable[Mapping]) -> str:
    """Where the tasks are from: the issue, then each document and its items,
    '<cited_as>2022年第1期：《…》（文号）第13项、第14项；…' (the issue first, so a cut caption keeps it)."""
    docs: dict[str, tuple[str, list[str]]] = {}
    issues: list[str] = []
    for t in tasks:
        number = t.get("doc_number") or ""
        title, items = docs.setdefault(number, (t.get("doc_title") or "", []))
        if t.get("item") and t["item"] not in items:
            items.append(t["item"])
        issue = _ISSUE.search(t.get("citation") or "")
        if issue and issue.group(1) not in issues:
            issues.append(issue.group(1))
    parts = [f"《{title}》（{number}）" + "、".join(items) if title else number + "、".join(items)
             for number, (title, items) in docs.items()]
    return (f"{'、'.join(issues)}：" if issues else "") + "；".join(parts)
