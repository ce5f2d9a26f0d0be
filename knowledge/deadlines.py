"""Deadline wording ("2022 年 12 月底前", "2023年12月") to an ISO date: the last day of that month."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from .normalize import search_key

DEFAULT_DAYS = 30   # the span /due, "近期到期的任务" and an export without one list
MAX_DAYS = 3650     # ten years: a span beyond every deadline in a gazette, and no date overflow
_YEAR_MONTH = re.compile(r"(20\d{2})年(\d{1,2})月")
_YEAR_END = re.compile(r"(20\d{2})年(?:年)?底")


def parse_deadline(text: str | None) -> str | None:
    """Return the last day of the month the wording names, or None when it names none."""
    if not text:
        return None
    key = search_key(text)
    matches = list(_YEAR_MONTH.finditer(key))
    if matches:
        year, month = int(matches[-1].group(1)), int(matches[-1].group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    year_end = _YEAR_END.search(key)
    if year_end:
        return f"{year_end.group(1)}-12-31"
    return None


_LEDGER = re.compile(r"（附件台账为([^）]+)）")


def with_ledger(deadline_text: str, listed: str) -> str:
    """The deadline as the text words it, with the attached 台账's other month beside it."""
    return f"{deadline_text}（附件台账为{listed}）"


def ledger_note(deadline_text: str | None) -> str:
    """"（附件台账为2022年6月）" when the deadline carries the 台账's other month, else ""."""
    m = _LEDGER.search(deadline_text or "")
    return m.group(0) if m else ""


def ledger_deadline(deadline_text: str | None) -> str | None:
    """The last day of the 台账's other month (with_ledger), or None."""
    m = _LEDGER.search(deadline_text or "")
    return parse_deadline(m.group(1)) if m else None


DAYS_SHOWN = 100   # past this, a passed deadline is told in months or years


def clamp_days(days: int) -> int:
    """A span someone asked for (/due N, "今后 N 天", an export), kept within 1 to MAX_DAYS."""
    return max(1, min(int(days), MAX_DAYS))


def days_left(deadline: str, today: dt.date) -> int:
    """Days from today to the deadline; negative when it has passed."""
    return (dt.date.fromisoformat(deadline) - today).days


@lru_cache(maxsize=4096)   # a few hundred deadlines, asked about all day
def describe_days(deadline: str, today: dt.date) -> str:
    """还剩 N 天 / 今天到期 / 期限已过 N 天, or 约 N 个月 / 约 N 年 once the count of days says nothing more."""
    n = days_left(deadline, today)
    if n > 0:
        return f"还剩 {n} 天"
    if n == 0:
        return "今天到期"
    # "期限已过 1431 天" on every line of a 2022 plan read years later is noise: a resident wants "about 4 years".
    if -n < DAYS_SHOWN:
        return f"期限已过 {-n} 天"
    if -n < 365:
        return f"期限已过约 {round(-n / 30.44)} 个月"
    return f"期限已过约 {round(-n / 365.25)} 年"


def days_told(deadline: str, deadline_text: str | None, today: dt.date) -> str:
    """describe_days, and when the attached 台账 gives an earlier month that has passed while the text's has not,
    both: "附件台账期限已过 63 天；正文还剩 29 天" (a single answer must not hide the passed one)."""
    said = describe_days(deadline, today)
    ledger = ledger_deadline(deadline_text)
    if ledger and days_left(ledger, today) < 0 <= days_left(deadline, today):
        return f"附件台账{describe_days(ledger, today)}；正文{said}"
    return said


def deadline_range(db) -> tuple[str, str] | None:
    """(earliest, latest) task deadline in the knowledge store, None when no task has one."""
    row = db.execute("select min(deadline), max(deadline) from tasks where deadline is not null").fetchone()
    return (row[0], row[1]) if row and row[0] else None


def past_note(span: tuple[str, str] | None, today: dt.date, admin: bool = True) -> str | None:
    """One line when every deadline is before today; else None. For the operator (admin=True: logs, the CLI)
    it says how to replay the gazette's year; chat users are not told about configuration files."""
    if span is None or dt.date.fromisoformat(span[1]) >= today:
        return None
    note = f"注意：公报里的任务截止日期都已过去（最晚 {span[1]}，今天 {today.isoformat()}），所以没有即将到期的任务。"
    if not admin:
        return note + "可以直接问某项任务的完成时限，或发送 /unit 单位名 查看它的全部任务。"
    replay = f"{span[0][:4]}-01-01"
    return note + f"要按公报当年的日期查看，请在 config.toml 的 [bot] 设置 as_of = \"{replay}\"，或运行时加 --as-of {replay}。"
