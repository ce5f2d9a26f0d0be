"""Plain-text questions: every message in a private chat, in groups only when addressed to the bot."""
from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from knowledge import conversation

from . import common, flood, replies, screening
from .state import Context

THREADS, PRIVATE = "conversations", "private"
NOT_TEXT = "我只能读懂文字问题。" + screening.EXAMPLE


def addressed(message: Message, bot_id: int, username: str | None) -> str | None:
    """The question in a group message (or a photo's caption), without the @mention, when it mentions or
    replies to the bot."""
    text = message.text or message.caption or ""
    if message.reply_to_message and message.reply_to_message.from_user \
            and message.reply_to_message.from_user.id == bot_id:
        return text
    mention = f"@{username}".lower() if username else None
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    entities = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    for entity, value in entities.items():
        if (mention and value.lower() == mention) or (entity.user and entity.user.id == bot_id):
            return text.replace(value, " ")
    return None


async def answer(update: Update, context: Context, text: str) -> None:
    """Answer text as a question in the chat of the update (used by plain text, /ask and /who)."""
    message = update.effective_message
    quote = update.effective_chat.type != ChatType.PRIVATE
    if not await flood.admit(update, context):
        return
    trouble = screening.problem(text)
    if trouble:
        await replies.send(message, replies.text(trouble), quote)
        return
    question = screening.clean(text).lstrip("/")
    previous = conversation_of(context, message)
    result = await common.in_engine_thread(common.engine(context).ask, question, context=previous)
    log = common.writer(context)       # queues the rows: the reply never waits for the disk
    log.question(question, result, *common.ids(update))
    qid = log.remember(question) if result["answers"] or result["suggestions"] else 0
    sent = await replies.send(message, replies.for_result(result, qid), quote)
    keep_conversation(context, message, sent, result)


def _threads(context: Context) -> dict:
    return context.chat_data.setdefault(THREADS, {}) if context.chat_data is not None else {}


def conversation_of(context: Context, message: Message) -> dict | None:
    """What the last answer in this conversation was about: the private chat's last answer, or in a group the
    answer the message replies to."""
    if message.chat.type == ChatType.PRIVATE:
        return _threads(context).get(PRIVATE)
    replied = message.reply_to_message
    return _threads(context).get(replied.message_id) if replied else None


def kept_with(context: Context, sent: Message) -> dict | None:
    """What the conversation kept with a message the bot sent (a list, choices), so that a button pressed on an
    older message picks from that message's list, not from whatever was asked last."""
    return _threads(context).get(sent.message_id)


def keep_conversation(context: Context, message: Message, sent: Message | None,
                      result: dict) -> None:
    """Remember the answer so that a follow-up ("那什么时候完成？") can refer to it: in a private chat as the
    conversation's, and with the message sent (a group's thread, a button's list)."""
    kept = conversation.remember(result)
    threads = _threads(context)
    if message.chat.type == ChatType.PRIVATE:
        threads[PRIVATE] = kept
    if kept and sent is not None:
        threads[sent.message_id] = kept
        for key in [k for k, v in threads.items() if k != PRIVATE and not conversation.current(v)]:
            del threads[key]   # a busy chat leaves many threads behind: keep only the live ones


async def ask_private(update: Update, context: Context) -> None:
    """Answer a question typed in a private chat, or written as a photo's caption."""
    message = update.effective_message
    await answer(update, context, message.text or message.caption or "")


async def ask_group(update: Update, context: Context) -> None:
    """Answer a group message that mentions the bot or replies to it; let the group talk otherwise."""
    text = addressed(update.effective_message, context.bot.id, context.bot.username)
    if text is not None:
        await answer(update, context, text)


async def not_text(update: Update, context: Context) -> None:
    """Tell a private chat kindly that stickers, photos and voice notes are not understood."""
    if await flood.admit(update, context):
        await replies.send(update.effective_message, replies.text(NOT_TEXT))
