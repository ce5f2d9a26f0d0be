"""Turn a document body into numbered provisions (with their hierarchy), label fields and table rows."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import Document
from .normalize import search_key, tidy
from .numbering import parse_numbering
from .text_repair import Line, repair_lines

_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|\t\s*\d+\s*$)")


@dataclass
class Clause:
    index: int
    style: str            # see numbering.Numbering.style, plus "sub" (主要目标/策略措施) and "preamble"
    number: str
    label: str            # the number as printed: "（一）", "9.", "第十章", "四十六、"
    rest: str             # text on the numbered line after the label
    lineno: int
    parent: int | None = None
    level: int = 0
    paragraphs: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)    # paragraphs after its numbered sub-items
    fields: dict[str, str] = field(default_factory=dict)
    toc_page: int | None = None

    @property
    def text(self) -> str:
        """The provision as printed: numbered line, then its paragraphs."""
        head = f"{self.label}{self.rest}".strip()
        return "\n".join(p for p in [head, *self.paragraphs] if p)

    @property
    def own_text(self) -> str:
        """The provision without its sub-items: numbered line, paragraphs, then what follows the sub-items."""
        return "\n".join(p for p in [self.text, *self.tail] if p)

    @property
    def heading(self) -> str:
        """Its title: the rest of the numbered line up to the first full stop, when short."""
        first = re.split(r"[。：:]", self.rest, maxsplit=1)[0]
        return first if len(first) <= 40 else ""


@dataclass
class TableRow:
    cells: list[str]
    lineno: int
    clause: int | None        # innermost provision the row sits under
    group: str = ""           # a 类 row inside the table ("自然灾害类") or the heading above it


@dataclass
class Table:
    header: list[str]
    caption: str
    clause: int | None
    rows: list[TableRow] = field(default_factory=list)

    @property
    def signature(self) -> str:
        return "|".join(search_key(h) for h in self.header)


@dataclass
class ParsedDocument:
    doc: Document
    clauses: list[Clause]
    tables: list[Table]
    line_offsets: dict[int, int]   # line number -> characters before it in the body (for page estimates)
    body_chars: int
    lines: list[Line] = field(default_factory=list)   # the repaired lines, in order


def _style_key(style: str, number: str) -> str:
    return f"decimal{number.count('.')}" if style == "decimal" else style


def _label_of(text: str, rest: str) -> str:
    return text[: len(text) - len(rest)].strip() if rest else text.strip()


def _is_header_row(cells: list[str]) -> bool:
    return search_key(cells[0]) in ("序号", "分类") and len([c for c in cells if c]) >= 3


def parse_document(doc: Document) -> ParsedDocument:
    """Provisions and tables of one document."""
    offsets: dict[int, int] = {}
    total = 0
    for lineno, raw in doc.body:
        offsets[lineno] = total
        total += len(raw.strip())
    profile = doc.profile
    lines = repair_lines(doc.body, profile, titles=(doc.inner_title, doc.title))
    # a subheading printed at the end of a numbered line ("一、经济发展 主要目标") opens the items below it
    trailing = [s for s in profile.subheadings if profile.goals in s]
    skip_keys = {search_key(doc.inner_title), search_key(doc.title)}
    clauses: list[Clause] = []
    tables: list[Table] = []
    toc: list[tuple[str, str, int]] = []
    stack: list[tuple[str, int]] = []
    in_toc = False
    in_attachment = False
    current_table: Table | None = None
    last_caption = ""

    tail_of: int | None = None

    def add_clause(style: str, number: str, label: str, rest: str, lineno: int) -> Clause:
        nonlocal tail_of
        tail_of = None
        key = _style_key(style, number)
        if any(k == key for k, _ in stack):
            while stack and stack[-1][0] != key:
                stack.pop()
            stack.pop()
        clause = Clause(index=len(clauses), style=style, number=number, label=label, rest=rest,
                        lineno=lineno, parent=stack[-1][1] if stack else None, level=len(stack))
        clauses.append(clause)
        if style != "preamble":  # the text before the first number is nobody's parent
            stack.append((key, clause.index))
        return clause

    for k, line in enumerate(lines):
        text = line.text.strip()
        key = search_key(text)
        if key == "目录":
            in_toc = True
            continue
        if in_toc:
            if line.is_table or _TOC_LINE.search(line.text):
                entry = re.sub(r"\.{2,}|…+", "", line.cells[0]).strip()
                page = re.findall(r"\d+", line.cells[-1]) if line.is_table else []
                n = parse_numbering(entry)
                if n and page:
                    toc.append((_style_key(n.style, n.number), n.number, int(page[-1])))
                continue
            in_toc = False
        if line.is_table:
            current_table = _add_table_row(line, tables, current_table, clauses, last_caption)
            continue
        current_table = None
        if in_attachment:
            if key != "附件":
                last_caption = tidy(text)  # the attachment's title names its table
            continue
        if text.startswith("附件"):
            in_attachment = True  # the attachment's table is read, its cover lines are not provisions
            continue
        if not clauses and any(key and key in k for k in skip_keys):
            continue  # the attachment's own title line(s) above its first provision
        if len(text) <= 15 and not re.search(r"[，。；：:、]", text) and not parse_numbering(text) \
                and not profile.subheading.match(text) and clauses:
            following = lines[k + 1].text.strip() if k + 1 < len(lines) else ""
            if profile.label.match(following) and not clauses[-1].fields and not clauses[-1].paragraphs:
                # "86. …强力推进入河" + "排污口的清理整治工作" + "牵头领导：…": the item's words, wrapped
                clauses[-1].rest += tidy(text)
                continue
            last_caption = tidy(text)  # "主要指标表": a caption, kept for the table below it
            continue
        last_caption = ""
        label_m = profile.label.match(text)
        if label_m and clauses:
            name = profile.field_name(label_m.group(1))
            clauses[-1].fields[name] = tidy(label_m.group(2))
            continue
        if profile.subheading.match(text):
            add_clause("sub", text, text, "", line.lineno)
            continue
        n = parse_numbering(text)
        if n:
            rest = n.rest
            trailing_sub = next((s for s in trailing if rest.endswith(s) and len(rest) > len(s) + 2), None)
            if trailing_sub:
                rest = rest[: -len(trailing_sub)].strip()
            add_clause(n.style, n.number, _label_of(text, n.rest), tidy(rest), line.lineno)
            if trailing_sub:
                add_clause("sub", trailing_sub, trailing_sub, "", line.lineno)
            continue
        if key == "前言" or not clauses:
            if not clauses or clauses[-1].style != "preamble":
                add_clause("preamble", "", "", "", line.lineno)
            if key == "前言":
                continue
        if tail_of is not None:
            clauses[tail_of].tail.append(tidy(text))
        elif _closes_list(clauses, clauses[-1]):
            # "（八）…事项。" then "区政府常务会议必须…": the list is over, the paragraph is the parent's
            tail_of = clauses[-1].parent
            clauses[tail_of].tail.append(tidy(text))
        else:
            clauses[-1].paragraphs.append(tidy(text))

    _attach_toc_pages(clauses, toc)
    return ParsedDocument(doc, clauses, tables, offsets, total, lines)


def _add_table_row(line: Line, tables: list[Table], current: Table | None, clauses: list[Clause],
                   caption: str) -> Table | None:
    cells = line.cells
    clause = clauses[-1].index if clauses else None
    if _is_header_row(cells):
        signature = "|".join(search_key(c) for c in cells)
        same = next((t for t in tables if t.signature == signature), None)
        if same is not None:
            return same  # the header repeated after a page break
        heading = ""
        k = clauses[-1].index if clauses and not caption else None
        while k is not None and not heading:
            if clauses[k].style not in ("paren_arabic", "paren_cn"):  # skip group lines like "(1) 自然灾害类"
                heading = clauses[k].heading
                clause = k
            k = clauses[k].parent
        table = Table(header=[tidy(c) for c in cells], caption=caption or heading, clause=clause)
        tables.append(table)
        return table
    table = current or (tables[-1] if tables else None)
    if table is None:
        return None  # a stray tab, not a table
    if sum(1 for c in cells if c) == 1 and cells[0] and not cells[0][0].isdigit():
        table.rows.append(TableRow(cells=[], lineno=line.lineno, clause=clause, group=tidy(cells[0])))
        return table
    group = ""
    if clauses and clause != table.clause and clauses[-1].style in ("paren_arabic", "paren_cn"):
        group = clauses[-1].rest  # "(2) 事故灾难类" above a continued table
    table.rows.append(TableRow(cells=[tidy(c) for c in cells], lineno=line.lineno, clause=clause, group=group))
    return table


def _closes_list(clauses: list[Clause], c: Clause) -> bool:
    """c is the last item of a list its parent introduced with a colon, and ends the list with a full stop."""
    if c.parent is None or c.style not in ("paren_cn", "paren_arabic", "arabic") or c.fields or c.paragraphs:
        return False
    parent = clauses[c.parent]
    intro = (parent.paragraphs[-1] if parent.paragraphs else parent.rest).rstrip()
    siblings = [x for x in clauses if x.parent == c.parent and x is not c]
    return intro.endswith(("：", ":")) and c.rest.endswith("。") and bool(siblings) \
        and all(x.rest.endswith(("；", ";", "。")) and not x.paragraphs for x in siblings)


def _attach_toc_pages(clauses: list[Clause], toc: list[tuple[str, str, int]]) -> None:
    """Give the provisions the document's own table of contents lists their exact page."""
    pos = 0
    for style_key, number, page in toc:
        for k in range(pos, len(clauses)):
            c = clauses[k]
            if _style_key(c.style, c.number) == style_key and c.number == number:
                c.toc_page = page
                pos = k + 1
                break
