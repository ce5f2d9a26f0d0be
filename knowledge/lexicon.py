"""The lexicon (lexicon.toml): everyday and English words -> the gazette's terms."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .datafiles import read_toml
from .normalize import search_key


@dataclass(frozen=True, slots=True)
class Entry:
    say: str          # the word as it occurs in a question (normalised)
    means: tuple[str, ...]
    english: bool


def lexicon_files() -> list[str]:
    """lexicon.toml, then the topic files lexicon-*.toml (emergencies, projects...), by name."""
    names = sorted(f.name for f in resources.files("knowledge").iterdir()
                   if f.name.startswith("lexicon-") and f.name.endswith(".toml"))
    return ["lexicon.toml", *names]


@lru_cache(maxsize=1)
def lexicon() -> list[Entry]:
    """All entries, longest `say` first so that the most specific wording wins.

    A word listed in more than one place means all that its entries say, in the order the files list them.
    """
    merged: dict[tuple[str, bool], list[str]] = {}
    for name in lexicon_files():
        data = read_toml(name)
        for group, english in (("term", False), ("english", True)):
            for item in data.get(group, []):
                for word in item["say"]:
                    say = " ".join(word.lower().split()) if english else search_key(word)
                    means = merged.setdefault((say, english), [])
                    means.extend(m for m in item["means"] if m not in means)
    out = [Entry(say, tuple(means), english) for (say, english), means in merged.items()]
    return sorted(out, key=lambda e: -len(e.say))


@lru_cache(maxsize=1)
def lexicon_terms() -> frozenset[str]:
    """The gazette's terms the lexicon's entries stand for ("燃气", "路灯补建"), normalised."""
    return frozenset(search_key(m) for e in lexicon() for m in e.means)


# residents' colloquial wordings widen matching (and the bridge) only: the words embedded with each passage
# stay the curated ones, so a longer list of sayings does not crowd them out or move every passage's vector
COLLOQUIAL = "lexicon-colloquial.toml"
# residents' descriptions of their situation ("摔倒了没人知道", "停不上车") are matched as they are said, and
# nothing more: as targets of the bridge, hundreds of everyday sentences drew unrelated complaints to them
# ("房东到期不退押金" ≈ "期房工地不动了"), and embedded with passages they would move every vector
SITUATIONS = "lexicon-situations.toml"


@lru_cache(maxsize=1)
def _curated_sayings() -> frozenset[str]:
    return frozenset(search_key(w) for name in lexicon_files() if name not in (COLLOQUIAL, SITUATIONS)
                     for item in read_toml(name).get("term", []) for w in item["say"])


@lru_cache(maxsize=1)
def situation_sayings() -> frozenset[str]:
    """The normalised sayings of lexicon-situations.toml (matched words only: no bridge, no embedding)."""
    return frozenset(search_key(w) for item in read_toml(SITUATIONS).get("term", []) for w in item["say"])


EVERYDAY_SPECIFIC = 3    # a gazette term in more passages than this is too general to say what any one is about
EVERYDAY_WORDS = 12      # everyday words kept per passage


def everyday_words(texts: list[str]) -> list[list[str]]:
    """For each passage text, the lexicon's everyday words for the gazette terms it contains ("燃气事故" -> 煤气味,
    燃气泄漏...), counting only terms specific to a few passages. Embedded with the passage, they bring it close
    to the way residents describe the same thing."""
    keys = [search_key(t) for t in texts]
    out: list[list[str]] = [[] for _ in texts]
    passages_with: dict[str, list[int]] = {}   # a term is meant by many entries: look for it once
    curated = _curated_sayings()
    for entry in lexicon():
        if entry.english or entry.say not in curated:
            continue
        for term in entry.means:
            term = search_key(term)
            if term not in passages_with:
                passages_with[term] = [k for k, key in enumerate(keys) if term in key]
            having = passages_with[term]
            if len(having) <= EVERYDAY_SPECIFIC:
                for k in having:
                    if entry.say not in out[k] and entry.say not in keys[k] and len(out[k]) < EVERYDAY_WORDS:
                        out[k].append(entry.say)
    return out


_WORDY = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Entry], dict[str, list[int]], tuple]:
    chinese = {e.say: e for e in lexicon() if not e.english}
    lengths: dict[str, list[int]] = {}   # first character -> lengths of the words starting with it
    for say in chinese:
        lengths.setdefault(say[0], []).append(len(say))
    lengths = {c: sorted(set(ns), reverse=True) for c, ns in lengths.items()}
    english = [e for e in lexicon() if e.english]
    by_word = {e.say: e for e in english}
    pattern = None
    if english:
        alternation = "|".join(re.escape(e.say) for e in english)   # already longest first
        pattern = re.compile(rf"(?<![a-z])({alternation})s?(?![a-z])")
    return chinese, lengths, (pattern, by_word)


def entry_for(say: str) -> Entry | None:
    """The Chinese entry for a word exactly as the lexicon lists it (normalised), if any."""
    return _tables()[0].get(say)


def find_terms(key: str, gapped: bool = False,
               gazette_says: Callable[[str], bool] | None = None) -> list[tuple[Entry, int, int]]:
    """Chinese entries whose word occurs in the normalised question, as (entry, start, end), not overlapping.

    Words are looked up by substring in a dict, longest first; with gapped, also words said with a few
    characters inside them ("没批就自己盖" holds 没批就盖): longer words first, and among words as long, the
    one said whole, unless the gapped one holds it ("环球影城周边": 环球周边, not 环球影城). A stretch the
    gazette itself says (gazette_says) is its own words, not a lexicon word with a gap ("政府常务会").
    """
    chinese, lengths, _ = _tables()
    found = []
    for i, ch in enumerate(key):
        for n in lengths.get(ch, ()):
            if i + n > len(key):
                continue
            entry = chinese.get(key[i:i + n])
            if entry is not None:
                found.append((entry, i, i + n))
    if gapped:
        gapped_hits = [h for h in _gapped_terms(key) if gazette_says is None or not gazette_says(key[h[1]:h[2]])]
        # a gapped word holding a shorter whole word says more ("环球影城周边": 环球周边 over 环球影城); a whole
        # word over the same stretch is the word itself ("残疾人居家")
        found = [h for h in found if not any(s <= h[1] and h[2] <= e and h[2] - h[1] < e - s
                                             for _, s, e in gapped_hits)] + gapped_hits
    return _longest_first(found, len(key))


GAPPED_MIN = 4   # lexicon words this long may be found with a few characters said inside them
GAP = 2          # ... at most this many, in one place: "没批就自己盖" holds 没批就盖, "环球影城周边" 环球周边
PLACE_GAP = 5    # ... or this many when they say where, starting with 在


@lru_cache(maxsize=1)
def _gapped() -> dict[str, list[str]]:
    """First character -> the lexicon's Chinese words of GAPPED_MIN or more that start with it."""
    out: dict[str, list[str]] = {}
    for say in _tables()[0]:
        if len(say) >= GAPPED_MIN:
            out.setdefault(say[0], []).append(say)
    return out


def _gapped_terms(rest: str) -> list[tuple[Entry, int, int]]:
    """Lexicon words said with a few characters inside them, as (entry, start, end) over the whole stretch. The
    gap holds no space or punctuation. Residents put words inside in two places and drop little ones
    ("塌下去一个大坑" says 塌了个坑, "杨树上全是虫子" 树上有虫): a light character of the word (LIGHT) may be left
    out, up to LOOSE_GAPS gaps, the stretch at most LOOSE_SPAN characters longer than the word, which must be
    said from its first character to its last."""
    chinese, by_start = _tables()[0], _gapped()
    found = []
    for i, ch in enumerate(rest):
        for say in by_start.get(ch, ()):
            end = _said_loosely(say, rest, i)
            if end is not None:
                found.append((chinese[say], i, end))
    return found


LIGHT = frozenset("了个有被的一在着把是")   # little words a resident adds or leaves out around a lexicon word
LOOSE_GAPS = 2
LOOSE_SPAN = 3


def _said_loosely(say: str, rest: str, i: int) -> int | None:
    """The end of the stretch from rest[i] that says the lexicon word say with gaps, or None."""
    j, gaps, skipped, widen = i + 1, 0, 0, 0
    limit = min(len(rest), i + len(say) + LOOSE_SPAN)
    for k in range(1, len(say)):
        c = say[k]
        if j < len(rest) and rest[j] == c:
            j, widen = j + 1, 0
            continue
        # the character is not next: a gap of question characters before it (one wider where a light character
        # was said differently: 塌[下去一]个), or a light one left out
        # ... or a place said between the thing and what happened to it ("飞机在通州出事"): 在 and a few characters
        placed = rest[j:j + 1] == "在"
        at = rest.find(c, j, limit + (PLACE_GAP - GAP if placed else 0))
        last = k == len(say) - 1
        if at > j and gaps < LOOSE_GAPS and at - j <= (PLACE_GAP if placed else GAP + widen) \
                and _WORDY.fullmatch(rest[j:at]):
            gaps, j, widen = gaps + 1, at + 1, 0
        elif c in LIGHT and not last:
            skipped, widen = skipped + 1, 1
        else:
            return None
    if not gaps and not skipped:
        return None   # said whole: find_terms's exact look-up has it
    return j if len(say) - skipped >= 3 else None


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words of the lexicon's English entries ("defibrillator", "elevator"), for spelling correction."""
    return frozenset(w for e in lexicon() if e.english for w in re.findall(r"[a-z]+", e.say))


def find_english(spaced: str) -> list[tuple[Entry, int, int]]:
    """English entries in the question (lower case, spaces kept): whole words, a plural "s" allowed. Every
    word starting where a word starts is found, then the longest wins where two overlap ("new bus routes":
    bus route, not new bus)."""
    _, _, (pattern, by_word) = _tables()
    if pattern is None:
        return []
    found = []
    for start in (m.start() for m in re.finditer(r"(?<![a-z])[a-z]", spaced)):
        m = pattern.match(spaced, start)
        if m:
            found.append((by_word[m.group(1)], m.start(), m.end()))
    return _longest_first(found, len(spaced))


def _longest_first(found: list[tuple[Entry, int, int]], size: int) -> list[tuple[Entry, int, int]]:
    """The hits that do not overlap a longer (or, among equals, earlier) one, in question order."""
    if len(found) < 2:
        return found
    # by the word's own length (a gapped hit's stretch is longer than its word), a word said whole first
    found.sort(key=lambda h: (-len(h[0].say), (h[2] - h[1]) - len(h[0].say), h[1]))
    taken = [False] * size
    hits = []
    for entry, start, end in found:
        # two words may share the character where they meet ("乡村路窄": 村路 and 路窄) when they mean different
        # things; sharing more, or meaning the same ("盖房子" and "翻盖"), one of them is the word said
        shared = [h for h in hits if h[1] < end and start < h[2]]
        if any(taken[start + 1:end - 1]) or (taken[start] and taken[end - 1]) \
                or any(h[0].means == entry.means for h in shared):
            continue
        for i in range(start, end):
            taken[i] = True
        hits.append((entry, start, end))
    return sorted(hits, key=lambda h: h[1])


@lru_cache(maxsize=1)
def list_words_pattern() -> re.Pattern:
    """"负责哪些", "管什么": with a name, the question asks for the list of what it handles."""
    return re.compile(read_toml("intents.toml")["list_words"])


@lru_cache(maxsize=1)
def role_asked() -> re.Pattern:
    """"应急委的主任是谁担着", "谁来当组长": a role of a body asked about in other words than "由谁担任"
    (intents.toml roles)."""
    roles = read_toml("intents.toml")["roles"]
    # "主任一般是谁来当": how often or by what rule may stand between the role and who
    return re.compile(rf"((?:执行)?副?(?:{roles}))(?:一般|通常|都|现在|目前|按规定|平时)*(?:是谁|谁(?:来)?(?:当|担任|担着|兼任))"
                      rf"|谁(?:来)?(?:当|担任)((?:执行)?副?(?:{roles}))")


@lru_cache(maxsize=1)
def english_roles() -> list[tuple[re.Pattern, str]]:
    """English wordings of a role ("whochairs") and the gazette's roles they may stand for (intents.toml)."""
    return [(re.compile(asks), roles) for asks, roles in read_toml("intents.toml")["english_roles"].items()]


@lru_cache(maxsize=1)
def measure_classes() -> dict[str, str]:
    """Measure word -> the measures counting the same things, as one alternation (intents.toml)."""
    return dict(read_toml("intents.toml").get("measure_classes", {}))


@lru_cache(maxsize=1)
def measure_pattern() -> re.Pattern:
    """"多少字", "几个人": the measure word a figure answering the question comes with (group 1)."""
    return re.compile(rf"(?:多少|几)({read_toml('intents.toml')['measures']})")


@lru_cache(maxsize=1)
def intent_patterns() -> list[tuple[str, re.Pattern]]:
    """(intent, one pattern for all its expressions), in the order they are tried."""
    data = read_toml("intents.toml")
    patterns = dict(data["patterns"])
    patterns["greeting"] = [*patterns["greeting"], patterns["ack"]]   # "好的", "嗯": nothing asked, nothing searched
    return [(k, re.compile("|".join(f"(?:{p})" for p in patterns[k]))) for k in data["order"]]


@lru_cache(maxsize=None)   # a fixed set of names (intents.toml [patterns]), asked on every question
def words_pattern(name: str) -> re.Pattern:
    """One of intents.toml's [patterns] that is a single expression: "thanks", "bye", "done"."""
    return re.compile(read_toml("intents.toml")["patterns"][name])


@lru_cache(maxsize=1)
def docfact_pattern() -> re.Pattern:
    """Words asking about a named document itself: its 文号, date, content, what it replaced."""
    return re.compile("|".join(f"(?:{p})" for p in read_toml("intents.toml")["patterns"]["docfact"]))


@lru_cache(maxsize=1)
def issue_pattern() -> re.Pattern:
    """Words asking about the gazette issue itself: which documents it holds, when it came out."""
    return re.compile("|".join(f"(?:{p})" for p in read_toml("intents.toml")["patterns"]["issue"]))


@lru_cache(maxsize=1)
def answer_types() -> list[tuple[re.Pattern, re.Pattern, bool, str]]:
    """(what a question asks for, what a passage must hold to answer it, whether only the best answer may
    hold it, what to call it when declining), from intents.toml."""
    return [(re.compile(t["asks"]), re.compile(t["needs"]), t.get("first", False), t.get("said", ""))
            for t in read_toml("intents.toml").get("answer_types", [])]


@lru_cache(maxsize=1)
def answer_preferences() -> list[tuple[re.Pattern, re.Pattern, frozenset[str]]]:
    """(what a question asks for, what a passage that answers it usually holds, the intents it applies to: all
    when empty), from intents.toml."""
    return [(re.compile(t["asks"]), re.compile(t["prefers"]), frozenset(t.get("intents", ())))
            for t in read_toml("intents.toml").get("prefers", [])]


@lru_cache(maxsize=1)
def question_phrases() -> re.Pattern:
    return re.compile(read_toml("intents.toml")["strip"])


@lru_cache(maxsize=1)
def out_of_scope_pattern() -> re.Pattern:
    """Chinese patterns, on the normalised question (no spaces)."""
    return re.compile("|".join(f"(?:{p})" for p in read_toml("outofscope.toml")["patterns"]))


@lru_cache(maxsize=1)
def out_of_scope_english() -> re.Pattern:
    """English patterns, on the question with its spaces so that words have edges."""
    return re.compile("|".join(f"(?:{p})" for p in read_toml("outofscope.toml").get("english", [])) or "(?!)")


@lru_cache(maxsize=1)
def procedure_english() -> re.Pattern:
    """"how do I apply for…", on the question with its spaces (outofscope.toml english_procedure)."""
    return re.compile(read_toml("outofscope.toml").get("english_procedure") or "(?!)")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("knowledge").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(search_key(w) for w in text.splitlines() if w.strip() and not w.startswith("#"))
