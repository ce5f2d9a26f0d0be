"""An engine result as plain text for the terminal (`gazette-bot ask` without --json)."""
from __future__ import annotations

import textwrap

NOT_FOUND = "公报里没有找到相关内容。"


def _when(answer: dict) -> str:
    if not answer.get("deadline_text"):
        return ""
    days = answer.get("days_left")
    return f"完成时限：{answer['deadline_text']}" + (f"（{days}）" if days else "")


def render_text(result: dict) -> str:
    """Lead, note, the best passage quoted, who/when, citation; other answers and suggestions listed below."""
    lines: list[str] = []
    answers = result.get("answers") or []
    lead = result.get("lead") or ("" if answers else NOT_FOUND)
    if lead:
        lines.append(lead)
    if result.get("note"):
        lines.append(f"注意：{result['note']}")
    if answers:
        best = answers[0]
        lines.append(textwrap.indent(best.get("passage") or "", "  │ ", lambda line: True))
        facts = [f"主责单位：{'、'.join(best['units'])}"] if best.get("units") else []
        if best.get("co_units"):
            facts.append(f"协办单位：{'、'.join(best['co_units'])}")
        if _when(best):
            facts.append(_when(best))
        if facts:
            lines.append("  " + " · ".join(facts))
        lines.append(f"  出处：{best.get('citation', '')}")
        for k, other in enumerate(answers[1:], 2):
            lines.append(f"{k}. {other.get('lead') or other.get('passage', '')[:60]}")
            lines.append(f"   出处：{other.get('citation', '')}")
    suggestions = result.get("suggestions") or []
    if suggestions:
        lines.append("您是不是想问：")
        for k, s in enumerate(suggestions, 1):
            lines.append(f"  {k}. {s['label'] if isinstance(s, dict) else s}")
    return "\n".join(lines)
