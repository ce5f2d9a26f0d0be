"""Shared fixtures: no proxies or real bot token leak into tests, and a fake Bot API."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import FakeBotAPI, is_loopback

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxy_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables, which would send 127.0.0.1 traffic to a proxy.
    for name in (*_PROXY_VARIABLES, *(v.lower() for v in _PROXY_VARIABLES)):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def _guard_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to reach a non-loopback host fail at once, before DNS or connect."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def refuse(host: Any) -> None:
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        raise OSError(f"network access outside 127.0.0.1 is blocked in tests: {host!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_loopback(host):
            refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not is_loopback(address[0]):
            refuse(address[0])
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not is_loopback(address[0]):
            refuse(address[0])
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def fake_bot_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotAPI]:
    """A started FakeBotAPI on 127.0.0.1; while it runs, other hosts are unreachable."""
    _guard_network(monkeypatch)
    with FakeBotAPI() as server:
        yield server


# --- the gazette: one read-mostly store and engine per session, a fresh store per test that writes --------

GAZETTE_TODAY = dt.date(2022, 9, 1)


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled gazette built once per session; a test that rebuilds a store uses store_path instead."""
    from knowledge.store import build_store, bundled_gazettes

    path = tmp_path_factory.mktemp("gazette") / "g.db"
    build_store(bundled_gazettes(), path)
    return path


@pytest.fixture(scope="session")
def engine(store: Path) -> Any:
    """An Engine on that store whose "today" is 2022-09-01, so days left are fixed."""
    from knowledge.engine import Engine

    return Engine.load(store, today=GAZETTE_TODAY)


@pytest.fixture
def store_path(tmp_path: Path, store: Path) -> Path:
    """A store of this test's own, for tests that subscribe, send and rebuild: a copy of the session's build
    (parsing the gazette again for every test cost most of the suite's set-up time)."""
    path = tmp_path / "g.db"
    shutil.copyfile(store, path)
    return path


@pytest.fixture
def db(store_path: Path) -> Iterator[Any]:
    """People's database beside store_path with the store attached: subscriptions, outbox and tasks in one
    connection, as a broadcast sees them."""
    from knowledge import people

    database = people.connect(people.default_path(store_path), knowledge=store_path)
    yield database
    database.conn.close()
