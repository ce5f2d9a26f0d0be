"""Compose replies (HTML texts plus the keyboard for the last one) and send them."""
from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Message

from . import keyboards, render
from .render import PAGE


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
        return Reply(texts, keyboards.list_keyboard(answers[:PAGE], 0, qid, PAGE if total > PAGE else None))
    return Reply(texts, keyboards.answer_keyboard(answers[0], qid, 1 if len(answers) > 1 else None))


def for_page(result: dict, offset: int, qid: int) -> Reply:
    """Answers offset .. offset+PAGE of a result (fetched with limit offset+PAGE+1 to know if more follow)."""
    answers = result.get("answers") or []
    page = answers[offset:offset + PAGE]
    if not page:
        return Reply(render.plain_messages("没有更多结果了。"))
    total = result.get("total")
    more = offset + PAGE < (total if total is not None else len(answers))
    title = result.get("lead") if render.is_list(result) else "更多结果"
    texts = render.pack(render.list_blocks(title or "", page, offset, total))
    return Reply(texts, keyboards.list_keyboard(page, offset, qid, offset + PAGE if more else None))


def for_answer(answer: dict, qid: int, note: str | None = None) -> Reply:
    return Reply(render.pack(render.answer_blocks(answer, note)), keyboards.answer_keyboard(answer, qid))


def text(message: str, bold: str | None = None) -> Reply:
    return Reply(render.plain_messages(message, bold))


async def send(message: Message, reply: Reply, quote: bool = False) -> Message | None:
    """Reply to message with each text; the keyboard goes under the last one. Returns the last sent."""
    sent = None
    for k, body in enumerate(reply.texts):
        last = k == len(reply.texts) - 1
        sent = await message.reply_text(body, reply_markup=reply.markup if last else None,
                                        do_quote=quote and k == 0)
    return sent
