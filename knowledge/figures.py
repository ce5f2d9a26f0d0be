"""The number and unit a target states ("家庭照护床位300张" -> 300, "张")."""
from __future__ import annotations

import re
from functools import lru_cache

from .datafiles import read_toml


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    data = read_toml("figures.toml")
    units = "|".join(re.escape(u) for u in data["units"])
    # "20xx年" is a date, not a figure; "7/10万" is a rate.
    return re.compile(rf"(?<![\d.])(?!20\d\d年)(\d+(?:\.\d+)?(?:/\d+)?)\s*(?:(万|亿|千)\s*({units})?|({units}))")


@lru_cache(maxsize=8192)   # the same sentences of the same passages are asked about again and again
def extract_figure(text: str) -> tuple[str | None, str | None]:
    """(value, unit) of the first figure in text, e.g. ("4", "万个"), or (None, None)."""
    for m in _pattern().finditer(text or ""):
        value, scale, unit = m.group(1), m.group(2) or "", m.group(3) or m.group(4) or ""
        if unit == "年" and not scale:
            continue  # "5年" is a period, rarely the goal itself
        return value, scale + unit
    return None, None
