"""The broadcast end to end: a real python-telegram-bot client (ExtBot with AIORateLimiter, or an
Application) against the fake Bot API server, on a fresh store per test."""
from __future__ import annotations

import asyncio
import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults, ExtBot

from bot import jobs
from bot.broadcast import broadcast, run_broadcast_cli
from bot.config import Config
from fakes.bot_api import FakeBotAPI
from handlers.state import CONTEXT_TYPES
from knowledge import outbox, subscriptions
from knowledge.store import open_store

# PTB's own RetryAfter constructor reads its deprecated int form; bot.broadcast reads it without warning
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456789:BROADCAST"
D = dt.date.fromisoformat
AS_OF = D("2022-06-20")
ALICE, BOB, CAROL, DAVE = 1001, 1002, 1003, 1004
GROUP, SUPERGROUP = -4001, -1001234567890



@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI):
    # ExtBot behind PTB's plain AIORateLimiter (no retries, no pause of its own): the broadcast copes with that
    # too; tests/test_faults.py runs the bot's own limiter, which pauses every send during a 429
    async with ExtBot(TOKEN, base_url=fake_bot_api.base_url, base_file_url=fake_bot_api.base_file_url,
                      rate_limiter=AIORateLimiter()) as client:
        yield client


class Sleeps:
    """An injected asyncio.sleep that records the waits instead of spending them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


def expected_citations(db, as_of: dt.date, days: int, where: str = "1", args=()) -> set[str]:
    """The tasks a horizon covers, asked of SQLite directly rather than of the code under test."""
    end = (as_of + dt.timedelta(days=days)).isoformat()
    return {r["citation"] for r in db.query(
        f"select citation from tasks where deadline between ? and ? and {where}", [as_of.isoformat(), end, *args])}


def items(messages: list[dict]) -> list[str]:
    """The citations of the items in digest messages, one per item."""
    return [m for msg in messages for m in re.findall(r"<i>(.*?)</i>", msg["text"])]


def unescape(text: str) -> str:
    import html
    return html.unescape(text)


def subscribe_everyone(db) -> None:
    subscriptions.add(db, ALICE, *subscriptions.resolve_filter(db, "区住建委"), 14)
    subscriptions.add(db, BOB, "all", "", 102)
    subscriptions.add(db, CAROL, "leader", "倪德才", 14)     # nothing of his is due within 14 days
    subscriptions.add(db, DAVE, "all", "", 14)


async def test_digest_lists_exactly_the_tasks_due_in_the_horizon(db, bot, fake_bot_api):
    subscribe_everyone(db)
    report = await broadcast(bot, db, AS_OF)

    alice = fake_bot_api.sent_messages(ALICE)
    bob = fake_bot_api.sent_messages(BOB)
    assert len(alice) == 1 and len(bob) == 1
    assert fake_bot_api.sent_messages(CAROL) == []          # nothing new to say: no message
    want_alice = expected_citations(db, AS_OF, 14, "(units like ? or co_units like ?)",
                                    ['%"区住房城乡建设委"%'] * 2)
    want_bob = expected_citations(db, AS_OF, 102)
    assert len(want_alice) == 1 and len(want_bob) == 19
    assert sorted(map(unescape, items(alice))) == sorted(want_alice)
    assert sorted(map(unescape, items(bob))) == sorted(want_bob)
    text = bob[0]["text"]
    assert bob[0]["parse_mode"] == "HTML"
    assert text.index("2022-06-30 到期") < text.index("2022-09-30 到期")
    assert "还剩 10 天" in text and "还剩 102 天" in text and "区住房城乡建设委" in text
    assert report["messages"] == 3 and report["notices"] == 1 + 19 + 1 and report["pending"] == 0
    assert fake_bot_api.errors == []


async def test_a_second_run_the_same_day_sends_nothing_and_the_week_mark_comes_later(db, bot, fake_bot_api):
    subscribe_everyone(db)
    await broadcast(bot, db, AS_OF)
    sent = len(fake_bot_api.sent_messages())
    again = await broadcast(bot, db, AS_OF)
    assert again["decided"] == 0 and again["messages"] == 0
    assert len(fake_bot_api.sent_messages()) == sent
    assert (await broadcast(bot, db, D("2022-06-21")))["messages"] == 0      # nothing new the next day

    week = await broadcast(bot, db, D("2022-06-23"))                          # 7 days before 2022-06-30
    assert week["messages"] == 3                                              # Alice, Bob, Dave
    [latest] = fake_bot_api.sent_messages(ALICE)[1:]
    assert "一周内到期" in latest["text"] and "还剩 7 天" in latest["text"]

    overdue = await broadcast(bot, db, D("2022-07-01"))
    assert overdue["messages"] == 3
    assert "期限已过 1 天" in fake_bot_api.sent_messages(ALICE)[-1]["text"]
    assert (await broadcast(bot, db, D("2022-07-02")))["messages"] == 0
    assert len(fake_bot_api.sent_messages(ALICE)) == 3                        # enter, week, overdue: never more


async def test_a_cron_run_and_the_bots_job_at_once_send_each_digest_once(store_path, db, bot, fake_bot_api):
    subscribe_everyone(db)
    cron = open_store(store_path)     # a second process's connection to the same store
    try:
        first, second = await asyncio.gather(broadcast(bot, db, AS_OF), broadcast(bot, cron, AS_OF))
    finally:
        cron.conn.close()
    assert len(fake_bot_api.sent_messages(ALICE)) == 1 and len(fake_bot_api.sent_messages(BOB)) == 1
    assert first["messages"] + second["messages"] == 3
    assert outbox.counts(db) == {"sent": 21}


class CrashAfter:
    """The real bot until `sends` messages went out; then the process "dies" on the next send."""

    def __init__(self, bot, sends: int) -> None:
        self.bot, self.left = bot, sends

    async def send_message(self, *args, **kwargs):
        if self.left == 0:
            raise RuntimeError("simulated crash mid-broadcast")
        self.left -= 1
        return await self.bot.send_message(*args, **kwargs)


def many_chats(db, n: int) -> list[int]:
    chats = [5000 + i for i in range(n)]
    for chat in chats:
        subscriptions.add(db, chat, "all", "", 102)
    return chats


async def test_a_broadcast_that_crashes_half_way_delivers_every_digest_exactly_once_when_run_again(
        db, bot, fake_bot_api):
    chats = many_chats(db, 12)
    with pytest.raises(RuntimeError):
        await broadcast(CrashAfter(bot, 5), db, AS_OF)
    first = len(fake_bot_api.sent_messages())
    assert first == 5                               # half way: some chats have theirs, others do not
    assert outbox.counts(db)["pending"] > 0

    report = await broadcast(bot, db, AS_OF)
    assert report["decided"] == 0                   # nothing decided twice; the rest was pending
    for chat in chats:
        [message] = fake_bot_api.sent_messages(chat)
        assert len(items([message])) == 19
    assert outbox.counts(db) == {"sent": 12 * 19}
    assert (await broadcast(bot, db, AS_OF))["messages"] == 0


async def test_a_cancelled_broadcast_records_what_was_on_the_wire_and_the_next_run_sends_the_rest(
        db, bot, fake_bot_api):
    chats = many_chats(db, 20)
    run = asyncio.create_task(broadcast(bot, db, AS_OF))
    await fake_bot_api.await_call("sendMessage", count=6)     # stop it while requests are in flight
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    delivered = {c for c in chats if fake_bot_api.sent_messages(c)}
    assert 6 <= len(delivered) < 20
    sent_rows = {r["chat_id"] for r in db.query("select chat_id from outbox where status = 'sent'")}
    assert sent_rows == delivered                    # every message Telegram accepted is marked sent

    await broadcast(bot, db, AS_OF)
    assert all(len(fake_bot_api.sent_messages(c)) == 1 for c in chats)


async def test_a_blocked_or_deleted_chat_is_deactivated_and_the_others_still_get_theirs(db, bot, fake_bot_api):
    subscribe_everyone(db)
    fake_bot_api.blocked_chats.add(BOB)                               # 403 bot was blocked by the user
    fake_bot_api.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=DAVE)
    report = await broadcast(bot, db, AS_OF)

    assert sorted(report["deactivated"]) == [BOB, DAVE]
    assert subscriptions.list_for_chat(db, BOB) == [] and subscriptions.list_for_chat(db, DAVE) == []
    assert len(subscriptions.list_for_chat(db, BOB, active_only=False)) == 1   # paused, not forgotten
    assert len(fake_bot_api.sent_messages(ALICE)) == 1
    assert report["pending"] == 0
    assert {r["status"] for r in db.query("select status from outbox where chat_id = ?", [BOB])} == {"dropped"}
    # later runs leave them alone
    before = len(fake_bot_api.calls_of("sendMessage"))
    await broadcast(bot, db, D("2022-06-23"))
    assert not [c for c in fake_bot_api.calls_of("sendMessage")[before:] if c["chat_id"] in (BOB, DAVE)]


async def test_a_429_is_waited_out_and_the_message_delivered(db, bot, fake_bot_api):
    subscribe_everyone(db)
    fake_bot_api.fail_next("sendMessage", 429, retry_after=3, chat_id=ALICE)
    sleeps = Sleeps()
    report = await broadcast(bot, db, AS_OF, sleep=sleeps)

    assert sleeps.waits == [3.0]                    # Telegram's retry_after, waited (injected: no real 3 s)
    assert report["retry_after"] == 1
    attempts = fake_bot_api.calls_of("sendMessage")
    assert [c["chat_id"] for c in attempts].count(ALICE) == 2
    assert len(fake_bot_api.sent_messages(ALICE)) == 1
    assert report["pending"] == 0 and report["failed"] == {}


async def test_a_429_is_waited_out_in_real_time(db, bot, fake_bot_api):
    subscriptions.add(db, ALICE, "all", "", 14)
    fake_bot_api.fail_next("sendMessage", 429, retry_after=1, chat_id=ALICE)
    loop = asyncio.get_running_loop()
    start = loop.time()
    report = await broadcast(bot, db, AS_OF)
    assert loop.time() - start >= 1.0
    assert report["retry_after"] == 1 and len(fake_bot_api.sent_messages(ALICE)) == 1


async def test_flood_control_that_never_ends_leaves_the_notices_pending(db, bot, fake_bot_api):
    subscriptions.add(db, ALICE, "all", "", 14)
    fake_bot_api.fail_next("sendMessage", 429, retry_after=1, chat_id=ALICE, times=50)
    report = await broadcast(bot, db, AS_OF, sleep=Sleeps())
    assert report["pending"] == 1 and ALICE in report["failed"]
    assert fake_bot_api.sent_messages(ALICE) == []


async def test_a_group_that_became_a_supergroup_keeps_its_subscriptions_under_the_new_id(db, bot, fake_bot_api):
    subscriptions.add(db, GROUP, "unit", "区住房城乡建设委", 14)
    fake_bot_api.migrated_chats[GROUP] = SUPERGROUP
    report = await broadcast(bot, db, AS_OF)

    assert report["migrated"] == {GROUP: SUPERGROUP}
    assert len(fake_bot_api.sent_messages(SUPERGROUP)) == 1
    assert subscriptions.list_for_chat(db, GROUP, active_only=False) == []
    [sub] = subscriptions.list_for_chat(db, SUPERGROUP)
    assert (sub["kind"], sub["value"], sub["horizon_days"]) == ("unit", "区住房城乡建设委", 14)
    assert {r["chat_id"] for r in db.query("select chat_id from outbox")} == {SUPERGROUP}
    assert (await broadcast(bot, db, AS_OF))["messages"] == 0          # its history moved with it
    await broadcast(bot, db, D("2022-06-23"))
    assert len(fake_bot_api.sent_messages(SUPERGROUP)) == 2


async def test_a_message_telegram_refuses_is_recorded_failed_not_retried_daily(db, bot, fake_bot_api):
    subscriptions.add(db, ALICE, "all", "", 14)
    fake_bot_api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: oops", chat_id=ALICE)
    report = await broadcast(bot, db, AS_OF)
    assert report["failed"] and report["deactivated"] == [] and report["pending"] == 0
    assert outbox.counts(db) == {"failed": 1}
    assert subscriptions.list_for_chat(db, ALICE)          # the chat is fine; only that message failed


def test_the_command_sends_once_and_dry_run_records_nothing(store_path, fake_bot_api, capsys):
    db = open_store(store_path)
    subscribe_everyone(db)
    cfg = Config(store_path=store_path, token=TOKEN, base_url=fake_bot_api.base_url, as_of=AS_OF)

    assert run_broadcast_cli(cfg, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "2022-06-30 到期" in out and "<b>" not in out and "dry run" in out.splitlines()[-1]
    assert fake_bot_api.calls_of("sendMessage") == [] and "outbox" not in db.table_names()

    assert run_broadcast_cli(cfg, dry_run=False) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("broadcast 2022-06-20:") and "3 message(s)" in line and "0 still pending" in line
    assert len(fake_bot_api.sent_messages()) == 3
    assert run_broadcast_cli(cfg, dry_run=False) == 0
    assert len(fake_bot_api.sent_messages()) == 3
    db.conn.close()


def test_the_command_without_a_token_says_so(store_path, capsys):
    assert run_broadcast_cli(Config(store_path=store_path, as_of=AS_OF), dry_run=False) == 2
    assert "token" in capsys.readouterr().err


async def test_the_daily_job_runs_at_the_configured_time_and_sends_the_digest(store_path, db, fake_bot_api):
    cfg = Config(store_path=store_path, token=TOKEN, as_of=AS_OF,
                 timezone="Asia/Shanghai", broadcast_time=dt.time(8, 30))
    app = (ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).base_url(fake_bot_api.base_url)
           .base_file_url(fake_bot_api.base_file_url).rate_limiter(AIORateLimiter())
           .defaults(Defaults(tzinfo=ZoneInfo(cfg.timezone))).build())
    app.bot_data.cfg = cfg
    app.bot_data.engine = SimpleNamespace(db=db, today=AS_OF)
    jobs.schedule(app, cfg)
    subscriptions.add(db, ALICE, "unit", "区住房城乡建设委", 14)
    async with app:
        await app.start()
        try:
            [daily] = app.job_queue.get_jobs_by_name(jobs.JOB_NAME)
            when = daily.next_t.astimezone(ZoneInfo("Asia/Shanghai"))
            assert (when.hour, when.minute) == (8, 30)
            await daily.run(app)
        finally:
            await app.stop()
    [message] = fake_bot_api.sent_messages(ALICE)
    assert "区住房城乡建设委" in message["text"] and "还剩 10 天" in message["text"]


async def test_a_long_digest_goes_out_as_several_valid_messages_each_marked_as_it_is_accepted(db, bot, fake_bot_api):
    subscriptions.add(db, ALICE, "all", "", 14)
    fake_bot_api.fail_next("sendMessage", 502, chat_id=ALICE, times=1)   # the first part hits a server error
    sleeps = Sleeps()
    report = await broadcast(bot, db, D("2022-12-20"), sleep=sleeps)      # 147 tasks due 2022-12-31
    assert sleeps.waits == [1.0] and report["retried"] == 1               # sent again after a back-off
    messages = fake_bot_api.sent_messages(ALICE)
    assert report["messages"] == len(messages) > 1 and fake_bot_api.errors[1:] == []
    assert len(items(messages)) == 147 and len(set(items(messages))) == 147
    assert outbox.counts(db) == {"sent": 147}
    ids = {r["message_id"] for r in db.query("select message_id from outbox")}
    assert len(ids) == len(messages)                                      # each notice points at its message


async def test_the_start_up_job_resumes_what_a_dead_run_left_pending_without_deciding_more(
        store_path, db, fake_bot_api):
    cfg = Config(store_path=store_path, token=TOKEN, as_of=D("2022-06-23"))
    app = (ApplicationBuilder().token(TOKEN).context_types(CONTEXT_TYPES).base_url(fake_bot_api.base_url)
           .rate_limiter(AIORateLimiter()).build())
    app.bot_data.cfg, app.bot_data.engine = cfg, SimpleNamespace(db=db, today=cfg.as_of)
    jobs.schedule(app, cfg)
    subscriptions.add(db, ALICE, "unit", "区住房城乡建设委", 14)
    assert outbox.decide(db, AS_OF) == 1           # decided on 06-20, then the process died before sending
    async with app:
        [resume] = app.job_queue.get_jobs_by_name(jobs.JOB_NAME + "-resume")
        await resume.run(app)
    [message] = fake_bot_api.sent_messages(ALICE)
    assert "进入提醒期" in message["text"]           # the pending 06-20 notice, not a new 06-23 "week" one
    assert outbox.counts(db) == {"sent": 1}
