"""Fusion of the lexical and semantic channels: reciprocal-rank fusion, and when an agreement of the two
answers a question the lexical channel alone would decline."""
from __future__ import annotations

import re

from .query import Query
from .ranking import stated_numbers
from .semantic import top_k
from .tuning import (AGREE_TOP, WHO_LEXICAL_LEAD, FIRST_IN_BOTH_CHAR_COVERAGE, FUSE_DEPTH, FUSED_CHAR_COVERAGE, LEXICAL_LEAD,
                     RESCUE_CHAR_COVERAGE, RESCUE_DEPTH, RESCUE_NEAREST, RRF_K, SHORT_QUESTION, WHO_NEAR, WORDY_QUESTION, WORDY_RESCUE_CHAR_COVERAGE,
                     WHO_SEMANTIC_CHAR_COVERAGE, WORDY_CHAR_COVERAGE, WORDY_TOPIC_CHAR_COVERAGE)


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


class Fusion:
    """Engine's fusion step (a mixin: it uses the lexical ranking and the semantic index)."""

    def _fuse(self, q: Query, ranked: list[tuple[float, float, int]]) -> list[tuple[float, float, int]] | None:
        """The lexical and semantic rankings merged by reciprocal rank; an answer when the fused top passage is
        one both channels rank high and that accounts for enough of the question, else None."""
        sims = self.semantic.similarities(q.text)
        top = top_k(sims, FUSE_DEPTH)
        sem_rank = {int(i): r for r, i in enumerate(top)}   # top_k is highest first
        lex = ranked[:FUSE_DEPTH]
        lex_rank = {i: r for r, (_, _, i) in enumerate(lex)}
        cov = {i: c for _, c, i in lex}
        missing = 2 * FUSE_DEPTH
        # what the question asks weighs as in the lexical ranking: asking who, a passage naming a unit
        factors = self._intent_factors(q)
        fused = {i: (1 / (RRF_K + lex_rank.get(i, missing)) + 1 / (RRF_K + sem_rank.get(i, missing))) * factors[i]
                 for i in {*lex_rank, *sem_rank}}
        stated = stated_numbers(q.spaced or q.key)
        says = {i: bool(stated) and all(n.search(self.passages[i]["text"]) for n in stated) for i in fused}
        order = sorted(fused, key=fused.__getitem__, reverse=True)
        wordy = len(q.key) > SHORT_QUESTION
        # English read by the dictionary word by word agrees on anything: with a lexicon word beside it, the
        # passage must say that ("heating subsidy" is not 元宇宙企业房租补贴)
        sure = [c.label for c in q.concepts if c.via and not c.gloss] if any(c.gloss for c in q.concepts) else []
        first, lex_score = ranked[0], {i: score for score, _, i in lex}
        asks_who = q.intent in ("who", "co")
        for i in order[:AGREE_TOP]:
            if sure and not any(c.label in sure for c in self._said_in_full(q, i)):
                continue
            if i != first[2] and first[0] >= LEXICAL_LEAD * lex_score.get(i, 0.0) and first[1] > cov.get(i, 0.0) \
                    and self._answerable(q, first):
                continue   # the words put another passage far ahead, covering more: meaning alone does not outvote it
            if i != first[2] and asks_who and self.passages[first[2]]["units"] and not self.passages[i]["units"] \
                    and first[0] >= WHO_LEXICAL_LEAD * lex_score.get(i, 0.0):
                continue   # asked who, meaning alone does not put a passage naming nobody over the words' item naming one
            if i != first[2] and says.get(first[2]) and not says[i]:
                continue   # "the 5 old compounds": the words' first says 竣工5个; 新开工15个 is another figure
            first_in_both = lex_rank.get(i) == 0 and sem_rank.get(i) == 0
            needed = FIRST_IN_BOTH_CHAR_COVERAGE if first_in_both else FUSED_CHAR_COVERAGE
            if wordy:
                needed = min(needed, WORDY_CHAR_COVERAGE)
            if wordy and first_in_both and any(not c.gloss for c in self._said_in_full(q, i)):
                # "我妈一个人住…总担心她摔了…能装那个一键呼吗": a story around a topic the lexicon recognised, which
                # both channels put first
                needed = min(needed, WORDY_TOPIC_CHAR_COVERAGE)
            if lex_rank.get(i, missing) < AGREE_TOP and sem_rank.get(i, missing) < AGREE_TOP \
                    and self._char_coverage(q, i) >= needed and not self._says_something_else(q, i):
                i = self._naming_instead(q, i, lex_rank, sem_rank)
                rest = [j for j in order if j != i and j in cov]
                scale = ranked[0][0] / fused[order[0]]
                return [(fused[j] * scale, cov.get(j, 0.0), j) for j in [i, *rest]]
        # "公司能不能因为我怀孕就降我工资": a rule put in a resident's words, which the words alone cannot answer.
        # The passage nearest in meaning, which the words rank near the top too and which holds two of the
        # question's telling words, states it
        if self._answerable(q, ranked[0]):
            return None   # the words answer it themselves: nothing to rescue
        # ... of a long story, less: its telling words are few among the filler
        rescue = WORDY_RESCUE_CHAR_COVERAGE if len(q.key) > WORDY_QUESTION else RESCUE_CHAR_COVERAGE
        # ... one of the few nearest, which a model this small often puts a hair apart (8. and 9. of the women's
        # plan, on working women, both at 0.879); the words' own first only as the very nearest: further down,
        # it is the passage the gates above have just turned down
        nearest = next((j for k, j in enumerate(map(int, top[:RESCUE_NEAREST])) if (k == 0 or j != first[2])
                        and lex_rank.get(j, missing) < RESCUE_DEPTH
                        and self._telling(q, j) >= 2 and self._char_coverage(q, j) >= rescue
                        and not self._says_something_else(q, j)), None)
        if nearest is not None:
            rest = [j for j in order if j != nearest and j in cov]
            scale = ranked[0][0] / fused[order[0]]
            return [(fused[order[0]] * scale, cov.get(nearest, 0.0), nearest)] + \
                [(fused[j] * scale, cov.get(j, 0.0), j) for j in rest]
        return None

    def _naming_instead(self, q: Query, i: int, lex_rank: dict[int, int], sem_rank: dict[int, int]) -> int:
        """Asked who handles it, a passage naming nobody ("加强校园及周边平安建设" for trouble at the school gate)
        gives way to one naming a unit that both channels rank close behind ("影响校园安全稳定事件：区教委")."""
        if q.intent not in ("who", "co") or self.passages[i]["units"] or self.passages[i]["names_unit"]:
            return i
        near = [j for j in sem_rank if self.passages[j]["units"] and sem_rank[j] < WHO_NEAR
                and lex_rank.get(j, WHO_NEAR) < WHO_NEAR and self._char_coverage(q, j) >= WHO_SEMANTIC_CHAR_COVERAGE]
        return min(near, key=lambda j: sem_rank[j] + lex_rank[j]) if near else i

    def _says_something_else(self, q: Query, i: int) -> bool:
        """A short question with a word the gazette never uses and the passage lacks ("停车罚款怎么交": 罚款):
        in a few words every word counts, so it asks about something else. Wordy questions carry filler."""
        if len(q.key) > SHORT_QUESTION:
            return False
        feats, idf = self.index.weights[i], self.index.idf
        plain = [c.core or c.alternatives[0] for c in q.concepts if not c.via]
        if any(not any(f in feats or f in idf for f in words) for words in plain):
            return True
        # "谁管流浪狗": a word (one in the dictionary) the gazette never says, of which the passage has only the front (流浪儿童): the
        # last character names the thing, the rest only qualifies it
        text = self.passages[i]["key"]
        return any(len(c.label) >= 3 and _CJK_WORD.fullmatch(c.label) and c.label not in idf
                   and c.label[-1] not in text and self.tok.lcut(c.label, HMM=False) == [c.label]
                   for c in q.concepts if not c.via)
