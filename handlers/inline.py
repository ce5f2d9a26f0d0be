"""Inline mode: `@bot 电梯` in any chat lists matching answers as articles to post."""
from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit

from . import common, render, screening
from .state import Context

MAX_ARTICLES = 10
PASSAGE = 1500      # an article must fit one message: long passages are shortened (the citation stays)


def articles(answers: list[dict]) -> list[InlineQueryResultArticle]:
    """One article per answer: the lead as title, the citation as description, the answer as message."""
    out, seen = [], set()
    for a in answers:
        if a["id"] in seen:
            continue
        seen.add(a["id"])
        short = dict(a, passage=render.shorten(a["passage"], PASSAGE))
        body = render.pack(render.answer_blocks(short))[0]
        out.append(InlineQueryResultArticle(
            id=str(a["id"]), title=render.shorten(a["lead"] or a["passage"], 64),
            description=render.shorten(a["citation"], 100),
            input_message_content=InputTextMessageContent(body)))
    return out[:min(MAX_ARTICLES, InlineQueryLimit.RESULTS)]


async def inline_answers(update: Update, context: Context) -> None:
    """List the answers matching the inline query as articles."""
    inline = update.inline_query
    text = inline.query or ""
    if screening.problem(text):
        await inline.answer([], cache_time=30)
        return
    engine = common.engine(context)
    result = await common.in_engine_thread(engine.ask, screening.clean(text), limit=MAX_ARTICLES)
    answers = result["answers"]
    if not answers and result["suggestions"]:
        answers = [a for a in (engine.passage(s["id"]) for s in result["suggestions"]) if a]
    await inline.answer(articles(answers), cache_time=60)
