"""Names written in pinyin ("Dongxiayuan hub", "Tongma Road", "Luhe Middle School"): English speakers spell the
gazette's place, road and school names the way they are pronounced.

At build time every name-like word of the gazette is spelt in toneless pinyin by CC-CEDICT's readings of its
characters (name_rows, stored in the `pinyin` table); at question time a run of English words that no English
dictionary knows, with a generic word after it spelt in pinyin too ("road" -> lu, pinyin-words.toml), stands
for that name (read_names).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from .datafiles import read_toml

MIN_LETTERS = 5      # shorter spellings match too many words ("luhe" is read only with "middle school" after it)
READINGS = 2         # readings tried per character (多音字: 长 chang/zhang)
SPELLINGS = 4        # spellings kept per word
LONGEST_RUN = 4      # English words read together ("luhe middle school")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


@lru_cache(maxsize=1)
def generic_words() -> dict[str, str]:
    """English generic words of names and their pinyin ("road" -> "lu", "middle school" -> "zhongxue")."""
    return {" ".join(k.split()): v for k, v in read_toml("pinyin-words.toml")["words"].items()}


def _suffixes() -> list[str]:
    return sorted(set(read_toml("pinyin-words.toml")["suffixes"]), key=len, reverse=True)


@lru_cache(maxsize=None)
def readings(ch: str) -> tuple[str, ...]:
    """A character's toneless pinyin readings in CC-CEDICT, the usual first ("长": chang, zhang); build time
    only, as it loads the dictionary."""
    from .glossary import dictionary
    entry = dictionary().lookup(ch)
    found = [re.sub(r"[^a-z]", "", d.pinyin.lower().replace("u:", "v")) for d in entry.definition_entries] \
        if entry is not None else []
    return tuple(dict.fromkeys(r for r in found if r))


def romanised(prefixes: Iterable[str]) -> dict[str, str]:
    """How English text spells each issuer's prefix ("tongzhengbanfa" -> 通政办发), by each character's usual
    reading: English citations write 文号 that way."""
    out = {}
    for prefix in prefixes:
        usual = [(readings(ch) or ("",))[0] for ch in prefix]
        if all(usual):
            out["".join(usual)] = prefix
    return out


def name_rows(texts: Iterable[str], towns: Iterable[str] = ()) -> list[dict]:
    """(pinyin, term) for the gazette's name-like words: every stretch of 1-3 characters before a generic ending
    (路, 园, 中学...); and each of towns (units named 张家湾镇) spelt without its ending too."""
    joined = "\n".join(texts)
    terms: dict[str, str] = {}   # what is spelt -> the gazette's word it names
    for suffix in _suffixes():
        for m in re.finditer(re.escape(suffix), joined):
            for k in range(1, 4):
                head = joined[max(0, m.start() - k):m.start()]
                if len(head) == k and _CJK_RUN.fullmatch(head):
                    terms[head + suffix] = head + suffix
    endings = tuple(read_toml("pinyin-words.toml")["town_endings"])
    for town in towns:
        head = town[:-1]
        if town.endswith(endings) and 2 <= len(head) <= 3 and _CJK_RUN.fullmatch(head):
            terms.setdefault(head, town)   # "Zhangjiawan" is the town, 张家湾镇
    rows = set()
    for spelling, term in terms.items():
        options = [readings(ch)[:READINGS] for ch in spelling]
        if not all(options):
            continue
        for combo in itertools.islice(itertools.product(*options), SPELLINGS):
            rows.add(("".join(combo), term))
    return [{"pinyin": p, "term": t} for p, t in sorted(rows)]


def person_spellings(name: str) -> list[str]:
    """A person's name in pinyin as English speakers write it, family name first or last, without spaces
    (questions are matched on their normalised key): 倪德才 -> nidecai, decaini."""
    if not 2 <= len(name) <= 4 or not _CJK_RUN.fullmatch(name):
        return []
    options = [readings(ch)[:1] for ch in name]
    if not all(options):
        return []
    syllables = [o[0] for o in options]
    family, given = syllables[0], "".join(syllables[1:])
    return [family + given, given + family]


def load_names(rows: Iterable[dict], df: Mapping[str, int]) -> dict[str, list[str]]:
    """pinyin -> the gazette's words spelt so, those the index holds as words first, then the longest."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for r in rows:
        found.setdefault(r["pinyin"], []).append((-df.get(r["term"], 0), -len(r["term"]), r["term"]))
    return {k: [t for *_, t in sorted(v)][:3] for k, v in found.items()}


def read_names(spaced: str, names: Mapping[str, list[str]],
               english: Callable[[str], bool]) -> list[tuple[str, list[str], int, int]]:
    """Runs of English words that spell a gazette name in pinyin, as (words, terms, start, end) in spaced, the
    longest first. A run is words no English dictionary knows (english(word) is False: "tongma", "dong xia
    yuan"), then at most one generic phrase ("road", "middle school"): "long road" is English, "tongma road" a
    name."""
    generic = generic_words()
    tokens = [(m.group(0), m.start(), m.end()) for m in _LATIN_WORD.finditer(spaced)]
    found = []
    i = 0
    while i < len(tokens):
        head = 0
        while i + head < len(tokens) and head < LONGEST_RUN and not english(tokens[i + head][0]):
            head += 1
        hit = None
        for n in range(head, 0, -1):
            spelt = "".join(w.replace("-", "") for w, _, _ in tokens[i:i + n])   # "Jing-Ha"
            # the longest generic phrase after the name first ("middle school" before "school")
            for extra in range(min(2, len(tokens) - i - n), -1, -1):
                phrase = " ".join(w for w, _, _ in tokens[i + n:i + n + extra])
                key = spelt + (generic.get(phrase, "\0") if extra else "")
                if "\0" not in key and len(key) >= MIN_LETTERS and key in names:
                    hit = (n + extra, names[key])
                    break
            if hit:
                break
        if hit:
            n, terms = hit
            found.append((" ".join(w for w, _, _ in tokens[i:i + n]), terms, tokens[i][1], tokens[i + n - 1][2]))
            i += n
        else:
            i += max(head, 1)
    return found
