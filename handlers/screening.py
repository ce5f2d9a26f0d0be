"""Tell a question from noise before it reaches the engine: markup, emoji, walls of text."""
from __future__ import annotations

import re
import unicodedata

from knowledge.engine import IF_DANGER_CALL
from knowledge.normalize import without_links

MAX_QUESTION = 500       # the engine reads 500 characters; longer is a pasted document, not a question
EXAMPLE = "例如：谁负责老楼加装电梯？"
EMPTY = f"请用文字提个问题，{EXAMPLE}"
# pictures alone that tell of danger ("🔥🚒", "🆘"): no words to search, but the call comes first all the same
_DANGER_PICTURES = re.compile("[\U0001F525\U0001F692\U0001F691\U0001F693\U0001F198\U0001F6A8]")
DANGER_ONLY = IF_DANGER_CALL + EMPTY
LINK_ONLY = f"我打不开链接，请用文字说说想问什么，{EXAMPLE}"
TOO_LONG = "问题有点长（{n} 字）。请用一两句话提问（{limit} 字以内），{example}"

_TAG = re.compile(r"<[^<>]{0,200}>")
_MARKUP = re.compile(r"[*_`~#>|\[\]{}\\]+|\(\s*https?://[^)]*\)|&[a-zA-Z]{2,8};")


def clean(text: str) -> str:
    """The question without HTML tags, markdown markers and extra whitespace."""
    text = _TAG.sub(" ", text or "")
    text = _MARKUP.sub(" ", text)
    return " ".join(text.split())


def meaningful(text: str) -> bool:
    """Has at least one letter, digit or CJK character (not only emoji, punctuation or symbols)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def problem(text: str | None) -> str | None:
    """A short friendly reply for input that is not a question, or None when it can be asked."""
    raw = (text or "").strip()
    if len(raw) > MAX_QUESTION:
        return TOO_LONG.format(n=len(raw), limit=MAX_QUESTION, example=EXAMPLE)
    if not meaningful(clean(raw)):
        return DANGER_ONLY if _DANGER_PICTURES.search(raw) else EMPTY
    if not meaningful(clean(without_links(raw))):
        return LINK_ONLY   # a pasted link alone: its letters are no question
    return None
