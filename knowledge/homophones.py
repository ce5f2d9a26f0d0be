"""Homophone typos: a pinyin input method offers every character with the sound typed, so residents write
"路等不亮" for 路灯不亮 and "公测" for 公厕. A run of the question's characters that sounds like a lexicon word
(toneless pinyin, any reading of a 多音字) but is not that word, and is no word of the gazette, is read as it.

The characters' readings are worked out at build time from CC-CEDICT (char_rows, stored in the `char_pinyin`
table): the dictionary is too large to keep loaded while answering.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping

SHORTEST, LONGEST = 2, 4    # characters of a lexicon word read by sound; one character sounds like too many
MIN_CONTENT = 2             # characters of it that are not little words: "阳了" rests on one sound
# little words are read in many ways (的 de/di, 得 de/dei) and are seldom the typo: "买的" is no misspelt 卖地,
# "是按" ("is by") no misspelt 食安
FUNCTION_CHARS = frozenset("的地得了着过吗呢吧啊么也都就还又去来是在")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def char_rows(texts: Iterable[str], readings: Callable[[str], tuple[str, ...]],
              words: Iterable[str] = ()) -> list[dict]:
    """(char, its toneless readings joined by spaces) for every CJK character of the texts, and for each of
    words the dictionary reads as a whole ("夭折": yaozhe): a word is said one way, though its characters may
    each be read two ways (折 zhe/she), and a typo is typed by the word's sound."""
    chars = sorted({ch for text in texts for ch in text if _CJK.match(ch)})
    whole = sorted({w for w in words if SHORTEST <= len(w) <= LONGEST and all(_CJK.match(ch) for ch in w)})
    rows = [{"char": ch, "pinyin": " ".join(dict.fromkeys(readings(ch)))} for ch in [*chars, *whole]]
    return [r for r in rows if r["pinyin"]]


def sounds(word: str, readings: Mapping[str, list[str]]) -> list[str]:
    """The word's possible toneless spellings ("路灯" -> ["ludeng"]), as the dictionary reads it when it knows the
    whole word; [] when a character has no reading."""
    if len(word) > 1 and word in readings:
        return list(readings[word])
    options = [readings.get(ch) for ch in word]
    if not all(options):
        return []
    return ["".join(combo) for combo in itertools.islice(itertools.product(*options), 8)]


def by_sound(words: Iterable[str], readings: Mapping[str, list[str]]) -> dict[str, str]:
    """Spelling -> the lexicon word it sounds like; a sound two words share names neither."""
    found: dict[str, set[str]] = {}
    for word in words:
        if SHORTEST <= len(word) <= LONGEST and all(_CJK.match(ch) for ch in word):
            for spelling in sounds(word, readings):
                found.setdefault(spelling, set()).add(word)
    return {s: next(iter(w)) for s, w in found.items() if len(w) == 1}


def correct(key: str, table: Mapping[str, str], readings: Mapping[str, list[str]],
            meant: Callable[[str, int, int], bool]) -> tuple[str, list[str]]:
    """The normalised question with runs that sound like a lexicon word replaced by it, and "路等 → 路灯" for
    each; meant(text, start, end) says the run text[start:end] is meant as written (a word the gazette uses, or
    one that cuts through a word: "潮马路等" is a road's name and 等). text is the question as corrected so far:
    "燃汽灶要换", once 燃汽 is read as 燃气, holds the word 燃气灶, and "灶要" cuts through it."""
    fixes: list[str] = []
    out, i = key, 0   # a word replaces a run of its own length: positions in out are positions in key
    while i < len(out):
        for n in range(LONGEST, SHORTEST - 1, -1):
            run = out[i:i + n]
            if len(run) < n or not all(_CJK.match(ch) for ch in run) or meant(out, i, i + n):
                continue
            word = next((table[s] for s in sounds(run, readings) if s in table), None)
            # a word whose only other characters are little words rests on one sound: "养了" is no misspelt 阳了
            content = sum(ch not in FUNCTION_CHARS for ch in word or "")
            if word and word != run and content >= MIN_CONTENT \
                    and not any(a != b and a in FUNCTION_CHARS for a, b in zip(run, word)):
                fixes.append(f"{run} → {word}")
                out = out[:i] + word + out[i + n:]
                i += n - 1
                break
        i += 1
    return out, fixes
