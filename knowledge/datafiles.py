"""The data files people edit under knowledge/ (lexicons, intents, units, labels...), each parsed once."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def read_toml(name: str) -> dict:
    """knowledge/<name> parsed; shared by every caller, so treat it as read-only."""
    return tomllib.loads(resources.files("knowledge").joinpath(name).read_text(encoding="utf-8"))
