"""What people did with the bot, kept in the store: questions asked, declined ones, feedback on answers."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlite_utils


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def record_question(db: sqlite_utils.Database, question: str, intent: str, answered: bool,
                    user_id: int | None = None, chat_id: int | None = None, topic: str | None = None) -> None:
    """Log a question; one the engine declined is what the gazette does not answer, for staff to review."""
    db["questions"].insert({"at": _now(), "question": question[:1000], "intent": intent, "answered": answered,
                            "user_id": user_id, "chat_id": chat_id, "topic": topic}, alter=True)
    if not answered:
        db["declined"].insert({"at": _now(), "question": question[:1000], "intent": intent, "user_id": user_id},
                              alter=True)
    db.conn.commit()


def record_feedback(db: sqlite_utils.Database, passage_id: int, vote: int, user_id: int | None = None,
                    question: str | None = None) -> None:
    """Store a 👍 (vote=1) or 👎 (vote=-1) on an answer; a user's later vote on the same passage replaces it."""
    db["feedback"].upsert({"key": f"{user_id}:{passage_id}", "passage_id": passage_id, "vote": vote,
                           "user_id": user_id, "question": question, "at": _now()}, pk="key", alter=True)
    db.conn.commit()


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


def safely_record(db: sqlite_utils.Database, question: str, result: dict, user_id: int | None = None,
                  chat_id: int | None = None) -> None:
    """record_question for an engine result; a read-only or busy store must not cost the user the answer."""
    if not question:
        return
    topic = result["answers"][0]["item"] if result["answers"] else None
    try:
        record_question(db, question, result["intent"], bool(result["answers"]), user_id=user_id,
                        chat_id=chat_id, topic=topic)
    except Exception:
        pass
