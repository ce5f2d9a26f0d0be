"""What a stored query means: a question for the engine, or a /unit or /due listing.

The commands and the "更多结果" button both go through run(), so page 2 of /unit is the same list
as page 1, whatever happened in between. The listings and their wording are knowledge/listings.py's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.deadlines import clamp_days

if TYPE_CHECKING:
    from knowledge.engine import Engine

UNIT, DUE = "/unit ", "/due "


def unit_query(name: str) -> str:
    return UNIT + name


def due_query(days: int) -> str:
    return f"{DUE}{clamp_days(days)}"


def run(engine: Engine, query: str, limit: int = 5) -> dict:
    """A result in the engine's shape (lists carry "total") for a stored query."""
    if query.startswith(UNIT):
        return engine.unit_listing(query[len(UNIT):], limit)
    if query.startswith(DUE):
        return engine.due_listing(int(query[len(DUE):]), limit)
    # questions never start with "/" (those are commands), so a stored question is never taken for a listing
    return engine.ask(query.lstrip("/"), limit=limit)
