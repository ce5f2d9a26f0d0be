"""The offline chat: the real Application and handlers, with a Bot API that answers inside this process.

Lines typed in the terminal become Updates for Application.process_update; what the handlers send
(sendMessage, editMessageText, answerCallbackQuery, ...) is answered by LocalBotAPI and printed as
plain text, inline buttons as numbered choices; photos and files (charts, .ics, .csv) are saved to a
folder and their paths printed. Nothing here opens a network connection.
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import itertools
import json
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from handlers.common import typed_number
from handlers.render import html_to_text
from knowledge.engine import Engine

from .app import build_application
from .config import Config

OFFLINE_TOKEN = "0:OFFLINE"
OFFLINE_URL = "http://offline.invalid/bot"     # never contacted: LocalBotAPI answers every call itself
BOT_USER = {"id": 1, "is_bot": True, "first_name": "公报助手", "username": "gazette_offline_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}
BANNER = "离线对话（不连接 Telegram）：输入问题；输入数字按下按钮；/help 查看示例；/quit 退出。"


class LocalBotAPI(BaseRequest):
    """A Bot API endpoint in-process: records and prints what the bot sends, answers like Telegram would."""

    def __init__(self, show: Callable[[str], None], folder: Path | None = None):
        self.show = show
        self.folder = folder   # where photos and files go: by default a folder of this chat's own, made on first use
        self.buttons: list[tuple[str, str]] = []     # (label, callback data) of the latest keyboard
        self.keys: dict[int, int] = {}                # the number typed for a button -> its place in buttons
        self.keyboard_message: dict | None = None    # the message that keyboard is under
        self.sent: list[dict] = []                   # every call, for tests
        self._next_id = 1000

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _keyboard(self, markup: dict | None, message: dict) -> None:
        rows = (markup or {}).get("inline_keyboard") or []
        flat = [(b["text"], b.get("callback_data", "")) for row in rows for b in row]
        if flat:
            self.buttons, self.keyboard_message = flat, message
            self.keys = choice_keys([label for label, _ in flat])
            shown = {k: i for i, k in self.keys.items()}
            # a button numbered as it is typed ("2. 提升…") is shown as it is; the others with their number
            self.show("  " + "  ".join(f"[{label}]" if (m := _NUMBERED.match(label)) and int(m.group(1)) == shown[i]
                                       else f"[{shown[i]}] {label}" for i, (label, _) in enumerate(flat)))

    def _message(self, params: dict) -> dict:
        self._next_id += 1
        msg = {"message_id": params.get("message_id", self._next_id), "date": int(dt.datetime.now().timestamp()),
               "chat": {"id": int(params.get("chat_id", 0)), "type": "private"}, "from": BOT_USER,
               "text": html_to_text(str(params.get("text", "")))}
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        return msg

    def _file_message(self, method: str, params: dict, request_data: RequestData) -> dict:
        """Save a sent photo or document, print its caption and path; the message Telegram would return."""
        kind = "photo" if method == "sendPhoto" else "document"
        files = request_data.multipart_data
        ref = str(params.get(kind, ""))
        filename, content, _mime = files.get(ref.removeprefix("attach://")) or next(iter(files.values()))
        data = content if isinstance(content, bytes) else content.read()
        msg = self._message(params)
        if self.folder is None:   # message ids restart in every chat: a shared folder would mix their files
            self.folder = Path(tempfile.mkdtemp(prefix="gazette-bot-chat-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{msg['message_id']}-{Path(filename or kind).name}"
        path.write_bytes(data)
        caption = html_to_text(str(params.get("caption") or ""))
        self.show((caption + "\n" if caption else "") + f"（{'图片' if kind == 'photo' else '文件'}已保存：{path}）")
        del msg["text"]
        msg["caption"] = caption
        file_ids = {"file_id": f"offline-{msg['message_id']}", "file_unique_id": f"offline-{msg['message_id']}"}
        msg[kind] = [{**file_ids, "width": 1, "height": 1}] if kind == "photo" else {**file_ids, "file_name": path.name}
        return msg

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None, pool_timeout=None
                         ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.sent.append({"method": name, **params})
        result: object = True
        if name == "getMe":
            result = BOT_USER
        elif name == "getUpdates":
            result = []
        elif name in ("sendMessage", "editMessageText"):
            self.show(("（已更新）\n" if name == "editMessageText" else "") + html_to_text(str(params["text"])))
            result = self._message(params)
            self._keyboard(params.get("reply_markup"), result)
        elif name in ("sendPhoto", "sendDocument"):
            result = self._file_message(name, params, request_data)
        elif name == "answerCallbackQuery" and params.get("text"):
            self.show(f"（{params['text']}）")
        return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()


class OfflineChat:
    """Turns typed lines into Updates from one private chat and runs them through the application."""

    def __init__(self, application, api: LocalBotAPI, user_id: int = 42):
        self.app = application
        self.api = api
        self.user = {"id": user_id, "is_bot": False, "first_name": "You", "language_code": "zh"}
        self.chat = {"id": user_id, "type": "private", "first_name": "You"}
        self._update_id = 0
        self._message_id = 0

    def _ids(self) -> tuple[int, int]:
        self._update_id += 1
        self._message_id += 1
        return self._update_id, self._message_id

    def message_update(self, text: str) -> Update:
        update_id, message_id = self._ids()
        msg = {"message_id": message_id, "date": int(dt.datetime.now().timestamp()), "chat": self.chat,
               "from": self.user, "text": text}
        command = re.match(r"/[A-Za-z0-9_@]+", text)
        if command:
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]
        return Update.de_json({"update_id": update_id, "message": msg}, self.app.bot)

    def press_update(self, number: int) -> Update | None:
        """The callback query of the button typed as `number` in the latest keyboard, if there is one."""
        if number not in self.api.keys:
            return None
        update_id, _ = self._ids()
        data = self.api.buttons[self.api.keys[number]][1]
        message = self.api.keyboard_message
        return Update.de_json({"update_id": update_id, "callback_query": {
            "id": str(update_id), "from": self.user, "chat_instance": "offline", "data": data,
            "message": message}}, self.app.bot)

    async def handle(self, line: str) -> None:
        """One typed line: a button number when a keyboard is showing, else a message. A small number past the
        last button is a mistyped choice, not a question ("9" is no 99% figure)."""
        number = typed_number(line)
        if number is not None and self.api.buttons and number not in self.api.keys \
                and line.strip().isdigit() and number <= MAX_CHOICE:
            self.api.show(NO_SUCH_BUTTON.format(choices="、".join(map(str, sorted(self.api.keys)))))
            return
        update = self.press_update(number) if number is not None and self.api.buttons else None
        await self.app.process_update(update or self.message_update(line))


_NUMBERED = re.compile(r"(\d+)(?:\. |$)")   # "2" or "2. 新开…": a list's item 2
MAX_CHOICE = 20      # a bare number up to this is a button choice; larger ones are asked about ("12345")
NO_SUCH_BUTTON = "没有这个选项：请输入 {choices} 中的一个数字，或者直接提问。"


def choice_keys(labels: list[str]) -> dict[int, int]:
    """The number to type for each button: a button labelled with a number ("2. 新开或优化调整公交线路…",
    result 2 of a page) is typed as that number, the others as the next numbers free, in order."""
    numbered = [_NUMBERED.match(label) for label in labels]
    keys = {int(m.group(1)): i for i, m in enumerate(numbered) if m}
    if len(keys) != sum(bool(m) for m in numbered):
        keys = {}   # numbers that repeat: all buttons numbered in order
    # the other buttons ("更多结果") after the highest number: on page 2 ("6".."10") it is 11, never a result's
    free = itertools.count(max(keys, default=0) + 1)
    for i, _ in enumerate(labels):
        if i not in keys.values():
            keys[next(free)] = i
    return keys


async def chat_loop(cfg: Config, stdin: IO[str], show: Callable[[str], None], engine: Engine | None = None,
                    folder: Path | None = None) -> int:
    """Read lines until /quit or end of input, each one handled like a Telegram update; sent files go to folder."""
    api = LocalBotAPI(show, folder)
    # the person at the terminal runs this bot and may pipe in a file of questions: no flood limit for them
    cfg = dataclasses.replace(cfg, questions_per_minute=10_000)
    application = build_application(cfg, engine, token=OFFLINE_TOKEN, base_url=OFFLINE_URL,
                                    base_file_url=OFFLINE_URL, request=api, get_updates_request=api)
    user_id = cfg.admins[0] if cfg.admins else 42      # the person at the terminal runs this bot
    chat = OfflineChat(application, api, user_id)
    show(BANNER)
    async with application:   # initialize/shutdown only: no polling, no job queue, no network
        while True:
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            line = line.strip()
            if line in ("/quit", "/exit", "/q"):
                break
            if line:
                await chat.handle(line)
    return 0


def run_chat(cfg: Config, stdin: IO[str] | None = None, stdout: IO[str] | None = None,
             engine: Engine | None = None, folder: Path | None = None) -> int:
    """Chat with the bot in the terminal until /quit or end of input; returns the exit status."""
    out = stdout or sys.stdout

    def show(text: str) -> None:
        print(text, file=out, flush=True)

    try:
        return asyncio.run(chat_loop(cfg, stdin or sys.stdin, show, engine, folder))
    except KeyboardInterrupt:
        return 130
