"""Send the deadline digest to many subscribed chats through PTB's AIORateLimiter, against the fake Bot API
server, and report the send rate and the 429s the server returned. Prints figures; asserts nothing.

The fake server is made flood-limited here (a subclass, so fakes/bot_api.py stays as it is): a
sendMessage beyond --server-limit messages within any one second (sliding window, by arrival time) is
answered 429 "Too Many Requests: retry after 1", as Telegram does when a bot sends too fast.

    .venv/bin/python bench/broadcast_rate.py                # 1,000 chats
    .venv/bin/python bench/broadcast_rate.py --chats 100    # quick run
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))     # fakes/ (the fake Bot API) is not an installed package

from telegram.ext import AIORateLimiter, ExtBot  # noqa: E402

from bot.broadcast import broadcast, rate_limiter  # noqa: E402
from fakes.bot_api import ApiError, FakeBotAPI  # noqa: E402
from knowledge import subscriptions  # noqa: E402
from knowledge.store import build_store, bundled_gazettes, open_store  # noqa: E402

TOKEN = "123456789:BENCH"
AS_OF = dt.date(2022, 6, 20)        # one task (due 2022-06-30) is within 14 days: one message per chat


class FloodLimitedAPI(FakeBotAPI):
    """The fake server, answering 429 to a sendMessage beyond `limit` within the last second."""

    def __init__(self, limit: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.limit = limit
        self.accepted: list[float] = []       # arrival times of accepted sendMessage calls
        self.flood_429s = 0
        self._window: collections.deque[float] = collections.deque()

    def _check_chat(self, call) -> None:      # runs under the server's lock for every call
        super()._check_chat(call)
        if call.method != "sendMessage" or not self.limit:
            return
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= self.limit:
            self.flood_429s += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._window.append(now)
        self.accepted.append(now)


def peak_per_second(times: list[float]) -> int:
    """The most messages that arrived within any one-second window."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


LIMITERS = {"steady": rate_limiter, "default": AIORateLimiter}


async def run(chats: int, server_limit: int, groups: int, limiter: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "g.db"
        build_store(bundled_gazettes(), db_path)
        db = open_store(db_path)
        subscriptions.ensure_table(db)
        with db.atomic():
            for i in range(chats):
                # a few groups (negative ids) so the per-group limiter is on the path too
                chat_id = -(4_000_000 + i) if i < groups else 10_000_000 + i
                subscriptions.add(db, chat_id, "all", "", 14)
        with FloodLimitedAPI(server_limit) as api:
            bot = ExtBot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url,
                         rate_limiter=LIMITERS[limiter]())
            async with bot:
                start = time.perf_counter()
                report = await broadcast(bot, db, AS_OF)
                elapsed = time.perf_counter() - start
            sent = len(api.sent_messages())
            peak = peak_per_second(api.accepted)
            steady = (len(api.accepted) - 1) / (api.accepted[-1] - api.accepted[0]) if len(api.accepted) > 1 else 0
            print(f"limiter: {limiter} ({'bot.broadcast.rate_limiter(): AIORateLimiter(1 per 1/29 s)' if limiter == 'steady' else 'AIORateLimiter() with PTB defaults: 30 per 1 s'})")
            print(f"chats {chats} ({groups} groups), messages delivered {sent}, notices {report['notices']}, "
                  f"decided {report['decided']}, pending left {report['pending']}")
            print(f"total time {elapsed:.2f} s (decide + send), send rate {sent / elapsed:.1f} msgs/s overall, "
                  f"{steady:.1f} msgs/s first-to-last arrival, peak {peak} msgs in any 1 s window")
            print(f"429s returned by the server (limit {server_limit}/s sliding window): {api.flood_429s}; "
                  f"RetryAfter waited out by the broadcast: {report['retry_after']}")
        db.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000, help="subscribed chats (default 1000)")
    parser.add_argument("--groups", type=int, default=10, help="how many of them are groups (default 10)")
    parser.add_argument("--server-limit", type=int, default=30,
                        help="messages per second the fake server accepts before answering 429 (0: no limit)")
    parser.add_argument("--limiter", choices=sorted(LIMITERS), default="steady",
                        help="steady: bot.broadcast.rate_limiter() (default); default: AIORateLimiter() as PTB ships it")
    args = parser.parse_args()
    # With max_retries=0 PTB's limiter logs every RetryAfter with a traceback before re-raising it to the
    # broadcast (which waits it out); the bench counts 429s itself, so keep the output to the figures.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    asyncio.run(run(args.chats, args.server_limit, min(args.groups, args.chats), args.limiter))


if __name__ == "__main__":
    main()
