"""A fake Telegram Bot API server for end-to-end tests and benchmarks.

It listens on 127.0.0.1 in a background thread and answers the Bot API the way Telegram does:
same URLs (``/bot<TOKEN>/<method>``), the request encodings python-telegram-bot sends
(form, multipart, JSON), and Telegram's JSON error shape and error descriptions. Point the real
client at it with ``Bot(token, base_url=api.base_url, base_file_url=api.base_file_url)``.

Tests queue updates (``push_text``, ``push_callback``, ...), inject faults (``fail_next``,
``answer_late``, ``blocked_chats``, ``migrated_chats``) and wait for the bot's calls on a condition
variable (``await_for``, ``await_call``) instead of sleeping. Requests that arrive while an answered
429's ``retry_after`` is still running are kept in ``flood_window_calls``. Only the standard library
is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.parser
import email.policy
import http.server
import ipaddress
import itertools
import json
import os
import re
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["ApiError", "Call", "FakeBotAPI", "UploadedFile"]

DEFAULT_USER_ID = 1001
DEFAULT_BOT_ID = 123456789
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
INLINE_RESULTS_LIMIT = 50
PHOTO_DIMENSIONS_LIMIT = 10000      # sendPhoto: width + height at most this
PHOTO_RATIO_LIMIT = 20              # and the longer side at most 20 times the shorter

# Default chat ids per chat type, in the ranges Telegram uses for them.
_DEFAULT_CHAT_IDS = {"group": -4001001, "supergroup": -1001000001001, "channel": -1001000002002}

# Telegram never delivers these unless a getUpdates call asked for them in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note",
        "upload_video_note",
    }
)

# Free-form string parameters: never JSON-decode these ("123" must stay the text "123").
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "query", "callback_query_id", "inline_query_id", "parse_mode", "url",
        "action", "description", "short_description", "name", "language_code", "next_offset",
        "secret_token", "ip_address", "switch_pm_text", "switch_pm_parameter",
        "inline_message_id", "title", "emoji", "message_effect_id", "business_connection_id",
        "photo", "document", "sticker", "audio", "video", "voice", "animation", "thumbnail",
        "certificate", "custom_emoji_id", "file_id", "question", "address", "first_name",
        "last_name", "phone_number", "vcard", "payload", "currency", "provider_token",
        "start_parameter", "game_short_name", "explanation", "file_name",
    }
)
_JSON_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)


class Call(NamedTuple):
    """One recorded Bot API request: canonical method name and decoded parameters."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class ApiError(Exception):
    """A Bot API error, answered as ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class _Fault:
    method: str
    error: ApiError
    chat_id: int | str | None
    remaining: int


@dataclass
class _Late:
    method: str
    seconds: float
    chat_id: int | str | None
    remaining: int


def _use_rule(rules: list, call: Call) -> _Fault | _Late | None:
    """The first fault or delay set for this call's method (and chat), counted down and dropped once used up."""
    for rule in rules:
        if rule.method == call.method and (
            rule.chat_id is None or _same_chat(call.params.get("chat_id"), rule.chat_id)
        ):
            rule.remaining -= 1
            if rule.remaining <= 0:
                rules.remove(rule)
            return rule
    return None


class _EntityError(Exception):
    """Text could not be parsed in the requested parse_mode (Telegram's wording)."""


# --- formatted text ------------------------------------------------------------------------


def _u16len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


_HTML_TAGS = {
    "a": "text_link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "span": "spoiler", "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji", "code": "code", "pre": "pre", "blockquote": "blockquote",
}
# tdlib's is_space; a tag name or attribute ends at any of these.
_HTML_SPACE = frozenset(" \t\r\n\v")
_HTML_ENTITY = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_entity(text: str, i: int) -> tuple[str, int] | None:
    m = _HTML_ENTITY.match(text, i)
    if m is None:
        return None
    if m.group(3):
        return _NAMED_ENTITIES[m.group(3)], m.end()
    code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


Entity = tuple[str, int, int, str]  # (type, utf-16 offset, utf-16 length, argument)


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    """Mirror of tdlib's parse_html, which is what the Bot API runs for parse_mode=HTML, stricter in
    one point: a bare ``&`` is rejected, as Telegram's documentation demands, although Telegram itself
    passes it through as text."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, str, int]] = []
    entities: list[Entity] = []
    n = len(text)
    i = 0

    def emit(s: str) -> None:
        nonlocal length
        out.append(s)
        length += _u16len(s)

    def skip_space(j: int) -> int:
        while j < n and text[j] in _HTML_SPACE:
            j += 1
        return j

    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                emit(decoded[0])
                i = decoded[1]
                continue
            raise _EntityError(
                f"Character '&' at byte offset {_byte_offset(text, i)} must be escaped as &amp;"
            )
        if c != "<":
            emit(c)
            i += 1
            continue

        begin = i
        begin_bytes = _byte_offset(text, begin)
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise _EntityError(f"Unexpected end tag at byte offset {begin_bytes}")
            j = i + 1
            while j < n and text[j] not in _HTML_SPACE and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            j = skip_space(j)
            if j >= n or text[j] != ">":
                raise _EntityError(f"Unclosed end tag at byte offset {begin_bytes}")
            tag, argument, start = stack.pop()
            if end_name and end_name != tag:
                raise _EntityError(
                    f'Unmatched end tag at byte offset {begin_bytes}, expected "</{tag}>", '
                    f'found "</{end_name}>"'
                )
            if length > start:
                entities.append((_HTML_TAGS[tag], start, length - start, argument))
            i = j + 1
            continue

        j = i
        while j < n and text[j] not in _HTML_SPACE and text[j] != ">":
            j += 1
        if j >= n:
            raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
        tag = text[i:j].lower()
        if tag not in _HTML_TAGS:
            raise _EntityError(f'Unsupported start tag "{tag}" at byte offset {begin_bytes}')
        argument = ""
        while True:
            j = skip_space(j)
            if j >= n:
                raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
            if text[j] == ">":
                break
            name_start = j
            while j < n and text[j] not in _HTML_SPACE and text[j] not in "=>":
                j += 1
            attribute = text[name_start:j].lower()
            if not attribute:
                raise _EntityError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin_bytes}'
                )
            j = skip_space(j)
            if j >= n:
                raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
            if text[j] != "=":
                if tag == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                continue
            j = skip_space(j + 1)
            if j >= n:
                raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
            if text[j] in "'\"":
                quote = text[j]
                j += 1
                value_chars: list[str] = []
                while j < n and text[j] != quote:
                    if text[j] == "&":
                        decoded = _decode_html_entity(text, j)
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            j = decoded[1]
                            continue
                    value_chars.append(text[j])
                    j += 1
                if j >= n:
                    raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
                j += 1
                value = "".join(value_chars)
            else:
                token_start = j
                while j < n and ((text[j].isascii() and text[j].isalnum()) or text[j] in ".-"):
                    j += 1
                value = text[token_start:j].lower()
                if j >= n:
                    raise _EntityError(f"Unclosed start tag at byte offset {begin_bytes}")
                if text[j] not in _HTML_SPACE and text[j] != ">":
                    raise _EntityError(
                        "Unexpected end of name token at byte offset "
                        f"{_byte_offset(text, token_start)}"
                    )
            if tag == "a" and attribute == "href":
                argument = value
            elif tag == "code" and attribute == "class" and value.startswith("language-"):
                argument = value[len("language-") :]
            elif tag == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value[len("tg-") :]
            elif tag == "tg-emoji" and attribute == "emoji-id":
                argument = value
            elif tag == "blockquote" and attribute == "expandable":
                argument = "expandable"
        if tag == "span" and argument != "spoiler":
            raise _EntityError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin_bytes}'
            )
        stack.append((tag, argument, length))
        i = j + 1

    if stack:
        raise _EntityError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    return "".join(out), entities


def _formatted(text: str, parse_mode: Any) -> tuple[str, list[Entity]]:
    """Visible text and entities of ``text`` as Telegram would store it, or ApiError."""
    mode = str(parse_mode).lower() if parse_mode not in (None, "") else ""
    try:
        if mode == "":
            plain, entities = text, []
        elif mode == "html":
            plain, entities = _parse_html(text)
        else:   # the bot sends HTML only; Markdown would be a mistake worth failing a test on
            raise ApiError(400, f"Bad Request: parse_mode {parse_mode!r} is not supported by this fake")
    except _EntityError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    # Telegram trims surrounding whitespace; the limits apply to what is left.
    stripped = plain.strip()
    shift = _u16len(plain[: len(plain) - len(plain.lstrip())])
    return stripped, [(k, off - shift, ln, arg) for k, off, ln, arg in entities]


# --- request decoding ----------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR chunk, or None for anything else (it is then taken as 800x600)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_FIELDS:
        return value
    s = value.strip()
    if s[:1] in ("{", "[") or s in ("true", "false", "null") or _JSON_NUMBER.fullmatch(s):
        try:
            return json.loads(s)
        except ValueError:
            return value
    return value


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            fields[str(name)] = UploadedFile(filename, part.get_content_type(), data)
        else:
            fields[str(name)] = data.decode(part.get_content_charset() or "utf-8")
    return fields


def _decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    params = {key: _decode_value(key, value) for key, value in raw.items()}
    for key, value in params.items():
        # multipart requests may reference their file parts as attach://<name>
        if isinstance(value, str) and value.startswith("attach://"):
            part = raw.get(value[len("attach://") :])
            if isinstance(part, UploadedFile):
                params[key] = part
    return params


# --- HTTP plumbing -------------------------------------------------------------------------

_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}
_PATH = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeBotAPI/1.0"
    # Idle keep-alive connections must not pin handler threads forever.
    timeout = 30
    # Headers and body go out in separate writes; with Nagle on, each answer waits ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        api = self.server.api
        url = urllib.parse.urlsplit(self.path)
        body = self._read_body()
        match = _PATH.fullmatch(url.path)
        if match is None:
            self._send(404, _NOT_FOUND)
            return
        token, method = urllib.parse.unquote(match.group(1)), match.group(2)
        try:
            raw: dict[str, Any] = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            content_type = self.headers.get("Content-Type", "")
            mime = content_type.split(";")[0].strip().lower()
            if mime == "multipart/form-data":
                raw.update(_parse_multipart(content_type, body))
            elif mime == "application/json":
                decoded = json.loads(body or b"{}")
                if not isinstance(decoded, dict):
                    raise ValueError("JSON body must be an object")
                raw.update(decoded)
            elif body:
                raw.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(400, ApiError(400, f"Bad Request: can't parse request: {exc}").payload())
            return
        status, payload = api._dispatch(token, method, _decode_params(raw))
        delay = api._take_answer_delay()
        if delay:
            # the call is done (a message is stored) but its answer comes late, or never: until stop()
            api._stopped.wait(delay)
        self._send(status, payload)

    def _send(self, status: int, payload: dict[str, Any] | bytes) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            # The client gave up (e.g. a cancelled long poll); nothing to answer.
            self.close_connection = True


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # stop() wakes every handler itself; joining them here could hang on a stuck client.
    block_on_close = False
    # a bot answering a burst opens many connections at once; socketserver's default backlog of 5 refused the
    # rest (httpx.ReadError, retries), which Telegram never does
    request_queue_size = 256

    def __init__(self, api: FakeBotAPI) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # dropped connections during shutdown are expected


# --- the fake API --------------------------------------------------------------------------


class FakeBotAPI:
    """An in-process Bot API server; see the module docstring."""

    def __init__(self) -> None:
        self.invalid_tokens: set[str] = set()
        self.blocked_chats: set[int | str] = set()
        self.chat_admins: dict[int, set[int]] = {}     # chat id -> user ids getChatMember calls administrators
        self.migrated_chats: dict[int, int] = {}
        self.calls: list[Call] = []
        self.errors: list[tuple[Call, int, str]] = []
        self.server_errors: list[BaseException] = []
        self.bot_info: dict[str, Any] = {
            "is_bot": True,
            "first_name": "GazetteBot",
            "username": "gazette_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.chats: dict[int | str, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._listeners: list[Callable[[], None]] = []
        self._failed_calls: set[int] = set()
        self._faults: list[_Fault] = []
        self._late: list[_Late] = []
        self._answer_delay = threading.local()
        self._stopped = threading.Event()
        self._flood_until = 0.0
        # requests (other than getUpdates) that arrived while a 429's retry_after was still running
        self.flood_window_calls: list[Call] = []
        self._block_reasons: dict[int | str, str] = {}
        self._queue: list[dict[str, Any]] = []
        self._next_update_id = 100000001
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._webhook: dict[str, Any] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self._contents: dict[tuple[int | str, int], tuple[Any, ...]] = {}
        self._next_message_id: dict[int | str, int] = {}
        self._last_bot_message: dict[int | str, int] = {}
        self._open_callback_queries: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self._query_ids = itertools.count(5_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._last_token: str | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._handlers: dict[str, tuple[str, Callable[[str, dict[str, Any]], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendChatAction": self._send_chat_action,
                "getChatMember": self._get_chat_member,
            }.items()
        }

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        if self._server is not None:
            raise RuntimeError("FakeBotAPI is single-use and already started")
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeBotAPI",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None or self._stopping:
            return
        with self._cond:
            self._stopping = True
            self._notify()
        self._stopped.set()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotAPI is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url``: the token and method are appended to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- inspection ----------------------------------------------------------------------

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of ``method`` (including failed ones), in order."""
        with self._cond:
            return [call.params for call in self.calls if call.method == method]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Parameters of the sendMessage calls that succeeded, in order."""
        with self._cond:
            return [
                call.params
                for index, call in enumerate(self.calls)
                if call.method == "sendMessage"
                and index not in self._failed_calls
                and (chat_id is None or _same_chat(call.params.get("chat_id"), chat_id))
            ]

    def message(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The message as it stands now (after edits), or None if unknown or deleted."""
        with self._cond:
            stored = self._messages.get((chat_id, message_id))
            return copy.deepcopy(stored)

    def my_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._commands.get(_commands_key(scope, language_code), []))

    # --- synchronisation -----------------------------------------------------------------

    async def await_for(
        self,
        predicate: str | Callable[[list[Call]], object],
        timeout: float = 5.0,
        *,
        count: int = 1,
    ) -> list[Call]:
        """Wait until ``predicate`` holds for the recorded calls, suspending the task, not the event loop.

        ``predicate`` is a method name (satisfied once it was called ``count`` times; the
        matching calls are returned) or a callable on the list of calls (the calls are
        returned). Raises AssertionError listing the recorded calls on timeout.
        """
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()

        def wake() -> None:
            try:
                loop.call_soon_threadsafe(woken.set)
            except RuntimeError:
                pass  # loop already closed

        with self._cond:
            self._listeners.append(wake)
        try:
            deadline = loop.time() + timeout
            while True:
                woken.clear()
                with self._cond:
                    result = self._check(predicate, count)
                    stopping = self._stopping
                if result is not None:
                    return result
                remaining = deadline - loop.time()
                if stopping or remaining <= 0:
                    with self._cond:
                        message = self._timeout_message(predicate, count, timeout)
                    raise AssertionError(message)
                try:
                    await asyncio.wait_for(woken.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
        finally:
            with self._cond:
                self._listeners.remove(wake)

    async def await_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        *,
        chat_id: int | str | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Wait until ``method`` was called ``count`` times (optionally only calls for
        ``chat_id`` and/or whose params satisfy ``where``); returns those calls' params."""

        def matching(calls: list[Call]) -> list[dict[str, Any]]:
            return [
                call.params
                for call in calls
                if call.method == method
                and (chat_id is None or _same_chat(call.params.get("chat_id"), chat_id))
                and (where is None or where(call.params))
            ]

        def enough(calls: list[Call]) -> bool:
            return len(matching(calls)) >= count

        enough.__qualname__ = f"{count} x {method}" + (f" to chat {chat_id}" if chat_id else "")
        return matching(await self.await_for(enough, timeout))

    def _check(
        self, predicate: str | Callable[[list[Call]], object], count: int
    ) -> list[Call] | None:
        if isinstance(predicate, str):
            matched = [call for call in self.calls if call.method == predicate]
            return matched if len(matched) >= count else None
        snapshot = list(self.calls)
        return snapshot if predicate(snapshot) else None

    def _timeout_message(
        self, predicate: str | Callable[[list[Call]], object], count: int, timeout: float
    ) -> str:
        if isinstance(predicate, str):
            wanted = f"{count} x {predicate}"
        else:
            wanted = getattr(predicate, "__qualname__", repr(predicate))
        reason = "FakeBotAPI stopped" if self._stopping else f"timed out after {timeout}s"
        lines = [f"{reason} waiting for {wanted}; recorded calls:"]
        polls = 0
        for index, call in enumerate(self.calls):
            if call.method == "getUpdates":
                polls += 1
                continue
            shown = repr(call.params)
            if len(shown) > 300:
                shown = shown[:300] + "...}"
            failed = " [failed]" if index in self._failed_calls else ""
            lines.append(f"  {call.method}{failed} {shown}")
        lines.append(f"  (+{polls} getUpdates calls)")
        for call, code, description in self.errors:
            lines.append(f"  error {code} on {call.method}: {description}")
        for exc in self.server_errors:
            lines.append(f"  FAKE SERVER BUG: {exc!r}")
        return "\n".join(lines)

    def _notify(self) -> None:
        self._cond.notify_all()
        for listener in self._listeners:
            listener()

    # --- fault injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        chat_id: int | str | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (only those for ``chat_id`` if given)
        fail like Telegram would. Without a description, Telegram's usual one for the code."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        parameters: dict[str, Any] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if description is None:
            description = _default_description(error_code, retry_after, migrate_to_chat_id)
        with self._cond:
            self._faults.append(
                _Fault(method, ApiError(error_code, description, parameters or None), chat_id, times)
            )

    def answer_late(
        self, method: str, seconds: float, chat_id: int | str | None = None, *, times: int = 1
    ) -> None:
        """Handle the next ``times`` calls of ``method`` (only those for ``chat_id`` if given) at
        once, as Telegram does when it accepts a message, but hold the HTTP answer back for
        ``seconds`` (cut short by stop()): the client times out on a message that was delivered."""
        with self._cond:
            self._late.append(_Late(method, seconds, chat_id, times))

    def _take_answer_delay(self) -> float:
        delay = getattr(self._answer_delay, "seconds", 0.0)
        self._answer_delay.seconds = 0.0
        return delay

    # --- update injection ----------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for getUpdates; assigns ``update_id`` unless it has one."""
        update = copy.deepcopy(update)
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
            self._register_update(update)
            self._queue.append(update)
            self._notify()
        return copy.deepcopy(update)

    def push_message(
        self,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
        reply_to: int | None = None,
        username: str | None = None,
        first_name: str | None = None,
        title: str | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """Queue a message update from a user with arbitrary content fields (text, photo...)."""
        with self._cond:
            user = _user(user_id, first_name, username)
            chat_id = _default_chat_id(chat_id, chat_type, user_id)
            chat = self._chat_for_push(chat_id, chat_type, user, title)
            message: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id),
                "from": user,
                "date": int(time.time()),
                "chat": chat,
            }
            if reply_to is not None:
                message["reply_to_message"] = self._message_or_stub(chat_id, reply_to)
            message.update({key: value for key, value in content.items() if value is not None})
            return self.push_update({"message": message})

    def push_text(
        self,
        text: str,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
        reply_to: int | None = None,
        entities: list[dict[str, Any]] | None = None,
        username: str | None = None,
        first_name: str | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """Queue a text message. Without ``entities``, the bot commands, @mentions and URLs
        in the text get entities, as Telegram's servers add them; pass [] for none."""
        if entities is None:
            entities = _detect_entities(text)
        return self.push_message(
            chat_id, user_id, chat_type, reply_to, username, first_name, title,
            text=text, entities=entities or None,
        )

    def push_command(
        self,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
        mention_bot: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Queue ``/command args`` (``/command@bot args`` with ``mention_bot``)."""
        head = "/" + command.lstrip("/")
        if mention_bot:
            head += "@" + self.bot_info["username"]
        text = f"{head} {args}" if args else head
        entities = [{"type": "bot_command", "offset": 0, "length": _u16len(head)}]
        entities += [e for e in _detect_entities(text) if e["offset"] >= _u16len(head)]
        return self.push_text(text, chat_id, user_id, chat_type, entities=entities, **kwargs)

    def push_sticker(self, emoji: str = "👍", **kwargs: Any) -> dict[str, Any]:
        n = next(self._file_ids)
        sticker = {
            "file_id": f"CAACAgIAAx-sticker-{n}", "file_unique_id": f"AgAD-sticker-{n}",
            "type": "regular", "width": 512, "height": 512, "is_animated": False,
            "is_video": False, "emoji": emoji, "file_size": 20480,
        }
        return self.push_message(sticker=sticker, **kwargs)

    def push_photo(self, caption: str | None = None, **kwargs: Any) -> dict[str, Any]:
        n = next(self._file_ids)
        photo = [
            {"file_id": f"AgACAgIAAx-photo-{n}-{w}", "file_unique_id": f"AQAD-photo-{n}-{w}",
             "width": w, "height": w * 3 // 4, "file_size": w * 40}
            for w in (90, 320, 800)
        ]
        return self.push_message(photo=photo, caption=caption, **kwargs)

    def push_edited_text(
        self,
        message_id: int,
        text: str,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
    ) -> dict[str, Any]:
        """Queue an edited_message update for a message the user sent earlier."""
        with self._cond:
            chat_id = _default_chat_id(chat_id, chat_type, user_id)
            message = self._message_or_stub(chat_id, message_id)
            message.setdefault("from", _user(user_id))
            message.update(text=text, edit_date=int(time.time()))
            message.pop("entities", None)
            entities = _detect_entities(text)
            if entities:
                message["entities"] = entities
            return self.push_update({"edited_message": message})

    def push_callback(
        self,
        data: str,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        message_id: int | None = None,
        chat_type: str = "private",
    ) -> dict[str, Any]:
        """Queue a callback_query from pressing a button on a bot message (by default the
        bot's latest message in the chat, as stored now, including its keyboard)."""
        with self._cond:
            chat_id = _default_chat_id(chat_id, chat_type, user_id)
            user = _user(user_id)
            if chat_id not in self.chats:
                self._chat_for_push(chat_id, chat_type, user, None)
            if message_id is None:
                message_id = self._last_bot_message.get(chat_id)
            if message_id is None or (chat_id, message_id) not in self._messages:
                message_id = self._store_stub_bot_message(chat_id, message_id)
            query = {
                "id": str(next(self._query_ids)),
                "from": user,
                "message": copy.deepcopy(self._messages[(chat_id, message_id)]),
                "chat_instance": str(abs(hash(("instance", chat_id))) % 10**18),
                "data": data,
            }
            return self.push_update({"callback_query": query})

    def push_inline_query(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str | None = "private",
    ) -> dict[str, Any]:
        inline_query: dict[str, Any] = {
            "id": str(next(self._query_ids)),
            "from": _user(user_id),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            inline_query["chat_type"] = chat_type
        return self.push_update({"inline_query": inline_query})

    def push_my_chat_member(
        self,
        chat_id: int | None = None,
        new_status: str = "left",
        chat_type: str = "group",
        user_id: int = DEFAULT_USER_ID,
        old_status: str | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """Queue a my_chat_member update (bot removed, blocked, added...). As on Telegram,
        later calls to a chat the bot left or was kicked from fail with 403."""
        if old_status is None:
            old_status = "member" if new_status in ("left", "kicked") else "left"
        with self._cond:
            chat_id = _default_chat_id(chat_id, chat_type, user_id)
            user = _user(user_id)
            chat = self._chat_for_push(chat_id, chat_type, user, title)
            bot = self._bot_user(self._last_token)
            update = {
                "my_chat_member": {
                    "chat": chat,
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": _chat_member(bot, old_status),
                    "new_chat_member": _chat_member(bot, new_status),
                }
            }
            if new_status in ("left", "kicked"):
                self.blocked_chats.add(chat_id)
                self._block_reasons[chat_id] = _removal_description(chat_type, new_status)
            else:
                self.blocked_chats.discard(chat_id)
                self._block_reasons.pop(chat_id, None)
            return self.push_update(update)

    # --- request handling ----------------------------------------------------------------

    def _dispatch(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, bytes]:
        with self._cond:
            entry = self._handlers.get(method.lower())
            call = Call(entry[0] if entry else method, params)
            self.calls.append(call)
            index = len(self.calls) - 1
            if call.method != "getUpdates" and time.monotonic() < self._flood_until:
                self.flood_window_calls.append(call)
            self._notify()
            try:
                if token in self.invalid_tokens:
                    raise ApiError(401, "Unauthorized")
                if entry is None:
                    raise ApiError(404, "Not Found")
                self._last_token = token
                self._raise_fault(call)
                self._check_chat(call)
                result = entry[1](token, params)
                status, body = 200, {"ok": True, "result": result}
                self._answer_delay.seconds = self._late_answer(call)
            except ApiError as exc:
                if exc.error_code == 429 and exc.parameters and exc.parameters.get("retry_after"):
                    until = time.monotonic() + float(exc.parameters["retry_after"])
                    self._flood_until = max(self._flood_until, until)
                self._failed_calls.add(index)
                self.errors.append((call, exc.error_code, exc.description))
                status, body = exc.error_code, exc.payload()
            except Exception as exc:  # a bug in the fake itself: make it loud
                self._failed_calls.add(index)
                self.server_errors.append(exc)
                status = 500
                body = {"ok": False, "error_code": 500, "description": f"FakeBotAPI bug: {exc!r}"}
            # Serialise under the lock: stored messages may change right after we release it.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self._notify()
            return status, data

    def _raise_fault(self, call: Call) -> None:
        fault = _use_rule(self._faults, call)
        if fault is not None:
            raise fault.error

    def _late_answer(self, call: Call) -> float:
        late = _use_rule(self._late, call)
        return late.seconds if late is not None else 0.0

    def _check_chat(self, call: Call) -> None:
        if "chat_id" not in call.params or call.method in ("setMyCommands", "getMyCommands"):
            return
        chat_id = call.params["chat_id"]
        if chat_id in self.migrated_chats:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated_chats[chat_id]},
            )
        if chat_id in self.blocked_chats:
            reason = self._block_reasons.get(chat_id)
            if reason is None:
                reason = _removal_description(self._chat(chat_id)["type"], "kicked")
            raise ApiError(403, reason)

    def _get_me(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user(token)

    def _get_updates(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) or None
        if offset < 0:
            del self._queue[: max(len(self._queue) + offset, 0)]
        elif offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        # A newer getUpdates ends an older one with 409, as on Telegram; this is also what
        # wakes a long poll whose client has gone away.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        deadline = time.monotonic() + timeout
        while True:
            if self._stopping:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, _POLL_CONFLICT)
            self._queue = [u for u in self._queue if self._wanted(u)]
            if self._queue:
                return self._queue[:limit]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._cond.wait(remaining)

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _send_message(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        plain, entities = self._message_text(params, "message is too long")
        markup = _inline_markup(params.get("reply_markup"))
        reply = self._reply_target(chat_id, params)
        message = self._new_bot_message(token, chat_id, {"text": plain}, markup, reply)
        self._contents[(chat_id, message["message_id"])] = ("text", plain, entities)
        return message

    def _message_text(self, params: dict[str, Any], too_long: str) -> tuple[str, list[Entity]]:
        """The visible text and entities of a sendMessage/editMessageText, checked as Telegram checks them
        (the two methods word the length error differently)."""
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: message text is empty")
        plain, entities = _formatted(text, params.get("parse_mode"))
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if _u16len(plain) > TEXT_LIMIT:
            raise ApiError(400, f"Bad Request: {too_long}")
        return plain, entities

    def _send_photo(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(token, params, "photo")

    def _send_document(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(token, params, "document")

    def _send_media(self, token: str, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        media = params.get(kind)
        if media in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        content: dict[str, Any] = {}
        caption = params.get("caption")
        if caption:
            plain, _ = _formatted(caption, params.get("parse_mode"))
            if _u16len(plain) > CAPTION_LIMIT:
                raise ApiError(400, "Bad Request: message caption is too long")
            if plain:
                content["caption"] = plain
        n = next(self._file_ids)
        size = len(media.data) if isinstance(media, UploadedFile) else 1024
        if kind == "photo":
            width, height = (_png_size(media.data) if isinstance(media, UploadedFile) else None) or (800, 600)
            if width + height > PHOTO_DIMENSIONS_LIMIT or max(width, height) > PHOTO_RATIO_LIMIT * min(width, height):
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
            content["photo"] = [
                {"file_id": f"AgACAgIAAx-sent-{n}", "file_unique_id": f"AQAD-sent-{n}",
                 "width": width, "height": height, "file_size": size}
            ]
        else:
            name = media.filename if isinstance(media, UploadedFile) else "file"
            mime = media.content_type if isinstance(media, UploadedFile) else None
            content["document"] = {
                "file_id": f"BQACAgIAAx-sent-{n}", "file_unique_id": f"AgAD-sent-{n}",
                "file_name": name, "file_size": size,
            }
            if mime:
                content["document"]["mime_type"] = mime
        markup = _inline_markup(params.get("reply_markup"))
        reply = self._reply_target(chat_id, params)
        message = self._new_bot_message(token, chat_id, content, markup, reply)
        self._contents[(chat_id, message["message_id"])] = (kind, n)
        return message

    def _edit_message_text(self, token: str, params: dict[str, Any]) -> Any:
        plain, entities = self._message_text(params, "MESSAGE_TOO_LONG")
        markup = _inline_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        key = self._editable(params)
        content = ("text", plain, entities)
        if self._contents.get(key) == content and self._messages[key].get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        if self._contents.get(key, ("text",))[0] != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        self._contents[key] = content
        return self._store_edit(key, {"text": plain}, markup)

    def _edit_message_reply_markup(self, token: str, params: dict[str, Any]) -> Any:
        markup = _inline_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        key = self._editable(params)
        if self._messages[key].get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        return self._store_edit(key, {}, markup)

    def _answer_callback_query(self, token: str, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callback_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and _u16len(text) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callback_queries.discard(query_id)
        return True

    def _answer_inline_query(self, token: str, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self._open_inline_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > INLINE_RESULTS_LIMIT:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type"):
                raise ApiError(400, "Bad Request: RESULT_TYPE_INVALID")
            result_id = result.get("id")
            if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if result_id in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                message_text = content["message_text"]
                if not isinstance(message_text, str) or not message_text.strip():
                    raise ApiError(400, "Bad Request: MESSAGE_EMPTY")
                plain, _ = _formatted(message_text, content.get("parse_mode"))
                if not plain:
                    raise ApiError(400, "Bad Request: MESSAGE_EMPTY")
                if _u16len(plain) > TEXT_LIMIT:
                    raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            _inline_markup(result.get("reply_markup"))
        self._open_inline_queries.discard(query_id)
        return True

    def _set_my_commands(self, token: str, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, token: str, params: dict[str, Any]) -> bool:
        key = _commands_key(params.get("scope"), params.get("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _set_webhook(self, token: str, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if url and not url.lower().startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self._webhook = {"url": url}
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in params:
                self._webhook[key] = params[key]
        self._notify()  # a waiting getUpdates must now answer 409
        return True

    def _delete_webhook(self, token: str, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self._webhook = {}
        return True

    def _get_webhook_info(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        info.update({k: v for k, v in self._webhook.items() if k != "url"})
        return info

    def _get_chat_member(self, token: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        user_id = int(params.get("user_id", 0))
        status = "administrator" if user_id in self.chat_admins.get(int(chat_id), set()) else "member"
        member: dict[str, Any] = {"status": status, "user": {"id": user_id, "is_bot": False, "first_name": "User"}}
        if status == "administrator":
            member.update({flag: True for flag in (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
                "can_post_stories", "can_edit_stories", "can_delete_stories")})
            member["can_be_edited"] = False
        return member

    def _send_chat_action(self, token: str, params: dict[str, Any]) -> bool:
        self._require_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    # --- state helpers (called with the lock held) ---------------------------------------

    def _bot_user(self, token: str | None) -> dict[str, Any]:
        prefix = (token or "").split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID
        return {"id": bot_id, **self.bot_info}

    def _require_chat(self, params: dict[str, Any]) -> int | str:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) and chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        known = self.chats.get(chat_id)
        if known is not None:
            return dict(known)
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        if isinstance(chat_id, int) and str(chat_id).startswith("-100"):
            return {"id": chat_id, "type": "supergroup", "title": "Test Supergroup"}
        return {"id": chat_id, "type": "group", "title": "Test Group"}

    def _chat_for_push(
        self, chat_id: int, chat_type: str, user: dict[str, Any], title: str | None
    ) -> dict[str, Any]:
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
        else:
            default_title = {"group": "Test Group", "supergroup": "Test Supergroup"}
            chat = {
                "id": chat_id,
                "type": chat_type,
                "title": title or default_title.get(chat_type, "Test Channel"),
            }
        self.chats[chat_id] = chat
        return dict(chat)

    def _new_message_id(self, chat_id: int | str) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _new_bot_message(
        self,
        token: str,
        chat_id: int | str,
        content: dict[str, Any],
        markup: dict[str, Any] | None,
        reply: dict[str, Any] | None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat_id),
            "from": self._bot_user(token),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            **content,
        }
        if reply is not None:
            message["reply_to_message"] = reply
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        self._last_bot_message[chat_id] = message["message_id"]
        return copy.deepcopy(message)

    def _store_stub_bot_message(self, chat_id: int | str, message_id: int | None) -> int:
        if message_id is None:
            message_id = self._new_message_id(chat_id)
        message = {
            "message_id": message_id,
            "from": self._bot_user(self._last_token),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "text": "…",
        }
        self._messages[(chat_id, message_id)] = message
        self._contents[(chat_id, message_id)] = ("text", "…", [])
        return message_id

    def _message_or_stub(self, chat_id: int | str, message_id: int) -> dict[str, Any]:
        stored = self._messages.get((chat_id, message_id))
        if stored is not None:
            reply = copy.deepcopy(stored)
            reply.pop("reply_to_message", None)  # Telegram does not nest replies further
            return reply
        return {"message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id)}

    def _reply_target(self, chat_id: int | str, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            target_chat = reply.get("chat_id", chat_id)
            allow_missing = bool(reply.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id"):
            message_id = params["reply_to_message_id"]
            target_chat = chat_id
            allow_missing = bool(params.get("allow_sending_without_reply"))
        else:
            return None
        if (target_chat, message_id) not in self._messages:
            if allow_missing:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return self._message_or_stub(target_chat, message_id)

    def _editable(self, params: dict[str, Any]) -> tuple[int | str, int]:
        chat_id = self._require_chat(params)
        message_id = params.get("message_id")
        if message_id in (None, ""):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        stored = self._messages.get(key)
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not stored.get("from", {}).get("is_bot"):
            raise ApiError(400, "Bad Request: message can't be edited")
        return key

    def _store_edit(
        self,
        key: tuple[int | str, int],
        content: dict[str, Any],
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        message = {**self._messages[key], **content, "edit_date": int(time.time())}
        # Editing without reply_markup removes the inline keyboard, as on Telegram.
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[key] = message
        return copy.deepcopy(message)

    def _register_update(self, update: dict[str, Any]) -> None:
        for key in ("message", "edited_message", "channel_post"):
            message = update.get(key)
            if isinstance(message, dict) and "chat" in message:
                chat = message["chat"]
                self.chats.setdefault(chat["id"], dict(chat))
                message_key = (chat["id"], message["message_id"])
                self._messages[message_key] = copy.deepcopy(message)
                if "text" in message:
                    self._contents[message_key] = ("text", message["text"], [])
                next_id = self._next_message_id.get(chat["id"], 1)
                self._next_message_id[chat["id"]] = max(next_id, message["message_id"] + 1)
        if isinstance(update.get("callback_query"), dict):
            self._open_callback_queries.add(str(update["callback_query"]["id"]))
        if isinstance(update.get("inline_query"), dict):
            self._open_inline_queries.add(str(update["inline_query"]["id"]))


# --- module helpers ------------------------------------------------------------------------


def _same_chat(a: Any, b: Any) -> bool:
    return a is not None and str(a) == str(b)


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    if not isinstance(scope, dict):
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


def _default_chat_id(chat_id: int | None, chat_type: str, user_id: int) -> int:
    if chat_id is not None:
        return chat_id
    if chat_type == "private":
        return user_id
    return _DEFAULT_CHAT_IDS.get(chat_type, _DEFAULT_CHAT_IDS["group"])


def _user(
    user_id: int, first_name: str | None = None, username: str | None = None
) -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name or f"User{user_id}",
        "username": username or f"user{user_id}",
        "language_code": "zh-hans",
    }


def _chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member.update(
            can_be_edited=False, is_anonymous=False, can_manage_chat=True,
            can_delete_messages=False, can_manage_video_chats=False,
            can_restrict_members=False, can_promote_members=False, can_change_info=False,
            can_invite_users=True, can_post_stories=False, can_edit_stories=False,
            can_delete_stories=False,
        )
    return member


def _removal_description(chat_type: str, status: str) -> str:
    if chat_type == "private":
        return "Forbidden: bot was blocked by the user"
    if chat_type == "channel":
        return "Forbidden: bot is not a member of the channel chat"
    if status == "kicked":
        return f"Forbidden: bot was kicked from the {chat_type} chat"
    return f"Forbidden: bot is not a member of the {chat_type} chat"


def _default_description(
    error_code: int, retry_after: int | None, migrate_to_chat_id: int | None
) -> str:
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after}"
    if migrate_to_chat_id is not None:
        return "Bad Request: group chat was upgraded to a supergroup chat"
    return {
        400: "Bad Request: chat not found",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: _POLL_CONFLICT,
        502: "Bad Gateway",
    }.get(error_code, f"Internal Server Error {error_code}")


_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}(?!\w)")
_URL = re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’”。，；：！？）]")


def _detect_entities(text: str) -> list[dict[str, Any]]:
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (("url", _URL), ("bot_command", _COMMAND), ("mention", _MENTION)):
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end, _ in found):
                continue
            found.append((m.start(), m.end(), kind))
    found.sort()
    return [
        {"type": kind, "offset": _u16len(text[:start]), "length": _u16len(text[start:end])}
        for start, end, kind in found
    ]


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup; returns it when it is an inline keyboard (the only kind a
    Message echoes back), else None."""
    if markup in (None, ""):
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            markup = None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(
            400,
            'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an '
            "Array of Arrays",
        )
    kinds = (
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    )
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict):
            raise ApiError(
                400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton "
                "must be an Object"
            )
        if not isinstance(button.get("text"), str):
            raise ApiError(
                400, "Bad Request: can't parse inline keyboard button: Field \"text\" must be "
                "of type String"
            )
        if not any(kind in button for kind in kinds):
            raise ApiError(
                400, "Bad Request: can't parse inline keyboard button: Text buttons are "
                "unallowed in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not url or any(ch.isspace() for ch in url):
                raise ApiError(
                    400, f"Bad Request: inline keyboard button URL '{url}' is invalid: "
                    "Wrong HTTP URL"
                )
    return copy.deepcopy(markup)


def is_loopback(host: Any) -> bool:
    """True for hosts a test may connect to (used by the conftest network guard)."""
    if host in (None, "", b"", "localhost", b"localhost"):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@contextlib.asynccontextmanager
async def polling(application: Any, **start_polling: Any) -> AsyncIterator[Any]:
    """Run a PTB Application against the fake server the way run_polling does, step by step, so the
    test keeps the event loop; post_init runs as it would at start-up."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0, timeout=1, **start_polling)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


class KillingAPI(FakeBotAPI):
    """The fake server, SIGKILLing the broadcasting process (set `pid`) once it has accepted `kill_at` messages,
    before it answers the last of them."""

    def __init__(self, kill_at: int) -> None:
        super().__init__()
        self.kill_at, self.pid = kill_at, None

    def _send_message(self, token, params):
        result = super()._send_message(token, params)
        if self.pid and len(self.sent_messages()) == self.kill_at:
            os.kill(self.pid, signal.SIGKILL)
        return result
