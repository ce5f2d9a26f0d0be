"""Turn a passage into an answer: the lead that says what was asked, then the passage and its citation."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache

from .datafiles import read_toml
from .deadlines import days_told
from .figures import extract_figure
from .lexicon import measure_classes, words_pattern
from .units import with_english_names

PLAN_COLUMN = "牵头编制部门"   # the unit column of the plan catalogue (8.3): who drafts each plan

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
# a comma inside brackets ("进行（50%，70%，100%）三档补贴") does not end a clause
_CLAUSE = re.compile(r"(?:（[^（）\n]{0,80}）|\([^()\n]{0,80}\)|[^，,。；;！？!?\n])+[，,。；;！？!?]?")


def best_sentence(text: str, weighted: list[tuple[str, float]], limit: int = 60, figures: bool = False) -> str:
    """The sentence of the passage that shares the most with the question (shortened at a comma if long).

    weighted: the question's features with their weights. With figures=True a sentence that states a
    number wins over one that does not.
    """
    def score(s: str) -> float:
        total = 1000.0 if figures and extract_figure(s)[0] else 0.0
        for f, w in weighted:
            if f in s:
                total += w
        return total

    sentences = _split(_SENTENCE, text)
    if not sentences:
        return text[:limit]
    best = max(sentences, key=score) if len(sentences) > 1 else sentences[0]   # the first of equals
    if len(best) > limit:
        parts = _split(_CLAUSE, best)
        if parts:
            top = max(parts, key=score) if len(parts) > 1 else parts[0]
            i = parts.index(top)
            best = top
            # keep the neighbouring comma-clauses while they fit: they usually finish the thought
            # a short opener ("根据元宇宙企业房租补贴标准，") says nothing alone: it takes the next clause, up to
            # twice the limit
            for j in range(i + 1, len(parts)):
                if len(best) + len(parts[j]) > (limit if len(best) >= limit // 3 else 2 * limit):
                    break
                best += parts[j]
    return best.rstrip("，,；;")


@lru_cache(maxsize=8192)
def _split(pattern: re.Pattern, text: str) -> tuple[str, ...]:
    """Sentences (or comma-clauses) of a passage; passages recur, so this is worked out once each."""
    return tuple(s.strip() for s in pattern.findall(text) if s.strip())


def column_asked(details: str | None, key: str) -> str | None:
    """The details line whose column the question names ("8号文第10项完成指标", "第23项9月前要完成的"), shortened."""
    for line in (details or "").split("\n"):
        label, _, value = line.partition("：")
        if value and (label in key or (label == "完成指标" and words_pattern("milestones").search(key))):
            return f"{label}：{value[:DETAIL_WORDS]}" + ("…" if len(value) > DETAIL_WORDS else "")
    return None


def detail_line(details: str | None, said: str, concepts: list[list[list[tuple[str, float]]]], figures: bool = False,
                needs: list[re.Pattern] | tuple = (), total: bool = False) -> str | None:
    """The line of a passage's details ("完成指标：…") that says what the question asks beyond the passage's own
    words ("张家湾镇要建几个劝导站": the town's figure, where the item only totals them), shortened to its best
    sentence: "完成指标：…张家湾镇15个，马驹桥镇9个…". None when the details add nothing asked.
    said: the passage's own words (normalised); concepts: the question's concepts, each its alternatives' weighted
    features (an English word read as six Chinese words is one thing asked, weighed once, and said when the
    passage says one of them); figures: a figure is asked (a sentence stating one wins); needs: what the answer must hold ("公里" asked "多长"), when it is asked;
    total: a total is asked ("总共多大面积"), which a line adding the parts up states ("共计3900平方米")."""
    if not details:
        return None
    asked = [[(f, w) for alt in c for f, w in alt if f not in said] for c in concepts
             if not any(alt and all(f in said for f, _ in alt) for alt in c)]
    asked = [c for c in asked if c]
    # what a details line must hold of the rest of the question: a word or two of a long story ("农村") is no
    # question about the details; a figure or a length asked of an item that states none is answered by the
    # details' own
    needed = DETAIL_SHARE * sum(max(w for _, w in c) for c in asked)
    if (figures and not extract_figure(said)[0]) or (needs and not all(n.search(said) for n in needs)):
        asked, needed = [[fw for alt in c for fw in alt] for c in concepts if any(c)], 0.0
    if not asked:
        return None
    weighted = [fw for c in asked for fw in c]
    best, best_score = None, needed
    for line in details.split("\n"):
        label, _, value = line.partition("：")
        sentence = best_sentence(value, weighted, limit=DETAIL_WORDS, figures=figures)
        if not all(n.search(sentence) for n in needs):
            continue
        score = sum(max((w for f, w in c if f in sentence), default=0.0) for c in asked)
        if figures and any(re.search(re.escape(f) + r"\W?\d", sentence) for c in asked for f, _ in c):
            score *= PAIRED   # "南小营路1.799公里": the figure right after the name asked is that name's own
        if total and TOTAL_SAID.search(sentence):
            score *= PAIRED
        if score > best_score:
            best, best_score = f"{label}：{_marked_cut(sentence, value)}", score
    return best


# a clause naming who does something, where no column does ("监测组由区统计局牵头", "委托常务副区长主持政府工作")
_ACTOR = re.compile(r"由[^，,。；;]{2,24}?(牵头|负责|主持|承担|主责|组织实施|统筹)|委托[^，,。；;]{2,12}?(主持|负责|办理)")
# what opens a clause before its point: its numbering ("6.7.1", "七、") or a conjunction ("并委托…")
_CLAUSE_OPENING = re.compile(r"^(\d+(\.\d+)*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|并且?|同时|另外)")


def actor_clause(text: str, weighted: list[tuple[str, float]]) -> str | None:
    """Asked who, of a passage with no unit column: its clause naming who does it, the one sharing most with the
    question; None when no clause names anyone so."""
    clauses = [c.rstrip("，,。；;") for c in _split(_CLAUSE, text) if _ACTOR.search(c)]
    if not clauses:
        return None
    best = max(clauses, key=lambda c: sum(w for f, w in weighted if f in c))
    return _CLAUSE_OPENING.sub("", best).strip() or best


def _marked_cut(part: str, whole: str) -> str:
    """part of whole with "…" where it was cut, so a town's line read out of a list ("…漷县镇15个，于家务乡10个。")
    is not taken for the whole list."""
    at = whole.find(part)
    if at < 0:
        return part
    return ("…" if whole[:at].strip() else "") + part + ("…" if whole[at + len(part):].strip(" 。；;") else "")


# a total asked, and stated: "总共多大面积" is answered by "共计3900平方米", not by one town's 800平方米
TOTAL_ASKED = re.compile(r"总共|一共|总计|合计|共计|加起来|加一块|加在一起|总(面积|数|量|规模|投资|长度|里程)")
TOTAL_SAID = re.compile(r"共计|合计|总计|总共|一共|总(面积|数|量|规模|投资|长度|里程)|共\d")
DETAIL_WORDS = 80    # characters of a details line shown: one sentence of it, not the whole ledger cell
PAIRED = 1.2         # a details line stating a figure right after a word asked outranks one naming them apart
DETAIL_SHARE = 0.3   # of the question's weight beyond the passage's words a details line must hold to be shown


def _join(names: list[str]) -> str:
    return "、".join(names)


def lead_for(intent: str, p: dict, sentence_of, today: dt.date, asked: str = "", measure: str | None = None,
             detail: str | None = None, named: Sequence[str] = (), meant: str = "",
             prefers: Sequence[re.Pattern] = ()) -> str:
    """One line answering what was asked, from the right column of the passage.

    sentence_of() gives the passage's best sentence; it is only worked out when a column does not answer.
    asked: the question as said (normalised), to choose among several figures in that sentence; measure: the
    measure word it asks in ("几年": 年, Query.measure_word); detail: the details line that says what was asked
    beyond the passage (detail_line), whose figure answers a figure question; named: the question's topic
    words, meant: the gazette terms its lexicon words stand for, which choose among figures first.
    """
    def most_said(clauses: list[str]) -> str:
        return _with_shared_topic(_most_said(clauses, asked, named, meant), p["text"], asked)

    def goal(said: str) -> str:
        # a figure of a plan, task or target is its goal; one in a rule ("24小时内发布信息") is what it requires
        return f"目标：{said}" if p.get("kind") != "clause" or "目标" in (p.get("context") or "") else said

    units, leaders, co = p.get("units_shown") or p["units"], p["leaders"], p["co_units"]
    days = days_told(p["deadline"], p.get("deadline_text"), today) if p.get("deadline") else None
    if intent == "leader" and leaders:
        return f"牵头领导：{_join(leaders)}"
    if intent in ("who", "leader", "co") and p.get("unit_source") == "text":
        # a rule's own words say who does what ("由市规划自然资源委通州分局牵头，会同…"): the sentence answering the
        # question leads, not a label claiming the department for the whole paragraph or no co-unit for it
        return sentence_of()
    main = p.get("unit_label") or "主责单位"   # as the item prints it: 主责单位, or the digital-economy plan's 责任单位
    if intent == "leader" and units and p.get("kind") in ("task", "livelihood"):
        return f"未列牵头领导；{main}：{_join(units)}"   # the 台账 names units only: say so, not repeat the item
    if intent == "co":
        if co:
            return f"{p.get('co_label') or '协办单位'}：{_join(co)}"
        if units:
            return f"未列协办单位；{main}：{_join(units)}"
    if intent == "when":
        # "多久抽一次", "多久要办完": how often or how quickly (intents.toml [[prefers]]) is said in the passage's
        # own words; its deadline answers "by when", not these
        timed = [c.rstrip("，,；;。") for c in _split(_CLAUSE, p["text"]) if any(r.search(c) for r in prefers)]
        if timed:
            return most_said(timed)
        if p.get("deadline_text"):
            return f"完成时限：{p['deadline_text']}（{days}）" if days else f"完成时限：{p['deadline_text']}"
        sentence = sentence_of()
        plan = p.get("kind") == "row" and p.get("unit_label") == PLAN_COLUMN
        if not _WHEN_SAID.search(sentence) and (p.get("kind") in ("task", "livelihood") or plan):
            # "那什么时候完成": a task the ledger gives no date, or a plan the 预案目录 has drafted; its words again
            # would read as the answer (a rule, a plan's clause or a kind of emergency has no 完成时限 to speak of)
            return f"{NO_DEADLINE}{(_row_sentence(p, units) if plan and units else '') or sentence}"
        return sentence
    if intent == "target" and asked and uncounted(measure, f"{detail or ''}\n{p['text']}"):
        # "一键呼要装多少台": the item's figure counts 床位 (300张); a figure in another measure is no answer, and
        # saying which figure the item does give keeps the reply honest
        figures = [c.rstrip("，,；;。") for c in _split(_CLAUSE, p["text"]) if extract_figure(c)[0]]
        return NO_COUNT.format(measure=measure) + (f"；条目写的是：{most_said(figures)}" if figures else "")
    if intent in ("target", "clause") and p.get("stated"):
        # "突破55亿元" says more than the table's bare "55"; of several figures, the one asked about
        # ("入园率要达到多少": 入园率保持在90%以上, not 覆盖率达到90%以上)
        others = [c.rstrip("，,；;。") for c in _split(_CLAUSE, p["text"]) if extract_figure(c)[0]]
        return goal(most_said([p['stated'], *others]) if asked and len(others) > 1 else p['stated'])
    if intent == "target" and detail and extract_figure(detail)[0]:
        # "张家湾镇要建几个": the town's own figure, not the item's total
        value = detail.split("：", 1)[-1]
        # "设置数量具体如下：宋庄镇13个": the part after a colon that states the figure
        clauses = [part for c in _split(_CLAUSE, value) for part in c.rstrip("，,；;。").split("：")
                   if extract_figure(part)[0]]
        measured = [c for c in clauses if measure and measure in c]
        return goal(most_said(measured or clauses) if clauses else value)
    if measure and asked and intent in ("target", "clause"):
        # "最多补几年": the clause with a figure in years ("连续补贴不超过3年"), wherever it stands
        stated = _figure_in(measure)
        hits = [c.rstrip("，,；;。") for c in _split(_CLAUSE, p["text"]) if stated.search(c)]
        if hits:
            hit = most_said(hits)
            return goal(hit) if intent == "target" else hit
    if intent == "target":
        sentence = sentence_of()
        if extract_figure(sentence)[0]:
            # the clause that states the figure, not the passage again: "建设家庭照护床位300张"
            clauses = [c.rstrip("，,；;。") for c in _split(_CLAUSE, sentence) if extract_figure(c)[0]]
            return goal(most_said(clauses) if clauses else sentence)
    if intent == "clause" and units and p["kind"] == "row":
        # "水灾呢": a table row says who handles it ("水灾：由区应急局、区水务局主责处置"); its best cell alone
        # ("主要种类：水灾") says nothing
        said = _row_sentence(p, units)
        if said:
            return said
    if intent == "who" and co and p.get("co_label") and p["co_label"] in asked and main not in asked:
        return f"{p['co_label']}：{_join(co)}"   # "8号文第24项的责任单位": that item's 责任单位 are its second column
    if intent in ("who", "leader", "co", "unit_list") and units:
        return _row_sentence(p, units) or f"{main}：{_join(units)}"
    if intent in ("due", "leader_list") and p.get("deadline_text"):
        return f"{_join(units) or '—'}，完成时限：{p['deadline_text']}（{days}）"
    if intent == "doc" and p["kind"] == "document":
        return p["text"].split("\n", 1)[0]
    return sentence_of()


@lru_cache(maxsize=64)   # a lead is worked out for every answer to a figure question
def _figure_in(measure: str) -> re.Pattern:
    """A figure counted in measure ("10台", "两年", "1.5万人"). A calendar year ("2021-2025年") is no number of
    years, "第三条" no count of 条, "1万人次" counts visits, not people, and "千人常住人口" is per thousand.
    A round figure may start at its hundreds ("覆盖全区百所学校以上", "上千家"), except for people ("每千名儿童"
    and "千人" are how the gazette writes a rate) and years ("百年奋斗目标", "千年之城"), and not in a slogan
    ("百万亩造林", "千家万户")."""
    digits = r"\d{1,3}(?:\.\d+)?" if measure == "年" else r"[\d.]+(?:万|亿|千)?"
    after = "(?!次)" if measure == "人" else ""
    hundreds = "" if any(m in measure for m in ("人", "名", "年")) else r"|[上近数]?[百千](?![万])(?=\w(?!万))"
    counted = re.compile(rf"(?<![\d.第])(?:{digits}|[一二两三四五六七八九十][一二两三四五六七八九十百千万]*{hundreds})"
                         rf"(?:余|多)?(?:{measure}){after}")
    if "人" not in measure:
        return counted
    # how many people a body needs is said as its share ("须有半数以上组成人员到会", "三分之二以上委员")
    return re.compile(rf"{counted.pattern}|(?:半数|过半数?|[一二三四五]分之[一二三四]){_SHARE_OF_PEOPLE}")


_SHARE_OF_PEOPLE = r"(?:以上|以下)?(?:的)?\w{0,2}?(?:人员|成员|委员|代表)"


NO_COUNT = "公报没有写具体数量（多少{measure}）"
NO_DEADLINE = "公报没有写这一项的完成时限："
_WHEN_SAID = re.compile(r"\d{4}年|\d{1,2}月|年底|年内|今年|明年|[上下]半年")


def uncounted(measure: str | None, text: str) -> bool:
    """Asked "多少台", the text states no figure in 台 nor in a measure counting the same things (intents.toml
    measure_classes). A measure without a class (项, 年, 公里…) is never said missing."""
    kind = measure_classes().get(measure or "")
    return kind is not None and not _figure_in(kind).search(_with_row_unit(text))


_ROW_UNIT = re.compile(r"单位[：:]([^；;\s]+)")
_ROW_TARGET = re.compile(r"目标[：:]\s*([\d.]+)")


def _with_row_unit(text: str) -> str:
    """A table row's figures with the unit its own column gives ("单位：个；2024年目标：80" counts 80个)."""
    m = _ROW_UNIT.search(text)
    return text + "".join(f"\n{n}{m.group(1)}" for n in _ROW_TARGET.findall(text)) if m else text


def _most_said(clauses: list[str], asked: str, named: Sequence[str] = (), meant: str = "") -> str:
    """Of clauses stating figures ("开工…6600套", "竣工…6000套"), the one holding most of the question's topic
    words (named: "入园率", not the "达到" of "要达到多少"), then most of the gazette terms they stand for (meant:
    适龄儿童入园率), then most of the question's own character pairs ("保障房竣工多少套"); the first of equals."""
    pairs = {asked[k:k + 2] for k in range(len(asked) - 1)}
    meant_pairs = {meant[k:k + 2] for k in range(len(meant) - 1)} - pairs
    return max(clauses, key=lambda c: (sum(w in c for w in named if w), sum(pair in c for pair in meant_pairs),
                                       sum(pair in c for pair in pairs)))


_ELLIPTIC = re.compile(r"[\u4e00-\u9fff]{1,6}?\d+(\.\d+)?(?P<unit>[个部套所座条处家项台辆万亿%])(以上|以下|左右)?")


def _with_shared_topic(chosen: str, text: str, asked: str) -> str:
    """"新开工15个，推进20个，竣工5个老旧小区综合整治项目": a run of figures in one measure, each after its step, is
    one answer to "今年有几个"; a question naming a step ("竣工几个", "推进几个") gets that step's clause."""
    clauses = [c.rstrip("，,；;。") for c in _split(_CLAUSE, text)]
    head = _ELLIPTIC.match(chosen)
    if chosen not in clauses or head is None:
        return chosen
    k, unit = clauses.index(chosen), head.group("unit")

    def step(c: str) -> re.Match | None:
        m = _ELLIPTIC.match(c)
        return m if m and m.group("unit") == unit else None

    start = k
    while start > 0 and (m := step(clauses[start - 1])) and m.end() == len(clauses[start - 1]):
        start -= 1   # bare figures before it ("新开工15个，推进20个，")
    end = k
    while end + 1 < len(clauses) and step(clauses[end + 1]) and _ELLIPTIC.fullmatch(clauses[end]):
        end += 1     # ... and after it, up to the one that says what they count ("竣工5个老旧小区…")
    run = clauses[start:end + 1]
    if len(run) < 2:
        return chosen
    pairs = {asked[i:i + 2] for i in range(len(asked) - 1)}
    named = [c for c in run if any(c[i:i + 2] in pairs for i in range(len(_STEP.match(c).group(0)) - 1))]
    if named:   # the step asked about ("推进几个": 推进20个; "开工": 新开工15个)
        return named[0]
    return "，".join(run)


_STEP = re.compile(r"[\u4e00-\u9fff]*")


def _row_sentence(p: dict, units: list[str]) -> str | None:
    """A table row as a sentence: "供水突发事件：由区水务局主责处置" (None for other passages)."""
    if p["kind"] != "row" or not p.get("unit_label"):
        return None
    template = _row_templates().get(p["unit_label"])
    cells = [c.split("：", 1) for c in p["text"].split("；") if "：" in c]
    subjects = [v for k, v in cells if k not in ("分类", p["unit_label"]) and v.strip()]
    if not template or not subjects:
        return None
    return f"{subjects[-1]}：" + template.format(units=_join(units))


def _row_templates() -> dict[str, str]:
    return read_toml("labels.toml")["row_sentences"]


_LEADERS_LINE = "\n牵头领导："


def split_leaders(passage: str) -> tuple[str, str]:
    """A quote's words and its leaders' line ("牵头领导：倪德才、秦涛", or ""): a list shortens the words, never the
    names, which in a leader's list are what it is about."""
    words, found, names = passage.partition(_LEADERS_LINE)
    return (words, _LEADERS_LINE.strip() + names) if found else (passage, "")


def _row_columns(p: dict) -> str:
    """A task or project is one row of its table, and its leaders' names are printed beside its words: the
    quote keeps them ("\n牵头领导：…"), since nothing else in the answer's passage or units would name them. The
    unit and the deadline are in the answer's own fields."""
    if p["kind"] not in ("task", "livelihood") or not p["leaders"]:
        return ""
    return f"{_LEADERS_LINE}{_join(p['leaders'])}"


def answer_base(p: dict, doc_title: str) -> dict:
    """The fields of an answer that depend on the passage alone (the answer object of the JSON contract,
    plus ids the bot's buttons use); to_answer() fills in the rest for each question."""
    return {
        "id": p["id"],
        "kind": p["kind"],
        "lead": "",
        "passage": p["text"] + _row_columns(p),
        "printed": p.get("printed"),   # a table row as printed, cells side by side: what a reader copies from it
        "stated": p.get("stated"),     # an indicator row's figure as the document's text states it
        "detail": None,                # the line of the passage's details that says what was asked (detail_line)
        "citation": p["citation"],
        "doc_number": p["doc_number"],
        "doc_title": doc_title,
        "item": p["item"],
        "units": p.get("units_shown") or p["units"],
        "leaders": p["leaders"],
        "co_units": p["co_units"],
        "unit_label": p.get("unit_label") or "主责单位",     # the source's own column names
        "co_label": p.get("co_label") or "协办单位",
        "deadline": p["deadline"],
        "deadline_text": p["deadline_text"],
        "days_left": None,
        "score": 0.0,
        "clause_id": p["clause_id"],
        "page": p["page"],
    }


def to_answer(base: dict, lead: str, score: float, today: dt.date, detail: str | None = None) -> dict:
    """One answer: a copy of the passage's answer_base() with the lead, the details line, the score and the
    days left."""
    answer = base.copy()
    answer["lead"] = lead
    answer["detail"] = detail
    answer["score"] = round(score, 3)
    if base["deadline"]:
        answer["days_left"] = days_told(base["deadline"], base.get("deadline_text"), today)
    return answer


@lru_cache(maxsize=1)
def _english() -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    data = read_toml("labels.toml")
    # what a note says is missing, in brackets after the phrase that names it: "(电话号码)"
    lacking = [(re.compile(rf"\({re.escape(k)}\)"), f"({v})") for k, v in data.get("said", {}).items()]
    return data["labels"], [(re.compile(k), v) for k, v in data["phrases"].items()] + lacking


def in_english(lead: str) -> str:
    """A lead with its label, day counts, dates and department names in English ("Responsible unit: Housing and
    Urban-Rural Development Commission (区住房城乡建设委)"); quoted words stay as the gazette writes them."""
    labels, phrases = _english()
    label, sep, rest = lead.partition("：")
    if sep and label in labels:
        lead = f"{labels[label]}: {rest}"
    for pattern, replacement in phrases:
        lead = pattern.sub(replacement, lead)
    return with_english_names(_GAZETTE_DATE.sub(_english_date, lead))


# The dates the gazette writes: 2022年12月底前, 2022年9月, 2022年6月底, 2022年4月15日.
_GAZETTE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日|(底)?(前)?)")


def _english_date(m: re.Match) -> str:
    month = f"{calendar.month_name[int(m[2])]} {m[1]}"
    if m[3]:
        return f"{int(m[3])} {month}"
    if m[4]:
        month = f"the end of {month}"
    return f"by {month}" if m[5] else month


# ---------------------------------------------------------------------------------------- what every reply says

def deadline_words(answer: dict) -> str:
    """The deadline as the gazette writes it, with the days left when known: '2022年12月底（还剩 121 天）'."""
    when = answer.get("deadline_text") or ""
    return f"{when}（{answer['days_left']}）" if when and answer.get("days_left") else when


def instead_of_lead(answer: dict, lead: str) -> str | None:
    """What to print in place of a lead that is the whole passage (or its first line), which would otherwise be
    printed twice: who and when, else where it is from; None when the lead says something of its own."""
    passage = (answer.get("passage") or "").strip()
    if lead.strip() not in (passage, passage.split("\n", 1)[0]):
        return None
    return facts(answer) or f"{answer.get('doc_title') or ''} {answer.get('item') or ''}".strip()


def facts(answer: dict, said: str = "") -> str:
    """Who and by when, from the passage's columns: '主责单位：… · 协办单位：… · 完成时限：…（还剩 N 天）',
    leaving out what the lead (said) already says. Telegram replies and the terminal both print it."""
    parts = []
    if answer.get("units"):
        parts.append(f"{answer.get('unit_label') or '主责单位'}：" + "、".join(answer["units"]))
    if answer.get("co_units"):
        # in English "Responsible units" twice (主责单位, 责任单位) reads as a contradiction: the co-column is
        # the units that also work on it
        label = "Also responsible: " if answer.get("lang") == "en" else f"{answer.get('co_label') or '协办单位'}："
        parts.append(label + "、".join(answer["co_units"]))
    if answer.get("deadline_text"):
        parts.append(f"完成时限：{deadline_words(answer)}")
    if answer.get("stated"):
        parts.append(f"正文：{answer['stated']}")
    if answer.get("detail"):
        parts.append(answer["detail"])
    if answer.get("lang") == "en":
        parts = [in_english(p) for p in parts]
    return " · ".join(p for p in parts if p.split("：", 1)[-1].split(": ", 1)[-1].rstrip("。；;") not in said)


def source_line(answer: dict) -> str:
    """Where an answer is from: '出处：《…》…', in English for an English question."""
    return ("Source: " if answer.get("lang") == "en" else "出处：") + (answer.get("citation") or "")
