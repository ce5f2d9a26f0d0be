"""Deadline subscriptions of chats: what a chat follows (everything, a unit, a leader, a document), how far
ahead, and how often: the daily notices, the Monday overview (weekly), or both.

The table lives in people's database (people.py), which no rebuild of the knowledge store touches; values are
canonical names and 文号, never task ids, so they keep meaning the same thing after a rebuild. Lookups of
names (resolve_filter, suggestions) read the knowledge store, or a connection that has it attached.
"""
from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping

import sqlite_utils

from . import clock
from .deadlines import MAX_DAYS
from .normalize import search_key
from .references import document_by_short_number
from .units import alias_table, canonical_unit, short_names

TABLE = "subscriptions"
KINDS = ("all", "unit", "leader", "doc")
KIND_LABELS = {"all": "全部任务", "unit": "单位", "leader": "区领导", "doc": "文件"}
ALL_WORDS = {"all", "全部", "所有", "*"}
MAX_HORIZON = MAX_DAYS
CADENCES = ("daily", "weekly", "both")
# daily by default: its notices come only when something changes (a task enters the horizon, reaches the
# 7-day mark, goes overdue), each once, so a new subscriber is never flooded; weekly repeats the month's list
# every Monday, which suits a planning meeting but is noise to someone who only wants to be told when to act.
# Subscriptions made before cadences existed are daily as well: they keep working as they did.
DEFAULT_CADENCE = "daily"
CADENCE_LABELS = {"daily": "每日提醒", "weekly": "每周一汇总", "both": "每日提醒 + 每周一汇总"}
CADENCE_WORDS = {"daily": "daily", "每天": "daily", "每日": "daily", "weekly": "weekly", "每周": "weekly",
                 "周报": "weekly", "both": "both", "都要": "both", "两者": "both"}

_BRACKETS = re.compile(r"[〔〕\[\]()（）【】{}]")


def ensure_table(db: sqlite_utils.Database) -> None:
    """Create the table on first use (a store built before subscriptions existed has none)."""
    db[TABLE].create({"chat_id": int, "kind": str, "value": str, "horizon_days": int, "active": int,
                      "created": str, "updated": str, "cadence": str},
                     pk=("chat_id", "kind", "value"), not_null={"chat_id", "kind", "value", "cadence"},
                     defaults={"cadence": DEFAULT_CADENCE}, if_not_exists=True)
    if "cadence" not in db[TABLE].columns_dict:     # a store from before cadences: its rows become daily
        db[TABLE].add_column("cadence", str, not_null_default=DEFAULT_CADENCE)
    db[TABLE].create_index(["active"], if_not_exists=True)


def cadence_of(row: Mapping) -> str:
    """A subscription's cadence; a row read from a table not yet migrated has none and is daily."""
    return row.get("cadence") or DEFAULT_CADENCE


def split_cadence(words: list[str]) -> tuple[list[str], str | None]:
    """The words after /subscribe without a cadence word (weekly, 每周, both...), and that cadence (or None)."""
    found = None
    rest = []
    for word in words:
        if word.lower() in CADENCE_WORDS:
            found = CADENCE_WORDS[word.lower()]
        else:
            rest.append(word)
    return rest, found


def _has(db: sqlite_utils.Database, table: str) -> bool:
    """The table is in the main file or an attached one (db[table].exists() looks at main only)."""
    return bool(db.execute("select 1 from pragma_table_list where name = ?", [table]).fetchone())


def doc_key(text: str) -> str:
    """文号 as compared: 〔2022〕, [2022], (2022) and （2022） all mean the same year bracket."""
    return _BRACKETS.sub("", search_key(text))


def resolve_filter(db: sqlite_utils.Database, text: str) -> tuple[str, str] | None:
    """(kind, value) for what a person typed after /subscribe, or None when the gazette knows no such thing.

    An empty text or "all" means every task. Units go through canonical_unit so 区住建委 and
    区住房城乡建设委 are one subscription; a unit typed without the 区 prefix (水务局) is tried with it, and
    a short name staff use ("城管") as /unit takes it.
    """
    text = text.strip()
    if not text or search_key(text) in ALL_WORDS:
        return ("all", "")
    key = doc_key(text)
    numbers = [row["doc_number"] for row in db.query("select doc_number from documents")]
    for number in numbers:
        if doc_key(number) == key:
            return ("doc", number)
    short = document_by_short_number(text, numbers)   # "2号文", "办发8号", as questions name documents
    if short:
        return ("doc", short)
    if _has(db, "leaders") and db["leaders"].count_where("name = ?", [text]):
        return ("leader", text)
    # what staff type for a department ("城管"), as /unit and exports take it
    for candidate in (text, "区" + text, short_names().get(search_key(text), "")):
        name = canonical_unit(candidate) if candidate else ""
        if name and db["units"].count_where("name = ?", [name]):
            return ("unit", name)
    return None


def suggestions(db: sqlite_utils.Database, text: str, limit: int = 3) -> list[str]:
    """Unit and leader names to offer when a filter is unknown: names or aliases containing what was typed
    (住建 -> 区住房城乡建设委 through its alias 区住建委), else the closest spellings."""
    key = search_key(text)
    if not key:
        return []
    spelling: dict[str, str] = {}           # search key of a name or alias -> name to offer
    for r in db.query("select name, aliases from units where task_count > 0"):
        for written in [r["name"], *json.loads(r["aliases"] or "[]")]:
            spelling[search_key(written)] = r["name"]
    known = set(spelling.values())
    spelling.update({k: name for k, name in alias_table().items() if name in known})
    if _has(db, "leaders"):
        spelling.update({search_key(r["name"]): r["name"] for r in db.query("select name from leaders")})
    hits = [name for k, name in spelling.items() if key in k or k in key]
    if not hits:
        from rapidfuzz import fuzz, process
        found = process.extract(key, list(spelling), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=50)
        hits = [spelling[k] for k, _score, _i in found]
    return list(dict.fromkeys(hits))[:limit]


def add(db: sqlite_utils.Database, chat_id: int, kind: str, value: str, horizon_days: int,
        cadence: str | None = None) -> dict:
    """Subscribe (or re-subscribe, which reactivates and updates the horizon); returns the stored row.
    cadence None keeps a re-subscribed row's cadence (a new row gets DEFAULT_CADENCE)."""
    if kind not in KINDS:
        raise ValueError(f"unknown subscription kind {kind!r}")
    if cadence is not None and cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}")
    horizon_days = max(0, min(int(horizon_days), MAX_HORIZON))
    ensure_table(db)
    now = clock.now()
    with db.atomic():
        existing = find(db, chat_id, kind, value)
        row = {"chat_id": chat_id, "kind": kind, "value": value, "horizon_days": horizon_days, "active": 1,
               "created": existing["created"] if existing else now, "updated": now,
               "cadence": cadence or (existing["cadence"] if existing else None) or DEFAULT_CADENCE}
        db[TABLE].upsert(row, pk=("chat_id", "kind", "value"))
    return row


def find(db: sqlite_utils.Database, chat_id: int, kind: str, value: str) -> dict | None:
    """The chat's subscription to this filter (a paused one too), if it has one."""
    if not db[TABLE].exists():
        return None
    rows = list(db[TABLE].rows_where("chat_id = ? and kind = ? and value = ?", [chat_id, kind, value]))
    return rows[0] if rows else None


def remove(db: sqlite_utils.Database, chat_id: int, kind: str | None = None, value: str | None = None) -> int:
    """Delete one subscription of a chat, or all of them when kind is None; returns how many went."""
    ensure_table(db)
    with db.atomic():
        if kind is None:
            cur = db.execute(f"delete from [{TABLE}] where chat_id = ?", [chat_id])
        else:
            cur = db.execute(f"delete from [{TABLE}] where chat_id = ? and kind = ? and value = ?",
                             [chat_id, kind, value])
    return cur.rowcount


def list_for_chat(db: sqlite_utils.Database, chat_id: int, active_only: bool = True,
                  with_rowid: bool = False) -> list[dict]:
    """A chat's subscriptions in the order they were made; with_rowid adds each row's `rowid`, which a button
    can carry to name one of them (remove_row)."""
    if not db[TABLE].exists():      # readers never create tables
        return []
    where = "chat_id = ?" + (" and active = 1" if active_only else "")
    return list(db[TABLE].rows_where(where, [chat_id], order_by="created, kind, value",
                                     select="rowid, *" if with_rowid else "*"))


def row_check(row: Mapping) -> int:
    """A short number for what a subscription follows: a button carries it with the rowid, since SQLite gives
    a deleted row's rowid to the next one made and an old button must not cancel that newer one."""
    return zlib.crc32(f"{row['kind']}|{row['value']}".encode("utf-8")) & 0x7FFFFFFF


def remove_row(db: sqlite_utils.Database, chat_id: int, rowid: int, check: int) -> dict | None:
    """Delete the chat's subscription with this rowid, if it still follows what check says; the row it was, or
    None when there is no such row (cancelled already, another chat's, or a newer one in its place)."""
    if not db[TABLE].exists():
        return None
    with db.atomic():
        rows = [r for r in db[TABLE].rows_where("rowid = ? and chat_id = ?", [rowid, chat_id]) if row_check(r) == check]
        if rows:
            db.execute(f"delete from [{TABLE}] where rowid = ? and chat_id = ?", [rowid, chat_id])
    return rows[0] if rows else None


def active(db: sqlite_utils.Database) -> dict[int, list[dict]]:
    """Every chat with at least one active subscription -> its active subscriptions."""
    if not db[TABLE].exists():
        return {}
    out: dict[int, list[dict]] = {}
    for row in db[TABLE].rows_where("active = 1", order_by="chat_id, created"):
        out.setdefault(row["chat_id"], []).append(row)
    return out


def paused(db: sqlite_utils.Database, chat_id: int) -> bool:
    """The chat has subscriptions and none is active: it blocked or removed the bot and may be coming back."""
    if not db[TABLE].exists():
        return False
    row = db.execute(f"select count(*), coalesce(sum(active), 0) from [{TABLE}] where chat_id = ?",
                     [chat_id]).fetchone()
    return row[0] > 0 and row[1] == 0


def deactivate_chat(db: sqlite_utils.Database, chat_id: int) -> int:
    """Stop sending to a chat that blocked or removed the bot; rows stay so /mysubs can show what was paused."""
    ensure_table(db)
    with db.atomic():
        cur = db.execute(f"update [{TABLE}] set active = 0, updated = ? where chat_id = ? and active = 1",
                         [clock.now(), chat_id])
    return cur.rowcount


def migrate_chat(db: sqlite_utils.Database, old_chat_id: int, new_chat_id: int) -> int:
    """Move a group's subscriptions to its supergroup id; one the new id already has wins over the old one."""
    ensure_table(db)
    with db.atomic():
        cur = db.execute(f"update or ignore [{TABLE}] set chat_id = ?, updated = ? where chat_id = ?",
                         [new_chat_id, clock.now(), old_chat_id])
        db.execute(f"delete from [{TABLE}] where chat_id = ?", [old_chat_id])
    return cur.rowcount


def following(db: sqlite_utils.Database, chat_id: int) -> tuple[str, str]:
    """What a chat follows, in few words, for the titles of its daily and of its weekly digests:
    ("区住房城乡建设委", "区住房城乡建设委、倪德才"); "全部任务" for everything."""
    rows = list_for_chat(db, chat_id)

    def said(cadences: tuple[str, ...]) -> str:
        return "、".join(dict.fromkeys(r["value"] or KIND_LABELS[r["kind"]] for r in rows if cadence_of(r) in cadences))
    return said(("daily", "both")), said(("weekly", "both"))


def describe(row: dict) -> str:
    """One subscription in words, as /mysubs and the confirmations show it."""
    what = KIND_LABELS[row["kind"]] + (f" {row['value']}" if row["value"] else "")
    how = cadence_of(row)
    if how == "weekly":     # the Monday overview covers the month, whatever the horizon
        return f"{what} · {CADENCE_LABELS[how]}"
    return f"{what} · 提前 {row['horizon_days']} 天 · {CADENCE_LABELS[how]}"
