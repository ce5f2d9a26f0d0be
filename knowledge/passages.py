"""Passages: the pieces an answer quotes (a task, a table row, a target, a provision or one paragraph of it)."""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import search_key
from .numbering import parse_numbering
from .profile import Profile
from .records import Records, cite
from .units import alias_table, canonical_unit, shown_names


def _opening_departments(text: str, profile: Profile) -> tuple[list[str], int]:
    """The departments a paragraph opens with, as printed ("区农业农村局依据…" -> 区农业农村局; "区应急局、区农业农村局…
    和区住房城乡建设委，依据各自职责": every one of the run, not the first alone as if it were the one responsible),
    each a known one or named as the profile's departments are (its prefixes), and where the run ends."""
    m = profile.unit_head.match(text)
    if not m or not _is_department(m.group(0), profile):
        return [], 0
    said, end = [m.group(0)], m.end()
    while (more := profile.unit_next.match(text, end)) and _is_department(more.group(1), profile):
        said.append(more.group(1))
        end = more.end(1)
    return said, end


def _is_department(said: str, profile: Profile) -> bool:
    """A known department, or one named as the profile's departments are (its prefixes). A name by its prefix is
    one body: "区政府各部门和各街道乡镇申办…" is several, and what they do."""
    name = canonical_unit(said)
    return name in _known_units() or name.startswith(profile.unit_prefixes) and not _SEVERAL.search(name[1:])


@lru_cache(maxsize=1)
def _known_units() -> frozenset[str]:
    return frozenset(alias_table().values())


IN_TEXT_UNIT = "负责单位"   # the label of a department a paragraph names in its words: no 主责单位 column
_SEVERAL = re.compile(r"[和及与各]")
_ASSISTS = re.compile(r"[^。；]{0,25}?(协助|配合)")


def _clause_units(text: str, profile: Profile) -> dict:
    """The departments a paragraph opens with, for a passage: canonical names, and as printed (各乡镇政府, not
    各乡镇). Several share the duty it sets ("依据各自职责"): they are its 有关部门, none of them the 主责单位 a task
    table would name. Departments that assist ("…等单位在区应急委领导下，协助区应急办开展…") are its 配合单位, none
    of them leads it."""
    said, end = _opening_departments(text, profile)
    units = [canonical_unit(u) for u in said]
    if units and _ASSISTS.match(text, end):
        return {"co_units": units, "co_label": "配合单位"}
    if not said:
        # "…外事活动由区政府外事办统筹安排": the departments a rule puts in charge, when none opens the paragraph
        said = _put_in_charge(text, profile)
        units = list(dict.fromkeys(canonical_unit(u) for u in said))
    row = {"units": units, "units_shown": shown_names(said)}
    if units:   # a paragraph names who does it in its words, not in a 主责单位 column: the label must not claim one
        row["unit_label"] = "有关部门" if len(units) > 1 else IN_TEXT_UNIT
        row["unit_source"] = "text"
    return row


def _put_in_charge(text: str, profile: Profile) -> list[str]:
    """Every department a paragraph says something is done by ("由区政府外事办统筹安排"; "监测组由区统计局牵头…评估组
    由区妇女儿童工作委员会办公室牵头"), as printed; none when another body is its subject first ("财政部门负责…
    资金管理。…由区应急委…": the 应急委 only approves)."""
    said = []
    for m in profile.unit_in_charge_at.finditer(text):
        if not said and "负责" in text[:m.start()]:
            return []
        if _is_department(m.group(1), profile):
            said.append(m.group(1))
    return said


ITEM_WORDS = 60   # characters of an untitled item quoted after its list's lead-in


def _short(clause: dict) -> str:
    """An item's title, or its first sentence; a long one up to a comma, with "…" where it was cut: the
    passage is quoted as the gazette's words, so a cut must show ("化解矛盾和冲" read as the gazette's)."""
    if clause["heading"]:   # a list item printed as its own heading keeps its "；" ("…的事项；"): the list adds one
        return clause["heading"].rstrip("；;。，, ")
    first = clause["text"].split("\n", 1)[0]
    first = first[len(clause["label"]):] if first.startswith(clause["label"]) else first
    sentence = re.split(r"[。；;]", first, maxsplit=1)[0]
    if len(sentence) <= ITEM_WORDS:
        return sentence
    comma = max(sentence.rfind(c, 0, ITEM_WORDS) for c in "，,、")
    return (sentence[:comma] if comma > 0 else sentence[:ITEM_WORDS - 1]) + "…"


def _is_heading_only(clause: dict, has_children: bool) -> bool:
    """A bare title over sub-items ("五、重点任务"): nothing to quote of its own."""
    body = clause["text"].split("\n")
    return len(body) == 1 and has_children and not re.search(r"[，。；：,:]", body[0])


def search_text(row: dict) -> str:
    """What a passage is searched by (normalised): its text, after its item's heading if it has one
    ("2.强化健康促进与健康教育"), which is not quoted in it. The heading's number is left out: "2.5" in a question
    is an amount more often than a section."""
    heading = row.get("heading") or ""
    numbered = parse_numbering(heading)
    heading = numbered.rest if numbered else heading.strip()
    return search_key(f"{heading}\n{row['text']}" if heading else row["text"])


def build_passages(rec: Records) -> list[dict]:
    """All passages, tasks and table rows first (they carry units and deadlines)."""
    out: list[dict] = []
    by_clause = {c["id"]: c for c in rec.clauses}
    children: set[str] = {c["parent_id"] for c in rec.clauses if c["parent_id"]}

    def context_of(clause_id: str | None) -> str:
        parts = []
        while clause_id:
            c = by_clause[clause_id]
            if c["heading"]:
                parts.append(c["heading"])
            else:
                # no title: the opening words of its lead-in sentence ("突发公共卫生事件发生后") frame its items
                lead = re.split(r"[，。；：,]", re.sub(r"^\S*?[、）)]\s*|^[\d.]+\s*", "", c["text"]), maxsplit=1)[0]
                parts.append(lead[:30])
            clause_id = c["parent_id"]
        return " ".join(reversed(parts))

    titles = {d["doc_number"]: d["short_title"] for d in rec.documents}

    def add(**row) -> None:
        if row["kind"] != "document":
            # naming the document ("总体应急预案") points at its passages
            row["context"] = f"{row['context']} {titles.get(row['doc_number'], '')}".strip()
        row.setdefault("units", [])
        row.setdefault("units_shown", row["units"])   # as printed, for people; `units` are canonical, for matching
        row.setdefault("leaders", [])
        row.setdefault("co_units", [])
        row.setdefault("deadline", None)
        row.setdefault("deadline_text", None)
        row.setdefault("clause_id", None)
        # the label of the profile's main units ("主责单位"), unless the item printed its own ("（责任单位：…）")
        row.setdefault("unit_label", rec.profiles[row["doc_number"]].labels["units"][0] if row["units"] else None)
        row.setdefault("co_label", None)
        row.setdefault("unit_source", None)   # "text": the units are named in its words, not a column
        row.setdefault("printed", None)
        row.setdefault("stated", None)
        row.setdefault("details", None)
        row.setdefault("heading", None)
        row["id"] = len(out) + 1
        out.append(row)

    covered: set[str] = set()
    for t in rec.tasks:
        covered.add(t["clause_id"])
        add(kind=t["kind"], doc_number=t["doc_number"], item=t["item"], text=t["text"],
            context=f"{t['section']} {context_of(by_clause[t['clause_id']]['parent_id'])}",
            units=t["units"], units_shown=shown_names(t["units_as_written"]) or t["units"],
            leaders=t["leaders"], co_units=t["co_units"], deadline=t["deadline"],
            deadline_text=t["deadline_text"], citation=t["citation"], page=t["page"], clause_id=t["clause_id"],
            co_label=t["co_label"], details=_ledger_details(t, rec.profiles[t["doc_number"]]),
            **({"unit_label": t["unit_label"]} if t.get("unit_label") else {}))
    prose: dict[str, list[str]] = {}
    for c in rec.clauses:
        prose.setdefault(c["doc_number"], []).extend(_CLAUSE_PIECE.findall(re.sub(r"\s+", "", c["text"])))
    for r in rec.table_rows:
        indicator = any("目标" in h for h in r["cells"])   # an indicator table's rows are targets
        add(kind="target" if indicator else "row", doc_number=r["doc_number"], item=r["item"], text=r["text"],
            printed=" ".join(v for v in r["cells"].values() if v),   # the row as the table prints it
            stated=_stated(r["cells"], prose.get(r["doc_number"], [])) if indicator else None,
            context=f"{r['table_title']} {r['group_name']}", units=r["units"],
            units_shown=shown_names(r["units_as_written"]) or r["units"], citation=r["citation"],
            page=r["page"], unit_label=r["unit_label"])
    for t in rec.targets:
        if not t["clause_id"] or t["clause_id"] in covered:
            continue
        covered.add(t["clause_id"])
        add(kind="target", doc_number=t["doc_number"], item=t["item"], text=t["text"],
            context=f"{t['domain']} 主要目标", citation=t["citation"], page=t["page"], clause_id=t["clause_id"])
    kids: dict[str, list[dict]] = {}
    for c in rec.clauses:
        if c["parent_id"]:
            kids.setdefault(c["parent_id"], []).append(c)
    for c in rec.clauses:
        if c["id"] in covered or _is_heading_only(c, c["id"] in children):
            continue
        lines = c["text"].split("\n")
        profile = rec.profiles[c["doc_number"]]
        if lines[-1].rstrip().endswith(("：", ":")) and c["id"] in kids:
            # "三、…遵循以下准则：" is answered by its list: quote the items' titles after the lead-in
            items = [f"{k['label']}{_short(k)}" for k in kids[c["id"]]]
            lines[-1] = lines[-1] + "；".join(items) + "。"
        head, paragraphs = lines[0], lines[1:]
        context = context_of(c["id"])
        if len(paragraphs) > 1 and len(head) <= 40:
            for k, para in enumerate(paragraphs, start=1):
                # the first paragraph keeps its item's heading aside: looked up by number ("四（三）3") it says
                # what the item is; searched, the paragraph's own words lead
                add(kind="clause", doc_number=c["doc_number"], item=f"{c['path']} 第{k}段", text=para,
                    heading=head if k == 1 else None, context=context, **_clause_units(para, profile),
                    citation=c["citation"], page=c["page"], clause_id=c["id"])
        else:
            body = "\n".join(lines) if c["style"] != "preamble" else "\n".join(paragraphs or lines)
            add(kind="clause", doc_number=c["doc_number"], item=c["path"], text=body, context=context,
                **_clause_units(paragraphs[0] if paragraphs else head, profile),
                citation=c["citation"], page=c["page"], clause_id=c["id"])
    for d in rec.documents:
        d = dict(d, purpose=_purpose([c for c in rec.clauses if c["doc_number"] == d["doc_number"]]))
        add(kind="document", doc_number=d["doc_number"], item=d["doc_number"], text=describe_document(d),
            context=d["title"], citation=cite(d["short_title"], d["doc_number"], d["cited_as"], d["issue"], d["start_page"]),
            page=d["start_page"])
    return out


def _ledger_details(task: dict, profile: Profile) -> str | None:
    """What a 任务台账 adds to the item it lists, under its columns' names: "工作内容：…\n完成指标：…宋庄镇13个，
    张家湾镇15个…" (per-town and per-project figures the item itself only totals). A column the other column or
    the item already says in full is left out."""
    columns = {c: (task.get(c) or "").strip() for c in ("content", "indicator")}
    kept = [c for c, value in columns.items()
            if value and value not in task["text"]
            and not any(value in other and (value != other or c == "content")
                        for o, other in columns.items() if o != c)]
    return "\n".join(f"{profile.ledger[c]}：{columns[c]}" for c in kept) or None


STATED_SHARE = 0.5   # of an indicator's name's character pairs its sentence in the plan holds ("…独角兽企业")
_CLAUSE_PIECE = re.compile(r"[^，,。；;：:]+")


def _stated(cells: dict[str, str], pieces: list[str]) -> str | None:
    """Where the document's own words state an indicator row's figure ("数字经济核心产业规模突破55亿元" for the
    row 数字经济核心产业规模 | 亿元 | 55): a clause holding the figure and most of the indicator's name. The
    table gives the bare number; the sentence says what it means (突破, 达到, 不低于) with its unit."""
    name = next((re.sub(r"[“”\"\s]", "", v) for h, v in cells.items() if "名称" in h), "")
    value = next((v.strip() for h, v in cells.items() if "目标" in h), "")
    if not name or not re.fullmatch(r"[\d.]+", value):
        return None
    figure = re.compile(rf"(?<![\d.]){re.escape(value)}(?![\d.])")
    pairs = {name[k:k + 2] for k in range(len(name) - 1)}
    best, share = None, 0.0
    for piece in pieces:
        if figure.search(piece):
            said = sum(b in piece for b in pairs) / len(pairs) if pairs else 0.0
            if said >= STATED_SHARE and said > share:   # at least half the name's pairs; the first of the best
                best, share = piece, said
    return best


def describe_document(d: dict) -> str:
    """A document in two lines: what it is, then who issued it when and what it replaced."""
    lines = [f"《{d['short_title']}》（{d['doc_number']}）",
             f"{d['issuer']}{_date(d['signed'])}发布，{_date(d['printed'])}印发，{d['category']}，"
             f"刊于{d['cited_as']}{d['issue']}第{d['start_page']}页。"]
    for r in d.get("repeals") or []:
        lines.append(f"本文件施行后，原《{r['title']}》（{r['number']}）同时废止。")
    if d.get("purpose"):
        lines.append(f"主要内容：{d['purpose']}")
    return "\n".join(lines)


_PURPOSE = re.compile(r"[^。]*(?:制定本|制订本|特制定|特制订|现就|现提出|结合我区实际)[^。]*。")


def _purpose(clauses: list[dict]) -> str:
    """The sentence that says why a document was written and on what basis ("为…，依据…，制定本规则。")."""
    for c in sorted(clauses, key=lambda c: c["seq"])[:12]:
        m = _PURPOSE.search(c["text"].replace("\n", ""))
        if m:
            return re.sub(r"^[一二三四五六七八九十\d]+[、.]|^\d+[\u4e00-\u9fff]{2}(?=以|为|依)", "", m.group(0))[:220]
    return ""


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
