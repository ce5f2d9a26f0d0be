"""Pictures and files for /due and /unit: a timeline chart as a photo, the listing as an .ics calendar or CSV.

knowledge/timeline.py draws the chart and knowledge/export.py writes the files; this module works out what a
command asked for, sends it, and keeps captions within Telegram's limit.
"""
from __future__ import annotations

import asyncio
from telegram import Update
from telegram.constants import ChatAction, MessageLimit

from knowledge import export
from knowledge.timeline import SOON, render_timeline

from . import common, render, replies
from .state import Context

# the word after /due N or /unit X that asks for a picture or a file
MODES = {"图": "chart", "图表": "chart", "chart": "chart", "ics": "ics", "日历": "ics", "csv": "csv", "表格": "csv"}
FILES = ("ics", "csv")
LONG = 8                # a list longer than this comes with its chart unasked
CAPTION = MessageLimit.CAPTION_LENGTH


def split_mode(arg: str) -> tuple[str, str | None]:
    """('区住建委', 'chart') from '区住建委 图': the command's argument and what it asks to be sent as."""
    words = arg.split()
    if words and words[-1].lower() in MODES:
        return " ".join(words[:-1]), MODES[words[-1].lower()]
    return arg, None


def fit(text: str, limit: int = CAPTION) -> str:
    """text cut with "…" to at most limit UTF-16 code units, Telegram's way of counting."""
    if render.tg_len(text) <= limit:
        return text
    text = text[:limit]                 # no character is less than one code unit
    while render.tg_len(text) > limit - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def caption(head: str, body: str) -> str:
    """A bold head line and a plain body, cut as plain text under CAPTION, then rendered as HTML."""
    plain = fit(f"{head}\n{body}")
    first, _, rest = plain.partition("\n")
    return render.block_html([("b", first), (None, "\n" + rest)])


async def _listing(context: Context, unit: str | None, days: int | None) -> export.Listing:
    return await common.in_engine_thread(export.select, common.engine(context), unit=unit, days=days)


async def send_chart(update: Update, context: Context, asked: bool, unit: str | None = None,
                     days: int | None = None) -> None:
    """Send the listing's timeline as a photo when it is long or was asked for."""
    message = update.effective_message
    try:
        listing = await _listing(context, unit, days)
    except export.ExportError:
        return              # the list's reply already said the unit is unknown
    dated = listing.dated
    if not asked and len(listing.tasks) <= LONG:
        return
    if not dated:
        if asked:   # an empty list ("/due 图" read years later) is not a list without deadlines
            await replies.say(message, "这些事项都没有截止日期，画不出时间线。" if listing.tasks
                              else "列表里没有任务，没有时间线可画。")
        return
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    title = f"{listing.title} · 截止时间线"
    # drawing takes a moment: a thread, so other chats are answered meanwhile
    chart = await asyncio.to_thread(render_timeline, listing.tasks, listing.as_of, title)
    drawn = dated[:chart.rows]
    counts = chart.counts
    head = (f"{listing.title}：图中 {chart.rows} 项（期限已过 {counts.get('overdue', 0)} · {SOON} 天内 "
            f"{counts.get('soon', 0)} · 更晚 {counts.get('later', 0)}，截至 {listing.as_of.isoformat()}）")
    notes = []
    if chart.left_out:
        notes.append(f"另有 {chart.left_out} 项未画出，全部可用 ics 或 csv 导出。")
    if chart.undated:
        notes.append(f"{chart.undated} 项没有截止日期，未画出。")
    body = "".join(notes) + ("\n" if notes else "") + "出处：" + export.sources(drawn)
    await message.reply_photo(chart.png, filename="timeline.png", caption=caption(head, body))


async def send_file(update: Update, context: Context, fmt: str, unit: str | None = None,
                    days: int | None = None) -> None:
    """Send the listing as an .ics calendar or a CSV file."""
    message = update.effective_message
    try:
        listing = await _listing(context, unit, days)
    except export.ExportError as exc:
        await replies.say(message, str(exc))
        return
    if not listing.tasks or (fmt == "ics" and not listing.dated):
        await replies.say(message, f"{listing.title}：没有带截止日期的任务，没有可导出的内容。")
        return
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    data = export.render(listing, fmt)
    if fmt == "ics":
        head = f"{listing.title}：{len(listing.dated)} 项任务的截止日期（全天事件）"
        note = "再次导入会更新这些事件，不会重复。"
        if len(listing.dated) < len(listing.tasks):
            note += f"{len(listing.tasks) - len(listing.dated)} 项没有截止日期，未列入。"
    else:
        head = f"{listing.title}：{len(listing.tasks)} 项（CSV，UTF-8）"
        note = ""
    body = note + ("\n" if note else "") + "出处：" + export.sources(listing.tasks)
    await message.reply_document(data, filename=f"{listing.name}.{fmt}", caption=caption(head, body))
