"""Bot throughput: 2,000 questions from 50 users through the real Application against the fake Bot API,
with logging on (every question goes to people's database through the writer thread).

Prints updates handled per second and reply latency (push -> the bot's sendMessage reaching the
server), for a burst (everything queued at once: throughput) and for a steady offered rate
(latency under load; target p99 under 20 ms), and how many questions reached the log once the bot
stopped (target: all of them). It asserts nothing.

    .venv/bin/python bench/bot_throughput.py [--questions 2000] [--users 50] [--rate 30,100] [--telegram-limits]

--telegram-limits keeps AIORateLimiter's defaults (Telegram's 30 messages/s), which then bound the
figures; without it the limiter is opened up so the bot itself is measured.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # fakes/ (the fake Bot API) is not an installed package

from telegram.ext import AIORateLimiter  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.config import Config  # noqa: E402
from fakes.bot_api import FakeBotAPI  # noqa: E402
from knowledge import people  # noqa: E402
from knowledge.engine import Engine  # noqa: E402
from bundled import AS_OF, bundled_store, load_engine  # noqa: E402
from stats import ms  # noqa: E402

QUESTIONS = ["谁负责老楼加装电梯？", "电梯困人了找谁", "晚上路灯不亮归谁管", "京哈高速加宽改造什么时候完成",
             "家庭照护床位要建多少张", "充电桩谁负责", "大面积停电归哪个部门管", "小区停车难", "核酸检测",
             "孕产妇死亡率控制在多少", "通政发〔2022〕3号", "老旧小区改造", "燃气泄漏", "你好",
             "村饮用水水质提升工程谁协办", "垃圾分类", "防汛抗旱", "托育机构", "绿化", "天气怎么样"]
FIRST_USER = 20001


class TimedFakeBotAPI(FakeBotAPI):
    """The fake server, noting when each reply arrives (per chat, in order)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, list[float]] = {}

    def _dispatch(self, token, method, params):
        result = super()._dispatch(token, method, params)
        if method == "sendMessage" and result[0] == 200:
            self.replies.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
        return result


async def run(engine: Engine, store: Path, questions: int, users: int, rate: float | None,
              telegram_limits: bool) -> dict:
    with TimedFakeBotAPI() as api:
        cfg = Config(store_path=store, token="123:BENCH", base_url=api.base_url, base_file_url=api.base_file_url,
                     as_of=AS_OF, questions_per_minute=10 ** 6)   # flood control out of the way
        limiter = AIORateLimiter() if telegram_limits else AIORateLimiter(overall_max_rate=0, group_max_rate=0)
        app = build_application(cfg, engine, rate_limiter=limiter)
        await app.initialize()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        pushed: dict[int, list[float]] = {}
        try:
            start = time.perf_counter()
            for k in range(questions):
                if rate:
                    delay = start + k / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)     # pacing the offered load, not synchronisation
                user = FIRST_USER + k % users
                pushed.setdefault(user, []).append(time.perf_counter())
                api.push_text(QUESTIONS[k % len(QUESTIONS)], user_id=user)
            await api.await_for(lambda _: sum(map(len, api.replies.values())) >= questions, timeout=600)
            elapsed = max(t for ts in api.replies.values() for t in ts) - start
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
        latencies = [got - sent for user, sent_times in pushed.items()
                     for sent, got in zip(sent_times, api.replies.get(user, []))]
        rejected = [e for e in api.errors if e[0].method != "getUpdates"]
    db = people.connect(cfg.people_db)     # the application's shutdown has written what was queued
    logged = db.execute("select count(*) from questions").fetchone()[0]
    db.execute("delete from questions")
    db.execute("delete from declined")
    db.conn.commit()
    db.conn.close()
    return {"handled_per_s": questions / elapsed, "elapsed": elapsed, **ms(latencies), "rejected": len(rejected),
            "logged": logged}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", default="30,100",
                        help="offered questions per second for the steady runs, comma-separated (default 30,100)")
    parser.add_argument("--telegram-limits", action="store_true", help="keep AIORateLimiter's default limits")
    args = parser.parse_args()
    with bundled_store() as store:
        engine = load_engine(store)
        print(f"{args.questions} questions from {args.users} users, fake Bot API on 127.0.0.1, "
              f"rate limiter {'Telegram defaults' if args.telegram_limits else 'opened up'}")
        alone = time.perf_counter()
        for k in range(args.questions):
            engine.ask(QUESTIONS[k % len(QUESTIONS)])
        alone = (time.perf_counter() - alone) / args.questions * 1000
        print(f"{'engine alone':>14}: {alone:.2f} ms a question in this process")
        rates = [float(r) for r in args.rate.split(",") if r.strip()]
        for label, rate in [("burst", None)] + [(f"steady {r:g}/s", r) for r in rates]:
            r = asyncio.run(run(engine, store, args.questions, args.users, rate, args.telegram_limits))
            print(f"{label:>14}: {r['handled_per_s']:7.1f} updates/s handled ({r['elapsed']:.2f} s), reply latency "
                  f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms, rejected {r['rejected']}, "
                  f"logged {r['logged']}/{args.questions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
