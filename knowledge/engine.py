"""The answer engine: route a question to the right passage, unit and deadline, with a citation.

Where a question goes: query.py reads it (glossary.py: English words no lexicon entry holds); references.py
and scope.py catch exact references and questions about something else; ranking.py (lexical) and semantic.py
find passages, fusion.py merges them; answers.py composes the reply; listings.py serves /unit, /due and /doc.
The numbers they trade on are in tuning.py.

Load once (indexes live in memory), then ask() as often as needed; it never scans every passage:
an inverted index narrows the candidates, then coverage of the question's concepts decides.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import sqlite_utils

from . import conversation, homophones
from .abbreviations import as_short_names, defined_short_names
from .bridge import TermBridge, spans as bridge_spans
from .answers import NO_COUNT, PLAN_COLUMN, TOTAL_ASKED, actor_clause, answer_base, best_sentence, column_asked, detail_line, in_english, lead_for, to_answer
from .calendar import period
from .deadlines import days_left
from .fusion import Fusion
from .glossary import load_glossary
from .pinyin import load_names
from .index import Index
from .lexicon import (answer_types, docfact_pattern, intent_patterns, issue_pattern, lexicon, lexicon_terms,
                      question_phrases, words_pattern)
from .listings import Listings, supporting_asked
from .normalize import search_key, shorten, without_pictures, written_in_english
from .profile import publication_name
from .query import CLAUSE_BREAK, Concept, NameMatcher, Query, analyse, asked_for, detect_intent, intern, term_features
from .ranking import LexicalRanking
from .offices import asked_head, asked_office, holders, posts, with_posts
from .references import DOC_NUMBER, Catalog, Reference, cn_number, find as find_references, names_a_document, names_an_item
from .placenames import common_ending, features_outside_places, road_names
from .scope import Scope, own_places
from .semantic import SemanticIndex, top_k
from .store import open_store
from .tokens import dictionary_nouns, dictionary_verbs, bigrams, features, make_tokenizer, words
from .tuning import TERSE_FOLLOW_UP, AGREE_TOP, FUSE_DEPTH, SIMILAR_FIELD, SIMILAR_ITEM, SIMILAR_MARGIN, RUNNER_UP_CHAR_MARGIN, RUNNER_UP_LEVEL, RUNNER_UP_SHARE, SHORT_QUESTION, WHO_NEAREST, WHO_RUNNERS_UP, WHO_SEMANTIC_DEPTH, WHO_SEMANTIC_CHAR_COVERAGE, ANSWER_COVERAGE, BRIDGE_CLAUSE_CHARS, BRIDGE_FRAME_CHARS, BRIDGE_NAME_DF, BRIDGE_TEXTS, DOMINANT, GENERAL_TERM, GLOSS_SEMANTIC_DEPTH, GLOSSES_ALL_SAID, INTENT_BOOST, SEMANTIC_CANDIDATES, SUGGESTION_WORDS, UNSURE_COVERAGE
from .units import alias_table, english_names, short_names

_SENTENCES = re.compile(r"[^。；;!?！？\n]+")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED = 7   # characters in a row that, found in the gazette, name something of its own (not everyday words)
_ROLE_CLAUSE = re.compile(r"[。；;，,]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
_MEASURED = re.compile(r"(?<![\d.])(\d+(?:分钟|小时|天|日|人|米|公里|万|%))")   # a figure with its measure
# what is left of "民生实事一共有多少项？" around the count besides the title
_COUNT_FILLER = re.compile(r"^(请问|这个|那个|今年的?|(20\d\d年)的?|(北京市)?通州区?的?|全区的?|区里的?)+|(一共|总共|共|总计|合计|具体|都|里面|里|的|有|是|吗|呢|啊|[？?。！!，,\s])+$")
# "…有哪些", "…都有什么", "…清单" ask for a document's items; "…讲的是什么" asks what it is about
_ASKS_ITEMS = re.compile(r"(都|一共|总共)?(有|包括)?哪些(项目|任务|工作|事|内容|项)?$|(具体)?(是|有)哪几(项|个项目)$|(都|一共|总共)有(些)?什么(项目|任务|工作|事)?$|"
                         r"有什么(项目|任务|事项)$|(清单|列表|目录|一览)$|"
                         r"^(list|show)(all|the)*|what(are|is)(in|on)?the")
_ASKS_ARTICLES = re.compile(r"(一共|总共|共|有)?(多少|几)(条|章)|howmany(articles|chapters)")
_ASKS_COUNT = re.compile(r"(一共|总共|共|有)?(多少|几)(项|条)(任务|工作)?|howmany(items|tasks)")
_LIST_COUNT = re.compile(r"^(那|这)?(一共|总共|共|总计)?(有)?(多少|几)(项|个|条|件)?(呢|啊)?[?？]*$|^howmany(arethere|intotal)?[?]*$")
_ASKS_ROWS = re.compile(r"(一共|总共|共|有)?(多少|几)(项|个|行|条)|howmany")   # a table's rows are counted several ways
_ASKS_DATE = re.compile(r"哪天|哪一天|什么时候|啥时候|何时|几号(?!文)|几月几[号日]|日期|哪年|哪一年|when")
_DATED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日(发布|印发|成文)")
# a follow-up naming this district alone ("那通州呢", "我们这儿呢"): after another place's decline, the same question
_OWN_PLACE = re.compile(r"(那|那么|那在)?(通州区?|我们(这儿?|这里|通州)|咱们?(这儿?|这里|通州)|本区|(城市)?副中心)(的|呢|怎么样|那边)*[?？]*"
                        r"|(what|how)about(in)?tongzhou(district)?\??")
# the laws and documents a document is written under, as its opening names them
_BASIS = re.compile(r"[^。；]*?(?:(依据|根据|贯彻落实|遵照|按照|依照)[^。；《]{0,20}《[^》]+》(?:[、和及]?《[^》]+》)*"
                    r"|为(贯彻)?落实[^。；，]{4,40})")
BASIS_LEAD = 120     # characters of that sentence shown
# "工作规则什么时候施行" (intents.toml in_force): the document's own clause on when it takes effect answers
_IN_FORCE = re.compile(r"[^。；]*自[^。；，]{0,8}之日起(施行|实行|生效)")
_LIST_NUMBER = re.compile(r"^\s*[（(]?[\d一二三四五六七八九十]+[)）.、．]")   # "3." is no figure
# words that only point at a document ("8号文", "这个方案里"), not a topic looked for in it
# "怎么申请", "那要怎么报名呢", "how do I apply?": the asking alone, about the last answer
_BARE_ERRAND = re.compile(r"(那|那么|这个|请问)?(我|我们)?(要|该|应该|需要|可以)?(怎么|如何|去哪|在哪)(申请|报名|办理|预约|办)(呢|啊|呀|吗)?[?？。！!]*"
                          r"|(so )?(how|where) (do|can|should) (i|we) (apply|sign up|register)( for it)?[?.!]*")
_FREQUENCY = {"一次", "每年", "每月", "每周", "每天"}   # how often, not what ("多久开一次")
_ITEM_WORDS = {"任务", "项目", "工作", "事项", "内容", "措施", "条目"}   # what a document's list is of
_DOC_WORD = re.compile(r"[\d一二三四五六七八九十]+号文|[\d]+号|(这个|那个)?(文件|方案|规划|预案|意见|规则|通知|措施)(里|中|上)?")
# a reference that names an item ("第200项", "（三十三）", "item 300"), not a count ("100项小微项目")
_SECTION_PATH = re.compile(r"\d{1,2}(?:\.\d{1,2}){2,3}")   # "1.2.3": a section's place, never an amount
_ITEM_ASKED = re.compile(r"^第.*[项条号件个]$|^item|^task|^任务|^no\.|^#|^[（(]|^\d+(st|nd|rd|th)$")
_CLAUSES = re.compile(r"[，。？！、,.?!;；:：\s]+")
# {publication}: the gazette's name for people, from the stored documents' profile ([gazette] name)
GREETING = "你好！我可以回答{publication}里的问题：谁负责、什么时候完成、目标是多少、文件怎么规定。"
THANKS = "不客气！还有问题随时问我。"
BYE = "再见！有问题随时来问。"
ACK = "好的。还有想问的，直接发给我就行。"
NO_SECTION = "公报的文件里没有编号为 {label} 的条文。可以发文号和编号一起查，例如：3号文 2.3.6。"
NO_ITEM_ANYWHERE = "公报的文件里都没有{label}：{most}最多的{name}共 {count} {unit}。查的时候可以带上文件，例如“{example}”。"
WHICH_MATTER = "您问的是哪件事？请说一下具体情况，例如：楼下路灯坏了找谁？"
NEVER_SAID = "公报里没有讲到“{what}”，也就没有写这件事归哪个部门管。可以拨打 12345 市民服务热线反映。"
NAME_NOT_PRINTED = "公报里没有写到{office}的姓名。"
NOT_SAID = "公报里有相关内容，但没有写到{what}。生活服务类问题可拨打 12345 市民服务热线。"
ITEM_NOT_SAYING = "这一项没有写到{what}。"
MIN_SPELLING = 6    # letters of a leader's name in pinyin matched in a question ("yanglei"; "linwei" is 6)
NOT_RECORDED = "公报只写了计划完成时限（{deadline}），没有记载是否已经完成。"
NOT_RECORDED_PLAN = "公报只写了要做的工作，没有记载是否已经完成。"
# an emergency's row says which department handles it afterwards; someone in danger needs the hotlines first
EMERGENCY_CALL = "情况紧急请先拨打 110（报警）、119（火警）或 120（急救）。"
EMERGENCY_FIRST = EMERGENCY_CALL + "下面是公报规定的主责处置部门。"
# the same division of labour for what happened to someone not said to be in danger ("楼里着火谁管")
IF_DANGER_CALL = "如有危险请先拨打 110（报警）、119（火警）或 120（急救）。"
IF_IN_DANGER = IF_DANGER_CALL + "下面是公报规定的主责处置部门。"
_EMERGENCY_NUMBER = "急救电话"       # intents.toml's answer type for "通州急救电话是多少"
_EMERGENCY_COLUMN = "处置主责部门"   # the division of labour's unit column (2.3.6)
NO_ITEM_BEFORE = "请先问一项，例如“2号文第35项”或“民生实事第5项”，再说“下一项”“上一项”。"
PICK_FROM_LIST = "上面是一个列表，请先说是哪一项，例如“第2项什么时候完成”。"
# asking how to apply for, sign up for or arrange something the gazette assigns: it says who, never how
_PROCEDURE = re.compile(r"申请|报名|办理|预约|办证|举报|(?P<papers>材料)")
_TERMS = re.compile(r"(?P<terms>条件|资格)")   # who qualifies: asked before any step of applying
# a step of applying said as a word of its own ("去哪申报"): the errand's, never the topic's (_decline_errand)
_PROCEDURE_WORD = re.compile(r"申请|申报|报名|办理|预约|办证|登记|报批|举报")
ASK_THEM = "{said}，可以向{units}咨询，或拨打 12345 市民服务热线。"
ASK_HOTLINE = "{said}，可以拨打 12345 市民服务热线咨询。"
PROCEDURE_NOT_SAID = "公报没有写{how}。它把这件事交给{units}负责，可以向其咨询，或拨打 12345 市民服务热线。"
PROCEDURE_NOT_SAID_RULE = "公报没有写{how}，只有相关的规定（可点开下面的条目），具体办法可以拨打 12345 市民服务热线咨询。"
NO_SIMILAR = "{where}里没有和它明显相近的条目。"
NO_PLAN = "区级专项应急预案目录里没有和它对应的预案。"
SIMILAR_NOTE = "这是《{title}》{item}，与上一条意思相近，不是同一项。"
OUT_OF_SCOPE = "这个问题不在{publication}的范围内。生活服务类问题可拨打 12345 市民服务热线。"


def _now(pattern: re.Pattern, key: str) -> bool:
    """The danger or incident is told as happening, not as what keeps happening or happened before ("老出车祸",
    "上个月又撞了"; intents.toml not_now, in the few characters before it)."""
    not_now = words_pattern("not_now")
    return any(not not_now.search(key[max(0, m.start() - 8):m.end()]) for m in pattern.finditer(key))


def _plan_subject(plan_text: str) -> str:
    """What a plan of the catalogue is for, from its name: "通州区燃气事故应急预案" -> 燃气."""
    m = re.search(r"预案名称：([^；]+)", plan_text)
    if not m:
        return ""
    # the name up to what kind of plan it is ("火灾事故应急救援预案", "处置恐怖袭击基本预案": 火灾, 恐怖袭击)
    name = re.split(r"(应急|处置|基本)?(救援)?预案", re.sub(r"^(北京市)?通州区", "", m.group(1)))[0]
    return re.sub(r"^处置|突发|事件|事故|灾难|公共|运营", "", name)


def _dated_line(doc_passage: dict) -> str:
    """The line of a document's card that says when it was issued and printed ("…2022年1月12日发布，…印发，…")."""
    return next((line for line in doc_passage["text"].split("\n") if _DATED.search(line)), "")


SCOPE_ANSWERS = 3       # answers looked at for the one naming the year or place asked
SCOPE_RUNNER_UP = 0.7   # of the first answer's score it must have: close to it, not any passage naming the year


_ITEM_NUMBER = re.compile(r"^[\d.]+\s*")   # "2.1.3区应急委的主要职责": the heading without its number
DUTIES_LIST_CHARS = 1500   # a list of duties longer than this is left to the 完整条文 button
_WHEN_ASPECT = re.compile(r"时间|日期|期限|时限")


def _lacking(asks_for: list[tuple[re.Pattern, bool, str]], answer: dict) -> list[str]:
    """What the question asks (a phone number, a date...) that the answer does not give; its deadline counts
    for a date ("几号能装好": 完成时限 2022年12月底前)."""
    said = _said(answer) + (answer.get("deadline_text") or "")
    return [what for need, _, what in asks_for if not need.search(said)]


def _ask_them(said: str, answer: dict) -> str:
    """A note that the gazette does not say something, and whom to ask: the answer's units, else the hotline."""
    units = "、".join(answer.get("units", [])[:3])
    return ASK_THEM.format(said=said, units=units) if units else ASK_HOTLINE.format(said=said)


def _choice_label(words: str, owner: str, english: bool = False) -> str:
    """A choice: the item's own first words as the gazette writes them, then who is responsible for it (in
    English for an English question); a Chinese label whose words already name them ("处置主责部门：区市场监管局")
    does not repeat them."""
    if not owner:
        return words
    if english:
        return f"{words} — {in_english(owner)}"
    return words if owner in words else f"{words}（{owner}）"


def _procedure_asked(errand_words: list[str]) -> re.Match | None:
    """What of a procedure the question asks, if any: who qualifies ("要什么条件") before how to apply."""
    words = "".join(errand_words)
    return _TERMS.search(words) or _PROCEDURE.search(words)


def _how(done: re.Match) -> str:
    """What of a procedure was asked (_procedure_asked): "怎么申请", "需要哪些材料", or "申请条件"."""
    if done.re is _TERMS:
        return "申请条件"
    return "需要哪些材料" if done.group("papers") else f"怎么{done.group(0)}"


def _no_procedure(how: str, units: list[str]) -> str:
    """"公报没有写怎么申请" and whom the gazette makes responsible (its first three), or that it only has the rule."""
    named = "、".join(units[:3])
    return PROCEDURE_NOT_SAID.format(how=how, units=named) if named else PROCEDURE_NOT_SAID_RULE.format(how=how)


def _mostly_in(words: str, named: str) -> bool:
    """Whether nearly all of words' characters stand in named (a title): "交通一体化方案", "元宇宙若干措施"."""
    return sum(ch in named for ch in words) >= 0.8 * len(words)


def _said(answer: dict) -> str:
    """What an answer quotes: its passage and the details line shown under it."""
    return answer["passage"] + "\n" + (answer.get("detail") or "")


class Engine(LexicalRanking, Fusion, Listings):
    """Load once (indexes live in memory), then ask() as often as needed."""

    def __init__(self, db: sqlite_utils.Database, today: dt.date | None = None, semantic: bool = True):
        self.db = db
        self.today = today or dt.date.today()
        self.passages = [self._row(r) for r in db.query("select * from passages order by id")]
        self.by_id = {p["id"]: p for p in self.passages}
        self.by_name: dict[str, list[int]] = {}     # unit or leader -> positions of the passages naming it
        self.by_co_name: dict[str, list[int]] = {}  # unit -> positions of the passages naming it in support
        self.in_document: dict[str, set[int]] = {}  # 文号 -> positions of its passages
        self.document_passages: dict[str, dict] = {}   # 文号 -> the passage standing for the whole document
        for k, p in enumerate(self.passages):
            p["pos"] = k   # its place in self.passages, where the index and the answer bases keep it
            if p["kind"] == "document":
                self.document_passages.setdefault(p["doc_number"], p)
            for name in dict.fromkeys(p["units"] + p["leaders"]):
                self.by_name.setdefault(name, []).append(k)
            for name in dict.fromkeys(p["co_units"] or []):
                self.by_co_name.setdefault(name, []).append(k)
            self.in_document.setdefault(p["doc_number"], set()).add(k)
        # an article -> its numbered parts ("四十六" -> "四十六（一）"…), each a passage of its own
        heads = {(p["doc_number"], p["item"]): k for k, p in enumerate(self.passages) if p["kind"] == "clause"}
        self.parts: dict[int, list[int]] = {}
        for k, p in enumerate(self.passages):
            m = re.fullmatch(r"(.+?)[（(][一二三四五六七八九十]+[）)]", p["item"] or "") if p["kind"] == "clause" else None
            if m and (head := heads.get((p["doc_number"], m.group(1)))) is not None:
                self.parts.setdefault(head, []).append(k)
        self.documents = {d["doc_number"]: d for d in db.query("select * from documents")}
        for d in self.documents.values():
            d["repeals"] = json.loads(d["repeals"] or "[]")
            d["attachments"] = json.loads(d.get("attachments") or "[]")
        self.replaced = {r["number"]: d["doc_number"] for d in self.documents.values() for r in d["repeals"]}
        meta = {r["key"]: r["value"] for r in db.query("select key, value from meta")}
        self.catalog = Catalog(self.passages, self.documents, self.replaced, json.loads(meta.get("romanised", "{}")))
        self._longest_list: int | None = None   # the largest item number any list has, worked out when first asked
        self.scope = Scope(self.documents)
        self.offices = holders([p["text"] for p in self.passages])
        self.posts = posts(self.offices)   # "倪德才" -> 副区长, for the title of his list
        self.rows_by_table: dict[str, list[dict]] = {}   # table title -> its rows, in the gazette's order
        for p in self.passages:
            if (table := self._table_of(p)) is not None:
                self.rows_by_table.setdefault(table, []).append(p)
        # table -> its groups ("自然灾害类"), each with its rows, as the table prints them
        group_of = {(r["doc_number"], r["item"]): r["group_name"]
                    for r in db.query("select doc_number, item, group_name from table_rows")}
        self.plans = [p for rows in self.rows_by_table.values() for p in rows if p.get("unit_label") == PLAN_COLUMN]
        self.groups: dict[str, dict[str, list[dict]]] = {}
        for table, rows in self.rows_by_table.items():
            for p in rows:
                if group := group_of.get((p["doc_number"], p["item"])):
                    self.groups.setdefault(table, {}).setdefault(group, []).append(p)
        self.publication = publication_name(self.documents.values())
        self.semantic = SemanticIndex.load(db, [p["id"] for p in self.passages]) if semantic else None
        self.bridge = TermBridge.load(self.semantic.model) if self.semantic is not None else None
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
        known = set(unit_spellings.values())
        for short, name in short_names().items():
            if name in known and len(short) >= 2:
                # "区城管负责啥", "区住建局有哪些任务": the short name staff use, with the district's 区 and a
                # department's ending, names it as the full name does
                for spelling in (f"区{short}", *((f"区{short}局", f"区{short}委") if short[-1] not in "局委办" else ())):
                    unit_spellings.setdefault(spelling, name)
        unit_spellings.update({k: v for k, v in english_names().items() if v in known})   # "water affairs bureau"
        self.unit_names = sorted(known)
        self.spellings: dict[str, list[str]] = {}
        for spelling, name in unit_spellings.items():
            self.spellings.setdefault(name, []).append(spelling)
        leaders = [r for r in db["leaders"].rows if len(r["name"]) <= 4]
        self.leader_names = [r["name"] for r in leaders]
        # "What does Ni Decai lead?": leaders' names as English speakers spell them
        spelt = {s: r["name"] for r in leaders for s in (r.get("spellings") or "").split() if len(s) >= MIN_SPELLING}
        self.names = NameMatcher(unit_spellings, self.leader_names, spelt)
        # the short names the documents define ("通州区突发事件应急委员会（以下简称区应急委）")
        self.short_names = defined_short_names(p["text"] for p in self.passages)
        # homophone typos ("路等不亮"): the lexicon's own words by sound (an older store has no readings)
        self.char_readings = {r["char"]: r["pinyin"].split() for r in db["char_pinyin"].rows} \
            if db["char_pinyin"].exists() else {}
        self.lexicon_words = {e.say for e in lexicon() if not e.english}
        # typed by sound: residents' words and the gazette's terms they stand for ("燃汽" is 燃气)
        self.sound_table = homophones.by_sound(self.lexicon_words | lexicon_terms(), self.char_readings)
        # the roads and streets lists and ledgers name ("望和路2.052公里"): jieba would cut them into characters
        self.roads = {name for p in self.passages for text in (p["text"], p.get("details") or "")
                      for name in road_names(text)}
        # ... and, with the district's towns, the places a figure may be asked for (longest first): see _unmet
        self.named_places = sorted({n for n in (*self.roads, *own_places()) if len(n) >= 3}, key=len, reverse=True)
        self.tok = make_tokenizer(self._user_words(unit_spellings))
        docs = []
        named = [s for s in unit_spellings if len(s) >= 3]
        places = list(own_places())
        for p in self.passages:
            p["key"] = p.get("search_key") or search_key(p["text"])
            # a paragraph that names a department in its words may say who does it, though no column says so
            p["names_unit"] = bool(p["units"]) or any(s in p["key"] for s in named)
            # a ledger's columns (details) name what the item only totals ("张家湾镇15个")
            docs.append((features_outside_places(self.tok, p["key"], places),
                         features(self.tok, search_key(p["context"] or "")),
                         features_outside_places(self.tok, search_key(p.get("details") or ""), places)))
        self.index = Index(docs)
        self.sentences = [_SENTENCES.findall(p["key"]) for p in self.passages]
        self._gazette_text = "\n".join(p["key"] for p in self.passages)   # see _in_gazette
        self.vocabulary = self._vocabulary()
        rows = db.query("select english, term, sense from glossary") if db["glossary"].exists() else ()
        self.glossary = load_glossary(rows, self.index.df)
        rows = db.query("select pinyin, term from pinyin") if db["pinyin"].exists() else ()
        self.pinyin_names = load_names(rows, self.index.df)
        self._parts: dict[tuple[str, str], tuple] = {}   # see _concept_parts
        # how much each passage's kind suits each intent; a whole document only answers "which document"
        self.factors = {intent: [boost(p) * (0.5 if p["kind"] == "document" and intent != "doc" else 1.0)
                                 for p in self.passages]
                        for intent, boost in {**INTENT_BOOST, "": lambda p: 1.0}.items()}
        self._factors: dict[tuple[str, bool], list[float]] = {}   # see _intent_factors

    @classmethod
    def load(cls, db_path: Path | str, today: dt.date | None = None, semantic: bool = True) -> "Engine":
        """An engine over the store at db_path (semantic=False: the lexical channel alone)."""
        return cls(open_store(Path(db_path), readonly=True), today, semantic)

    # ------------------------------------------------------------------ set-up helpers

    @staticmethod
    def _row(r: dict) -> dict:
        for k in ("units", "leaders", "co_units", "units_shown"):
            r[k] = json.loads(r.get(k) or "[]")
        r["units_shown"] = r["units_shown"] or r["units"]
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
            # and the short names a document defines ("（以下简称区应急办）"), which it goes on to use
            words_.update(search_key(m) for m in re.findall(r"以下简称“?([\u4e00-\u9fff]{2,10})", p["text"]))
            if p["kind"] == "row":
                words_.update(search_key(v.split("：", 1)[-1]) for v in p["text"].split("；"))
        words_.update(self.roads)
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

    # One question down each costly path: a resident's story (jieba's tag table, read on first use) and an
    # English question (the lemmatiser's tables)
    _WARM_UP = ("带孩子去景区玩碰上突发事件，哪个部门管", "who is responsible for street lights")

    def warm(self) -> None:
        """Load what answering reads on first use (about a second of tables), so that the first resident
        after a start or a /reload does not wait for it."""
        dictionary_nouns()
        dictionary_verbs()
        for question in self._WARM_UP:
            self.ask(question)

    def ask(self, question: str, limit: int = 5, context: dict | None = None) -> dict:
        """Answer one question in the shape of the `ask --json` contract (plus ids for the bot). It records
        nothing: callers log questions through knowledge/writer.py.

        context: what conversation.remember() kept of the previous answer in this conversation; a question
        that names no topic of its own ("那什么时候完成？") is then about that answer.
        """
        question = (question or "").strip()[:500]
        # "🛗电梯🆘困人了": pictures between the words would split them
        heard, fixes = self._homophones(without_pictures(question))
        shortened, read = as_short_names(search_key(heard), self.short_names) if self.short_names else ("", [])
        heard = shortened if read else heard
        q = analyse(heard, self.tok, self.names, self.glossary, self._in_gazette, self.pinyin_names)
        q.text = question
        q.matched[:0] = [f"同音纠错：{f}" for f in fixes] + [f"简称：{r}" for r in read]
        # "逾期了吗" alone asks it of the last answer (a topic with it, "食品过期了没人管", asks who handles that);
        # with no question word it reads as telling what happened, which is no who-question either
        asks_overdue = bool(words_pattern("overdue_asked").search(q.key))
        asks_done = asks_overdue or bool(words_pattern("done").search(q.key))
        if asks_done and q.intent in ("clause", "target") or asks_overdue:
            q.intent = "when"   # "这个完成了吗": its deadline, and what the gazette cannot say
        context = conversation.current(context)
        if context and context.get("elsewhere"):
            # "朝阳区的老楼加装电梯谁管" was declined; "那通州呢" asks it of Tongzhou
            if _OWN_PLACE.fullmatch(q.key) and not re.search(r"\d|年", context["elsewhere"]):   # a place, not a year
                again = re.sub(re.escape(context["elsewhere"]) + "区?", self.scope.home_name, context["question"], count=1)
                if again != context["question"]:
                    result = self.ask(again, limit)
                    result["query"] = question
                    result["matched"].insert(0, f"追问：{again}")
                    return result
            context = None   # a decline has no answer to follow up on
        result = None
        terse = False   # a few words asking who or when of the last answer ("谁主持"): see _terse_follow_up
        names_item = names_an_item(q.key)
        # a list shown before, or the list an entry was picked from: "更多" and "第3项" page and pick in it
        listing = context if context and context.get("list") else (context or {}).get("list_context")
        # after a list, any other question is one of its own: a list has no single answer to follow up on
        answered = context if context and not context.get("list") else None
        step = conversation.neighbour(q.key)
        if step and answered and conversation.asks_for_more(q.key) \
                and len(answered.get("ids", [])) > answered.get("shown", 1):
            step = 0   # "下一个" after a search is its next result
        if step and not answered and not (listing and listing.get("ids")):   # an empty list has no next item
            result = self._result(q, [], lead=NO_ITEM_BEFORE, intent="followup")
        elif listing and step and not answered:   # "下一项" / "上一项" after a list: its next or previous page
            result = self._answer_from_list(q, listing, limit, back=step < 0)
        elif listing and step and answered and answered.get("ids", [None])[0] in listing.get("ids", []):
            # an entry picked from the list ("第3项"), then "下一项": the list's next entry, not the document's
            n = listing["ids"].index(answered["ids"][0]) + 1 + step
            result = self._answer_from_list(q, listing, limit, position=n)
        elif listing and (conversation.position(q.key) is not None or conversation.asks_for_page(q.key)):
            result = self._answer_from_list(q, listing, limit)
        elif answered and conversation.picks_result(q.key) is not None:
            result = self._answer_from_list(q, answered, limit)
        elif step and answered:
            result = self._answer_neighbour(q, answered, step)
        elif listing and listing.get("ids") and not answered and not names_item \
                and conversation.asks_of_an_entry(q.key) and q.intent in ("who", "when", "leader", "co", "target") \
                and not conversation.asks_for_more(q.key) and self._follows_up(q) and not self._names_a_topic(q):
            # "这个什么时候完成" after a page of a list: which of them?
            result = self._result(q, [], lead=PICK_FROM_LIST, intent="followup")
            result["kept"] = listing   # the list stays, so that "第2项什么时候完成" picks from it
        elif listing and listing.get("lead") and not answered and _LIST_COUNT.match(q.key):
            # "一共多少项" after a list: its count, which its title says
            result = self._result(q, [], lead=listing["lead"], intent="followup")
            result["kept"] = listing
        elif listing and not answered and (grouped := self._named_group(q, self._table_listed(listing))):
            # "区级专项应急预案有哪些", then "自然灾害类有哪些": that group of the table just listed
            result = self._list_group(q, *grouped, limit)
        elif listing and not answered and (again := self._list_for(q, listing)):
            # "9月到期的任务", then "区交通局呢": the same list, of that unit
            result = self.ask(again, limit)
            result["query"], result["list_question"] = question, again   # "那秦涛呢" next asks it of him
            result["matched"].insert(0, f"追问：{again}")
        elif answered and words_pattern("similar").search(q.key) and (like := self._similar_to(q, answered, limit)) is not None:
            result = like
        elif answered and (again := self._their_work(q, answered)):
            # "谁负责老楼加装电梯", then "他还负责什么": the list of that answer's leader (or, asked of the
            # department, its unit), as "卢庆雷负责什么" gives it
            result = self.ask(again, limit)
            result["query"] = question
            result["matched"].insert(0, f"追问：{again}")
        elif answered and words_pattern("its_plan").match(q.key):
            # "那供热呢", then "对应的应急预案是哪个": the catalogue's plan for that kind of emergency
            plans = self._plan_for(answered)
            q.matched.append(f"追问：{answered.get('question', '')} 的应急预案")
            result = self._result(q, [self._compose(q, p, 1.0) for p in plans], intent="clause") if plans else \
                dict(self._result(q, [], lead=NO_PLAN, intent="followup"), kept=answered)
        elif answered and q.out_of_scope and (declined := self._procedure_of_last(q, answered)) is not None:
            result = declined   # "怎么申请" after the metaverse subsidy: how, for that item, is not in the gazette
        elif answered and (card := self._document_card(answered)) and self._asks_only_its_items(q):
            # "有哪些任务" or "一共几项" after a document's card (/doc 通政办发〔2022〕8号): that document's list
            # (not returned at once: the reply is still in the language of the question, "how many tasks")
            result = self.ask(card + question, limit)
            result["query"] = question
            result["matched"].insert(0, f"追问：{card}{question}")
        elif answered and not names_item and q.intent != "greeting" \
                and (self._follows_up(q) or self._narrows(q, answered) or self._asks_its_column(q, answered)
                     or (terse := self._terse_follow_up(q, answered))):
            # ... or a few words the last answer says, asking who or when of them ("谁主持" after the meeting rule)
            result = self._answer_follow_up(q, answered, limit)
            if result is not None and terse:
                # "常务会议多久开一次", "谁主持": kept as "常务会议谁主持", so "那专题会议呢" next has a topic to swap
                result["asked_as"] = self._topic_of(answered.get("question") or "") + q.key
            if result is not None:
                result = self._within_scope(q, result)   # "那海淀区呢": the answer is Tongzhou's, not Haidian's
                if not result["answers"]:
                    result["kept"] = answered   # the conversation stays on the answer it declined to stretch
            if result is not None and answered.get("list_context"):
                result["list_context"] = answered["list_context"]   # "什么时候完成", then "第3个" of the list
        elif answered and q.intent == "clause" and conversation.starts_like_follow_up(q.key):
            # "那电梯呢" after "路灯谁管": the last question asked again of this topic ("电梯谁管")
            again = self._asked_again(q, answered.get("question") or "")
            if again:
                result = self.ask(again, limit)
                result["query"], result["asked_as"] = question, result.get("asked_as") or again
                result["matched"].insert(0, f"追问：{again}")
                return result
            if answered.get("intent") in ("who", "when", "leader", "co", "target"):
                q.intent = "when" if _WHEN_ASPECT.search(q.key) else answered["intent"]
        if result is None:
            # "那第37项呢": an item number alone is in the document of the answer before
            before = self._first_passage(answered)
            hint = self._item_hint(before) if names_item and before else ""
            result = self._within_scope(q, self._answer(q, limit, hint))
            if not result["answers"] and not result["lead"] and answered and not names_item \
                    and self._said_by_last(q, answered):
                # "一共补多少条路" after the street-light item: found nowhere alone, its words are that answer's
                result = self._within_scope(q, self._answer_follow_up(q, answered, limit) or result)
        if asks_done and result["answers"] and not result.get("note"):
            # "东六环入地改造完成了吗": the gazette plans, it does not report; what it holds stays one tap away. Asking
            # whether it is overdue ("逾期了吗") or will be done in time is answered: the deadline says it. (Asked of
            # a trouble, "楼道着火的事落实了没有", who handles it is the answer: no plan to report on.) Planned work
            # with no deadline ("区医疗中心已经开业接诊了吗") is as unrecorded as a task with one.
            deadline = result["answers"][0].get("deadline_text")
            asks_now = words_pattern("done_now").search(q.key) and not words_pattern("done_later").search(q.key)
            if deadline and (asks_overdue or not asks_now):   # "年底前能装完吗" asks when: the deadline answers it
                result["note"] = NOT_RECORDED.format(deadline=deadline)
            elif asks_now and not asks_overdue and (deadline or result["intent"] not in ("who", "co")):
                q.matched.append("答案类型：公报只写计划，不记载完成情况")
                result = self._decline_related(
                    q, result, NOT_RECORDED.format(deadline=deadline) if deadline else NOT_RECORDED_PLAN)
                if answered:
                    result["kept"] = answered   # "那什么时候完成" still asks about the last answer
        elif result["answers"] and result["intent"] == "when" and not result.get("note") \
                and (first := result["answers"][0]).get("deadline") and first.get("deadline_text") \
                and days_left(first["deadline"], self.today) < 0:
            # "…什么时候能改善" long after the date: "期限已过" reads as "late" unless it is said that the gazette
            # records no outcome either way
            result["note"] = NOT_RECORDED.format(deadline=first["deadline_text"])
        if not result["answers"] and any(said == _EMERGENCY_NUMBER for *_, said in q.asks_for):
            # "火警电话是多少": the gazette prints no 119, but nobody asking for it should be left without it
            result = self._result(q, [], lead=EMERGENCY_CALL, intent="out_of_scope")
        in_danger = self._in_danger(q)
        if in_danger and not result["answers"]:
            result = self._handling_row(q, limit) or result
        elif in_danger and not any(a.get("unit_label") == _EMERGENCY_COLUMN for a in result["answers"][:3]) \
                and not _MEASURED.findall(q.key) and not q.asks_for \
                and (q.intent in ("who", "co") or len(q.key) <= SHORT_QUESTION):
            # "电动车在楼道充电着火了": the e-bike charging programme is what the words found; who handles a fire
            # is what someone in danger needs (unless they ask for a figure or a phone number the first holds)
            row = self._handling_row(q, limit)
            if row is not None:
                result["answers"] = row["answers"][:1] + result["answers"]
                result["lead"], result["intent"] = row["answers"][0]["lead"], "who"
        if in_danger:
            self._who_handles_first(q, result)
            result["suggestions"] = []   # someone in danger gets the department, not a menu to choose from
        # what happened ("楼里着火谁管") gets "if anyone is in danger…" above the department; a topic asked about
        # ("暖气不热", "食品安全归谁管") or a staff look-up of row 48 does not: a banner on every answer is noise
        incident = in_danger or _now(words_pattern("incident"), q.key) and not names_item
        if incident and result["answers"] and result["answers"][0].get("unit_label") == _EMERGENCY_COLUMN \
                and not result.get("note") and result["intent"] in ("who", "co", "clause"):
            result["note"] = EMERGENCY_FIRST if in_danger else IF_IN_DANGER
            result["urgent"] = True   # shown above a choice list too
        elif in_danger and EMERGENCY_CALL not in (result.get("note") or ""):
            # someone in danger right now ("河里有人落水", "有人晕倒了"): whatever the gazette says, call first
            result["urgent"] = True
            if result["answers"]:
                result["note"] = EMERGENCY_CALL + (result.get("note") or "")
            else:
                result["lead"] = EMERGENCY_CALL + (result["lead"] or "公报里没有关于这种情况的处置规定。")
                result["suggestions"] = []   # loosely related passages would only distract
        result["lang"] = "en" if written_in_english(question) else "zh"
        if context and result.get("intent") == "greeting" and not result["answers"]:
            result["kept"] = context   # "好的", "谢谢": the conversation stays on what it was about
        if context and context.get("lang") == "en" and conversation.refers_back(q.key):
            result["lang"] = "en"   # "第二个" or "更多" in an English conversation: it stays English
        if result["lang"] == "en":
            result["lead"] = in_english(result["lead"])
            if result.get("note"):
                result["note"] = in_english(result["note"])
            for a in result["answers"]:
                a["lead"], a["lang"] = in_english(a["lead"]), "en"
            for s in result.get("suggestions") or []:
                s["label"] = _choice_label(s["words"], s["owner"], english=True)
        return result

    @staticmethod
    def _who_handles_first(q: Query, result: dict) -> None:
        """Someone in danger asking who handles it or what to do: among the first three answers, the division of
        labour's row comes first ("楼道里电动车着火了": the fire brigade before the e-bike programme), unless the first answer
        holds the figure asked about ("小区着火了，头15分钟有人管吗"; "住3楼" is no figure of any passage)."""
        answers = result["answers"]
        handles = next((k for k, a in enumerate(answers[:3]) if a.get("unit_label") == _EMERGENCY_COLUMN), 0) \
            if result["intent"] in ("who", "co", "clause") else 0
        figures = _MEASURED.findall(q.key)
        if handles and figures and all(re.search(rf"(?<![\d.]){f}", answers[0]["passage"]) for f in figures):
            return
        if handles:
            answers.insert(0, answers.pop(handles))
            result["lead"] = answers[0]["lead"]

    def _list_for(self, q: Query, listing: dict) -> str | None:
        """A follow-up naming only a unit or leader ("区交通局呢") after a list of what falls due that named none
        ("9月到期的任务"): that list's question asked for them; None for anything else."""
        if listing.get("intent") != "due" or not (q.units or q.leaders) or q.concepts \
                or not conversation.starts_like_follow_up(q.key):
            return None
        before = listing.get("question") or ""
        if not before:
            return None
        asked = analyse(before, self.tok, self.names, self.glossary, self._in_gazette, self.pinyin_names)
        named = asked.units + asked.leaders
        if not named:
            return "".join(q.units + q.leaders) + before
        # "区交通局9月到期的任务", then "区水务局呢": the same question of the other unit
        key = search_key(before)
        said = [s for s in self.spellings.get(named[0], [named[0]]) if s in key]
        return key.replace(max(said, key=len), "".join(q.units + q.leaders), 1) if len(named) == 1 and said else None

    def _first_passage(self, context: dict | None) -> dict | None:
        """The passage a conversation's kept answer or list starts with, if it is still in the store."""
        return next((self.by_id[i] for i in (context or {}).get("ids", [])[:1] if i in self.by_id), None)

    def _table_listed(self, listing: dict) -> str | None:
        """The table whose rows (or a group of them) a list shown before is, or None: a unit's list that starts
        with a table row is the unit's, not the table's."""
        first = self._first_passage(listing)
        table = self._table_of(first) if first else None
        return table if table and listing.get("lead", "").startswith(self._table_name(table)) else None

    def _table_of(self, p: dict) -> str | None:
        """The table passage p is a row of (the 主要指标表's rows are targets), or None."""
        if p["kind"] not in ("row", "target"):
            return None
        return next((t for t in self.catalog.tables if (p["context"] or "").startswith(t)), None)

    def _procedure_of_last(self, q: Query, answered: dict) -> dict | None:
        """"怎么申请" alone after an answer: the gazette gives no procedure for that item; who it makes responsible
        is whom to ask. None when the question names anything besides the errand."""
        done = _procedure_asked(q.errand_words)
        first = self._first_passage(answered)
        if done is None or first is None or q.units or q.leaders or not _BARE_ERRAND.fullmatch(q.spaced):
            return None   # "驾照怎么申请", "how do I apply for a passport": a thing of its own, not the last answer
        lead = _no_procedure(_how(done), first["units_shown"] or first["units"])
        q.matched.append(f"追问：{answered.get('question', '')} 的办理方式（公报未写）")
        result = self._result(q, [], lead=lead, intent="out_of_scope", suggestions=[self._suggestion(first["pos"])])
        result["about"] = first["id"]
        return result

    def _asks_only_its_items(self, q: Query) -> bool:
        """"有哪些任务", "一共几项": a list or a count and nothing else, no topic, name or document of its own
        ("秦涛有哪些任务", "电梯有哪些" ask about those)."""
        if q.units or q.leaders or names_a_document(q.key) or not (_ASKS_ITEMS.search(q.key) or _ASKS_COUNT.search(q.key)):
            return False
        return all(_ASKS_ITEMS.search(c.label) or _ASKS_COUNT.search(c.label) or conversation.is_aspect(c.label)
                   or c.label in _ITEM_WORDS for c in q.concepts) and not self._names_a_topic(q)

    def _document_card(self, context: dict) -> str | None:
        """The 文号 of the document a kept answer describes as a whole (its card), else None."""
        first = self._first_passage(context)
        return first["doc_number"] if first is not None and first["kind"] == "document" else None

    def _item_hint(self, p: dict) -> str:
        """Where an item number said alone ("那第14项呢") is looked for after passage p: in p's table after one of
        its rows ("处置分工表第13项": row 14, not the document's item 14), else in p's document."""
        table = self._table_of(p)
        return f"{table}表" if table else self.documents[p["doc_number"]]["short_title"]

    @staticmethod
    def _who_probe(q: Query, keep: Callable[[Concept], bool]) -> Query:
        """A copy of q asking who, with only the concepts keep() picks: the engine searches it without touching
        the question itself, whose words and matches the reply still reports."""
        probe = copy.copy(q)
        probe.concepts = [copy.copy(c) for c in q.concepts if keep(c)]
        probe.matched, probe.intent = list(q.matched), "who"
        probe.concepts_changed()
        return probe

    def _handling_row(self, q: Query, limit: int) -> dict | None:
        """Someone in danger tells what is around it ("家里厨房好像燃气漏了味道很大怎么办"): the kitchen and the smell
        are the story, the danger the lexicon names is the point. The division of labour's row for that danger,
        found from the lexicon's words alone; None when they find no such row."""
        lexicon_words = [c for c in q.concepts if c.via and not c.gloss]
        # the danger itself, when the lexicon read it ("电动车…着火了": 着火, not the e-bike)
        danger = [c for c in lexicon_words if self._in_danger_words(c.label)]
        probe = self._who_probe(q, lambda c: any(c is d for d in (danger or lexicon_words)))
        if not probe.concepts:
            return None
        found = self._answer_search(probe, limit)
        # "电动车…着火了": the e-bike words may rank the charging programme above the row for fires
        k = next((k for k, a in enumerate(found["answers"][:3]) if a.get("unit_label") == _EMERGENCY_COLUMN), None)
        if k is None:
            return None
        found["answers"].insert(0, found["answers"].pop(k))
        found["lead"], found["intent"] = found["answers"][0]["lead"], "who"
        return found

    @staticmethod
    def _in_danger_words(words: str) -> bool:
        """Words that tell a danger or an incident ("着火", "燃气泄漏")."""
        return bool(words_pattern("emergency").search(words) or words_pattern("incident").search(words))

    @staticmethod
    def _in_danger(q: Query) -> bool:
        """Someone is in danger right now ("河里有人落水", "电梯困人"): call first, whatever else is asked."""
        return _now(words_pattern("emergency"), q.key) or bool(words_pattern("emergency_english").search(q.spaced.lower()))

    def _homophones(self, question: str) -> tuple[str, list[str]]:
        """The question with homophone typos read as the lexicon word they sound like ("路等不亮" -> 路灯不亮),
        and what was read so. A run is meant as written when it cuts through one of the question's words
        (jieba: "潮马路等" is a road's name, then 等), when the lexicon has it, or when it is one of the question's
        words that jieba's dictionary or the gazette knows ("听说" is no misspelt 停水)."""
        if not self.sound_table or not _CJK.search(question):
            return question, []
        key = search_key(question)
        segmented: dict[str, tuple[set, set, set]] = {}

        def words_of(text: str) -> tuple[set, set, set]:
            """The spans of text's words, their starts and their ends (worked out again after each fix)."""
            if text not in segmented:
                tokens, at = set(), 0
                for word in self.tok.lcut(text, HMM=False):
                    tokens.add((at, at + len(word)))
                    at += len(word)
                segmented[text] = tokens, {i for i, _ in tokens}, {j for _, j in tokens}
            return segmented[text]

        def meant(text: str, i: int, j: int) -> bool:
            run = text[i:j]
            tokens, starts, ends = words_of(text)
            return i not in starts or j not in ends or run in self.lexicon_words or bool(self.tok.FREQ.get(run)) \
                or ((i, j) in tokens and self._in_gazette(run))
        heard, fixes = homophones.correct(key, self.sound_table, self.char_readings, meant)
        return (heard, fixes) if fixes else (question, [])

    def _follows_up(self, q: Query) -> bool:
        """The question names nothing of its own: no lexicon word, name, document or item, and it starts like a
        follow-up ("那…", "还有呢") or has no topic words left at all."""
        if conversation.asks_for_more(q.key):
            return True
        # (an English word the dictionary read that asks an aspect, "cost", names no topic either)
        if q.units or q.leaders or q.doc_numbers or names_a_document(q.key) \
                or any(c.via and not (c.gloss and conversation.is_aspect(c.label)) for c in q.concepts):
            return False   # "8号文有哪些任务" after another answer names its own document
        if not q.concepts:
            # "who handles stray dogs?": English words the dictionary cannot place still name a topic of its own,
            # unless they ask a detail of the last answer ("what's the phone number?") or its other columns
            return not (q.loose and _LATIN.search(q.key) and q.intent == "who" and not q.asks_for)
        # "放在哪些地方", "具体数量是多少": short, and asking only about an aspect of something, the last answer
        if conversation.is_short(q.key) and all(conversation.is_aspect(c.label) for c in q.concepts) \
                and not self._names_a_topic(q):   # "地方标准有哪些": a topic
            return True
        # "那电梯呢" after "路灯谁管" names a topic of its own, asked the same way; "那费用呢", "那配合单位呢",
        # "那2023年呢" ask about the last one (a year or place it does not name is declined there)
        if not conversation.starts_like_follow_up(q.key):
            return False
        asking = [m.group(0) for i, p in intent_patterns() if i != "clause" for m in p.finditer(q.key)]
        return not any(self._topic_of_its_own(c, asking) for c in q.concepts)

    def _names_a_topic(self, q: Query) -> bool:
        """The question says a stretch of three or more characters the gazette says, besides its asking words
        ("河长制谁牵头" after a list asks about 河长制, not about an entry of the list)."""
        return any(run in self._gazette_text and not conversation.is_aspect(run)   # _CJK_RUN: 3 or more
                   for run in _CJK_RUN.findall(question_phrases().sub(" ", q.key)))

    def _topic_of_its_own(self, c: Concept, asking: list[str]) -> bool:
        """A concept of a follow-up that is a topic, not a column (inside what asking, the question's asking
        phrases, says: "配合单位"), aspect, year or place of the last answer."""
        if conversation.is_aspect(c.label) or any(c.label in a for a in asking) \
                or any(asks.search(c.label) for asks, *_ in answer_types()) \
                or re.search(r"20\d\d", c.label) or self.scope.elsewhere(c.label):
            return False
        return any(self.index.df.get(f, 0) for f in c.alternatives[0])

    def _names_as_concepts(self, q: Query) -> None:
        """The units and leaders a question names, as concepts a passage (or its details) should say."""
        for name in q.units + q.leaders:
            alts = [self._name_features(s) for s in self.spellings.get(name, [name])]
            q.concepts.append(Concept(label=name, alternatives=alts, via=f"名称 {name}"))
        q.concepts_changed()

    def _similar_to(self, q: Query, answered: dict, limit: int) -> dict | None:
        """The items nearest in meaning to the last answer, in the documents the question names (or in the other
        documents): the same work is often both a livelihood project and a task of the work report."""
        p = self._first_passage(answered)
        if p is None or self.semantic is None:
            return None
        rest = words_pattern("similar").sub("", q.key)
        ref = find_references(rest, self.catalog)
        documents = [d for d in ref.documents if d in self.documents]
        if not documents and not words_pattern("similar_where").match(rest):
            return None   # a topic, year or place of its own: a question of its own
        where = set(documents) or {d for d in self.documents if d != p["doc_number"]}
        pool = [k for k, x in enumerate(self.passages)
                if x["doc_number"] in where and x["kind"] in ("task", "livelihood", "row", "target") and k != p["pos"]]
        sims = self.semantic.matrix[pool] @ self.semantic.matrix[p["pos"]] if pool else np.zeros(0)
        order = np.argsort(-sims)
        # every item of a plan is near every other in this model's space: a similar one stands out from the rest of
        # the document and from the runner-up
        stands_out = len(order) > 1 and sims[order[0]] >= sims[order[min(SIMILAR_FIELD, len(order) - 1)]] + SIMILAR_ITEM \
            and sims[order[0]] >= sims[order[1]] + SIMILAR_MARGIN
        if not stands_out:
            place = "、".join(f"《{self.documents[d]['short_title']}》" for d in sorted(where)) if len(where) <= 2 \
                else "其他文件"
            # the conversation stays on the answer: "那谁牵头" next is still about it
            return dict(self._result(q, [], lead=NO_SIMILAR.format(where=place), intent="followup"), kept=answered)
        q.matched.append(f"追问：与 {p['item']} 意思最近的条目")
        if q.intent in ("doc", "clause"):
            q.intent = answered.get("intent") or "clause"
        like = self.passages[pool[int(order[0])]]
        result = self._result(q, [self._compose(q, like, 1.0)],
                              note=SIMILAR_NOTE.format(title=self.documents[like["doc_number"]]["short_title"],
                                                       item=like["item"]))
        return self._within_scope(q, result)

    def _plan_for(self, answered: dict) -> list[dict]:
        """The plans of the catalogue (8.3) for the last answer: itself if it is one; for a row of the division of
        labour (2.3.6), the plans named after its kind of emergency ("供热事故": 通州区供热事故应急预案; "城市
        公共供水" and "村镇供水" both for 供水), else one shown with it; else none."""
        shown = [self.by_id[i] for i in answered.get("ids", []) if i in self.by_id]
        if not shown or shown[0].get("unit_label") == PLAN_COLUMN:
            return shown[:1]
        first = shown[0]
        kind = re.search(r"主要种类：([^；（(]+)", first["text"]) if first.get("unit_label") == _EMERGENCY_COLUMN else None
        if kind is None:
            # a task or rule ("燃气用户更换、加装安全型配件"): the plan whose subject it names, the most specific
            # ("燃气" of 通州区燃气事故应急预案)
            named = [(core, p) for p in self.plans if len(core := _plan_subject(p["text"])) >= 2 and core in first["text"]]
            return [max(named, key=lambda n: len(n[0]))[1]] if named else []
        core = re.sub(r"突发|事件|事故|运营", "", kind.group(1))
        named = [p for p in self.plans if core and core in p["text"]]
        # the search that found the row found its plan beside it when the names differ (水灾: 防汛)
        return named or [p for p in shown[1:3] if p.get("unit_label") == PLAN_COLUMN][:1]

    def _asks_its_column(self, q: Query, answered: dict) -> bool:
        """A short question whose words are all in the name of a column of the last answer ("谁牵头编制" after a
        plan of the 预案目录, whose column is 牵头编制部门): it asks that column of that answer."""
        p = self._first_passage(answered)
        # "怎么处置", "编制时间" ask how or when, whatever column name their words are in
        if p is None or q.intent not in ("who", "co", "leader") or not q.concepts or q.units or q.leaders \
                or not conversation.is_short(q.key):
            return False
        columns = [label for label in (p.get("unit_label"), p.get("co_label")) if label]
        return bool(columns) and all(any(c.label in label for label in columns) for c in q.concepts)

    def _said_by_last(self, q: Query, answered: dict) -> bool:
        """A short question whose every word the last answer's passage says: a question about that answer."""
        p = self._first_passage(answered)
        if p is None or not q.concepts or not conversation.is_short(q.key):
            return False
        feats = self.index.weights[p["pos"]]
        return all(any(all(f in feats for f in alt) for alt in c.alternatives if alt) for c in q.concepts)

    def _terse_follow_up(self, q: Query, answered: dict) -> bool:
        """"谁主持" after a meeting's rule: a few words asking who or when of an action the last answer
        says. Not a thing or an office of its own ("职业危害谁管", "区长是谁"), which is asked afresh."""
        return len(q.key) <= TERSE_FOLLOW_UP and q.intent in ("who", "when", "leader", "co") \
            and not (q.units or q.leaders or asked_office(q.key)) and bool(q.concepts) \
            and all(c.label in dictionary_verbs() for c in q.concepts) and self._said_by_last(q, answered)

    def _narrows(self, q: Query, answered: dict) -> bool:
        """A short question naming only a unit the last answer names ("第14项" of the ledger, then "宋庄镇几个"):
        about that answer, for that unit's part of it (its details line)."""
        p = self._first_passage(answered)
        if p is None or not q.units or q.leaders or not conversation.is_short(q.key):
            return False
        said = search_key(f"{p['text']}{p.get('details') or ''}")
        return not [c for c in q.concepts if not any(c.label in u for u in q.units)] \
            and all(any(s in said for s in self.spellings.get(u, [u])) for u in q.units)

    def _topic_of(self, question: str) -> str:
        """The topic words of a question, without its asking ("常务会议多久开一次": 常务会议)."""
        if not _CJK.search(question):
            return ""
        asked = analyse(question, self.tok, self.names, self.glossary, self._in_gazette, self.pinyin_names)
        return "".join(c.label for c in asked.concepts if not conversation.is_aspect(c.label)
                       and not any(asks.search(c.label) for asks, *_ in answer_types()) and c.label not in _FREQUENCY)

    def _asked_again(self, q: Query, before: str) -> str | None:
        """The question before with its topic, its most telling word, replaced by this one's ("常务会议多久开一次",
        then "全体会议呢": "全体会议多久开一次"), or None when it has no words besides its topic."""
        if not _CJK.search(before):
            return None   # an English question's key runs its words together: no topic to swap in it
        asked = analyse(before, self.tok, self.names, self.glossary, self._in_gazette, self.pinyin_names)
        named = [c.label for c in asked.concepts if c.alternatives and c.alternatives[0]]
        if not named:
            return None
        topic = "".join(c.label for c in q.concepts)
        # the word of the same kind as the new topic, another word ending the same way ("全体会议" for "常务会议呢",
        # "南小营路" for "那望和路呢"; not 安全 for "食品安全"), else the most telling ("一次" in "多久开一次" is how often)
        kin = [label for label in named if topic and 0 < common_ending(label, topic) < min(len(label), len(topic))]
        main = max(kin or named, key=lambda label: (common_ending(label, topic) if kin else 0, max(
            self.index.weight(f) for f in features(self.tok, search_key(label)) or [label])))
        again = asked.key.replace(search_key(main), topic, 1)
        frame = again.replace(topic, "", 1)
        return again if topic and words_pattern("asking").search(frame) else None

    def _answer_follow_up(self, q: Query, context: dict, limit: int) -> dict | None:
        """The last answer again, with the column this question asks for, or the answers after those shown."""
        ids = [i for i in context.get("ids", []) if i in self.by_id]
        if not ids:
            return None
        q.matched.append(f"追问：{context.get('question', '')}")
        if conversation.asks_for_more(q.key):
            rest = ids[context.get("shown", 1):][:limit]
            if not rest:   # the answer stays what the conversation is about
                return dict(self._result(q, [], lead=conversation.NO_MORE, intent="followup"), kept=context)
            answers = [self._compose(q, self.by_id[i], 1.0) for i in rest]
            return self._result(q, answers, intent=context.get("intent") or q.intent)
        if q.intent == "clause":   # "编制时间", "那费用呢": the aspect asked, else what was asked before
            q.intent = "when" if _WHEN_ASPECT.search(q.key) else context.get("intent") or "who"
        if q.units and not q.concepts:
            self._names_as_concepts(q)   # "宋庄镇几个": that town's line of the item's details
        answers = [self._compose(q, self.by_id[ids[0]], 1.0)]
        return self._result(q, answers)

    def _their_work(self, q: Query, context: dict) -> str | None:
        """"他还负责什么" (a leader) or "这个部门还负责什么" (a unit) after an answer: the question that lists
        that one's work, or None when the answer names nobody of that kind or it is no such question."""
        ids = [i for i in context.get("ids", []) if i in self.by_id]
        if not ids:
            return None
        p = self.by_id[ids[0]]
        of_leader = words_pattern("their_leader").match(q.key)
        if of_leader and p.get("leaders"):
            return f"{p['leaders'][0]}负责什么"
        if (of_leader or words_pattern("their_unit").match(q.key)) and p.get("units"):
            return f"{p['units'][0]}负责什么"   # "他" of an answer naming only a department means it
        return None

    def _answer_neighbour(self, q: Query, context: dict, step: int) -> dict | None:
        """The item after (or before) the last answer, in the same document and of the same kind: staff read
        down a task table ("2号文第35项", then "下一项")."""
        ids = [i for i in context.get("ids", []) if i in self.by_id]
        if not ids:
            return None
        p = self.by_id[ids[0]]
        k = p["pos"] + step
        q.matched.append(f"追问：{context.get('question', '')}")
        if not 0 <= k < len(self.passages) or self.passages[k]["doc_number"] != p["doc_number"] \
                or self.passages[k]["kind"] != p["kind"]:
            lead = "这已经是这份文件的最后一项了，没有下一项。" if step > 0 else "这已经是这份文件的第一项了，没有上一项。"
            # the conversation stays on that item: "上一项" after the last one reads back up the table
            return dict(self._result(q, [], lead=lead, intent="followup"), kept=context)
        return self._result(q, [self._compose_item(q, self.passages[k])], intent=context.get("intent") or "clause")

    def _within_scope(self, q: Query, result: dict) -> dict:
        """No answer when the answers lack the kind of thing asked (a phone number, a year...), or the question
        names a year or place its answer does not ("2023年的GDP目标", "海淀区的元宇宙补贴"): the passage would be
        about something else."""
        if result["intent"] == "due":
            return result   # a listing by deadline names its own period ("2024年到期的任务")
        if not result["answers"]:
            # unsure which passage is meant, yet the question names a year or place none of them is about
            # ("2021年通州区民生实事有哪些"): saying so is clearer than "which did you mean?"
            # ... in a question of one clause: "我在朝阳区上班，下班回来停不上车" tells where they work, and a place
            # one is in, comes from or goes to ("住在", "搬到") is the story's, not the topic's
            offered = [s for s in result.get("suggestions") or [] if s["id"] in self.by_id]
            if offered and result["intent"] != "out_of_scope" and len(_CLAUSES.split(q.key.strip("?"))) == 1:
                top = self._compose(q, self.passages[self.by_id[offered[0]["id"]]["pos"]], 1.0)
                what = self._unmet(q, top)
                if what and not re.search(rf"[在从去到回住搬]\w{{0,2}}{re.escape(what)}", q.key):
                    return self._not_covered(q, what, offered)
            offered_text = (self.by_id[s["id"]]["text"] for s in result.get("suggestions") or [] if s["id"] in self.by_id)
            if q.asks_for and result["intent"] != "out_of_scope" and not result.get("lead") \
                    and (q.units or any(c.via and not c.gloss for c in q.concepts)) \
                    and not any(n.search(t) for t in offered_text for n, *_ in q.asks_for):
                # "区民政局在哪儿办公，地址", "How much does it cost to install an elevator?": a topic the gazette
                # holds, asked for a kind of thing none of the choices gives: say which, as when a passage was
                # found (choices that give it stay choices: "城市森林公园建几个")
                q.matched.append("答案类型：公报里的相关段落没有所问的内容")
                return dict(self._result(q, [], lead=NOT_SAID.format(what=q.asks_for[0][2]), intent="out_of_scope",
                                         suggestions=result.get("suggestions") or []), related=True)
            return result
        # a who-question asks for the unit, whatever else it mentions ("能开到几点，是哪个部门在推"); a list
        # answers "几项" with its count
        needs = [] if q.intent in ("who", "leader", "co", "leader_list", "unit_list") else q.asks_for
        top = result["answers"][0]
        if q.asks_for and q.intent in ("who", "co") and not result.get("note") and top.get("unit_label") != _EMERGENCY_COLUMN \
                and not self._in_danger(q):
            # "换那个安全的配件要钱不，谁负责": who, and that the gazette does not say what it costs (not for someone
            # in danger, who is told to call first)
            lacking = _lacking(q.asks_for, top)
            if lacking and not top["units"]:
                # "卫生服务站几点开门，周末有人吗": neither who nor what else was asked; the passage is only the topic
                q.matched.append("答案类型：公报里的相关段落没有所问的内容")
                return self._decline_related(q, result, NOT_SAID.format(what=lacking[0]))
            if lacking:
                result["note"] = _ask_them(f"公报没有写到{lacking[0]}", top)
        if needs:
            # a runner-up may hold what the first lacks ("打什么电话") when it says the lexicon words the first says
            # ("电动车充一次电多少钱": the 妇字号 fund's 95万元 is an amount of something else)
            topic = self._topic_word(q, result["answers"][0])
            fitting = [a for k, a in enumerate(result["answers"])
                       if (k == 0 or topic is None or any(c.label == topic for c in self._said_by_answer(q, a)))
                       and all((k == 0 or not first) and n.search(_LIST_NUMBER.sub("", _said(a))
                                       + ((a.get("deadline_text") or "") if q.intent == "when" else ""))
                              for n, first, _ in needs)]
            if not fitting and q.by_number and self._said_by_answer(q, result["answers"][0]):
                # the item named by its number and about what the question names is the answer even when it does
                # not say all that was asked ("第89项说的是哪几个公园": 完成漫春园等5个…公园改造); the note says what
                # it leaves out ("第89项的电话" names nothing the item says: declined as before)
                q.matched.append("答案类型：这一项没有所问的内容")
                return dict(result, note=ITEM_NOT_SAYING.format(what=needs[0][2]))
            if not fitting:
                beyond = self._unmet(q, result["answers"][0])
                if beyond:   # "2024年开始加装电梯有补贴吗": a year the gazette does not cover is the plainer no
                    return self._not_covered(q, beyond, self._offered(result))
                q.matched.append("答案类型：公报里的相关段落没有所问的内容")
                # "what" is the first thing asked that no answer gives ("电话号码"), the most specific
                missing = [said for n, _, said in needs if not any(n.search(_said(a)) for a in result["answers"])]
                what = (missing or [said for *_, said in needs])[0]
                return self._decline_related(q, result, NOT_SAID.format(what=what))
            first = fitting[0]
            # the details line first: it is shown because it holds what the question asks beyond the passage
            said = next((x for x in re.findall(r"[^。；\n]+", f"{first.get('detail') or ''}\n{first['passage']}")
                         if all(n.search(_LIST_NUMBER.sub("", x)) for n, *_ in needs)), None)
            # "…（110）和…（12345）通报的…": the number asked; asking when, the deadline still leads
            # ("京唐城际铁路什么时候通车": 完成时限：2022年12月底)
            no_count = q.intent == "target" and first["lead"].startswith(NO_COUNT.format(measure=q.measure_word))
            if said and not all(n.search(first["lead"]) for n, *_ in needs) and not no_count \
                    and not (q.intent == "when" and first.get("deadline_text")):
                first = fitting[0] = dict(first, lead=said.strip())
            result["lead"], result["answers"] = first["lead"], fitting
        unmet = [self._unmet(q, a) for a in result["answers"][:SCOPE_ANSWERS]]
        if unmet[0] is None:
            return result
        # "展望2025年…年均增速": the runner-up names the year the first answer leaves out, and answers
        top = result["answers"][0]["score"]
        fits = next((k for k, what in enumerate(unmet)
                     if what is None and result["answers"][k]["score"] >= SCOPE_RUNNER_UP * top), None)
        if fits is not None:
            q.matched.append(f"范围：第{fits + 1}个答案写到{unmet[0]}")
            answers = [result["answers"][fits], *(a for k, a in enumerate(result["answers"]) if k != fits)]
            return dict(result, lead=answers[0]["lead"], answers=answers)
        what = unmet[0]
        # what the gazette does hold stays in reach: "北京市的GDP目标" is declined, 通州's offered
        return self._not_covered(q, what, self._offered(result))

    def _list_document(self, q: Query, number: str, limit: int) -> dict:
        """A document's items (tasks, livelihood projects) as a list, paged and picked like a unit's."""
        q.concepts = []
        pool = [p for p in self.passages if p["doc_number"] == number and p["kind"] in ("task", "livelihood")]
        return self._answer_list(q, pool, limit, f"《{self.documents[number]['short_title']}》（{number}）")

    @staticmethod
    def _title_asked(q: Query, asks: re.Pattern) -> str | None:
        """What a question asking for a list or a count (asks) says besides asking: the title it names, if that is
        all it says ("政府工作报告重点工作分工方案" in "…有多少项")."""
        m = asks.search(q.key)
        return _COUNT_FILLER.sub("", q.key[:m.start()] + q.key[m.end():]) if m else None

    def _named_table(self, q: Query) -> str | None:
        """The table a question asks the rows or the number of rows of, naming it by its title and nothing else
        ("区级专项应急预案一共多少个", "突发事件处置分工表有哪些"; not "处置分工表里燃气事故归谁"). A word the title
        only begins with names no table ("突发事件有多少类": the 1.4.1 categories, not the 52 kinds)."""
        rest = self._title_asked(q, _ASKS_ROWS) or self._title_asked(q, _ASKS_ITEMS)
        if not rest:
            return None
        _, tables = self.catalog.named_by_title(rest)
        if len(tables) != 1:
            return None
        title = search_key(tables[0]) + "表"
        if rest not in title or len(rest) * 2 < len(title) or not self.rows_by_table.get(tables[0]):
            return None
        return tables[0]

    def _named_group(self, q: Query, table: str | None = None) -> tuple[str, str] | None:
        """The (table, group) whose rows a question asks for, naming the group and the table ("自然灾害类的应急预案
        有哪些", "社会安全类突发事件处置分工有多少项") or, with table given (that table listed just before), the group
        alone ("自然灾害类有哪些", "公共卫生类呢"). The two tables name their groups apart (社会安全类, 社会安全事件类):
        a group is said with or without 事件 and 类."""
        rest = self._title_asked(q, _ASKS_ROWS) or self._title_asked(q, _ASKS_ITEMS)
        if not rest and table:
            rest = re.sub(r"^那|呢$", "", q.key.strip("?？"))
        if not rest:
            return None
        found = []
        for name in ([table] if table else []) + [t for t in self.groups if t != table]:
            for group in self.groups.get(name, {}):
                core = group.replace("事件", "").removesuffix("类")
                said = next((f for f in (group, core + "事件类", core + "类", core + "事件", core) if f in rest), None)
                if said is None:
                    continue
                left = rest.replace(said, "", 1).strip("的")
                # what else it says names the table ("应急预案", "处置分工"), not a word any title has ("事件")
                # alone, a group name only one table uses whole names that table's ("社会安全事件类": 预案目录)
                if not left and (name == table or table is None and said == group) \
                        or len(left) >= 4 and left in search_key(name) + "表":
                    found.append((name, group, said == group))
            if found and name == table:
                break   # the table just listed answers first
        exact = [f for f in found if f[2]] if len(found) > 1 else found   # "社会安全事件类" is the 预案目录's own name
        return exact[0][:2] if len(exact) == 1 else None

    def _list_group(self, q: Query, table: str, group: str, limit: int) -> dict:
        """A table's rows of one group as a list: "…《区级专项应急预案目录》自然灾害类：共 7 项"."""
        q.concepts, q.asks_for = [], []
        q.intent = "clause"   # asked how many, the count is the title's; each row says what it is and who
        return self._answer_list(q, self.groups[table][group], limit, f"{self._table_name(table)}{group}")

    def _table_name(self, table: str) -> str:
        """A table as replies name it: "通政发〔2022〕3号《突发事件处置分工表》"."""
        return f"{self.catalog.tables[table]}《{table if re.search(r'[表录]$', table) else table + '表'}》"

    def _list_table(self, q: Query, table: str, limit: int) -> dict:
        """A table's rows as a list, paged and picked like a unit's: "…《区级专项应急预案目录》：共 38 项"."""
        q.concepts, q.asks_for = [], []   # "一共多少个": the count is the list's own
        q.intent = "clause"   # ... and each row says what it is and who, not its first cell
        return self._answer_list(q, self.rows_by_table[table], limit, self._table_name(table))

    def _counted_document(self, q: Query, asks: re.Pattern | None = None) -> str | None:
        """The document a question asks the number of items of (or, with asks=_ASKS_ITEMS, the items), naming it
        by its title and nothing else ("政府工作报告重点工作分工方案有多少项"; not "民生实事里公交线路新开多少条")."""
        rest = self._title_asked(q, asks or _ASKS_COUNT)
        if rest is None:
            return None
        docs, _ = self.catalog.named_by_title(rest)
        if len(docs) != 1 or not self.catalog.task_counts.get(docs[0]):
            return None
        doc = self.documents[docs[0]]
        title = search_key(doc["title"])
        if any(year not in title and year != doc["signed"][:4] for year in re.findall(r"(20\d\d)年", q.key)):
            return None   # "2021年的民生实事有哪些": another year's, which the scope check declines
        return docs[0] if rest in title else None   # nothing asked besides the title, whole or in part

    def _counted_articles(self, q: Query) -> tuple[str, int, int] | None:
        """(文号, articles, chapters) of the document whose articles or chapters a question counts, naming it by its
        title and nothing else ("工作规则一共多少条", "区政府工作规则有几章")."""
        rest = self._title_asked(q, _ASKS_ARTICLES)
        if not rest:
            return None
        docs, _ = self.catalog.named_by_title(rest)
        # nothing asked besides the title (its characters nearly all the title's: "区政府工作规则", "元宇宙若干措施")
        named = search_key(self.documents[docs[0]]["title"] + self.documents[docs[0]]["short_title"]) if docs else ""
        if not named or not _mostly_in(rest, named) or self.catalog.task_counts.get(docs[0]):
            return None   # (of a task list, "几条" counts its tasks, as people say 条 for 项)
        articles = {n for d, kind, n in self.catalog.items if d == docs[0] and kind == "article"}
        chapters = {n for d, kind, n in self.catalog.items if d == docs[0] and kind == "chapter"}
        return (docs[0], max(articles), len(chapters)) if articles else None

    def _unmet(self, q: Query, answer: dict) -> str | None:
        """The year or place the question names that the answer (its passage, details, deadline, headings,
        document) does not: "2023年12月东六环完成多少" is the item due 2023年12月."""
        p = self.by_id.get(answer["id"], {})
        title = self.documents.get(answer["doc_number"], {}).get("title", "")
        # the details hold the details line the answer shows
        said = f"{answer['passage']}{p.get('details') or ''}{answer.get('deadline_text') or ''}"
        if q.intent == "target":
            # a figure for a road or town the question names is that one's ("梨园镇建几个劝导站", "通马路加宽多少公里"):
            # the item's total, or another road's, is no answer (asked who or when, a district-wide item is)
            said_key = search_key(said)
            missing = next((n for n in self.named_places if n in q.key and n not in said_key), None)
            if missing:
                return missing
        return self.scope.unmet(q.key, search_key(f"{said}{p.get('context', '')}{title}{answer['citation']}"),
                                asks_who=q.intent in ("who", "leader", "co"))

    def _result(self, q: Query, answers: list[dict], lead: str = "", note: str | None = None,
                suggestions: list[dict] | None = None, intent: str | None = None) -> dict:
        return {"query": q.text, "intent": intent or q.intent, "lead": lead or (answers[0]["lead"] if answers else ""),
                "note": note, "matched": q.matched, "answers": answers, "suggestions": suggestions or []}

    def _not_covered(self, q: Query, what: str, offered: list[dict]) -> dict:
        """A decline for a year or place the gazette does not cover (what), keeping it for "那通州呢" next."""
        q.matched.append(f"范围外：{what}")
        return dict(self._result(q, [], lead=self.scope.not_for(what), intent="out_of_scope", suggestions=offered),
                    elsewhere=what)

    def _answer(self, q: Query, limit: int, hint: str = "") -> dict:
        """hint: the title of a document the conversation is about, for an item named by number alone."""
        if not q.key:
            return self._result(q, [], intent="none")
        # who provides something the gazette itself assigns ("天气预报": the weather bureau) is searched like any
        # topic; the errand itself ("明天天气预报怎么样") is not the gazette's
        assigned = q.intent in ("who", "co") and q.errand_words and all(self._in_gazette(w) for w in q.errand_words)
        # ... and who does what the gazette names in its own words ("听说友谊医院通州院区二期在建，哪个部门在推进");
        # looked for only when the question would be declined: it scans the gazette's text
        # ... and so is what one of its documents, named as a document by its title, says ("数字经济方案里对人才落户租房有什么服务")
        # ... asked who, not read as who because it asks nothing ("帮我在友谊医院通州院区挂个号" asks an errand)
        asked_who = q.intent in ("who", "co") and dict(intent_patterns())[q.intent].search(q.key)
        if q.out_of_scope and not assigned and not (asked_who and self._quotes_gazette(q)) \
                and not (q.errand_words and _DOC_WORD.search(q.key) and self.catalog.named_by_title(q.key)[0]):
            return self._decline_errand(q)
        if q.intent == "greeting":
            lead = THANKS if words_pattern("thanks").search(q.key) else BYE if words_pattern("bye").search(q.key) \
                else ACK if words_pattern("ack").search(q.key) \
                else GREETING.format(publication=self.publication)
            return self._result(q, [], lead=lead)
        other_issue = self.scope.outside_issue(q.key)
        if other_issue:
            return self._result(q, [], lead=self.scope.decline(other_issue), intent="out_of_scope")
        if issue_pattern().search(q.key):
            return self._answer_issue(q)
        office = asked_office(q.key)
        if office:
            return self._answer_office(q, office)
        head = asked_head(q.key, q.units)
        if head and not self._in_gazette(f"{head}由"):   # "区应急委主任由区长担任" is a rule the gazette states
            q.matched.append(f"职务：{head}")
            return self._result(q, [], lead=NAME_NOT_PRINTED.format(office=head), intent="out_of_scope")
        # what its English words name, in the gazette's words, may name a document ("livelihood project #5")
        hints = " ".join(search_key(c.alternatives[0][0]) for c in q.concepts
                         if c.via and not c.gloss and c.alternatives and c.alternatives[0] and _LATIN.search(c.label))
        ref = find_references(q.key, self.catalog, hints)
        if hint and not ref.documents and not ref.missing:
            ref = find_references(q.key, self.catalog, f"{hints} {search_key(hint)}".strip())
        q.doc_numbers = [*([] if ref.by_title else ref.documents), *ref.missing]
        absent = [n for n in ref.missing if n not in self.replaced]
        if absent and not ref.documents:
            return self._result(q, [], lead=f"公报中没有 {absent[0]}。{self.scope.holds}。", intent="doc")
        articled = self._counted_articles(q)
        if articled:   # "工作规则一共多少条": its articles (and chapters) counted
            number, articles, chapters = articled
            q.doc_numbers = [number]
            result = self._answer_document(q, asks_about_document=True)
            lead = f"《{self.documents[number]['short_title']}》（{number}）共 {articles} 条" \
                + (f"，分 {chapters} 章" if chapters else "")
            result["lead"] = result["answers"][0]["lead"] = lead
            return result
        if ref.items:
            return self._answer_items(q, ref, limit)
        if ref.alternative and ref.alternative.items:   # "3号文第5项": only 通政办发〔2022〕3号 has one
            return self._answer_items(q, ref.alternative, limit,
                                      note=f"{ref.documents[0]}没有{ref.label}；这是{ref.alternative.documents[0]}的。")
        if ref.documents and _ITEM_ASKED.search(ref.label):
            return self._no_such_item(q, ref)   # "2号文第200项": say how many it has, not show the document
        if not ref.documents and not ref.items and self._beyond_every_list(ref.label):
            # "第150项谁负责": no list is that long; searching its digits would find "150处老旧小区"
            return self._no_item_anywhere(q, ref)
        if not ref.documents and not ref.items and _SECTION_PATH.fullmatch(ref.label) \
                and len(_SECTION_PATH.sub("", q.key)) <= SHORT_QUESTION:
            # "1.2.3" that no document numbers so: say so, rather than search its digits ("1.2" of another item)
            q.matched.append(f"条目：{ref.label} 不存在")
            return self._result(q, [], lead=NO_SECTION.format(label=ref.label), intent="doc")
        if len(ref.documents) == 1 and not (ref.by_title and q.wants_livelihood) \
                and self._falls_due_in_a_period(q):
            q.doc_numbers = ref.documents   # "8号文里9月到期的有几项": that month's list, of that document only
            return self._answer_due(q, limit)
        if q.intent in ("unit_list", "leader_list") and (q.units or q.leaders) and len(ref.documents) == 1 \
                and self.catalog.task_counts.get(ref.documents[0]):
            # "张家湾镇在交通一体化方案里有哪些任务": the unit's list in that document of tasks, not a search for its
            # title (in a document of rules or plans, its passages naming the unit are searched by the question);
            # a topic besides ("…方案里负责哪些公交的事") is still looked for in that list
            doc = self.documents[ref.documents[0]]
            named = search_key(f"{doc['title']} {doc['short_title']} {doc['doc_number']}")
            # (a word whose characters nearly all stand in the title names the document: "交通一体化方案")
            q.concepts = [c for c in q.concepts if not _DOC_WORD.fullmatch(c.label)
                          and not _mostly_in(search_key(c.label), named)]
            q.concepts_changed()
            return self._unit_list(q, limit, ref.documents[0])
        asks_about_document = bool(docfact_pattern().search(q.key))
        if asks_about_document and not ref.documents and not ref.missing:
            # "Which document did the 2022 emergency plan repeal?": a lexicon word may name the document
            for c in q.concepts:
                if not (c.via and c.alternatives and c.alternatives[0]):
                    continue
                titled, _ = self.catalog.named_by_title(search_key(c.alternatives[0][0]))   # its first meaning
                if len(titled) == 1:
                    ref.documents, ref.by_title = titled, True
                    break
        table = self._named_table(q)
        if table:   # "区级专项应急预案一共多少个": the table's rows, with their count
            return self._list_table(q, table, limit)
        grouped = self._named_group(q)
        if grouped:   # "自然灾害类的应急预案有哪些": that group's rows of the table
            return self._list_group(q, *grouped, limit)
        listed_doc = self._counted_document(q, _ASKS_ITEMS)
        if listed_doc:   # "民生实事有哪些": the document's items, a page at a time, as a unit's list is
            return self._list_document(q, listed_doc, limit)
        counted = self._counted_document(q)
        if counted:   # "民生实事一共多少项": the document's count, as "通政发〔2022〕6号有几项" gets
            q.doc_numbers = [counted]
            return self._answer_document(q, asks_about_document=True)
        if ref.documents and ref.by_title and asks_about_document:
            q.doc_numbers = ref.documents
            return self._answer_document(q, asks_about_document)
        if len(ref.documents) == 1 and not ref.by_title and _ASKS_ITEMS.search(DOC_NUMBER.sub("", q.key)) \
                and self.catalog.task_counts.get(ref.documents[0]):
            return self._list_document(q, ref.documents[0], limit)   # "通政办发〔2022〕8号有哪些项"
        if q.doc_numbers:
            return self._answer_document(q, asks_about_document)
        if q.intent in ("unit_list", "leader_list") and (q.units or q.leaders) \
                and self._falls_due_in_a_period(q):
            q.intent = "due"   # "卢庆雷9月有哪些任务到期": that month's list of the leader's items, not all of them
        if q.intent == "due":
            return self._answer_due(q, limit)
        if q.intent == "unit_list" and q.units:
            return self._unit_list(q, limit)
        if q.intent == "leader_list" and q.leaders:
            return self._leader_list(q, limit)
        if q.units or q.leaders:
            q.matched.append("名称：" + "、".join(q.units + q.leaders))
            if q.concepts:
                # "区审计局受谁领导": the name is part of what the passage must say
                self._names_as_concepts(q)
            else:
                # just a name: what that department or leader handles
                pool = self._naming(q.units + q.leaders)
                return self._answer_list(q, pool, limit, "、".join(q.units + with_posts(q.leaders, self.posts)))
        return self._answer_search(q, limit)

    # ------------------------------------------------------------------ search (ranking.py, fusion.py hold the rest)

    def _answer_search(self, q: Query, limit: int, pool: set[int] | None = None) -> dict:
        self._name_runs(q)
        if not q.concepts:
            # "这事儿归谁管啊" with nothing before it: asking who, about no matter named
            lead = WHICH_MATTER if q.intent in ("who", "co") and _CJK.search(q.key) and pool is None else ""
            return self._result(q, [], lead=lead, intent=q.intent if q.intent != "clause" else "none")
        self._concept_weights(q)
        ranked = self._rank(q, pool)
        if (not ranked or ranked[0][1] < UNSURE_COVERAGE) and self._correct_typos(q):
            self._concept_weights(q)
            ranked = self._rank(q, pool)
        answerable = self._top_answers(q, ranked)
        if not answerable or ranked[0][1] < UNSURE_COVERAGE or not self._specific(q, ranked[0][2]):
            said = ([copy.copy(c) for c in q.concepts], list(q.matched), ranked)   # the bridge rewrites them
            if self._bridge_words(q):
                self._concept_weights(q)
                ranked = self._rank(q, pool)
                if (answerable and not self._top_answers(q, ranked)) or self._bridge_moved_agreed(q, said[2], ranked):
                    # the nearest lexicon words are a guess: one that loses the answer the words gave is wrong
                    # ("“副中心交通”公众号里啥时候能直接叫货拉拉" ≈ 副中心智慧交通平台)
                    q.concepts, q.matched, ranked = said
                    q.concepts_changed()
                    self._concept_weights(q)
                answerable = self._top_answers(q, ranked)
        if ranked and not answerable:
            # a close runner-up that covers the question beats a top hit that does not
            for alt in ranked[1:3]:
                if alt[0] >= ranked[0][0] * 0.5 and alt[1] > ranked[0][1] and self._answerable(q, alt):
                    ranked.remove(alt)
                    ranked.insert(0, alt)
                    answerable = True
                    break
        certain = answerable and ranked[0][1] >= UNSURE_COVERAGE and self._specific(q, ranked[0][2])
        if pool is None and self.semantic is not None and not certain and ranked:
            # the passages nearest in meaning are ranked by the question's words too, so the two channels can agree
            # on one the words alone did not bring ("今年全区要种多少亩树": 造林)
            sims = self.semantic.similarities(q.text)
            near = [int(i) for i in top_k(sims, SEMANTIC_CANDIDATES)]
            if not set(near) <= {i for _, _, i in ranked}:
                ranked = self._rank(q, pool, near)
                answerable = self._top_answers(q, ranked)
            fused = self._fuse(q, ranked)
            if fused is not None:
                ranked, answerable = fused, True
                q.matched.append("语义：词面与语义检索一致")
            elif not answerable:
                chosen = self._who_by_meaning(q, ranked)
                if chosen is not None:
                    ranked.remove(chosen)
                    ranked.insert(0, chosen)
                    answerable = True
                    q.matched.append("语义：问谁负责，词面靠前、写明单位的段落里意思最近的一段")
                else:
                    chosen = self._who_nearest(q, ranked)
                    if chosen is not None:
                        ranked.insert(0, chosen)
                        answerable = True
                        q.matched.append("语义：问谁负责，意思最近、写明单位的一段")
        if answerable and pool is None and self.semantic is not None:
            self._runner_up_by_meaning(q, ranked)
        if answerable and pool is None and not self._glosses_agree(q, ranked[0]):
            q.matched.append("释义：意思最近的段落里没有它")
            answerable = False
        if not answerable:
            # a candidate says one of the question's words whole; one sharing scattered characters is no candidate
            # ("楼上噪音扰民" and 儿童网络保护)
            # "小区里有流浪狗…谁管": saying what the gazette lacks is a clearer no than "no exact answer", and
            # passages without the thing asked are no choice ("核酸检测" asks nobody)
            asked_who = q.intent in ("who", "co") and dict(intent_patterns())["who"].search(q.key)
            # ... unless the words found a passage naming who handles a thing the lexicon recognised: then the
            # gazette does cover it ("帐篷棉被是谁存着的…我们老两口"), and the choices below say where
            topic_found = bool(ranked) and self.passages[ranked[0][2]]["names_unit"] and any(
                not c.gloss for c in self._said_in_full(q, ranked[0][2]))
            never = self._never_said(q) if asked_who and not topic_found else None
            if never:
                return self._result(q, [], lead=NEVER_SAID.format(what=never))
            suggestions = [self._suggestion(i) for _, _, i in ranked[:3] if self._says_a_word(q, i)] \
                if ranked and ranked[0][1] >= 0.25 else []
            return self._result(q, [], suggestions=suggestions)
        q.matched.extend(f"词：{c.label}" for c in q.concepts if not c.via)
        floor = min(ranked[0][1], ANSWER_COVERAGE) * 0.8
        # the passages after the first that score a fraction of it are about something else ("GDP目标": 预警信息)
        # ... unless the question asks for a kind of answer (a phone number) that a runner-up may hold alone
        top_text = self.passages[ranked[0][2]]["text"]
        holds = all(n.search(top_text) for n, *_ in q.asks_for)
        least = 0.0 if q.asks_for and not holds else ranked[0][0] * RUNNER_UP_SHARE
        # ... and when the first holds a word few passages use, the others must hold one too: rows sharing only the
        # table's words ("信息安全事件处置主责部门": 食品安全事件, 粮食供给事件…) are about something else
        specific = self._telling(q, ranked[0][2]) > 0
        answers = [self._compose(q, self.passages[i], score) for k, (score, cov, i) in enumerate(ranked[:limit])
                   if cov >= floor and score >= least and (k == 0 or not specific or self._telling(q, i))]
        answers = self._leaders_first(q, answers)
        suggestions = []
        if ranked[0][1] < UNSURE_COVERAGE:
            # choices about something else ("户外健身器材坏了": 妇女健康科普) are no choice, nor, after the first, a
            # passage sharing none of the question's telling words ("路灯不亮" and 儿童网络保护)
            offered = [i for k, (score, _, i) in enumerate(ranked[:3]) if score >= ranked[0][0] * RUNNER_UP_SHARE
                       and (k == 0 or self._says_a_word(q, i) or self._telling(q, i) > 0)]
            suggestions = [self._suggestion(i) for i in offered]
            if len(suggestions) < 2:
                suggestions = []   # a choice of one is no choice: the answer is given (trial 19 #8)
            elif q.intent in ("who", "co") and self.passages[offered[0]]["units"] \
                    and len({frozenset(self.passages[i]["co_units" if q.intent == "co" else "units"])
                             for i in offered}) == 1:
                # "下大雨小区门口积水好深，谁来管": every choice names 区水务局, which is the answer asked for
                suggestions = []
        return self._result(q, answers, suggestions=suggestions)

    def _says_all(self, q: Query, i: int) -> bool:
        """Passage i says every word of the question, a lexicon word in one of its meanings."""
        full, text = self._said_in_full(q, i), search_key(self.passages[i]["text"])
        return all(c in full if c.via else c.label in text for c in q.concepts)

    def _never_said(self, q: Query) -> str | None:
        """The longest run of the question's words the gazette never says, nor the lexicon reads, that jieba's
        dictionary calls nouns ("流浪狗"), with the word before that qualifies it ("共享单车", "流浪猫"): the thing
        asked about that the gazette does not cover. Never a person, place or time of the story ("我妈妈",
        "隔壁", "半夜": intents.toml story_words); None when there is no such noun."""
        nouns, story = dictionary_nouns(), words_pattern("story_words")

        def unknown(word: str) -> bool:
            return bool(_CJK.search(word)) and not self._in_gazette(word) and word not in self.index.idf \
                and not story.fullmatch(word)

        runs: list[str] = []
        for c in (c for c in q.concepts if not c.via):
            tokens = self.tok.lcut(c.label, HMM=False)
            k = 0
            while k < len(tokens):
                before = tokens[k - 1] if k else ""
                # a qualifier the gazette itself uses ("老年", "共享", "流浪"), not another unknown word
                lead = before if len(before) >= 2 and self._in_gazette(before) and not story.fullmatch(before) else ""
                j = k
                # nouns of two characters or more, or one right after the word qualifying it ("流浪|猫")
                while j < len(tokens) and unknown(tokens[j]) and (
                        tokens[j] in nouns or (j == k and lead and len(tokens[j]) == 1 and _CJK.search(tokens[j]))):
                    j += 1
                if j > k:
                    run = lead + "".join(tokens[k:j])
                    if len(run) >= 2:
                        runs.append(run)
                k = max(j, k + 1)
        return max(runs, key=len) if runs else None

    def _says_a_word(self, q: Query, i: int) -> bool:
        """Passage i says one of the question's lexicon words in full, or one of its other words (as jieba cuts
        them) whole."""
        text = search_key(self.passages[i]["text"])
        return bool(self._said_in_full(q, i)) or any(len(w) >= 2 and w in text for c in q.concepts if not c.via
                                                     for w in self.tok.lcut(c.label, HMM=False))

    def _who_by_meaning(self, q: Query, ranked: list[tuple[float, float, int]]) -> tuple[float, float, int] | None:
        """Asking who handles what happened to them ("快递老是不送到村里…"), residents say more than any passage.
        The passage the words rank first answers when it names who does it, accounts for some of the question
        and is among the passages nearest to the whole question in meaning. When it names nobody ("加强校园及周边
        平安建设" for a knife at the school gate), the runner-up that names a unit, would answer on its words and
        is nearest in meaning does ("影响校园安全稳定事件：区教委")."""
        if q.intent not in ("who", "co") or len(q.key) <= SHORT_QUESTION or WHO_SEMANTIC_DEPTH <= 0:
            return None
        sims = self.semantic.similarities(q.text)

        def near(i: int) -> int | None:
            """The passage's place by meaning, if it may answer who: it names a unit and says what was asked."""
            if not self.passages[i]["units"] or self._char_coverage(q, i) < WHO_SEMANTIC_CHAR_COVERAGE \
                    or not self._specific(q, i) or self._one_reading_only(q, i):
                return None
            place = int((sims > sims[i]).sum())
            return place if place < WHO_SEMANTIC_DEPTH else None

        if near(ranked[0][2]) is not None:
            return ranked[0]
        placed = [(place, alt) for alt in ranked[1:WHO_RUNNERS_UP]
                  if self._answerable(q, alt) and (place := near(alt[2])) is not None]
        return min(placed, key=lambda p: p[0])[1] if placed else None

    def _runner_up_by_meaning(self, q: Query, ranked: list[tuple[float, float, int]]) -> None:
        """The words' runner-up goes first when it holds more of the question's characters than the first (or is
        level with it, both paragraphs of prose) and is the passage nearest to the whole question in meaning: two
        channels against one."""
        if len(ranked) < 2:
            return
        first, second = ranked[0], ranked[1]
        more = self._char_coverage(q, second[2]) >= self._char_coverage(q, first[2]) + RUNNER_UP_CHAR_MARGIN
        # or all but level on the words, between two paragraphs of prose: the shorter scores higher for saying the
        # same words less often. (Two tasks level on the words are the same work in two lists.)
        level = self.passages[first[2]]["kind"] == self.passages[second[2]]["kind"] == "clause" \
            and second[0] >= first[0] * RUNNER_UP_LEVEL \
            and second[1] >= first[1] \
            and self._char_coverage(q, second[2]) >= self._char_coverage(q, first[2])
        if not (more or level) or not self._answerable(q, second):
            return
        sims = self.semantic.similarities(q.text)
        if int(np.argmax(sims)) == second[2]:
            ranked[0], ranked[1] = second, first
            q.matched.append("语义：词面第二、字面更全且意思最近的一段")

    def _who_nearest(self, q: Query, ranked: list[tuple[float, float, int]]) -> tuple[float, float, int] | None:
        """Asking who handles what they tell at length, when the words found nothing that answers: the passage
        nearest in meaning to the whole account answers when it names a unit and holds one of the question's
        telling words ("通惠河…听说要治河顺便弄景观": 实施通惠河…景观提升, 区水务局). Taken out of ranked."""
        if q.intent not in ("who", "co") or len(q.key) <= SHORT_QUESTION:
            return None
        sims = self.semantic.similarities(q.text)
        for i in map(int, top_k(sims, WHO_NEAREST)):
            if self.passages[i]["units"] and self._telling(q, i) >= 1 \
                    and self._char_coverage(q, i) >= WHO_SEMANTIC_CHAR_COVERAGE:
                found = next((r for r in ranked if r[2] == i), None)
                if found is not None:
                    ranked.remove(found)
                return found or (ranked[0][0] if ranked else 1.0, 0.0, i)
        return None

    def _one_reading_only(self, q: Query, i: int) -> bool:
        """All the passage says in full of an English question is one word the dictionary read alone, or nothing
        ("my neighbour's dog barks all night": night -> 夜晚, and the streetlights for unlit roads at night)."""
        said = self._said_in_full(q, i)
        return any(c.gloss for c in q.concepts) and len(said) < 2 and all(c.gloss and " " not in c.label for c in said)

    def _quotes_gazette(self, q: Query) -> bool:
        """The question names something in the gazette's own words ("友谊医院通州院区二期"), whatever errand
        ("看病") it tells: a stretch of QUOTED characters the gazette has."""
        return any(run[k:k + QUOTED] in self._gazette_text
                   for run in _CJK_RUN.findall(q.key) for k in range(len(run) - QUOTED + 1))

    def _in_gazette(self, words: str) -> bool:
        """Some passage says these very words (keys hold no whitespace, so the newlines keep passages apart)."""
        return words in self._gazette_text

    def _name_runs(self, q: Query) -> None:
        """A run of characters jieba cut one by one whose every pair the gazette uses ("东夏园", a hub's name) is
        a word of the question, matched by those pairs; a run the gazette does not hold stays loose ("太黑")."""
        named = [run for run in q.loose_runs if all(b in self.index.idf for b in bigrams(run))]
        q.loose_runs = []   # read once: a search within a document asks again
        for run in named:
            pairs = bigrams(run)
            q.concepts.append(Concept(label=run, alternatives=[intern([run, *pairs])], core=intern(pairs)))
            q.loose -= len(run)
        if named:
            q.concepts_changed()

    def _glosses_agree(self, q: Query, top: tuple[float, float, int]) -> bool:
        """An answer that rests on dictionary readings of English words alone is one of the passages nearest to
        the whole question in meaning: a word read alone can mean many things ("buy" -> 购买)."""
        _, cov, i = top
        if self.semantic is None or not any(c.gloss for c in q.concepts) \
                or any(c.via and (not c.gloss or " " in c.label) for c in q.concepts):
            return True   # a lexicon word, or a run of words the dictionary reads as one ("winter olympics"), is sure
        if q.asks_for and cov >= GLOSSES_ALL_SAID and all(n.search(self.passages[i]["text"]) for n, *_ in q.asks_for):
            # ... or every word read is said, and so is the kind of thing asked ("within how many hours": 24小时内)
            return True
        sims = self.semantic.similarities(q.text)
        return bool((sims > sims[i]).sum() < GLOSS_SEMANTIC_DEPTH)

    @staticmethod
    def _leaders_first(q: Query, answers: list[dict]) -> list[dict]:
        """Asking who leads it, the first answer naming leaders comes first: a passage about the topic that names
        none cannot answer it ("设立产业母基金这项任务的牵头领导"). Doing the same for units and deadlines lost
        more answers than it won (a rule or plan often says who or when in its own words)."""
        if q.intent != "leader" or not answers or answers[0]["leaders"]:
            return answers
        leading = next((a for a in answers[1:] if a["leaders"]), None)
        return [leading, *[a for a in answers if a is not leading]] if leading else answers

    def _top_answers(self, q: Query, ranked: list[tuple[float, float, int]]) -> bool:
        return bool(ranked) and self._answerable(
            q, ranked[0], dominant=len(ranked) == 1 or ranked[0][0] >= DOMINANT * ranked[1][0])

    def _specific(self, q: Query, i: int) -> bool:
        """The passage shares a telling word with the question, not only words found everywhere ("去景区玩遇上突发
        事件": 突发事件 and 处置 are in a hundred passages; 景区 is what the question is about)."""
        return self._telling(q, i, shortest=1) > 0

    def _telling(self, q: Query, i: int, shortest: int = 2) -> int:
        """How many of the question's concepts the passage holds by a feature (of at least shortest characters)
        few passages use."""
        feats, df = self.index.weights[i], self.index.df
        return sum(any(len(f) >= shortest and f in feats and df.get(f, 0) <= GENERAL_TERM
                       for alt in c.alternatives for f in alt) for c in q.concepts)

    def _general(self, alternatives: list[list[str]]) -> bool:
        """Meanings that only say something general ("塌了" -> 突发事件、事故): every one is in many passages (a
        word the gazette never uses says nothing either way)."""
        known = [self.index.df[alt[0]] for alt in alternatives if alt and alt[0] in self.index.df]
        return bool(known) and min(known) > GENERAL_TERM

    def _bridge_words(self, q: Query) -> bool:
        """Question words neither the lexicon nor the gazette holds take the meaning of the lexicon word nearest
        to them in meaning ("暖气管道爆了" ≈ 暖气管爆 → 供热事故), see bridge.py: whole clauses first, then the
        words and runs of words of each plain concept."""
        if self.bridge is None:
            return False
        clauses = [(clause, question_phrases().sub("", clause)) for clause in _CLAUSES.split(q.key)]
        spans = {id(c): bridge_spans(self.tok.lcut(c.label, HMM=False)) for c in q.concepts
                 if not c.via and c.label not in self.index.idf}
        # each text costs the model a few milliseconds: only those the steps below may look up are embedded
        wanted = [said for clause, said in clauses if self._bridgeable(q, clause, said)]
        self._embed_together(q, wanted + [s for parts in spans.values() for s in parts])
        changed = self._bridge_clauses(q, clauses)
        for c in q.concepts:
            if c.via or c.label in self.index.idf:
                continue
            # a run of the words may leave out the one that matters: the swap is judged on the whole
            hit = self.bridge.nearest(spans[id(c)], unless=lambda _, word, label=c.label: self._swaps_a_word(label, word))
            if hit is None:
                continue
            phrase, means, sim = hit
            meant = [term_features(self.tok, m) for m in means]
            if self._general(meant):
                continue   # "塌下去" ≈ 塌了 → 事故 says nothing the question did not
            c.alternatives = meant + [c.alternatives[0]]
            c.core, c.via = None, f"{c.label}≈{phrase}"
            q.matched.append(f"近义：{c.label} ≈ {phrase}（{sim:.2f}）→ {'、'.join(means)}")
            changed = True
        if changed:
            q.concepts_changed()
        return changed

    def _bridge_moved_agreed(self, q: Query, before: list[tuple[float, float, int]],
                             after: list[tuple[float, float, int]]) -> bool:
        """The bridge's guess pushed aside the passage the question's own words put first and its meaning near the
        top, for one the meaning ranks far down ("想请区长给题个字" ≈ 需向区长请假 over 不题字、题词): two channels agreeing outweigh one guessed word."""
        if self.semantic is None or not before or not after or q.text not in self.semantic:
            return False
        first, now = before[0][2], after[0][2]
        sims = self.semantic.similarities(q.text)
        # a guess that lands on a passage the meaning also ranks high is a correction, not a stray word
        return now != first and int((sims > sims[first]).sum()) < AGREE_TOP \
            and int((sims > sims[now]).sum()) >= FUSE_DEPTH

    def _embed_together(self, q: Query, parts: list[str]) -> None:
        """Embed the question (for fusion) and the parts of it the bridge may look up in one model call: one call
        for several short texts costs less than one each. Parts come clauses first, then words, then runs."""
        whole = [] if q.text in self.semantic else [q.text]
        todo = self.bridge.unseen(parts)[:BRIDGE_TEXTS - len(whole)]
        if not todo and not whole:
            return
        # a question of one clause is that clause: its vector is embedded once and serves both
        texts = whole + [t for t in todo if t not in whole]
        vectors = self.semantic.model.queries(texts)
        if whole:
            self.semantic.prime(q.text, vectors[0])
        if todo:
            self.bridge.learn(todo, vectors[[texts.index(t) for t in todo]])

    def _swaps_a_word(self, said: str, word: str) -> bool:
        """The nearest lexicon word cannot stand for what was said: it drops a name only a passage or two use
        ("…加货拉拉那些模块" ≈ 副中心智慧交通平台), or it is what was said with one of its gazette words swapped
        for another ("一般公共预算支出" ≈ 一般公共预算收入): embeddings put sibling words side by side, but the
        question asked about the one the gazette has and the lexicon word lacks."""
        said_words = [w for w in self.tok.lcut(said, HMM=False) if len(w) >= 2 and w in self.index.df]
        if any(len(w) >= 3 and self.index.df[w] <= BRIDGE_NAME_DF and w not in word for w in said_words):
            return True    # "公众号里加货拉拉那些模块": a name only a passage or two use says what is meant
        # ... or two words side by side, neither in the lexicon word, that the gazette says together that seldom
        # ("加货运模块" ≈ 副中心智慧交通平台; not "发展夜经济" ≈ 夜经济)
        if any(a not in word and b not in word and 0 < self._gazette_text.count(a + b) <= BRIDGE_NAME_DF
               for a, b in zip(said_words, said_words[1:]) if a + b in said):
            return True
        m = SequenceMatcher(None, said, word, autojunk=False).find_longest_match()
        frame = said[m.a:m.a + m.size]
        if m.size < BRIDGE_FRAME_CHARS or self._gazette_text.count(frame) > GENERAL_TERM:
            return False   # a frame found everywhere ("突发事件") says nothing: "景区…突发事件" ≈ 旅游突发事件 is right
        return any(w not in word for w in said_words)

    def _bridge_clauses(self, q: Query, clauses: list[tuple[str, str]]) -> bool:
        """A clause the lexicon knows nothing specific in, close in meaning to a specific lexicon word as a whole
        ("路中间突然塌了个大坑" ≈ 路塌了 → 道路突发事件), stands for that word: residents describe what happened
        in a clause, and its parts alone ("塌了", "大坑") say little. clauses: (clause, its words)."""
        changed = False
        for clause, said in clauses:
            inside = self._bridgeable(q, clause, said)
            if not inside:
                continue
            hit = self.bridge.nearest([said], unless=self._swaps_a_word)
            if hit is None:
                continue
            phrase, means, sim = hit
            meant = [term_features(self.tok, m) for m in means]
            if self._general(meant):
                continue
            merged = Concept(label="".join(c.label for c in inside), alternatives=meant, via=f"{said}≈{phrase}")
            q.concepts = [c for c in q.concepts if all(c is not x for x in inside)] + [merged]
            q.matched.append(f"近义：{said} ≈ {phrase}（{sim:.2f}）→ {'、'.join(means)}")
            changed = True
        return changed

    def _bridgeable(self, q: Query, clause: str, said: str) -> list[Concept]:
        """The question's words inside a clause that may be matched as a whole: one long enough, whose words are
        all plain or only stand for something general so far; [] for any other clause."""
        inside = [c for c in q.concepts if c.label and c.label in clause]
        if len(said) < BRIDGE_CLAUSE_CHARS or any(c.via and not self._general(c.alternatives) for c in inside):
            return []
        return inside

    def _compose(self, q: Query, p: dict, score: float) -> dict:
        weighted = q.weighted(self.index.weight)

        def sentence() -> str:
            if q.intent in ("who", "leader", "co") and (not p["units"] or p.get("unit_source") == "text"):
                said = actor_clause(p["text"], weighted)
                if said:
                    return said
            return best_sentence(p["text"], weighted, figures=q.intent == "target")
        # a figure is asked by a target question, or by one asking for an area, an amount, a count…
        concepts = [[[(f, self.index.weight(f)) for f in alt] for alt in c.alternatives] for c in q.concepts]
        detail = column_asked(p.get("details"), q.key) or detail_line(
            p.get("details"), p["key"], concepts, figures=q.intent == "target" or bool(q.asks_for),
            needs=[n for n, *_ in q.asks_for], total=bool(TOTAL_ASKED.search(q.key)))
        # of several figures, the one the question's topic words and the terms they stand for are about
        # ("入园率" -> 适龄儿童入园率)
        meant = "".join(c.alternatives[0][0] for c in q.concepts if c.via and c.alternatives and c.alternatives[0])
        lead = lead_for(q.intent, p, sentence, self.today, q.key, q.measure_word, detail,
                        named=[c.label for c in q.concepts], meant=meant, prefers=q.prefers)
        if q.role is not None:
            # "主任由谁担任": the clause naming who holds that role, not the sentence's first (副主任由…)
            lead = next((c for c in _ROLE_CLAUSE.split(p["text"]) if q.role.search(c)), lead)
        answer = to_answer(self.answer_bases[p["pos"]], lead, score, self.today, detail)
        if q.duties is not None and q.duties.search(p.get("heading") or ""):
            # "区应急委是干什么的": the passage is one item of the list its duties head; the answer is the list
            answer["lead"] = f"{_ITEM_NUMBER.sub('', p['heading'])}："
            whole = self.clause(p["clause_id"]) if p.get("clause_id") else None
            if whole and whole.get("text") and len(whole["text"]) <= DUTIES_LIST_CHARS:
                answer["passage"] = whole["text"]
        return answer

    def _decline_errand(self, q: Query) -> dict:
        """An errand the gazette does not describe. Asking how to apply for something it assigns ("一键呼怎么申请"),
        the decline says who it makes responsible, with that passage to open: still no answer to "how"."""
        lead = OUT_OF_SCOPE.format(publication=self.publication)
        done = _procedure_asked(q.errand_words)
        # a who-question on a copy, without the errand's own words ("申请"): the reply says what it used only
        # ... nor another step of applying said in a clause of its own ("去哪申报，要交什么材料")
        probe = self._who_probe(q, lambda c: not any(c.label in w for w in q.errand_words)
                                and c.label not in q.errand_english and not _PROCEDURE_WORD.fullmatch(c.label))
        others = [c for c in CLAUSE_BREAK.split(q.key) if c and not any(w in c for w in q.errand_words)]
        rest = "，".join(others)
        asked = detect_intent(rest, bool(q.units), bool(q.leaders)) if others else "clause"
        if done and probe.concepts and asked in ("who", "when", "leader", "co"):
            # "…哪个部门负责，今年装多少部，我们需要怎么申请": who or by when is answered from the item's columns,
            # and the reply says the gazette does not describe the procedure (a figure it may not give is
            # not answered so: "怎么申请，收入线是多少")
            probe.intent = asked
            probe.out_of_scope, probe.errand_words = False, []
            probe.asks_for = asked_for(rest)
            found = self._within_scope(probe, self._answer(probe, 5))
            if found["answers"]:
                top = found["answers"][0]
                # what else it asks that the answer lacks ("…谁负责，怎么申请，电话多少"): said missing too
                lacking = _lacking(probe.asks_for, top)
                found["note"] = _ask_them(f"公报没有写{_how(done)}" + "".join(f"，也没有写{w}" for w in lacking), top)
                q.asks_for = probe.asks_for   # what the question asks is now what its other clauses ask
                return found
        if done and probe.concepts:
            found = self._answer_search(probe, 1)
            top = found["answers"][0] if found["answers"] else None
            pos = self.by_id[top["id"]]["pos"] if top and top["id"] in self.by_id else None
            # a subsidy a rule sets names nobody to ask ("元宇宙企业房租补贴怎么申请"): the rule granting it is what the
            # gazette says about it, when it says every word asked; a clause mentioning what is applied for is no
            # such rule ("孩子上幼儿园怎么报名" and school security)
            benefit = words_pattern("benefit")
            # unsure of the words, the passage still says the thing a lexicon word recognised ("how do I apply for
            # the elevator installation": 老楼加装电梯); English fillers ("installation", "building") cost coverage
            sure = pos is not None and (not found["suggestions"] or any(not c.gloss for c in self._said_in_full(probe, pos)))
            if sure and (top["units"] or (
                    benefit.search(q.key) and benefit.search(self.passages[pos]["text"]) and self._says_all(probe, pos))):
                probe.matched.append(f"办理方式：公报未写；主责：{'、'.join(top['units'][:3]) or '未写'}")
                lead = _no_procedure(_how(done), top["units"])
                result = self._result(probe, [], lead=lead, intent="out_of_scope", suggestions=[self._suggestion(pos)])
                result["about"] = self.passages[pos]["id"]   # "那谁负责" next is asked of this item
                return result
        return self._result(q, [], lead=lead, intent="out_of_scope")

    def _said_by_answer(self, q: Query, answer: dict) -> list[Concept]:
        """The question's lexicon words an answer's passage says in full (_said_in_full, by answer)."""
        pos = self.by_id.get(answer["id"], {}).get("pos")
        return self._said_in_full(q, pos) if pos is not None else []

    def _topic_word(self, q: Query, answer: dict) -> str | None:
        """The most specific of the question's lexicon words an answer's passage says in full: the one whose
        meaning the fewest passages say ("学位", not "孩子" -> 儿童 or "一次" -> 每年)."""
        df = self.index.df
        said = self._said_by_answer(q, answer)
        most = min(said, default=None, key=lambda c: min((df.get(alt[0], 0) for alt in c.alternatives if alt), default=0))
        return most.label if most is not None else None

    def _falls_due_in_a_period(self, q: Query) -> bool:
        """The question asks what falls due within a span or a named period ("9月到期", "两周内要完成")."""
        return bool(words_pattern("falls_due").search(q.key) and (q.days or period(q.key, self.today)))

    def _decline_related(self, q: Query, result: dict, lead: str) -> dict:
        """No answer, lead saying what the gazette lacks; the result's answers stay as related choices, numbered
        so that "第2个" next picks one (conversation.remember)."""
        return dict(self._result(q, [], lead=lead, intent="out_of_scope", suggestions=self._offered(result)),
                    related=True)

    def _offered(self, result: dict) -> list[dict]:
        """The first answers of a declined result, offered as choices: what the gazette does hold nearby."""
        return [self._suggestion(self.by_id[a["id"]]["pos"]) for a in result["answers"][:3] if a["id"] in self.by_id]

    def _suggestion(self, i: int) -> dict:
        """A choice for "which did you mean?": the item's own first words and who is responsible for it."""
        p = self.passages[i]
        words = re.sub(r"^(分类|预案名称)：[^；]*；(主要种类：)?", "", p["text"].split("\n")[0]).strip()
        words = shorten(words, SUGGESTION_WORDS)
        owner = "、".join(p["units_shown"][:2]) or p["doc_number"]
        return {"id": p["id"], "label": _choice_label(words, owner), "words": words, "owner": owner}

    def _answer_issue(self, q: Query) -> dict:
        """The gazette issue itself: when it came out and which documents it holds."""
        card = self.scope.overview(self.documents)
        answer = {"id": 0, "kind": "issue", "lead": card["lead"], "passage": card["passage"],
                  "citation": card["citation"], "doc_number": "", "doc_title": "", "item": "目录", "units": [],
                  "leaders": [], "co_units": [], "deadline": None, "deadline_text": None, "days_left": None,
                  "score": 1.0, "clause_id": None, "page": 1}
        return self._result(q, [answer], intent="doc")

    def _answer_office(self, q: Query, title: str) -> dict:
        """Who holds the office, from the passages that name the holder with the title; none: say so."""
        found = self.offices.get(title, [])
        q.asks_for = []   # the name asked ("叫什么名字") is what the answer gives
        if not found:
            return self._result(q, [], lead=NAME_NOT_PRINTED.format(office=title), intent="out_of_scope")
        answers = []
        for name, i in found:
            a = self._compose(q, self.passages[i], 1.0)
            a["lead"] = f"{title}：{name}"
            answers.append(a)
        q.matched.append(f"职务：{title}")
        return self._result(q, answers, intent="leader")

    def _answer_items(self, q: Query, ref: Reference, limit: int, note: str | None = None) -> dict:
        """The items a question names by number ("2号文第35项谁负责"), the column it asks for first. A short
        number two documents share ("1号文第5项") shows the other one's item too, and says so."""
        q.matched.append(f"条目：{ref.label}" + (f"（{ref.documents[0]}）" if ref.documents else ""))
        q.by_number = True
        if q.intent == "doc":   # "通政发〔2022〕2号第100项完成时限": the 文号 names the item, the rest asks
            q.intent = detect_intent(DOC_NUMBER.sub(" ", q.key), bool(q.units), bool(q.leaders))
        if q.units or q.leaders:
            # "第14项，西集镇设几个劝导站": the town's own figure from the item's details, not the total
            self._names_as_concepts(q)
        positions = ref.items
        if len(positions) == 1:
            part = self._part_asked(q, positions[0])
            if part is not None:
                positions = [part, positions[0]]
        answers = [self._compose_item(q, self.passages[pos]) for pos in positions[:limit]]
        other = ref.alternative
        if other and other.items and len(answers) < limit:
            answers.append(self._compose_item(q, self.passages[other.items[0]]))
            note = f"“{ref.label}”两份文件都有：{ref.documents[0]}和{other.documents[0]}，都列在这里。"
        return self._result(q, answers, note=note)

    def _part_asked(self, q: Query, pos: int) -> int | None:
        """The part of an article its other words ask about ("工作规则第四十六条 多少钱以上的追加预算要上常务会": its
        （五）, which says 2000万元): the one ranked first, when it holds more of the question than the head."""
        p = self.passages[pos]
        if p["kind"] != "clause" or not q.concepts:
            return None
        parts = self.parts.get(pos, [])
        if not parts:
            return None
        # the words naming the document ("工作规则") or the article ask nothing of its parts
        doc = self.documents.get(p["doc_number"], {})
        named = search_key(f"{doc.get('title', '')} {doc.get('short_title', '')}")
        asked = [c for c in q.concepts if not re.search(r"第|[条项]$", c.label)
                 and not _mostly_in(search_key(c.label), named)]
        if not asked:
            return None
        probe = copy.copy(q)   # searched without touching the question, whose words the reply reports
        probe.concepts = asked
        probe.concepts_changed()
        ranked = self._rank(probe, pool={pos, *parts})
        head = next((cov for _, cov, i in ranked if i == pos), 0.0)
        # (more of the question's words than the head says: a part merely ranked first may share its few)
        return ranked[0][2] if ranked and ranked[0][2] != pos and ranked[0][1] > head else None

    def _compose_item(self, q: Query, p: dict) -> dict:
        """An item looked up by number; asked for no column ("2号文第35项", "…是什么"), it leads with its own
        opening words: the question's words are the reference, which chooses no sentence."""
        a = self._compose(q, p, 1.0)
        if p.get("heading"):   # "四（三）3": the first paragraph of an item, under the item's own heading
            a["passage"] = f"{p['heading']}\n{a['passage']}"
            if q.intent == "clause":
                a["lead"] = p["heading"]
                return a
        if q.intent == "clause":
            opening = re.split(r"[。；;\n]", p["text"].strip(), maxsplit=1)[0]
            a["lead"] = re.split(r"[，,]", opening, maxsplit=1)[0] if len(opening) > 40 else opening
        return a

    def _beyond_every_list(self, label: str) -> bool:
        """An ordinal item number ("第150项", "第一百五十条") larger than any document's or table's numbering."""
        m = re.fullmatch(r"第(.+)[项条号件行]|(?:item|task|任务|no\.|number|#)(\d+)", label or "")
        n = cn_number(m.group(1) or m.group(2)) if m else None
        if not n:
            return False
        if self._longest_list is None:
            self._longest_list = max((k[2] for k in self.catalog.items if isinstance(k[2], int)), default=0)
        return n > self._longest_list

    def _no_item_anywhere(self, q: Query, ref: Reference) -> dict:
        """An item number without its document that no document has: which list is longest."""
        articles = ref.label.endswith("条")   # "第150条" is looked for as an article too: the longest rules
        counts = {}
        for doc, kind, n in (k for k in self.catalog.items if isinstance(k[2], int)):
            if kind == "article" and articles:
                counts[doc] = max(counts.get(doc, 0), n)
        counts = counts or self.catalog.task_counts
        number, count = max(counts.items(), key=lambda kv: kv[1])
        q.matched.append(f"条目：{ref.label} 不存在")
        name = f"{number}《{self.documents[number]['short_title']}》"
        most, unit, example = ("条文", "条", "工作规则第46条") if counts is not self.catalog.task_counts \
            else ("任务", "项", "2号文第35项")
        return self._result(q, [], lead=NO_ITEM_ANYWHERE.format(label=ref.label, most=most, name=name, count=count,
                                                                unit=unit, example=example), intent="doc")

    def _no_such_item(self, q: Query, ref: Reference) -> dict:
        """An item number the named document does not have: how many it has."""
        number = ref.documents[0]
        if ref.table:
            name, count = self._table_name(ref.table), self.catalog.table_rows.get(ref.table, 0)
        else:
            name, count = f"{number}《{self.documents[number]['short_title']}》", self.catalog.task_counts.get(number, 0)
        q.matched.append(f"条目：{ref.label}（{number}）不存在")
        if not ref.table and not count:
            # a document of tables, not tasks ("通政发〔2022〕3号第24项"): the rows its tables number so
            rows = [self.passages[k] for k in sorted(self.in_document[number])
                    if (self.passages[k]["item"] or "").endswith(ref.label)]
            if rows:
                note = f"{name}没有编号的任务清单；它的表格里的{ref.label}如下。"
                return self._result(q, [self._compose_item(q, p) for p in rows], note=note, intent="clause")
        articles = max((n for d, kind, n in self.catalog.items if d == number and kind == "article"), default=0)
        if count:
            lead = f"{name}共 {count} 项，没有{ref.label}。"
        elif articles and ref.label.endswith("条"):   # "工作规则第90条": how many articles it has
            lead = f"{name}共 {articles} 条，没有{ref.label}。"
        else:
            lead = f"{name}里没有{ref.label}。"
        return self._result(q, [], lead=lead, intent="doc")

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
        if q.intent == "doc" and not asks_about_document:
            # "通政发〔2022〕6号 谁负责路灯": the 文号 says where to look, the rest what is asked
            q.intent = detect_intent(DOC_NUMBER.sub(" ", q.key), bool(q.units), bool(q.leaders))
        if q.concepts and q.intent != "doc" and not asks_about_document:
            # a question about something inside that document: search within it
            pool = self.in_document[number]
            inner = self._answer_search(q, 5, pool)
            if inner["answers"]:
                inner["note"] = note
                return inner
        if words_pattern("in_force").search(q.key):
            in_force = next((self.passages[k] for k in sorted(self.in_document[number])
                             if _IN_FORCE.search(self.passages[k]["text"])), None)
            if in_force is not None:
                dated = _dated_line(doc_passage)
                answer = self._compose(Query(text=q.text, key=q.key, spaced=q.spaced, intent="clause"), in_force, 1.0)
                answer["lead"] = _IN_FORCE.search(in_force["text"]).group(0).strip() \
                    + (f"（{dated.split('，')[0]}）" if dated else "")
                return self._result(q, [answer], note=note, intent="doc")
        if words_pattern("basis").search(q.key):
            # its opening says what it carries out: "为贯彻落实《北京市关于加快建设全球数字经济标杆城市的实施方案》"
            opening = min((self.passages[k] for k in self.in_document[number] if _BASIS.search(self.passages[k]["text"])),
                          key=lambda p: (p["page"] or 0, p["pos"]), default=None)
            if opening is not None:
                answer = self._compose(Query(text=q.text, key=q.key, spaced=q.spaced, intent="clause"), opening, 1.0)
                said = re.sub(r"^[\u4e00-\u9fff]{2,6}：", "", _BASIS.search(opening["text"]).group(0).strip())   # "主要内容："
                answer["lead"] = shorten(said, BASIS_LEAD)
                return self._result(q, [answer], note=note, intent="doc")
        answer = self._compose(Query(text=q.text, key=q.key, spaced=q.spaced, intent="doc"), doc_passage, 1.0)
        count = self.catalog.task_counts.get(number, 0)
        if not count and _ASKS_ITEMS.search(DOC_NUMBER.sub(" ", q.key)) and note is None:
            # "3号文有哪些任务": a plan or a set of measures numbers no tasks; say what it does number
            tables = [f"《{t}》{self.catalog.table_rows.get(t, 0)} 项" for t, n in self.catalog.tables.items() if n == number]
            # an item it does number, as an example to ask
            numbered = next((m.group(0) for k in sorted(self.in_document[number])
                             if (m := re.search(r"第\d+项$", self.passages[k]["item"] or ""))), None)
            note = f"{number}没有编号的任务清单" + (f"；它的表格有{'、'.join(tables)}" if tables else "") \
                + (f"，可以问“{numbered}”或其中的事。" if numbered else "，可以直接问其中的内容。")
        if count and _ASKS_COUNT.search(q.key):
            answer["lead"] = f"{number} 共 {count} 项"   # "2号文一共多少项": staff count before they look one up
        elif _ASKS_DATE.search(q.key):
            # "2号文是哪天发的": the line with its dates, not its title again
            dated = _dated_line(doc_passage)
            if dated:
                answer["lead"] = dated.split("，刊于")[0]
        return self._result(q, [answer], note=note, intent="doc")
