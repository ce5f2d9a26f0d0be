"""Exact references in a question: a document by its 文号, a short number ("2号文") or its title, and an item
in it by number ("第35项", "第（十六）项", "表第9项", "第三十七条", "1.4.1").

What can be referred to is read from the store's passages (their `item` labels and document titles), so a new
issue with other documents needs no change here.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .normalize import search_key

CN = "零〇一二三四五六七八九十百两"
CN_DIGITS = "零〇一二三四五六七八九十"   # the numerals a short document number is written with ("二号文")
_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
MAX_ITEM = 999          # no document here has more items; larger numbers are not references
MIN_TITLE_MATCH = 3     # characters a question shares with one document's title to name it ("元宇宙")
# the words before an item number echo one document's title this much (title_affinity: "交通" alone is 2.3) and
# twice as much as any other's: "交通方案第30项" is the transport plan's 30th item, whatever other list has one
ECHO_AFFINITY = 2.0

# (the issuer's prefix as typed, 发 left out too: "通政办〔2022〕8号")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,6}?[发函字办])[〔\[(（【]?(\d{4})[〕\])）】]?年?第?(\d{1,4})号")
_SHORT_NUMBER = re.compile(rf"(办|政府办)?(?:发)?(\d{{1,3}}|[{CN_DIGITS}]{{1,3}})号(?:文件|文)")   # "2号文", "二号文"
_SHORT_ISSUED = re.compile(r"(?<![印下签颁转])(办|政府办)?发(\d{1,3})号")   # "办发8号", "发2号": the issuer's ending
_PAREN_ITEM = re.compile(rf"第?[（(]([{CN}]+|\d{{1,3}})[）)]项")
_PAREN_NUMBER = re.compile(rf"[（(]([{CN}]+|\d{{1,3}})[）)]")    # "民生实事（三十一）", its document named
# what is asked of an item, right after its number: "民生实事31主责单位", "第31谁负责", "民生实事（三十一）"
_ASKED = r"$|[\s,，。?？!！:：、]|主责|责任单位|谁|牵头|完成|时限|是|的|什么|哪|讲|说|内容|呢"
_ASKED_AFTER = rf"(?={_ASKED})"
# with a document named, "第31" and "31" before what is asked name its item; "第一时间", "第三方", "24小时",
# "5A", "第5G" do not
_LOOSE_ORDINAL = re.compile(rf"第([{CN}]+|\d{{1,3}}){_ASKED_AFTER}")
MINUS = "\\-－−—–负"   # the ways a minus sign is typed before a number: none names an item
_BARE_DIGITS = re.compile(rf"(?<![\d.a-z{MINUS}])(\d{{1,3}}){_ASKED_AFTER}")
# ... and "民生实事十六": a Chinese numeral right after the title's words (Catalog.ends_in_title)
_BARE_NUMERAL = re.compile(rf"(?<![{CN}])([{CN}]{{1,4}}){_ASKED_AFTER}")
_ORDINAL_ITEM = re.compile(rf"第([{CN}]+|\d{{1,3}})[项个号件行]")   # 件: 民生实事 are counted 件; 行: a table's row
# "第-1项", "第0项": no item has such a number; said so rather than read as item 1 or as the document
_NO_ORDINAL = re.compile(rf"第\s*(?:[{MINUS}]\s*\d{{1,4}}|[0０零〇]+)\s*[项条个件]")
# a document named, "35项", "35号" and "35条" (then nothing more, or what is asked) name its item: "2号文35条",
# "处置分工表47号";
# "10条公交线路" is an amount
_BARE_ITEM = re.compile(rf"(?<![\d.%{MINUS}第月])(\d{{1,3}})(?:项|号(?=任务|{_ASKED})|条{_ASKED_AFTER})")
_ARTICLE = re.compile(rf"第([{CN}]+|\d{{1,3}})条")
_ENGLISH_ARTICLE = re.compile(r"(?<![a-z])(?:article|art\.)(\d{1,3})(?!\d)")
_CHAPTER = re.compile(rf"第([{CN}]+|\d{{1,2}})章")
# a part of an article, as staff cite rules: "第四十六条第（五）项", "46条(5)", "四十六条第五项" -> 四十六（五）
# (the part marked by 第 or brackets: "一条二十米宽的路" is no article's part)
_ARTICLE_PART = re.compile(rf"(?<![\d{CN}])第?([{CN}]+|\d{{1,3}})条(?:第[（(]?([{CN}]+|\d{{1,2}})[）)]?|[（(]([{CN}]+|\d{{1,2}})[）)])[项款目]?")
_ENGLISH_DOC = re.compile(r"()(?:document|doc|file)(?:no\.?|number|#)?(\d{1,3})(?![\d.])")   # "doc no.2", "document 8"
# "No.2 Middle School", "No.1 Hospital" are names, not items
_NAMED_ITEM = re.compile(r"(?:item|task|no\.|number|#|任务)(\d{1,3})(?!\d|[月年日天号]|middle|high|primary|junior|senior|school|"
                         r"hospital|kindergarten|experimental|affiliated)")
# "1.4.1" names a section; "1.5万人", "2.3公里" are amounts
_ENGLISH_ORDINAL = re.compile(r"(?<!\d)(\d{1,3})(?:st|nd|rd|th)(?=item|task|project|livelihood|measure|row|one)")   # "the 5th task"
# what follows a number that is an amount, not a place in an outline ("1.5万人", "4.2级", "2.5小时", "8折")
_AMOUNT = "%万亿千百倍个人亩米元吨岁公平级小时分钟折档"
_DECIMAL = re.compile(rf"(?<![\d.a-z])(\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?![\d.{_AMOUNT}])")
# an item named by where it sits in a document's outline, as staff copy it from the page: "四（三）3",
# "二、（三）妇女与经济 主要目标9", "2.3.6 第28项", "8.3（2）": a section (一、 or 2.3.6), then parts of it
_CN_SMALL = "一二三四五六七八九十"
_ENGLISH_PLACE = r"row|item|no\.?|number|#"   # "2.3.6, row 46": how English marks the part, as 第 does
_OUTLINE = re.compile(
    rf"(?<![{_CN_SMALL}\d.])(?:([{_CN_SMALL}]{{1,3}})[、.．]?(?=[(（])|(\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?![\d{_AMOUNT}]))"
    rf"((?:[(（](?:[{_CN_SMALL}]{{1,3}}|\d{{1,2}})[)）])?"
    rf"(?:[\u4e00-\u9fff、]{{0,12}}?[,，]?(?:第|{_ENGLISH_PLACE})?\d{{1,3}}(?:项|号|条|行)?(?![\d.{_AMOUNT}年月日天]))?)")


# an item named by its number, with or without a document ("那第37项呢", "（三）"): see names_an_item
_ITEM_NAMED = re.compile(r"第\s*[（(]?[\d一二三四五六七八九十百]+[）)]?\s*[项条号件]|^[（(][一二三四五六七八九十]+[）)]")


def names_an_item(key: str) -> bool:
    """The normalised question names an item by its number ("第37项", "第（三）项", "（三）…")."""
    return bool(_ITEM_NAMED.search(key))


def cn_number(text: str) -> int | None:
    """"十六" -> 16, "一百零三" -> 103, "35" -> 35; None when it is not a number."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUE:
            current = _CN_VALUE[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass(slots=True)
class Reference:
    """What a question points at exactly: documents, and the passages of the items it names."""
    documents: list[str] = field(default_factory=list)   # 文号 in the store, best first
    missing: list[str] = field(default_factory=list)     # 文号 the question names that the store lacks
    items: list[int] = field(default_factory=list)       # passage positions, best first
    label: str = ""                                      # how the item was named, for `matched`
    by_title: bool = False                               # the document was named by its title, not its 文号
    table: str = ""                                      # the table named ("突发事件处置分工表第9项"), if any
    # "1号文" is 通政发〔2022〕1号, but 通政办发〔2022〕1号 exists too: the same reference read in that one
    alternative: Reference | None = None


# a section opened by its number and name ("（五）妇女与社会保障：健全…"): staff name it by the name
_SECTION_HEADING = re.compile(rf"[（(][{_CN_SMALL}]+[）)]\s*([\u4e00-\u9fff、]{{3,12}})[：:]")
_KIND_OF_DOCUMENT = re.compile(r"(?:意见|方案|规划|预案|规则|措施|报告|目录|台账|实事)$")


def _in_order(short: str, title: str) -> bool:
    """Whether each character of short is in title, in the same order."""
    at = 0
    for ch in short:
        at = title.find(ch, at) + 1
        if not at:
            return False
    return True


class Catalog:
    """Everything a reference can name, worked out once from the passages and documents."""

    def __init__(self, passages: list[dict], documents: dict[str, dict], other_numbers: Iterable[str] = (),
                 romanised: dict[str, str] | None = None):
        self.documents = documents
        # "Tongzhengbanfa [2022] No. 8" -> 通政办发〔2022〕8号 (pinyin.romanised, worked out at build time)
        spellings = "|".join(sorted(map(re.escape, romanised or {}), key=len, reverse=True))
        self.romanised = romanised or {}
        self._latin_number = re.compile(rf"({spellings})[\[(〔【]?(\d{{4}})[\])〕】]?(?:no\.?|number|#)?(\d{{1,4}})") \
            if spellings else None
        self.prefixes = {n.split("〔")[0] for n in [*documents, *other_numbers]}
        known = "|".join(sorted(map(re.escape, {n.split("〔")[0] for n in documents}), key=len, reverse=True))
        self.prefix_number = re.compile(rf"({known})第?(\d{{1,4}})号") if known else None
        self.items: dict[tuple, list[int]] = {}     # (doc, kind, n) -> positions
        self.labels: dict[int, str] = {p["pos"]: search_key(p["item"] or "") for p in passages}
        self.tables: dict[str, str] = {}            # table title -> 文号
        self.table_rows: dict[str, int] = {}        # table title -> how many rows it has
        self.sections: dict[str, list[tuple[str, str]]] = {}   # a section's name -> (文号, its label "二（五）")
        # a document whose sections number their paragraphs straight through ("一（一）", "二（五）") can have
        # them named like items: "通政办发3号第5项" is its （五）
        numbered_through: dict[str, dict[int, tuple[set[str], list[int]]]] = {}   # 文号 -> n -> (labels, positions)
        for p in passages:
            for key in _item_keys(p):
                self.items.setdefault(key, []).append(p["pos"])
            label = re.sub(r"\s第\d+段$", "", p["item"] or "")
            m = re.search(rf"[（(]([{CN}]+)[）)]$", label)
            if p["kind"] == "clause" and m and cn_number(m.group(1)):
                labels, positions = numbered_through.setdefault(p["doc_number"], {}).setdefault(
                    cn_number(m.group(1)), (set(), []))
                labels.add(label)
                positions.append(p["pos"])
            m = re.search(r"\s?([\u4e00-\u9fff]{2,}?)\s第\d+项$", p["item"])
            if p["kind"] in ("row", "target") and m:
                self.tables[m.group(1)] = p["doc_number"]
                self.table_rows[m.group(1)] = self.table_rows.get(m.group(1), 0) + 1
            m = _SECTION_HEADING.match(p["text"]) if p["kind"] == "clause" else None
            if m and re.fullmatch(rf"[{_CN_SMALL}]+[（(][{_CN_SMALL}]+[）)]", label):
                self.sections.setdefault(search_key(m.group(1)), []).append((p["doc_number"], label))
        listed = {p["doc_number"] for p in passages if p["kind"] in ("task", "livelihood")}
        for doc, numbers in numbered_through.items():
            if doc not in listed and all(len(labels) == 1 for labels, _ in numbers.values()):
                for n, (_, positions) in numbers.items():
                    self.items.setdefault((doc, "paren", n), []).extend(positions)
        self.task_counts = {n: sum(len(v) for k, v in self.items.items() if k[0] == n and k[1] == "item")
                            for n in documents}
        # substrings of exactly one document's (or table's) title name it
        self._title_parts: dict[str, set[str]] = {}
        for number, d in documents.items():
            for title in {search_key(t) for t in (d["short_title"], d["title"], *d.get("attachments", []))}:
                self._add_parts(title, ("doc", number))
        for table, number in self.tables.items():
            self._add_parts(search_key(table) + "表", ("table", table))
        self.longest = max((len(k) for k in self._title_parts), default=0)
        # pairs of characters in each title, weighed by how few titles share them ("交通" names one, "通州" none)
        # (an attachment's title names its document only when said at length, "任务台账": its pairs, 任务 among
        # them, are everyday words)
        # each document's short title and title as questions are normalised, for pairs and abbreviations
        self._title_keys = {n: (search_key(d["short_title"]), search_key(d["title"]),
                                *map(search_key, d.get("attachments", []))) for n, d in documents.items()}
        self._title_pairs = {n: {t[i:i + 2] for t in keys[:2] for i in range(len(t) - 1)}
                             for n, keys in self._title_keys.items()}
        df: dict[str, int] = {}
        for pairs in self._title_pairs.values():
            for pair in pairs:
                df[pair] = df.get(pair, 0) + 1
        self._pair_weight = {pair: math.log(len(documents) / k) for pair, k in df.items()}

    def title_affinity(self, key: str) -> dict[str, float]:
        """文号 -> how much of that document's title the question's words echo ("交通台账" and the transport plan)."""
        said = {key[i:i + 2] for i in range(len(key) - 1)}
        return {n: math.fsum(self._pair_weight[p] for p in said & pairs) for n, pairs in self._title_pairs.items()}

    def echoed(self, words: str) -> str | None:
        """The one document whose title these words echo (ECHO_AFFINITY), if there is one."""
        ranked = sorted(self.title_affinity(words).items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < ECHO_AFFINITY or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
            return None
        return ranked[0][0]

    def ends_in_title(self, words: str) -> bool:
        """Whether words end with a stretch of a document's or a table's title ("民生实事")."""
        return any(words[-n:] in self._title_parts for n in range(MIN_TITLE_MATCH, min(len(words), 16) + 1))

    def abbreviated(self, words: str) -> str | None:
        """The one document these words abbreviate, as people shorten a title: a few of its characters in order,
        then the kind of document ("公卫意见" for 通州区推进基层公共卫生体系建设工作意见)."""
        run = re.search(r"[\u4e00-\u9fff]+$", words)
        if not run:
            return None
        run = run.group(0)
        # the kind alone names a document when only one is of that kind, its annexes counted ("台账第23项": the
        # transport plan's 任务台账; "规划" is the 妇女儿童 plan's)
        for size in range(min(len(run), 8), 1, -1):
            short = run[-size:]
            if not _KIND_OF_DOCUMENT.search(short):
                continue
            having = [n for n, keys in self._title_keys.items() if any(_in_order(short, t) for t in keys)]
            if len(having) == 1:
                return having[0]
        return None

    def _add_parts(self, title: str, target: tuple[str, str]) -> None:
        for i in range(len(title)):
            for j in range(i + MIN_TITLE_MATCH, min(len(title), i + 16) + 1):
                self._title_parts.setdefault(title[i:j], set()).add(target)

    def named_by_title(self, key: str) -> tuple[list[str], list[str]]:
        """(documents, tables) that the question names by the longest stretch of their title it repeats."""
        best: dict[str, tuple[int, str]] = {}
        for i in range(len(key)):
            for j in range(min(len(key), i + self.longest), i + MIN_TITLE_MATCH - 1, -1):
                targets = self._title_parts.get(key[i:j])
                # (a date names no title: "2024年到期的任务" is no look-up of the plan for 2022—2024年)
                if targets is None or len(re.findall(r"[\u4e00-\u9fff]", re.sub("[年月日号]", "", key[i:j]))) < 2:
                    continue
                kinds = {t[0] for t in targets}
                for kind in kinds:
                    of_kind = [t for t in targets if t[0] == kind]
                    # a table named by words that name its document too ("应急预案") comes after one named by
                    # words of its own ("应急预案2.3.6分工表": 突发事件处置分工, not 区级专项应急预案目录)
                    own = len(kinds) == 1
                    if len(of_kind) == 1 and (of_kind[0] not in best or best[of_kind[0]][:2] < (own, j - i)):
                        best[of_kind[0]] = (own, j - i, key[i:j])
                break
        ranked = sorted(best, key=lambda t: (t[0] == "table" and not best[t][0], -best[t][1]))
        return [t[1] for t in ranked if t[0] == "doc"], [t[1] for t in ranked if t[0] == "table"]


def _section(dotted: str | None, cn: str | None) -> list[int]:
    """A section's numbers, printed dotted ("2.3.6" -> [2, 3, 6]) or as a Chinese numeral ("四" -> [4])."""
    return [int(x) for x in dotted.split(".")] if dotted else [cn_number(cn or "") or 0]


def outline_of_label(label: str) -> tuple:
    """Where an item label sits in its document's outline, in its numbering style: "四（三）第3项 第1段" ->
    ("cn", 4, 3, 3), "2.3.6 突发事件处置分工 第47项" -> ("dot", 2, 3, 6, 47), "8.3（1）" -> ("dot", 8, 3, 1); ()
    when it is not numbered so."""
    label = re.sub(r"\s*第\d+段$", "", label or "")
    label = re.sub(r"^第[一二三四五六七八九十]+章\s*", "", label)
    # "1.4 1.4.1（1）": the last section number is the passage's own
    label = re.sub(r"^(?:\d+(?:\.\d+)*\s+)+(?=\d+\.\d)", "", label)
    m = re.match(rf"(\d+(?:\.\d+)*)|([{_CN_SMALL}]+)(?![{_CN_SMALL}]*条)", label)
    if not m:
        return ()
    # the numbering style is part of the place: 四（二） and 4.2 are different sections
    style = "dot" if m.group(1) else "cn"
    parts = _section(m.group(1), m.group(2))
    rest = label[m.end():]
    parts += [cn_number(x) or 0 for x in re.findall(rf"[（(]([{_CN_SMALL}]+|\d+)[）)]", rest)]
    last = re.search(r"第(\d+)项$", rest)
    if last:
        parts.append(int(last.group(1)))
    return (style, *parts) if len(parts) >= 2 and all(parts) else ()


def asked_outline(key: str) -> tuple[str, tuple] | None:
    """The words that name an outline position in the normalised question, and the position as outline_of_label
    gives it ("四(三)3" -> ("cn", 4, 3, 3)); None when it names none, or only a section and nothing in it ("三、"
    alone, "1.5万")."""
    for m in _OUTLINE.finditer(key):
        tail = m.group(3)
        parts = _section(m.group(2), m.group(1))
        paren = re.match(rf"[(（]([{_CN_SMALL}]{{1,3}}|\d{{1,2}})[)）]", tail)
        if paren:
            parts.append(cn_number(paren.group(1)) or 0)
        last = re.search(rf"(第|{_ENGLISH_PLACE})?(\d{{1,3}})(项|号|条|行)?$", tail)
        if last and (last.start() > 0 or not paren):
            parts.append(int(last.group(2)))
        # a dotted number alone is as likely an amount or a date ("3.8妇女节", "1.2米以下"): it names a place only
        # with a part after it, "8.3（2）" or "2.3.6 第28项"
        marked = paren or (last and (last.group(1) or last.group(3)))
        if len(parts) >= 2 and all(parts) and (paren if m.group(1) else marked):
            return (re.sub(r"[\u4e00-\u9fff、]{2,}(?=第?\d)", " ", m.group(0)),
                    ("cn" if m.group(1) else "dot", *parts))
    return None


def _item_keys(p: dict) -> list[tuple]:
    """The numbers a passage can be named by: (文号, kind, n) or (文号, "path", label)."""
    doc, item = p["doc_number"], p["item"] or ""
    keys: list[tuple] = []
    outline = outline_of_label(item)
    if outline and p["kind"] != "document":
        keys.append((doc, "outline", outline))
    if p["kind"] in ("task", "livelihood"):
        m = re.fullmatch(r"第(\d+)项", item)
        if m:
            keys.append((doc, "item", int(m.group(1))))
        m = re.search(rf"[（(]([{CN}]+)[）)]$", item)
        if p["kind"] == "livelihood" and m:   # 民生实事 are numbered （一）…（三十二） across the whole list
            keys += [(doc, "item", cn_number(m.group(1))), (doc, "paren", cn_number(m.group(1)))]
    elif p["kind"] in ("row", "target"):
        m = re.search(r"([\u4e00-\u9fff]{2,}?)\s第(\d+)项$", item)
        if m:
            keys.append((doc, "row:" + m.group(1), int(m.group(2))))
    elif p["kind"] == "clause":
        last = re.sub(r"\s第\d+段$", "", item).split(" ")[-1]
        m = re.fullmatch(rf"第([{CN}]+)条", last) or re.fullmatch(rf"([{CN}]+)", last)
        if m and cn_number(m.group(1)):
            keys.append((doc, "article", cn_number(m.group(1))))
        m = re.match(rf"第([{CN}]+)章\s", item)
        if m:   # "第七章": its articles
            keys.append((doc, "chapter", cn_number(m.group(1))))
        if re.fullmatch(r"\d+(\.\d+)+", last):
            keys.append((doc, "path", last))
    return [k for k in keys if k[2] is not None]


def normalise_doc_number(text: str, prefixes: Iterable[str] = ()) -> str:
    """通政发[2022]3号 / 通政发2022年3号 spellings -> 通政发〔2022〕3号; "" when there is none."""
    m = DOC_NUMBER.search(search_key(text))
    return _number(m, prefixes) if m else ""


def _number(m: re.Match, prefixes: Iterable[str]) -> str:
    """The 文号 a match spells. The pattern may take words before the issuer's prefix ("文件通政发"): the
    longest known prefix it ends with is kept, else its last four characters."""
    prefix = _known_prefix(m.group(1), prefixes) or m.group(1)[-4:]
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"


_ASKED_BEFORE = re.compile(r"(?:我|我们)?(?:想|要)?(?:请问|问一下|问下|问|查一下|查下|查|看看|看一下)?(?:一下)?")


def _known_prefix(typed: str, prefixes: Iterable[str]) -> str | None:
    """The issuer's prefix the typed one means: the longest known prefix it ends with ("请问通政办发"), else the one
    known prefix that the end of what was typed cuts short ("请问办发": 通政办发) or writes without 发 ("通政办")."""
    prefixes = list(prefixes)
    known = [p for p in prefixes if typed.endswith(p)]
    if known:
        return max(known, key=len)
    for k in range(len(typed) - 1):
        if not _ASKED_BEFORE.fullmatch(typed[:k]):
            continue   # only the question's words may come before it ("请问", "我想问一下"): 京政发 is Beijing's
        tail = typed[k:]
        known = [p for p in prefixes if p.endswith(tail) or p == tail + "发"]
        if len(known) == 1:
            return known[0]
    return None


def find(key: str, catalog: Catalog, hints: str = "") -> Reference:
    """The documents and items the normalised question names exactly; hints are gazette words its English
    names for a document stand for ("transport plan task 14": 城乡交通运输一体化示范县)."""
    ref = Reference()
    other = ""
    key = _ENGLISH_ARTICLE.sub(r"第\1条", key)   # "document 1 article 46" is its 第46条
    if catalog._latin_number is not None:
        key = catalog._latin_number.sub(lambda m: f"{catalog.romanised[m.group(1)]}〔{m.group(2)}〕{m.group(3)}号", key)
    rest = key
    for m in DOC_NUMBER.finditer(key):
        number = _number(m, catalog.prefixes)
        (ref.documents if number in catalog.documents else ref.missing).append(number)
        rest = rest.replace(m.group(0), " ")
    if not ref.documents and not ref.missing and catalog.prefix_number is not None:
        for m in catalog.prefix_number.finditer(rest):   # "通政办发8号": the issuer's prefix, no year
            numbered = _with_prefix(catalog.documents, m.group(1), int(m.group(2)))
            if len(numbered) == 1:
                ref.documents += numbered
                rest = rest.replace(m.group(0), " ")
    if not ref.documents and not ref.missing:
        for m in _short_numbers(rest):
            meant, others = _by_short_number(m, catalog.documents)
            ref.documents += meant
            if not m.group(1) and meant and others:
                other = others[0]
            rest = rest.replace(m.group(0), " ")
    titled, tables = catalog.named_by_title(f"{rest} {hints}" if hints else rest)
    if not ref.documents and not ref.missing and titled:
        ref.documents, ref.by_title = titled[:1], True
    rest = _sections_numbered(rest, ref, catalog)
    _find_items(rest, ref, tables, catalog, hints)
    if other and ref.label and not tables:
        ref.alternative = Reference(documents=[other])
        _find_items(rest, ref.alternative, [], catalog, hints)
    return ref


def _sections_numbered(rest: str, ref: Reference, catalog: Catalog) -> str:
    """rest with a section named by its name ("妇女与社会保障策略措施第5条") put as its number ("二(五)策略措施第5条"),
    where the documents named (or, with none named, the whole gazette) have one section of that name and a place
    in it is asked."""
    if asked_outline(rest):
        return rest    # "二、（三）妇女与经济 主要目标9": numbered already
    for name, places in catalog.sections.items():
        if name not in rest:
            continue
        mine = [(doc, label) for doc, label in places if not ref.documents or doc in ref.documents]
        numbered = rest.replace(name, search_key(mine[0][1]), 1) if len(mine) == 1 else ""
        if numbered and asked_outline(numbered):   # a place in it is asked, not the section's topic
            ref.documents = ref.documents or [mine[0][0]]
            return numbered
    return rest


def _find_items(rest: str, ref: Reference, tables: list[str], catalog: Catalog, hints: str = "") -> None:
    """The items a number in the question names. People say 条, 项 and 个 loosely ("数字经济行动方案第13条" is its
    13th task): when the word they used names nothing in the document, the same number as the other kind does."""
    impossible = _NO_ORDINAL.search(rest)
    if impossible and (ref.documents or tables):
        ref.label = re.sub(r"\s+", "", impossible.group(0))
        if tables:
            ref.table = tables[0]
            ref.documents = ref.documents or [catalog.tables[tables[0]]]
        return
    ordinal = _ORDINAL_ITEM.search(rest) or _NAMED_ITEM.search(rest) or _ENGLISH_ORDINAL.search(rest)
    numbered = ordinal or _PAREN_ITEM.search(rest)
    outline = asked_outline(rest)
    place = numbered or (_OUTLINE.search(rest) if outline else None) or _ARTICLE.search(rest)
    if place and not ref.documents and not tables:
        echoed = catalog.echoed(rest[:place.start()]) or catalog.abbreviated(rest[:place.start()])
        if echoed:
            ref.documents, ref.by_title = [echoed], True
    docs = ref.documents or list(catalog.documents)
    # in several documents "第35项" exists: the one whose title the question echoes ("交通方案任务3"), else the
    # longest task list, is the one people mean first
    affinity = catalog.title_affinity(f"{rest} {hints}")
    by_task_count = sorted(docs, key=lambda d: (-affinity.get(d, 0.0), -catalog.task_counts.get(d, 0)))

    # "数字经济方案 任务10 主要指标": said to be a task, the number is the task's even beside a table's name
    task_said = bool(ordinal and re.search(r"任务|task", ordinal.group(0)))

    def items(n: int) -> list[tuple]:
        rows = [(catalog.tables[t], "row:" + t, n) for t in tables]
        tasks = [(d, "item", n) for d in by_task_count] + [(d, "paren", n) for d in ref.documents]
        return tasks + rows if task_said else rows or tasks

    def articles(n: int) -> list[tuple]:
        return [(d, "article", n) for d in docs]

    tries: list[tuple[str, list[tuple]]] = []   # (how the question named it, keys), in the order to try them
    if outline:
        # named without its document, a position counts only where one document has it ("三(一)" is in most)
        keys = [(d, "outline", outline[1]) for d in by_task_count]
        having = [k for k in ((d, "outline", outline[1]) for d in catalog.documents) if k in catalog.items]
        if len(having) == 1 and ref.by_title and having[0][0] not in ref.documents:
            # a title echoed by a word or two ("策略措施" and the 若干措施): the one document with the position
            ref.documents, keys = [having[0][0]], having
        if ref.documents or tables or len(having) == 1:
            tries.append((outline[0], keys))
    m = _ARTICLE_PART.search(rest)
    if m and cn_number(m.group(1)) and cn_number(m.group(2) or m.group(3)):
        place = ("cn", cn_number(m.group(1)), cn_number(m.group(2) or m.group(3)))
        having = [d for d in docs if (d, "outline", place) in catalog.items]
        if ref.documents or len(having) == 1:   # without its document, only where one document has it
            tries.insert(0, (m.group(0), [(d, "outline", place) for d in having]))
    m = _PAREN_ITEM.search(rest)
    if m and cn_number(m.group(1)):
        tries.append((m.group(0), [(d, "paren", cn_number(m.group(1))) for d in docs]))
    elif (m := _PAREN_NUMBER.fullmatch(rest.strip())) and cn_number(m.group(1)):
        # "（二十三）" alone: the item so numbered, where only one document numbers one so (民生实事（二十三）)
        having = [(d, "paren", cn_number(m.group(1))) for d in docs if (d, "paren", cn_number(m.group(1))) in catalog.items]
        if len(having) == 1:
            tries.append((m.group(0), having))
    # "46条" alone: an article, as "第46条" is ("46条路" would count roads)
    bare = _BARE_ITEM.search(rest)
    alone = bare if bare and bare.group(0).endswith("条") and rest.strip() == bare.group(0) else None
    if alone:
        tries.append((alone.group(0), articles(cn_number(alone.group(1)) or 0)))
    m = ordinal or (bare if ref.documents or tables else None)
    if m and cn_number(m.group(1)) and cn_number(m.group(1)) <= MAX_ITEM:
        n = cn_number(m.group(1))
        tries += [(m.group(0), items(n))] + ([(m.group(0), articles(n))] if ref.documents else [])
    if ref.documents or tables:
        # a document named, a number after it can only be its item: "民生实事（三十一）", "第31", "31"
        for pattern in (_PAREN_NUMBER, _LOOSE_ORDINAL, _BARE_DIGITS, _BARE_NUMERAL):
            m = pattern.search(rest)
            if m and pattern is _BARE_NUMERAL and not catalog.ends_in_title(rest[:m.start()]):
                continue
            if m and cn_number(m.group(1)) and cn_number(m.group(1)) <= MAX_ITEM and not any(m.group(0) in t[0] for t in tries):
                n = cn_number(m.group(1))
                keys = [(d, "paren", n) for d in docs] if pattern is _PAREN_NUMBER else []
                tries.append((m.group(0), keys + items(n)))
    m = _ARTICLE.search(rest)
    if m and cn_number(m.group(1)) and cn_number(m.group(1)) <= MAX_ITEM:
        n = cn_number(m.group(1))
        # in a document that is a task list, "第4条" is its fourth task rather than its fourth section
        task_list = ref.documents and catalog.task_counts.get(ref.documents[0], 0) > 0
        said = [(m.group(0), articles(n))] + ([(m.group(0), items(n))] if ref.documents or tables else [])
        tries += said[::-1] if task_list else said
    m = _CHAPTER.search(rest)
    if m and cn_number(m.group(1)):
        tries.append((m.group(0), [(d, "chapter", cn_number(m.group(1))) for d in docs]))
    m = _DECIMAL.search(rest)
    # "1.4.1" names a section anywhere; "1.2" only with its document or as "第1.2项" ("身高1.2以下" is a height)
    if m and (m.group(1).count(".") >= 2 or ref.documents or tables or rest.strip() == m.group(0)
              or rest[max(0, m.start() - 1):m.start()] == "第"):
        tries.append((m.group(0), [(d, "path", m.group(1)) for d in docs]))
    for label, keys in tries:
        found = [pos for k in keys for pos in catalog.items.get(k, ())]
        if outline and label == outline[0]:
            # one position, two lists ("二(三)主要目标9" and its 策略措施 9; "8.3(2)" and the table's row 2): the
            # one whose label has the question's words or its way of numbering
            def said(pos: int) -> int:
                item = catalog.labels.get(pos, "")
                words = re.findall(r"[\u4e00-\u9fff]{2,}", re.sub(r"第[一二三四五六七八九十\d]+[章项段]", " ", item))
                return sum(len(w) for w in words if w in rest) + 10 * (re.sub(r"[、\s]", "", label) in item)
            found.sort(key=lambda pos: -said(pos))
        if found:
            ref.label = label
            ref.items = list(dict.fromkeys(found))
            return
    if tries:
        ref.label = tries[0][0]
        if tables:   # "突发事件处置分工表第60项": the table has no such row; its document says how many it has
            ref.table = tables[0]
            ref.documents = ref.documents or [catalog.tables[tables[0]]]


def _with_prefix(documents: Iterable[str], prefix: str, n: int) -> list[str]:
    """The documents of this issuer's prefix numbered n, whatever their year ("通政办发8号")."""
    return [d for d in documents if d.startswith(f"{prefix}〔") and d.endswith(f"〕{n}号")]


def _short_numbers(key: str) -> list[re.Match]:
    return [*_SHORT_NUMBER.finditer(key), *_SHORT_ISSUED.finditer(key), *_ENGLISH_DOC.finditer(key)]


def _by_short_number(m: re.Match, documents: Iterable[str]) -> tuple[list[str], list[str]]:
    """The documents a short number ("8号文", "办8号文", "document 8") means, and the others with that number."""
    n = cn_number(m.group(2))
    if not n:
        return [], []
    numbered = [d for d in documents if re.search(rf"〔\d{{4}}〕{n}号$", d)]
    # "办8号文" is the office's; "8号文" the government's, or the office's when only it has that number
    fits = [d for d in numbered if ("办" in d) == bool(m.group(1))]
    meant = fits or (numbered if not m.group(1) and len(numbered) == 1 else [])
    return meant, [d for d in numbered if d not in meant]


def document_by_short_number(text: str, documents: Iterable[str]) -> str | None:
    """The one document a short number alone names ("2号文", "办发8号", "通政办发8号"), as questions name it."""
    key, documents = search_key(text), list(documents)
    prefixed = re.fullmatch(r"([\u4e00-\u9fff]{2,6}?[发办])第?(\d{1,4})号(?:文件|文)?", key)
    if prefixed:   # the issuer's prefix without the year ("通政办发8号", "政办发8号")
        prefix = _known_prefix(prefixed.group(1), {d.split("〔")[0] for d in documents})
        found = _with_prefix(documents, prefix, int(prefixed.group(2))) if prefix else []
        return found[0] if len(found) == 1 else None
    matches = _short_numbers(key)
    if len(matches) != 1 or matches[0].group(0) != key:
        return None
    meant, _ = _by_short_number(matches[0], documents)
    return meant[0] if len(meant) == 1 else None


_COLUMN_ASKED = re.compile(r"主责单位|责任单位|协办单位|配合单位|牵头领导|完成时限|截止时间|期限|谁负责|谁牵头|谁主责|讲的?是?什么|"
                           r"说的?是?什么|是什么|是啥|讲啥|内容|什么时候|哪天|谁|呢|的|是|[?？。，,!！\s]")


def only_a_look_up(key: str) -> bool:
    """The normalised question is an item or document named by number and, at most, the column asked of it
    ("2号文第20项", "办发8号第3项牵头领导是谁"): read from the index, it searches nothing ("2号文里养老有哪些" does)."""
    if not (names_an_item(key) or names_a_document(key)):
        return False
    rest = _ITEM_NAMED.sub("", _ORDINAL_ITEM.sub("", _ARTICLE.sub("", key)))
    for pattern in (DOC_NUMBER, _SHORT_NUMBER, _SHORT_ISSUED, _ENGLISH_DOC, _DECIMAL):
        rest = pattern.sub("", rest)
    return len(_COLUMN_ASKED.sub("", rest)) <= 1


def names_a_document(key: str) -> bool:
    """The normalised question names a document by its 文号 or a short number ("8号文有哪些任务", "办发8号",
    "document 8")."""
    return bool(DOC_NUMBER.search(key) or _SHORT_NUMBER.search(key) or _SHORT_ISSUED.search(key)
                or _ENGLISH_DOC.search(key))
