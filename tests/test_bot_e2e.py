"""The real Application, polling the fake Bot API: questions, buttons, groups, commands, flood, hostility."""
from __future__ import annotations

import asyncio
import dataclasses
import html
import datetime as dt
import json
import logging
import re
import shutil
import socket
import urllib.error
import urllib.request

import pytest
from telegram.constants import InlineKeyboardButtonLimit

from bot.app import build_application, run_bot, webhook_settings
from bot.config import Config
from bot.redact import RedactToken, configure_logging
from fakes.bot_api import FakeBotAPI, polling
from handlers import commands, render
from knowledge import people
from knowledge.activity import activity_stats
from knowledge.engine import Engine
from tests.test_render import assert_valid

TODAY = dt.date(2022, 9, 1)
TOKEN = "123:TEST"
ADMIN, USER, OTHER = 7001, 7002, 7003



@pytest.fixture
def cfg(store, fake_bot_api: FakeBotAPI) -> Config:
    return Config(store_path=store, token=TOKEN, base_url=fake_bot_api.base_url,
                  base_file_url=fake_bot_api.base_file_url, admins=[ADMIN], as_of=TODAY, questions_per_minute=50)




@pytest.fixture
async def app(cfg, engine, fake_bot_api):
    async with polling(build_application(cfg, engine)) as application:
        yield application
    assert fake_bot_api.server_errors == []


REBUILD = 60.0   # a rebuild parses the gazette and loads a new engine: seconds on a busy shared machine

async def reply_to(api: FakeBotAPI, chat_id: int, count: int = 1, timeout: float = 5.0) -> dict:
    """The count-th message the bot sent to chat_id (waiting for it), checked to be valid for Telegram."""
    sent = await api.await_call("sendMessage", count=count, chat_id=chat_id, timeout=timeout)
    message = sent[count - 1]
    assert message.get("parse_mode") == "HTML"
    assert_valid(message["text"])
    return message


def buttons(message: dict) -> dict[str, str]:
    """{label: callback data} of a sent message's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def no_errors(api: FakeBotAPI) -> None:
    """Nothing the bot sent was rejected. (When polling stops, PTB's last getUpdates ends the pending
    long poll, which the fake answers 409 like Telegram; that one is the client's own bookkeeping.)"""
    rejected = [e for e in api.errors if e[0].method != "getUpdates"]
    assert rejected == [], rejected


def logged(application, sql: str, params: list | None = None) -> list[dict]:
    """Rows of people's database once the writer has written what it was handed."""
    assert application.bot_data.writer.flush(timeout=10)
    db = people.connect(application.bot_data.cfg.people_db)
    try:
        return list(db.query(sql, params or []))
    finally:
        db.conn.close()


def bot_message_ids(api: FakeBotAPI, chat_id: int) -> list[int]:
    return [k for k in range(1, 50) if (m := api.message(chat_id, k)) and m.get("from", {}).get("is_bot")]


# ------------------------------------------------------------------------------------------- start-up


async def test_commands_are_registered_at_start_up_in_chinese_and_english(app, fake_bot_api):
    zh = {c["command"]: c["description"] for c in fake_bot_api.my_commands(language_code="zh")}
    en = {c["command"]: c["description"] for c in fake_bot_api.my_commands(language_code="en")}
    default = {c["command"] for c in fake_bot_api.my_commands()}
    expected = {"start", "help", "ask", "who", "due", "unit", "doc", "subscribe", "unsubscribe", "mysubs"}
    assert set(zh) == set(en) == default == expected
    assert "默认 30 天" in zh["due"] and en["due"] == "Tasks due in the next DAYS (default 30)"
    assert "stats" not in zh and "reload" not in zh        # staff commands stay out of the public menu


async def test_start_explains_with_examples(app, fake_bot_api):
    fake_bot_api.push_command("start", user_id=USER)
    text = (await reply_to(fake_bot_api, USER))["text"]
    assert "谁负责老楼加装电梯？" in text and "/due" in text and "2022年第1期" in text
    assert "/reload" not in text                             # staff commands only in an admin's help


# ------------------------------------------------------------------------------------------- questions


async def test_a_question_gets_unit_passage_citation_and_buttons(app, fake_bot_api):
    fake_bot_api.push_text("谁负责老楼加装电梯？", user_id=USER)
    reply = await reply_to(fake_bot_api, USER)
    text = reply["text"]
    assert text.startswith("<b>主责单位：区住房城乡建设委</b>")
    assert "<blockquote>稳步推进老楼加装电梯工作" in text
    assert "出处：《2022年通州区重要民生实事项目》二（九）（通政发〔2022〕6号，区政府公报2022年第1期约第160页）" in text
    assert "还剩 121 天" in text                              # counted from the configured as-of date
    keys = buttons(reply)
    assert set(keys) == {"完整条文", "来源文件", "👍", "👎"}
    for data in keys.values():
        assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA and "电梯" not in data
    no_errors(fake_bot_api)


async def test_buttons_more_full_clause_source_and_feedback(app, fake_bot_api, engine):
    fake_bot_api.push_text("一键呼谁负责", user_id=USER)
    answer = await reply_to(fake_bot_api, USER)
    keys = buttons(answer)
    assert list(keys) == ["更多结果", "完整条文", "来源文件", "👍", "👎"]

    fake_bot_api.push_callback(keys["更多结果"], user_id=USER)
    more = (await reply_to(fake_bot_api, USER, 2))
    assert more["text"].startswith("<b>更多结果</b>") and "<b>2. " in more["text"]
    assert "为全区有需求的高龄" not in more["text"]      # the first answer is not repeated
    # item 2 is opened by a button that says what it is, not by a bare "2"
    (second,) = [k for k in buttons(more) if k.startswith("2. ")]
    assert len(second) <= 24 and second[3:].rstrip("…") in html.unescape(more["text"]).split("<b>2. ", 1)[1]

    fake_bot_api.push_callback(keys["完整条文"], user_id=USER)
    clause = (await reply_to(fake_bot_api, USER, 3))["text"]
    assert clause.startswith("<b>完整条文：三（十四）</b>") and "一键呼" in clause

    fake_bot_api.push_callback(keys["来源文件"], user_id=USER)
    source = (await reply_to(fake_bot_api, USER, 4))["text"]
    assert "《2022年通州区重要民生实事项目》" in source and "文号：通政发〔2022〕6号" in source

    fake_bot_api.push_callback(keys["👍"], user_id=USER)
    (thanks,) = await fake_bot_api.await_call("answerCallbackQuery", where=lambda p: "谢谢" in (p.get("text") or ""))
    assert thanks["text"] == "谢谢！已记录 👍"
    votes = logged(app, "select vote, question from feedback where user_id = ? and passage_id = 127", [USER])
    assert votes == [{"vote": 1, "question": "一键呼谁负责"}]
    assert len(fake_bot_api.calls_of("answerCallbackQuery")) == 4  # every press is answered
    no_errors(fake_bot_api)


async def test_unsure_engine_offers_three_candidates_and_a_choice_becomes_the_answer(app, fake_bot_api):
    fake_bot_api.push_text("核酸检测", user_id=USER)
    reply = await reply_to(fake_bot_api, USER)
    assert reply["text"].startswith(f"<b>{render.UNSURE_TITLE}</b>")
    keys = buttons(reply)
    # each choice says what it is: the item's own first words, and who is responsible (or its 文号)
    assert len(keys) == 3 and all(re.search(r"^\S{6,}.*（(区|通政发).*）$", label) for label in keys), keys
    label, data = next(iter(keys.items()))
    fake_bot_api.push_callback(data, user_id=USER)
    (edit,) = await fake_bot_api.await_call("editMessageText", chat_id=USER)
    assert_valid(edit["text"])
    assert "出处：《通州区突发事件总体应急预案（2022年修订）》" in edit["text"]
    assert label.split("…")[0][:10] in edit["text"]      # the answer is the item the choice named
    assert "👍" in buttons(edit)
    no_errors(fake_bot_api)


async def test_old_buttons_work_after_a_restart_or_say_expired(cfg, engine, fake_bot_api):
    async with polling(build_application(cfg, engine)):
        fake_bot_api.push_text("一键呼谁负责", user_id=USER)
        keys = buttons(await reply_to(fake_bot_api, USER))
    # a new process: nothing in memory, a freshly loaded engine on the same store
    async with polling(build_application(cfg, Engine.load(cfg.store_path, today=TODAY))):
        fake_bot_api.push_callback(keys["完整条文"], user_id=USER)
        assert "一键呼" in (await reply_to(fake_bot_api, USER, 2))["text"]
        fake_bot_api.push_callback(keys["更多结果"], user_id=USER)
        assert "<b>更多结果</b>" in (await reply_to(fake_bot_api, USER, 3))["text"]
        for stale in ("m:99999999:1", "c:99999999", "f:99999999:1:1", "p:99999999:0", "zz:1", "ping"):
            fake_bot_api.push_callback(stale, user_id=USER)
        answers = await fake_bot_api.await_call("answerCallbackQuery", count=8)
    assert [a.get("text") for a in answers[2:]] == ["这个按钮已过期，请重新提问。"] * 6
    assert len(fake_bot_api.sent_messages(USER)) == 3
    no_errors(fake_bot_api)


async def test_groups_answer_only_when_mentioned_or_replied_to(app, fake_bot_api):
    group = -4001001
    fake_bot_api.push_text("谁负责老楼加装电梯", chat_type="group", chat_id=group, user_id=USER)
    mention = fake_bot_api.push_text("@gazette_test_bot 路灯不亮归谁管", chat_type="group", chat_id=group,
                                     user_id=OTHER)
    first = await reply_to(fake_bot_api, group)
    assert "区城市管理委" in first["text"]                          # the mention, not the unaddressed message
    assert first["reply_parameters"]["message_id"] == mention["message"]["message_id"]
    [bot_message] = bot_message_ids(fake_bot_api, group)
    fake_bot_api.push_text("电梯困人了找谁", chat_type="group", chat_id=group, user_id=USER, reply_to=bot_message)
    fake_bot_api.push_sticker(chat_type="group", chat_id=group, user_id=USER)      # never answered in a group
    fake_bot_api.push_photo(caption="谁负责老楼加装电梯", chat_type="group", chat_id=group, user_id=USER)
    fake_bot_api.push_command("due", "10", chat_type="group", chat_id=group, user_id=USER, mention_bot=True)
    second = await reply_to(fake_bot_api, group, 2)
    assert "区市场监管局" in second["text"]
    third = await reply_to(fake_bot_api, group, 3)
    assert "今后 10 天内" in third["text"]
    fake_bot_api.push_photo(caption="路灯不亮归谁管", chat_type="group", chat_id=group, user_id=OTHER,
                            reply_to=bot_message)                          # a captioned photo replying to the bot
    assert "区城市管理委" in (await reply_to(fake_bot_api, group, 4))["text"]
    fake_bot_api.push_photo(caption="@gazette_test_bot 电梯困人了找谁", chat_type="group", chat_id=group,
                            user_id=OTHER, caption_entities=[{"type": "mention", "offset": 0, "length": 17}])
    assert "区市场监管局" in (await reply_to(fake_bot_api, group, 5))["text"]
    assert len(fake_bot_api.sent_messages(group)) == 5
    no_errors(fake_bot_api)


# ------------------------------------------------------------------------------------------- commands


async def test_due_defaults_to_30_days_from_the_as_of_date(app, fake_bot_api):
    fake_bot_api.push_command("due", user_id=USER)
    text = (await reply_to(fake_bot_api, USER))["text"]
    assert text.startswith("<b>今后 30 天内（2022-09-01 起）到期：18 项</b>")
    assert "<b>1. 2022年9月（还剩 29 天）</b>" in text
    fake_bot_api.push_command("due", "3", user_id=USER)
    assert "没有到期的任务" in (await reply_to(fake_bot_api, USER, 2))["text"]
    fake_bot_api.push_text("第2项", user_id=USER)   # of the empty list just shown, not 2号文第2项
    assert "列表是空的" in (await reply_to(fake_bot_api, USER, 3))["text"]
    fake_bot_api.push_command("due", "soon", user_id=USER)
    assert "用法：/due 天数" in (await reply_to(fake_bot_api, USER, 4))["text"]
    no_errors(fake_bot_api)


async def test_unit_accepts_an_alias_and_pages_with_more(app, fake_bot_api):
    fake_bot_api.push_command("unit", "区住建委", user_id=USER)
    first = await reply_to(fake_bot_api, USER)
    assert first["text"].startswith("<b>区住房城乡建设委：共 36 项（民生实事 3，任务 29，表格行 2，条文 2）"
                                    "；另有 3 项列为配合单位，发 /unit 区住房城乡建设委 配合 查看</b>")
    assert "第 1–5 项，共 36 项" in first["text"]
    keys = buttons(first)
    fake_bot_api.push_callback(keys["更多结果"], user_id=USER)
    page2 = (await reply_to(fake_bot_api, USER, 2))["text"]
    assert "<b>6. " in page2 and "第 6–10 项，共 36 项" in page2
    fake_bot_api.push_command("unit", "不存在的局", user_id=USER)
    assert "没有找到单位" in (await reply_to(fake_bot_api, USER, 3))["text"]
    no_errors(fake_bot_api)


async def test_doc_by_number_title_and_repealed_number(app, fake_bot_api):
    fake_bot_api.push_command("doc", "通政发〔2022〕3号", user_id=USER)
    text = (await reply_to(fake_bot_api, USER))["text"]
    assert text.startswith("<b>《通州区突发事件总体应急预案（2022年修订）》</b>")
    assert "文号：通政发〔2022〕3号" in text and "刊载：区政府公报2022年第1期第54页" in text
    fake_bot_api.push_command("doc", "通政发〔2017〕27号", user_id=USER)
    assert "通政发〔2017〕27号 已被 通政发〔2022〕3号 废止" in (await reply_to(fake_bot_api, USER, 2))["text"]
    fake_bot_api.push_command("doc", "民生实事", user_id=USER)
    assert "文号：通政发〔2022〕6号" in (await reply_to(fake_bot_api, USER, 3))["text"]
    no_errors(fake_bot_api)


async def test_ask_and_who_commands(app, fake_bot_api):
    fake_bot_api.push_command("ask", "京哈高速加宽改造什么时候完成", user_id=USER)
    assert "<b>完成时限：2022年6月（期限已过 63 天）</b>" in (await reply_to(fake_bot_api, USER))["text"]
    fake_bot_api.push_command("who", "路灯", user_id=USER)
    assert "区城市管理委" in (await reply_to(fake_bot_api, USER, 2))["text"]
    fake_bot_api.push_command("ask", user_id=USER)
    assert "用法：/ask" in (await reply_to(fake_bot_api, USER, 3))["text"]
    no_errors(fake_bot_api)


async def test_stats_is_for_admins_only(app, fake_bot_api):
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    fake_bot_api.push_text("火星基地谁负责", user_id=USER)
    fake_bot_api.push_command("stats", user_id=USER)
    await reply_to(fake_bot_api, USER, 2)
    denied = (await reply_to(fake_bot_api, USER, 3))["text"]
    assert "无权限" in denied and "not allowed" in denied
    fake_bot_api.push_command("stats", user_id=ADMIN)
    text = (await reply_to(fake_bot_api, ADMIN))["text"]
    [numbers] = [activity_stats(people.connect(app.bot_data.cfg.people_db))]
    assert f"提问总数：{numbers['questions']}" in text and numbers["questions"] >= 2
    assert f"未能回答：{numbers['declined']}" in text and "火星基地谁负责" in text
    assert "热门事项" in text and f"👍 {numbers['feedback_up']}" in text
    no_errors(fake_bot_api)


async def test_reload_rebuilds_the_store_for_admins_only(cfg, fake_bot_api, tmp_path):
    copy = tmp_path / "reload.db"
    shutil.copy(cfg.store_path, copy)
    reload_cfg = dataclasses.replace(cfg, store_path=copy)
    old = Engine.load(copy, today=TODAY)
    async with polling(build_application(reload_cfg, old)) as application:
        fake_bot_api.push_command("reload", user_id=USER)
        assert "无权限" in (await reply_to(fake_bot_api, USER))["text"]
        assert application.bot_data.engine is old
        fake_bot_api.push_command("reload", user_id=ADMIN)
        done = (await reply_to(fake_bot_api, ADMIN, 2, timeout=REBUILD))["text"]
        assert done.startswith(f"已重建：{len(old.documents)} 份文件，")
        assert application.bot_data.engine is not old
        fake_bot_api.push_text("谁负责老楼加装电梯", user_id=ADMIN)       # the new engine answers
        assert "区住房城乡建设委" in (await reply_to(fake_bot_api, ADMIN, 3))["text"]
    no_errors(fake_bot_api)


async def test_questions_asked_while_the_store_is_rebuilt_are_kept(cfg, fake_bot_api, tmp_path, monkeypatch):
    copy = tmp_path / "reload.db"
    shutil.copy(cfg.store_path, copy)
    old = Engine.load(copy, today=TODAY)
    real_load = commands.Engine.load

    def load_while_a_resident_asks(path, today):
        fake_bot_api.push_text("火星基地谁负责", user_id=OTHER)
        return real_load(path, today)

    monkeypatch.setattr(commands.Engine, "load", load_while_a_resident_asks)
    async with polling(build_application(dataclasses.replace(cfg, store_path=copy), old)) as application:
        fake_bot_api.push_command("reload", user_id=ADMIN)
        assert (await reply_to(fake_bot_api, ADMIN, 2, timeout=REBUILD))["text"].startswith("已重建")
        await reply_to(fake_bot_api, OTHER)          # answered while the new engine loaded
        assert logged(application, "select question from declined where user_id = ?", [OTHER]) == [
            {"question": "火星基地谁负责"}]
    no_errors(fake_bot_api)


# ------------------------------------------------------------------------------------------- protection


async def test_flood_control_notices_once_then_ignores_until_the_window_passes(cfg, engine, fake_bot_api):
    limited = dataclasses.replace(cfg, questions_per_minute=3)
    application = build_application(limited, engine)
    now = [1000.0]
    application.bot_data.flood.clock = lambda: now[0]
    async with polling(application):
        for _ in range(6):
            fake_bot_api.push_text("路灯不亮归谁管", user_id=USER)
        fake_bot_api.push_text("谁负责老楼加装电梯", user_id=OTHER)       # another user is not slowed down
        assert "区住房城乡建设委" in (await reply_to(fake_bot_api, OTHER))["text"]
        await fake_bot_api.await_call("sendMessage", count=4, chat_id=USER)   # chats run side by side
        texts = [m["text"] for m in fake_bot_api.sent_messages(USER)]
        assert len(texts) == 4 and all("区城市管理委" in t for t in texts[:3])
        assert "太快" in texts[3] and "60 秒后再问" in texts[3]   # how long to wait, and that these go unanswered
        now[0] += 61                                                     # the window has passed
        fake_bot_api.push_text("路灯不亮归谁管", user_id=USER)
        assert "区城市管理委" in (await reply_to(fake_bot_api, USER, 5))["text"]
        english = OTHER + 1
        for _ in range(4):
            fake_bot_api.push_text("who handles street lights?", user_id=english)
        await fake_bot_api.await_call("sendMessage", count=4, chat_id=english)
        assert "You are asking too fast" in fake_bot_api.sent_messages(english)[3]["text"]   # in the asker's language
        pager = OTHER + 2                                              # paging a list is not asking
        for text in ("路灯不亮归谁管", "路灯不亮归谁管", "路灯不亮归谁管", "还有呢", "下一项"):
            fake_bot_api.push_text(text, user_id=pager)
        await fake_bot_api.await_call("sendMessage", count=5, chat_id=pager)
        assert all("太快" not in m["text"] for m in fake_bot_api.sent_messages(pager))
        staff = OTHER + 3                                              # nor is a run of look-ups by number
        for n in range(20, 26):
            fake_bot_api.push_text(f"2号文第{n}项", user_id=staff)
        await fake_bot_api.await_call("sendMessage", count=6, chat_id=staff)
        assert all("太快" not in m["text"] and "出处" in m["text"] for m in fake_bot_api.sent_messages(staff))
    no_errors(fake_bot_api)


HOSTILE = [
    "字" * 5000,
    "<b>谁负责</b> <script>alert(1)</script> **电梯** __x__ [link](http://x) `code` &amp; &lt;",
    "<<<>>>&&&;;; ]]]]((((**__~~||",
    "😀😀😀🎉🎉",
    "\u200b\u200b\u200b",
    "</blockquote></b><b>",
    "/ask <b>电梯</b>",
    "谁负责" + "电梯" * 240,
]


async def test_hostile_input_never_crashes_or_sends_what_telegram_rejects(app, fake_bot_api, caplog):
    for text in HOSTILE:
        fake_bot_api.push_text(text, user_id=USER, entities=[])
    fake_bot_api.push_sticker(user_id=USER)
    fake_bot_api.push_photo(user_id=USER)
    fake_bot_api.push_photo(caption="谁负责电梯", user_id=USER)
    fake_bot_api.push_command("unit", "<b>" + "局" * 3000, user_id=USER)
    fake_bot_api.push_command("doc", "&" * 100, user_id=USER)
    fake_bot_api.push_command("nosuchcommand", user_id=USER)
    fake_bot_api.push_edited_text(1, "谁负责电梯", user_id=USER)          # edits are not new questions
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)           # barrier: a chat's updates run in order
    await fake_bot_api.await_call("sendMessage", count=len(HOSTILE) + 7, chat_id=USER)
    sent = fake_bot_api.sent_messages(USER)
    texts = [m["text"] for m in sent]
    for m in sent:
        assert_valid(m["text"])
    assert len(texts) == len(HOSTILE) + 7 and "区住房城乡建设委" in texts[-1], texts
    assert "问题有点长（5000 字）" in texts[0]
    assert texts[3].startswith("请用文字提个问题") and texts[4].startswith("请用文字提个问题")
    assert texts[8:10] == [render.plain_messages("我只能读懂文字问题。例如：谁负责老楼加装电梯？")[0]] * 2
    assert "区住房城乡建设委" in texts[10]                              # a photo's caption is a question
    assert "没有这个命令" in texts[13]
    assert "抱歉，处理这条消息时出了点问题" not in "".join(texts)      # nothing reached the error handler
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    no_errors(fake_bot_api)


async def test_inline_query_lists_answers_as_articles(app, fake_bot_api):
    asked = [fake_bot_api.push_inline_query(q, user_id=USER)["inline_query"]["id"] for q in ("电梯", "", "😀")]
    answered = {c["inline_query_id"]: c for c in await fake_bot_api.await_call("answerInlineQuery", count=3)}
    calls = [answered[i] for i in asked]    # inline queries have no chat: they are answered side by side
    results = calls[0]["results"]
    assert results and all(r["type"] == "article" for r in results)
    assert any("区住房城乡建设委" in r["input_message_content"]["message_text"] for r in results)
    for r in results:
        assert_valid(r["input_message_content"]["message_text"])
        assert r["input_message_content"].get("parse_mode") == "HTML"
        assert "出处：" in r["input_message_content"]["message_text"]
    assert calls[1]["results"] == [] and calls[2]["results"] == []
    no_errors(fake_bot_api)


class Broken:
    """An engine whose ask fails, to reach the error handler."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def ask(self, *args, **kwargs):
        raise RuntimeError("index corrupted")


async def test_errors_are_logged_with_the_update_id_and_apologised_for(app, fake_bot_api, engine, caplog):
    app.bot_data.engine = Broken(engine)
    pushed = fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    apology = await reply_to(fake_bot_api, USER)
    assert apology["text"] == "抱歉，处理这条消息时出了点问题，请稍后再试。"
    [record] = [r for r in caplog.records if r.name == "gazette_bot.errors"]
    assert f"update {pushed['update_id']} failed" in record.getMessage() and record.exc_info
    app.bot_data.engine = engine                                     # the bot kept running
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    assert "区住房城乡建设委" in (await reply_to(fake_bot_api, USER, 2))["text"]


@pytest.fixture
def redacting_logs():
    """configure_logging as run_bot does it, undone afterwards (it changes the root logger)."""
    root = logging.getLogger()
    level = root.level
    configure_logging(TOKEN)
    yield
    root.setLevel(level)
    for handler in root.handlers:
        for f in [f for f in handler.filters if isinstance(f, RedactToken)]:
            handler.removeFilter(f)


async def test_the_token_is_never_logged(cfg, engine, fake_bot_api, caplog, redacting_logs):
    caplog.set_level(logging.DEBUG)
    async with polling(build_application(cfg, engine)):
        fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
        await reply_to(fake_bot_api, USER)
    assert "/bot[token]" in caplog.text            # PTB does log its API URL at DEBUG level ...
    assert TOKEN not in caplog.text                # ... but never with the token in it
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


# ------------------------------------------------------------------------------------------- modes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_update(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


async def test_webhook_mode_registers_the_url_and_accepts_only_telegram(cfg, engine, fake_bot_api):
    hooked = dataclasses.replace(cfg, webhook_url="https://bot.example.org/gazette/hook",
                                 webhook_listen="127.0.0.1", webhook_port=free_port())
    application = build_application(hooked, engine)
    await application.initialize()
    await application.updater.start_webhook(**webhook_settings(hooked))
    await application.start()
    try:
        (registered,) = fake_bot_api.calls_of("setWebhook")
        assert registered["url"] == "https://bot.example.org/gazette/hook"
        secret = registered["secret_token"]
        assert len(secret) >= 32
        local = f"http://127.0.0.1:{hooked.webhook_port}/gazette/hook"
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "谁负责老楼加装电梯",
                                              "chat": {"id": USER, "type": "private", "first_name": "U"},
                                              "from": {"id": USER, "is_bot": False, "first_name": "U"}}}
        assert await asyncio.to_thread(post_update, local, update, "forged") == 403
        assert await asyncio.to_thread(post_update, local, update, secret) == 200
        assert "区住房城乡建设委" in (await reply_to(fake_bot_api, USER))["text"]
        assert len(fake_bot_api.sent_messages()) == 1          # the forged update was not answered
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    no_errors(fake_bot_api)


@pytest.mark.parametrize("webhook_url, runner", [("", "run_polling"), ("https://bot.example.org/tg", "run_webhook")])
def test_run_bot_polls_by_default_and_uses_a_webhook_when_configured(cfg, engine, monkeypatch, webhook_url, runner,
                                                                     redacting_logs):
    ran = {}
    monkeypatch.setattr("telegram.ext.Application.run_polling", lambda self, **kw: ran.update(polling=kw))
    monkeypatch.setattr("telegram.ext.Application.run_webhook", lambda self, **kw: ran.update(webhook=kw))
    monkeypatch.setattr("bot.app.build_application", lambda c: build_application(c, engine))
    assert run_bot(dataclasses.replace(cfg, webhook_url=webhook_url)) == 0
    assert list(ran) == ["polling" if runner == "run_polling" else "webhook"]
    if webhook_url:
        assert ran["webhook"]["url_path"] == "tg" and ran["webhook"]["webhook_url"] == webhook_url
        assert ran["webhook"]["port"] == cfg.webhook_port and ran["webhook"]["secret_token"]


# ------------------------------------------------------------------------------------------- follow-ups

async def test_a_follow_up_in_a_private_chat_is_about_the_last_answer(app, fake_bot_api):
    fake_bot_api.push_text("谁负责老楼加装电梯", user_id=USER)
    assert "区住房城乡建设委" in (await reply_to(fake_bot_api, USER))["text"]
    fake_bot_api.push_text("那什么时候完成？", user_id=USER)
    assert "<b>完成时限：2022年12月底前（还剩 121 天）</b>" in (await reply_to(fake_bot_api, USER, 2))["text"]
    fake_bot_api.push_text("那谁是牵头领导", user_id=USER)
    assert "<b>牵头领导：" in (await reply_to(fake_bot_api, USER, 3))["text"]
    fake_bot_api.push_text("电梯困人了找谁", user_id=USER)           # a topic of its own starts afresh
    assert "区市场监管局" in (await reply_to(fake_bot_api, USER, 4))["text"]
    fake_bot_api.push_text("那什么时候完成？", user_id=USER)
    assert "老楼加装电梯" not in (await reply_to(fake_bot_api, USER, 5))["text"]
    no_errors(fake_bot_api)


async def test_a_follow_up_in_a_group_follows_the_answer_it_replies_to(app, fake_bot_api):
    group = -4001002
    fake_bot_api.push_text("@gazette_test_bot 谁负责老楼加装电梯", chat_type="group", chat_id=group, user_id=USER)
    assert "区住房城乡建设委" in (await reply_to(fake_bot_api, group))["text"]
    [elevator] = bot_message_ids(fake_bot_api, group)
    fake_bot_api.push_text("@gazette_test_bot 京哈高速加宽改造谁负责", chat_type="group", chat_id=group, user_id=OTHER)
    await reply_to(fake_bot_api, group, 2)
    fake_bot_api.push_text("那什么时候完成？", chat_type="group", chat_id=group, user_id=OTHER, reply_to=elevator)
    third = (await reply_to(fake_bot_api, group, 3))["text"]
    assert "完成时限：2022年12月底前" in third and "老楼加装电梯" in third
    no_errors(fake_bot_api)


async def test_more_replying_to_a_unit_list_in_a_group_pages_that_list(app, fake_bot_api):
    group = -4001003
    fake_bot_api.push_command("unit", "区水务局", chat_type="group", chat_id=group, user_id=USER, mention_bot=True)
    assert "第 1–5 项，共 27 项" in (await reply_to(fake_bot_api, group))["text"]
    listing = bot_message_ids(fake_bot_api, group)[-1]
    fake_bot_api.push_text("更多", chat_type="group", chat_id=group, user_id=OTHER, reply_to=listing)
    assert "第 6–10 项，共 27 项" in (await reply_to(fake_bot_api, group, 2))["text"]
    no_errors(fake_bot_api)
