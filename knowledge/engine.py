"""The answer engine: route a question to the right passage, unit and deadline, with a citation.

Load once (indexes live in memory), then ask() as often as needed; it never scans every passage:
an inverted index narrows the candidates, then coverage of the question's concepts decides.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import sqlite_utils
from rapidfuzz import fuzz, process

from . import activity, conversation
from .answers import answer_base, best_sentence, in_english, lead_for, to_answer
from .index import Index
from .lexicon import lexicon
from .normalize import search_key
from .lexicon import docfact_pattern
from .query import SECONDARY_MEANING, Concept, NameMatcher, Query, analyse, detect_intent, intern
from .references import DOC_NUMBER, Catalog, Reference, find as find_references, normalise_doc_number
from .scope import Scope
from .semantic import SemanticIndex
from .store import open_store
from .tokens import bigrams, features, make_tokenizer, words
from .units import alias_table

ANSWER_COVERAGE = 0.5      # share of the question's concepts the best passage must cover to be an answer
UNSURE_COVERAGE = 0.62     # below this an answer still comes, with candidates to choose from
DOMINANT = 3.0             # a top hit scoring this many times the next one answers despite stray words
CHAR_COVERAGE = 0.5       # and at least this share of the question's content characters
CHAR_COVERAGE_WHO = 0.35  # ... or this share, asking who handles something, for a dominant top hit
PER_CONCEPT = 3
CANDIDATE_FEATURES = 6
PARTS_CACHE = 10_000       # lexicon words, names and corrections whose features are kept worked out
TELLING = 0.5              # a concept's candidates come from features at least this telling (idf) relative to its best
SENTENCE_RERANK = 4
_SENTENCES = re.compile(r"[^。；;!?！？\n]+")
RERANK = 12                # candidates from the index that get the finer coverage check
FUSE_DEPTH = 20            # how far down each channel's ranking reciprocal-rank fusion looks
RRF_K = 10                 # reciprocal-rank constant: small, so the first few places weigh most
AGREE_TOP = 2              # a passage both channels rank in their first AGREE_TOP is an answer...
FUSED_CHAR_COVERAGE = 0.3  # ... when it also accounts for this share of the question's content characters
FIRST_IN_BOTH_CHAR_COVERAGE = 0.2   # ... or this share when both channels rank it first (wordy questions)
SHORT_QUESTION = 12        # characters: in a question this short an unknown word is the point, not filler
INTENT_BOOST = {
    "who": lambda p: 1.25 if p["units"] else 1.0,
    "unit_list": lambda p: 1.25 if p["units"] else 1.0,
    "leader": lambda p: 1.3 if p["leaders"] else 1.0,
    "co": lambda p: 1.3 if p["co_units"] else (1.1 if p["units"] else 1.0),
    "when": lambda p: 1.3 if p["deadline"] else 1.0,
    "target": lambda p: (1.2 if re.search(r"\d", p["text"]) else 1.0) * (1.3 if p["kind"] == "target" else 1.0),
    "clause": lambda p: 1.15 if p["kind"] == "clause" else 1.0,
    "doc": lambda p: 1.5 if p["kind"] == "document" else 1.0,
}
_LATIN = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
GREETING = "你好！我可以回答通州区政府公报里的问题：谁负责、什么时候完成、目标是多少、文件怎么规定。"
OUT_OF_SCOPE = "这个问题不在区政府公报的范围内。生活服务类问题可拨打 12345 市民服务热线。"


def _top(n: int, items, score: dict) -> list:
    """The n items with the highest score, the earlier first among equals (heapq.nlargest, but faster here)."""
    return sorted(items, key=score.__getitem__, reverse=True)[:n]


class Engine:
    def __init__(self, db: sqlite_utils.Database, today: dt.date | None = None, semantic: bool = True):
        self.db = db
        self.today = today or dt.date.today()
        self.passages = [self._row(r) for r in db.query("select * from passages order by id")]
        self.by_id = {p["id"]: p for p in self.passages}
        self.by_name: dict[str, list[int]] = {}     # unit or leader -> positions of the passages naming it
        self.in_document: dict[str, set[int]] = {}  # 文号 -> positions of its passages
        self.document_passages: dict[str, dict] = {}   # 文号 -> the passage standing for the whole document
        for k, p in enumerate(self.passages):
            p["pos"] = k   # its place in self.passages, where the index and the answer bases keep it
            if p["kind"] == "document":
                self.document_passages.setdefault(p["doc_number"], p)
            for name in dict.fromkeys(p["units"] + p["leaders"]):
                self.by_name.setdefault(name, []).append(k)
            self.in_document.setdefault(p["doc_number"], set()).add(k)
        self.documents = {d["doc_number"]: d for d in db.query("select * from documents")}
        for d in self.documents.values():
            d["repeals"] = json.loads(d["repeals"] or "[]")
        self.replaced = {r["number"]: d["doc_number"] for d in self.documents.values() for r in d["repeals"]}
        self.catalog = Catalog(self.passages, self.documents, self.replaced)
        self.scope = Scope(self.documents)
        self.semantic = SemanticIndex.load(db, [p["id"] for p in self.passages]) if semantic else None
        self.answer_bases = [answer_base(p, self.documents.get(p["doc_number"], {}).get("short_title", ""))
                             for p in self.passages]
        unit_spellings = {}
        for u in db.query("select name, aliases from units"):
            for s in [u["name"], *json.loads(u["aliases"])]:
                unit_spellings[search_key(s)] = u["name"]
        unit_spellings.update({k: v for k, v in alias_table().items() if v in set(unit_spellings.values())})
        for spelling, name in list(unit_spellings.items()):
            if spelling.startswith("区") and len(spelling) >= 4:
                unit_spellings.setdefault(spelling[1:], name)   # people drop the 区: "住建委", "水务局"
        self.unit_names = sorted(set(unit_spellings.values()))
        self.spellings: dict[str, list[str]] = {}
        for spelling, name in unit_spellings.items():
            self.spellings.setdefault(name, []).append(spelling)
        self.leader_names = [r["name"] for r in db.query("select name from leaders") if len(r["name"]) <= 4]
        self.names = NameMatcher(unit_spellings, self.leader_names)
        self.tok = make_tokenizer(self._user_words(unit_spellings))
        docs = []
        for p in self.passages:
            p["key"] = p.get("search_key") or search_key(p["text"])
            docs.append((features(self.tok, p["key"]), features(self.tok, search_key(p["context"] or ""))))
        self.index = Index(docs)
        self.sentences = [_SENTENCES.findall(p["key"]) for p in self.passages]
        self.vocabulary = self._vocabulary()
        self._parts: dict[tuple[str, str], tuple] = {}   # see _concept_parts
        # how much each passage's kind suits each intent; a whole document only answers "which document"
        self.factors = {intent: [boost(p) * (0.5 if p["kind"] == "document" and intent != "doc" else 1.0)
                                 for p in self.passages]
                        for intent, boost in {**INTENT_BOOST, "": lambda p: 1.0}.items()}

    @classmethod
    def load(cls, db_path: Path | str, today: dt.date | None = None, semantic: bool = True) -> "Engine":
        """An engine over the store at db_path (semantic=False: the lexical channel alone)."""
        return cls(open_store(Path(db_path)), today, semantic)

    def use_store(self, db_path: Path | str) -> None:
        """Read and write the store at db_path from now on: where a rebuild put the file it was loaded from."""
        self.db.conn.close()
        self.db = open_store(Path(db_path))

    # ------------------------------------------------------------------ set-up helpers

    @staticmethod
    def _row(r: dict) -> dict:
        for k in ("units", "leaders", "co_units"):
            r[k] = json.loads(r[k] or "[]")
        return r

    def _user_words(self, unit_spellings: dict[str, str]) -> list[str]:
        words_: set[str] = set(unit_spellings) | {search_key(n) for n in self.leader_names}
        for e in lexicon():
            words_.add(e.say)
            words_.update(search_key(m) for m in e.means)
        for d in self.documents.values():
            words_.add(search_key(d["short_title"]))
        for p in self.passages:
            # quoted names in the gazette ("一键呼", "小微项目惠民生") and table cells are terms people use
            words_.update(search_key(m) for m in re.findall(r"[“《]([^”》]{2,12})[”》]", p["text"]))
            if p["kind"] == "row":
                words_.update(search_key(v.split("：", 1)[-1]) for v in p["text"].split("；"))
        return sorted(w for w in words_ if 2 <= len(w) <= 16)

    def _name_features(self, spelling: str) -> list[str]:
        key = search_key(spelling)
        return intern([key] + words(self.tok, key))

    def _vocabulary(self) -> dict[str, list[str]]:
        """Multi-character terms for typo correction, reachable by any of their bigrams."""
        terms: set[str] = {e.say for e in lexicon() if not e.english}
        terms.update(search_key(m) for e in lexicon() for m in e.means)
        terms.update(f for f in self.index.idf if len(f) >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", f))
        by_bigram: dict[str, list[str]] = {}
        for t in terms:
            for b in set(bigrams(t)):
                by_bigram.setdefault(b, []).append(t)
        return by_bigram

    # ------------------------------------------------------------------ asking

    def ask(self, question: str, limit: int = 5, record: bool = True, user_id: int | None = None,
            chat_id: int | None = None, context: dict | None = None) -> dict:
        """Answer one question in the shape of the `ask --json` contract (plus ids for the bot).

        context: what conversation.remember() kept of the previous answer in this conversation; a question
        that names no topic of its own ("那什么时候完成？") is then about that answer.
        """
        question = (question or "").strip()[:500]
        q = analyse(question, self.tok, self.names)
        context = conversation.current(context)
        result = None
        if context and self._follows_up(q):
            result = self._answer_follow_up(q, context, limit)
        if result is None:
            result = self._within_scope(q, self._answer(q, limit))
        result["lang"] = "en" if _LATIN.search(question) and not _CJK.search(question) else "zh"
        if result["lang"] == "en":
            result["lead"] = in_english(result["lead"])
            for a in result["answers"]:
                a["lead"], a["lang"] = in_english(a["lead"]), "en"
        if record and question:
            topic = result["answers"][0]["item"] if result["answers"] else None
            try:
                activity.record_question(self.db, question, result["intent"], bool(result["answers"]),
                                         user_id=user_id, chat_id=chat_id, topic=topic)
            except Exception:  # a read-only or busy store must not cost the user the answer
                pass
        return result

    def _follows_up(self, q: Query) -> bool:
        """The question names nothing of its own: no lexicon word, name, document or item, and it starts like a
        follow-up ("那…", "还有呢") or has no topic words left at all."""
        if conversation.asks_for_more(q.key):
            return True
        if q.units or q.leaders or q.doc_numbers or any(c.via for c in q.concepts):
            return False
        return not q.concepts or conversation.starts_like_follow_up(q.key)

    def _answer_follow_up(self, q: Query, context: dict, limit: int) -> dict | None:
        """The last answer again, with the column this question asks for, or the answers after those shown."""
        ids = [i for i in context.get("ids", []) if i in self.by_id]
        if not ids:
            return None
        q.matched.append(f"追问：{context.get('question', '')}")
        if conversation.asks_for_more(q.key):
            rest = ids[context.get("shown", 1):][:limit]
            if not rest:
                return self._result(q, [], lead="没有更多结果了。", intent="followup")
            answers = [self._compose(q, self.by_id[i], 1.0) for i in rest]
            return self._result(q, answers, intent=context.get("intent") or q.intent)
        if q.intent == "clause":
            q.intent = context.get("intent") or "who"
        answers = [self._compose(q, self.by_id[ids[0]], 1.0)]
        return self._result(q, answers)

    def _within_scope(self, q: Query, result: dict) -> dict:
        """No answer when the question names a year or place that its answer does not ("2023年的GDP目标",
        "海淀区的元宇宙补贴"): the passage would be about something else."""
        if not result["answers"]:
            return result
        top = result["answers"][0]
        p = self.by_id.get(top["id"], {})
        title = self.documents.get(top["doc_number"], {}).get("title", "")
        what = self.scope.unmet(q.key, search_key(f"{top['passage']}{p.get('context', '')}{title}{top['citation']}"))
        if what is None:
            return result
        q.matched.append(f"范围外：{what}")
        return self._result(q, [], lead=self.scope.decline(what), intent="out_of_scope")

    def _result(self, q: Query, answers: list[dict], lead: str = "", note: str | None = None,
                suggestions: list[dict] | None = None, intent: str | None = None) -> dict:
        return {"query": q.text, "intent": intent or q.intent, "lead": lead or (answers[0]["lead"] if answers else ""),
                "note": note, "matched": q.matched, "answers": answers, "suggestions": suggestions or []}

    def _answer(self, q: Query, limit: int) -> dict:
        if not q.key:
            return self._result(q, [], intent="none")
        if q.out_of_scope:
            return self._result(q, [], lead=OUT_OF_SCOPE, intent="out_of_scope")
        if q.intent == "greeting":
            return self._result(q, [], lead=GREETING)
        other_issue = self.scope.outside_issue(q.key)
        if other_issue:
            return self._result(q, [], lead=self.scope.decline(other_issue), intent="out_of_scope")
        ref = find_references(q.key, self.catalog)
        q.doc_numbers = [*([] if ref.by_title else ref.documents), *ref.missing]
        absent = [n for n in ref.missing if n not in self.replaced]
        if absent and not ref.documents:
            return self._result(q, [], lead=f"公报中没有 {absent[0]}。{self.scope.holds}。", intent="doc")
        if ref.items:
            return self._answer_items(q, ref, limit)
        asks_about_document = bool(docfact_pattern().search(q.key))
        if ref.documents and ref.by_title and asks_about_document:
            q.doc_numbers = ref.documents
            return self._answer_document(q, asks_about_document)
        if q.doc_numbers:
            return self._answer_document(q, asks_about_document)
        if q.intent == "due":
            return self._answer_due(q, limit)
        if q.intent == "unit_list" and q.units:
            return self._answer_list(q, self._naming(q.units), limit,
                                     f"{'、'.join(q.units)}")
        if q.intent == "leader_list" and q.leaders:
            return self._answer_list(q, self._naming(q.leaders), limit,
                                     f"{'、'.join(q.leaders)} 牵头")
        if q.units or q.leaders:
            q.matched.append("名称：" + "、".join(q.units + q.leaders))
            if q.concepts:
                # "区审计局受谁领导": the name is part of what the passage must say
                for name in q.units + q.leaders:
                    alts = [self._name_features(s) for s in self.spellings.get(name, [name])]
                    q.concepts.append(Concept(label=name, alternatives=alts, via=f"名称 {name}"))
                q.concepts_changed()
            else:
                # just a name: what that department or leader handles
                pool = self._naming(q.units + q.leaders)
                return self._answer_list(q, pool, limit, "、".join(q.units + q.leaders))
        return self._answer_search(q, limit)

    def _naming(self, names: list[str]) -> list[dict]:
        """The passages that name any of these units or leaders, in gazette order."""
        return [self.passages[k] for k in sorted({k for n in names for k in self.by_name.get(n, ())})]

    # ------------------------------------------------------------------ search

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
                c.weight = 1.5   # the lexicon knows this word: it is the topic
                continue
            feats = c.alternatives[0]
            known = [f for f in feats if f in self.index.idf]
            c.weight = 1.0 if len(known) >= max(1, len(feats) // 2) else 1.6  # unknown words weigh more

    def _rank(self, q: Query, pool: set[int] | None = None) -> list[tuple[float, float, int]]:
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
        if len(per_concept) > 1:
            for part in per_concept:
                candidates.update(_top(PER_CONCEPT, part, part))
        query = q.features()
        factors = self.factors.get(q.intent) or self.factors[""]
        plan = [(c.weight, alts) for c, (_, alts) in zip(q.concepts, parts)]   # how coverage() weighs each concept
        units, leaders = set(q.units), set(q.leaders)
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
            total += len(c.label)
            if c.via:
                if any(sum(f in feats for f in alt) * 2 >= len(alt) or alt[0] in feats for alt in c.alternatives):
                    covered += len(c.label)
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
        # "手机突然全没信号了，这种通信故障谁来处置": asking who handles it, people describe it at length
        needed = CHAR_COVERAGE_WHO if dominant and q.intent in ("who", "co", "leader") else CHAR_COVERAGE
        if self._char_coverage(q, i) < needed:
            return False
        if cov >= ANSWER_COVERAGE:
            return True
        feats = self.index.weights[i]
        full = [c for c in q.concepts if c.via and any(
            all(f in feats for f in alt if f in self.index.idf) and any(f in feats for f in alt)
            for alt in c.alternatives)]
        unmatched_plain = [c for c in q.concepts if not c.via and not any(f in feats for f in c.alternatives[0])]
        return bool(full) and (not unmatched_plain or dominant) and cov >= ANSWER_COVERAGE * 0.6

    def _correct_typos(self, q: Query) -> bool:
        """Replace words the gazette never uses by the closest term it does ("加装店梯" -> "加装电梯")."""
        changed = False
        for c in q.concepts:
            if c.via or len(c.label) < 3:
                continue
            grams = bigrams(c.label)
            if all(g in self.index.idf for g in grams):
                continue  # every part is a gazette word: not a typo
            cands: set[str] = set()
            for b in grams:
                cands.update(t for t in self.vocabulary.get(b, ()) if 0.75 <= len(t) / len(c.label) <= 1.34)
            if not cands:
                continue
            hit = process.extractOne(c.label, cands, scorer=fuzz.ratio, score_cutoff=70)
            if hit and hit[0] != c.label:
                term = hit[0]
                c.alternatives = [intern([term] + words(self.tok, term) + bigrams(term))]
                c.via = f"{c.label}≈{term}"
                q.matched.append(f"纠错：{c.label} → {term}")
                changed = True
        if changed:
            q.concepts_changed()
        return changed

    def _answer_search(self, q: Query, limit: int, pool: set[int] | None = None) -> dict:
        if not q.concepts:
            return self._result(q, [], intent=q.intent if q.intent != "clause" else "none")
        self._concept_weights(q)
        ranked = self._rank(q, pool)
        if (not ranked or ranked[0][1] < UNSURE_COVERAGE) and self._correct_typos(q):
            self._concept_weights(q)
            ranked = self._rank(q, pool)
        answerable = bool(ranked) and self._answerable(
            q, ranked[0], dominant=len(ranked) == 1 or ranked[0][0] >= DOMINANT * ranked[1][0])
        if ranked and not answerable:
            # a close runner-up that covers the question beats a top hit that does not
            for alt in ranked[1:3]:
                if alt[0] >= ranked[0][0] * 0.5 and alt[1] > ranked[0][1] and self._answerable(q, alt):
                    ranked.remove(alt)
                    ranked.insert(0, alt)
                    answerable = True
                    break
        certain = answerable and ranked[0][1] >= UNSURE_COVERAGE
        if pool is None and self.semantic is not None and not certain and ranked:
            fused = self._fuse(q, ranked, answerable)
            if fused is not None:
                ranked, answerable = fused, True
                q.matched.append("语义：词面与语义检索一致")
        if not answerable:
            suggestions = [self._suggestion(i) for _, _, i in ranked[:3]] if ranked and ranked[0][1] >= 0.25 else []
            return self._result(q, [], suggestions=suggestions)
        q.matched.extend(f"词：{c.label}" for c in q.concepts if not c.via)
        floor = min(ranked[0][1], ANSWER_COVERAGE) * 0.8
        answers = [self._compose(q, self.passages[i], score) for score, cov, i in ranked[:limit] if cov >= floor]
        suggestions = []
        if ranked[0][1] < UNSURE_COVERAGE:
            suggestions = [self._suggestion(i) for _, _, i in ranked[:3]]
        return self._result(q, answers, suggestions=suggestions)

    def _fuse(self, q: Query, ranked: list[tuple[float, float, int]], answerable: bool
              ) -> list[tuple[float, float, int]] | None:
        """The lexical and semantic rankings merged by reciprocal rank; an answer when the fused top passage is
        one both channels rank high and that accounts for enough of the question, else None."""
        sims = self.semantic.similarities(q.text)
        top = np.argpartition(-sims, FUSE_DEPTH)[:FUSE_DEPTH]
        sem_rank = {int(i): r for r, i in enumerate(sorted(top, key=lambda i: -sims[i]))}
        lex = ranked[:FUSE_DEPTH]
        lex_rank = {i: r for r, (_, _, i) in enumerate(lex)}
        cov = {i: c for _, c, i in lex}
        missing = 2 * FUSE_DEPTH
        fused = {i: 1 / (RRF_K + lex_rank.get(i, missing)) + 1 / (RRF_K + sem_rank.get(i, missing))
                 for i in {*lex_rank, *sem_rank}}
        order = sorted(fused, key=fused.__getitem__, reverse=True)
        for i in order[:AGREE_TOP]:
            first_in_both = lex_rank.get(i) == 0 and sem_rank.get(i) == 0
            needed = FIRST_IN_BOTH_CHAR_COVERAGE if first_in_both else FUSED_CHAR_COVERAGE
            if lex_rank.get(i, missing) < AGREE_TOP and sem_rank.get(i, missing) < AGREE_TOP \
                    and self._char_coverage(q, i) >= needed and not self._says_something_else(q, i):
                rest = [j for j in order if j != i and j in cov]
                scale = ranked[0][0] / fused[order[0]]
                return [(fused[j] * scale, cov.get(j, 0.0), j) for j in [i, *rest]]
        return None

    def _says_something_else(self, q: Query, i: int) -> bool:
        """A short question with a word the gazette never uses and the passage lacks ("停车罚款怎么交": 罚款):
        in a few words every word counts, so it asks about something else. Wordy questions carry filler."""
        if len(q.key) > SHORT_QUESTION:
            return False
        feats = self.index.weights[i]
        return any(not c.via and not any(f in feats for f in (c.core or c.alternatives[0]))
                   and not any(f in self.index.idf for f in (c.core or c.alternatives[0]))
                   for c in q.concepts)

    def _compose(self, q: Query, p: dict, score: float) -> dict:
        def sentence() -> str:
            return best_sentence(p["text"], q.weighted(self.index.weight), figures=q.intent == "target")
        return to_answer(self.answer_bases[p["pos"]], lead_for(q.intent, p, sentence, self.today), score, self.today)

    def _suggestion(self, i: int) -> dict:
        p = self.passages[i]
        label = f"{p['item']} · {p['doc_number']}"
        return {"id": p["id"], "label": label}

    # ------------------------------------------------------------------ other routes

    def _answer_items(self, q: Query, ref: Reference, limit: int) -> dict:
        """The items a question names by number ("2号文第35项谁负责"), the column it asks for first."""
        q.matched.append(f"条目：{ref.label}" + (f"（{ref.documents[0]}）" if ref.documents else ""))
        if q.intent == "doc":   # "通政发〔2022〕2号第100项完成时限": the 文号 names the item, the rest asks
            q.intent = detect_intent(DOC_NUMBER.sub(" ", q.key), bool(q.units), bool(q.leaders))
        answers = [self._compose(q, self.passages[pos], 1.0) for pos in ref.items[:limit]]
        return self._result(q, answers)

    def _answer_document(self, q: Query, asks_about_document: bool = False) -> dict:
        number = q.doc_numbers[0]
        note = None
        if number in self.replaced:
            current = self.replaced[number]
            note = f"{number} 已被 {current} 废止，以下为现行文件。"
            q.matched.append(f"废止：{number} → {current}")
            number = current
        doc_passage = self.document_passages.get(number)
        if doc_passage is None:
            return self._result(q, [], lead=f"公报中没有 {number}。", intent="doc")
        q.matched.append(f"文号：{number}")
        if q.concepts and q.intent != "doc" and not asks_about_document:
            # a question about something inside that document: search within it
            pool = self.in_document[number]
            inner = self._answer_search(q, 5, pool)
            if inner["answers"]:
                inner["note"] = note
                return inner
        answer = self._compose(Query(text=q.text, key=q.key, spaced=q.spaced, intent="doc"), doc_passage, 1.0)
        return self._result(q, [answer], note=note, intent="doc")

    def _answer_list(self, q: Query, pool: list[dict], limit: int, who: str) -> dict:
        if q.wants_livelihood:
            pool = [p for p in pool if p["kind"] == "livelihood"]
        if q.concepts:
            ids = {p["pos"] for p in pool}
            found = self._answer_search(q, limit, ids)
            if found["answers"]:
                return found
        pool = sorted(pool, key=lambda p: ({"livelihood": 0, "task": 1, "row": 2}.get(p["kind"], 3), p["id"]))
        answers = [self._compose(q, p, 1.0) for p in pool[:limit]]
        lead = f"{who}：共 {len(pool)} 项" if pool else ""
        result = self._result(q, answers, lead=lead)
        result["total"] = len(pool)
        return result

    def _answer_due(self, q: Query, limit: int) -> dict:
        days = q.days or 30
        if "本月" in q.key or "这个月" in q.key:
            nxt = (self.today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            days = (nxt - self.today).days - 1
        items = self.due(days)
        lead = f"{days} 天内到期：{len(items)} 项" if items else f"今后 {days} 天内没有到期的任务。"
        result = self._result(q, items[:limit], lead=lead, intent="due")
        result["total"] = len(items)
        return result

    # ------------------------------------------------------------------ lookups for the bot

    def passage(self, pid: int) -> dict | None:
        """One answer by passage id (buttons carry these, so they work after a restart)."""
        p = self.by_id.get(pid)
        if p is None:
            return None
        lead = lead_for("who", p, lambda: best_sentence(p["text"], []), self.today)
        return to_answer(self.answer_bases[p["pos"]], lead, 1.0, self.today)

    def clause(self, clause_id: str) -> dict | None:
        """The whole provision a passage comes from."""
        row = next(self.db.query("select full_text as text, citation, path from clauses where id = ?", [clause_id]),
                   None)
        return dict(row) if row else None

    def document(self, query: str) -> dict | None:
        """A document by 文号 (repealed numbers lead to the one in force) or by (part of) its title."""
        number = normalise_doc_number(query, self.catalog.prefixes)
        if number:
            number = self.replaced.get(number, number)
            doc = self.documents.get(number)
        else:
            titles = {n: search_key(d["short_title"] + d["title"]) for n, d in self.documents.items()}
            hit = process.extractOne(search_key(query), titles, scorer=fuzz.partial_ratio, score_cutoff=60)
            doc = self.documents.get(hit[2]) if hit else None
        if doc is None:
            return None
        out = dict(doc)
        out["replaced_by"] = None
        return out

    def resolve_unit(self, name: str) -> str | None:
        """Canonical department name for any spelling (or a close typo) of it."""
        units, _, _ = self.names.find(search_key(name))
        if units:
            return units[0]
        hit = process.extractOne(search_key(name), self.unit_names, scorer=fuzz.WRatio, score_cutoff=80)
        return hit[0] if hit else None

    def unit_tasks(self, name: str) -> tuple[str | None, list[dict]]:
        """What a department is responsible for: its tasks, projects and table rows."""
        unit = self.resolve_unit(name)
        if unit is None:
            return None, []
        pool = self._naming([unit])
        pool.sort(key=lambda p: ({"livelihood": 0, "task": 1, "row": 2}.get(p["kind"], 3), p["id"]))
        q = Query(text=name, key=search_key(name), spaced=name, intent="unit_list")
        return unit, [self._compose(q, p, 1.0) for p in pool]

    def due(self, days: int) -> list[dict]:
        """Tasks due between today and today + days, soonest first."""
        end = self.today + dt.timedelta(days=days)
        pool = [p for p in self.passages if p["deadline"] and self.today <= dt.date.fromisoformat(p["deadline"]) <= end]
        pool.sort(key=lambda p: (p["deadline"], p["id"]))
        q = Query(text="", key="", spaced="", intent="due")
        return [self._compose(q, p, 1.0) for p in pool]
