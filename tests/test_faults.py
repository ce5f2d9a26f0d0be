"""Hostile input and unlucky networks (issue #12), against the real commands and the real bot on the fake Bot API:
no token in any output, no forged button, no planted or partial store, no traceback for bad input, no request
inside a 429's wait, no digest sent twice after a time-out or a kill -9, and a reply (or an apology) for
every message."""
from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime as dt
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter
from telegram.ext import ExtBot

import bot.broadcast as broadcasting
from bot import cli as bot_cli
from bot.app import build_application
from bot.broadcast import broadcast, rate_limiter, run_broadcast_cli
from bot.config import Config
from bot.redact import RedactToken, configure_logging
from fakes.bot_api import FakeBotAPI, KillingAPI, polling
from handlers import keyboards
from knowledge import outbox, people, subscriptions
from knowledge.engine import Engine
from knowledge.store import build_store, open_store
from tests.conftest import TONGZHOU

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAHfakeFAKEfake-secret_0123456789abc"
SECRET = TOKEN.split(":")[1]
TODAY = dt.date(2022, 9, 1)
AS_OF = dt.date(2022, 6, 20)        # one task within 14 days: one digest message per subscribed chat
USER, OTHER = 7002, 7003
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"
EXPIRED = "这个按钮已过期，请重新提问。"


def leaks(text: str) -> int:
    return text.count(TOKEN) + text.count(SECRET)


def cli(args: list[str], api: FakeBotAPI | None, store: Path, tmp_path: Path, stdin: bytes = b"",
        token: str = TOKEN) -> subprocess.CompletedProcess:
    """`gazette-bot ARGS` in its own process, configured for the fake server and this test's store."""
    config = tmp_path / "faults.toml"
    server = f'base_url = "{api.base_url}"\nbase_file_url = "{api.base_file_url}"\n' if api else ""
    config.write_text(f'[telegram]\n{server}[store]\npath = "{store}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("GAZETTE_BOT_DB",)}
    env.update(TELEGRAM_BOT_TOKEN=token, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *args], input=stdin,
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)


def output(done: subprocess.CompletedProcess) -> str:
    return done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------------------------------------- 1. the token


@pytest.mark.parametrize("command", [["run"], ["broadcast", "--as-of", "2022-06-20"]])
def test_a_revoked_token_is_one_line_and_never_printed(command, store_path, fake_bot_api, tmp_path):
    fake_bot_api.invalid_tokens.add(TOKEN)          # Telegram answers 401 Unauthorized
    done = cli(command, fake_bot_api, store_path, tmp_path)
    text = output(done)
    assert done.returncode == 2 and leaks(text) == 0, text
    assert text.splitlines()[-1].startswith("gazette-bot: error: The token `[token]` was rejected")


def test_run_with_a_revoked_token_fails_at_once_loading_and_building_nothing(fake_bot_api, tmp_path, monkeypatch,
                                                                             capsys):
    fake_bot_api.invalid_tokens.add(TOKEN)
    loads = []
    monkeypatch.setattr(Engine, "load", classmethod(lambda cls, *args, **kwargs: loads.append(args)))
    store = tmp_path / "not-built-yet.db"
    config = tmp_path / "run.toml"
    config.write_text(f'[telegram]\nbase_url = "{fake_bot_api.base_url}"\n'
                      f'base_file_url = "{fake_bot_api.base_file_url}"\n[store]\npath = "{store}"\n', encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert bot_cli.main(["--config", str(config), "run"]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert loads == [] and not store.exists()           # neither the engine nor a build was waited for
    assert [call.method for call in fake_bot_api.calls] == ["getMe"]
    assert leaks(text) == 0
    assert text.splitlines() == ["gazette-bot: error: The token `[token]` was rejected by the server. "
                                 "Check [telegram] token or TELEGRAM_BOT_TOKEN."]


def test_any_command_masks_the_token_even_when_asked_to_print_it(store_path, tmp_path):
    done = cli(["ask", "--json", f"token {TOKEN} and {SECRET}"], None, store_path, tmp_path)
    assert done.returncode == 0 and leaks(output(done)) == 0
    assert json.loads(done.stdout)["query"] == "token [token] and [token]"


@pytest.fixture
def logged():
    """The root logger's output as text, set up the way `gazette-bot run` does it (configure_logging)."""
    root, buffer = logging.getLogger(), io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    level = root.level
    root.addHandler(handler)
    configure_logging(TOKEN)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(level)
    for h in root.handlers:
        for f in [f for f in h.filters if isinstance(f, RedactToken)]:
            h.removeFilter(f)


class TokenInError:
    """An engine that fails with the token in its exception, as PTB's InvalidToken does."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def ask(self, *args, **kwargs):
        raise RuntimeError(f"request to https://api.telegram.org/bot{TOKEN}/sendMessage failed ({SECRET})")


async def test_tracebacks_and_exception_messages_in_the_log_are_redacted(cfg, engine, fake_bot_api, logged):
    async with polling(build_application(cfg, TokenInError(engine))):
        fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
        await fake_bot_api.await_call("sendMessage", chat_id=USER)
    text = logged.getvalue()
    assert "Traceback" in text and "/bot[token]/sendMessage" in text     # the traceback is there ...
    assert leaks(text) == 0                                               # ... without the token



class CannotWarmUp(TokenInError):
    """An engine whose start-up warm-up fails (a table it reads on first use is unreadable) but that answers."""

    def warm(self):
        raise OSError("jieba's tag table cannot be read")

    def ask(self, *args, **kwargs):
        return self.engine.ask(*args, **kwargs)


async def test_a_failed_warm_up_is_logged_and_questions_are_still_answered(cfg, engine, fake_bot_api, logged):
    async with polling(build_application(cfg, CannotWarmUp(engine))):
        fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
        [answer] = await fake_bot_api.await_call("sendMessage", chat_id=USER)
    assert "区住房城乡建设委" in answer["text"]
    assert "warming the engine up failed (jieba's tag table cannot be read)" in logged.getvalue()

# ------------------------------------------------------------------------------------------- 2. buttons


@pytest.fixture
def cfg(store, fake_bot_api: FakeBotAPI) -> Config:
    return Config(store_path=store, token=TOKEN, base_url=fake_bot_api.base_url,
                  base_file_url=fake_bot_api.base_file_url, as_of=TODAY, questions_per_minute=1000)


@pytest.fixture
async def app(cfg, engine, fake_bot_api):
    async with polling(build_application(cfg, engine)) as application:
        yield application


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def no_errors_logged(caplog) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_forged_or_replayed_button_never_shows_someone_elses_question(app, fake_bot_api, engine, caplog):
    fake_bot_api.push_text("一键呼谁负责", user_id=USER)                   # USER's question and its buttons
    [answer] = await fake_bot_api.await_call("sendMessage", chat_id=USER)
    theirs = buttons(answer)
    assert all(len(d.encode()) <= 64 for d in theirs.values())
    qid = keyboards.parse(theirs["更多结果"].rpartition(":")[0])[1][0]
    pid = keyboards.parse(theirs["来源文件"].rpartition(":")[0])[1][0]

    key = keyboards.key_for(TOKEN)
    forged = [f"m:{qid}:0", f"m:{qid - 1}:0", f"m:{qid + 1}:0", f"p:{pid}:{qid}", f"d:{pid}", f"f:{pid}:1:{qid}",
              theirs["更多结果"], theirs["来源文件"], theirs["👍"],              # replayed in another chat
              f"m:{qid}:0:AAAAAAAAAAAAAAAA", "m:9223372036854775808:0", "f:122:1:9223372036854775808",
              # a valid seal cannot make an out-of-range number acceptable either
              keyboards.seal(InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="m:9223372036854775808:0")]]),
                             OTHER, key).inline_keyboard[0][0].callback_data,
              "m:" + "9" * 5000, "", "m:1:²"]
    for data in forged:
        fake_bot_api.push_callback(data, user_id=OTHER)
    answered = await fake_bot_api.await_call("answerCallbackQuery", count=len(forged))
    assert [a.get("text") for a in answered] == [EXPIRED] * len(forged)
    assert fake_bot_api.sent_messages(OTHER) == []                 # nothing of USER's reached OTHER's chat
    assert app.bot_data.writer.flush(timeout=10)
    votes = people.connect(app.bot_data.cfg.people_db)
    assert not list(votes.query("select * from feedback where user_id = ?", [OTHER]))
    votes.conn.close()

    fake_bot_api.push_callback(theirs["更多结果"], user_id=USER)      # the owner's own button still works
    more = await fake_bot_api.await_call("sendMessage", count=2, chat_id=USER)
    assert "更多结果" in more[1]["text"]
    no_errors_logged(caplog)


# ------------------------------------------------------------------------------------------- 3. the store


def test_a_store_planted_at_the_old_temp_fallback_is_never_served(tmp_path, monkeypatch, capsys):
    from bot.cli import main
    temp = tmp_path / "tmp"
    planted = temp / f"gazette-bot-{os.getuid()}" / "gazette.db"
    planted.parent.mkdir(parents=True)
    build_store([tiny_gazette(tmp_path, "通政发〔2022〕99号", "植入的假公报内容。")], planted)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    monkeypatch.setenv("GAZETTE_BOT_DB", str(blocker / "gazette.db"))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.chdir(tmp_path)
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    before = planted.read_bytes()
    assert main(["ask", "--json", "通政发〔2022〕99号"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "[store] path" in err and "GAZETTE_BOT_DB" in err and "植入" not in err
    assert planted.read_bytes() == before


# ------------------------------------------------------------------------------------------- 4. the gazette


def tiny_gazette(folder: Path, number: str = "通政发〔2022〕9号", body: str = "今天天气很好。特此通知。",
                 twice: bool = False) -> Path:
    """A gazette issue of one short notice: no tasks, no tables, no targets."""
    document = (f"北京市通州区人民政府\n\n{number}\n\n关于一件小事的通知\n\n各有关单位：\n\n{body}\n\n"
                "北京市通州区人民政府\n\n2022年1月1日\n\n（此件公开发布）\n\n北京市通州区人民政府办公室 2022年1月2日印发\n\n")
    text = (f"北京市通州区人民政府公报\n\n2022年4月15日 第1期 北京市通州区人民政府办公室主办\n\n目 录\n\n"
            f"【区政府文件】\n\n关于一件小事的通知\n\n{number} (1)\n\n" + document * (2 if twice else 1))
    path = folder / f"tiny-{number[-4:]}{'-twice' if twice else ''}.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def built(store, tmp_path, monkeypatch) -> Path:
    """A store of the whole Tongzhou issue (a copy of the session's), which the CLI (in this process) uses."""
    path = tmp_path / "store" / "g.db"
    path.parent.mkdir()
    shutil.copyfile(store, path)
    monkeypatch.setenv("GAZETTE_BOT_DB", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def test_a_truncated_issue_is_refused_naming_the_missing_documents_and_the_store_is_untouched(built, tmp_path,
                                                                                              capsys):
    from bot.cli import main
    lines = TONGZHOU.read_text(encoding="utf-8").splitlines(keepends=True)
    half = tmp_path / "half.txt"
    half.write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")
    before = built.read_bytes()
    assert main(["build", str(half)]) == 2
    err = capsys.readouterr().err
    assert "目录" in err and "通政办发〔2022〕8号" in err and "通政发〔2022〕1号" not in err
    assert built.read_bytes() == before and stats_documents(built) == 10
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".gazette-")]


def stats_documents(path: Path) -> int:
    db = open_store(path)
    try:
        return db["documents"].count
    finally:
        db.conn.close()


def test_a_document_without_tasks_or_tables_builds_and_answers(tmp_path, monkeypatch, capsys):
    from bot.cli import main
    store = tmp_path / "tiny.db"
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store))
    assert main(["build", str(tiny_gazette(tmp_path))]) == 0
    assert "1 documents, 1 clauses, 0 tasks, 0 table rows, 0 targets" in capsys.readouterr().out
    engine = Engine.load(store, today=TODAY)
    assert engine.ask("今后30天到期的任务")["answers"] == []
    assert engine.document("通政发〔2022〕9号")["doc_number"] == "通政发〔2022〕9号"


def test_a_document_printed_twice_is_reported(built, tmp_path, capsys):
    from bot.cli import main
    before = built.read_bytes()
    assert main(["build", str(tiny_gazette(tmp_path, twice=True))]) == 2
    err = capsys.readouterr().err
    assert "通政发〔2022〕9号 is printed 2 times" in err and built.read_bytes() == before


async def test_reload_of_a_truncated_issue_fails_and_keeps_the_store(cfg, engine, fake_bot_api, tmp_path):
    lines = TONGZHOU.read_text(encoding="utf-8").splitlines(keepends=True)
    half = tmp_path / "half.txt"
    half.write_text("".join(lines[:len(lines) // 2]), encoding="utf-8")
    copy = tmp_path / "reload.db"
    shutil.copy(cfg.store_path, copy)
    before = copy.read_bytes()
    admin_cfg = dataclasses.replace(cfg, store_path=copy, gazettes=[half], admins=[USER])
    old = Engine.load(copy, today=TODAY)
    async with polling(build_application(admin_cfg, old)) as application:
        fake_bot_api.push_command("reload", user_id=USER)
        replies = await fake_bot_api.await_call("sendMessage", count=2, chat_id=USER, timeout=30)
        assert replies[1]["text"].startswith("重建失败，知识库保持不变") and "目录" in replies[1]["text"]
        assert application.bot_data.engine is old
    assert copy.read_bytes() == before


# ------------------------------------------------------------------------------------------- 5. bad input


def test_ask_from_stdin_answers_every_line_despite_huge_numbers_and_invalid_bytes(store_path, tmp_path):
    lines = [b"\xe8\xb0\x81\xe8\xb4\x9f\xe8\xb4\xa3\xe8\x80\x81\xe6\xa5\xbc\xe5\x8a\xa0\xe8\xa3\x85\xe7\x94\xb5"
             b"\xe6\xa2\xaf",                                          # 谁负责老楼加装电梯
             "今后 3000000 天内到期的任务".encode(),
             b"\xff\xfe broken \xc3(",                                  # not UTF-8
             ("今后 " + "9" * 5000 + " 天内到期的任务").encode(),
             "路灯不亮归谁管".encode()]
    done = cli(["ask", "--json", "--as-of", "2022-09-01", "-"], None, store_path, tmp_path,
               stdin=b"\n".join(lines) + b"\n")
    assert done.returncode == 0, output(done)
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == len(lines) and "Traceback" not in output(done)
    assert all("error" not in o for o in out)
    assert "区住房城乡建设委" in json.dumps(out[0], ensure_ascii=False)
    assert out[1]["intent"] == "due" and "\ufffd" in out[2]["query"]
    assert "区城市管理委" in json.dumps(out[4], ensure_ascii=False)


async def test_bad_numbers_in_chat_get_a_friendly_reply_never_a_traceback(app, fake_bot_api, caplog):
    fake_bot_api.push_text("今后 3000000 天内到期的任务", user_id=USER)
    fake_bot_api.push_command("due", "²", user_id=USER)
    fake_bot_api.push_command("due", "9" * 40, user_id=USER)
    fake_bot_api.push_command("subscribe", "区住建委 ²", user_id=USER)
    fake_bot_api.push_command("subscribe", "区住建委 " + "9" * 30, user_id=USER)
    fake_bot_api.push_inline_query("今后 3000000 天内到期的任务", user_id=USER)
    replies = [m["text"] for m in await fake_bot_api.await_call("sendMessage", count=5, chat_id=USER, timeout=30)]
    [inline] = await fake_bot_api.await_call("answerInlineQuery")
    assert "3650 天内" in replies[0] and replies[1].startswith("用法：/due 天数") and "3650 天内" in replies[2]
    assert "没有找到“区住建委²”" in replies[3] and "天数要在 0 到" in replies[4]
    assert inline["results"]
    assert APOLOGY not in replies
    no_errors_logged(caplog)


# ------------------------------------------------------------------------------------------- 6. broadcast


def subscribe(db, n: int) -> list[int]:
    chats = [5000 + i for i in range(n)]
    for chat in chats:
        subscriptions.add(db, chat, "all", "", 14)
    return chats


def twice(api: FakeBotAPI) -> int:
    """Digests delivered more than once (every chat here gets one message a day)."""
    per_chat = collections.Counter(int(m["chat_id"]) for m in api.sent_messages())
    return sum(n - 1 for n in per_chat.values())


@pytest.fixture
async def steady_bot(fake_bot_api):
    """The bot the broadcast command builds: ExtBot behind bot.broadcast.rate_limiter()."""
    async with ExtBot(TOKEN, base_url=fake_bot_api.base_url, rate_limiter=rate_limiter()) as client:
        yield client


async def test_a_429_pauses_every_send_for_retry_after_with_one_warning(db, steady_bot, fake_bot_api, caplog):
    chats = subscribe(db, 8)
    fake_bot_api.fail_next("sendMessage", 429, retry_after=1)
    report = await broadcast(steady_bot, db, AS_OF)
    assert fake_bot_api.flood_window_calls == []                 # nothing reached Telegram during the wait
    assert all(len(fake_bot_api.sent_messages(c)) == 1 for c in chats) and report["pending"] == 0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "flood control" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_429_on_one_chat_holds_the_sends_to_every_other_chat(steady_bot, fake_bot_api):
    fake_bot_api.fail_next("sendMessage", 429, retry_after=1, chat_id=1)
    with pytest.raises(RetryAfter):
        await steady_bot.send_message(1, "throttled")
    await asyncio.gather(*(steady_bot.send_message(chat, "held until the wait is over") for chat in (2, 3, 4)))
    assert fake_bot_api.flood_window_calls == [] and len(fake_bot_api.sent_messages()) == 3


async def test_server_errors_are_retried_with_back_off_within_the_run(db, steady_bot, fake_bot_api):
    chats = subscribe(db, 3)
    fake_bot_api.fail_next("sendMessage", 500, chat_id=chats[1], times=2)
    fake_bot_api.fail_next("sendMessage", 502, chat_id=chats[2])
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    report = await broadcast(steady_bot, db, AS_OF, sleep=sleep)
    assert waits == [1.0, 2.0, 1.0] and report["retried"] == 3
    assert all(len(fake_bot_api.sent_messages(c)) == 1 for c in chats) and report["pending"] == 0


async def test_a_server_that_stays_down_stops_the_run_and_keeps_the_rest_pending(db, steady_bot, fake_bot_api):
    subscribe(db, 4)
    fake_bot_api.fail_next("sendMessage", 500, times=100)

    async def sleep(seconds: float) -> None:
        pass

    report = await broadcast(steady_bot, db, AS_OF, sleep=sleep)
    assert len(fake_bot_api.calls_of("sendMessage")) == 5           # one chat, 1 + 4 tries, then it stops
    assert report["pending"] == 4 and "unreachable" in report["stopped"]


async def test_sends_answered_after_the_time_out_are_never_sent_twice(db, fake_bot_api, monkeypatch):
    chats = subscribe(db, 5)
    monkeypatch.setattr(broadcasting, "ANSWER_TIMEOUT", 0.3)
    fake_bot_api.answer_late("sendMessage", 60, times=len(chats))   # accepted, answered only at stop()
    async with ExtBot(TOKEN, base_url=fake_bot_api.base_url, rate_limiter=rate_limiter()) as client:
        runs = [await broadcast(client, db, AS_OF) for _ in range(3)]
    assert [r["unknown"] for r in runs] == [3, 2, 0] and runs[0]["stopped"]   # 3 in a row stop a run
    assert len(fake_bot_api.sent_messages()) == len(chats) and twice(fake_bot_api) == 0
    assert outbox.counts(db) == {"unknown": len(chats)}


def test_resend_unknown_sends_them_once_more_on_request(store_path, fake_bot_api, capsys):
    db = people_of(store_path)
    [chat] = subscribe(db, 1)
    outbox.decide(db, AS_OF)
    db.execute("update outbox set status = 'unknown'")
    db.conn.commit()
    cfg = Config(store_path=store_path, token=TOKEN, base_url=fake_bot_api.base_url, as_of=AS_OF)
    assert run_broadcast_cli(cfg, dry_run=False) == 0 and fake_bot_api.sent_messages() == []
    assert run_broadcast_cli(cfg, dry_run=False, resend_unknown=True) == 0
    assert len(fake_bot_api.sent_messages(chat)) == 1 and outbox.counts(db) == {"sent": 1}
    db.conn.close()


def test_a_broadcast_killed_mid_way_resends_nothing_that_was_in_flight(store_path, tmp_path):
    db = people_of(store_path)
    chats = subscribe(db, 12)
    db.conn.close()
    with KillingAPI(kill_at=5) as api:
        api.answer_late("sendMessage", 0.2, times=10 ** 6)      # answers take a while to come back
        config = tmp_path / "kill.toml"
        config.write_text(f'[telegram]\nbase_url = "{api.base_url}"\n[store]\npath = "{store_path}"\n')
        argv = [sys.executable, "-m", "bot", "--config", str(config), "broadcast", "--as-of", AS_OF.isoformat()]
        env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
        first = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        api.pid = first.pid
        assert first.wait(timeout=120) == -signal.SIGKILL
        in_flight = len(api.sent_messages()) - sent_rows(store_path)
        api.pid = None
        again = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert in_flight == 1                                    # one message at a time is on the wire
        assert twice(api) == 0                                   # and it is not sent again
        assert {int(m["chat_id"]) for m in api.sent_messages()} == set(chats)
        assert f"{in_flight} sent without an answer (not resent)" in again.stdout


def people_of(store_path: Path):
    """People's database beside the store, with the store attached (subscriptions, outbox and tasks)."""
    return people.connect(people.default_path(store_path), knowledge=store_path)


def sent_rows(path: Path) -> int:
    db = people_of(path)
    try:
        return db.execute("select count(*) from outbox where status = 'sent'").fetchone()[0]
    finally:
        db.conn.close()


# ------------------------------------------------------------------------------------------- 6. replies


@pytest.fixture
async def impatient_app(cfg, engine, fake_bot_api):
    """The bot, waiting 2 s (not 5) for Telegram's answer, so a time-out does not take long."""
    async with polling(build_application(cfg, engine, read_timeout=2.0)) as application:
        yield application


@pytest.mark.parametrize("fault", ["502", "500", "timeout", "429"])
async def test_a_reply_that_fails_once_is_sent_again(impatient_app, fake_bot_api, fault, caplog):
    if fault == "timeout":
        fake_bot_api.answer_late("sendMessage", 60, chat_id=USER)
    elif fault == "429":
        fake_bot_api.fail_next("sendMessage", 429, retry_after=1, chat_id=USER)
    else:
        fake_bot_api.fail_next("sendMessage", int(fault), chat_id=USER)
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    fake_bot_api.push_text("路灯不亮归谁管", user_id=USER)     # barrier: a chat's updates are handled in order
    await fake_bot_api.await_for(lambda _: any("区城市管理委" in m["text"] for m in fake_bot_api.sent_messages(USER)),
                                 timeout=10)
    delivered = [m["text"] for m in fake_bot_api.sent_messages(USER)][:-1]
    assert delivered and all("区住房城乡建设委" in t for t in delivered) and APOLOGY not in delivered
    assert fake_bot_api.flood_window_calls == []
    no_errors_logged(caplog)


async def test_a_reply_that_fails_twice_ends_in_an_apology(impatient_app, fake_bot_api):
    fake_bot_api.fail_next("sendMessage", 502, chat_id=USER, times=2)
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    calls = await fake_bot_api.await_call("sendMessage", count=3, chat_id=USER, timeout=10)
    assert [c["text"] for c in fake_bot_api.sent_messages(USER)] == [APOLOGY] and calls[2]["text"] == APOLOGY


async def test_under_mixed_faults_every_message_of_every_user_is_answered(impatient_app, fake_bot_api):
    users = [8000 + i for i in range(6)]
    fake_bot_api.fail_next("sendMessage", 502, chat_id=users[0], times=2)
    fake_bot_api.fail_next("sendMessage", 500, chat_id=users[1])
    fake_bot_api.fail_next("sendMessage", 429, retry_after=1, chat_id=users[2])
    fake_bot_api.answer_late("sendMessage", 60, chat_id=users[3])
    questions = ["谁负责老楼加装电梯", "今后 3000000 天内到期的任务", "路灯不亮归谁管"]
    for q in questions:
        for user in users:
            fake_bot_api.push_text(q, user_id=user)

    def everyone_answered(_calls) -> bool:
        return all(len(fake_bot_api.sent_messages(u)) >= len(questions) for u in users)

    await fake_bot_api.await_for(everyone_answered, timeout=30)
    for user in users:
        texts = [m["text"] for m in fake_bot_api.sent_messages(user)]
        assert texts.count(APOLOGY) == (1 if user == users[0] else 0), texts
    assert fake_bot_api.flood_window_calls == []
