"""The time people's database stamps its rows with (subscriptions, outbox, questions): UTC, ISO 8601 to the
second, so stamps sort as text and read the same wherever the bot runs."""
from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
