"""Rows for the store: documents, provisions, tasks, table rows, targets and the passages answers quote."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .deadlines import parse_deadline, with_ledger
from .documents import Document
from .figures import extract_figure
from .normalize import search_key, tidy
from .profile import Profile
from .provisions import Clause, ParsedDocument, Table
from .units import canonical_unit, split_names, split_units

_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[：:]\s*(\S.*)$")   # "附件：2022年…任务台账"



@dataclass
class Records:
    documents: list[dict] = field(default_factory=list)
    clauses: list[dict] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    table_rows: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    passages: list[dict] = field(default_factory=list)
    profiles: dict[str, Profile] = field(default_factory=dict)   # 文号 -> the profile its issue was parsed with


# ---------------------------------------------------------------- pages and citations

def _page_of(parsed: ParsedDocument, lineno: int, chars_per_page: float) -> tuple[int, bool]:
    """Printed page of a line: exact where the document's own contents list it, else interpolated."""
    doc = parsed.doc
    anchors = [(0, float(doc.start_page))]
    exact_at: dict[int, int] = {}
    for c in parsed.clauses:
        if c.toc_page:
            off = parsed.line_offsets.get(c.lineno, 0)
            anchors.append((off, float(c.toc_page)))
            exact_at[off] = c.toc_page
    end_page = doc.end_page + 1 if doc.end_page else doc.start_page + parsed.body_chars / chars_per_page
    anchors.append((parsed.body_chars, float(end_page)))
    anchors.sort()
    off = parsed.line_offsets.get(lineno, 0)
    if off in exact_at:
        return exact_at[off], True
    for (o0, p0), (o1, p1) in zip(anchors, anchors[1:]):
        if o0 <= off <= o1:
            page = p0 + (off - o0) / (o1 - o0) * (p1 - p0) if o1 > o0 else p0
            return max(doc.start_page, int(page)), False
    return doc.start_page, False


def cite(short_title: str, number: str, cited_as: str, issue: str, page: int, path: str = "",
         exact: bool = True) -> str:
    """The one citation format: 《短标题》第3项（文号，<cited_as>2022年第1期约第30页）; "约" where the page is
    interpolated."""
    where = f"第{page}页" if exact else f"约第{page}页"
    return f"《{short_title}》{path}（{number}，{cited_as}{issue}{where}）"


def citation(doc: Document, path: str, page: int, exact: bool) -> str:
    return cite(doc.short_title, doc.number, doc.profile.cited_as, doc.issue, page, path, exact)


_LABELS = {"chapter": "第{}章", "article": "第{}条", "cn": "{}", "paren_cn": "（{}）", "paren_arabic": "（{}）",
           "arabic": "第{}项", "preamble": "序言"}


def _clause_label(c: Clause) -> str:
    """How a citation names one level: 第十章, 四十六, （一）, 第9项; decimal numbers stay as printed."""
    return _LABELS.get(c.style, "{}").format(c.number)


def clause_paths(parsed: ParsedDocument) -> list[str]:
    """Citation path of each provision: "第十章 四十六", "2.3.6", "二（一）主要目标 第2项", "第13项"."""
    arabic = [c.number for c in parsed.clauses if c.style == "arabic"]
    global_items = len(arabic) == len(set(arabic)) and len(arabic) > 9  # numbered 1..N through the document
    paths = []
    for c in parsed.clauses:
        if c.style == "decimal" or (c.style == "arabic" and global_items):
            paths.append(_clause_label(c))
            continue
        chain = []
        k: int | None = c.index
        while k is not None:
            chain.append(parsed.clauses[k])
            k = parsed.clauses[k].parent
        labels = [_clause_label(x) for x in reversed(chain) if x.style != "bare_arabic" or x is c]
        path = ""
        for label in labels:
            glue = "" if (label.startswith("（") or path.endswith("）") or not path) else " "
            path += glue + label
        paths.append(path)
    return paths


# ---------------------------------------------------------------- builders

def _section(parsed: ParsedDocument, c: Clause) -> str:
    k = c.parent
    while k is not None:
        p = parsed.clauses[k]
        if p.style not in ("arabic", "sub"):
            return f"{p.label}{p.rest}".strip()
        k = p.parent
    return ""


def _full_text(parsed: ParsedDocument, c: Clause) -> str:
    """The provision with all its sub-items, as printed: its lines up to the next provision not inside it."""
    inside = {c.index}
    end = None
    for x in parsed.clauses[c.index + 1:]:
        if x.parent in inside:
            inside.add(x.index)
        else:
            end = x.lineno
            break
    lines = [l.text for l in parsed.lines
             if l.lineno >= c.lineno and (end is None or l.lineno < end) and not l.is_table]
    return "\n".join(tidy(l) for l in lines)


def _clause_body(c: Clause) -> str:
    return "\n".join([c.rest, *c.paragraphs]).strip()


def _task_of(parsed: ParsedDocument, c: Clause) -> dict | None:
    profile = parsed.doc.profile
    labels = profile.labels
    fields = c.fields
    body = _clause_body(c)
    inline = profile.inline_label.search(body) if c.style == "arabic" else None
    if not fields.keys() & {*labels["leaders"], *labels["units"], *labels["co_units"]} and not inline:
        return None

    def first(name: str) -> tuple[str | None, str]:
        """The first of a field's labels the item prints, and its text."""
        return next(((label, fields[label]) for label in labels[name] if fields.get(label)), (None, ""))

    units_text = first("units")[1]
    co_label, co_text = first("co_units")
    if inline:
        units_text = inline.group("units")
        body = body[: inline.start()].rstrip()
    deadline_text = fields.get(labels["deadline"][0])
    return {
        "doc_number": parsed.doc.number,
        "number": c.number,
        "label": c.label,
        "section": _section(parsed, c),
        "text": tidy(body),
        "leaders": split_names(first("leaders")[1]),
        "units": split_units(units_text),
        "units_as_written": split_names(units_text),
        "co_units": split_units(co_text),
        "co_label": co_label,
        # "（责任单位：…）" after an item names its units so; a printed 主责单位 field is the profile's main label
        "unit_label": inline.group("label") if inline else None,
        "deadline_text": deadline_text,
        "deadline": parse_deadline(deadline_text),
        "kind": "livelihood" if profile.livelihood in parsed.doc.title else "task",
        "content": None,
        "indicator": None,
    }


def _merge_ledger(tasks: list[dict], table: Table, profile: Profile) -> bool:
    """Fold an attached 任务台账 into the tasks it lists (same item numbers); True when it was one."""
    header = [search_key(h) for h in table.header]
    ledger = {k: search_key(v) for k, v in profile.ledger.items()}
    if not any(ledger["task"] in h for h in header):
        return False
    col = {h: i for i, h in enumerate(header)}
    by_number = {t["number"]: t for t in tasks}
    for row in table.rows:
        if not row.cells:
            continue
        work_cell = row.cells[col.get(ledger["task"], 1)] if len(row.cells) > 1 else ""
        m = re.match(r"^(\d+)\s*[.．、]", work_cell)
        task = by_number.get(m.group(1)) if m else None
        if task is None:
            continue

        def cell(name: str) -> str | None:
            i = next((i for h, i in col.items() if name in h), None)
            return tidy(row.cells[i]) if i is not None and i < len(row.cells) and row.cells[i] else None

        task["content"] = cell(ledger["content"])
        task["indicator"] = cell(ledger["indicator"])
        listed = cell(ledger["deadline"])
        if not task["deadline_text"]:
            task["deadline_text"] = listed
            task["deadline"] = parse_deadline(task["deadline_text"])
        elif listed and parse_deadline(listed) != task["deadline"]:
            # the gazette gives two dates for one item (8号文第24项: 2022年9月 in the text, 2022年6月 in the
            # 台账): both are shown wherever the item is; listings and reminders go by the text's, the
            # document's own word (the attachment only details it)
            task["deadline_text"] = with_ledger(task["deadline_text"], listed)
    return True


def _table_rows(parsed: ParsedDocument, table: Table, pages, paths: list[str]) -> list[dict]:
    header = table.header
    # a department's name, or a group of them ("各乡镇政府")
    profile = parsed.doc.profile
    prefixes = "|".join(map(re.escape, (*profile.unit_prefixes, "各")))
    unit_start = re.compile(rf"^((?:{prefixes})[\u4e00-\u9fff（）()]{{1,18}}?{profile.unit_ending})")
    unit_col = next((i for i, h in enumerate(header) if h != "单位" and ("部门" in h or "单位" in h)), None)
    num_col = 0 if search_key(header[0]) == "序号" else None
    rows: list[dict] = []
    group = ""
    previous: list[str] = [""] * len(header)
    data_rows = [r for r in table.rows]
    for k, row in enumerate(data_rows):
        if not row.cells:
            group = row.group
            continue
        cells = (row.cells + [""] * len(header))[: len(header)]
        # A merged cell split over two rows ("食品安全和" / "职业危害") is one category.
        for i in range(len(header)):
            if i not in (num_col, unit_col) and cells[i].endswith(("和", "与", "及")):
                nxt = next((r for r in data_rows[k + 1:] if r.cells), None)
                if nxt is not None and i < len(nxt.cells) and nxt.cells[i]:
                    cells[i] += nxt.cells[i]
                    nxt.cells[i] = cells[i]
        if unit_col is not None and not cells[unit_col] and unit_col > 0 and split_units(cells[unit_col - 1]) \
                and unit_start.match(cells[unit_col - 1]):
            # "28 特种设备事故 区市场监管局": the unit slid one column left, the kind is the category
            cells[unit_col] = cells[unit_col - 1]
            cells[unit_col - 1] = cells[unit_col - 2] if unit_col >= 2 else ""
        for i in range(len(header)):
            if i != unit_col and i != num_col and not cells[i] and previous[i] and i < (unit_col or len(header)) - 1:
                cells[i] = previous[i]  # a merged cell carries down
        previous = cells
        units_written = split_names(cells[unit_col]) if unit_col is not None else []
        values = {header[i]: cells[i] for i in range(len(header)) if i != num_col}
        row_group = row.group or group
        text = "；".join(f"{h}：{v}" for h, v in values.items() if v)
        page, exact = pages(row.lineno)
        number = cells[num_col] if num_col is not None else str(len(rows) + 1)
        path = f"{paths[table.clause]} " if table.clause is not None else ""
        item = f"{path}{table.caption} 第{number}项".strip()
        rows.append({
            "doc_number": parsed.doc.number,
            "table_title": table.caption,
            "number": number,
            "group_name": row_group,
            "cells": values,
            "text": text,
            "units": [canonical_unit(u) for u in units_written],
            "units_as_written": units_written,
            "unit_label": header[unit_col] if unit_col is not None else None,
            "item": item,
            "citation": citation(parsed.doc, item, page, exact),
            "page": page,
        })
    return rows


def build_records(parsed_docs: list[ParsedDocument]) -> Records:
    """Every row the store holds, from the parsed documents of one or more issues."""
    rec = Records()
    total_chars = sum(p.body_chars for p in parsed_docs if p.doc.end_page)
    total_pages = sum(p.doc.end_page - p.doc.start_page + 1 for p in parsed_docs if p.doc.end_page)
    chars_per_page = total_chars / total_pages if total_pages else 900.0
    for parsed in parsed_docs:
        doc = parsed.doc
        rec.documents.append({
            "doc_number": doc.number, "title": doc.title, "short_title": doc.short_title,
            "issuer": doc.issuer, "category": doc.category, "signed": doc.signed, "printed": doc.printed,
            "issue": doc.issue, "issue_date": doc.issue_date, "start_page": doc.start_page,
            "end_page": doc.end_page, "repeals": doc.repeals, "profile": doc.profile.name,
            "publication": doc.profile.publication, "cited_as": doc.profile.cited_as,
            # staff name a document by its attachment too ("任务台账第16项")
            "attachments": [tidy(m.group(1)) for _, line in doc.body
                             if (m := _ATTACHMENT.match(line.strip()))],
        })
        rec.profiles[doc.number] = doc.profile

        def pages(lineno: int, parsed=parsed) -> tuple[int, bool]:
            return _page_of(parsed, lineno, chars_per_page)

        paths = clause_paths(parsed)
        clause_ids: dict[int, str] = {}
        doc_tasks: list[tuple[Clause, dict]] = []
        for c in parsed.clauses:
            cid = f"{doc.number}#{c.index}"
            clause_ids[c.index] = cid
            page, exact = pages(c.lineno)
            rec.clauses.append({
                "id": cid, "doc_number": doc.number, "seq": c.index, "style": c.style, "number": c.number,
                "label": c.label, "heading": c.heading, "level": c.level,
                "parent_id": clause_ids.get(c.parent) if c.parent is not None else None,
                "path": paths[c.index], "text": c.own_text, "full_text": _full_text(parsed, c), "page": page,
                "citation": citation(doc, paths[c.index], page, exact),
            })
            task = _task_of(parsed, c)
            if task:
                task.update(clause_id=cid, item=paths[c.index], page=page,
                            citation=citation(doc, paths[c.index], page, exact))
                doc_tasks.append((c, task))
        tasks = [t for _, t in doc_tasks]
        for table in parsed.tables:
            if _merge_ledger(tasks, table, doc.profile):
                continue
            rec.table_rows.extend(_table_rows(parsed, table, pages, paths))
        rec.tasks.extend(tasks)

        # targets: the numbered items under a heading that names goals (主要目标, 主要预期目标)
        task_by_clause = {t["clause_id"]: t for t in tasks}
        for c in parsed.clauses:
            if c.style not in ("arabic", "paren_arabic") or c.parent is None:
                continue
            parent = parsed.clauses[c.parent]
            if doc.profile.goals not in (parent.heading or parent.number):
                continue
            domain_clause = parsed.clauses[parent.parent] if parent.style == "sub" and parent.parent is not None else parent
            value, unit = extract_figure(c.rest)
            cid = clause_ids[c.index]
            page, exact = pages(c.lineno)
            rec.targets.append({
                "doc_number": doc.number, "domain": domain_clause.heading or domain_clause.rest,
                "text": tidy(_clause_body(c)), "value": value, "unit": unit, "clause_id": cid,
                "task_clause_id": cid if cid in task_by_clause else None,
                "item": paths[c.index], "page": page, "citation": citation(doc, paths[c.index], page, exact),
            })
    for row in list(rec.table_rows):
        if "指标" in "".join(row["cells"].keys()):
            # an indicator table: each row is a target with its own unit column
            cells = row["cells"]
            name = next((v for h, v in cells.items() if "名称" in h), row["text"])
            value = next((v for h, v in cells.items() if "目标" in h), None)
            unit = next((v for h, v in cells.items() if h == "单位"), None)
            rec.targets.append({
                "doc_number": row["doc_number"], "domain": next(iter(cells.values()), ""),
                "text": f"{name}：{value}{'' if unit in (None, '%') else ''}{unit or ''}",
                "value": value, "unit": unit, "clause_id": None, "task_clause_id": None,
                "item": row["item"], "page": row["page"], "citation": row["citation"],
            })
    return rec
