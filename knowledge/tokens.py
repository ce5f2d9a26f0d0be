"""Tokenising with jieba, loaded with a user dictionary built from the store so names stay whole."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|\d+(?:\.\d+)?%?")


@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's dictionary as initialize() leaves it (word and prefix frequencies, their total), read once per
    process: reading it (from jieba's cache in the temp folder) is most of a tokenizer's cost, some 0.8 s."""
    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


def make_tokenizer(user_words: Iterable[str]) -> jieba.Tokenizer:
    """A private jieba tokenizer (no global state) that knows the store's names and terms."""
    freq, total = _base_dictionary()
    tok = jieba.Tokenizer()
    # what initialize() would set, from a copy (add_word below writes into FREQ and total)
    tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    for word in user_words:
        if 2 <= len(word) <= 20:
            tok.add_word(word, freq=3000)
    return tok


@lru_cache(maxsize=1)
def dictionary_nouns() -> frozenset[str]:
    """The words of two characters or more jieba's dictionary tags as nouns (not names of people) or as verbs
    used as nouns, read once per process when first asked (some 30 MB; jieba.posseg's tag table, loaded on
    import, is twice that, once per tokenizer)."""
    return _tagged_words(lambda tag: tag[0] == "n" and tag != "nr" or tag == "vn")


@lru_cache(maxsize=1)
def dictionary_verbs() -> frozenset[str]:
    """The words of two characters or more jieba's dictionary tags as verbs only ("主持"; not "管理", a verb
    used as a noun), read once per process when first asked."""
    return _tagged_words(lambda tag: tag == "v")


def _tagged_words(keep: Callable[[str], bool]) -> frozenset[str]:
    """The words of two characters or more in jieba's dictionary whose tag keep() accepts."""
    found = set()
    with jieba.Tokenizer().get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()   # word, frequency, tag
            if len(parts) == 3 and len(parts[0]) >= 2 and keep(parts[2]):
                found.add(parts[0])
    return frozenset(found)


_NUMERALS = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")


def numerals(text: str) -> list[str]:
    """The digits and Chinese numerals in text: two words with different numbers are never the same word
    ("五岁以下" is not "三岁以下"), however alike they look or mean."""
    return _NUMERALS.findall(text)


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs inside each run of CJK characters (never across punctuation)."""
    out = []
    for run in _CJK_RUN.findall(text):
        if run[0] >= "\u4e00":
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) == 1:
                out.append(run)
        else:
            out.append(run)
    return out


def words(tok: jieba.Tokenizer, text: str) -> list[str]:
    """jieba's search-mode words of at least two characters (Latin words and numbers kept)."""
    return [w for w in tok.lcut_for_search(text, HMM=False) if len(w) >= 2 or w.isdigit()]


def features(tok: jieba.Tokenizer, text: str) -> list[str]:
    """What matching compares: jieba words plus character bigrams (bigrams catch typos and partial words)."""
    ws = words(tok, text)
    seen = set(ws)
    return ws + [b for b in bigrams(text) if b not in seen or len(b) != 2]
