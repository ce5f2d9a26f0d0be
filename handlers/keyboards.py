"""Inline keyboards under answers, with short callback data that carries ids, never text.

Callback data, as keyboards build it:
  m:<qid>:<offset>    more results of a stored question (ids from knowledge/writer.py)
  c:<pid>             the full clause of a passage
  d:<pid>             the source document of a passage
  f:<pid>:<vote>:<qid> feedback, vote 1 or -1
  p:<pid>:<qid>       show one passage in full (a candidate or a list item)
  u:<rowid>:<check>   cancel one subscription (subscriptions.row_check); u:0 cancels all, u:-1 keeps them
Passage ids and question ids live in the store, so buttons keep working after a restart.

Ids are sequential, so anyone could type another person's question id into a button of their own. Before a
keyboard is sent, seal() appends a signature over the data and the chat it goes to (an HMAC keyed by the bot
token); unseal() gives back only data this bot sent to this very chat. Sealed data stays under 64 bytes.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from knowledge.answers import split_leaders
from knowledge.numbering import parse_numbering

MAX_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
LABEL = 40          # button labels are cut here: long labels get truncated by clients anyway
_COLUMN_NAME = re.compile(r"(?:^|(?<=；))[^；：]{1,8}：")
CHOICE = 24         # a list's button, one per row: about what a phone shows of Chinese text across its width
MAX_ID = 2 ** 63 - 1    # SQLite's largest integer: a bigger one overflows when it is looked up
MAX_OFFSET = 10_000     # far past the longest list the gazette gives, small enough to fetch
SIGNATURE = 16          # characters of url-safe base64: 96 bits of HMAC-SHA256
_INT = re.compile(r"-?[0-9]{1,19}")


def data(verb: str, *ids: int) -> str:
    """Callback data 'verb:id:id' for ids within SQLite's range, checked to leave room for the seal."""
    if not all(-MAX_ID <= int(i) <= MAX_ID for i in ids):
        raise ValueError(f"callback id out of range: {ids}")
    text = ":".join([verb, *(str(int(i)) for i in ids)])
    if len(text.encode()) + 1 + SIGNATURE > MAX_DATA:
        raise ValueError(f"callback data over {MAX_DATA} bytes once sealed: {text}")
    return text


def parse(text: str | None) -> tuple[str, list[int]] | None:
    """('m', [qid, offset]) from 'm:qid:offset'; None for anything we did not make or numbers out of range."""
    if not text or len(text.encode()) > MAX_DATA:
        return None
    verb, *rest = text.split(":")
    if not all(_INT.fullmatch(x) for x in rest):
        return None
    ids = [int(x) for x in rest]
    if not all(-MAX_ID <= i <= MAX_ID for i in ids) or (verb == "m" and len(ids) == 2 and
                                                         not 0 <= ids[1] <= MAX_OFFSET):
        return None
    return verb, ids


@functools.lru_cache(maxsize=8)
def key_for(token: str) -> bytes:
    """The signing key of a bot: derived from its token, so it is secret and survives restarts."""
    return hmac.new(token.encode(), b"gazette-bot callback data", hashlib.sha256).digest()


def _signature(text: str, chat_id: int, key: bytes) -> str:
    digest = hmac.new(key, f"{chat_id}|{text}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE]


def seal(markup: InlineKeyboardMarkup | None, chat_id: int, key: bytes) -> InlineKeyboardMarkup | None:
    """The keyboard with every button's callback data signed for chat_id."""
    if markup is None:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b.text, callback_data=f"{b.callback_data}:{_signature(b.callback_data, chat_id, key)}")
         if isinstance(b.callback_data, str) else b for b in row]
        for row in markup.inline_keyboard])


def unseal(text: str | None, chat_id: int | None, key: bytes) -> tuple[str, list[int]] | None:
    """parse() of sealed data, when the signature is this bot's for this chat; None otherwise."""
    if not text or chat_id is None or len(text.encode()) > MAX_DATA:
        return None
    body, _, signature = text.rpartition(":")
    if not body or not hmac.compare_digest(signature.encode(), _signature(body, chat_id, key).encode()):
        return None
    return parse(body)


def label(text: str, limit: int = LABEL) -> str:
    """A label cut to limit characters; a choice's owner ("…（区水务局）") is kept whole, its words are cut."""
    if len(text) <= limit:
        return text
    words, bracket, owner = text.rpartition("（")
    if bracket and owner.endswith("）") and len(owner) < limit // 2:
        room = limit - len(owner) - 2
        return words[:room].rstrip("…") + "…（" + owner
    return text[: limit - 1] + "…"


def feedback_row(pid: int, qid: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("👍", callback_data=data("f", pid, 1, qid)),
            InlineKeyboardButton("👎", callback_data=data("f", pid, -1, qid))]


# the buttons under an answer, in the language of the question
BUTTONS = {"zh": {"more": "更多结果", "clause": "完整条文", "source": "来源文件"},
           "en": {"more": "More results", "clause": "Full clause", "source": "Source document"}}


def answer_keyboard(answer: dict, qid: int = 0, more_from: int | None = None) -> InlineKeyboardMarkup:
    """更多结果 (when there are more), 完整条文 (when the passage is part of a clause), 来源文件, 👍/👎."""
    pid = answer["id"]
    say = BUTTONS.get(answer.get("lang") or "zh", BUTTONS["zh"])
    rows = []
    if more_from is not None:
        rows.append([InlineKeyboardButton(say["more"], callback_data=data("m", qid, more_from))])
    if not pid:   # no passage behind it (the table of contents): nothing more to open or rate
        return InlineKeyboardMarkup(rows)
    row = []
    if answer.get("clause_id"):
        row.append(InlineKeyboardButton(say["clause"], callback_data=data("c", pid)))
    row.append(InlineKeyboardButton(say["source"], callback_data=data("d", pid)))
    rows.append(row)
    rows.append(feedback_row(pid, qid))
    return InlineKeyboardMarkup(rows)


def candidates_keyboard(suggestions: list[dict], qid: int = 0) -> InlineKeyboardMarkup:
    """Up to three 'did you mean' buttons, labelled with item and 文号."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label(s["label"]), callback_data=data("p", s["id"], qid))]
                                 for s in suggestions[:3]])


def choice(k: int, answer: dict) -> str:
    """A list button's label: its number in the list, then what the item is about ("3. 深入落实“双减”政策…"), so
    nobody has to match bare numbers against the message above."""
    words = " ".join(split_leaders(answer.get("passage") or answer.get("lead") or "")[0].split())
    numbered = parse_numbering(words)
    words = numbered.rest if numbered and numbered.rest else words
    # a table row's cells without their column names, which every row repeats ("分类：…；主要种类：…"): what differs
    # between rows fits in the label
    return label(f"{k}. {_COLUMN_NAME.sub('', words)}", CHOICE)


def list_keyboard(answers: list[dict], start: int, qid: int, more_from: int | None) -> InlineKeyboardMarkup:
    """A button per listed answer, opening it in full, then 更多结果 when the list goes on."""
    rows = [[InlineKeyboardButton(choice(k, a), callback_data=data("p", a["id"], qid))]
            for k, a in enumerate(answers, start + 1)]
    if more_from is not None:
        rows.append([InlineKeyboardButton("更多结果", callback_data=data("m", qid, more_from))])
    return InlineKeyboardMarkup(rows)
