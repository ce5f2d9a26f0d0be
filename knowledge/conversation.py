"""Follow-up questions: "那什么时候完成？", "谁牵头？", "还有呢", "what about the deadline?" name no topic of their
own, so they are about the last answer in the same conversation (for a limited time).

A context is a small dict the caller keeps per conversation (the bot per private chat or per replied-to
message in a group, the offline chat likewise) and passes back to Engine.ask.
"""
from __future__ import annotations

import re
import time
from functools import lru_cache

from .datafiles import read_toml
from .lexicon import question_phrases
from .references import cn_number

FOLLOW_UP_SECONDS = 15 * 60   # after this a short question is taken on its own again
KEEP = 10                     # answers of the last question kept for "还有呢"
SHORT = 12                    # a question of at most this many content characters may be a follow-up
NO_MORE = "没有更多结果了。"   # "更多" past the last result or the last entry of a list

_CONTENT = re.compile(r"[\u4e00-\u9fff]|[a-z]+")


# what a question asks of a list entry, beside the question words: "第二项什么时候完成", "第3个由谁负责"
_COLUMN_WORDS = re.compile(r"完成|到期|截止|负责|牵头|主责|单位|领导|时限|部门|是|由|在")
LIST_KEEP = 200               # entries of a list kept for "更多" and "第7项"


def remember(result: dict, shown: int = 1, now: float | None = None) -> dict | None:
    """What to keep of a result so that a follow-up can refer to it, or None. A list (a unit's tasks, what is
    due) keeps its entries and how far it was shown: "更多" pages on, "第2项" picks one; a follow-up asking for a
    column ("什么时候完成") has no single answer to refer to. "没有找到确切的答案。您是不是想问" keeps its choices the
    same way: they are guesses, to pick from, not an answer. A decline naming the one item it is about ("一键呼怎么申请":
    no procedure, 区民政局's item) keeps that item; a decline about another district or year keeps the question, for "那通州呢"."""
    answers = result.get("answers") or []
    at = time.time() if now is None else now
    listing = result.get("intent") in ("due", "unit_list", "leader_list") or "listed" in result
    chosen = [s["id"] for s in result.get("suggestions") or [] if s.get("id")]
    if not answers and not listing:
        # "没有下一项" after the last item of a table: the conversation stays on that item
        if result.get("kept"):
            return dict(result["kept"], at=at)
        if result.get("elsewhere"):   # "那通州呢" next asks the same of Tongzhou
            return {"ids": [], "shown": 0, "intent": None, "lang": result.get("lang"),
                    "question": result.get("query", ""), "elsewhere": result["elsewhere"], "at": at}
        if result.get("about"):
            return {"ids": [result["about"]], "shown": 1, "intent": None, "lang": result.get("lang"),
                    "question": result.get("query", ""), "at": at}
        # ... and so does a decline of a detail ("具体是哪几个村" : not written), whose related items are the
        # topic's passages, numbered as the choices are
        if chosen and (result.get("related") or result.get("intent") != "out_of_scope" and not result.get("lead")):
            return {"ids": chosen[:LIST_KEEP], "start": 0, "shown": len(chosen), "intent": "clause",
                    "lang": result.get("lang"), "list": True, "lead": "", "question": result.get("query", ""),
                    "at": at}
        return None
    if listing:   # kept even when empty: "那第一项谁牵头" after "下个月没有到期的任务" is about that list
        ids = (result.get("listed") or [a["id"] for a in answers])[:LIST_KEEP]
        return {"ids": ids, "start": result.get("start", 0), "shown": result.get("start", 0) + len(answers),
                "intent": result.get("intent"), "lang": result.get("lang"),
                "list": True, "lead": result.get("lead", ""),
                "question": result.get("list_question") or result.get("query", ""), "at": at}
    # "不太确定…请从下面选择": the choices shown are what "第二个" picks from
    ids = list(dict.fromkeys([*chosen, *(a["id"] for a in answers)]))[:KEEP]
    # a follow-up asked again of another topic ("常务会议呢": 常务会议多久开一次) keeps the question it became, so
    # the next swap ("专题会议呢") starts from that
    kept = {"ids": ids, "shown": shown, "intent": result.get("intent"), "lang": result.get("lang"),
            "question": result.get("asked_as") or result.get("query", ""), "at": at}
    if result.get("list_context"):
        kept["list_context"] = dict(result["list_context"], at=at)
    return kept


def current(context: dict | None, now: float | None = None) -> dict | None:
    """The context if it is recent enough to follow up on."""
    if not context:
        return None
    age = (time.time() if now is None else now) - context.get("at", 0)
    return context if 0 <= age <= FOLLOW_UP_SECONDS else None


_END = r"[?？!！。.]*$"


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """How a follow-up starts ("那…") and how one asks for more ("还有呢"), and how a follow-up ends ("…呢"),
    from intents.toml [follow_up]."""
    data = read_toml("intents.toml")["follow_up"]
    return re.compile(rf"^({data['starts']})"), re.compile(rf"^({data['more']}){_END}"), re.compile(data["ends"])


@lru_cache(maxsize=8)
def _whole(name: str) -> re.Pattern:
    """A [follow_up] pattern that is the whole question ("下一项", "下一页", "第2项"), ending punctuation aside."""
    return re.compile(rf"^(?:{read_toml('intents.toml')['follow_up'][name]}){_END}")


def neighbour(key: str) -> int:
    """+1 for "下一项" / "next item", -1 for "上一项" / "previous item", 0 for anything else."""
    return 1 if _whole("next").match(key) else -1 if _whole("previous").match(key) else 0


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ENGLISH_PICK = re.compile(rf"^(?:and|whatabout|howabout)?(?:the)?({'|'.join(_ORDINALS)})(?:one|item|entry|result)?[?.!]*$")


_ENGLISH_NUMBER = re.compile(r"^(?:and|whatabout|howabout)?(?:item|number|no\.?|#)(\d{1,3})(?![\d.])")


def _english_pick(key: str) -> int | None:
    """"the second one", "what about the third?", "item 2, when is it due?" -> 2, 3, 2: an English speaker's pick
    from what was shown (and perhaps the column asked of it)."""
    said = key.replace(" ", "")
    if m := _ENGLISH_PICK.match(said):
        return _ORDINALS.index(m.group(1)) + 1
    n = _ENGLISH_NUMBER.match(said)
    return int(n.group(1)) if n else None


def position(key: str) -> int | None:
    """"第2项" / "那第三个呢" / "第二项什么时候完成" -> 2 / 3 / 2: an entry of the list shown before, and perhaps
    the column asked of it (None for anything else: "第2项的资金从哪来" asks about something of its own)."""
    if (n := _english_pick(key)) is not None:
        return n
    m = _position_said(key)
    if m is None or _COLUMN_WORDS.sub("", question_phrases().sub("", key[m.end():])).strip("?？!！。.呢啊吧的"):
        return None
    return cn_number(m.group("n"))


def _position_said(key: str) -> re.Match | None:
    """The place named at the start of the question ("第2项", "那第三个呢"), whole or before what is asked."""
    return _whole("position").match(key) or _leading("position").match(key)


def picks_result(key: str) -> int | None:
    """"第二个" / "那第3个呢" after a search: its second or third result (an item number, "第37项", stays the
    document's item), and perhaps the column asked of it."""
    if (n := _english_pick(key)) is not None:
        return n
    m = _position_said(key)
    return position(key) if m is not None and "个" in m.group(0) else None


@lru_cache(maxsize=8)
def _leading(name: str) -> re.Pattern:
    """A [follow_up] pattern at the start of the question."""
    return re.compile(rf"^(?:{read_toml('intents.toml')['follow_up'][name]})")


# what points at one entry ("这个", "它", "this") or asks one of its columns ("什么时候完成", "谁负责"): asked after a
# list, it needs an entry picked first. "哪些任务逾期了", "今天几号" ask nothing of an entry
_OF_AN_ENTRY = re.compile(r"这个|这项|这一项|该项|此项|它|那个|那项|this|^it|^is it|^when is it|^who|^when")


def asks_of_an_entry(key: str) -> bool:
    return bool(_OF_AN_ENTRY.search(key) or _COLUMN_WORDS.search(key))


def refers_back(key: str) -> bool:
    """The whole question only points at what was shown ("第二个", "下一项", "更多"): it has no language of its own."""
    return neighbour(key) != 0 or asks_for_page(key) or _whole("position").match(key) is not None \
        or _english_pick(key) is not None


def asks_for_page(key: str) -> bool:
    return bool(_whole("page").match(key)) or asks_for_more(key)


def asks_for_more(key: str) -> bool:
    return bool(_words()[1].match(key))


def is_aspect(word: str) -> bool:
    """A word asking about the last answer ("费用", "具体数量"), not a topic of its own ([follow_up] aspects)."""
    return bool(_aspects().fullmatch(word))   # "地方标准" names a topic that holds an aspect word


@lru_cache(maxsize=1)
def _aspects() -> re.Pattern:
    return re.compile(f"(?:{read_toml('intents.toml')['follow_up']['aspects']})+")


def is_short(key: str) -> bool:
    """Short enough to be a follow-up (SHORT content characters or words at most)."""
    return len(_CONTENT.findall(key)) <= SHORT


def starts_like_follow_up(key: str) -> bool:
    """Short, and starts or ends the way a follow-up does ("那…", "what about…", "…呢")."""
    starts, _, ends = _words()
    return bool(starts.match(key) or ends.search(key)) and is_short(key)
