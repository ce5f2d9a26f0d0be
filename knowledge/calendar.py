"""Calendar words in a question ("本周", "下个月", "年底前", "三季度", "上半年", "2022年9月", "2024年") as date ranges
counted from today, or in the year the question names.

Which words mean which period is data (intents.toml [periods]); only the date arithmetic is here.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .datafiles import read_toml
from .references import cn_number


@lru_cache(maxsize=1)
def _periods() -> list[tuple[re.Pattern, str]]:
    data = read_toml("intents.toml")
    return [(re.compile(pattern), kind) for kind, pattern in data["periods"].items()]


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


_NEXT_YEAR = re.compile(r"明年|下一年|nextyear")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?:年|(?!\d))")   # "2022年", or "2022" in English
OVERDUE = "期限已过"
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]


def _month_number(m: re.Match) -> int | None:
    """The month a [periods] match names, in English or in figures or Chinese numerals."""
    n = _MONTHS.index(m.group("en")) + 1 if m.group("en") else cn_number(m.group("m"))
    return n if n and n <= 12 else None


def period(key: str, today: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, how to say it) of the period the normalised question names, or None. A year the
    question names ("2022年上半年") is the year of the period; otherwise this year."""
    named = _YEAR.search(key)
    for pattern, kind in _periods():
        m = pattern.search(key)
        if not m:
            continue
        # "明年3月", "明年上半年": next year's month or half, as "2023年3月" is
        year = int(named.group(1)) if named else today.year + 1 if _NEXT_YEAR.search(key) else today.year
        if kind == "overdue":   # every deadline before today: the gazette plans them, it records no completion
            return dt.date(1900, 1, 1), today - dt.timedelta(days=1), OVERDUE
        if kind == "by_month":
            n = _month_number(m)
            if n is None:
                continue
            # "9月底前", "by September": to its end; "9月前", "before September": to the end of August
            before = not m.group("end") if m.group("m") else key[:m.start()].endswith("before")
            end = _month_end(dt.date(year, n, 1)) if not before else dt.date(year, n, 1) - dt.timedelta(days=1)
            said = f"{year}年{n}月底前" if not before else f"{year}年{n}月前"
            return (today if today <= end else dt.date(year, 1, 1)), end, said
        if kind == "month":
            n = _month_number(m)   # 9, 09, 九, 十一
            if n is None:
                continue
            start = dt.date(year, n, 1)
            return start, _month_end(start), f"{year}年{n}月"
        if kind in ("year", "this_year", "next_year"):   # "今年到期", "明年到期": the year's, as "2022年到期" is
            return dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年"
        if named and kind in ("this_week", "next_week", "this_month", "next_month", "this_quarter", "next_quarter",
                              "last_quarter"):
            continue   # "2022年本月" says nothing more than the year
        if kind == "year_end" and named:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年底前"
        if kind == "this_week":
            return today, today + dt.timedelta(days=6 - today.weekday()), "本周"
        if kind == "next_week":
            start = today + dt.timedelta(days=7 - today.weekday())
            return start, start + dt.timedelta(days=6), "下周"
        if kind == "this_month":
            return today, _month_end(today), f"本月（{today.month}月）"
        if kind == "next_month":
            start = _month_end(today) + dt.timedelta(days=1)
            return start, _month_end(start), f"下个月（{start.month}月）"
        if kind == "year_end":
            return today, dt.date(year, 12, 31), f"{year}年底前"
        if kind == "first_half":
            return dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}年上半年"
        if kind == "second_half":
            return dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}年下半年"
        if kind == "last_quarter":
            n = (today.month - 1) // 3   # 0: the last quarter of the year before
            y, n = (today.year - 1, 4) if n == 0 else (today.year, n)
            return dt.date(y, 3 * n - 2, 1), _month_end(dt.date(y, 3 * n, 1)), f"上个季度（{y}年第{n}季度）"
        if kind in ("this_quarter", "next_quarter"):
            n = (today.month - 1) // 3 + 1 + (kind == "next_quarter")
            y, n = (today.year + 1, 1) if n == 5 else (today.year, n)
            start = dt.date(y, 3 * n - 2, 1)
            return (today if kind == "this_quarter" else start), _month_end(dt.date(y, 3 * n, 1)), \
                f"{'本' if kind == 'this_quarter' else '下个'}季度（{y}年第{n}季度）"
        if kind == "quarter":
            n = "一二三四1234".index(m.group("n")) % 4 + 1
            start = dt.date(year, 3 * n - 2, 1)
            return start, _month_end(dt.date(year, 3 * n, 1)), f"{year}年第{n}季度"
    return None
