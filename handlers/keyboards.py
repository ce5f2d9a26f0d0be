"""Inline keyboards under answers, with short callback data that carries ids, never text.

Callback data (all well under Telegram's 64 bytes):
  m:<qid>:<offset>    more results of a stored question (see handlers/followups.py)
  c:<pid>             the full clause of a passage
  d:<pid>             the source document of a passage
  f:<pid>:<vote>:<qid> feedback, vote 1 or -1
  p:<pid>:<qid>       show one passage in full (a candidate or a list item)
Passage ids and question ids live in the store, so buttons keep working after a restart.
"""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

MAX_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
LABEL = 40          # button labels are cut here: long labels get truncated by clients anyway


def data(verb: str, *ids: int) -> str:
    """Callback data 'verb:id:id', checked against Telegram's limit (ints keep it near 20 bytes)."""
    text = ":".join([verb, *(str(int(i)) for i in ids)])
    if len(text.encode()) > MAX_DATA:
        raise ValueError(f"callback data over {MAX_DATA} bytes: {text}")
    return text


def parse(text: str | None) -> tuple[str, list[int]] | None:
    """('m', [qid, offset]) from 'm:qid:offset'; None for anything we did not make."""
    if not text or len(text.encode()) > MAX_DATA:
        return None
    verb, *rest = text.split(":")
    try:
        return verb, [int(x) for x in rest]
    except ValueError:
        return None


def _label(text: str) -> str:
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def feedback_row(pid: int, qid: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("👍", callback_data=data("f", pid, 1, qid)),
            InlineKeyboardButton("👎", callback_data=data("f", pid, -1, qid))]


def answer_keyboard(answer: dict, qid: int = 0, more_from: int | None = None) -> InlineKeyboardMarkup:
    """更多结果 (when there are more), 完整条文 (when the passage is part of a clause), 来源文件, 👍/👎."""
    pid = answer["id"]
    rows = []
    if more_from is not None:
        rows.append([InlineKeyboardButton("更多结果", callback_data=data("m", qid, more_from))])
    row = []
    if answer.get("clause_id"):
        row.append(InlineKeyboardButton("完整条文", callback_data=data("c", pid)))
    row.append(InlineKeyboardButton("来源文件", callback_data=data("d", pid)))
    rows.append(row)
    rows.append(feedback_row(pid, qid))
    return InlineKeyboardMarkup(rows)


def candidates_keyboard(suggestions: list[dict], qid: int = 0) -> InlineKeyboardMarkup:
    """Up to three 'did you mean' buttons, labelled with item and 文号."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(_label(s["label"]), callback_data=data("p", s["id"], qid))]
                                 for s in suggestions[:3]])


def list_keyboard(answers: list[dict], start: int, qid: int, more_from: int | None) -> InlineKeyboardMarkup:
    """Numbered buttons opening each listed answer in full, then 更多结果 when the list goes on."""
    numbers = [InlineKeyboardButton(str(k), callback_data=data("p", a["id"], qid))
               for k, a in enumerate(answers, start + 1)]
    rows = [numbers[i:i + 5] for i in range(0, len(numbers), 5)]
    if more_from is not None:
        rows.append([InlineKeyboardButton("更多结果", callback_data=data("m", qid, more_from))])
    return InlineKeyboardMarkup(rows)
