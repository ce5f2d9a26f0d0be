"""Gazette profiles: what differs between publications (issuers, 文号 kinds, task labels, citation wording),
read from TOML so that another district's gazette needs a profile file, not a code change.

The bundled profiles live in knowledge/profiles/; $GAZETTE_BOT_PROFILES names more folders (separated like
PATH), whose profiles come first. Which profile an issue uses is decided from the issue's own masthead.
"""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .normalize import search_key

PROFILES_ENV = "GAZETTE_BOT_PROFILES"
FIELDS = ("leaders", "units", "co_units", "deadline")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file."""


class NoProfile(ValueError):
    """No profile fits a gazette issue (or several fit it equally)."""


@dataclass(eq=False)
class Profile:
    name: str                          # the file's stem: "tongzhou"
    source: str                        # where it was read from, for messages
    title: str                         # as the masthead prints it
    publication: str                   # how the bot's texts name it (greeting, /help, calendars)
    cited_as: str                      # the issue in a citation: "<cited_as>2022年第1期第28页"
    issuers: tuple[str, ...]
    kinds: tuple[str, ...]             # of 文号: "发", "办发", "函"
    labels: dict[str, tuple[str, ...]]  # field (FIELDS) -> printed labels, the first one the field's name
    inline_units: tuple[str, ...]
    ledger: dict[str, str]
    subheadings: tuple[str, ...]
    goals: str
    livelihood: str
    unit_prefixes: tuple[str, ...]
    unit_endings: tuple[str, ...]      # how a department's name ends: 局, 委, 分局...
    unit_followers: tuple[str, ...]    # what follows a department that opens a paragraph: 负责, 牵头...
    unit_in_charge: tuple[str, ...] = ()   # what follows one a rule puts in charge mid-sentence: "由…统筹"

    def __post_init__(self) -> None:
        kinds = "|".join(map(re.escape, sorted(self.kinds, key=len, reverse=True)))
        self.doc_number = re.compile(rf"[\u4e00-\u9fff]{{1,4}}?(?:{kinds})〔\d{{4}}〕\d+号")
        self.issuer = re.compile("^(" + "|".join(map(re.escape, sorted(self.issuers, key=len, reverse=True))) + ")")
        printed = [label for field in FIELDS for label in self.labels[field]]
        self.label = re.compile(rf"^({'|'.join(map(re.escape, printed))})\s*[：:]\s*(.*)$")
        self.subheading = re.compile(rf"^({'|'.join(map(re.escape, self.subheadings))})$")
        inline = "|".join(map(re.escape, self.inline_units))
        self.inline_label = re.compile(rf"[（(]\s*(?P<label>{inline})\s*[：:](?P<units>.+?)[)）]\s*$", re.S)
        self.field_of = {label: field for field in FIELDS for label in self.labels[field]}
        self.unit_ending = "(?:" + "|".join(map(re.escape, sorted(self.unit_endings, key=len, reverse=True))) + ")"
        followers = "|".join(map(re.escape, sorted(self.unit_followers, key=len, reverse=True)))
        self.unit_head = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,20}}?{self.unit_ending}(?=[（(]|{followers})")
        # the next department of a run opening a paragraph ("区应急局、区农业农村局…和区住房城乡建设委，")
        self.unit_next = re.compile(rf"[、和及与]([\u4e00-\u9fff]{{1,20}}?{self.unit_ending})(?=[、和及与，,。；等]|{followers})")
        # a department a rule puts in charge mid-sentence ("…由区政府外事办统筹安排"); never, without such words
        in_charge = "|".join(map(re.escape, self.unit_in_charge)) or "(?!)"
        self.unit_in_charge_at = re.compile(rf"由([\u4e00-\u9fff]{{2,20}}?{self.unit_ending})(?={in_charge})")

    def field_name(self, printed: str) -> str:
        """The name a field goes by: its first label ("完成期限" -> "完成时限"); other labels stay as printed."""
        field = self.field_of.get(printed)
        return self.labels[field][0] if field == "deadline" else printed


def _strings(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if isinstance(value, str):
        value = [value]
    if not value or not all(isinstance(v, str) and v for v in value):
        raise ProfileError(f"{where}: `{key}` must be a non-empty list of strings")
    return tuple(value)


def _string(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: `{key}` must be a non-empty string")
    return value


def parse_profile(name: str, text: str, source: str = "") -> Profile:
    """A profile from the text of its TOML file; ProfileError names the file and the key that is wrong."""
    where = source or name
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from None
    tables = {}
    for table in ("gazette", "doc_numbers", "labels", "ledger", "sections", "units"):
        if not isinstance(data.get(table), dict):
            raise ProfileError(f"{where}: the table [{table}] is missing")
        tables[table] = data[table]
    g, labels, sections = tables["gazette"], tables["labels"], tables["sections"]
    return Profile(
        name=name, source=where, title=_string(g, "title", where), publication=_string(g, "name", where),
        cited_as=_string(g, "cited_as", where), issuers=_strings(g, "issuers", where),
        kinds=_strings(tables["doc_numbers"], "kinds", where),
        labels={field: _strings(labels, field, where) for field in FIELDS},
        inline_units=_strings(labels, "inline_units", where),
        ledger={k: _string(tables["ledger"], k, where) for k in ("task", "content", "indicator", "deadline")},
        subheadings=_strings(sections, "subheadings", where), goals=_string(sections, "goals", where),
        livelihood=_string(sections, "livelihood", where), unit_prefixes=_strings(tables["units"], "prefixes", where),
        unit_endings=_strings(tables["units"], "endings", where),
        unit_followers=_strings(tables["units"], "followers", where),
        unit_in_charge=_strings(tables["units"], "in_charge", where) if "in_charge" in tables["units"] else ())


def load_profile(path: Path | str) -> Profile:
    """The profile in one TOML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc})") from None
    return parse_profile(path.stem, text, str(path))


def load_profiles() -> list[Profile]:
    """The profiles in $GAZETTE_BOT_PROFILES's folders, then the bundled ones they do not replace (same name)."""
    found: list[Profile] = []
    for folder in filter(None, os.environ.get(PROFILES_ENV, "").split(os.pathsep)):
        if not Path(folder).is_dir():
            raise ProfileError(f"{folder}: ${PROFILES_ENV} names a folder that does not exist")
        found.extend(load_profile(p) for p in sorted(Path(folder).glob("*.toml")))
    bundled = resources.files("knowledge").joinpath("profiles")
    for entry in sorted(bundled.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.name.removesuffix(".toml") not in {p.name for p in found}:
            found.append(parse_profile(entry.name.removesuffix(".toml"), entry.read_text(encoding="utf-8"),
                                       f"knowledge/profiles/{entry.name}"))
    return found


def choose_profile(masthead: str, profiles: list[Profile]) -> Profile:
    """The profile whose issuer (the longest that does) appears in the masthead; NoProfile when none or two
    different profiles fit equally well."""
    key = search_key(masthead)
    named = [(max((len(search_key(i)) for i in p.issuers if search_key(i) in key), default=0), p) for p in profiles]
    top = max((length for length, _ in named), default=0)
    if not top:
        known = "; ".join(f"{p.name}: {'、'.join(p.issuers)}" for p in profiles) or "none"
        raise NoProfile(f"no gazette profile fits: its masthead names none of the profiles' issuers ({known}); "
                        f"add a profile to knowledge/profiles/ or to a folder named by ${PROFILES_ENV}")
    fits = [p for length, p in named if length == top]
    if len(fits) > 1:
        raise NoProfile(f"several gazette profiles fit its masthead equally: "
                        f"{', '.join(p.source for p in fits)}")
    return fits[0]


def publication_name(documents: Iterable[Mapping]) -> str:
    """How the bot names what it holds, from the stored documents' profiles ("公报" for a store without any)."""
    names = dict.fromkeys(d.get("publication") for d in documents if d.get("publication"))
    return "、".join(names) or "公报"
