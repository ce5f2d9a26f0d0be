"""Duplicates and flood-rule breaches of the broadcast under faults, against the fake Bot API. Prints figures;
asserts nothing.

  kill -9    `gazette-bot broadcast` (a real process) is killed with SIGKILL the moment the fake server has
             accepted its K-th message (each answer takes --latency to come back, as from Telegram); then
             the command runs again. Counts the messages the server took
             but the killed process never recorded ("in flight"), and the chats that got their digest twice.
  time-outs  the first send to each chat is accepted but answered only after the client's time-out; the
             broadcast then runs until nothing is left pending (at most 6 runs). Counts chats served twice.
  429        the first send gets "429 retry after 2"; counts requests that reached the server inside those
             2 s, and the ERROR records logged.

    .venv/bin/python bench/broadcast_faults.py
    .venv/bin/python bench/broadcast_faults.py --chats 40 --kill-at 10
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))     # fakes/ (the fake Bot API) is not an installed package

from telegram.ext import ExtBot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

import bot.broadcast as broadcasting  # noqa: E402
from fakes.bot_api import FakeBotAPI, KillingAPI  # noqa: E402
from knowledge import people, subscriptions  # noqa: E402
from knowledge.store import build_store, bundled_gazettes  # noqa: E402

TOKEN = "123456789:AAHbenchBENCHbench-0123456789abcdef"
AS_OF = dt.date(2022, 6, 20)        # one task is within 14 days: one message per chat
TIMEOUT = 1.0                       # the client's read time-out in the time-out scenario, seconds


def stores(folder: Path, chats: int) -> tuple[Path, Path]:
    """A scenario's knowledge store (the bundled issue) in a folder of its own, and its people's database beside
    it (people.db, where `gazette-bot broadcast` finds subscriptions and records what it sent) with chats
    subscribed to everything."""
    folder.mkdir()
    store = folder / "gazette.db"
    build_store(bundled_gazettes(), store)
    subscribe(people.default_path(store), chats)
    return store, people.default_path(store)


def subscribe(people_db: Path, chats: int) -> list[int]:
    db = people.connect(people_db)
    ids = [10_000_000 + i for i in range(chats)]
    with db.atomic():
        for chat in ids:
            subscriptions.add(db, chat, "all", "", 14)
    db.conn.close()
    return ids


def duplicates(api: FakeBotAPI) -> int:
    per_chat = collections.Counter(int(m["chat_id"]) for m in api.sent_messages())
    return sum(n - 1 for n in per_chat.values() if n > 1)


def sent_rows(people_db: Path) -> int:
    db = people.connect(people_db)
    try:
        return db.execute("select count(*) from outbox where status = 'sent'").fetchone()[0]
    finally:
        db.conn.close()


def command(api: FakeBotAPI, db_path: Path, folder: Path) -> tuple[list[str], dict]:
    config = folder / "bench.toml"
    config.write_text(f'[telegram]\nbase_url = "{api.base_url}"\nbase_file_url = "{api.base_file_url}"\n'
                      f'[store]\npath = "{db_path}"\n', encoding="utf-8")
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    return [sys.executable, "-m", "bot", "--config", str(config), "broadcast", "--as-of", AS_OF.isoformat()], env


def kill_scenario(folder: Path, chats: int, kill_at: int, latency: float) -> None:
    db_path, people_db = stores(folder / "kill", chats)
    with KillingAPI(kill_at) as api:
        api.answer_late("sendMessage", latency, times=10 ** 9)    # the way back from Telegram takes a while
        argv, env = command(api, db_path, folder)
        first = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        api.pid = first.pid
        first.wait()
        accepted = len(api.sent_messages())
        recorded = sent_rows(people_db)
        api.pid = None
        second = subprocess.run(argv, env=env, capture_output=True, text=True)
        print(f"kill -9: {chats} chats, answers {latency * 1000:.0f} ms on the way back, killed when message "
              f"{kill_at} was accepted (exit {first.returncode}); "
              f"accepted by the server before the kill {accepted}, recorded sent {recorded}, "
              f"in flight {accepted - recorded}")
        print(f"  after the next run: {len(api.sent_messages())} messages, {duplicates(api)} chat(s) got their "
              f"digest twice; the run said: {second.stdout.strip() or second.stderr.strip()[-300:]}")


async def timeout_scenario(folder: Path, chats: int) -> None:
    db_path, people_db = stores(folder / "late", chats)
    if hasattr(broadcasting, "ANSWER_TIMEOUT"):
        broadcasting.ANSWER_TIMEOUT = TIMEOUT
    db = people.connect(people_db, knowledge=db_path)     # as `gazette-bot broadcast` opens it
    with FakeBotAPI() as api:
        api.answer_late("sendMessage", TIMEOUT + 1.0, times=chats)
        request = HTTPXRequest(read_timeout=TIMEOUT, connection_pool_size=16)
        bot = ExtBot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url, request=request,
                     rate_limiter=broadcasting.rate_limiter())
        runs = []
        async with bot:
            for _ in range(6):
                report = await broadcasting.broadcast(bot, db, AS_OF)
                runs.append(report)
                if not report["pending"]:
                    break
        print(f"time-outs: {chats} chats, first send to each answered {TIMEOUT + 1:.1f} s late (client time-out "
              f"{TIMEOUT:.1f} s); {len(runs)} run(s), {len(api.sent_messages())} messages accepted, "
              f"{duplicates(api)} chat(s) got their digest twice")
        statuses = {r["status"]: r["n"] for r in db.query("select status, count(*) n from outbox group by status")}
        print(f"  outbox afterwards: {statuses}")
    db.conn.close()


class Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.levels: collections.Counter = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.levels[record.levelname] += 1


async def flood_scenario(folder: Path, chats: int) -> None:
    db_path, people_db = stores(folder / "flood", chats)
    db = people.connect(people_db, knowledge=db_path)
    counting = Counting()
    root = logging.getLogger()
    root.addHandler(counting)
    root.setLevel(logging.INFO)
    with FakeBotAPI() as api:
        api.fail_next("sendMessage", 429, retry_after=2)
        bot = ExtBot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url,
                     rate_limiter=broadcasting.rate_limiter())
        async with bot:
            report = await broadcasting.broadcast(bot, db, AS_OF)
        print(f"429: {chats} chats, first send answered 429 retry_after=2; {len(api.flood_window_calls)} "
              f"request(s) reached the server inside the 2 s; log records {dict(counting.levels)}; "
              f"{len(api.sent_messages())} delivered, {report['pending']} pending")
    root.removeHandler(counting)
    db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=40, help="subscribed chats in the kill -9 run (default 40)")
    parser.add_argument("--kill-at", type=int, default=10, help="kill when this message is accepted (default 10)")
    parser.add_argument("--latency", type=float, default=0.2,
                        help="seconds each answer takes to come back in the kill -9 run (default 0.2)")
    parser.add_argument("--late-chats", type=int, default=12, help="chats in the time-out run (default 12)")
    args = parser.parse_args()
    logging.getLogger().addHandler(logging.NullHandler())     # figures only: the scenarios count log records
    with tempfile.TemporaryDirectory() as tmp:
        kill_scenario(Path(tmp), args.chats, args.kill_at, args.latency)
        asyncio.run(timeout_scenario(Path(tmp), args.late_chats))
        asyncio.run(flood_scenario(Path(tmp), 20))


if __name__ == "__main__":
    main()
