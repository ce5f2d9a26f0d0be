"""What a stored query means: a question for the engine, or a /unit or /due listing.

The commands and the "更多结果" button both go through run(), so page 2 of /unit is the same list
as page 1, whatever happened in between.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.engine import Engine

UNIT, DUE = "/unit ", "/due "
MAX_DAYS = 3650     # ten years: far beyond any deadline in the gazette, and no date overflow


def unit_query(name: str) -> str:
    return UNIT + name


def due_query(days: int) -> str:
    return f"{DUE}{clamp_days(days)}"


def clamp_days(days: int) -> int:
    return max(1, min(int(days), MAX_DAYS))


def run(engine: Engine, query: str, limit: int = 5) -> dict:
    """A result in the engine's shape (lists carry "total") for a stored query."""
    if query.startswith(UNIT):
        name = query[len(UNIT):]
        unit, answers = engine.unit_tasks(name)
        lead = f"{unit}：共 {len(answers)} 项" if unit and answers else \
            (f"{unit} 在公报中没有列出任务。" if unit else f"公报中没有找到单位“{name}”。")
        return {"query": query, "intent": "unit_list", "lead": lead, "note": None, "matched": [],
                "answers": answers[:limit], "suggestions": [], "total": len(answers)}
    if query.startswith(DUE):
        days = clamp_days(int(query[len(DUE):]))
        answers = engine.due(days)
        start = engine.today.isoformat()
        lead = f"今后 {days} 天内（{start} 起）到期：{len(answers)} 项" if answers else \
            f"今后 {days} 天内（{start} 起）没有到期的任务。"
        return {"query": query, "intent": "due", "lead": lead, "note": None, "matched": [],
                "answers": answers[:limit], "suggestions": [], "total": len(answers)}
    # questions never start with "/" (those are commands), so a stored question is never taken for a listing
    return engine.ask(query.lstrip("/"), limit=limit)
