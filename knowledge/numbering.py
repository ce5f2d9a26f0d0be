"""Recognise how a line is numbered: 第X章, 一、, （一）, 1., 1.1.1, （1）, 第X条."""
from __future__ import annotations

import re
from typing import NamedTuple

CN_DIGITS = "零〇一二三四五六七八九十百"


class Numbering(NamedTuple):
    style: str    # chapter / article / cn / paren_cn / decimal / arabic / paren_arabic / bare_arabic
    number: str   # the number as printed, e.g. "四十六", "2.3.6", "9"
    rest: str     # the text after the number


_PATTERNS = [
    ("chapter", re.compile(rf"^第([{CN_DIGITS}]+)章\s*(.*)$")),
    ("article", re.compile(rf"^第([{CN_DIGITS}]+)条\s*(.*)$")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d%])\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN_DIGITS}]+)、\s*(.*)$")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]\s*(.*)$")),
    ("paren_arabic", re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[\.．、](?!\d)\s*(.*)$")),
    # "1 总则": a short title only, so that a page-split "30 个数字技术…" is not taken for a heading.
    ("bare_arabic", re.compile(r"^(\d{1,2})\s+([\u4e00-\u9fff]{2,12})$")),
]


def parse_numbering(line: str) -> Numbering | None:
    """The numbering a line starts with, or None."""
    text = line.strip()
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            return Numbering(style, m.group(1), m.group(2).strip())
    return None


def is_heading(line: str, subheading: re.Pattern | None = None) -> bool:
    """A numbered title line: starts a provision but carries no sentence of its own. subheading: the
    profile's unnumbered headings ("主要目标"), which count too."""
    n = parse_numbering(line)
    if n is None:
        return bool(subheading and subheading.match(line.strip()))
    return "。" not in line and len(line) < 60
