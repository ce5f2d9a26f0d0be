"""Subscriptions: the store functions, and /subscribe, /unsubscribe, /mysubs and my_chat_member through a
polling Application against the fake Bot API server."""
from __future__ import annotations

import datetime as dt
import sqlite3
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults, ExtBot

from bot.broadcast import broadcast
from bot.config import Config
from fakes.bot_api import FakeBotAPI, polling
from handlers import common
from handlers.state import CONTEXT_TYPES
from handlers.subscription_commands import parse_args, register, subscribe_arguments
from knowledge import outbox, subscriptions as subs
from knowledge import people
from knowledge.store import build_store, bundled_gazettes

TOKEN = "123456789:SUBSCRIBE"
AS_OF = dt.date(2022, 6, 20)
USER, GROUP, SUPERGROUP = 1001, -4001001, -1001000009999



# --- the store -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("", ("all", "")), ("all", ("all", "")), ("全部", ("all", "")),
    ("区住建委", ("unit", "区住房城乡建设委")), ("区住房城乡建设委", ("unit", "区住房城乡建设委")),
    ("水务局", ("unit", "区水务局")), ("城管", ("unit", "区城市管理委")),   # the short name /unit takes
    ("倪德才", ("leader", "倪德才")),
    ("通政办发〔2022〕8号", ("doc", "通政办发〔2022〕8号")), ("通政办发[2022]8号", ("doc", "通政办发〔2022〕8号")),
    ("通政办发（2022）8号", ("doc", "通政办发〔2022〕8号")),
    ("火星局", None), ("通政办发〔2022〕99号", None),
    # the short numbers questions use (trial 21 #11)
    ("2号文", ("doc", "通政发〔2022〕2号")), ("办发8号", ("doc", "通政办发〔2022〕8号")),
    ("通政办发8号", ("doc", "通政办发〔2022〕8号")), ("99号文", None),
])
def test_resolve_filter(db, typed, expected):
    assert subs.resolve_filter(db, typed) == expected


def test_a_digest_title_names_what_that_cadence_follows(db):
    subs.add(db, GROUP, "unit", "区住房城乡建设委", 7, "daily")
    subs.add(db, GROUP, "leader", "倪德才", 7, "weekly")
    subs.add(db, GROUP, "all", "", 7, "both")
    daily, weekly = subs.following(db, GROUP)
    assert set(daily.split("、")) == {"区住房城乡建设委", "全部任务"} and set(weekly.split("、")) == {"倪德才", "全部任务"}


@pytest.mark.parametrize("typed, offered", [("住建", "区住房城乡建设委"), ("住建委", "区住房城乡建设委"),
                                            ("倪德", "倪德才"), ("区水务", "区水务局")])
def test_unknown_filters_get_close_names_suggested(db, typed, offered):
    assert offered in subs.suggestions(db, typed)


def test_nonsense_gets_no_suggestions(db):
    assert subs.suggestions(db, "xyzzy") == []


def test_subscribing_again_updates_the_horizon_and_reactivates(db):
    subs.add(db, USER, "unit", "区水务局", 14)
    subs.deactivate_chat(db, USER)
    assert subs.list_for_chat(db, USER) == []
    subs.add(db, USER, "unit", "区水务局", 30)
    [row] = subs.list_for_chat(db, USER)
    assert (row["horizon_days"], row["active"]) == (30, 1)


def test_remove_one_or_all(db):
    subs.add(db, USER, "unit", "区水务局", 14)
    subs.add(db, USER, "leader", "倪德才", 14)
    subs.add(db, GROUP, "all", "", 14)
    assert subs.remove(db, USER, "unit", "区水务局") == 1
    assert [r["kind"] for r in subs.list_for_chat(db, USER)] == ["leader"]
    assert subs.remove(db, USER) == 1
    assert subs.list_for_chat(db, USER) == [] and len(subs.list_for_chat(db, GROUP)) == 1


def test_migrating_a_chat_moves_its_subscriptions_and_the_new_id_wins_a_clash(db):
    subs.add(db, GROUP, "unit", "区水务局", 14)
    subs.add(db, GROUP, "all", "", 7)
    subs.add(db, SUPERGROUP, "all", "", 30)
    subs.migrate_chat(db, GROUP, SUPERGROUP)
    assert subs.list_for_chat(db, GROUP, active_only=False) == []
    assert {(r["kind"], r["horizon_days"]) for r in subs.list_for_chat(db, SUPERGROUP)} == {("unit", 14), ("all", 30)}


@pytest.mark.parametrize("args, expected", [
    ([], ("", None)), (["区住建委", "7"], ("区住建委", 7)), (["倪德才"], ("倪德才", None)),
    (["区", "住建委"], ("区住建委", None)), (["all", "30"], ("all", 30)),
])
def test_parse_args(args, expected):
    assert parse_args(args) == expected


def reopened(store_path):
    """A new connection to people's database and the (rebuilt) knowledge store, as a later run opens them."""
    return people.connect(people.default_path(store_path), knowledge=store_path)


def test_subscriptions_survive_the_knowledge_store_being_deleted_and_rebuilt(store_path, db):
    subs.add(db, GROUP, *subs.resolve_filter(db, "区住建委"), 7)
    subs.add(db, USER, "all", "", 14)
    db.conn.close()
    store_path.unlink()
    build_store(bundled_gazettes(), store_path)
    fresh = reopened(store_path)
    assert [r["value"] for r in subs.list_for_chat(fresh, GROUP)] == ["区住房城乡建设委"]
    assert [r["kind"] for r in subs.list_for_chat(fresh, USER)] == ["all"]
    fresh.conn.close()


def test_subscriptions_and_history_survive_a_store_rebuild(store_path, db):
    subs.add(db, GROUP, *subs.resolve_filter(db, "区住建委"), 7)
    assert outbox.decide(db, AS_OF) == 0                       # 2022-06-30 is 10 days out: not yet in 7
    assert outbox.decide(db, dt.date(2022, 6, 25)) == 1
    build_store(bundled_gazettes(), store_path)                # the same path: an atomic swap
    fresh = reopened(store_path)
    [row] = subs.list_for_chat(fresh, GROUP)
    assert (row["kind"], row["value"], row["horizon_days"]) == ("unit", "区住房城乡建设委", 7)
    assert outbox.counts(fresh) == {"pending": 1}
    assert outbox.decide(fresh, dt.date(2022, 6, 25)) == 0      # decided before the rebuild: not again
    fresh.conn.close()


# --- the handlers, through Telegram ------------------------------------------------------------------


@pytest.fixture
async def app(store_path, db, fake_bot_api: FakeBotAPI):
    cfg = Config(store_path=store_path, token=TOKEN, as_of=AS_OF, default_horizon_days=14)
    application = (ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).base_url(fake_bot_api.base_url)
                   .base_file_url(fake_bot_api.base_file_url).rate_limiter(AIORateLimiter())
                   .defaults(Defaults(tzinfo=ZoneInfo(cfg.timezone))).build())
    application.bot_data.cfg = cfg
    application.bot_data.engine = SimpleNamespace(db=db, today=AS_OF)
    register(application)
    async with polling(application, allowed_updates=Update.ALL_TYPES):
        yield application


async def command(api: FakeBotAPI, text: str, chat_id: int = USER, chat_type: str = "private",
                  user_id: int = USER) -> str:
    """Send /command args from a chat and return the bot's reply text. Updates are handled one at a
    time in order, so once this reply exists every earlier update has been handled too."""
    name, _, args = text.partition(" ")
    before = len(api.calls_of("sendMessage"))
    api.chat_admins.setdefault(GROUP, {USER})       # USER administers the test group
    api.push_command(name, args, chat_id=chat_id, chat_type=chat_type, user_id=user_id)
    calls = await api.await_call("sendMessage", count=before + 1)
    return calls[before]["text"]


async def test_only_group_administrators_change_a_groups_subscriptions(app, db, fake_bot_api):
    member = USER + 1
    reply = await command(fake_bot_api, "/subscribe 区住建委 7", GROUP, "group", user_id=member)
    assert "只有群管理员" in reply and subs.list_for_chat(db, GROUP) == []
    await command(fake_bot_api, "/subscribe 区住建委 7", GROUP, "group")            # the administrator
    reply = await command(fake_bot_api, "/unsubscribe all", GROUP, "group", user_id=member)
    assert "只有群管理员" in reply and len(subs.list_for_chat(db, GROUP)) == 1
    assert "已订阅" in await command(fake_bot_api, "/subscribe 倪德才", member, user_id=member)  # their own chat


async def test_subscribe_with_an_alias_stores_the_canonical_unit(app, db, fake_bot_api):
    reply = await command(fake_bot_api, "/subscribe 区住建委 7", GROUP, "group")
    assert "区住房城乡建设委" in reply and "提前 7 天" in reply
    [row] = subs.list_for_chat(db, GROUP)
    assert (row["kind"], row["value"], row["horizon_days"]) == ("unit", "区住房城乡建设委", 7)


async def test_subscribe_a_leader_a_document_or_everything_with_the_default_horizon(app, db, fake_bot_api):
    assert "再发 /subscribe" not in await command(fake_bot_api, "/subscribe 倪德才")
    await command(fake_bot_api, "/subscribe 通政办发〔2022〕8号")
    reply = await command(fake_bot_api, "/subscribe")
    assert "全部任务" in reply and "08:30" in reply
    assert "再发 /subscribe 区水务局" in reply                # a bare /subscribe says how to follow one department
    assert {(r["kind"], r["value"], r["horizon_days"]) for r in subs.list_for_chat(db, USER)} == {
        ("leader", "倪德才", 14), ("doc", "通政办发〔2022〕8号", 14), ("all", "", 14)}


async def test_an_unknown_filter_gets_a_friendly_usage_message_and_stores_nothing(app, db, fake_bot_api):
    reply = await command(fake_bot_api, "/subscribe 住房城乡")   # part of a name, and no short name staff use
    assert "没有找到“住房城乡”" in reply and "/subscribe 区住建委 7" in reply
    assert "您是不是要找：区住房城乡建设委" in reply
    assert subs.list_for_chat(db, USER, active_only=False) == []
    assert fake_bot_api.errors == []                 # the HTML reply was accepted as well-formed


async def test_mysubs_and_unsubscribe_one_then_all(app, db, fake_bot_api):
    assert "还没有订阅" in await command(fake_bot_api, "/mysubs")
    await command(fake_bot_api, "/subscribe 区住建委 7")
    await command(fake_bot_api, "/subscribe 倪德才")
    listing = await command(fake_bot_api, "/mysubs")
    assert "单位 区住房城乡建设委 · 提前 7 天" in listing and "区领导 倪德才 · 提前 14 天" in listing
    assert "已取消" in await command(fake_bot_api, "/unsubscribe 区住房城乡建设委")
    assert [r["kind"] for r in subs.list_for_chat(db, USER)] == ["leader"]
    assert "没有订阅“区水务局”" in await command(fake_bot_api, "/unsubscribe 区水务局")
    assert "要取消哪一项" in await command(fake_bot_api, "/unsubscribe")   # even of one (trial 21 #12)
    keys = buttons(fake_bot_api.calls_of("sendMessage")[-1])
    assert set(keys) == {"取消：区领导 倪德才 · 提前 14 天 · 每日提醒", "不取消"}
    assert len(subs.list_for_chat(db, USER)) == 1
    assert "全部 1 项" in await command(fake_bot_api, "/unsubscribe all")
    assert subs.list_for_chat(db, USER, active_only=False) == []
    assert "没有订阅" in await command(fake_bot_api, "/unsubscribe")


async def test_subscribing_again_to_the_same_unit_says_what_it_changed(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区水务局")
    reply = await command(fake_bot_api, "/subscribe 区水务局 60 weekly")
    assert "已更改订阅（原来：单位 区水务局 · 提前 14 天 · 每日提醒）" in reply and "不用天数" in reply
    assert len(subs.list_for_chat(db, USER)) == 1
    assert "已更改" not in await command(fake_bot_api, "/subscribe 区水务局 weekly")


def buttons(call: dict) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in call["reply_markup"]["inline_keyboard"] for b in row}


async def press(api: FakeBotAPI, data: str, chat_id: int = USER, user_id: int = USER) -> str:
    """Press a button under the bot's latest message and return what the message says afterwards."""
    before = len(api.calls_of("editMessageText"))
    api.push_callback(data, chat_id=chat_id, user_id=user_id, chat_type="private" if chat_id > 0 else "group")
    calls = await api.await_call("editMessageText", count=before + 1)
    return calls[before]["text"]


async def test_a_bare_unsubscribe_asks_which_one_before_cancelling(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委 7")
    await command(fake_bot_api, "/subscribe 倪德才")
    assert "要取消哪一项" in await command(fake_bot_api, "/unsubscribe")
    assert len(subs.list_for_chat(db, USER)) == 2                     # nothing is cancelled by asking
    keys = buttons(fake_bot_api.calls_of("sendMessage")[-1])
    assert "取消：单位 区住房城乡建设委 · 提前 7 天 · 每日提醒" in keys and "全部取消" in keys
    ni = keys["取消：区领导 倪德才 · 提前 14 天 · 每日提醒"]
    assert len(keys) == 4 and "都不取消" in keys
    assert "订阅都保留" in await press(fake_bot_api, keys["都不取消"])
    assert "已取消：区领导 倪德才" in await press(fake_bot_api, ni)
    assert [r["value"] for r in subs.list_for_chat(db, USER)] == ["区住房城乡建设委"]
    assert "已经取消了" in await press(fake_bot_api, ni)   # pressed twice
    await command(fake_bot_api, "/subscribe 区水务局")
    await command(fake_bot_api, "/unsubscribe")
    assert "全部 2 项" in await press(fake_bot_api, buttons(fake_bot_api.calls_of("sendMessage")[-1])["全部取消"])
    assert subs.list_for_chat(db, USER, active_only=False) == []


async def test_an_unsubscribe_button_from_another_chat_or_a_group_member_cancels_nothing(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委", GROUP, "group")
    await command(fake_bot_api, "/subscribe 倪德才", GROUP, "group")
    await command(fake_bot_api, "/unsubscribe", GROUP, "group")
    keys = buttons(fake_bot_api.calls_of("sendMessage")[-1])
    fake_bot_api.push_callback(keys["全部取消"], chat_id=GROUP, user_id=USER + 1, chat_type="group")
    (alert,) = await fake_bot_api.await_call("answerCallbackQuery", where=lambda p: "管理员" in (p.get("text") or ""))
    assert len(subs.list_for_chat(db, GROUP)) == 2
    subs.add(db, USER, "unit", "区水务局", 14)
    fake_bot_api.push_callback(keys["全部取消"], chat_id=USER, user_id=USER)    # the group's button in another chat
    (expired,) = await fake_bot_api.await_call("answerCallbackQuery", where=lambda p: "过期" in (p.get("text") or ""))
    assert len(subs.list_for_chat(db, USER)) == 1 and len(subs.list_for_chat(db, GROUP)) == 2


async def test_the_bot_removed_from_a_group_deactivates_its_subscriptions(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委", GROUP, "group")
    await command(fake_bot_api, "/subscribe")        # this private chat follows everything
    fake_bot_api.push_my_chat_member(chat_id=GROUP, new_status="kicked", chat_type="group")
    await command(fake_bot_api, "/mysubs")           # handled after the my_chat_member update
    assert subs.list_for_chat(db, GROUP) == []
    assert len(subs.list_for_chat(db, USER)) == 1   # other chats are untouched
    before = len(fake_bot_api.calls_of("sendMessage"))
    report = await broadcast(app.bot, db, AS_OF)
    assert [c["chat_id"] for c in fake_bot_api.calls_of("sendMessage")[before:]] == [USER]
    assert report["deactivated"] == []               # never tried: it was already off


async def test_a_private_chat_that_blocks_the_bot_is_deactivated_too(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe", chat_id=2002)
    fake_bot_api.push_my_chat_member(chat_id=2002, new_status="kicked", chat_type="private", user_id=2002)
    await command(fake_bot_api, "/mysubs")
    assert subs.list_for_chat(db, 2002) == []


async def test_a_migration_message_moves_the_subscriptions(app, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委", GROUP, "group")
    fake_bot_api.push_message(chat_id=GROUP, chat_type="group", migrate_to_chat_id=SUPERGROUP)
    await command(fake_bot_api, "/mysubs")
    assert subs.list_for_chat(db, GROUP) == []
    assert [r["value"] for r in subs.list_for_chat(db, SUPERGROUP)] == ["区住房城乡建设委"]


async def test_a_subscription_made_in_telegram_survives_a_rebuild_and_is_not_sent_twice(
        app, store_path, db, fake_bot_api):
    await command(fake_bot_api, "/subscribe 区住建委 14", GROUP, "group")
    first = await broadcast(app.bot, db, AS_OF)
    assert first["messages"] == 1
    build_store(bundled_gazettes(), store_path)
    fresh = reopened(store_path)
    assert [r["value"] for r in subs.list_for_chat(fresh, GROUP)] == ["区住房城乡建设委"]
    async with ExtBot(TOKEN, base_url=fake_bot_api.base_url) as other:
        assert (await broadcast(other, fresh, AS_OF))["messages"] == 0
    fresh.conn.close()


async def test_a_negative_day_count_or_an_unknown_schedule_is_said_so_and_stores_nothing(app, db, fake_bot_api):
    assert "天数要在 0 到" in await command(fake_bot_api, "/subscribe 区交通局 -5")
    assert "没有“monthly”这种推送方式" in await command(fake_bot_api, "/subscribe 区住建委 7 monthly")
    assert subs.list_for_chat(db, USER, active_only=False) == []


async def test_an_old_cancel_button_does_not_cancel_the_subscription_made_in_its_place(app, db, fake_bot_api):
    """SQLite gives a deleted row's rowid to the next row: the button's check tells the two apart."""
    await command(fake_bot_api, "/subscribe 区住建委")
    await command(fake_bot_api, "/subscribe 倪德才")
    await command(fake_bot_api, "/unsubscribe")
    keys = buttons(fake_bot_api.calls_of("sendMessage")[-1])
    ni = next(v for k, v in keys.items() if "倪德才" in k)
    assert "已取消：区领导 倪德才" in await press(fake_bot_api, ni)
    await command(fake_bot_api, "/subscribe 区水务局")               # may take 倪德才's rowid
    assert "已经取消了" in await press(fake_bot_api, ni)
    assert {r["value"] for r in subs.list_for_chat(db, USER)} == {"区住房城乡建设委", "区水务局"}


async def test_a_plus_sign_day_count_is_that_many_days(app, db, fake_bot_api):
    assert "提前 5 天" in await command(fake_bot_api, "/subscribe 区交通局 +5")


async def test_a_cancel_button_pressed_while_the_database_is_busy_cancels_nothing_and_says_so(app, db, fake_bot_api,
                                                                                          monkeypatch):
    await command(fake_bot_api, "/subscribe 区住建委")
    await command(fake_bot_api, "/subscribe 倪德才")
    await command(fake_bot_api, "/unsubscribe")
    keys = buttons(fake_bot_api.calls_of("sendMessage")[-1])

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(subs, "remove_row", locked)
    fake_bot_api.push_callback(next(v for k, v in keys.items() if "倪德才" in k), user_id=USER)
    (busy,) = await fake_bot_api.await_call("answerCallbackQuery", where=lambda p: p.get("text") == common.PEOPLE_BUSY)
    assert busy["show_alert"] and len(subs.list_for_chat(db, USER)) == 2
    assert all("已经取消了" not in c["text"] for c in fake_bot_api.calls_of("editMessageText"))


@pytest.mark.parametrize("words, days, found, complaint", [
    (["区交通局", "+5"], 5, ("unit", "区交通局"), ""),
    (["区交通局", "-5"], -5, ("unit", "区交通局"), "天数要在"),
    (["区住建委", "7", "monthly"], None, None, "没有“monthly”这种推送方式"),
    (["Water", "Affairs", "Bureau"], None, None, ""),
])
def test_subscribe_arguments(db, words, days, found, complaint):
    _, got_days, got_found, got_complaint = subscribe_arguments(words, db)
    assert (got_days, got_found) == (days, found) and got_complaint.startswith(complaint)
    assert bool(got_complaint) == bool(complaint)

