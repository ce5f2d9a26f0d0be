"""The fake Bot API behaves like Telegram towards the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakes.bot_api import FakeBotAPI

TOKEN = "123:ABC"
CHAT = 4242
HUNG = 60.0   # seconds after which a poll that should have ended is taken to hang (not a measure of speed)


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN, base_url=fake_bot_api.base_url, base_file_url=fake_bot_api.base_file_url
    ) as bot:
        yield bot


async def test_get_me(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    me = await bot.get_me()
    assert me.id == 123
    assert me.is_bot
    assert me.username == "gazette_test_bot"
    assert me.first_name == "GazetteBot"
    assert me.supports_inline_queries
    assert me.can_read_all_group_messages is False
    assert fake_bot_api.calls_of("getMe")  # also called by Bot.initialize


async def test_invalid_token_is_unauthorized(fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.invalid_tokens.add("999:REVOKED")
    bot = Bot("999:REVOKED", base_url=fake_bot_api.base_url)
    try:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            await bot.initialize()
    finally:
        await bot.shutdown()
    assert fake_bot_api.errors[-1][1:] == (401, "Unauthorized")


async def test_send_message_with_html_is_recorded(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    text = '<b>通州区</b> &amp; <a href="https://example.org/?a=1&amp;b=2">公报</a> 第1期'
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("出处", callback_data="src:1")]])
    first = await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    second = await bot.send_message(CHAT, "再来一条")

    assert first.text == "通州区 & 公报 第1期"  # Telegram returns the text without markup
    assert first.chat.id == CHAT and first.chat.type == "private"
    assert first.reply_markup == keyboard
    assert second.message_id == first.message_id + 1
    sent = fake_bot_api.sent_messages(CHAT)
    assert [m["text"] for m in sent] == [text, "再来一条"]
    assert sent[0]["parse_mode"] == "HTML"
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "src:1"
    assert fake_bot_api.sent_messages(CHAT + 1) == []


async def test_text_over_4096_utf16_units_is_too_long(bot: Bot) -> None:
    await bot.send_message(CHAT, "字" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "a" * 4097)
    # 2049 emoji are 4098 UTF-16 code units although len() is 2049
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)


async def test_limit_counts_text_after_html_parsing(bot: Bot) -> None:
    message = await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(message.text) == 4096


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a & b <c>", "Character '&' at byte offset 2"),
        ("a &amp; b <c>", 'Unsupported start tag "c" at byte offset 10'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
async def test_malformed_html_is_rejected(bot: Bot, text: str, detail: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities") as excinfo:
        await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    # PTB drops "Bad Request: " and lower-cases the rest of Telegram's description
    assert detail.lower() in str(excinfo.value).lower()


async def test_supported_html_is_accepted(bot: Bot) -> None:
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><span class=\"tg-spoiler\">p</span>"
        "<tg-spoiler>q</tg-spoiler><a href='https://t.me'>a</a><code>c</code>"
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>引用</blockquote><blockquote>q</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &lt;&gt;&quot;&#20844;&#x62a5;'
    )
    message = await bot.send_message(CHAT, text, parse_mode="HTML")
    assert message.text.endswith('👍 <>"公报')


async def test_empty_text_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes(bot: Bot) -> None:
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="a" * 64)]])
    await bot.send_message(CHAT, "fits", reply_markup=ok)
    for data in ("a" * 65, "公" * 22):  # 22 CJK characters are 66 UTF-8 bytes
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(CHAT, "too much data", reply_markup=markup)


async def test_retry_after(
    bot: Bot, fake_bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta
    fake_bot_api.fail_next("sendMessage", 429, retry_after=7, chat_id=CHAT)
    await bot.send_message(CHAT + 1, "other chat is not throttled")
    with pytest.raises(RetryAfter) as excinfo:
        await bot.send_message(CHAT, "throttled")
    assert excinfo.value.retry_after == dt.timedelta(seconds=7)
    await bot.send_message(CHAT, "second try")
    assert [m["text"] for m in fake_bot_api.sent_messages(CHAT)] == ["second try"]
    assert fake_bot_api.errors[-1][1:] == (429, "Too Many Requests: retry after 7")


async def test_blocked_chat_is_forbidden(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.blocked_chats.add(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hello")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(CHAT, "typing")


async def test_fail_next_forbidden_once(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.fail_next("sendMessage", 403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "hello")
    await bot.send_message(CHAT, "hello again")


async def test_migrated_group(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.fail_next("sendMessage", 400, migrate_to_chat_id=-1009876543210)
    with pytest.raises(ChatMigrated) as excinfo:
        await bot.send_message(-4001, "hi group")
    assert excinfo.value.new_chat_id == -1009876543210

    fake_bot_api.migrated_chats[-4002] = -1001111
    with pytest.raises(ChatMigrated):
        await bot.send_message(-4002, "still migrated")


async def test_get_updates_returns_an_update_pushed_before(
    bot: Bot, fake_bot_api: FakeBotAPI
) -> None:
    pushed = fake_bot_api.push_text("电梯困人了找谁", chat_id=CHAT, user_id=CHAT)
    updates = await bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [pushed["update_id"]]
    assert updates[0].message.text == "电梯困人了找谁"
    assert updates[0].message.from_user.id == CHAT
    # Not confirmed yet: delivered again; confirmed by the next offset: gone.
    assert len(await bot.get_updates(timeout=0)) == 1
    assert await bot.get_updates(offset=pushed["update_id"] + 1, timeout=0) == ()


async def test_long_poll_wakes_when_an_update_arrives(
    bot: Bot, fake_bot_api: FakeBotAPI
) -> None:
    # a poll that would wait an hour returns the update: woken by the push, not by its timeout
    poll = asyncio.create_task(bot.get_updates(timeout=3600, read_timeout=3610))
    await fake_bot_api.await_call("getUpdates")
    pusher = threading.Thread(target=fake_bot_api.push_command, args=("start",))
    pusher.start()
    updates = await asyncio.wait_for(poll, HUNG)
    pusher.join()
    assert updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"


async def test_long_poll_times_out_empty(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    assert await bot.get_updates(timeout=0.2) == ()
    [poll] = fake_bot_api.calls_of("getUpdates")
    assert float(poll["timeout"]) == 0.2


async def test_stop_wakes_a_long_poll(fake_bot_api: FakeBotAPI) -> None:
    async with Bot(TOKEN, base_url=fake_bot_api.base_url) as bot:
        # a poll that would wait an hour ends when the server stops
        poll = asyncio.create_task(bot.get_updates(timeout=3600, read_timeout=3610))
        await fake_bot_api.await_call("getUpdates")
        await asyncio.to_thread(fake_bot_api.stop)
        with contextlib.suppress(NetworkError):  # the connection may be closed under it
            await asyncio.wait_for(poll, HUNG)


async def test_newer_get_updates_ends_the_older_one(fake_bot_api: FakeBotAPI) -> None:
    async with Bot(TOKEN, base_url=fake_bot_api.base_url) as first, Bot(
        TOKEN, base_url=fake_bot_api.base_url
    ) as second:
        older = asyncio.create_task(first.get_updates(timeout=1))
        await fake_bot_api.await_call("getUpdates")
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await older


async def test_edit_message_text(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("更多", callback_data="more")]])
    sent = await bot.send_message(CHAT, "查询中…", reply_markup=keyboard)
    edited = await bot.edit_message_text("<b>答复</b>", CHAT, sent.message_id, parse_mode="HTML")
    assert edited.text == "答复"
    assert edited.reply_markup is None  # editing without reply_markup drops the keyboard
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<strong>答复</strong>", CHAT, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", CHAT, 999)
    await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard)
    assert fake_bot_api.message(CHAT, sent.message_id)["reply_markup"] == keyboard.to_dict()


async def test_answer_callback_query(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    await bot.send_message(CHAT, "选择", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("A", callback_data="a")]]
    ))
    pushed = fake_bot_api.push_callback("a", chat_id=CHAT, user_id=CHAT)
    query = (await bot.get_updates(timeout=0))[0].callback_query
    assert query.data == "a"
    assert query.message.text == "选择"
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query.id, text="长" * 201)
    assert await bot.answer_callback_query(query.id, text="好")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(pushed["callback_query"]["id"])


async def test_answer_inline_query(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    query_id = fake_bot_api.push_inline_query("路灯")["inline_query"]["id"]
    results = [
        InlineQueryResultArticle(str(i), f"结果{i}", InputTextMessageContent(f"答复{i}"))
        for i in range(51)
    ]
    with pytest.raises(BadRequest, match="Results_too_much"):
        await bot.answer_inline_query(query_id, results)
    assert await bot.answer_inline_query(query_id, results[:50])
    assert len(fake_bot_api.calls_of("answerInlineQuery")[-1]["results"]) == 50


async def test_commands_and_webhook(bot: Bot, fake_bot_api: FakeBotAPI) -> None:
    await bot.set_my_commands([BotCommand("ask", "提问"), BotCommand("help", "帮助")])
    assert [c.command for c in await bot.get_my_commands()] == ["ask", "help"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Ask-Now", "bad name")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()

    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(CHAT, "dancing")


async def test_unknown_method_is_not_found(fake_bot_api: FakeBotAPI) -> None:
    request = urllib.request.Request(f"{fake_bot_api.base_url}{TOKEN}/noSuchMethod", data=b"")
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        await asyncio.to_thread(urllib.request.urlopen, request, timeout=2)
    assert excinfo.value.code == 404
    assert json.loads(excinfo.value.read()) == {
        "ok": False, "error_code": 404, "description": "Not Found"
    }


async def test_real_telegram_is_unreachable(fake_bot_api: FakeBotAPI) -> None:
    bot = Bot(TOKEN)  # default base_url: https://api.telegram.org/bot
    try:
        with pytest.raises(NetworkError, match="blocked in tests: 'api.telegram.org'"):
            await bot.initialize()
    finally:
        await bot.shutdown()


async def test_application_echoes_and_stops_cleanly(fake_bot_api: FakeBotAPI) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(f"选了 {update.callback_query.data}")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake_bot_api.base_url)
        .base_file_url(fake_bot_api.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        fake_bot_api.push_text("路灯不亮归谁管", chat_id=CHAT, user_id=CHAT)
        group_message = fake_bot_api.push_text("群里问", chat_type="group")
        fake_bot_api.push_sticker()
        (reply,) = await fake_bot_api.await_call("sendMessage", chat_id=CHAT)
        assert reply["text"] == "路灯不亮归谁管"
        group_chat = group_message["message"]["chat"]["id"]
        (group_reply,) = await fake_bot_api.await_call("sendMessage", chat_id=group_chat)
        # PTB quotes in groups; the fake knows the message it replies to
        assert group_reply["reply_parameters"]["message_id"] == group_message["message"]["message_id"]

        fake_bot_api.push_callback("opt-1", chat_id=CHAT, user_id=CHAT)
        await fake_bot_api.await_call("editMessageText", chat_id=CHAT)
        await fake_bot_api.await_call("answerCallbackQuery")
        assert fake_bot_api.errors == []
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert len(fake_bot_api.sent_messages()) == 2  # the sticker got no reply
