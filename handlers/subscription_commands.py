"""The subscription commands /subscribe, /unsubscribe, /mysubs, and forgetting a group that removed the bot.

Storage and matching live in knowledge/subscriptions.py; these handlers only parse the command and reply.
Names are looked up in the knowledge store (the engine in use); subscriptions are read and written in
people's database, in a thread with a short busy timeout, so a locked or broken file costs a friendly
"try again", never a frozen bot.
"""
from __future__ import annotations

import logging
import re
import sqlite3

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from knowledge import outbox, weekly
from knowledge import subscriptions as subs
from knowledge.digest import load_tasks, notices_due

from . import common, keyboards, replies
from .callbacks import EXPIRED
from .common import typed_number
from .state import Context

log = logging.getLogger(__name__)

USAGE = ("用法：/subscribe [单位|区领导|文号|all] [天数] [daily|weekly|both]\n"
         "例如：\n"
         "/subscribe 区住建委 7 —— 区住房城乡建设委的任务到期前 7 天提醒\n"
         "/subscribe 倪德才 —— 倪德才同志分管的任务\n"
         "/subscribe 通政办发〔2022〕8号 —— 这份文件里的任务\n"
         "/subscribe 区住建委 weekly —— 每周一汇总本月到期和上月以来期限已过的任务\n"
         "/subscribe —— 全部任务（提前 {days} 天）\n"
         "默认 daily（每日提醒）：只在任务进入提醒期、到期前一周、期限过后各发一次；"
         "weekly 每周一发汇总；both 两种都要。\n"
         "取消：/unsubscribe [同上|all]（不带参数时会问取消哪一项）；查看：/mysubs")


def _knowledge(context: Context):
    return common.engine(context).db


async def _people(update: Update | None, context: Context, work):
    """work(db) on people's database in a thread; on failure says so (when there is a chat) and returns None."""
    try:
        return await common.in_people_db(context, work)
    except (sqlite3.Error, OSError) as exc:
        log.warning("subscriptions: people's database cannot be used (%s)", exc)
        if update is not None and update.effective_message:
            await _reply(update, common.PEOPLE_BUSY)
        return None


def _with_note(context: Context, text: str) -> str:
    note = common.past_note(context)
    return f"{text}\n\n{note}" if note else text


def _default_horizon(context: Context) -> int:
    return context.bot_data.cfg.default_horizon_days


def _usage(context: Context) -> str:
    return USAGE.format(days=_default_horizon(context))


def parse_args(args: list[str]) -> tuple[str, int | None]:
    """(filter text, horizon days or None) from the words after the command; a trailing number is days.
    Names and 文号 have no spaces, so the remaining words are joined without one (区 住建委 = 区住建委)."""
    words = list(args)
    days = typed_number(words[-1]) if words else None
    if days is not None:
        words.pop()
    return "".join(words), days


async def _reply(update: Update, text: str) -> None:
    await replies.say(update.effective_message, text)


ADMINS_ONLY = "在群里，只有群管理员可以订阅或取消订阅。"


async def _may_change(update: Update, context: Context) -> bool:
    """Whether this sender may change the chat's subscriptions (saying so when not): anyone in a private
    chat; in a group only its administrators, or the bot's own admins, change what the whole group receives."""
    if not update.effective_message or not update.effective_chat:
        return False
    if await _is_group_admin(update, context):
        return True
    await _reply(update, ADMINS_ONLY)
    return False


async def _is_group_admin(update: Update, context: Context) -> bool:
    chat, user = update.effective_chat, update.effective_user
    if chat.type == ChatType.PRIVATE:
        return True
    if user is None:
        return False
    if user.id in context.bot_data.cfg.admins:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        log.warning("could not check whether user %s administers chat %s", user.id, chat.id)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def subscribe_arguments(words: list[str], db) -> tuple[str, int | None, tuple[str, str] | None, str]:
    """(filter text, days, what the filter names or None, what is wrong or "") of /subscribe's words, its
    cadence word taken out. A signed number after a name is a day count ("区交通局 -5" is below zero, "+5" five
    days), and a Latin word after a name is a schedule we do not have ("区住建委 7 monthly"): neither is part of
    the name."""
    text, days = parse_args(words)
    signed = re.fullmatch(r"([-+－−])(\d+)", words[-1]) if len(words) > 1 else None
    if signed:
        days = int(signed.group(2)) * (1 if signed.group(1) == "+" else -1)
        text = "".join(words[:-1])
    found = subs.resolve_filter(db, text)
    if len(words) > 1 and re.fullmatch(r"[A-Za-z]+", words[-1]) and found is None \
            and subs.resolve_filter(db, parse_args(words[:-1])[0]) is not None:
        return text, days, found, f"没有“{words[-1]}”这种推送方式：可选 daily（每日提醒）、weekly（每周一汇总）或 both。"
    if days is not None and not 0 <= days <= subs.MAX_HORIZON:
        return text, days, found, f"天数要在 0 到 {subs.MAX_HORIZON} 之间。"
    return text, days, found, ""


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [filter] [days]: follow deadlines of a unit, a leader, a document, or everything."""
    if not await _may_change(update, context):
        return
    db = _knowledge(context)
    words, cadence = subs.split_cadence(context.args or [])
    text, days, found, complaint = subscribe_arguments(words, db)
    if complaint:
        await _reply(update, f"{complaint}\n\n{_usage(context)}")
        return
    if found is None:
        near = subs.suggestions(db, text)
        hint = f"\n您是不是要找：{'、'.join(near)}？" if near else ""
        await _reply(update, f"公报里没有找到“{text}”（单位、区领导或文号）。{hint}\n\n"
                             f"{_usage(context)}")
        return
    kind, value = found
    chat_id, horizon = update.effective_chat.id, days if days is not None else _default_horizon(context)

    def save(pdb) -> tuple[dict, bool, list[dict], dict | None]:
        with pdb.atomic():
            back = subs.paused(pdb, chat_id)
            before = subs.find(pdb, chat_id, kind, value)
            row = subs.add(pdb, chat_id, kind, value, horizon, cadence)
            if back:
                outbox.forget_chat(pdb, chat_id)
        return row, back, (weekly.daily(subs.list_for_chat(pdb, chat_id)) if back else []), before
    saved = await _people(update, context, save)
    if saved is None:
        return
    row, back, daily, before = saved
    # one subscription per unit, leader or document: a second /subscribe changes it, and says what it was
    changed = before is not None and subs.describe(before) != subs.describe(row)
    said = f"已更改订阅（原来：{subs.describe(before)}）：" if changed else "已订阅："
    unused = WEEKLY_HAS_NO_DAYS if days is not None and subs.cadence_of(row) == "weekly" else ""
    await _reply(update, _with_note(context, f"{said}{subs.describe(row)}。\n{unused}"
                                             f"{_schedule(context, row)}"
                                             f"{_welcome_back(context, daily) if back else ''}"
                                             f"{NARROW if kind == 'all' else ''}"
                                             "/mysubs 查看，/unsubscribe 取消。"))


WEEKLY_HAS_NO_DAYS = "（每周汇总包括本月到期的全部任务，不用天数。）\n"

# a bare /subscribe, often typed to see how it works, says how to follow one department instead
NARROW = "只想订阅某个单位、区领导或文件：先发 /unsubscribe，再发 /subscribe 区水务局。\n"


def _schedule(context: Context, row: dict) -> str:
    """When this subscription's messages come."""
    at = " " + context.bot_data.cfg.broadcast_time.strftime("%H:%M")
    lines = []
    if subs.cadence_of(row) in ("daily", "both"):
        lines.append(f"每天{at}推送：任务进入提醒期、到期前一周、期限过后各提醒一次。")
    if subs.cadence_of(row) in ("weekly", "both"):
        lines.append(f"每周一{at}推送汇总：本月到期和上月以来期限已过的任务（更早过期的不再每周重复）。")
    return "\n".join(lines) + "\n"


def _welcome_back(context: Context, daily: list[dict]) -> str:
    """For a chat that had blocked the bot: what the next run will bring it (tasks from the knowledge store)."""
    today = context.bot_data.cfg.today()
    n = len(notices_due(load_tasks(_knowledge(context)), daily, set(), today)) if daily else 0
    return (f"欢迎回来！下次推送会重新列出目前提醒期内的 {n} 项任务。\n" if n else "欢迎回来！\n")


CHOOSE = "要取消哪一项订阅？"
ALL_ROWS = 0        # the button "全部取消" (rowids start at 1)
KEEP = -1           # the button "都不取消"


def _choices(rows: list[dict]) -> InlineKeyboardMarkup:
    """One button per subscription, then "cancel all" (when there are several) and "keep them"."""
    buttons = [[InlineKeyboardButton(keyboards.label(f"取消：{subs.describe(r)}"),
                                     callback_data=keyboards.data("u", r["rowid"], subs.row_check(r)))] for r in rows]
    keep = InlineKeyboardButton("都不取消" if len(rows) > 1 else "不取消", callback_data=keyboards.data("u", KEEP))
    buttons.append([InlineKeyboardButton("全部取消", callback_data=keyboards.data("u", ALL_ROWS)), keep]
                   if len(rows) > 1 else [keep])
    return InlineKeyboardMarkup(buttons)


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [filter|all]: stop one subscription, or all of them ("all"); bare, it asks which."""
    if not await _may_change(update, context):
        return
    chat_id = update.effective_chat.id
    text, _days = parse_args(context.args or [])
    if not text:
        # often typed to see how it works: ask which, even of one, rather than drop what the chat receives
        rows = await _people(update, context, lambda pdb: subs.list_for_chat(pdb, chat_id, with_rowid=True))
        if rows is None:
            return
        if rows:
            await replies.send(update.effective_message, replies.Reply([CHOOSE], _choices(rows)))
            return
    found = subs.resolve_filter(_knowledge(context), text)
    if found == ("all", ""):
        # "all" (or a bare /unsubscribe with none to ask about): everything this chat receives stops
        n = await _people(update, context, lambda pdb: subs.remove(pdb, chat_id))
        if n is not None:
            await _reply(update, f"已取消本聊天的全部 {n} 项订阅。" if n else "本聊天没有订阅。")
        return

    def remove_or_list(pdb) -> tuple[int, list[dict]]:
        n = subs.remove(pdb, chat_id, *found) if found else 0
        return n, ([] if n else subs.list_for_chat(pdb, chat_id))
    done = await _people(update, context, remove_or_list)
    if done is None:
        return
    n, current = done
    if n:
        await _reply(update, f"已取消：{subs.KIND_LABELS[found[0]]} {found[1]}。")
        return
    listing = "\n".join(subs.describe(r) for r in current) or "（无）"
    await _reply(update, f"本聊天没有订阅“{text}”。现有订阅：\n{listing}")


async def unsubscribe_pick(update: Update, context: Context) -> None:
    """Cancel the subscription whose button was pressed (or all of them), and say so in place of the question."""
    query = update.callback_query
    chat = update.effective_chat
    parsed = keyboards.unseal(query.data, chat.id if chat else None, keyboards.key_for(context.bot.token))
    if not parsed or parsed[0] != "u" or not 1 <= len(parsed[1]) <= 2:
        await query.answer(EXPIRED)
        return
    if not await _is_group_admin(update, context):
        await query.answer(ADMINS_ONLY, show_alert=True)
        return
    chosen = parsed[1][0]
    if chosen == KEEP:
        done = "好的，订阅都保留。"
    elif chosen == ALL_ROWS:
        n = await _people(None, context, lambda pdb: subs.remove(pdb, chat.id))
        done = None if n is None else (f"已取消本聊天的全部 {n} 项订阅。" if n else "本聊天没有订阅。")
    else:
        check = parsed[1][1] if len(parsed[1]) == 2 else -1
        # (row,) so that a busy database (None) is not taken for a row already gone
        found = await _people(None, context, lambda pdb: (subs.remove_row(pdb, chat.id, chosen, check),))
        done = None if found is None else f"已取消：{subs.describe(found[0])}。" if found[0] else "这项订阅已经取消了。"
    if done is None:
        await query.answer(common.PEOPLE_BUSY, show_alert=True)
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        try:
            await message.edit_text(done)
            return
        except BadRequest:
            pass   # too old to edit: say it in a new message
    await context.bot.send_message(chat.id, done)


async def mysubs(update: Update, context: Context) -> None:
    """/mysubs: this chat's subscriptions, paused ones marked."""
    if not update.effective_message or not update.effective_chat:
        return
    chat_id = update.effective_chat.id
    rows = await _people(update, context, lambda pdb: subs.list_for_chat(pdb, chat_id, active_only=False))
    if rows is None:
        return
    if not rows:
        await _reply(update, _with_note(context, f"本聊天还没有订阅。\n\n{_usage(context)}"))
        return
    lines = [f"{i}. {subs.describe(r)}" + ("" if r["active"] else "（已暂停，重新 /subscribe 可恢复）")
             for i, r in enumerate(rows, 1)]
    await _reply(update, _with_note(context, "本聊天的订阅：\n" + "\n".join(lines)))


async def bot_membership(update: Update, context: Context) -> None:
    """The bot was removed from a group (or blocked in a private chat): stop sending there."""
    change = update.my_chat_member
    if change is None:
        return
    if change.new_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        chat_id = change.chat.id
        n = await _people(None, context, lambda pdb: subs.deactivate_chat(pdb, chat_id))
        if n:
            log.info("bot removed from chat %s: %d subscription(s) deactivated", change.chat.id, n)


async def group_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: move its subscriptions now rather than at the next failed send."""
    message = update.effective_message
    if message and message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id

        def migrate(pdb) -> None:
            with pdb.atomic():
                subs.migrate_chat(pdb, old, new)
                outbox.migrate_chat(pdb, old, new)
        await _people(None, context, migrate)


def register(application: Application) -> None:
    """Add the subscription commands and the bot-membership handlers to the application."""
    application.add_handler(CommandHandler("subscribe", subscribe))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe))
    application.add_handler(CallbackQueryHandler(unsubscribe_pick, pattern="^u:"))
    application.add_handler(CommandHandler("mysubs", mysubs))
    application.add_handler(ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))
