"""Slash commands: help, questions with a verb (/ask /who), listings (/due /unit /doc), admin (/stats /reload)."""
from __future__ import annotations

import asyncio
import logging
import sqlite3

from telegram import BotCommand, Update

from knowledge.activity import activity_stats
from knowledge.deadlines import DEFAULT_DAYS, clamp_days
from knowledge.engine import Engine
from knowledge.references import normalise_doc_number
from knowledge.store import GazetteError, finish_store, prepare_store
from knowledge.store import stats as store_stats

from . import attachments, common, flood, live, lookup, questions, render, replies
from .state import Context

log = logging.getLogger(__name__)

# (command, 中文, English): shown in the Telegram menu via set_my_commands. Admin commands stay out of it.
COMMANDS = [
    ("start", "开始使用", "Start"),
    ("help", "帮助和示例问题", "Help and example questions"),
    ("ask", "提问，例如 /ask 谁负责老楼加装电梯", "Ask a question about the gazette"),
    ("who", "某件事由谁负责，例如 /who 路灯", "Who is responsible for a topic"),
    ("due", "今后 N 天内到期的任务（默认 30 天），加“图”出时间线图，加 ics/csv 导出", "Tasks due in the next DAYS (default 30)"),
    ("unit", "某个单位负责的事项，例如 /unit 区住建委 [图|ics|csv]", "What a department is responsible for"),
    ("doc", "按文号或标题查文件", "A document by its number or title"),
    ("subscribe", "订阅到期提醒（每日或每周一汇总）", "Subscribe to deadline reminders (daily or weekly)"),
    ("unsubscribe", "取消订阅", "Stop the daily digest"),
    ("mysubs", "我的订阅", "My subscriptions"),
]
EXAMPLES = ["谁负责老楼加装电梯？", "电梯困人了找谁？", "京哈高速加宽改造什么时候完成？", "家庭照护床位要建多少张？",
            "通政发〔2022〕3号"]
SUBSCRIBE_HELP = ("订阅：/subscribe 单位 [天数] [daily|weekly|both]。默认 daily（每日提醒）：任务进入提醒期、"
                  "到期前一周、期限过后各提醒一次，没有变化就不打扰；weekly 每周一汇总本月到期和上月以来期限已过的任务；"
                  "both 两种都要。")


def bot_commands(language: str = "zh") -> list[BotCommand]:
    """The command menu in Chinese ("zh", also the default) or English ("en")."""
    return [BotCommand(name, en if language == "en" else zh) for name, zh, en in COMMANDS]


def help_text(engine: Engine, admin: bool = False) -> str:
    """What the bot knows (issues, documents), example questions, the commands."""
    issues = sorted({d.get("issue") or "" for d in engine.documents.values()} - {""})
    lines = [f"我是{engine.publication}助手，已收录公报{'、'.join(issues)}的 {len(engine.documents)} 份文件。"
             "可以回答：谁负责、什么时候完成、目标是多少、文件怎么规定；每个回答都附原文和出处。",
             "直接发问题即可，例如：\n" + "\n".join(f"• {e}" for e in EXAMPLES),
             "命令：\n" + "\n".join(f"/{name} — {zh}" for name, zh, _ in COMMANDS if name not in ("start", "help"))]
    lines.append(SUBSCRIBE_HELP)
    if admin:
        lines.append("管理员：\n/stats — 提问统计和反馈\n/reload — 从公报文件重建知识库")
    lines.append("在群里请 @我 或回复我的消息提问。")
    return "\n\n".join(lines)


def stats_text(stats: dict) -> str:
    """activity_stats() as lines for /stats."""
    lines = [f"提问总数：{stats['questions']}", f"未能回答：{stats['declined']}",
             f"反馈：👍 {stats['feedback_up']}  👎 {stats['feedback_down']}"]
    if stats["top_topics"]:
        lines.append("热门事项：\n" + "\n".join(f"• {t}（{n}）" for t, n in stats["top_topics"]))
    if stats["recent_declined"]:
        lines.append("最近未能回答：\n" + "\n".join(f"• {render.shorten(q, 60)}" for q in stats["recent_declined"]))
    return "\n\n".join(lines)


def _arg(context: Context) -> str:
    return " ".join(context.args or []).strip()


async def _list(update: Update, context: Context, query: str, note: str | None = None) -> None:
    result = await common.in_engine_thread(lookup.run, common.engine(context), query, limit=render.PAGE + 1)
    if note and not result["answers"]:
        result["lead"] = f"{result['lead']}\n{note}"
    qid = common.writer(context).remember(query) if result["answers"] else 0
    sent = await replies.send(update.effective_message, replies.for_result(result, qid))
    # "更多" and "下一项" then page through this list, not the one asked in words before it
    # a mistyped name lists nothing: the conversation stays on what came before; an empty deadline window is a
    # list all the same ("/due 30", then "第2项": that list was empty, not 2号文第2项)
    if result["answers"] or result.get("intent") == "due":
        shown = dict(result, answers=result["answers"][:render.PAGE])   # one more was fetched to know if more follow
        questions.keep_conversation(context, update.effective_message, sent, shown)


async def start(update: Update, context: Context) -> None:
    """Greet and explain what the bot knows, with example questions."""
    await help_(update, context)


async def help_(update: Update, context: Context) -> None:
    """Explain what the bot knows and how to ask, with example questions."""
    if await flood.admit(update, context):
        text = help_text(common.engine(context), common.is_admin(update, context))
        await replies.send(update.effective_message, replies.text(text))


async def ask(update: Update, context: Context) -> None:
    """Answer the question after /ask."""
    question = _arg(context)
    if not question:
        await replies.send(update.effective_message, replies.text("用法：/ask 问题，例如 /ask 谁负责老楼加装电梯"))
        return
    await questions.answer(update, context, question)


async def who(update: Update, context: Context) -> None:
    """Say which department is responsible for the topic after /who."""
    topic = _arg(context)
    if not topic:
        await replies.send(update.effective_message, replies.text("用法：/who 事项，例如 /who 路灯"))
        return
    await questions.answer(update, context, f"谁负责{topic}")


async def due(update: Update, context: Context) -> None:
    """List tasks due in the next DAYS (default 30); 图 adds a timeline chart, ics or csv sends a file instead."""
    arg, mode = attachments.split_mode(_arg(context))
    days = common.typed_number(arg) if arg else DEFAULT_DAYS
    if days is None:
        await replies.send(update.effective_message,
                           replies.text("用法：/due 天数 [图|ics|csv]，例如 /due 30、/due 30 图、/due ics"))
        return
    if await flood.admit(update, context):
        days = clamp_days(days)
        if mode in attachments.FILES:
            await attachments.send_file(update, context, mode, days=days)
            return
        await _list(update, context, lookup.due_query(days), common.past_note(context))
        await attachments.send_chart(update, context, mode == "chart", days=days)


async def unit(update: Update, context: Context) -> None:
    """List what the department after /unit is responsible for (any spelling of its name); 图, ics, csv as /due."""
    name, mode = attachments.split_mode(_arg(context))
    if not name:
        await replies.send(update.effective_message,
                           replies.text("用法：/unit 单位名称 [图|ics|csv]，例如 /unit 区住建委、/unit 区住建委 图"))
        return
    if await flood.admit(update, context):
        name = render.shorten(name, 40)
        if mode in attachments.FILES:
            await attachments.send_file(update, context, mode, unit=name)
            return
        await _list(update, context, lookup.unit_query(name))
        await attachments.send_chart(update, context, mode == "chart", unit=name)


async def doc(update: Update, context: Context) -> None:
    """Describe the document with the 文号 or title after /doc."""
    query = _arg(context)
    if not query:
        await replies.send(update.effective_message, replies.text("用法：/doc 文号或标题，例如 /doc 通政发〔2022〕3号"))
        return
    if not await flood.admit(update, context):
        return
    found = common.engine(context).document(query[:200])
    if found is None:
        await replies.send(update.effective_message, replies.text("公报中没有找到这份文件。请检查文号，例如 通政发〔2022〕3号。"))
        return
    asked = normalise_doc_number(query)
    note = f"{asked} 已被 {found['doc_number']} 废止，以下为现行文件。" if asked and asked != found["doc_number"] else None
    sent = await replies.send(update.effective_message, replies.Reply(render.document_messages(found, note)))
    # "有哪些任务" or "第24项" next is about this document, as after its 文号 asked as a question
    kept = await common.in_engine_thread(common.engine(context).ask, found["doc_number"])
    questions.keep_conversation(context, update.effective_message, sent, kept)


async def stats(update: Update, context: Context) -> None:
    """Show staff how many questions were asked, declined, the top topics and feedback."""
    if not common.is_admin(update, context):
        await replies.send(update.effective_message, replies.text(common.NOT_ALLOWED))
        return
    # what was asked up to this moment is written first, in the writer's thread
    await asyncio.to_thread(common.writer(context).flush, 2.0)
    try:
        numbers = await common.in_people_db(context, activity_stats)
    except (sqlite3.Error, OSError) as exc:
        log.warning("/stats cannot read people's database: %s", exc)
        await replies.send(update.effective_message, replies.text(common.PEOPLE_BUSY))
        return
    await replies.send(update.effective_message, replies.text(stats_text(numbers), bold="使用统计"))


async def reload(update: Update, context: Context) -> None:
    """Rebuild the store from the configured gazette files and swap in a fresh engine, for staff."""
    if not common.is_admin(update, context):
        await replies.send(update.effective_message, replies.text(common.NOT_ALLOWED))
        return
    bot_data = context.bot_data
    cfg = bot_data.cfg
    if live.busy(bot_data):
        await replies.send(update.effective_message, replies.text("知识库正在重建或切换，请稍后再试。"))
        return
    bot_data.store_switch = asyncio.current_task()     # the watcher waits while this rebuild runs
    await replies.send(update.effective_message, replies.text("正在从公报文件重建知识库……"))
    try:
        # parsing and loading take a moment: threads, so other chats keep being answered meanwhile;
        # people's data is in its own file, which a rebuild never touches
        fresh = await asyncio.to_thread(prepare_store, cfg.gazettes, cfg.store_path)
    except GazetteError as exc:
        bot_data.store_switch = None
        await replies.send(update.effective_message, replies.text(f"重建失败，知识库保持不变：{exc}"))
        return
    old = bot_data.engine
    try:
        new = await asyncio.to_thread(Engine.load, fresh, old.today)
        await asyncio.to_thread(finish_store, fresh, cfg.store_path, cfg.people_path)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    finally:
        bot_data.store_switch = None
    bot_data.engine = new
    live.loaded(bot_data, cfg.store_path)
    counts = store_stats(new.db)
    await replies.send(update.effective_message, replies.text(
        f"已重建：{counts['documents']} 份文件，{counts['clauses']} 条条文，{sum(counts['tasks'].values())} 项任务。"))


async def unknown(update: Update, context: Context) -> None:
    """Point a private chat that typed an unknown command to /help."""
    if await flood.admit(update, context):
        await replies.send(update.effective_message, replies.text("没有这个命令。发送 /help 查看可以怎么问。"))
