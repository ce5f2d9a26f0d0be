"""Split one gazette issue into its documents, with the metadata the table of contents and headers give."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import search_key, tidy

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,4}发〔\d{4}〕\d+号")
_TOC_ENTRY = re.compile(rf"^(?P<title>.*?)\s*(?P<number>{DOC_NUMBER.pattern})\s*[.…·]*\s*[（(]\s*(?P<page>\d+)\s*[)）]\s*$")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_PRINTED = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
_ISSUE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*第\s*(\d+)\s*期")
_ISSUER = re.compile(r"^(北京市通州区人民政府(?:办公室)?)")
_INNER_TITLE = re.compile(r"现将《(.+?)》印发")
_REPEALS = re.compile(rf"《([^》]+)》[（(]({DOC_NUMBER.pattern})[）)]\s*同时废止")


class NotAGazette(ValueError):
    """The text is not a gazette issue this parser understands."""


class IncompleteGazette(NotAGazette):
    """The issue does not match its own table of contents: documents missing, or one printed twice."""


@dataclass
class Document:
    number: str
    title: str
    category: str
    start_page: int
    issue: str
    issue_date: str
    issuer: str = ""
    signed: str | None = None
    printed: str | None = None
    inner_title: str = ""
    repeals: list[dict] = field(default_factory=list)
    body: list[tuple[int, str]] = field(default_factory=list)   # (line number, raw line)
    end_page: int | None = None

    @property
    def short_title(self) -> str:
        """The name a citation uses: the attached rules or plan rather than the cover notice."""
        return self.inner_title or self.title


def _iso(m: re.Match) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _parse_toc(lines: list[str]) -> tuple[list[dict], int]:
    """Entries of the issue's table of contents and the index of the line after it."""
    entries: list[dict] = []
    pending: list[str] = []
    category = ""
    start = next((i for i, l in enumerate(lines) if search_key(l) == "目录"), None)
    if start is None:
        raise NotAGazette("no table of contents (目 录)")
    i = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if line.startswith("【") and line.endswith("】"):
            category = line.strip("【】")
            continue
        m = _TOC_ENTRY.match(line)
        if m:
            title = tidy("".join(pending) + m.group("title"))
            entries.append({"number": m.group("number"), "title": title, "page": int(m.group("page")),
                            "category": category})
            pending = []
            continue
        if DOC_NUMBER.fullmatch(line) or (entries and _ISSUER.match(line)):
            return entries, i  # the first document begins
        pending.append(line)
    return entries, i


def check_against_toc(entries: list[dict], found: list[tuple[str, int]]) -> None:
    """Refuse an issue that does not match its 目录: a truncated or badly joined file must not replace a good
    store. found: (文号, line number) of each document start in the text."""
    listed = [e["number"] for e in entries]
    twice_listed = sorted({n for n in listed if listed.count(n) > 1})
    lines_of: dict[str, list[int]] = {}
    for number, line in found:
        lines_of.setdefault(number, []).append(line)
    missing = [n for n in dict.fromkeys(listed) if n not in lines_of]
    problems = []
    if missing:
        problems.append(f"{len(missing)} of the {len(set(listed))} documents its 目录 lists are not in the text "
                        f"(truncated file?): {'、'.join(missing)}")
    for number, at in lines_of.items():
        if len(at) > 1:
            problems.append(f"{number} is printed {len(at)} times (lines {', '.join(map(str, at))})")
    if twice_listed:
        problems.append(f"the 目录 lists {'、'.join(twice_listed)} twice")
    if problems:
        raise IncompleteGazette("; ".join(problems))


def split_documents(text: str) -> list[Document]:
    """The documents of one gazette issue, in print order."""
    lines = text.splitlines()
    head = "\n".join(lines[:40])
    if "公报" not in head:
        raise NotAGazette("no gazette masthead (…人民政府公报) in the first lines")
    issue_m = _ISSUE.search(head)
    if not issue_m:
        raise NotAGazette("no issue number and date (…年…月…日 第N期) under the masthead")
    issue = f"{issue_m.group(1)}年第{issue_m.group(4)}期"
    issue_date = _iso(issue_m)
    entries, first_body = _parse_toc(lines)
    if not entries:
        raise NotAGazette("the table of contents lists no documents (文号 with page)")
    by_number = {e["number"]: e for e in entries}

    # A document starts at the line that is its 文号 alone; the header lines above it hold the issuer.
    starts = [i for i in range(first_body, len(lines)) if lines[i].strip() in by_number]
    check_against_toc(entries, [(lines[i].strip(), i + 1) for i in starts])
    docs: list[Document] = []
    for k, i in enumerate(starts):
        number = lines[i].strip()
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        entry = by_number[number]
        doc = Document(number=number, title=entry["title"], category=entry["category"],
                       start_page=entry["page"], issue=issue, issue_date=issue_date)
        for back in range(i - 1, max(first_body, i - 8) - 1, -1):
            m = _ISSUER.match(lines[back].strip().strip("*"))
            if m:
                doc.issuer = m.group(1)
                break
        body_start = i + 1
        body_end = end
        for j in range(i + 1, end):
            line = lines[j].strip()
            if doc.signed is None and _DATE.match(line):
                doc.signed = _iso(_DATE.match(line))
                body_start = j + 1
            elif line in ("（此件公开发布）", "(此件公开发布)"):
                body_start = j + 1
            elif line.startswith("抄送"):
                body_end = min(body_end, j)
            elif _PRINTED.match(line):
                doc.printed = _iso(_PRINTED.match(line))
                body_end = min(body_end, j)
                break
            if not doc.inner_title:
                m = _INNER_TITLE.search(line)
                if m:
                    doc.inner_title = tidy(m.group(1))
        # the header of the next document sits between this one's 印发 line and the next 文号
        doc.body = [(j + 1, lines[j]) for j in range(body_start, body_end)]
        for m in _REPEALS.finditer("".join(l for _, l in doc.body)):
            doc.repeals.append({"number": m.group(2), "title": tidy(m.group(1))})
        docs.append(doc)
    if not docs:
        raise NotAGazette("none of the documents in the table of contents was found in the text")
    for doc, nxt in zip(docs, docs[1:]):
        doc.end_page = max(doc.start_page, nxt.start_page - 1)
    return docs
