"""Undo what the print extraction did: lines split by page breaks and hard wraps, stray markup.

The result is a list of logical lines (one paragraph, heading, label or table row each) that keep the
original characters for display and remember the line number they started on.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .normalize import search_key
from .numbering import is_heading, parse_numbering
from .profile import Profile

_STRUCTURAL = {"目录", "前言", "附件"}
_TERMINAL = "。！？；!?;"
_MARKUP = re.compile(r"\*\*|</?p>")


@dataclass
class Line:
    text: str
    lineno: int
    is_table: bool = False

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.text.split("\t")]


def _clean(raw: str) -> str:
    return _MARKUP.sub("", raw).rstrip()


def _unbalanced(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _starts_block(text: str, profile: Profile) -> bool:
    return bool(parse_numbering(text) or profile.label.match(text) or profile.subheading.match(text))


def _continues(prev: str, nxt: str, across_blank: bool, profile: Profile) -> bool:
    """Whether nxt is the rest of prev's sentence, cut by a page break or a hard wrap."""
    if not prev or not nxt:
        return False
    if _unbalanced(prev) and not _starts_block(nxt, profile):
        return True
    if _starts_block(nxt, profile) or search_key(nxt) in _STRUCTURAL:
        return False
    last = prev[-1]
    if last in _TERMINAL or last in ")）":
        return False
    if profile.label.match(prev):
        return True  # "主责单位：…分" + "局": a department's name cut by the page
    if is_heading(prev, profile.subheading) or last in "：:":
        return False
    if across_blank and len(prev) <= 20 and not re.search(r"[，、。；：,]", prev):
        return False  # a title or signature line: the issuer's name
    return True


def repair_lines(raw_lines: str | Iterable[tuple[int, str]], profile: Profile,
                 titles: Iterable[str] = ()) -> list[Line]:
    """Join split lines into logical lines; tables stay one row per line.

    Takes a whole text, or (line number, line) pairs of a part of one. A line that is one of
    `titles` is never continued by the next line; the profile says which lines are task labels and headings.
    """
    title_keys = {search_key(t) for t in titles if t}
    if isinstance(raw_lines, str):
        raw_lines = enumerate(raw_lines.splitlines(), start=1)
    out: list[Line] = []
    blank_since_last = False
    for lineno, raw in raw_lines:
        text = _clean(raw)
        if not text.strip():
            blank_since_last = True
            continue
        if "\t" in raw.strip(" \r\n"):
            out.append(Line(_MARKUP.sub("", raw).strip(" \r\n"), lineno, is_table=True))
            blank_since_last = False
            continue
        text = text.strip()
        prev = out[-1] if out else None
        if prev is not None and not prev.is_table and search_key(prev.text) not in title_keys \
                and _continues(prev.text, text, blank_since_last, profile):
            prev.text += text
        else:
            out.append(Line(text, lineno))
        blank_since_last = False
    return out
