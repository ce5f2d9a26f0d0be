"""Everything the bot sends as Telegram HTML: answers (the lead in bold, the passage quoted, the citation
below), lists, documents, short notices and the deadline digests, split under the limit.

Everything is built from (tag, plain text) segments and escaped only when joined, so splitting a long
reply can never cut a tag or an entity in half: each piece is re-wrapped in its own tag. One splitter
(fill) cuts every kind of reply into messages.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from telegram.constants import MessageLimit

from knowledge.answers import deadline_words, facts, instead_of_lead, source_line, split_leaders
from knowledge.digest import Digest, Entry, Notice
from knowledge.render_text import HOTLINE, HOTLINE_EN, page_line

LIMIT = MessageLimit.MAX_TEXT_LENGTH
PAGE = 5                 # answers per "more results" / list page
SNIPPET = 120            # characters of a passage shown in a list item

Segment = tuple[str | None, str]      # (HTML tag or None, plain text)
Block = list[Segment]                 # one paragraph; paragraphs are separated by a blank line

_LIST_INTENTS = {"unit_list", "leader_list", "due"}
_SENTENCE_END = re.compile(r"(?<=[。！？；;!?])")
T = TypeVar("T")


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); counting the raw HTML keeps us safe either way."""
    return len(text.encode("utf-16-le")) // 2


def seg_html(tag: str | None, text: str) -> str:
    body = html.escape(text, quote=False)
    return f"<{tag}>{body}</{tag}>" if tag else body


def block_html(block: Block) -> str:
    return "".join(seg_html(tag, text) for tag, text in block)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------- splitting

def _pieces(text: str, fits) -> list[str]:
    """Cut text at line breaks, then sentence ends, then characters, into pieces that each fit."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if fits(line):
            out.append(line)
            continue
        for sentence in filter(None, _SENTENCE_END.split(line)):
            if fits(sentence):
                out.append(sentence)
                continue
            chunk = ""
            for ch in sentence:     # pathological text without any break: cut by character
                if chunk and not fits(chunk + ch):
                    out.append(chunk)
                    chunk = ""
                chunk += ch
            if chunk:
                out.append(chunk)
    return out


def _split_segment(tag: str | None, text: str, limit: int) -> list[str]:
    """One over-long segment as several HTML pieces, each under limit and each with its tag closed."""
    def fits(t: str) -> bool:
        return tg_len(seg_html(tag, t)) <= limit

    pieces, current = [], ""
    for part in _pieces(text, fits):
        if current.strip() and not fits(current + part):
            pieces.append(seg_html(tag, current.strip("\n")))
            current = ""
        current += part
    if current.strip():
        pieces.append(seg_html(tag, current.strip("\n")))
    return pieces


def fill(parts: Iterable[tuple[str, str, T]], limit: int = LIMIT) -> list[tuple[str, list[T]]]:
    """The splitter: as few messages as fit under limit, breaking only between parts. A part is (its HTML
    after what comes before it in a message, its HTML when it opens a message, what it carries); returns
    each message with what its parts carry."""
    messages: list[tuple[str, list[T]]] = []
    current, carried = "", []
    for joined, opening, payload in parts:
        if current and tg_len(current + joined) > limit:
            messages.append((current, carried))
            current, carried = "", []
        current += joined if current else opening
        carried.append(payload)
    if current:
        messages.append((current, carried))
    return messages


def pack(blocks: list[Block], limit: int = LIMIT) -> list[str]:
    """Join paragraphs into as few messages as fit under limit, breaking only between paragraphs
    (or, for a single paragraph longer than a message, between its lines and sentences)."""
    parts: list[tuple[str, str, None]] = []
    for block in blocks:
        if not any(text.strip() for _, text in block):
            continue    # Telegram rejects empty messages and empty entities
        whole = block_html(block)
        pieces = [whole] if tg_len(whole) <= limit else \
            [p for tag, text in block for p in _split_segment(tag, text, limit)]
        parts += [("\n\n" + piece, piece, None) for piece in pieces]
    return [text for text, _ in fill(parts, limit)]


def html_to_text(text: str) -> str:
    """Telegram HTML as terminal text: quotes get a bar in front of each line, other tags go."""
    def quote(m: re.Match) -> str:
        return "\n".join("│ " + line for line in m.group(1).split("\n"))

    text = re.sub(r"<blockquote[^>]*>(.*?)</blockquote>", quote, text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# ---------------------------------------------------------------------------------------- answers

def answer_blocks(answer: dict, note: str | None = None) -> list[Block]:
    """One answer in full: bold lead, optional note, quoted passage, who/when, citation."""
    lead = (answer.get("lead") or "").strip()
    passage = (answer.get("passage") or "").strip()
    extra = facts(answer, lead)
    # a lead that is the whole passage (or its words, above the row's leaders) would be printed twice
    replaced = instead_of_lead(answer, lead)
    if replaced is not None:
        lead, extra = replaced, ""
    blocks: list[Block] = []
    if lead:
        blocks.append([("b", lead)])
    if note:
        blocks.append([("i", note)])
    if passage:
        blocks.append([("blockquote", passage)])
    if extra:
        blocks.append([(None, extra)])
    if answer.get("citation"):
        blocks.append([(None, source_line(answer))])
    return blocks


def list_item_blocks(n: int, answer: dict) -> list[Block]:
    """A numbered, compact answer for lists: when (or lead), a snippet, the citation."""
    head = f"{n}. "
    when = deadline_words(answer) if answer.get("days_left") else ""
    first: Block = [("b", head + (when or shorten(answer.get("lead") or "", 60)))]
    words, leaders = split_leaders(answer.get("passage") or "")
    lines = [shorten(words, SNIPPET)] + ([leaders] if leaders else [])
    units = "、".join(answer.get("units") or [])
    # a table row's lead and cells already say its unit ("由区应急局牵头编制"; "牵头编制部门：区应急局")
    if units and units not in first[0][1] + words:
        lines.append(f"{answer.get('unit_label') or '主责单位'}：" + units)
    lines.append("出处：" + (answer.get("citation") or ""))
    return [first + [(None, "\n" + "\n".join(lines))]]


def list_blocks(title: str, answers: list[dict], start: int = 0, total: int | None = None) -> list[Block]:
    """A page of answers under a bold title, numbered from start + 1."""
    blocks: list[Block] = [[("b", title)]] if title else []
    for k, answer in enumerate(answers, start + 1):
        blocks.extend(list_item_blocks(k, answer))
    if total is not None and start + len(answers) < total:
        blocks.append([("i", page_line(start, len(answers), total))])
    return blocks


def is_list(result: dict) -> bool:
    return result.get("intent") in _LIST_INTENTS or "total" in result


def unsure(result: dict) -> bool:
    """The engine offers candidates: show them instead of guessing."""
    return bool(result.get("suggestions"))


def result_messages(result: dict) -> list[str]:
    """The reply to a question, as one or more HTML messages."""
    answers = result.get("answers") or []
    english = result.get("lang") == "en"
    # someone in danger ("楼道里着火了"): the call to 110/119/120 comes first, whatever follows
    warning = [[("i", result["note"])]] if result.get("urgent") and result.get("note") else []
    if unsure(result):
        labels = "\n".join(f"{k}. {s['label']}" for k, s in enumerate(result["suggestions"][:3], 1))
        if result.get("lead") and not answers:
            # a decline with its reason ("公报没有写怎么申请…", "…没有写到电话号码"): the reason first, then
            # the passages it rests on, to open
            return pack([[(None, result["lead"])], [("b", RELATED_TITLE_EN if english else RELATED_TITLE)],
                         [(None, labels)]])
        return pack(warning + [[("b", UNSURE_TITLE_EN if english else UNSURE_TITLE)], [(None, labels)]])
    if not answers:
        return pack([[(None, result.get("lead") or (NOT_FOUND_EN if english else NOT_FOUND))]])
    if is_list(result):
        return pack(list_blocks(result.get("lead") or "", answers[:PAGE], result.get("start", 0),
                                result.get("total", len(answers))))
    return pack(warning + answer_blocks(answers[0], None if warning else result.get("note")))


def clause_messages(clause: dict) -> list[str]:
    """A whole provision: its place in the document, the text, the citation."""
    return pack([[("b", "完整条文：" + (clause.get("path") or ""))], [("blockquote", clause.get("text") or "")],
                 [(None, "出处：" + (clause.get("citation") or ""))]])


def document_messages(doc: dict, note: str | None = None) -> list[str]:
    """What a document is: title, number, issuer, dates, where it is printed, what it repeals."""
    blocks: list[Block] = [[("b", f"《{doc.get('short_title') or doc.get('title')}》")]]
    if note:
        blocks.append([("i", note)])
    lines = [f"文号：{doc.get('doc_number')}"]
    if doc.get("title") and doc.get("title") != doc.get("short_title"):
        lines.append(f"标题：{doc['title']}")
    for key, label in (("issuer", "发文机关"), ("category", "类别"), ("signed", "成文日期"), ("printed", "印发日期")):
        if doc.get(key):
            lines.append(f"{label}：{doc[key]}")
    if doc.get("issue"):
        page = f"第{doc['start_page']}页" if doc.get("start_page") else ""
        lines.append(f"刊载：{doc.get('cited_as') or '公报'}{doc['issue']}{page}")
    for r in doc.get("repeals") or []:
        lines.append(f"同时废止：《{r.get('title')}》（{r.get('number')}）")
    blocks.append([(None, "\n".join(lines))])
    return pack(blocks)


def plain_messages(text: str, bold: str | None = None) -> list[str]:
    """A short bot message (help, notices) with an optional bold first line; the text is escaped."""
    return pack(([[("b", bold)]] if bold else []) + [[(None, p)] for p in text.split("\n\n") if p])


UNSURE_TITLE = "不太确定您问的是哪一项，请从下面选择："
NOT_FOUND = "抱歉，公报里没有找到相关内容。可以换个说法试试，例如：谁负责老楼加装电梯？" + HOTLINE
RELATED_TITLE = "相关条目（点开查看）："
RELATED_TITLE_EN = "Related items (tap to open):"
UNSURE_TITLE_EN = "I am not sure which item you mean; please choose:"
NOT_FOUND_EN = "Sorry, I found nothing on this in the gazette. Try other words, e.g. \"who handles elevators?\" " + HOTLINE_EN


# ---------------------------------------------------------------------------------------- digests

@dataclass
class Chunk:
    """One message of a digest and the notices it carries (marked sent together)."""
    text: str
    notices: list[Notice]


def entry_html(entry: Entry) -> str:
    """One digest entry: unit in bold, item number, kind, short text, days left, citation in italics."""
    label = f"〔{entry.label}〕" if entry.label else ""
    return block_html([(None, "• "), ("b", entry.units), (None, f" {entry.item}{label}\n{entry.text}\n{entry.when} · "),
                       ("i", entry.citation)])


def digest_messages(digests: list[Digest], limit: int = LIMIT) -> list[Chunk]:
    """Each digest as messages under limit. A message never ends inside an entry; one that continues a digest
    repeats its title, and a group's heading with （续）, so every message reads on its own."""
    chunks: list[Chunk] = []
    for digest in digests:
        title = block_html([("b", digest.title), (None, digest.detail)])
        continued = block_html([("b", digest.title + "（续）"), (None, digest.continued_detail)])
        parts, group = [], None
        for entry in digest.entries:
            heading, item, new_group = seg_html("b", entry.group), entry_html(entry), entry.group != group
            joined = "\n\n" + (heading + "\n" if new_group else "") + item
            opening = (f"{continued if parts else title}\n\n{heading}{'' if new_group else '（续）'}\n{item}")
            parts.append((joined, opening, entry.notice))
            group = entry.group
        chunks += [Chunk(text, notices) for text, notices in fill(parts, limit)]
    return chunks
