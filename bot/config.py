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
    source: Path | None = None      # the file these settings came from

    def today(self) -> dt.date:
        """The date deadlines count from: the configured as-of date, or today in the configured zone."""
        if self.as_of:
            return self.as_of
        from zoneinfo import ZoneInfo
        return dt.datetime.now(ZoneInfo(self.timezone)).date()


def _date(value: object, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{name} must be a date like 2022-09-01, not {value!r}") from None


def load_config(path: str | Path | None = None) -> Config:
    """Settings from path, else ./config.toml when it exists, else the defaults."""
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
    store = data.get("store", {})
    tg = data.get("telegram", {})
    bot = data.get("bot", {})
    bc = data.get("broadcast", {})
    base = path.parent if path.exists() else Path.cwd()
    if store.get("path"):
        cfg.store_path = (base / Path(store["path"]).expanduser()).resolve()
    if store.get("gazettes"):
        cfg.gazettes = [(base / Path(p).expanduser()).resolve() for p in store["gazettes"]]
    cfg.token = os.environ.get("TELEGRAM_BOT_TOKEN") or str(tg.get("token", ""))
    cfg.base_url = str(tg.get("base_url", ""))
    cfg.base_file_url = str(tg.get("base_file_url", ""))
    cfg.webhook_url = str(tg.get("webhook_url", ""))
    cfg.webhook_listen = str(tg.get("webhook_listen", cfg.webhook_listen))
    cfg.webhook_port = int(tg.get("webhook_port", cfg.webhook_port))
    try:
        cfg.admins = [int(a) for a in bot.get("admins", [])]
    except (TypeError, ValueError):
        raise ConfigError("[bot] admins must be a list of Telegram user ids (numbers)") from None
    cfg.as_of = _date(bot.get("as_of"), "[bot] as_of")
    cfg.timezone = str(bot.get("timezone", cfg.timezone))
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(cfg.timezone)
    except Exception:
        raise ConfigError(f"[bot] timezone {cfg.timezone!r} is not a known time zone") from None
    cfg.questions_per_minute = int(bot.get("questions_per_minute", cfg.questions_per_minute))
    if bc.get("time"):
        try:
            cfg.broadcast_time = dt.time.fromisoformat(str(bc["time"]))
        except ValueError:
            raise ConfigError(f"[broadcast] time must look like 08:30, not {bc['time']!r}") from None
    cfg.default_horizon_days = int(bc.get("horizon_days", cfg.default_horizon_days))
    if bc.get("as_of"):
        cfg.as_of = _date(bc.get("as_of"), "[broadcast] as_of")
    return cfg
