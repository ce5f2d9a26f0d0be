"""Split one gazette issue into its documents, with the metadata the table of contents and headers give."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import search_key, tidy
from .profile import NoProfile, Profile, ProfileError, choose_profile, load_profiles

_PAGE = r"\s*[.…·]*\s*[（(]\s*(?P<page>\d+)\s*[)）]\s*$"
# anything shaped like a 文号, of whatever kind: 通政发〔2022〕1号, 海政函〔2023〕7号, 京政字[2020]3号
_NUMBER_SHAPE = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[【(（]\d{4}[〕\]】)）]第?\d+号")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_PRINTED = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
_ISSUE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*第\s*(\d+)\s*期")
_INNER_TITLE = re.compile(r"现将《(.+?)》印发")


class NotAGazette(ValueError):
    """The text is not a gazette issue this parser understands."""


class IncompleteGazette(NotAGazette):
    """The issue does not match its own table of contents: documents missing, or one printed twice."""


class UnknownGazette(NotAGazette):
    """No gazette profile fits the issue, or its 目录 lists a 文号 of a kind its profile does not know."""


@dataclass
class Document:
    number: str
    title: str
    category: str
    start_page: int
    issue: str
    issue_date: str
    profile: Profile          # the publication's: the rest of the parser reads its labels and wording
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


def _parse_toc(lines: list[str], profile: Profile) -> tuple[list[dict], int]:
    """Entries of the issue's table of contents and the index of the line after it."""
    number = profile.doc_number.pattern
    toc_entry = re.compile(rf"^(?P<title>.*?)\s*(?P<number>{number}){_PAGE}")
    known_number = re.compile(rf"(?:{number})$")
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
        m = toc_entry.match(line)
        if m:
            title = tidy("".join(pending) + m.group("title"))
            entries.append({"number": m.group("number"), "title": title, "page": int(m.group("page")),
                            "category": category})
            pending = []
            continue
        if profile.doc_number.fullmatch(line) or (entries and profile.issuer.match(line)):
            return entries, i  # the first document begins
        for shape in _NUMBER_SHAPE.finditer(line):
            if not known_number.search(shape.group(0)):
                # taken for part of the next title, it would hide a document: refuse the issue instead
                raise UnknownGazette(f"line {i + 1} of the 目录, “{line}”, looks like a 文号 but is of none of "
                                     f"the kinds ({'、'.join(profile.kinds)}) in the profile {profile.source}")
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


def _before_signature(lines: list[str], start: int, end: int, profile: Profile) -> int:
    """Where a document's text ends: before the blank lines and issuer names (its signature, the office that
    prints it) that close lines[start:end]."""
    while end > start:
        line = lines[end - 1].strip().strip("*")
        if line and not profile.issuer.fullmatch(line):
            break
        end -= 1
    return end


def issue_profile(lines: list[str], head: str, profiles: list[Profile] | None = None) -> Profile:
    """The profile of the issue: the one whose issuer its masthead (the lines above 目录) names."""
    contents = next((i for i, l in enumerate(lines) if search_key(l) == "目录"), None)
    masthead = "\n".join(lines[:contents]) if contents else head
    try:
        return choose_profile(masthead, load_profiles() if profiles is None else profiles)
    except NoProfile as exc:
        raise UnknownGazette(str(exc)) from None
    except ProfileError as exc:
        raise UnknownGazette(f"cannot use the gazette profiles: {exc}") from None


def split_documents(text: str, profiles: list[Profile] | None = None) -> list[Document]:
    """The documents of one gazette issue, in print order. profiles: those to choose from (default: the
    bundled ones and those in $GAZETTE_BOT_PROFILES)."""
    lines = text.splitlines()
    head = "\n".join(lines[:40])
    if "公报" not in head:
        raise NotAGazette("no gazette masthead (…人民政府公报) in the first lines")
    issue_m = _ISSUE.search(head)
    if not issue_m:
        raise NotAGazette("no issue number and date (…年…月…日 第N期) under the masthead")
    issue = f"{issue_m.group(1)}年第{issue_m.group(4)}期"
    issue_date = _iso(issue_m)
    profile = issue_profile(lines, head, profiles)
    entries, first_body = _parse_toc(lines, profile)
    if not entries:
        raise NotAGazette("the table of contents lists no documents (文号 with page)")
    by_number = {e["number"]: e for e in entries}

    # A document starts at the line that is its 文号 alone; the header lines above it hold the issuer.
    starts = [i for i in range(first_body, len(lines)) if lines[i].strip() in by_number]
    check_against_toc(entries, [(lines[i].strip(), i + 1) for i in starts])
    repeals = re.compile(rf"《([^》]+)》[（(]({profile.doc_number.pattern})[）)]\s*同时废止")
    docs: list[Document] = []
    for k, i in enumerate(starts):
        number = lines[i].strip()
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        entry = by_number[number]
        doc = Document(number=number, title=entry["title"], category=entry["category"],
                       start_page=entry["page"], issue=issue, issue_date=issue_date, profile=profile)
        for back in range(i - 1, max(first_body, i - 8) - 1, -1):
            m = profile.issuer.match(lines[back].strip().strip("*"))
            if m:
                doc.issuer = m.group(1)
                break
        body_start = i + 1
        body_end = end
        signed_at = None
        for j in range(i + 1, end):
            line = lines[j].strip()
            if doc.signed is None and _DATE.match(line):
                doc.signed = _iso(_DATE.match(line))
                body_start = signed_at = j + 1
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
        body_end = _before_signature(lines, body_start, body_end, profile)
        if signed_at is not None and body_end == body_start:
            # nothing after the signature: a letter (函) or a notice without attachment says it all above it
            body_start, body_end = i + 1, _before_signature(lines, i + 1, signed_at - 1, profile)
        doc.body = [(j + 1, lines[j]) for j in range(body_start, body_end)]
        for m in repeals.finditer("".join(l for _, l in doc.body)):
            doc.repeals.append({"number": m.group(2), "title": tidy(m.group(1))})
        docs.append(doc)
    if not docs:
        raise NotAGazette("none of the documents in the table of contents was found in the text")
    for doc, nxt in zip(docs, docs[1:]):
        doc.end_page = max(doc.start_page, nxt.start_page - 1)
    return docs
