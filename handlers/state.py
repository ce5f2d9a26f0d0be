"""What the handlers and jobs share: application.bot_data, typed (ContextTypes(bot_data=BotData)).

PTB makes bot_data with no arguments, so what only the running bot can supply (the engine, the config, the
writer, the flood gate) is left unset until bot/app.py's build_application fills it; the rest starts empty.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.config import Config
    from knowledge.engine import Engine
    from knowledge.writer import Writer

    from .flood import FloodGate


@dataclass
class BotData:
    engine: Engine = field(init=False, repr=False)      # the engine in use: /reload and live.py swap it
    cfg: Config = field(init=False, repr=False)
    writer: Writer = field(init=False, repr=False)      # people's database: questions, feedback
    flood: FloodGate = field(init=False, repr=False)
    # live.py: the store file's identity when the engine was loaded, when it was last looked at (None: not
    # watched), and the switch to a rebuilt file under way (a task, also set while /reload rebuilds)
    store_signature: tuple[int, int, int, int] | None = None
    store_checked: float | None = None
    store_switch: asyncio.Task | None = None
    # common.past_note: the engine its deadline range was worked out for, and that range
    deadline_range: tuple[Engine, tuple[str, str] | None] | None = None
    # held while a broadcast sends: the daily run and the start-up resume never send the same rows side by side
    broadcast_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


Context = CallbackContext[ExtBot[None], dict, dict, BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
