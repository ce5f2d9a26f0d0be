"""The Monday overview (weekly cadence) and chats coming back after blocking the bot: the rules on the bundled
gazette, then the real client and the /subscribe handler against the fake Bot API server."""
from __future__ import annotations

import datetime as dt
import html
import inspect
import re
import sqlite3
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from telegram import Update
from telegram.constants import MessageLimit
from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults, ExtBot

from bot.broadcast import broadcast
from bot.config import Config
from fakes.bot_api import FakeBotAPI, polling
from handlers import render
from handlers.state import CONTEXT_TYPES
from handlers.subscription_commands import register
from knowledge import outbox, subscriptions as subs, weekly
from knowledge.digest import load_tasks
from knowledge.store import open_store

TOKEN = "123456789:WEEKLY"
D = dt.date.fromisoformat
MONDAY = D("2022-06-27")            # ISO week 2022-W26; 2022-06-30 is this month's deadline
UNIT = "区住房城乡建设委"
ALICE, BOB, CAROL = 1001, 1002, 1003


def unit_sql(db, until: dt.date, since: dt.date | None = None) -> set[str]:
    """The unit's tasks due by `until` (and from `since`), asked of SQLite rather than of the code under test."""
    rows = db.query("select citation, deadline from tasks where deadline <= ? and deadline >= ? "
                    "and (units like ? or co_units like ?)",
                    [until.isoformat(), (since or D("2000-01-01")).isoformat(), f'%"{UNIT}"%', f'%"{UNIT}"%'])
    return {r["citation"] for r in rows}


def citations(messages: list[dict]) -> list[str]:
    return [html.unescape(c) for m in messages for c in re.findall(r"<i>(.*?)</i>", m["text"])]


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI):
    async with ExtBot(TOKEN, base_url=fake_bot_api.base_url, base_file_url=fake_bot_api.base_file_url,
                      rate_limiter=AIORateLimiter()) as client:
        yield client


# --- the rules ---------------------------------------------------------------------------------------


def test_week_keys_follow_iso_weeks_across_the_years_turn():
    assert weekly.week_kind(MONDAY) == "weekly:2022-W26"
    assert weekly.week_kind(D("2023-01-01")) == "weekly:2022-W52"      # a Sunday: still 2022's last week
    assert weekly.week_kind(D("2024-12-30")) == "weekly:2025-W01"
    assert weekly.is_overview_day(MONDAY) and not weekly.is_overview_day(D("2022-06-28"))


def test_the_overview_holds_what_is_due_this_month_and_what_fell_overdue_since_last_month(db):
    tasks = load_tasks(db)
    mine = [{"kind": "unit", "value": UNIT, "horizon_days": 3, "cadence": "weekly"}]
    assert weekly.overdue_since(D("2023-01-02")) == D("2022-12-01")
    for monday in (MONDAY, D("2022-07-04"), D("2023-01-02")):
        expected = unit_sql(db, weekly.month_end(monday), weekly.overdue_since(monday))
        assert expected, "the case must list something, or it proves nothing"
        got = weekly.overview_due(tasks, mine, monday)
        assert {tasks[n.task_key]["citation"] for n in got} == expected and len(got) == len(expected)
    # the horizon has no say, and a daily subscription wants no overview
    assert weekly.overview_due(tasks, [dict(mine[0], cadence="daily")], MONDAY) == []
    # years later every task is long overdue: no overview repeats them each Monday
    assert unit_sql(db, D("2026-11-30")) and weekly.overview_due(tasks, mine, D("2026-11-30")) == []


def test_the_digests_message_limit_is_telegrams():
    assert inspect.signature(render.digest_messages).parameters["limit"].default == MessageLimit.MAX_TEXT_LENGTH


def test_subscriptions_from_before_cadences_are_migrated_and_stay_daily(store_path):
    conn = sqlite3.connect(store_path)     # the table as earlier versions made it
    conn.execute("create table subscriptions (chat_id integer not null, kind text not null, value text not null, "
                 "horizon_days integer, active integer, created text, updated text, "
                 "primary key (chat_id, kind, value))")
    conn.execute("insert into subscriptions values (?, 'unit', ?, 14, 1, '2022-01-01', '2022-01-01')",
                 [ALICE, UNIT])
    conn.commit()
    conn.close()
    db = open_store(store_path)
    [old] = subs.active(db)[ALICE]
    assert subs.cadence_of(old) == "daily"                       # read before any migration
    assert outbox.plan(db, D("2022-06-23"))[ALICE]               # and it still gets its daily notices
    subs.ensure_table(db)
    [row] = subs.list_for_chat(db, ALICE)
    assert row["cadence"] == "daily"
    assert subs.add(db, BOB, "all", "", 14)["cadence"] == "daily"          # the default for new ones
    db.conn.close()


def test_a_cadence_word_is_taken_out_of_the_filter():
    assert subs.split_cadence(["区住建委", "7", "weekly"]) == (["区住建委", "7"], "weekly")
    assert subs.split_cadence(["每周", "区住建委"]) == (["区住建委"], "weekly")
    assert subs.split_cadence(["BOTH"]) == ([], "both")
    assert subs.split_cadence(["倪德才"]) == (["倪德才"], None)


# --- the broadcast -----------------------------------------------------------------------------------


async def test_the_weekly_overview_arrives_once_per_chat_per_week(db, bot, fake_bot_api):
    subs.add(db, ALICE, "unit", UNIT, 14, "weekly")
    subs.add(db, BOB, "unit", UNIT, 14, "both")
    subs.add(db, CAROL, "unit", UNIT, 14, "daily")

    await broadcast(bot, db, D("2022-06-26"))                   # a Sunday: no overview
    assert fake_bot_api.sent_messages(ALICE) == []
    report = await broadcast(bot, db, MONDAY)
    [alice] = fake_bot_api.sent_messages(ALICE)
    assert "每周到期汇总" in alice["text"] and "2022-W26" in alice["text"]
    assert sorted(citations([alice])) == sorted(unit_sql(db, D("2022-06-30")))
    assert "本月到期 1 项，上月以来期限已过 0 项" in alice["text"] and "还剩 3 天" in alice["text"]
    assert f"（订阅：{UNIT}）" in alice["text"]   # which subscription it serves (trial 20 #18)
    bob = fake_bot_api.sent_messages(BOB)
    assert len(bob) == 2 and "截止提醒" in bob[0]["text"] and "每周到期汇总" in bob[1]["text"]
    assert all("每周到期汇总" not in m["text"] for m in fake_bot_api.sent_messages(CAROL))
    assert report["pending"] == 0 and fake_bot_api.errors == []

    sent = len(fake_bot_api.sent_messages())
    for day in (MONDAY, MONDAY, D("2022-06-29"), D("2022-07-03")):   # reruns and the rest of the week
        await broadcast(bot, db, day)
    assert all("每周到期汇总" not in m["text"] for m in fake_bot_api.sent_messages()[sent:])

    await broadcast(bot, db, D("2022-07-04"))                   # the next Monday: the next week's overview
    latest = fake_bot_api.sent_messages(ALICE)[-1]
    assert "2022-W27" in latest["text"] and len(fake_bot_api.sent_messages(ALICE)) == 2
    assert sorted(citations([latest])) == sorted(unit_sql(db, D("2022-07-31")))
    assert "⚠️ 期限已过" in latest["text"] and "2022-06-30 · 期限已过 4 天" in latest["text"]


async def test_a_long_overview_is_split_under_the_limit_and_every_task_is_in_it_once(db, bot, fake_bot_api):
    subs.add(db, ALICE, "all", "", 14, "weekly")
    monday = D("2023-01-02")                                    # most tasks of 2022 fell due in December
    await broadcast(bot, db, monday)
    messages = fake_bot_api.sent_messages(ALICE)
    assert len(messages) >= 3
    assert all(len(m["text"]) <= MessageLimit.MAX_TEXT_LENGTH for m in messages)
    assert "（续）" in messages[1]["text"]
    expected = [r["citation"] for r in db.query("select citation from tasks where deadline <= '2023-01-31' "
                                                 "and deadline >= '2022-12-01'")]
    assert sorted(citations(messages)) == sorted(expected)
    assert fake_bot_api.errors == []
    assert outbox.counts(db) == {"sent": len(expected)}
    await broadcast(bot, db, monday)
    assert len(fake_bot_api.sent_messages(ALICE)) == len(messages)


# --- /subscribe, and coming back ---------------------------------------------------------------------


@pytest.fixture
async def app(store_path, db, fake_bot_api: FakeBotAPI):
    cfg = Config(store_path=store_path, token=TOKEN, as_of=D("2022-06-24"), default_horizon_days=14)
    application = (ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).base_url(fake_bot_api.base_url)
                   .base_file_url(fake_bot_api.base_file_url).rate_limiter(AIORateLimiter())
                   .defaults(Defaults(tzinfo=ZoneInfo(cfg.timezone))).build())
    application.bot_data.cfg = cfg
    application.bot_data.engine = SimpleNamespace(db=db, today=cfg.as_of)
    register(application)
    async with polling(application, allowed_updates=Update.ALL_TYPES):
        yield application


async def command(api: FakeBotAPI, text: str, chat_id: int = ALICE) -> str:
    name, _, args = text.partition(" ")
    before = len(api.calls_of("sendMessage"))
    api.push_command(name, args, chat_id=chat_id, user_id=chat_id)
    calls = await api.await_call("sendMessage", count=before + 1)
    return calls[before]["text"]


async def test_subscribe_weekly_daily_or_both(app, db, fake_bot_api):
    reply = await command(fake_bot_api, "/subscribe 区住建委 weekly")
    assert "每周一汇总" in reply and "每周一 08:30" in reply and "每天" not in reply
    assert subs.list_for_chat(db, ALICE)[0]["cadence"] == "weekly"
    await command(fake_bot_api, "/subscribe 区住建委 30")            # a new horizon keeps the cadence
    [row] = subs.list_for_chat(db, ALICE)
    assert (row["horizon_days"], row["cadence"]) == (30, "weekly")
    reply = await command(fake_bot_api, "/subscribe 区住建委 7 both")
    assert "每天 08:30" in reply and "每周一 08:30" in reply
    reply = await command(fake_bot_api, "/subscribe 倪德才")
    assert "每日提醒" in reply and "每周" not in reply                 # the default is daily
    assert "每日提醒 + 每周一汇总" in await command(fake_bot_api, "/mysubs")
    assert fake_bot_api.errors == []


async def test_a_chat_that_blocked_the_bot_and_resubscribes_gets_what_is_now_within_its_horizon(
        app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委 30")
    first = await broadcast(app.bot, db, D("2022-06-20"))
    assert first["messages"] == 1                               # 2022-06-30 entered the horizon
    fake_bot_api.blocked_chats.add(ALICE)
    report = await broadcast(app.bot, db, D("2022-06-23"))      # the week mark: 403, the chat is paused
    assert report["deactivated"] == [ALICE] and subs.list_for_chat(db, ALICE) == []

    fake_bot_api.blocked_chats.discard(ALICE)
    today = D("2022-06-24")
    expected = unit_sql(db, today + dt.timedelta(days=30), since=today)
    assert expected
    reply = await command(fake_bot_api, "/subscribe 区住建委 30")
    assert "欢迎回来" in reply and f"{len(expected)} 项" in reply
    before = len(fake_bot_api.sent_messages(ALICE))
    await broadcast(app.bot, db, today)
    back = fake_bot_api.sent_messages(ALICE)[before:]
    assert sorted(citations(back)) == sorted(expected)
    assert (await broadcast(app.bot, db, today))["messages"] == 0      # and only once
    # a chat subscribing for the first time is not "coming back"
    assert "欢迎回来" not in await command(fake_bot_api, "/subscribe 区住建委", chat_id=BOB)
