"""Compose replies (HTML texts plus the keyboard for the last one) and send them."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter

from knowledge.answers import in_english
from knowledge.conversation import NO_MORE

from . import keyboards, render
from .common import retry_seconds
from .render import PAGE

log = logging.getLogger(__name__)
T = TypeVar("T")
# the longest flood-control wait (seconds) a reply sits out before its one more try; longer ones end in the apology
REPLY_PATIENCE = 10.0


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    markup: InlineKeyboardMarkup | None = None


def for_result(result: dict, qid: int) -> Reply:
    """A question's reply: candidates when unsure, a list page, or the best answer in full."""
    texts = render.result_messages(result)
    answers = result.get("answers") or []
    if render.unsure(result):
        return Reply(texts, keyboards.candidates_keyboard(result["suggestions"], qid))
    if not answers:
        return Reply(texts)
    if render.is_list(result):
        total = result.get("total", len(answers))
        # a page asked for in words ("更多") numbers its buttons as its text does (11–15), not from 1, and has
        # no 更多结果 button: that button pages the question it was asked with, here "更多" itself. Typing
        # "更多" again goes on.
        paged = "start" in result
        return Reply(texts, keyboards.list_keyboard(answers[:PAGE], result.get("start", 0), qid,
                                                    PAGE if total > PAGE and not paged else None))
    return Reply(texts, keyboards.answer_keyboard(answers[0], qid, 1 if len(answers) > 1 else None))


def for_page(result: dict, offset: int, qid: int) -> Reply:
    """Answers offset .. offset+PAGE of a result (fetched with limit offset+PAGE+1 to know if more follow)."""
    answers = result.get("answers") or []
    page = answers[offset:offset + PAGE]
    if not page:
        return Reply(render.plain_messages(in_english(NO_MORE) if result.get("lang") == "en" else NO_MORE))
    total = result.get("total")
    more = offset + PAGE < (total if total is not None else len(answers))
    title = result.get("lead") if render.is_list(result) else "更多结果"
    texts = render.pack(render.list_blocks(title or "", page, offset, total))
    return Reply(texts, keyboards.list_keyboard(page, offset, qid, offset + PAGE if more else None))


def for_answer(answer: dict, qid: int, note: str | None = None) -> Reply:
    return Reply(render.pack(render.answer_blocks(answer, note)), keyboards.answer_keyboard(answer, qid))


def text(message: str, bold: str | None = None) -> Reply:
    return Reply(render.plain_messages(message, bold))


def sealed(markup: InlineKeyboardMarkup | None, chat_id: int, bot: Bot) -> InlineKeyboardMarkup | None:
    """The keyboard with its buttons signed for chat_id (see keyboards.seal)."""
    return keyboards.seal(markup, chat_id, keyboards.key_for(bot.token))


async def send(message: Message, reply: Reply, quote: bool = False) -> Message | None:
    """Reply to message with each text; the keyboard, sealed for this chat, goes under the last one. Each
    text is tried once more after a transient error (see deliver). Returns the last sent."""
    markup = sealed(reply.markup, message.chat_id, message.get_bot())
    sent = None
    for k, body in enumerate(reply.texts):
        last = k == len(reply.texts) - 1
        sent = await deliver(lambda body=body, last=last, first=k == 0: message.reply_text(
            body, reply_markup=markup if last else None, do_quote=quote and first))
    return sent


async def say(message: Message, text: str) -> None:
    """Reply with plain text (escaped and split under the limit by render), each message sent once and, like
    Message.reply_text, quoting the message in a group."""
    for body in render.plain_messages(text):
        await message.reply_text(body, parse_mode=ParseMode.HTML)


async def deliver(send_once: Callable[[], Awaitable[T]]) -> T:
    """send_once(), and once more after a transient error: a time-out, a 5xx, a dropped connection, or flood
    control asking for a short wait. Someone waiting for an answer would rather get it twice (a time-out may
    hide a delivered message) than not at all. A second failure propagates to the error handler, which
    apologises."""
    try:
        return await send_once()
    except BadRequest:          # Telegram refuses this message: sending it again cannot help
        raise
    except RetryAfter as exc:
        wait = retry_seconds(exc)
        if wait > REPLY_PATIENCE:
            raise
        log.info("reply held by flood control for %.1f s, then sent again", wait)
        await asyncio.sleep(wait)
    except NetworkError as exc:  # TimedOut and Telegram's 5xx answers included
        log.warning("reply not sent (%s); trying once more", exc)
    return await send_once()
