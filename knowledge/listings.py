"""Listings and look-ups for the bot: what a unit or leader handles, what is due, a passage, clause or
document by id or number. Questions ("区水务局负责哪些工作") and the commands (/unit, /due) list through the
same methods and say it in the same words."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from rapidfuzz import fuzz, process

from . import conversation
from .calendar import OVERDUE, period
from .answers import best_sentence, lead_for, to_answer
from .deadlines import DEFAULT_DAYS, MAX_DAYS, clamp_days, deadline_range, ledger_deadline
from .normalize import search_key
from .offices import with_posts
from .query import Query, analyse
from .references import find as find_references, names_a_document, names_an_item, normalise_doc_number
from .units import groups_of, short_names


_KIND_ORDER = {"livelihood": 0, "task": 1, "row": 2}
_KIND_NAMES = {"livelihood": "民生实事", "task": "任务", "row": "表格行"}


_POST_ASKED = re.compile(r"(什么|啥|哪个)(职务|职位|官职)|是(什么|啥)(官|领导)")   # as intents.toml leader_list


def list_order(p: Mapping) -> tuple[int, int]:
    """A unit's or leader's list: livelihood projects, then tasks, then table rows, then the rest."""
    return _KIND_ORDER.get(p["kind"], 3), p["id"]


def listed(who: str, kinds: Sequence[str]) -> str:
    """The lead of a unit's or leader's list, with what it is made of when that is more than one kind, so its
    count matches `units` and the exports: '区水务局：共 27 项（民生实事 3，任务 13，表格行 11）'."""
    counts = Counter(_KIND_NAMES.get(k, "条文") for k in kinds)
    parts = "，".join(f"{name} {counts[name]}" for name in [*_KIND_NAMES.values(), "条文"] if counts[name])
    return f"{who}：共 {len(kinds)} 项" + (f"（{parts}）" if len(counts) > 1 else "")


_LIST_VERBS = frozenset({"牵头", "负责", "分管", "主责", "承担", "任务", "工作", "项目", "事项", "干什么", "做什么",
                         "领导", "部门", "单位", "哪块", "方面"})

# "/unit 区住建委 配合", "区住建委配合哪些任务": the items a unit supports (责任单位, 协办单位, 配合单位)
_SUPPORTING = re.compile(r"配合|协办|协助|责任单位")


def supporting_asked(text: str) -> bool:
    """The question or /unit argument asks what a unit supports rather than what it leads."""
    return bool(_SUPPORTING.search(text))


def supporting_note(unit: str, n: int) -> str:
    """What a unit's list of lead items adds about the items it supports."""
    return f"；另有 {n} 项列为配合单位，发 /unit {unit} 配合 查看" if n else ""


def group_note(counts: dict[str, int]) -> str:
    """What a town's list adds about the items given to many towns at once: "；另有交给各乡镇的 15 项、相关乡镇的
    5 项，发 /unit 各乡镇 查看" (相关乡镇 are the towns concerned, which may or may not include this one)."""
    counts = {g: n for g, n in counts.items() if n}
    if not counts:
        return ""
    said = "、".join(f"交给{g}的 {n} 项" for g, n in counts.items())
    return f"；另有{said}，发 /unit {next(iter(counts))} 查看"


def due_within(days: int, start: dt.date, total: int, whose: str = "") -> str:
    """The lead of what is due in the next days: '今后 30 天内（2022-09-01 起）到期：18 项', or whose:
    '今后 30 天内（2022-09-01 起）区交通局到期：7 项'."""
    span = f"今后 {days} 天内（{start.isoformat()} 起）{whose}"
    return f"{span}到期：{total} 项" if total else f"{span}没有到期的任务。"


def unknown_unit(name: str) -> str:
    return f"公报中没有找到单位“{name}”。"


def _page(query: str, intent: str, lead: str, answers: list[dict], limit: int) -> dict:
    """A listing in the engine's result shape: the first limit answers, and how many there are in all."""
    return {"query": query, "intent": intent, "lead": lead, "note": None, "matched": [],
            "answers": answers[:limit], "suggestions": [], "total": len(answers),
            "listed": [a["id"] for a in answers]}   # for "更多" and "第7项" in the conversation


def _in_document(pool: list[dict], document: str | None) -> list[dict]:
    """The passages of pool in that document (all of them without one)."""
    return [p for p in pool if document is None or p["doc_number"] == document]


_YEAR_SAID = re.compile(r"(?<!\d)20\d\d|今年|本年|年内|年底|thisyear|yearend")   # the question names its year


class Listings:
    """Engine's listings (a mixin: it reads the passages and documents Engine loads)."""

    def _naming(self, names: list[str]) -> list[dict]:
        """The passages that name any of these units or leaders, in gazette order."""
        return [self.passages[k] for k in sorted({k for n in names for k in self.by_name.get(n, ())})]

    def _supporting(self, names: list[str]) -> list[dict]:
        """The passages that name any of these units in support (责任单位, 协办单位) and not in the lead."""
        lead = {p["pos"] for p in self._naming(names)}
        return [self.passages[k] for k in sorted({k for n in names for k in self.by_co_name.get(n, ())} - lead)]

    def _unit_list(self, q: Query, limit: int, document: str | None = None) -> dict:
        """What the units asked about lead (or, asked so or leading nothing, support), in one document or all."""
        names = q.units + q.leaders   # "倪德才在8号文里有哪些任务": a leader's list in one document, likewise
        leads = _in_document(self._naming(names), document)
        supports = _in_document(self._supporting(q.units), document)
        who = "、".join(q.units + with_posts(q.leaders, self.posts)) + (f"在{document}中" if document else "")
        if q.leaders and not q.units and not leads:
            return self._result(q, [], lead=f"{who}没有列为牵头领导的任务。", intent="leader_list")
        # a town's list says what the gazette gives all towns at once ("各乡镇")
        groups = self._in_groups(q.units[0], document) if len(q.units) == 1 and not q.leaders else ""
        # "区住建委配合哪些任务", or a unit that only ever supports ("市自来水集团通州分公司负责什么"): the items
        # it supports
        if supporting_asked(q.key) or not leads:
            return self._answer_list(q, supports, limit, f"{who} 配合", groups=groups)
        # one unit's list points to /unit for what it supports; the command takes one name
        one = len(q.units) == 1 and not q.leaders
        return self._answer_list(q, leads, limit, who, supporting=len(supports) if one else 0,
                                 groups=groups, unit=q.units[0] if one else "")

    def _leader_list(self, q: Query, limit: int) -> dict:
        """What the leaders asked about lead, titled with the posts the gazette prints; asked a post it does not
        print ("卢庆雷是什么职务"), the lead says so: what he leads is what the gazette says of him."""
        result = self._answer_list(q, self._naming(q.leaders), limit, f"{'、'.join(with_posts(q.leaders, self.posts))} 牵头")
        unknown = [name for name in q.leaders if name not in self.posts]
        if unknown and _POST_ASKED.search(q.key) and result["lead"]:
            result["lead"] += f"（公报没有写{'、'.join(unknown)}的职务，只列了其牵头的任务）"
        return result

    def _in_groups(self, unit: str, document: str | None = None) -> str:
        """The note on the items a unit's groups are given ("永乐店镇": 各乡镇, 相关乡镇), beyond its own."""
        seen = {p["pos"] for p in _in_document(self._naming([unit]) + self._supporting([unit]), document)}
        counts = {}
        for group in groups_of(unit):
            items = {p["pos"] for p in _in_document(self._naming([group]) + self._supporting([group]), document)} - seen
            counts[group] = len(items)
            seen |= items   # an item given to 各乡镇 and 相关乡镇 both is counted once
        return group_note(counts)

    def _nothing_listed(self, unit: str) -> str:
        """A unit that leads nothing: what it supports, and what its groups are given, if anything."""
        more = supporting_note(unit, len(self._supporting([unit]))) + self._in_groups(unit)
        return f"{unit} 在公报中没有牵头或主责的任务{more}。" if more else f"{unit} 在公报中没有列出任务。"

    def _answer_list(self, q: Query, pool: list[dict], limit: int, who: str, supporting: int = 0,
                     groups: str = "", unit: str = "") -> dict:
        if q.wants_livelihood:
            pool = [p for p in pool if p["kind"] == "livelihood"]
        # "区交通局牵头的工作": the verb says whose list it is, not what to look for in it
        q.concepts = [c for c in q.concepts if c.label not in _LIST_VERBS]
        q.concepts_changed()
        if q.concepts:
            ids = {p["pos"] for p in pool}
            found = self._answer_search(q, limit, ids)
            if found["answers"]:
                return found
        pool = sorted(pool, key=list_order)
        answers = [self._compose(q, p, 1.0) for p in pool[:limit]]
        lead = listed(who, [p["kind"] for p in pool]) + supporting_note(unit or who, supporting) + groups if pool else ""
        result = self._result(q, answers, lead=lead)
        result["total"] = len(pool)
        result["listed"] = [p["id"] for p in pool]   # for "更多" and "第7项" in the conversation
        return result

    def _answer_due(self, q: Query, limit: int) -> dict:
        """What falls due in a period, or is overdue; with a unit or leader named ("区住建委9月到期的任务"), only
        theirs, and the lead says whose."""
        named = period(q.key, self.today) if q.days is None else None
        days = q.days or DEFAULT_DAYS
        names = q.units + q.leaders
        theirs = {p["id"] for p in self._naming(names)} if names else None

        def fits(a: dict) -> bool:
            """Theirs ("区住建委9月到期的任务"), a livelihood project ("本月到期的民生实事"), in the document
            named ("8号文里9月到期的")."""
            return (theirs is None or a["id"] in theirs) and (not q.wants_livelihood or a["kind"] == "livelihood") \
                and (not q.doc_numbers or a["doc_number"] in q.doc_numbers)

        if named:   # "下个月到期": the calendar month, not the next 30 days
            start, end, said = named
            # the 台账's month files a task under a month asked about, and among the overdue when it has passed
            # (8号文第24项: the text says 9月, the 台账 6月); the lead says how many are overdue only by the 台账
            items = [a for a in self.due_between(start, end, ledger=True) if fits(a)]
            if not items:
                start, end, said, items = self._in_gazette_years(q.key, named, fits)
        else:
            items = [a for a in self.due(days) if fits(a)]
        whose = "、".join(names) + ("民生实事" if q.wants_livelihood else "")
        # "通政办发〔2022〕8号中，2022年9月…到期：18 项": the document is where, not whose
        where = f"{'、'.join(q.doc_numbers)}中，" if q.doc_numbers else ""
        n = len(items)
        later = ""   # when nothing falls due in the next days: the next deadline after them
        everyone = not (names or q.doc_numbers or q.wants_livelihood)   # /due lists everyone's: offered only then
        if not named:
            lead = where + due_within(days, self.today, n, whose)
            if not n:
                later = self._next_due(self.today + dt.timedelta(days=days), fits, offer_due=everyone)
                lead += later
        elif said == OVERDUE:   # the gazette plans deadlines; whether a task was done it does not record
            # overdue only by the 台账: each entry says which date has passed (deadlines.days_told)
            by_ledger = sum(1 for a in items if a["deadline"] and a["deadline"] > end.isoformat())
            ledger = "" if not by_ledger else "。这一项只是附件台账的期限已过，正文期限未到。" if n == 1 else \
                f"。其中 {by_ledger} 项只是附件台账的期限已过，正文期限未到。"
            lead = f"截至 {self.today}，{where}{whose}期限已过的任务：{n} 项（公报只写计划完成时限，不记载是否已完成）{ledger}" \
                if n else f"截至 {self.today}，{where}{whose}还没有期限已过的任务。"
        else:
            lead = f"{where}{said}（{start}—{end}）{whose}到期：{n} 项" if n else f"{where}{said}{whose}没有到期的任务。"
            if not n and end >= self.today:   # "下个月有什么到期" with nothing in it: when the next ones fall
                later = self._next_due(end, fits, offer_due=everyone)
                lead += later
        if not items and not later:
            lead += self._deadline_span(q.doc_numbers)
        result = self._result(q, items[:limit], lead=lead, intent="due")
        result["total"] = n
        result["listed"] = [a["id"] for a in items]
        return result

    def _answer_from_list(self, q: Query, context: dict, limit: int, back: bool = False,
                          position: int | None = None) -> dict | None:
        """After a list: "更多" / "下一页" / "下一项" shows the next page ("上一项" with back, the one before), "第2项"
        the second entry (position: an entry by its place, with the column the question asks for, else who does
        it); anything else is a question of its own (None)."""
        ids = [i for i in context.get("ids", []) if i in self.by_id]
        n = position if position is not None else conversation.position(q.key)
        if n is not None:
            if not 1 <= n <= len(ids):
                if ids and n > len(ids) and (names_an_item(q.key) or names_a_document(q.key)):
                    return None   # "第35项" after a list of 17: an item of a document, asked as staff do
                lead = (f"刚才的列表只有 {len(ids)} 项。" if context.get("list") else f"刚才的回答只有 {len(ids)} 个结果。") \
                    if ids else "刚才的列表是空的，没有可以选的项。"
                # the conversation stays where it was: "完成时限呢" next is still about the last answer
                return dict(self._result(q, [], lead=lead, intent="followup"), kept=context)
            q.matched.append(f"追问：{context.get('question', '')} 第{n}项")
            result = self._result(q, [self.passage(ids[n - 1], q.text)])
            result["list_context"] = context   # "第3项" next picks from the same list
            return result
        start = context.get("shown", 0)
        if back:
            if context.get("start", 0) == 0:
                return dict(self._result(q, [], lead="这已经是列表的第一页了。", intent="followup"), kept=context)
            start = max(0, context.get("start", 0) - limit)
        rest = ids[start:start + limit]
        if not rest:   # the list stays: "第1项" next still picks from it
            return dict(self._result(q, [], lead=conversation.NO_MORE, intent="followup"), kept=context)
        listing = Query(text="", key="", spaced="", intent=context.get("intent") or "unit_list")
        result = self._result(q, [self._compose(listing, self.by_id[i], 1.0) for i in rest],
                              lead=context.get("lead", ""), intent=listing.intent)
        # the list's own question stays with it: "区交通局呢" on page 2 asks that question of 区交通局, not "更多"
        result.update(total=len(ids), start=start, listed=ids, list_question=context.get("question", ""))
        return result

    def _in_gazette_years(self, key: str, named: tuple[dt.date, dt.date, str],
                          fits: Callable[[dict], bool] = lambda a: True) -> tuple:
        """A month or quarter said without its year ("9月到期") is this year's; when this year has nothing due
        and the issue plans other years, it is that month in each of them that has something due: the gazette's
        "9月" are 2022's, long after it came out, and its "12月" 2022's, 2023's and 2024's. (start, end, said,
        items); "今年到期" names its year and is left alone."""
        start, end, said = named
        span = deadline_range(self.db)
        if span is None or not said.startswith(f"{self.today.year}年") or _YEAR_SAID.search(key):
            return start, end, said, []
        found = []
        for year in range(int(span[0][:4]), int(span[1][:4]) + 1):
            again = period(f"{year}年{key}", self.today)
            if again is not None and again[2].startswith(f"{year}年"):
                items = [a for a in self.due_between(again[0], again[1], ledger=True) if fits(a)]
                if items:
                    found.append((year, again, items))
        if not found:
            return start, end, said, []
        rest = found[0][1][2][len(f"{found[0][0]}年"):]   # "9月", "第4季度", "9月底前"
        said = "、".join(str(year) for year, _, _ in found) + f"年{rest}（未说年份，按公报的年份）"
        return found[0][1][0], found[-1][1][1], said, [a for _, _, items in found for a in items]

    def _deadline_span(self, documents: Sequence[str] = ()) -> str:
        """When the issue's (or the documents') deadlines fall, for a period with none ("本月没有到期的任务"): the
        issue plans its own years, so a later month finds nothing; this says which months do."""
        if documents:
            dates = sorted(p["deadline"] for p in self.passages if p["deadline"] and p["doc_number"] in documents)
            if not dates:
                return "这份文件没有列出完成时限。"
            span, whose = (dates[0], dates[-1]), "这份文件"
        else:
            span, whose = deadline_range(self.db), "本期公报"
        if span is None:
            return ""
        first, last = map(dt.date.fromisoformat, span)
        return f"{whose}的完成时限在 {first.year}年{first.month}月 至 {last.year}年{last.month}月 之间。"

    def passage(self, pid: int, question: str | None = None) -> dict | None:
        """One answer by passage id (buttons carry these, so they work after a restart); with the question it
        was chosen for, the lead answers that question (when -> 完成时限, who leads -> 牵头领导...)."""
        p = self.by_id.get(pid)
        if p is None:
            return None
        q = analyse(question, self.tok, self.names) if question else None
        weighted = q.weighted(self.index.weight) if q else []
        lead = lead_for(q.intent if q and q.intent != "clause" else "who", p,
                        lambda: best_sentence(p["text"], weighted), self.today)
        return to_answer(self.answer_bases[p["pos"]], lead, 1.0, self.today)

    def clause(self, clause_id: str) -> dict | None:
        """The whole provision a passage comes from."""
        row = next(self.db.query("select full_text as text, citation, path from clauses where id = ?", [clause_id]),
                   None)
        return dict(row) if row else None

    def document(self, query: str) -> dict | None:
        """A document by 文号 (repealed numbers lead to the one in force) or by (part of) its title."""
        number = normalise_doc_number(query, self.catalog.prefixes)
        if not number:   # "2号文", "办8号文", "通政办发8号": the short numbers questions accept
            ref = find_references(search_key(query), self.catalog)
            number = ref.documents[0] if ref.documents and not ref.by_title else ""
        if number:
            number = self.replaced.get(number, number)
            doc = self.documents.get(number)
        else:
            titles = {n: search_key(d["short_title"] + d["title"]) for n, d in self.documents.items()}
            hit = process.extractOne(search_key(query), titles, scorer=fuzz.partial_ratio, score_cutoff=60)
            doc = self.documents.get(hit[2]) if hit else None
        return dict(doc) if doc is not None else None

    def resolve_unit(self, name: str) -> str | None:
        """Canonical department name for any spelling (or a close typo) of it; None for another district's
        ("朝阳区城管委" is not Tongzhou's 区城管委)."""
        key = search_key(name)
        if self.scope.elsewhere(key):
            return None
        short = short_names().get(key)
        if short:
            return short
        units, _, _ = self.names.find(key)
        if units:
            return units[0]
        hit = process.extractOne(key, self.unit_names, scorer=fuzz.WRatio, score_cutoff=80)
        return hit[0] if hit else None

    def unit_tasks(self, name: str) -> tuple[str | None, list[dict]]:
        """What a department (or a leader named instead: "/unit 卢庆雷") is responsible for: its tasks, projects
        and table rows; with 配合 after the name ("/unit 区住建委 配合"), the ones it supports instead."""
        supporting = supporting_asked(name)
        if supporting:
            name = _SUPPORTING.sub(" ", name).strip()
        unit, intent = self.resolve_unit(name), "unit_list"
        if unit is None:
            _, leaders, _ = self.names.find(search_key(name))
            if not leaders:
                return None, []
            unit, intent = leaders[0], "leader_list"
        pool = self._supporting([unit]) if supporting else self._naming([unit])
        pool.sort(key=list_order)
        q = Query(text=name, key=search_key(name), spaced=name, intent=intent)
        return unit, [self._compose(q, p, 1.0) for p in pool]

    def unit_listing(self, name: str, limit: int) -> dict:
        """/unit: what a department is responsible for, as a result with the first limit answers and "total"."""
        unit, answers = self.unit_tasks(name)
        if unit is None:
            lead = unknown_unit(name)
        elif supporting_asked(name):
            lead = listed(f"{unit} 配合", [a["kind"] for a in answers]) if answers else f"公报没有把{unit}列为配合单位。"
        else:
            lead = listed(with_posts([unit], self.posts)[0], [a["kind"] for a in answers]) \
                + supporting_note(unit, len(self._supporting([unit]))) \
                + self._in_groups(unit) if answers else self._nothing_listed(unit)
        return _page(name, "unit_list", lead, answers, limit)

    def due_listing(self, days: int, limit: int) -> dict:
        """/due: the tasks due in the next days (1 to MAX_DAYS), as a result with the first limit and "total"."""
        days = clamp_days(days)
        answers = self.due(days)
        lead = due_within(days, self.today, len(answers))
        if not answers:
            lead += self._next_due(self.today + dt.timedelta(days=days)) or self._deadline_span()
        result = _page(str(days), "due", lead, answers, limit)
        result["list_question"] = f"{days}天内到期的任务"   # what "区交通局呢" after /due asks of that unit
        return result

    def _next_due(self, after: dt.date, fits: Callable[[dict], bool] = lambda a: True, offer_due: bool = True) -> str:
        """For a window with nothing due ("/due 30"): when the next deadline after it falls and how many share
        it, so an empty list is not read as nothing to do ("下一个完成时限是 2022-09-30（41 天后），共 18 项");
        with offer_due, the /due that lists them (it lists everyone's, so not for one unit's list). "" if none."""
        ahead = self._due_passages(after + dt.timedelta(days=1), self.today + dt.timedelta(days=MAX_DAYS))
        later = [p["deadline"] for p in ahead if fits(p)]   # the passages: only their dates are needed
        if not later:
            return ""
        when = dt.date.fromisoformat(later[0])
        wait = (when - self.today).days
        see = f"，发 /due {wait} 查看" if offer_due else ""
        return f"下一个完成时限是 {when.isoformat()}（{wait} 天后），共 {later.count(later[0])} 项{see}。"

    def due(self, days: int) -> list[dict]:
        """Tasks due between today and today + days, soonest first."""
        return self.due_between(self.today, self.today + dt.timedelta(days=days))

    def due_between(self, start: dt.date, end: dt.date, ledger: bool = False) -> list[dict]:
        """Tasks due from start to end (both included), soonest first; with ledger, also those the attached 台账
        dates in that period though their text gives another month (8号文第24项: 9月 in the text, 6月 in the
        台账): a month's list shows both, the entry's deadline says which is which. Exports keep one date."""
        q = Query(text="", key="", spaced="", intent="due")
        return [self._compose(q, p, 1.0) for p in self._due_passages(start, end, ledger)]

    def _due_passages(self, start: dt.date, end: dt.date, ledger: bool = False) -> list[dict]:
        """The passages due_between answers with, in its order."""
        first, last = start.isoformat(), end.isoformat()

        def due(p: dict) -> str | None:
            if p["deadline"] and first <= p["deadline"] <= last:
                return p["deadline"]
            when = ledger_deadline(p["deadline_text"]) if ledger and p["deadline"] else None
            return when if when and first <= when <= last else None

        pool = [(when, p) for p in self.passages if (when := due(p))]
        pool.sort(key=lambda wp: (wp[0], wp[1]["id"]))
        return [p for _, p in pool]
