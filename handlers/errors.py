"""The error handler: log what went wrong with the update id, apologise briefly, keep running."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from . import replies
from .state import Context

log = logging.getLogger("gazette_bot.errors")
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"


async def apologise(update: object, context: Context) -> None:
    """Log the exception with the update id and send the user a short apology."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %r", update_id, context.error, exc_info=context.error)
    if not isinstance(update, Update):
        return   # e.g. a network error while polling: nobody to apologise to
    if update.callback_query:
        try:
            await update.callback_query.answer(APOLOGY)
            return
        except TelegramError:
            pass   # already answered before the failure: say it in the chat instead
    if update.effective_chat is None or update.inline_query:
        return
    chat_id = update.effective_chat.id
    try:
        await replies.deliver(lambda: context.bot.send_message(chat_id, APOLOGY))
    except TelegramError as exc:   # the apology itself failed twice (bot blocked, chat gone): log only
        log.warning("could not apologise for update %s: %r", update_id, exc)
