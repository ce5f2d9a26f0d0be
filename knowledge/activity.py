"""What people did with the bot, as /stats shows it: questions asked, declined ones, feedback on answers.

The rows are written by knowledge/writer.py into people's database (knowledge/people.py)."""
from __future__ import annotations

from collections import Counter

import sqlite_utils


def activity_stats(db: sqlite_utils.Database, top: int = 5) -> dict:
    """Questions asked, declined ones (latest first), top topics and feedback totals, for /stats."""
    asked = db["questions"].count if db["questions"].exists() else 0
    declined = list(db.query("select question from declined order by rowid desc limit ?", [top])) \
        if db["declined"].exists() else []
    n_declined = db["declined"].count if db["declined"].exists() else 0
    topics: Counter = Counter()
    if db["questions"].exists():
        for r in db.query("select topic from questions where topic is not null"):
            topics[r["topic"]] += 1
    up = down = 0
    if db["feedback"].exists():
        for r in db.query("select vote, count(*) n from feedback group by vote"):
            if r["vote"] > 0:
                up += r["n"]
            else:
                down += r["n"]
    return {"questions": asked, "declined": n_declined, "recent_declined": [r["question"] for r in declined],
            "top_topics": topics.most_common(top), "feedback_up": up, "feedback_down": down}

