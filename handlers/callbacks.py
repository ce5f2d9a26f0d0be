"""Button presses under answers. Buttons carry passage and question ids, so they outlive a restart;
ids the store no longer knows, and data this bot did not send to this chat (see keyboards.seal), get a
polite "expired" instead of an error. Votes and stored questions go through the writer of people's
database (knowledge/writer.py)."""
from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest

from . import common, keyboards, lookup, questions, render, replies
from .state import Context

EXPIRED = "这个按钮已过期，请重新提问。"
THANKS = {1: "谢谢！已记录 👍", -1: "谢谢反馈，我们会改进 👎"}


def _ids(update: Update, context: Context, verb: str) -> list[int]:
    """The ids of a button press, [] unless this bot sealed that data with verb for this very chat."""
    chat = update.effective_chat
    parsed = keyboards.unseal(update.callback_query.data, chat.id if chat else None,
                              keyboards.key_for(context.bot.token))
    return parsed[1] if parsed and parsed[0] == verb else []


def _message(update: Update) -> Message | None:
    """The message the button is under, when Telegram still gives it to us (it may be too old)."""
    msg = update.callback_query.message
    return msg if isinstance(msg, Message) else None


async def _send(update: Update, context: Context, reply: replies.Reply) -> Message | None:
    """Send the reply under the button's message, or to the chat when Telegram no longer gives that message;
    returns the last message sent."""
    message = _message(update)
    if message is not None:
        return await replies.send(message, reply)
    chat_id = update.effective_chat.id      # no message to reply to: write to the chat directly
    markup = replies.sealed(reply.markup, chat_id, context.bot)
    sent = None
    for k, body in enumerate(reply.texts):
        sent = await replies.deliver(lambda body=body, last=k == len(reply.texts) - 1: context.bot.send_message(
            chat_id, body, reply_markup=markup if last else None))
    return sent


async def more(update: Update, context: Context) -> None:
    """Show the next page of answers to the stored question."""
    query = update.callback_query
    ids = _ids(update, context, "m")
    engine = common.engine(context)
    stored = await common.recall(context, ids[0]) if len(ids) == 2 else None
    if stored is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    offset = max(0, ids[1])
    result = await common.in_engine_thread(lookup.run, engine, stored, limit=offset + render.PAGE + 1)
    sent = await _send(update, context, replies.for_page(result, offset, ids[0]))
    message = _message(update)
    if "listed" in result and message is not None and result["answers"][offset:]:
        # a typed "更多" or "上一项" then goes on from the page the button showed
        page = dict(result, answers=result["answers"][offset:offset + render.PAGE], start=offset)
        questions.keep_conversation(context, message, sent, page)


async def _show_from_passage(update: Update, context: Context, verb: str, find,
                             render_messages) -> None:
    """Look up what a passage button points at (find(engine, answer)) and send it, or say it expired."""
    query = update.callback_query
    engine = common.engine(context)
    ids = _ids(update, context, verb)
    answer = engine.passage(ids[0]) if len(ids) == 1 else None
    found = find(engine, answer) if answer else None
    if found is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    await _send(update, context, replies.Reply(render_messages(found)))


async def full_clause(update: Update, context: Context) -> None:
    """Show the whole provision the passage comes from."""
    await _show_from_passage(update, context, "c",
                             lambda engine, a: engine.clause(a["clause_id"]) if a.get("clause_id") else None,
                             render.clause_messages)


async def source(update: Update, context: Context) -> None:
    """Describe the document the passage comes from."""
    await _show_from_passage(update, context, "d", lambda engine, a: engine.document(a["doc_number"]),
                             render.document_messages)


async def feedback(update: Update, context: Context) -> None:
    """Store 👍 or 👎 on the answer and thank the user."""
    query = update.callback_query
    ids = _ids(update, context, "f")
    engine = common.engine(context)
    if len(ids) != 3 or ids[1] not in THANKS or engine.passage(ids[0]) is None:
        await query.answer(EXPIRED)
        return
    pid, vote, qid = ids
    common.writer(context).feedback(pid, vote, query.from_user.id, await common.recall(context, qid))
    await query.answer(THANKS[vote])


async def pick(update: Update, context: Context) -> None:
    """Show the chosen candidate (or list item) in full; a candidate list turns into the answer."""
    query = update.callback_query
    ids = _ids(update, context, "p")
    engine = common.engine(context)
    asked = await common.recall(context, ids[1]) if len(ids) == 2 else None   # the lead answers what was asked
    answer = engine.passage(ids[0], asked) if len(ids) == 2 else None
    if answer is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    reply = replies.for_answer(answer, ids[1])
    message = _message(update)
    is_candidates = message is not None and (message.text or "").startswith(render.UNSURE_TITLE)
    # the conversation moves to what is on screen: "谁负责" next is asked of the chosen one
    picked = {"answers": [answer], "intent": "clause", "query": asked or "", "lang": answer.get("lang")}
    shown = questions.kept_with(context, message) if message is not None else None
    if shown and (shown.get("list") or shown.get("list_context")):
        picked["list_context"] = shown if shown.get("list") else shown["list_context"]   # "更多" pages on in it
    if is_candidates and len(reply.texts) == 1:
        try:
            await message.edit_text(reply.texts[0], reply_markup=replies.sealed(reply.markup, message.chat_id,
                                                                                 context.bot))
            questions.keep_conversation(context, message, message, picked)
            return
        except BadRequest:
            pass   # e.g. the message is too old to edit: send the answer as a new message instead
    sent = await _send(update, context, reply)
    if message is not None:
        questions.keep_conversation(context, message, sent, picked)


async def expired(update: Update, context: Context) -> None:
    """Answer a button this version of the bot does not know."""
    await update.callback_query.answer(EXPIRED)
