"""Lexical candidates and their ranking: BM25 over the inverted index, coverage of the question's concepts,
sentence-level reranking, typo correction, and whether the best passage answers the question at all."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from .answers import PLAN_COLUMN
from .datafiles import read_toml
from .glossary import LOOSE_WORD_SIZE, WORD_SIZE
from .lexicon import entry_for
from .references import cn_number
from .query import SECONDARY_MEANING, Concept, Query, intern, term_features
from .tokens import bigrams, numerals, words
from .tuning import STATED_NUMBER_BOOST, SHORT_QUESTION, DOMINANT_CHAR_COVERAGE, UNKNOWN_WORDY, WORDY_QUESTION, WORDY_WHO_TOPIC, TYPO_SIMILARITY, ANSWER_COVERAGE, GLOSS_WEIGHT, PREFER_BOOST, CHAR_COVERAGE, CHAR_COVERAGE_WHO, CHAR_COVERAGE_WHO_TOPIC, MEASURE_BOOST, PLAN_DRAFTER, PLAN_DRAFT_ASKED, WHO_TOPIC_COVERAGE, PER_CONCEPT, CANDIDATE_FEATURES, PARTS_CACHE, TELLING, SENTENCE_RERANK, RERANK


_CJK = re.compile(r"[\u4e00-\u9fff]")
_PLANS = re.compile(r"预案|编制|plan", re.I)
# "…有专门的应急预案吗？是哪个部门编的": the plan, then who drafts it, across a question mark
_DRAFTED = re.compile(r"预案[^。！!]{0,10}?(编|起草|制定)|(编|起草|制定)\w{0,4}预案|draft[^.!]{0,50}?plan|plan[^.!]{0,30}?draft", re.I)
_ENGLISH_NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                                 "thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                                                 "twenty".split())}


@lru_cache(maxsize=1)
def _counted() -> re.Pattern:
    """A count said with what it counts: "5个", "五个", "20条", "the 5 old…", "five old…"; not a year ("2022年"),
    nor "一" or "one", which say "per" and "which" as often ("一年几次", "which one is")."""
    measures = read_toml("intents.toml")["measures"] + "|个|部"
    english = "|".join(w for w in _ENGLISH_NUMBERS if w not in ("zero", "one"))   # "which one is": no count
    return re.compile(rf"(?<![\d.])(?P<d>\d+(?:\.\d+)?)(?=\s*(?:{measures}|[a-z]))(?<!\b(?:19|20)\d\d)"
                      rf"|(?P<c>(?!一(?![十百]))[一二两三四五六七八九十百]+)(?=(?:{measures}))"
                      rf"|\b(?P<e>{english})\s+(?=[a-z])")


@lru_cache(maxsize=256)   # asked of every ranking of a question, and again by fusion
def stated_numbers(text: str) -> tuple[re.Pattern, ...]:
    """The counts a question says ("那5个老旧小区", "那五个", "the five old compounds"), each as a pattern finding
    it as a whole number in a passage ("5" is not the 5 of "15")."""
    numbers = set()
    # a number naming an item or a document ("document no. 2", "item 35", "第35项") counts nothing
    text = re.sub(r"(?:\bno\.?|\bnumber|#|\bitem|\btask|\bdocument|\bdoc|\bproject|\barticle|第)\s*\d+", " ",
                  text.lower())
    for m in _counted().finditer(text):
        if m.group("d"):
            numbers.add(m.group("d"))
        elif m.group("c") and (n := cn_number(m.group("c"))) is not None:   # 两 too
            numbers.add(str(n))
        elif m.group("e"):
            numbers.add(str(_ENGLISH_NUMBERS[m.group("e")]))
    return tuple(re.compile(rf"(?<![\d.]){re.escape(n)}(?![\d.])") for n in sorted(numbers))


_ASKING = re.compile(r"多(少|大|长|久|高|远|宽|深|重)")
# characters after a verb that say how it ended ("装好", "修完", "拆掉"), not what was done
_COMPLEMENTS = "好完掉坏了过着"


def _top(n: int, items, score: dict) -> list:
    """The n items with the highest score, the earlier first among equals (heapq.nlargest, but faster here)."""
    return sorted(items, key=score.__getitem__, reverse=True)[:n]


class LexicalRanking:
    """Engine's lexical channel (a mixin: it reads the index, passages and tokenizer Engine builds)."""

    def _concept_parts(self, c: Concept) -> tuple[dict[str, float], list[tuple[float, float, list[tuple[str, float]]]]]:
        """A concept's candidate features (feature -> weight) and its coverage alternatives.

        A lexicon word, name or correction always stands for the same features, so its parts are
        worked out once; the words of a question are worked out each time.
        """
        key = (c.label, c.via) if c.via and c.core is None else None
        if key in self._parts:
            return self._parts[key]
        idf = self.index.idf
        strong: dict[str, float] = {}
        usual = c.alternatives[0]   # features of the usual meaning weigh fully, the others less
        alts = []
        # every meaning of a lexicon word brings its own candidates; plain words bring theirs by their
        # words, not by pairs across word boundaries (rare, but only because they are accidents)
        for k, alt in enumerate(c.alternatives if c.core is None else [c.core]):
            top = _top(CANDIDATE_FEATURES, [f for f in alt if f in idf], idf)
            for f in top:
                if idf[f] >= TELLING * idf[top[0]]:   # "事件" in "金融突发事件" brings noise, not candidates
                    strong[f] = 1.0 if f in usual else SECONDARY_MEANING
            if c.via:   # a gazette term: a spelling the index never saw says nothing against a passage
                alt = [f for f in alt if f in idf] or alt
            weighted = [(f, idf[f] if f in idf else self._coverage_weight(f)) for f in alt]
            alts.append((1.0 if k == 0 else 0.9, sum([w for _, w in weighted]) or 1.0, weighted))
        if key is not None:
            if len(self._parts) >= PARTS_CACHE:
                self._parts.clear()
            self._parts[key] = (strong, alts)
        return strong, alts

    def _coverage_weight(self, f: str) -> float:
        """idf; an unknown word whose parts are known ("燃气灶") weighs like its known parts."""
        if f in self.index.idf or len(f) < 3:
            return self.index.weight(f)
        known = [self.index.idf[b] for b in bigrams(f) if b in self.index.idf]
        return sum(known) / len(known) if known else self.index.oov_idf

    def _coverage(self, plan, pid: int) -> float:
        """Share of the question's concepts (by weight) that the passage covers."""
        feats = self.index.weights[pid]
        total = covered = 0.0
        for weight, alts in plan:
            best = 0.0
            for factor, w_all, weighted in alts:
                hit = 0.0
                for f, w in weighted:
                    if f in feats:
                        hit += w
                if hit:
                    best = max(best, hit / w_all * factor)
            total += weight
            covered += weight * best
        return covered / total if total else 0.0

    def _concept_weights(self, q: Query) -> None:
        for c in q.concepts:
            if c.via:
                # the lexicon knows this word: it is the topic; a dictionary's reading is less sure
                c.weight = GLOSS_WEIGHT if c.gloss else 1.5
                continue
            feats = c.alternatives[0]
            known = [f for f in feats if f in self.index.idf]
            # a word the gazette does not know weighs more: in a few words it is the point; in a long account
            # it is as likely filler ("脚手架搭得摇摇晃晃")
            unknown = 1.6 if len(q.key) <= WORDY_QUESTION else UNKNOWN_WORDY
            c.weight = 1.0 if len(known) >= max(1, len(feats) // 2) else unknown

    def _intent_factors(self, q: Query) -> list[float]:
        """How much each passage's kind suits what the question asks (Engine.factors), in passage order. Who
        drafts a plan (8.3's 牵头编制部门) answers questions about plans; what happened is handled by the department
        the division of labour (2.3.6) names, so a question naming no plan weighs the drafters less."""
        intent = q.intent if q.intent in self.factors else ""
        # "食物中毒事件应急预案是哪个部门编的": who drafts the plan named, not who handles food poisoning
        plans = 2 if _DRAFTED.search(q.key) else int(bool(_PLANS.search(q.key)))
        if (intent, plans) not in self._factors:
            weight = {0: PLAN_DRAFTER, 1: 1.0, 2: PLAN_DRAFT_ASKED}[plans]
            self._factors[(intent, plans)] = [f * weight if p["unit_label"] == PLAN_COLUMN else f
                                              for f, p in zip(self.factors[intent], self.passages)]
        return self._factors[(intent, plans)]

    def _rank(self, q: Query, pool: set[int] | None = None, extra: Iterable[int] = ()) -> list[tuple[float, float, int]]:
        # candidates come from each concept's most telling features; every feature counts in the full score below
        parts = [self._concept_parts(c) for c in q.concepts]
        per_concept = [self.index.score(strong) for strong, _ in parts]
        scores = dict(per_concept[0]) if per_concept else {}
        for part in per_concept[1:]:
            for i, s in part.items():
                scores[i] = scores.get(i, 0.0) + s
        if pool is not None:
            scores = {i: s for i, s in scores.items() if i in pool}
            per_concept = [{i: s for i, s in part.items() if i in pool} for part in per_concept]
        # the best passages overall, plus the best for each concept alone: a frequent topic word must
        # not crowd out the passage that also has the rare word ("本预案的解释")
        candidates = set(_top(RERANK, scores, scores))
        candidates.update(extra)   # passages nearest in meaning, which the question's words alone did not bring
        duties = set()
        if q.duties is not None:   # "区应急委是干什么的": the passages under "区应急委的主要职责", whatever their words
            duties = {i for i, p in enumerate(self.passages) if (pool is None or i in pool) and q.duties.search(p["key"])}
            candidates.update(duties)
        if len(per_concept) > 1:
            for part in per_concept:
                candidates.update(_top(PER_CONCEPT, part, part))
        query = q.features()
        factors = self._intent_factors(q)
        plan = [(c.weight, alts) for c, (_, alts) in zip(q.concepts, parts)]   # how coverage() weighs each concept
        units, leaders = set(q.units), set(q.leaders)
        stated = stated_numbers(q.spaced or q.key)
        all_weights, coverage, query_items = self.index.weights, self._coverage, list(query.items())
        ranked = []
        for i in candidates:
            weights = all_weights[i]
            s = 0.0   # the full BM25 score
            for f, qw in query_items:
                if f in weights:
                    s += qw * weights[f]
            cov = coverage(plan, i)
            final = s * (0.25 + cov) * factors[i]
            if units and not units.isdisjoint(self.passages[i]["units"]):
                final *= 1.5
            if leaders and not leaders.isdisjoint(self.passages[i]["leaders"]):
                final *= 1.5
            if stated and all(n.search(self.passages[i]["text"]) for n in stated):
                final *= STATED_NUMBER_BOOST   # "the 5 old compounds": the item that says 竣工5个, not 新开工15个
            if q.measure is not None and q.measure.search(self.passages[i]["text"]):
                final *= MEASURE_BOOST   # "最多能写多少字": the passage that counts 字 ("不超过5000字")
            for pattern in q.prefers:
                if pattern.search(self.passages[i]["text"]):
                    final *= PREFER_BOOST   # "多久要发布信息": the passage stating a time limit ("24小时内")
            if i in duties:   # a heading naming its duties says more than any passage where it "负责" one thing
                final *= PREFER_BOOST * PREFER_BOOST
            ranked.append((final, cov, i))
        ranked.sort(key=lambda t: -t[0])
        if len(q.concepts) > 1 and len(ranked) > 1:
            # words of the question said together in one sentence beat the same words scattered
            weighted = q.weighted(self.index.weight)
            total = sum(w for _, w in weighted) or 1.0
            head = []
            for final, cov, i in ranked[:SENTENCE_RERANK]:
                best = 0.0
                for sentence in self.sentences[i]:
                    said = 0.0
                    for f, w in weighted:
                        if f in sentence:
                            said += w
                    best = max(best, said)
                head.append((final * (0.6 + 0.4 * min(1.0, best / total)), cov, i))
            ranked = sorted(head, key=lambda t: -t[0]) + ranked[SENTENCE_RERANK:]
        return ranked

    def _char_coverage(self, q: Query, pid: int) -> float:
        """Share of the question's content characters the passage accounts for (a lexicon word counts whole)."""
        feats = self.index.weights[pid]
        total, covered = q.loose, 0
        for c in q.concepts:
            size = len(c.label) if _CJK.search(c.label) else \
                (LOOSE_WORD_SIZE if c.gloss else WORD_SIZE) * len(c.label.split())   # English: by words
            total += size
            if c.via:
                if any(sum(f in feats for f in alt) * 2 >= len(alt) or alt[0] in feats for alt in c.alternatives):
                    covered += size
                continue
            seg = c.label
            for j in range(len(seg)):
                if seg[j:j + 2] in feats or (j and seg[j - 1:j + 1] in feats) or seg[j] in feats:
                    covered += 1
        return covered / total if total else 0.0

    def _answerable(self, q: Query, top: tuple[float, float, int], dominant: bool = False) -> bool:
        """Enough of the question is covered, or one lexicon topic fully and the rest only by other topics
        (or, when the passage stands far above every other, by none: "河边", "脏水" are just how people talk)."""
        _, cov, i = top
        feats = self.index.weights[i]
        full = self._said_in_full(q, i)
        asks_who = q.intent in ("who", "co", "leader")
        # "手机突然全没信号了，这种通信故障谁来处置": asking who handles it, people describe it at length; a
        # passage naming who handles the very thing the lexicon recognised answers, whatever else they say
        # ... a word the lexicon holds or a run of words the dictionary reads as one ("winter olympics"), not an
        # English word it read alone ("night" -> 夜晚 in "my neighbour's dog barks all night")
        p = self.passages[i]
        # ... and asking when, a passage giving the deadline of that very thing ("曹园几条新路啥时候能修完")
        # ... and asking how many at length, a passage giving a figure in what is counted ("…我想知道区里今年总共要
        # 培训多少人": 3.2万人; asked in a few words, the words say which figure)
        holds = bool(p["units"] or p["leaders"]) if asks_who else bool(p["deadline"]) if q.intent == "when" \
            else bool(q.measure.search(p["text"])) if q.intent == "target" and q.measure is not None \
            and len(q.key) > WORDY_QUESTION else False
        described = holds and any(not c.gloss or " " in c.label for c in full)
        topic = CHAR_COVERAGE_WHO_TOPIC if len(q.key) <= WORDY_QUESTION else WORDY_WHO_TOPIC
        # ... and far ahead of every other passage, saying a lexicon word whole, a passage is what the story
        # around that word asks about ("我嫁到外村了，娘家村里能不能把我的承包地收回去": 土地承包经营权). Only asking
        # what a rule says (asking when or how much, the passage must hold the point asked), in more than a few
        # words (in a few, each is the point), with a word the lexicon holds (one only near it, "面积多大" ≈
        # 补多大面积, names no topic), in Chinese (English read word by word carries what it asks in the words
        # around: "has it opened yet")
        topical = dominant and q.intent == "clause" and len(q.key) > SHORT_QUESTION \
            and any(c.from_lexicon for c in full) and not any(c.gloss for c in q.concepts)
        # ... and far ahead of every other, saying a run of four or more of a long account's characters as they
        # stand ("…妇女的土地承包经营权到底能不能这样被拿掉"): the account is told around that very thing
        anchored = dominant and len(q.key) > WORDY_QUESTION \
            and any(not c.via and len(c.label) >= 4 and c.label in p["key"] for c in q.concepts)
        needed = topic if described else WORDY_WHO_TOPIC if anchored \
            else CHAR_COVERAGE_WHO if dominant and (asks_who or topical) else CHAR_COVERAGE
        if self._char_coverage(q, i) < needed:
            return False
        if cov >= ANSWER_COVERAGE:
            return True
        idf = self.index.idf
        # a word no passage has cannot be missing from this one: filler or the story around the point
        # ("有没有什么家庭养老床位之类的", "自来水有股味儿"); asking who, only in a passage naming one (one naming
        # nobody gives way to a runner-up that does: Engine._who_by_meaning)
        filler_ok = not asks_who or p["names_unit"]
        unmatched_plain = [c for c in q.concepts if not c.via and not any(f in feats for f in c.alternatives[0])
                           and (any(f in idf for f in c.alternatives[0]) or not filler_ok)]
        floor = WHO_TOPIC_COVERAGE if described or anchored else ANSWER_COVERAGE * 0.6
        # no lexicon word at all ("应急拨款手续多久办完"): a passage far ahead of every other that holds most of
        # the question's characters says it in the gazette's own words
        spelt_out = dominant and self._char_coverage(q, i) >= DOMINANT_CHAR_COVERAGE
        return (bool(full) or spelt_out) and (not unmatched_plain or dominant or described) and cov >= floor

    def _said_in_full(self, q: Query, i: int) -> list[Concept]:
        """The question's lexicon words that passage i says in full, in one of their meanings."""
        feats, idf = self.index.weights[i], self.index.idf
        return [c for c in q.concepts if c.via and any(
            all(f in feats for f in alt if f in idf) and any(f in feats for f in alt) for alt in c.alternatives)]

    def _may_stand_for(self, typed: str, term: str) -> bool:
        """Whether a question's word may be read as a gazette term of the same length: when it names the same
        thing (its last character, which names it, is the term's: "护理床位" for 照护床位; "电梯装好" for 电梯加装,
        好 only saying it is done), or when each character it changed sounds like the term's: a pinyin input
        method offers the characters of the sound typed ("加装店梯": 电), not another word's ("网上传疯了" is no
        misspelt 网上传言). Readings unknown (an older store): any change."""
        named = typed.rstrip(_COMPLEMENTS) or typed   # "电梯装好": 好 says it is done; 装 names the thing
        if len(typed) != len(term) or named[-1] == term[-1] or not self.char_readings:
            return True
        return all(a == b or set(self.char_readings.get(a, ())) & set(self.char_readings.get(b, ()))
                   for a, b in zip(typed, term))

    def _correct_typos(self, q: Query) -> bool:
        """Replace words the gazette never uses by the closest term it does ("加装店梯" -> "加装电梯")."""
        changed = False
        for c in q.concepts:
            if c.via or len(c.label) < 3 or _ASKING.search(c.label):
                continue   # "种多大面积" is no misspelt "补多大面积": the words that ask are not the topic
            grams = bigrams(c.label)
            if all(g in self.index.idf for g in grams):
                continue  # every part is a gazette word: not a typo
            cands: set[str] = set()
            said = numerals(c.label)
            for b in grams:
                cands.update(t for t in self.vocabulary.get(b, ())
                             if 0.75 <= len(t) / len(c.label) <= 1.34 and numerals(t) == said)
            if not cands:
                continue
            # sorted: among equally close words the same one wins in every process (a set's order is not fixed)
            hit = process.extractOne(c.label, sorted(cands), scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
            if hit and hit[0] != c.label and self._may_stand_for(c.label, hit[0]):
                term = hit[0]
                c.alternatives = [intern([term] + words(self.tok, term) + bigrams(term))]
                entry = entry_for(term)
                if entry is not None:   # an everyday word misspelt ("化工厂好像炸" -> 化工厂爆炸): what it means counts
                    c.alternatives = [term_features(self.tok, m) for m in entry.means] + c.alternatives
                c.core, c.via = None, f"{c.label}≈{term}"   # the corrected word, not the misspelt one, is matched
                q.matched.append(f"纠错：{c.label} → {term}")
                changed = True
        if changed:
            q.concepts_changed()
        return changed
