"""Digest rules (which notices are due) and rendering, on the bundled gazette and on made-up tasks."""
from __future__ import annotations

import datetime as dt

import pytest

from handlers.render import LIMIT, digest_messages
from knowledge import outbox, subscriptions
from knowledge.digest import Notice, compose, covers, load_tasks, notices_due
from knowledge.store import open_store

D = dt.date.fromisoformat


def render_digest(tasks, notices, as_of, limit=LIMIT):
    """A chat's digest as the broadcast sends it: composed in words, rendered as Telegram messages."""
    return digest_messages(compose(tasks, notices, as_of), limit)


@pytest.fixture
def db(store_path):
    database = open_store(store_path)
    yield database
    database.conn.close()


def sub(kind="all", value="", horizon=14):
    return {"kind": kind, "value": value, "horizon_days": horizon}


def task(key="t1", deadline="2022-06-30", units=("区水务局",), co_units=(), leaders=("倪德才",),
         doc="通政发〔2022〕2号", text="完成某项工作", task_id=1):
    return {"clause_id": key, "id": task_id, "doc_number": doc, "number": "1", "item": "第1项", "text": text,
            "units": list(units), "co_units": list(co_units), "leaders": list(leaders), "deadline": deadline,
            "citation": f"《某文件》第1项（{doc}）"}


def due_keys_sql(db, start: dt.date, days: int) -> set[str]:
    """What the horizon means, asked of SQLite directly rather than of the code under test."""
    end = start + dt.timedelta(days=days)
    return {r["clause_id"] for r in db.query(
        "select clause_id from tasks where deadline between ? and ?", [start.isoformat(), end.isoformat()])}


@pytest.mark.parametrize("as_of, days", [("2022-06-20", 14), ("2022-06-20", 101), ("2022-06-20", 102),
                                         ("2022-09-25", 14), ("2022-12-20", 14)])
def test_digest_lists_exactly_the_tasks_due_in_the_horizon(store_db, as_of, days):
    expected = due_keys_sql(store_db, D(as_of), days)
    assert expected, "the case must have something due, or it proves nothing"
    notices = notices_due(load_tasks(store_db), [sub(horizon=days)], set(), D(as_of))
    assert {n.task_key for n in notices} == expected
    assert len(notices) == len(expected)


def test_horizon_boundary_on_the_bundled_gazette(store_db):
    # 2022-06-20 + 101 days is 2022-09-29: the 18 tasks due 2022-09-30 are one day outside the horizon
    tasks = load_tasks(store_db)
    assert len(notices_due(tasks, [sub(horizon=101)], set(), D("2022-06-20"))) == 1
    assert len(notices_due(tasks, [sub(horizon=102)], set(), D("2022-06-20"))) == 19


def test_a_task_is_announced_on_entering_at_seven_days_and_once_overdue_never_more():
    tasks = {"t1": task(deadline="2022-06-30")}
    history: set[tuple[str, str]] = set()
    told = {}
    day = D("2022-06-01")
    while day <= D("2022-08-31"):
        for n in notices_due(tasks, [sub("unit", "区水务局", 14)], history, day):
            told[(n.task_key, n.kind)] = day
            history.add((n.task_key, n.kind))
        day += dt.timedelta(days=1)
    assert told == {("t1", "enter"): D("2022-06-16"), ("t1", "week"): D("2022-06-23"),
                    ("t1", "overdue"): D("2022-07-01")}


def test_missed_days_are_caught_up_and_late_entries_get_one_notice():
    tasks = {"t1": task(deadline="2022-06-30")}
    # first seen 5 days before: one "week" notice, not "enter" and "week" together
    assert notices_due(tasks, [sub(horizon=14)], set(), D("2022-06-25")) == [Notice("t1", "week")]
    # the run of 07-01 did not happen: 07-03 still says overdue, once
    assert notices_due(tasks, [sub()], {("t1", "week")}, D("2022-07-03")) == [Notice("t1", "overdue")]
    assert notices_due(tasks, [sub()], {("t1", "week"), ("t1", "overdue")}, D("2022-07-04")) == []


def test_a_new_subscriber_is_not_told_about_deadlines_already_past():
    tasks = {"t1": task(deadline="2022-06-30")}
    assert notices_due(tasks, [sub(horizon=3650)], set(), D("2022-07-10")) == []


def test_the_longest_horizon_of_overlapping_subscriptions_wins():
    tasks = {"t1": task(deadline="2022-06-30")}
    subs = [sub("unit", "区水务局", 3), sub("leader", "倪德才", 20)]
    assert notices_due(tasks, subs, set(), D("2022-06-10")) == [Notice("t1", "enter")]
    assert notices_due(tasks, subs[:1], set(), D("2022-06-10")) == []


@pytest.mark.parametrize("subscription, expected", [
    (sub("all"), True), (sub("unit", "区水务局"), True), (sub("unit", "区财政局"), True),
    (sub("unit", "区交通局"), False), (sub("leader", "倪德才"), True), (sub("leader", "郑皓"), False),
    (sub("doc", "通政发〔2022〕2号"), True), (sub("doc", "通政办发〔2022〕8号"), False)])
def test_what_a_subscription_covers(subscription, expected):
    t = task(units=("区水务局",), co_units=("区财政局",), leaders=("倪德才",), doc="通政发〔2022〕2号")
    assert covers(subscription, t) is expected


def test_render_groups_by_due_date_with_unit_item_days_left_and_citation(store_db):
    tasks = load_tasks(store_db)
    as_of = D("2022-06-20")
    notices = notices_due(tasks, [sub(horizon=102)], set(), as_of)
    [chunk] = render_digest(tasks, notices, as_of)
    text = chunk.text
    assert text.index("2022-06-30 到期") < text.index("2022-09-30 到期")
    assert text.count("到期</b>") == 2                       # one heading per due date
    assert "区住房城乡建设委" in text and "第2项" in text
    assert "还剩 10 天" in text and text.count("还剩 102 天") == 18
    assert "（通政办发〔2022〕8号，区政府公报2022年第1期约第204页）" in text
    assert set(chunk.notices) == set(notices)


def test_a_deadline_the_ledger_gives_differently_is_said_in_the_digest(store_db):
    """8号文第24项: September in the text, June in the attached 台账; the digest says both, as the answers do."""
    tasks = load_tasks(store_db)
    key = next(k for k, t in tasks.items() if "附件台账为" in (t["deadline_text"] or ""))
    [chunk] = render_digest(tasks, [Notice(key, "enter")], D("2022-09-05"))
    assert "还剩 25 天（附件台账为2022年6月）" in chunk.text


def test_render_escapes_html_and_shortens_long_text():
    long_text = "<script>&" + "很长的任务描述" * 30
    tasks = {"t1": task(text=long_text)}
    [chunk] = render_digest(tasks, [Notice("t1", "week")], D("2022-06-25"))
    assert "&lt;script&gt;&amp;" in chunk.text and "<script>" not in chunk.text
    assert "…" in chunk.text and long_text not in chunk.text
    assert "还剩 5 天" in chunk.text and "一周内到期" in chunk.text


def test_overdue_items_say_how_long_overdue():
    [chunk] = render_digest({"t1": task()}, [Notice("t1", "overdue")], D("2022-07-01"))
    assert "期限已过 1 天" in chunk.text and "〔期限已过〕" in chunk.text


@pytest.mark.parametrize("limit", [4096, 900])
def test_long_digests_split_under_the_limit_and_carry_every_notice_once(store_db, limit):
    tasks = load_tasks(store_db)
    as_of = D("2022-12-20")
    notices = notices_due(tasks, [sub(horizon=14)], set(), as_of)
    assert len(notices) == 147
    chunks = render_digest(tasks, notices, as_of, limit=limit)
    assert len(chunks) > 1
    for c in chunks:
        assert len(c.text.encode("utf-16-le")) // 2 <= limit
    carried = [n for c in chunks for n in c.notices]
    assert sorted(carried, key=str) == sorted(notices, key=str)
    assert all("到期</b>" in c.text for c in chunks)          # a continued group repeats its heading
    assert all("（续）" in c.text for c in chunks[1:])


def test_nothing_due_renders_nothing():
    assert render_digest({"t1": task()}, [], D("2022-06-01")) == []


def test_plan_and_decide_follow_subscriptions_and_history(db):
    subscriptions.add(db, 1, "unit", "区住房城乡建设委", 14)
    subscriptions.add(db, 2, "unit", "区水务局", 14)
    plan = outbox.plan(db, D("2022-06-20"))
    assert list(plan) == [1]                        # 区水务局 has nothing due by 2022-07-04
    assert outbox.decide(db, D("2022-06-20")) == 1
    assert outbox.decide(db, D("2022-06-20")) == 0  # decided once, never again
    assert outbox.plan(db, D("2022-06-20")) == {}
