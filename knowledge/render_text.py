"""An engine result as plain text for the terminal (`gazette-bot ask` without --json).

It says what a Telegram reply says (answers.facts and answers.source_line), laid out for a terminal.
"""
from __future__ import annotations

import textwrap

from .answers import facts, instead_of_lead, source_line, split_leaders
from .normalize import shorten

HOTLINE = "生活服务类问题可拨打 12345 市民服务热线。"
HOTLINE_EN = "For everyday services, call the 12345 citizens' hotline."
NOT_FOUND = "公报里没有找到相关内容。" + HOTLINE
NOT_FOUND_EN = "I found nothing on this in the gazette. " + HOTLINE_EN
UNSURE = "没有找到确切的答案。"
UNSURE_EN = "I found no exact answer."
SNIPPET = 60   # characters of another answer's passage shown under its lead


def page_line(start: int, shown: int, total: int) -> str:
    """Which part of a list a page shows ("第 1–5 项，共 17 项"), in the bot's replies and the terminal alike."""
    return f"第 {start + 1}–{start + shown} 项，共 {total} 项"


def render_text(result: dict) -> str:
    """Lead, note, the best passage quoted, who/when, citation; other answers and suggestions listed below."""
    lines: list[str] = []
    answers = result.get("answers") or []
    english = result.get("lang") == "en"
    # nothing certain but passages close to it: a choice, not "nothing found" followed by the right item
    unsure = "" if answers or not result.get("suggestions") else UNSURE_EN if english else UNSURE
    lead = result.get("lead") or unsure or ("" if answers else NOT_FOUND_EN if english else NOT_FOUND)
    replaced = instead_of_lead(answers[0], lead) if answers else None
    if replaced is not None:   # a lead that is the whole passage is printed once, as the bot's reply does
        lead = replaced
    note = (("Note: " if english else "注意：") + result["note"]) if result.get("note") else ""
    # someone in danger reads "call 110/119/120" before anything the gazette says
    if note and result.get("urgent"):
        lines.append(note)
    if lead:
        lines.append(lead)
    if note and not result.get("urgent"):
        lines.append(note)
    if answers:
        best = answers[0]
        lines.append(textwrap.indent(best.get("passage") or "", "  │ ", lambda line: True))
        said = facts(best, lead)
        if said:
            lines.append("  " + said)
        lines.append("  " + source_line(best))
        for k, other in enumerate(answers[1:], 2):
            words, leaders = split_leaders(other.get("passage") or "")
            passage = " ".join(words.split())
            said = other.get("lead") or ""
            lines.append(f"{k}. {said or shorten(passage, SNIPPET)}")
            if said and said not in passage:   # a column ("完成时限：…") says nothing of what the item is
                lines.append("   " + shorten(passage, SNIPPET))
            if leaders and leaders not in said:
                lines.append("   " + leaders)
            lines.append("   " + source_line(other))
    total, start = result.get("total") or 0, result.get("start") or 0
    if answers and total > start + len(answers):
        # a list shows a page at a time: say it goes on, and how to see the rest (the bot has a button for it)
        first, last = start + 1, start + len(answers)
        lines.append(f"{first}–{last} of {total} (in the chat, “more” shows the next page)" if english
                     else f"{page_line(start, len(answers), total)}（在聊天里发送“更多”看下一页）")
    shown = {a.get("id") for a in answers}
    # the passages printed above are no choice to offer again
    suggestions = [s for s in result.get("suggestions") or [] if not isinstance(s, dict) or s.get("id") not in shown]
    if suggestions:
        # after a decline with its reason they are what it rests on, not guesses at what was meant
        related = not answers and bool(result.get("lead"))
        lines.append(("Related items:" if related else "Did you mean:") if english
                     else ("相关条目：" if related else "您是不是想问："))
        for k, s in enumerate(suggestions, 1):
            lines.append(f"  {k}. {s['label'] if isinstance(s, dict) else s}")
    return "\n".join(lines)
