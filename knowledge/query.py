"""Read a question: what it asks (intent), what it is about (concepts), which names and documents it mentions."""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import jieba

from .deadlines import MAX_DAYS  # "N 天" is read as at most ten years: a longer span overflows dates
from .glossary import LOOSE_WORD_SIZE, in_longer_run, is_english, read_english, spelling
from .pinyin import read_names
from .amounts import as_gazette_names, in_digits
from .lexicon import answer_preferences, answer_types, english_roles, english_words, find_english, find_terms, intent_patterns, list_words_pattern, measure_pattern, role_asked, out_of_scope_english, out_of_scope_pattern, procedure_english, question_phrases, stopwords, words_pattern
from .normalize import search_key
from .references import DOC_NUMBER, cn_number
from .tokens import bigrams, words
from .units import short_names

_QUESTION_WORD = re.compile(r"^(多少|几)[\u4e00-\u9fff]?$|^分几")
# "种多少树", "建几个公园": the amount asked for sits between a verb and its object, which together are the topic
_AMOUNT_INSIDE = re.compile(r"(?<=[\u4e00-\u9fff])(?:多少|几)万?(?:个|条|座|所|家|棵|辆|台|部|处|亩|公里|平方米)?(?=[\u4e00-\u9fff])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_GAP = "\x00"   # where an amount stood inside a phrase
TERM_CACHE = 20_000        # features of recent terms and question segments kept per tokenizer
SECONDARY_MEANING = 0.6   # a lexicon word's first meaning is the usual one
_LATIN_OR_SPACE = re.compile(r"[a-z\s]+")
_LATIN = re.compile(r"[a-z]")
_ENGLISH_WORD = re.compile(r"[a-z]{3}")
_CONTENT = re.compile(r"[\u4e00-\u9fff\d]")
_PUNCTUATION = re.compile(r"[\W_]+")
# a span of time counted ahead ("30天", "两周", "三个月", "2 weeks"): how many days
# (not a date's day: "12月31日前" is a date, not 31 days)
_DAYS = re.compile(r"(?<!月)(?<![\d一二两三四五六七八九十])(\d+|[一二两三四五六七八九十]+)\s*(?:(天|日|days?)|(周(?!年)|个星期|个礼拜|weeks?)|(个月|months?))")
# "多少个村要改造": 个 alone is too common a measure to ask in, but with the one character after it that it counts
# the figure is "40个村", not "5个…公园"; the character stands alone, so no other feature of the question holds it
_COUNTED = re.compile(r"(?:多少|几)个([\u4e00-\u9fff])")
# a number counting something ("7张", "三万人"): "千人" alone is "per thousand people", no count
_AMOUNT = r"(?:\d|[一二两三四五六七八九十])[\d.一二两三四五六七八九十百千万]*"
_OVERDUE = re.compile(r"逾期|超期|过期|期限已过|overdue")
# "主任由谁担任", "执行副主任由谁担任": the role (its 副 and 执行 included) whose holder is asked
# "主任一般由谁担任": the role, then how often or how it is so, then 由谁
_ROLE_ASKED = re.compile(r"((?:执行)?副?[\u4e00-\u9fff]{2})(?:一般|通常|都|是|现在|目前|按规定)*由谁(?:来)?(?:担任|兼任|当|出任)")


def _duties_of(key: str) -> str | None:
    """Asking what a body or an office does ("区应急委是干什么的"): its name (escaped for a pattern), to find the
    passage where it is the subject of its duties ("区应急委的主要职责", "副区长按照分工负责…"); else None."""
    m = next((m for m in words_pattern("duties").finditer(key) if not key[m.end():].strip("?？。!！呢啊呀")), None)
    if m is None or not (subject := _SUBJECT.fullmatch(_OPENING.sub("", key[:m.start()]))) \
            or _NOT_A_NAME.search(subject.group(1)):
        return None
    # "区长" is not the 副区长 or 常务副区长 of a passage
    return rf"(?<![副务]){re.escape(subject.group(1))}"


# what the duties are asked of: the words right before, without "这个" or a trailing 的/是 ("区应急委是干什么的")
_SUBJECT = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:的|是|到底|究竟|平时|主要|一般)*$")
# what a name never holds: a clause asks what to do ("开工前还要干什么", "出了事居委会干啥"), not what a body does
_NOT_A_NAME = re.compile(r"[要该得能需还了我你他她咱想去来把被]|可以")
# ... after any way of opening the question ("我想问一下区应急委是干什么的", "请问，副区长干什么")
_OPENING = re.compile(r"^.*(?:请问|问一下|问问|想知道|打听一下|[^\u4e00-\u9fff])|^(?:这个|那个|咱们?|我们)")


@dataclass(slots=True)
class Concept:
    """One thing the question is about, with the features that stand for it and how much it matters."""
    label: str
    alternatives: list[list[str]]          # each alternative is a list of features (any one alternative may match)
    weight: float = 1.0
    core: list[str] | None = None          # the features coverage is judged on (words, not cross-word pairs)
    via: str | None = None                 # the lexicon entry or correction that produced it
    gloss: bool = False                    # English words read through the dictionary (glossary.py)

    @property
    def from_lexicon(self) -> bool:
        """A lexicon entry's word ("承包地→土地承包经营权"), not a correction or a near-synonym ("面积多大≈…")."""
        return bool(self.via) and "→" in self.via and not self.gloss


@dataclass(slots=True)
class Query:
    text: str
    key: str
    spaced: str
    intent: str = "clause"
    out_of_scope: bool = False
    errand_words: list[str] = field(default_factory=list)   # what made it out of scope, in Chinese ("天气预报"; 怎么申请 for "how do I apply for")
    errand_english: list[str] = field(default_factory=list)   # the English words asking how ("apply", "for")
    doc_numbers: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    days: int | None = None
    measure: re.Pattern | None = None    # "多少字": a passage with a number of 字 ("不超过5000字") says it
    measure_word: str | None = None      # ... and the measure word itself ("字")
    prefers: list[re.Pattern] = field(default_factory=list)   # "多久": a passage stating a time limit says it
    role: re.Pattern | None = None       # "主任由谁担任": the clause saying who holds it leads the answer
    duties: re.Pattern | None = None     # "区应急委是干什么的": a passage headed by its duties ("区应急委的主要职责")
    # "打什么电话": what an answer must hold (a number...), whether only the first answer counts, and what it
    # is called when no answer holds it ("电话号码")
    asks_for: list[tuple[re.Pattern, bool, str]] = field(default_factory=list)
    wants_livelihood: bool = False
    by_number: bool = False   # "第89项说的是哪几个公园": the item asked for is certain, whatever else it lacks
    loose: int = 0       # content characters standing alone ("灯" in "没有灯太黑"), which no feature can match
    loose_runs: list[str] = field(default_factory=list)   # runs of them ("东夏园": a name jieba cuts into characters)
    _features: dict[str, float] | None = field(default=None, repr=False)
    _weighted: list[tuple[str, float]] | None = field(default=None, repr=False)

    def features(self) -> dict[str, float]:
        """Every feature of every concept, weighted so that a concept with many alternatives is not louder."""
        if self._features is None:
            out: dict[str, float] = {}
            for c in self.concepts:
                for k, alt in enumerate(c.alternatives):
                    w = 1.0 if k == 0 else SECONDARY_MEANING
                    for f in alt:
                        out[f] = max(out.get(f, 0.0), w)
            self._features = out
        return self._features

    def weighted(self, weight) -> list[tuple[str, float]]:
        """(feature, its weight in the question times how telling it is), for scoring sentences."""
        if self._weighted is None:
            self._weighted = [(f, weight(f) * w) for f, w in self.features().items()]
        return self._weighted

    def concepts_changed(self) -> None:
        """Call after adding concepts or changing their alternatives: features() is worked out again."""
        self._features = self._weighted = None


_ANYONE = ("公民", "个人")   # how the rules name anyone at all ("普通人有义务报告吗": analyse)

# what a question asking for a name's list holds besides the name, the gazette's own year too
# ("区城市管理委2022年主责的民生实事")
_NOTHING_BUT_LIST = re.compile(r"负责|牵头|主责|承担|的|有|都|是|哪些|什么|(?:2022|今)年度?|[?？!！。，,\s]")
_LIST_VERB = re.compile(r"(都|平时|主要|一般|具体)?(负责|管|有|牵头|分管)?(的)?$")


def detect_intent(key: str, has_unit: bool, has_leader: bool) -> str:
    patterns = dict(intent_patterns())
    for intent, pattern in patterns.items():
        if intent == "unit_list" and not has_unit:
            continue
        if intent == "leader_list" and not has_leader:
            continue
        if pattern.search(key):
            if intent == "when" and _asked_last(key, patterns["who"], pattern):
                return "who"   # "啥时候能手机上亮证，这块谁在推": a Chinese question asks in its last clause
            if intent == "clause" and not words_pattern("asking").search(key):
                return "who"   # "马路中间突然塌下去一个大坑": telling what happened, asking nothing: who handles it
            return intent
    return "clause"


CLAUSE_BREAK = re.compile(r"[，,；;。？?！!]")   # between the clauses of a message


def _asked_last(key: str, later: re.Pattern, earlier: re.Pattern) -> bool:
    """later matches in a clause after the last clause earlier matches in."""
    ends = [m.end() for m in earlier.finditer(key)]
    clauses = [m.start() for m in later.finditer(key)]
    if not ends or not clauses:
        return False
    cut = CLAUSE_BREAK.search(key, max(ends))
    return cut is not None and max(clauses) >= cut.end()


def asked_for(key: str) -> list[tuple[re.Pattern, bool, str]]:
    """What an answer to the normalised question must hold ("打什么电话": a number), whether only the first answer
    counts, and what it is called when none holds it (Query.asks_for)."""
    return [(need, first, said or "您问的这一点") for asks, need, first, said in answer_types() if asks.search(key)]


def analyse(text: str, tok: jieba.Tokenizer, names: "NameMatcher",
            glossary: Mapping[str, list[str]] | None = None,
            gazette_says: Callable[[str], bool] | None = None,
            pinyin_names: Mapping[str, list[str]] | None = None) -> Query:
    """Everything the engine needs to know about a question, without looking at passages yet; glossary
    (glossary.load_glossary) reads English words the lexicon does not hold; gazette_says tells words the
    gazette itself uses (lexicon.find_terms); pinyin_names reads names spelt in pinyin (pinyin.load_names)."""
    written = _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))   # "6,600 homes": the gazette prints 6600
    spaced = " ".join(written.lower().split())
    fixed: list[str] = []
    if glossary and _ENGLISH_WORD.search(spaced):   # "elevaters" -> elevator, before anything reads the words
        spaced, fixed = spelling(spaced, glossary, english_words())
        if fixed:
            written = spaced
    key = words_pattern("none_of").sub(r"没有\1", in_digits(search_key(written)))   # "一个灯都没有": 没有灯
    if gazette_says is not None:
        key = as_gazette_names(key, gazette_says)
    q = Query(text=text, key=key, spaced=spaced)
    q.matched.extend(f"纠错：{f}" for f in fixed)
    named = []
    if pinyin_names and _LATIN.search(spaced):   # "Tongma Road", "Dongxiayuan": the gazette's names in pinyin
        named = read_names(spaced, pinyin_names, lambda w: is_english(w, glossary or {}))
        for label, terms, start, end in named:
            spaced = spaced[:start] + " " * (end - start) + spaced[end:]
            q.concepts.append(Concept(label=label, alternatives=[term_features(tok, t) for t in terms],
                                      via=f"{label}→{'/'.join(terms)}"))
            q.matched.append(f"拼音：{label} → {'、'.join(terms)}")
        q.spaced = spaced
    if _LATIN.search(spaced):   # "the housing commission" names a department: its words are no topic ("housing")
        spaced = q.spaced = names.blank_english(spaced)
    found_english = find_english(spaced) if _LATIN.search(spaced) else []   # English lexicon phrases
    if glossary and found_english:
        found_english = [h for h in found_english if not in_longer_run(spaced, h[1], h[2], glossary)]
    q.errand_words = [m.group(0) for m in out_of_scope_pattern().finditer(key)]
    applying = procedure_english().search(spaced) if _LATIN.search(spaced) else None
    if applying:   # "how do I apply for…": 怎么申请, as the Chinese says it; the English words are no topic
        q.errand_words.append("申请条件" if applying.group("terms") else "怎么申请")
        q.errand_english = applying.group(0).split()
    q.out_of_scope = bool(q.errand_words or _english_out_of_scope(spaced, found_english))

    rest = key
    for m in DOC_NUMBER.finditer(key):
        q.doc_numbers.append(f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号")
        rest = rest.replace(m.group(0), " ")
    q.units, q.leaders, rest = names.find(rest)
    listed = list_words_pattern().search(key)
    if listed and not (q.units or q.leaders):
        # "城管负责哪些事": a short name (units.toml short) is too short to find in a question, except as the
        # whole of what comes before asking for its list
        before = key[:listed.start()]
        said = next((w for w in (before, _LIST_VERB.sub("", before)) if w in short_names()), None)
        if said:
            q.units = [short_names()[said]]
            rest = rest.replace(said, " ", 1)
    alone = _PUNCTUATION.sub("", key)
    if not (listed or q.units or q.leaders) and alone in short_names():
        # "城管" typed alone is a staff look-up of that department, as /unit 城管 is
        q.units = [short_names()[alone]]
        rest, listed = " ", True
    q.intent = detect_intent(key, bool(q.units), bool(q.leaders))
    if q.intent not in ("doc", "due") and listed:
        # "倪德才负责哪些工作", "住建委有哪些民生实事": a name plus "which ones" asks for a list
        if q.leaders:
            q.intent = "leader_list"
        elif q.units:
            q.intent = "unit_list"
    if q.intent in ("unit_list", "leader_list") and _OVERDUE.search(key):
        q.intent = "due"   # "倪德才牵头的任务哪些逾期了": only the overdue ones of that list
    m = measure_pattern().search(key)
    if m:
        q.measure = re.compile(rf"{_AMOUNT}{m.group(1)}")
        q.measure_word = m.group(1)
    elif m := _COUNTED.search(key):
        # counted before or after the number: "1400个学位", "学位1400个"
        q.measure = re.compile(rf"{_AMOUNT} ?个{m.group(1)}|{m.group(1)}[\u4e00-\u9fff]?{_AMOUNT} ?个")
        q.measure_word = "个" + m.group(1)
    q.prefers = [prefers for asks, prefers, intents in answer_preferences()
                 if asks.search(key) and (not intents or q.intent in intents)]
    m = _ROLE_ASKED.search(key) or role_asked().search(key)
    role = next(g for g in m.groups() if g) if m else \
        next((f"(?:{roles})" for asks, roles in english_roles() if asks.search(key)), None)
    if role:   # "区应急委主任由谁担任": the passage saying who the 主任 is ("主任由区长担任"), not its 总协调人 or 副主任
        q.role = re.compile(rf"(?<![副行公室]){role}由[^。；，,]{{1,30}}(担任|兼任)")
        q.prefers.append(q.role)
    subject = _duties_of(key)
    if subject is not None:
        q.duties = re.compile(rf"{subject}(?:的主要职责|的职责|主要职责|职责)")
        q.prefers.append(re.compile(rf"{subject}(?:具体|主要|统一|全面|共同)?(?:负责|按照分工|协助|统筹|承担)"))
        rest = words_pattern("duties").sub(" ", rest)
    q.asks_for = asked_for(key)
    q.days = _span_days(key)
    q.wants_livelihood = "民生实事" in key
    if q.wants_livelihood and (q.units or q.leaders) and q.intent in ("who", "clause") \
            and not _NOTHING_BUT_LIST.sub("", rest.replace("民生实事", "")).strip():
        # "区教委 民生实事", "区教委负责的民生实事": the unit's list of them, as "区教委有哪些民生实事" is
        q.intent = "leader_list" if q.leaders and not q.units else "unit_list"
    if q.wants_livelihood and q.intent in ("unit_list", "leader_list"):
        rest = rest.replace("民生实事", " ")

    split, rest = _terms_across_amounts(rest)
    rest = question_phrases().sub(" ", rest)
    if gazette_says is not None:
        rest = _closed_up(rest, gazette_says)
    anyone = words_pattern("anyone").search(rest) if words_pattern("obliged").search(key) else None
    if anyone:
        # "普通人有义务报告吗": whether anyone must or may, which the rules say of 公民 and 个人
        rest = rest[:anyone.start()] + " " * len(anyone.group(0)) + rest[anyone.end():]
        q.concepts.append(Concept(label=anyone.group(0), alternatives=[term_features(tok, t) for t in _ANYONE],
                                  via=f"{anyone.group(0)}→{'/'.join(_ANYONE)}"))
        q.matched.append(f"词表：{anyone.group(0)} → {'、'.join(_ANYONE)}")
    # lexicon: everyday and English words -> gazette terms
    hits = find_terms(rest, gapped=True, gazette_says=gazette_says)   # "没批就自己盖房" holds 没批就盖
    for entry, start, end in hits:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    hits += split
    said = {entry.means for entry, _, _ in hits}
    english = [h for h in found_english if h[0].means not in said]  # "AED" here is one topic, not two
    for entry, start, end in hits + english:
        means = entry.means
        if entry.say in means:   # the resident's own word is one of its meanings: that one is what they mean
            means = (entry.say, *[m for m in means if m != entry.say])
        alternatives = [term_features(tok, t) for t in means]
        if not entry.english:
            alternatives.append(term_features(tok, entry.say))  # the word itself may be in the gazette too
        q.concepts.append(Concept(label=entry.say, alternatives=alternatives,
                                  via=f"{entry.say}→{'/'.join(entry.means)}"))
        q.matched.append(f"词表：{entry.say} → {'、'.join(entry.means)}")
    if glossary and _ENGLISH_WORD.search(spaced):
        _read_english(q, [(start, end) for _, start, end in found_english], glossary, tok)

    # the rest: runs of content words (stop words and question words removed)
    stops = stopwords()
    segment: list[str] = []
    segments: list[list[str]] = []
    plain = _LATIN_OR_SPACE.sub(" ", rest)
    for token in (_decimals(tok.lcut(plain, HMM=False)) if _CONTENT.search(plain) else ()):   # nothing to cut: skip jieba
        token = token.strip()
        if not token or token in stops or _QUESTION_WORD.match(token) or not _CONTENT.search(token) \
                or _PUNCTUATION.fullmatch(token):
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(token)
    if segment:
        segments.append(segment)
    for tokens in segments:
        seg = "".join(tokens)
        if max(map(len, tokens)) < 2 and not seg.isdigit():
            q.loose += len(seg)  # stray characters cannot be matched, but they are part of the question
            if len(seg) >= 2:
                q.loose_runs.append(seg)
            continue
        q.concepts.append(Concept(label=seg, alternatives=[list(term_features(tok, seg, whole=False))],
                                  core=_core_features(tokens)))
    return q


# a verb and its object with 个 put between them, as people say them ("题个词", "签个字", "办个证"); after a numeral
# or a demonstrative, 个 counts ("两个月", "这个人")
_PARTED = re.compile(r"([\u4e00-\u9fff])个([\u4e00-\u9fff])")
_COUNTS_BEFORE = set("一二两三四五六七八九十百千万几每这那哪整半某各单多少好")


def _closed_up(rest: str, gazette_says: Callable[[str], bool]) -> str:
    """"题个词" -> "题词" where the gazette says the word whole, so it is matched as one; not when 个 begins a word
    the gazette says ("以个人名义": 个人, not 以人)."""
    return _PARTED.sub(lambda m: m.group(0) if m.group(1) in _COUNTS_BEFORE or not gazette_says(m.group(1) + m.group(2))
                       or gazette_says("个" + m.group(2)) else m.group(1) + m.group(2), rest)


def _span_days(key: str) -> int | None:
    """The days a span the question counts ahead covers ("两周" 14, "三个月" 90), at most MAX_DAYS."""
    m = _DAYS.search(key)
    if not m:
        return None
    if len(m.group(1)) > 4:
        return MAX_DAYS
    n = int(m.group(1)) if m.group(1).isdigit() else cn_number(m.group(1))
    if not n:
        return None
    return min(n * (7 if m.group(3) else 30 if m.group(4) else 1), MAX_DAYS)


def _terms_across_amounts(rest: str) -> tuple[list, str]:
    """Lexicon words the amount asked for splits ("种多少树" holds 种树), looked up as if the amount were not
    there, and the question with each such stretch blanked: the word stands for it whole."""
    joined = _AMOUNT_INSIDE.sub(_GAP, rest)
    if _GAP not in joined:
        return [], rest
    where = [i for i, ch in enumerate(joined) if ch != _GAP]   # position in joined of each character kept
    found = []
    for entry, start, end in find_terms(joined.replace(_GAP, "")):
        first, last = where[start], where[end - 1] + 1
        if last - first > end - start:   # it spans a gap
            found.append((entry, first, last))
            joined = joined[:first] + " " * (last - first) + joined[last:]
    if not found:
        return [], rest
    return found, joined.replace(_GAP, " ")


def _decimals(tokens: list[str]) -> list[str]:
    """"1", ".", "5" -> "1.5": the point of a decimal is not punctuation ("1.5万人")."""
    out: list[str] = []
    for token in tokens:
        if len(out) >= 2 and out[-1] == "." and out[-2].isdigit() and token[:1].isdigit():
            out[-2:] = [out[-2] + "." + token]
        else:
            out.append(token)
    return out


def _english_out_of_scope(spaced: str, phrases: list) -> bool:
    """An English errand word ("weather", "passport") outside every lexicon phrase (find_english's hits):
    "severe weather" is a topic of the gazette (气象灾害), "the weather tomorrow" is not."""
    spans = [(start, end) for _, start, end in phrases]
    return any(not any(s <= m.start() and m.end() <= e for s, e in spans)
               for m in out_of_scope_english().finditer(spaced))


def _read_english(q: Query, taken: list[tuple[int, int]], glossary: Mapping[str, list[str]],
                  tok: jieba.Tokenizer) -> None:
    """A concept for each English word or run of words the dictionary places, outside the spans the lexicon
    already read; the words it cannot place still count as part of the question (loose)."""
    text = list(q.spaced)
    for start, end in taken:
        text[start:end] = " " * (end - start)
    found, unknown = read_english("".join(text), glossary)
    for label, terms in found:
        q.concepts.append(Concept(label=label, alternatives=[term_features(tok, t) for t in terms],
                                  via=f"{label}→{'/'.join(terms)}", gloss=True))
        q.matched.append(f"释义：{label} → {'、'.join(terms)}")
    q.loose += unknown * LOOSE_WORD_SIZE


def _core_features(tokens: list[str]) -> list[str]:
    """Words of two or more characters, pairs inside long words, and pairs of adjacent lone characters.

    Pairs across a word boundary ("燃气灶|加装" -> "灶加") are left out: they are noise, not meaning.
    """
    core: list[str] = []
    run = ""
    for t in tokens + [""]:
        if len(t) == 1:
            run += t
            continue
        if len(run) >= 2:
            core.extend(bigrams(run))
        run = ""
        if len(t) >= 2:
            core.append(t)
            if len(t) >= 3:
                core.extend(bigrams(t))
    return list(dict.fromkeys(core))   # not interned: for a question's own words that costs more than it saves


def intern(features: list[str]) -> list[str]:
    """The features without repeats, as the index's own string objects (see Index)."""
    return [sys.intern(f) for f in dict.fromkeys(features)]


def term_features(tok: jieba.Tokenizer, term: str, whole: bool = True) -> list[str]:
    """Features of a lexicon term (the whole term first) or of a run of question words (whole=False)."""
    cache = tok.__dict__.setdefault("_term_cache", {})   # the same terms recur in many questions
    if (term, whole) not in cache:
        if len(cache) >= TERM_CACHE:
            cache.clear()   # a long-running bot sees endless new wordings: keep memory bounded
        key = search_key(term)
        cache[(term, whole)] = intern(([key] if whole else []) + words(tok, key) + bigrams(key))
    return cache[(term, whole)]


class NameMatcher:
    """Finds department names (any spelling) and leaders' names in a question, longest first."""

    def __init__(self, unit_spellings: dict[str, str], leaders: list[str], spelt: dict[str, str] | None = None):
        """spelt: leaders' names in pinyin ("nidecai") -> the name."""
        self.names: dict[str, tuple[str, str]] = {}     # spelling key -> ("unit" | "leader", canonical)
        for spelling, canonical in unit_spellings.items():
            if len(spelling) >= 3:
                self.names[spelling] = ("unit", canonical)
        for name in leaders:
            if name:
                self.names[search_key(name)] = ("leader", name)
        for spelling, name in (spelt or {}).items():
            self.names.setdefault(spelling, ("leader", name))
        # the Latin spellings, as they are written with spaces or hyphens between words and syllables
        latin = sorted((k for k in self.names if re.fullmatch(r"[a-z-]+", k)), key=len, reverse=True)
        self._latin = re.compile("|".join(r"[\s-]*".join(map(re.escape, k)) for k in latin)) if latin else None
        self.lengths: dict[str, list[int]] = {}
        for k in self.names:
            self.lengths.setdefault(k[0], []).append(len(k))
        self.lengths = {c: sorted(set(v), reverse=True) for c, v in self.lengths.items()}

    def blank_english(self, spaced: str) -> str:
        """The question with the departments and people it names in English blanked out ("the water affairs
        bureau", "ni decai"), so the words of a name are not read as topics too."""
        if self._latin is None:
            return spaced
        return self._latin.sub(lambda m: " " * len(m.group(0)), spaced)

    def find(self, key: str) -> tuple[list[str], list[str], str]:
        units: list[str] = []
        leaders: list[str] = []
        out = list(key)
        i = 0
        while i < len(key):
            for n in self.lengths.get(key[i], ()):
                hit = self.names.get(key[i:i + n]) if i + n <= len(key) else None
                if hit:
                    kind, name = hit
                    bucket = units if kind == "unit" else leaders
                    if name not in bucket:
                        bucket.append(name)
                    out[i:i + n] = " " * n
                    i += n - 1
                    break
            i += 1
        return units, leaders, "".join(out)
