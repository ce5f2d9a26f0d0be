"""Amounts said in Chinese numerals, written as the gazette prints them ("一万五千人" -> "1.5万人", "三百张" -> "300张").

Residents type the figures of a question in words; the gazette prints them in digits. Only an amount with a
measure word after it is rewritten, so names and set phrases ("十四五时期", "一体化", "万一") stay as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .datafiles import read_toml

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    units = "|".join(re.escape(u) for u in _measures() if not u.startswith("万"))
    numeral = "[零〇一二两三四五六七八九十百千万]"
    # at least one of 十百千万 and one digit: "一万五千", "三百", "十五"; "多"/"余" may follow ("两万多人")
    return re.compile(rf"(?<![\d.零〇一二两三四五六七八九十百千万])({numeral}*[十百千万]{numeral}*)(多|余)?(?=(?:{units}))")


def value(numeral: str) -> int | None:
    """"一万五千" -> 15000, "一万五" -> 15000 (the next unit down is understood), "十五" -> 15, None if unreadable."""
    total, section, digit, last_unit = 0, 0, None, None
    for ch in numeral:
        if ch in "零〇":
            last_unit = 10   # "一百零三": the digit after 零 is a unit's digit
            continue
        if ch in _DIGIT:
            if digit is not None:
                return None   # "一二": not an amount
            digit = _DIGIT[ch]
        elif ch == "万":
            total = (section + (digit or 0)) * 10_000 if (section or digit) else 10_000
            section, digit, last_unit = 0, None, 10_000
        else:
            unit = _UNIT[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit is not None:
        # "一万五" is 15000 and "三千五" 3500: a digit after a unit counts in the next unit down
        section += digit * (last_unit // 10 if last_unit and last_unit >= 100 else 1)
    return total + section


def _printed(n: int) -> str:
    if n >= 10_000 and n % 1000 == 0:
        return f"{n / 10_000:g}万"
    return str(n)


def in_digits(key: str) -> str:
    """The normalised question with each spoken amount before a measure word printed in digits."""
    if not any(ch in _UNIT for ch in key):
        return key

    def rewrite(m: re.Match) -> str:
        n = value(m.group(1))
        return m.group(0) if n is None else _printed(n) + (m.group(2) or "")

    return _pattern().sub(rewrite, key)


_NUMERAL_OF = dict(zip("123456789", "一二三四五六七八九"))
_DIGIT_OF = {v: k for k, v in _NUMERAL_OF.items()}
# a lone digit or numeral inside a name ("东6环", "地铁六号线"); not an item, article or chapter number, which
# references.py reads in either form
_IN_NAME = re.compile(r"(?:(?<=([\u4e00-\u9fff]))|^)(?<!第)([1-9一二三四五六七八九])(?=([\u4e00-\u9fff]))(?![项条章节款])")


def as_gazette_names(key: str, gazette_says) -> str:
    """"东6环" -> "东六环", "六号线" -> "6号线": a number inside a name written the way the gazette writes that
    name, when the gazette says the name only the other way (gazette_says: some passage holds these words).
    A number before a measure word is an amount, which stays in digits ("开一次" is 1次 already)."""
    def rewrite(m: re.Match) -> str:
        number, ahead = m.group(2), key[m.end():m.end() + 2]
        if number in _DIGIT_OF:
            if not ahead.startswith("号"):   # "六号线", "三号楼": the gazette numbers lines and buildings in digits
                return number
            other = _DIGIT_OF[number]
        elif any(key.startswith(u, m.end()) for u in _measures()):
            return number
        else:
            other = _NUMERAL_OF[number]
        # the name around the number: with the character before it ("东6环") or the two after ("坐六号线")
        for before, after in (((m.group(1) or ""), m.group(3)), ("", ahead)):
            if len(before + after) >= 2 and gazette_says(before + other + after) \
                    and not gazette_says(before + number + after):
                return other
        return number

    return _IN_NAME.sub(rewrite, key)


@lru_cache(maxsize=1)
def _measures() -> tuple[str, ...]:
    return tuple(read_toml("figures.toml")["units"])
