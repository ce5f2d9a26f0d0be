"""Department names: split a list as printed, and map every spelling to one canonical name."""
from __future__ import annotations

import re
from functools import lru_cache

from .datafiles import read_toml
from .normalize import search_key

_SPLIT = re.compile(r"[、，,；;]|\s{1,}(?=[区市通各相])")
_TRAILING = re.compile(r"(等部门|等单位|等)$")


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """search key of every known spelling -> canonical name."""
    data = read_toml("units.toml")
    table: dict[str, str] = {}
    for group in data.get("unit", []):
        table[search_key(group["name"])] = group["name"]
        for alias in [*group.get("aliases", []), *group.get("misprints", [])]:
            table[search_key(alias)] = group["name"]
    return table


def groups_of(unit: str) -> list[str]:
    """The names that take in this unit with others ("各乡镇", "相关乡镇" for 永乐店镇), from units.toml [groups]."""
    groups = _groups()
    return [] if unit in groups else [g for g, members in groups.items() if members.search(unit)]


@lru_cache(maxsize=1)
def _groups() -> dict[str, re.Pattern]:
    return {g: re.compile(m) for g, m in read_toml("units.toml").get("groups", {}).items()}


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """How English speakers name a department ("water affairs bureau"), as a search key -> canonical name."""
    data = read_toml("units.toml")
    return {search_key(e): group["name"] for group in data.get("unit", []) for e in group.get("english", [])}


@lru_cache(maxsize=1)
def english_display() -> dict[str, str]:
    """Name as printed (canonical or alias) -> the department's first English name, for English replies."""
    data = read_toml("units.toml")
    shown: dict[str, str] = {}
    for group in data.get("unit", []):
        if group.get("english"):
            # a proper name in title case; a description of several ("the townships concerned") as it is
            first = group["english"][0]
            title = first if first.startswith(("the ", "every ")) else " ".join(
                w if w in ("and", "of", "for", "the") else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
                for w in first.split())
            for name in [group["name"], *group.get("aliases", [])]:
                shown[name] = title
    return shown


@lru_cache(maxsize=1)
def english_display_pattern() -> re.Pattern | None:
    """Any name english_display knows, longest first (None when units.toml gives no English names)."""
    names = sorted(english_display(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def with_english_names(text: str) -> str:
    """Departments in an English line by their English name, the gazette's after it: "Responsible unit:
    Housing and Urban-Rural Development Commission (区住房城乡建设委)"."""
    pattern, shown = english_display_pattern(), english_display()

    def english(m: re.Match) -> str:
        name = m.group(0)
        # a line already in English ("Water Affairs Bureau (区水务局)", kept for the next page) stays as it is
        if text[max(0, m.start() - len(shown[name]) - 2):m.start()] == f"{shown[name]} (":
            return name
        # "宋庄镇13个": the figure after the name stays apart from its bracket
        after = " " if text[m.end():m.end() + 1].isalnum() else ""
        return f"{shown[name]} ({name}){after}"
    return pattern.sub(english, text) if pattern else text


@lru_cache(maxsize=1)
def short_names() -> dict[str, str]:
    """What staff type for a department ("城管") -> canonical name: for /unit and exports, where the whole
    input is a department, not for questions ("城管" is also a word of the gazette's text)."""
    data = read_toml("units.toml")
    return {search_key(s): group["name"] for group in data.get("unit", []) for s in group.get("short", [])}


@lru_cache(maxsize=1)
def _misprints() -> frozenset[str]:
    data = read_toml("units.toml")
    return frozenset(search_key(m) for group in data.get("unit", []) for m in group.get("misprints", []))


def shown_names(written: list[str]) -> list[str]:
    """Names as the gazette prints them, for people to read (a known misprint shows its canonical name)."""
    out: list[str] = []
    for name in written:
        name = _TRAILING.sub("", name.strip())
        shown = canonical_unit(name) if search_key(name) in _misprints() else name
        if shown and shown not in out:
            out.append(shown)
    return out


def canonical_unit(name: str) -> str:
    """The canonical name of a department as printed (unknown names are their own)."""
    name = _TRAILING.sub("", name.strip())
    return alias_table().get(search_key(name), name)


def split_names(text: str) -> list[str]:
    """Names in a printed list, in order, as printed (trailing 等部门 dropped)."""
    out = []
    for part in _SPLIT.split(text or ""):
        part = _TRAILING.sub("", part.strip(" 　:："))
        if part and part not in out:
            out.append(part)
    return out


def split_units(text: str) -> list[str]:
    """Canonical names in a printed list of departments, duplicates removed."""
    out: list[str] = []
    for name in split_names(text):
        canon = canonical_unit(name)
        if canon not in out:
            out.append(canon)
    return out
