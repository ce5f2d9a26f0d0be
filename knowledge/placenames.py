"""Names of places and roads inside the gazette's words: their characters are no topic ("临河里街道" holds 河里),
and jieba would cut a road's name into characters ("望和路")."""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable

import jieba

from .tokens import bigrams, features

# a road or street named in a list ("、望和路、") or before its figure ("望和路2.052公里"); not a kind of road
_ROAD_NAME = re.compile(r"(?<=、)([\u4e00-\u9fff]{2,4}(?:路|街|桥))(?=[、，,。；（(]|\d|等|$)"
                        r"|([\u4e00-\u9fff]{2,4}(?:路|街|桥))(?=\d)")
_ROAD_WORD = re.compile(r"(道|线|干|循环|乡村|公)路$|^[上成整在对即]")


def road_names(text: str) -> list[str]:
    """The roads and streets text names in a list or before a figure, for jieba's user dictionary."""
    found = (m.group(1) or m.group(2) for m in _ROAD_NAME.finditer(text))
    return [name for name in found if not _ROAD_WORD.search(name)]


def inside_places(text: str, places: Iterable[str]) -> list[str]:
    """The character pairs that lie inside a place's name in text, neither its first pair nor its last: 河里
    in 临河里街道 is part of a name, not a river, while 临河 and 街道 still find the name said in part."""
    inner = []
    for place in places:
        start = text.find(place)
        while start >= 0:
            inner.extend(place[i:i + 2] for i in range(1, len(place) - 2))
            start = text.find(place, start + len(place))
    return inner


def features_outside_places(tok: jieba.Tokenizer, key: str, places: list[str]) -> list[str]:
    """A passage's features without the character pairs inside the places it names ("有人掉河里了" is not about
    临河里街道's library)."""
    feats = features(tok, key)
    inner = Counter(inside_places(key, (p for p in places if p in key)))
    if not inner:
        return feats
    said = Counter(bigrams(key))
    # a pair the passage also says outside a name stays
    drop = {b for b, n in inner.items() if said[b] <= n}
    return [f for f in feats if f not in drop]


def common_ending(a: str, b: str) -> int:
    """How many characters two words end with alike ("全体会议", "常务会议": 2)."""
    return len(os.path.commonprefix([a[::-1], b[::-1]]))
