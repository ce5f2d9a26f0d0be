"""People's database and its writer: answers never wait for the disk, and nothing people did is lost to a
locked, read-only, full or deleted file, a rebuild of the knowledge store, or a killed process."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Config
from fakes.bot_api import FakeBotAPI, polling
from handlers import common, errors, live
from knowledge import people, subscriptions as subs
from knowledge.store import build_store
from knowledge.writer import Writer
from tests.conftest import TONGZHOU

TODAY = dt.date(2022, 9, 1)
TOKEN = "123:PEOPLE"
ROOT = Path(__file__).resolve().parent.parent
QUESTION, ANSWER = "谁负责老楼加装电梯", "区住房城乡建设委"
DECLINED = "火星基地谁负责"
ANSWERED = {"answers": [{"item": "x"}], "intent": "who"}
NOT_ANSWERED = {"answers": [], "intent": "who"}


def rows(path: Path, sql: str) -> list[tuple]:
    db = people.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.conn.close()


# --- the writer on its own ---------------------------------------------------------------------------


def test_the_writer_logs_questions_declined_ones_feedback_and_stored_questions(tmp_path):
    path = tmp_path / "people.db"
    log = Writer(path)
    log.question("q1", ANSWERED, user_id=1, chat_id=1)
    log.question("q2", NOT_ANSWERED, user_id=2)
    log.feedback(5, 1, user_id=1, question="q1")
    log.feedback(5, -1, user_id=1, question="q1")        # a later vote replaces the earlier one
    qid = log.remember("q1")
    assert log.remember("q1") == qid != log.remember("q2")
    assert log.recalled(qid) == "q1"                     # known before anything is written
    assert log.flush(timeout=30)
    assert rows(path, "select question, answered from questions order by id") == [("q1", 1), ("q2", 0)]
    assert rows(path, "select question from declined") == [("q2",)]
    assert rows(path, "select vote from feedback") == [(-1,)]
    log.stop()
    again = Writer(path)                                  # a restart: new ids follow the stored ones
    assert again.recall(qid) == "q1" and again.remember("q3") > qid
    again.stop()


def test_a_clean_stop_writes_what_is_queued(tmp_path):
    path = tmp_path / "people.db"
    log = Writer(path, interval=3600)                     # nothing would be written by time alone
    for k in range(5):
        log.question(f"q{k}", ANSWERED)
    log.stop()
    assert rows(path, "select count(*) from questions") == [(5,)]


def test_a_deleted_file_is_started_again_and_said_so(tmp_path, caplog):
    path = tmp_path / "people.db"
    log = Writer(path)
    log.question("before", ANSWERED)
    assert log.flush(timeout=30)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log.question("after", ANSWERED)
    assert log.flush(timeout=30)
    log.stop()
    assert rows(path, "select question from questions") == [("after",)]
    assert "was deleted while the bot runs" in caplog.text


SIGKILL_CHILD = textwrap.dedent("""
    import sys, threading
    from knowledge.writer import Writer
    committed = threading.Semaphore(0)
    log = Writer(sys.argv[1], on_commit=lambda n: committed.release())
    for k in range(int(sys.argv[2])):
        log.question(f"q{k}", {"answers": [], "intent": "who"})
    committed.acquire()            # the writer committed on its own: no flush, no stop
    print(log.committed, flush=True)
    for k in range(5):             # queued, never committed: the kill comes first
        log.question(f"late{k}", {"answers": [], "intent": "who"})
    threading.Event().wait()
""")


@pytest.mark.parametrize("asked", [3, 250])     # committed by time (the 1 s rule), by count (100 rows)
def test_sigkill_keeps_every_row_the_writer_committed_by_itself(tmp_path, asked):
    path = tmp_path / "people.db"
    child = subprocess.Popen([sys.executable, "-c", SIGKILL_CHILD, str(path), str(asked)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        committed = int(child.stdout.readline())
    finally:
        child.kill()
        child.wait()
    assert committed > 0
    written = rows(path, "select (select count(*) from questions) + (select count(*) from declined)")[0][0]
    assert written >= committed
    assert rows(path, "pragma integrity_check") == [("ok",)]


@pytest.mark.parametrize("trouble, said", [("readonly", "cannot be written"), ("full", "disk holding")])
def test_a_read_only_or_full_file_costs_no_row_once_it_is_fixed(tmp_path, caplog, trouble, said):
    path = tmp_path / "people.db"
    people.connect(path).conn.close()
    fixed = threading.Event()
    log = Writer(path, connect=broken_until(path, trouble, fixed))
    for k in range(20):
        log.question(f"{k}" + "问" * 900, ANSWERED)     # more than the free room in the file's pages
    assert not log.flush(timeout=0.5)          # still failing: nothing written, nothing lost
    assert log.backlog == 20
    fixed.set()
    assert log.flush(timeout=30)
    log.stop()
    assert rows(path, "select count(*) from questions") == [(20,)]
    assert caplog.text.count(said) == 1 and "the log caught up (20 rows)" in caplog.text


def broken_until(path: Path, trouble: str, fixed: threading.Event):
    """A connection factory for the writer: read-only, or on a full disk, until `fixed` is set."""
    def connect() -> sqlite3.Connection:
        if fixed.is_set():
            return people.connect(path).conn
        if trouble == "readonly":
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        conn = sqlite3.connect(str(path), check_same_thread=False)
        pages = conn.execute("pragma page_count").fetchone()[0]
        conn.execute(f"pragma max_page_count = {pages}")     # what SQLite says when the disk is full
        return conn
    return connect


def when_logged(logger: str, text: str) -> threading.Event:
    """An event set when the logger says something containing text."""
    seen = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if text in record.getMessage():
                seen.set()
                logging.getLogger(logger).removeHandler(self)
    logging.getLogger(logger).addHandler(Watch())
    return seen


# --- the bot: answers while people's database is in trouble -------------------------------------------


@pytest.fixture
def cfg(store_path, fake_bot_api: FakeBotAPI) -> Config:
    return Config(store_path=store_path, token=TOKEN, base_url=fake_bot_api.base_url,
                  base_file_url=fake_bot_api.base_file_url, as_of=TODAY, questions_per_minute=10 ** 6)


async def ask_all(api: FakeBotAPI, users: list[int], question: str = QUESTION) -> list[str]:
    """Push one question per user and return the replies' texts, waiting for each user's first reply."""
    for user in users:
        api.push_text(question, user_id=user)
    return [(await api.await_call("sendMessage", chat_id=user, timeout=30))[0]["text"] for user in users]


async def test_a_locked_people_database_costs_no_answer_and_the_log_catches_up(cfg, fake_bot_api, caplog):
    holder = sqlite3.connect(str(cfg.people_db), isolation_level=None)
    async with polling(build_application(cfg)) as app:
        holder.execute("BEGIN EXCLUSIVE")          # another program holds the write lock
        try:
            replies = await ask_all(fake_bot_api, list(range(100, 110)))
            said = when_logged("knowledge.writer", "is locked by another program")
            app.bot_data.writer.flush(timeout=0)     # write now rather than within the second
            assert await asyncio.to_thread(said.wait, 30)   # the writer tried, failed, said so, and kept the rows
            fake_bot_api.push_command("subscribe", "区住建委", user_id=200)
            busy = (await fake_bot_api.await_call("sendMessage", chat_id=200, timeout=30))[0]["text"]
        finally:
            holder.execute("ROLLBACK")
        assert all(ANSWER in text for text in replies)
        assert busy == common.PEOPLE_BUSY
        assert await asyncio.to_thread(app.bot_data.writer.flush, 30)
        assert rows(cfg.people_db, "select count(*) from questions where question = '谁负责老楼加装电梯'") == [(10,)]
    assert caplog.text.count("is locked by another program") == 1 and "the log caught up" in caplog.text
    assert errors.APOLOGY not in str(fake_bot_api.calls_of("sendMessage"))


@pytest.mark.parametrize("trouble", ["readonly", "full"])
async def test_a_read_only_or_full_people_database_costs_no_answer(cfg, fake_bot_api, trouble):
    fixed = threading.Event()
    async with polling(build_application(cfg)) as app:
        app.bot_data.writer.stop()
        app.bot_data.writer = log = Writer(cfg.people_db, connect=broken_until(cfg.people_db, trouble, fixed))
        replies = await ask_all(fake_bot_api, list(range(100, 104)))
        assert all(ANSWER in text for text in replies)
        fixed.set()
        assert await asyncio.to_thread(log.flush, 30)
    assert rows(cfg.people_db, "select count(*) from questions") == [(4,)]


async def test_a_rebuild_while_the_bot_answers_a_stream(cfg, fake_bot_api, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(live, "CHECK_EVERY", 0.0)          # look at the store file on every question
    db = people.connect(cfg.people_db)
    subs.add(db, 300, "unit", ANSWER, 7)
    db.conn.close()
    async with polling(build_application(cfg)) as app:
        old = app.bot_data.engine
        rebuild = asyncio.create_task(asyncio.to_thread(build_store, [TONGZHOU], cfg.store_path))
        users = iter(range(1000, 2000))
        texts = []
        while not rebuild.done():                           # questions keep coming while it rebuilds
            texts += await ask_all(fake_bot_api, [next(users)])
        await rebuild
        texts += await ask_all(fake_bot_api, [next(users)])  # notices the new file, switches in the background
        await app.bot_data.store_switch
        texts += await ask_all(fake_bot_api, [next(users) for _ in range(5)])
        assert app.bot_data.engine is not old
        assert all(ANSWER in text for text in texts)
        assert await asyncio.to_thread(app.bot_data.writer.flush, 30)
        assert rows(cfg.people_db, "select count(*) from questions") == [(len(texts),)]
    assert rows(cfg.people_db, "select chat_id, value from subscriptions") == [(300, ANSWER)]
    assert "switched to the rebuilt knowledge store" in caplog.text


async def test_a_deleted_knowledge_store_keeps_the_bot_answering_and_subscriptions(cfg, fake_bot_api, monkeypatch,
                                                                                   caplog):
    monkeypatch.setattr(live, "CHECK_EVERY", 0.0)
    async with polling(build_application(cfg)):
        fake_bot_api.push_command("subscribe", "区住建委", user_id=300)
        await fake_bot_api.await_call("sendMessage", chat_id=300, timeout=30)
        cfg.store_path.unlink()
        assert all(ANSWER in text for text in await ask_all(fake_bot_api, [400, 401]))
        fake_bot_api.push_command("mysubs", user_id=300)
        listing = (await fake_bot_api.await_call("sendMessage", chat_id=300, count=2, timeout=30))[1]["text"]
        assert ANSWER in listing
    assert "knowledge store" in caplog.text and "is gone" in caplog.text


# --- the command line ----------------------------------------------------------------------------------


def test_ask_from_the_command_line_logs_nothing_unless_told(store_path, monkeypatch, capsys):
    from bot.cli import main
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    people_db = people.default_path(store_path)
    assert main(["ask", "--json", DECLINED]) == 0
    assert rows(people_db, "select count(*) from declined") == [(0,)]
    assert main(["ask", "--log", DECLINED]) == 0
    assert rows(people_db, "select question from declined") == [(DECLINED,)]
    capsys.readouterr()


def test_an_old_combined_store_has_its_people_tables_moved_out_at_start(store_path, engine, caplog):
    from knowledge.store import open_store
    old = open_store(store_path)                 # a store from before people.db
    subs.add(old, 300, "unit", ANSWER, 7)
    old["questions"].insert({"at": "2022-09-01T00:00:00", "question": "q", "intent": "who", "answered": 1})
    old.conn.commit()
    old.conn.close()
    app = build_application(Config(store_path=store_path, token=TOKEN), engine)
    app.bot_data.writer.stop()
    people_db = people.default_path(store_path)
    assert rows(people_db, "select chat_id, value from subscriptions") == [(300, ANSWER)]
    assert rows(people_db, "select question from questions") == [("q",)]
    assert not {"subscriptions", "questions"} & set(open_store(store_path).table_names())
    assert "moved people's data" in caplog.text
