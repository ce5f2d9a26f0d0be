"""Wire the handlers into a python-telegram-bot Application, and run it (polling, or webhook when configured)."""
from __future__ import annotations

import asyncio
import logging
import secrets
import weakref
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import Bot, BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.ext import (Application, ApplicationBuilder, BaseUpdateProcessor, CallbackQueryHandler, CommandHandler,
                          Defaults, InlineQueryHandler, MessageHandler, filters)

import handlers.subscription_commands
from handlers import callbacks, commands, common, errors, flood, inline, live, questions
from handlers.state import CONTEXT_TYPES
from knowledge import people
from knowledge.engine import Engine
from knowledge.writer import Writer

from . import jobs
from .broadcast import rate_limiter
from .config import Config
from .redact import configure_logging

log = logging.getLogger("gazette_bot")


async def post_init(application: Application) -> None:
    """Register the command menu: the default one (Chinese) plus Chinese and English variants."""
    bot = application.bot
    await bot.set_my_commands(commands.bot_commands("zh"), scope=BotCommandScopeDefault())
    for language in ("zh", "en"):
        await bot.set_my_commands(commands.bot_commands(language), scope=BotCommandScopeDefault(),
                                  language_code=language)


def add_handlers(application: Application) -> None:
    """Commands, questions, buttons, inline mode, the subscription handlers, the error handler."""
    for name, callback in (("start", commands.start), ("help", commands.help_), ("ask", commands.ask),
                           ("who", commands.who), ("due", commands.due), ("unit", commands.unit),
                           ("doc", commands.doc), ("stats", commands.stats), ("reload", commands.reload)):
        application.add_handler(CommandHandler(name, callback))
    handlers.subscription_commands.register(application)
    # edits are not new questions; a photo of a notice with a question as its caption is one
    asked = filters.UpdateType.MESSAGE & ((filters.TEXT & ~filters.COMMAND) | filters.CAPTION)
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & asked, questions.ask_private))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & asked, questions.ask_group))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.COMMAND,
                                           commands.unknown))
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
        questions.not_text))
    for pattern, callback in (("^m:", callbacks.more), ("^c:", callbacks.full_clause), ("^d:", callbacks.source),
                              ("^f:", callbacks.feedback), ("^p:", callbacks.pick)):
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(callbacks.expired))
    application.add_handler(InlineQueryHandler(inline.inline_answers))
    application.add_error_handler(errors.apologise)


CONCURRENT_UPDATES = 256  # updates handled at once (most wait on the engine thread, which answers one at a time)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats at once, each chat's updates in the order they came: a resident who sends two
    questions gets two answers in that order, and nobody waits behind another chat's question."""

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._chats: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._chats.get(chat.id)
        if lock is None:
            lock = self._chats[chat.id] = asyncio.Lock()
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class GazetteApplication(Application):
    """PTB's Application that also warms the engine up when it initializes, and stops the writer of people's
    database on shutdown, writing what is queued (run_polling, run_webhook, `async with application` and the
    tests' polling() all begin in initialize() and end in shutdown())."""

    async def initialize(self) -> None:
        await super().initialize()
        common.warm_up(self.bot_data.engine)

    async def shutdown(self) -> None:
        await super().shutdown()
        await asyncio.to_thread(self.bot_data.writer.stop)


def build_application(cfg: Config, engine: Engine | None = None, **builder_overrides) -> Application:
    """The bot as an Application. builder_overrides name ApplicationBuilder methods, e.g. request=...,
    rate_limiter=..., to point it elsewhere (tests, the offline chat, the benchmark).

    Without an engine it loads one from cfg.store_path. With cfg.as_of unset, the engine's "today"
    follows the clock on every question. People's data goes to cfg.people_db (moved out of an old
    combined store first), through a writer thread that the application's shutdown stops.
    """
    # httpx logs every request URL at INFO, and the URL holds the token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    people.prepare(cfg.store_path, cfg.people_db)
    if engine is None:
        engine = Engine.load(cfg.store_path, today=cfg.today())
    settings: dict = {"token": cfg.token,
                      "defaults": Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(cfg.timezone)),
                      # a steady 29 messages/s: PTB's default bucket lets 60 through in the first second
                      "rate_limiter": rate_limiter(),
                      "post_init": post_init,
                      "context_types": CONTEXT_TYPES,
                      # /help or a button need not wait behind questions queued for the engine's thread
                      "concurrent_updates": PerChatUpdateProcessor(CONCURRENT_UPDATES)}
    if cfg.base_url:
        settings["base_url"] = cfg.base_url
    if cfg.base_file_url:
        settings["base_file_url"] = cfg.base_file_url
    settings.update(builder_overrides)
    builder = ApplicationBuilder().application_class(GazetteApplication)
    for method, value in settings.items():
        builder = getattr(builder, method)(value)
    application = builder.build()
    shared = application.bot_data
    shared.engine, shared.cfg = engine, cfg
    shared.flood = flood.FloodGate(cfg.questions_per_minute)
    shared.writer = Writer(cfg.people_db)
    live.loaded(shared, cfg.store_path)
    add_handlers(application)
    jobs.schedule(application, cfg)
    return application


def webhook_settings(cfg: Config) -> dict:
    """Arguments for run_webhook/start_webhook: listen where configured, under the URL's path."""
    return {"listen": cfg.webhook_listen, "port": cfg.webhook_port,
            "url_path": urlsplit(cfg.webhook_url).path.lstrip("/"), "webhook_url": cfg.webhook_url,
            # a random secret per run: Telegram sends it back with every update, anyone else is refused
            "secret_token": secrets.token_urlsafe(32), "allowed_updates": Update.ALL_TYPES}


def check_token(cfg: Config) -> None:
    """Ask Telegram who the bot is (getMe, as Application.initialize does): a revoked or mistyped token raises
    telegram.error.InvalidToken here, before anything slow is loaded."""
    async def get_me() -> None:
        servers = {"base_url": cfg.base_url, "base_file_url": cfg.base_file_url}
        async with Bot(cfg.token, **{name: url for name, url in servers.items() if url}):
            pass    # initialize() is the getMe call

    asyncio.run(get_me())


def run_bot(cfg: Config) -> int:
    """Run the bot until interrupted: long polling, or a webhook when cfg.webhook_url is set."""
    configure_logging(cfg.token)
    for warning in cfg.warnings:
        log.warning(warning)
    application = build_application(cfg)
    if cfg.webhook_url:
        settings = webhook_settings(cfg)
        log.info("webhook on %s:%s/%s", settings["listen"], settings["port"], settings["url_path"])
        application.run_webhook(**settings)
    else:
        log.info("long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
