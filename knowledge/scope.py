"""What the store holds, and whether a question asks about something else: another year, another district or
level of government, another gazette issue. All of it comes from the store's documents, not from code, so
another issue or district works the same way."""
from __future__ import annotations

import re
from functools import lru_cache
from string import capwords

from .datafiles import read_toml
from .lexicon import words_pattern
from .normalize import search_key
from .query import CLAUSE_BREAK
from .references import cn_number

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# a measure after a number: it counts (not a word that starts with one: 台风, 家庭, 元旦, 项目, 人大, 年代)
_MEASURE = r"(?:个|家(?!庭|长|里|人)|人(?!大|民|员)|处|所|条|座|万|千|亿|元(?!旦|宵|素)|台(?!风|湖)|辆|项(?!目)|名(?!单|称)|次|户|套|棵|张|米)"
_ALTERNATIVE = r"(?:还是|或者|或|到|至|-|~)"
# a number that only looks like a year: it counts something ("2000家") or is another count's alternative ("是1000还是
# 2000", "是2000还是1000", "1500到2000人")
_COUNT_NOT_YEAR = re.compile(
    rf"(?<!\d)(?:19|20)\d\d(?={_MEASURE})|"
    rf"(?<!\d)(?!(?:19|20)\d\d)\d+{_MEASURE}?{_ALTERNATIVE}(?:19|20)\d\d(?![\d年])|"
    rf"(?<!\d)(?:19|20)\d\d(?!年){_ALTERNATIVE}(?!(?:19|20)\d\d)\d+")
_ISSUE = re.compile(r"(\d{4})?年?第?([\d一二三四五六七八九十]{1,3})期")
_ENGLISH_ISSUE = re.compile(r"issue(?:no\.?|number|#)?(\d{1,2})(?!\d)")
# years named from the issue's own: back (去年) or on (明年); the issue sets out one year's work
_OTHER_YEARS = {"前年": 2, "去年": 1, "上一年": 1, "上年": 1, "明年": -1, "后年": -2}
_ISSUER_PARTS = re.compile(r"^(.+?[省市])?(.+?[区县市])")
_THIS_YEAR = re.compile(r"今年|本年|thisyear")
_A_YEAR = re.compile(r"(?:19|20)\d\d年?|" + "|".join(_OTHER_YEARS))


def _says_year(text: str, year: str) -> bool:
    """Whether text names the year, not a sum that starts with its digits ("2000万元" is no year 2000)."""
    return re.search(rf"(?<!\d){year}(?!\d|{_MEASURE})", text) is not None


@lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    data = read_toml("places.toml")
    return tuple(sorted({search_key(p) for p in data["places"]}, key=len, reverse=True))


@lru_cache(maxsize=1)
def own_places() -> tuple[str, ...]:
    """The district's own streets and towns (places.toml own_places)."""
    return tuple(search_key(p) for p in read_toml("places.toml").get("own_places", []))


@lru_cache(maxsize=1)
def _named_after() -> re.Pattern:
    """A place with a name's ending after it ("平谷线", "大兴机场线"): a line or road, no question about the place."""
    data = read_toml("places.toml")
    names = "|".join(map(re.escape, places()))
    # ... not a common word that starts with the ending ("朝阳区路灯谁管": 路灯 is no road named 朝阳区路)
    endings = "|".join(map(re.escape, data.get("named_after", [])))
    return re.compile(rf"(?:{names})(?:{endings})(?!灯|面|口|况|边|段|旁|费|长|台)")


@lru_cache(maxsize=1)
def short_names() -> dict[str, tuple[str, ...]]:
    """Place -> the one-character names compounds write it by ("河北" -> 冀, as in 京冀)."""
    return {search_key(k): tuple(v) for k, v in read_toml("places.toml").get("short_names", {}).items()}


class Scope:
    """The issues, years and district of the store's documents."""

    def __init__(self, documents: dict[str, dict]):
        self.issues = sorted({d["issue"] for d in documents.values() if d.get("issue")})
        self.home: set[str] = set()
        self.issuers: set[str] = set()
        for d in documents.values():
            issuer = search_key(d.get("issuer") or "")
            m = _ISSUER_PARTS.match(issuer)
            if m:
                district = m.group(2)
                self.issuers.add((m.group(1) or "") + district)
                self.home.update({district, district.rstrip("区县市")})
        self.years = {y for d in documents.values()
                      for y in _YEAR.findall(f"{d['doc_number']}{d.get('issue', '')}{d.get('signed', '')}")}
        count = len(documents)
        self.holds = (f"我只收录了{('、'.join(self.issues_named()))}的 {count} 份文件"
                      if self.issues else f"我只收录了 {count} 份文件")

    @property
    def home_name(self) -> str:
        """The district's full name ("通州区"), "" when no document's issuer names one."""
        return max(self.home, key=len, default="")

    def issues_named(self) -> list[str]:
        return [f"{self.home_name}人民政府公报{i}" for i in self.issues]

    def outside_issue(self, key: str) -> str | None:
        """A gazette issue the question names ("公报2022年第2期", "issue no. 2 of the gazette") that the store does
        not hold."""
        if "gazette" in key:
            for m in _ENGLISH_ISSUE.finditer(key):
                n = int(m.group(1))
                if not any(i.endswith(f"第{n}期") for i in self.issues):
                    return f"第{n}期"
        if "期" not in key:
            return None
        for m in _ISSUE.finditer(key):
            n = cn_number(m.group(2))
            year = m.group(1) or ""
            if n is None or not ("公报" in key or "这期" in key or "本期" in key):
                continue
            if not any(i.endswith(f"第{n}期") and (not year or i.startswith(year)) for i in self.issues):
                return m.group(0)
        return None

    def unmet(self, key: str, text: str, asks_who: bool = False) -> str | None:
        """A year or place the question names that the answering text (passage, headings, document title and
        citation, normalised) does not: the question is about something else. Asking who handles something, a
        past year not followed by 的 tells what happened ("去年着过火，谁来装报警器"), not which year's work."""
        for issuer in self.issuers:   # "北京市通州区人民政府" names the district, not the city
            key, text = key.replace(issuer, " "), text.replace(issuer, " ")
        key = _COUNT_NOT_YEAR.sub(" ", _without_backstory(key))
        for year in _YEAR.findall(key):
            if not _says_year(text, year) and year not in self.years:
                return f"{year}年"
        if self.years:
            # "去年一共开了多少次": a past year's outcome; "明年有什么民生实事": a year whose work it does not set out
            for word, back in _OTHER_YEARS.items():
                year = str(int(max(self.years)) - back)
                if word in key and word not in text and year not in text:
                    if asks_who and f"{word}的" not in key:
                        continue
                    if back < 0 and not (key.startswith(word) or f"{word}的" in key):
                        continue   # "孩子明年上学", "会不会拖到明年": their own plans, not which year's work
                    return word
        key = _named_after().sub(" ", key)
        for place in places():
            if place in key:
                if place in self.home:
                    key = key.replace(place, " ")
                    continue
                if place not in text and not any(s in text for s in short_names().get(place, ())):
                    return place
                key = key.replace(place, " ")
        return None

    def elsewhere(self, key: str) -> str | None:
        """A place the normalised text names that is not the gazette's own district ("朝阳区城管委")."""
        key = _named_after().sub(" ", key)
        return next((p for p in places() if p in key and p not in self.home
                     and not any(p in issuer for issuer in self.issuers)), None)

    def overview(self, documents: dict[str, dict]) -> dict:
        """The issue's table of contents as one answer: when it came out and the documents it holds."""
        dates = sorted({d["issue_date"] for d in documents.values() if d.get("issue_date")})
        when = "、".join(_chinese_date(x) for x in dates)
        lines = [f"{d['doc_number']}《{d['short_title']}》（第{d['start_page']}页）"
                 for d in sorted(documents.values(), key=lambda d: d.get("start_page") or 0)]
        names = "、".join(self.issues_named())
        return {"lead": f"{names}（{when}出版）收录 {len(documents)} 份文件",
                "passage": f"{names}，{when}出版，收录：\n" + "\n".join(lines),
                "citation": f"{names}目录"}

    def decline(self, what: str) -> str:
        """An issue the store does not hold."""
        return f"公报里没有关于“{what}”的内容：{self.holds}。"

    def not_for(self, what: str) -> str:
        """A year or place the answer found does not name: the gazette speaks of both, not of this for that
        ("北京市今年的GDP增长目标": 北京市 is everywhere in it, the city's target nowhere)."""
        what = capwords(what) if what.isascii() else what   # the question was normalised to lower case
        return f"公报没有写{what}的情况：{self.holds}。"


def _without_backstory(key: str) -> str:
    """The question without the years its story tells: a clause that asks nothing, before one asking about this
    year or telling when something happened ("去年就听说有政策，今年打算装多少部", "我儿子2019年就在这住了，想问问…"),
    says when the story happened, not which year's work is asked about ("2023年已经竣工了多少个" asks)."""
    clauses = CLAUSE_BREAK.split(key)
    asking = words_pattern("asking")
    told = [k for k, c in enumerate(clauses) if _A_YEAR.search(c) and not asking.search(c)
            and (words_pattern("story_time").search(c) or any(_THIS_YEAR.search(x) for x in clauses[k + 1:]))
            and k + 1 < len(clauses)]
    if not told:
        return key
    return "，".join(_A_YEAR.sub(" ", c) if k in told else c for k, c in enumerate(clauses))


def _chinese_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
