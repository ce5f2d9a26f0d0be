"""The lexicon (lexicon.toml): everyday and English words -> the gazette's terms."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import search_key


@dataclass(frozen=True)
class Entry:
    say: str          # the word as it occurs in a question (normalised)
    means: tuple[str, ...]
    english: bool


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("knowledge").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> list[Entry]:
    """All entries, longest `say` first so that the most specific wording wins."""
    data = _read("lexicon.toml")
    out = []
    for group, english in (("term", False), ("english", True)):
        for item in data.get(group, []):
            means = tuple(item["means"])
            for word in item["say"]:
                say = " ".join(word.lower().split()) if english else search_key(word)
                out.append(Entry(say, means, english))
    return sorted(out, key=lambda e: -len(e.say))


def find_entries(key: str) -> list[tuple[Entry, int, int]]:
    """Entries whose word occurs in the normalised question, as (entry, start, end), not overlapping."""
    taken = [False] * len(key)
    hits = []
    for entry in lexicon():
        if entry.english:
            # English words match whole words, with a plural "s" allowed
            pattern = rf"(?<![a-z]){re.escape(entry.say)}s?(?![a-z])"
            m = re.search(pattern, key)
            start, end = (m.start(), m.end()) if m else (-1, -1)
        else:
            start = key.find(entry.say)
            end = start + len(entry.say)
        if start < 0 or any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        hits.append((entry, start, end))
    return sorted(hits, key=lambda h: h[1])


@lru_cache(maxsize=1)
def intent_patterns() -> tuple[list[str], dict[str, list[re.Pattern]]]:
    data = _read("intents.toml")
    return data["order"], {k: [re.compile(p) for p in v] for k, v in data["patterns"].items()}


@lru_cache(maxsize=1)
def out_of_scope_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in _read("outofscope.toml")["patterns"]]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("knowledge").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(search_key(w) for w in text.splitlines() if w.strip() and not w.startswith("#"))
