"""Short names a document defines ("通州区突发事件应急委员会（以下简称区应急委）") and then uses throughout.

Residents say the long name, or its end ("应急委员会的主任是谁"); the passages that answer say the short one
("主任由区长担任", under "区应急委由主任、副主任…组成"). A question's long name is read as the short name, so the
words meet.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .normalize import search_key

# the long name runs back from the bracket to the start of its clause
_DEFINED = re.compile(r"([\u4e00-\u9fff]{4,30})[（(]以下简称“?([\u4e00-\u9fff]{2,10})”?[）)]")
SHORTEST_TAIL = 4   # characters of the long name's end that still name it ("应急委员会"); "委员会" names many


def _abbreviates(short: str, long: str) -> bool:
    """Every character of the short name stands in the long one, in order: 区应急委 in 通州区突发事件应急委员会;
    not 区应急办 in 办公室设在区应急管理局 (a clause that only mentions where the office sits)."""
    at = 0
    for ch in short:
        at = long.find(ch, at) + 1
        if at == 0:
            return False
    return True


def defined_short_names(texts: Iterable[str]) -> dict[str, str]:
    """Each long name the texts define a short name for, and each end of it of SHORTEST_TAIL characters or
    more, mapped to the short name; the longest first."""
    table: dict[str, str] = {}
    for text in texts:
        for long, short in _DEFINED.findall(search_key(text)):
            if not _abbreviates(short, long) or short in long:
                continue
            for k in range(len(long) - SHORTEST_TAIL + 1):
                table.setdefault(long[k:], short)
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def as_short_names(key: str, table: dict[str, str]) -> tuple[str, list[str]]:
    """The normalised question with each long name (or its end) read as the short name the gazette uses for
    it, and what was read so ("应急委员会 → 区应急委")."""
    read = []
    for long, short in table.items():
        if long in key:
            key = key.replace(long, short)
            read.append(f"{long} → {short}")
    return key, read
