"""Who holds an office, where the gazette names the holder with the title ("区委副书记、区长孟景伟任组长"):
"区长是谁", "who is the district mayor". Only what the gazette prints: an office it never names a holder for
gets no answer."""
from __future__ import annotations

import re
from functools import lru_cache

from .datafiles import read_toml

TITLES = "常务副区长|副区长|区长|区委书记|区委副书记"
# the title, then a name of two or three characters, then what the person is made ("任组长", "担任")
# "区长现在是谁", "主任现在是谁", "现任局长叫什么": when it is asked changes nothing the gazette could say
_NOW = "(?:现在|目前|如今|现任|眼下)?"
_HOLDER = re.compile(rf"(?<![副务])(?P<title>{TITLES})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=任|担任|兼任)")


@lru_cache(maxsize=1)
def _asked() -> re.Pattern:
    """The question for a holder, with what an older resident says around it ("您好，请问区长是哪位？谢谢":
    intents.toml polite and polite_after), which asks the same thing."""
    words = read_toml("intents.toml")["patterns"]
    polite, thanks = f"(?:{words['polite']})*", f"(?:{words['polite_after']})*"
    return re.compile(rf"^{polite}(?:通州区?)?{_NOW}(?P<title>{TITLES}){_NOW}(?:是谁|叫什么(?:名字)?|叫啥|是哪位|姓什么){thanks}$"
                      rf"|^{polite}{_NOW}谁是{_NOW}(?:通州区?)?(?P<title2>{TITLES}){thanks}$"
                      r"|^who(?:is|s)?the(?:tongzhou)?(?:district)?(?P<vice>vice|deputy)?mayor(?:oftongzhou)?$")


def holders(texts: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Each title with the names printed after it and the index of the text that says so, first mention first."""
    out: dict[str, list[tuple[str, int]]] = {}
    for i, text in enumerate(texts):
        for m in _HOLDER.finditer(re.sub(r"\s+", "", text)):
            found = out.setdefault(m.group("title"), [])
            if m.group("name") not in [name for name, _ in found]:
                found.append((m.group("name"), i))
    return out


def posts(found: dict[str, list[tuple[str, int]]]) -> dict[str, str]:
    """Each holder's name -> the office the gazette first prints with it (holders() inverted)."""
    out: dict[str, str] = {}
    for title, named in found.items():
        for name, _ in named:
            out.setdefault(name, title)
    return out


def with_posts(names: list[str], held: dict[str, str]) -> list[str]:
    """Names with the office the gazette prints for them (posts()), for the title of a leader's list ("倪德才是谁":
    his items, and the list says who he is: "倪德才（副区长）"); a name it gives no office keeps no brackets."""
    return [f"{n}（{held[n]}）" if n in held else n for n in names]


def asked_office(key: str) -> str | None:
    """The office a question asks the holder of (on the normalised question, no spaces or punctuation)."""
    m = _asked().search(re.sub(r"[\W_]+", "", key))
    if not m:
        return None
    if m.group("title") or m.group("title2"):
        return m.group("title") or m.group("title2")
    return "副区长" if m.group("vice") else "区长"


_HEAD = re.compile(rf"(?:现任)?(?P<title>局长|主任|书记|负责人|一把手|处长|科长){_NOW}(?:是谁|叫什么(?:名字)?|叫啥名?|是哪位|姓什么|的?姓名|的?名字)")


def asked_head(key: str, units: list[str]) -> str | None:
    """"区水务局局长是谁": the head of a department the question names, whose name the gazette never prints (it
    names the district's leaders only): "区水务局局长"; None for any other question."""
    m = _HEAD.search(re.sub(r"[\W_]+", "", key))
    if not m or not units:
        return None
    return f"{units[0]}{m.group('title')}"
