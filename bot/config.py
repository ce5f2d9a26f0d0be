"""Configuration: config.toml (or --config PATH) over built-in defaults; the token may come from the environment."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.store import bundled_gazettes, default_store_path


class ConfigError(ValueError):
    """The configuration file cannot be used; the message says which setting and why."""


@dataclass
class Config:
    store_path: Path = field(default_factory=default_store_path)
    gazettes: list[Path] = field(default_factory=bundled_gazettes)
    token: str = ""
    base_url: str = ""              # self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot
    base_file_url: str = ""
    webhook_url: str = ""           # polling when empty
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    admins: list[int] = field(default_factory=list)
    as_of: dt.date | None = None    # "today" for deadlines; None means the real today
    timezone: str = "Asia/Shanghai"
    questions_per_minute: int = 12
    broadcast_time: dt.time = dt.time(8, 30)
    default_horizon_days: int = 14
    people_path: Path | None = None  # people's database; None: people.db beside the store
    source: Path | None = None      # the file these settings came from
    warnings: list[str] = field(default_factory=list)   # unknown sections and settings, said at start

    @property
    def people_db(self) -> Path:
        """People's database: [store] people_path, else people.db beside the knowledge store."""
        from knowledge.people import default_path
        return self.people_path or default_path(self.store_path)

    def today(self) -> dt.date:
        """The date deadlines count from: the configured as-of date, or today in the configured zone."""
        if self.as_of:
            return self.as_of
        from zoneinfo import ZoneInfo
        return dt.datetime.now(ZoneInfo(self.timezone)).date()


# Every setting the file may hold, per section; anything else is warned about (a typo such as [bott] or
# admin = would otherwise be ignored without a word).
KNOWN = {
    "store": {"path", "people_path", "gazettes"},
    "telegram": {"token", "base_url", "base_file_url", "webhook_url", "webhook_listen", "webhook_port"},
    "bot": {"admins", "as_of", "timezone", "questions_per_minute"},
    "broadcast": {"time", "horizon_days", "as_of"},
}


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a table", dt.datetime: "a date and time", dt.date: "a date", dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be text in quotes, not {_kind(value)} ({value!r})")
    return value


def _int(value: object, name: str, low: int, high: int) -> int:
    # bool is an int in Python: `true` is no number of anything
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {_kind(value)} ({value!r})")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be from {low} to {high}, not {value}")
    return value


def _date(value: object, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ConfigError(f"{name} must be a date like 2022-09-01, not a date and time ({value.isoformat()})")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a date like 2022-09-01, not {_kind(value)} ({value!r})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} must be a date like 2022-09-01, not {value!r}") from None


def _time(value: object, name: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a time like \"08:30\", not {_kind(value)} ({value!r})")
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name} must be a time like \"08:30\", not {value!r}") from None


def _paths(value: object, name: str, base: Path) -> list[Path]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise ConfigError(f'{name} must be a list of file names, e.g. ["tongzhou-2022-01.txt"], not {value!r}')
    return [(base / Path(p).expanduser()).resolve() for p in value]


def _warn_unknown(data: dict, path: Path) -> list[str]:
    out = []
    for section, values in data.items():
        if section not in KNOWN:
            out.append(f"{path}: unknown section [{section}] ignored (known: "
                       f"{', '.join(f'[{k}]' for k in KNOWN)})")
        elif not isinstance(values, dict):
            out.append(f"{path}: {section} should be a section [{section}]; ignored")
        else:
            for key in values:
                if key not in KNOWN[section]:
                    out.append(f"{path}: unknown setting [{section}] {key} ignored (known: "
                               f"{', '.join(sorted(KNOWN[section]))})")
    return out


def load_config(path: str | Path | None = None) -> Config:
    """Settings from path, else ./config.toml when it exists, else the defaults; ConfigError names a bad
    setting, and cfg.warnings lists unknown ones."""
    explicit = path is not None
    path = Path(path) if path else Path("config.toml")
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    elif explicit:
        raise ConfigError(f"{path}: no such configuration file")
    cfg = Config(source=path if path.exists() else None)
    cfg.warnings = _warn_unknown(data, path)

    def section(name: str) -> dict:
        value = data.get(name, {})
        return value if isinstance(value, dict) else {}
    store, tg, bot, bc = section("store"), section("telegram"), section("bot"), section("broadcast")
    base = path.parent if path.exists() else Path.cwd()
    if store.get("path"):
        cfg.store_path = (base / Path(_text(store["path"], "[store] path")).expanduser()).resolve()
    if store.get("people_path"):
        cfg.people_path = (base / Path(_text(store["people_path"], "[store] people_path")).expanduser()).resolve()
    if "gazettes" in store:
        cfg.gazettes = _paths(store["gazettes"], "[store] gazettes", base) or cfg.gazettes
    cfg.token = os.environ.get("TELEGRAM_BOT_TOKEN") or _text(tg.get("token", ""), "[telegram] token")
    for key in ("base_url", "base_file_url", "webhook_url", "webhook_listen"):
        if key in tg:
            setattr(cfg, key, _text(tg[key], f"[telegram] {key}"))
    if "webhook_port" in tg:
        cfg.webhook_port = _int(tg["webhook_port"], "[telegram] webhook_port", 1, 65535)
    admins = bot.get("admins", [])
    if not isinstance(admins, list) or not all(isinstance(a, int) and not isinstance(a, bool) for a in admins):
        raise ConfigError(f"[bot] admins must be a list of Telegram user ids (numbers), e.g. [123456789], "
                          f"not {admins!r}")
    cfg.admins = admins
    cfg.as_of = _date(bot.get("as_of"), "[bot] as_of")
    cfg.timezone = _text(bot.get("timezone", cfg.timezone), "[bot] timezone")
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(cfg.timezone)
    except Exception:
        raise ConfigError(f"[bot] timezone {cfg.timezone!r} is not a known time zone, e.g. \"Asia/Shanghai\"") \
            from None
    if "questions_per_minute" in bot:
        cfg.questions_per_minute = _int(bot["questions_per_minute"], "[bot] questions_per_minute", 1, 10_000)
    if bc.get("time") not in (None, ""):
        cfg.broadcast_time = _time(bc["time"], "[broadcast] time")
    if "horizon_days" in bc:
        from knowledge.subscriptions import MAX_HORIZON
        cfg.default_horizon_days = _int(bc["horizon_days"], "[broadcast] horizon_days", 0, MAX_HORIZON)
    if bc.get("as_of"):
        cfg.as_of = _date(bc.get("as_of"), "[broadcast] as_of")
    return cfg
