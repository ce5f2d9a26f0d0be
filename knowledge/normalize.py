"""Search keys: the form of a text that matching compares, never the form shown to people."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC

_T2S = OpenCC("t2s")
_SPACE = re.compile(r"\s+")
# Cheap test so that plain simplified text skips the slower converter.
_ASCII_OR_COMMON = re.compile(r"^[\x00-\x7f\u3000-\u303f\uff00-\uffef]*$")


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters OpenCC converts (its own dictionary), so text without any of them can skip the converter."""
    import opencc
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.split("\t", 1)[0] for line in lines if line and "\t" in line)


def simplify(text: str) -> str:
    """Convert traditional characters to simplified ones (學 -> 学)."""
    if not text or _ASCII_OR_COMMON.match(text):
        return text
    trad = _traditional()
    if trad and not any(c in trad for c in text):
        return text
    return _T2S.convert(text)


@lru_cache(maxsize=8192)
def search_key(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, no whitespace, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = simplify(text)
    return _SPACE.sub("", text).lower()


def tidy(text: str) -> str:
    """Display form: collapse the irregular spacing that the print extraction left between CJK and digits."""
    text = text.replace("\u3000", " ")
    text = re.sub(r"(?<=[\u4e00-\u9fff，、。；：（）“”])\s+(?=[\u4e00-\u9fff\d（）“”])", "", text)
    text = re.sub(r"(?<=[\d%])\s+(?=[\u4e00-\u9fff（）])", "", text)
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    """One line of at most limit characters; a cut one ends in "…" (after no dangling punctuation), so it never
    reads as the whole of what the gazette says."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip("，、；。：,;: ") + "…"


_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]")
_LINK_OR_TAG = re.compile(r"(?:https?://|www\.)\S+|<[^<>]{0,200}>", re.I)


def without_pictures(text: str) -> str:
    """The text without emoji: "🛗电梯🆘困人了" is read as "电梯困人了" (pictures between words split them)."""
    return _EMOJI.sub("", text)


def without_links(text: str) -> str:
    """The text without links and markup, whose Latin letters say nothing of the language it is written in."""
    return _LINK_OR_TAG.sub(" ", text)


_WORD = re.compile(r"[A-Za-z]{2,}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def written_in_english(text: str) -> bool:
    """English words and no Chinese: the reply is in English. A link or markup carries Latin letters in any
    language, so it does not count ("看看这个 http://…", a pasted link alone)."""
    return bool(_WORD.search(without_links(text))) and not _HAN.search(text)
