"""Shared fixtures: no proxies or real bot token leak into tests, a fake Bot API, and the gazette built and
loaded once per run (per worker under pytest-xdist)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import shutil
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.bot_api import FakeBotAPI, is_loopback

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxy_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables, which would send 127.0.0.1 traffic to a proxy.
    for name in (*_PROXY_VARIABLES, *(v.lower() for v in _PROXY_VARIABLES)):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _home_left_alone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Per-user folders under this run's temp folder: the vector cache ($XDG_CACHE_HOME/gazette-bot), the
    default store ($XDG_DATA_HOME/gazette-bot) and matplotlib's cache and config would otherwise be written in
    the developer's home, and a GAZETTE_BOT_DB exported for hand runs would point tests at their own store.
    Subprocesses inherit these. The seed vectors hold the bundled issue, so an empty cache costs only the few
    texts the tests make up (another issue, an edited file), embedded once per worker."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for variable, folder in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
            patch.setenv(variable, str(home / folder))
        patch.delenv("GAZETTE_BOT_DB", raising=False)
        yield home


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


@pytest.fixture(scope="session", autouse=True)
def _one_tls_context() -> Iterator[None]:
    """httpx reads certifi's bundle into a new TLS context for every client (~0.1 s), and PTB makes two
    clients per bot: some 240 in a run. The tests speak plain HTTP to 127.0.0.1, so one context per set of
    arguments serves them all (httpx only configures a context further when it opens a TLS connection)."""
    real = ssl.create_default_context
    made: dict[tuple, ssl.SSLContext] = {}

    def create_default_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in made:
            made[key] = real(*args, **kwargs)
        return made[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ssl, "create_default_context", create_default_context)
        yield


@pytest.fixture
def fake_bot_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotAPI]:
    """A started FakeBotAPI on 127.0.0.1; while it runs, other hosts are unreachable."""
    _guard_network(monkeypatch)
    with FakeBotAPI() as server:
        yield server


# --- the gazette: one store built and one engine loaded per session ------------------------------------

GAZETTE_TODAY = dt.date(2022, 9, 1)
# The issue whose contents the tests count (documents, tasks, rows): named, so that a second bundled issue
# adds to what the bot knows without changing these counts.
TONGZHOU = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "tongzhou-2022-01.txt"


@pytest.fixture(scope="session")
def _gazette_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from knowledge.store import build_store

    path = tmp_path_factory.mktemp("gazette") / "g.db"
    build_store([TONGZHOU], path)
    built = _session_digest(path)
    yield path
    # every test shares it (and engines loaded from copies of it): one that writes it must use store_path
    assert _digest(path) == built, "a test wrote the session's store instead of its store_path"


@pytest.fixture(scope="session")
def _gazette_engine(_gazette_store: Path) -> Any:
    from knowledge.engine import Engine

    return Engine.load(_gazette_store, today=GAZETTE_TODAY)


@pytest.fixture(scope="session")
def store(_gazette_store: Path) -> Path:
    """The Tongzhou issue built once per session; a test that writes or rebuilds a store uses store_path."""
    return _gazette_store


@pytest.fixture(scope="session")
def engine(_gazette_engine: Any) -> Any:
    """An Engine on that store whose "today" is 2022-09-01, so days left are fixed."""
    return _gazette_engine


def on_day(engine: Any, today: dt.date) -> Any:
    """The engine with another "today": a copy sharing its indexes, which take seconds to build again."""
    view = copy.copy(engine)
    view.today = today
    return view


def _digest(path: Path) -> str | None:
    if not path.is_file() or Path(f"{path}-wal").exists():   # a WAL would hold rows the file alone does not
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


_session_digest = functools.lru_cache(maxsize=1)(_digest)    # the session's store is never written


@pytest.fixture(autouse=True)
def _one_engine_per_gazette(_gazette_store: Path, _gazette_engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Engine.load of a store holding the session store's bytes (a copy of it, or a rebuild of the same issue)
    gives the session's engine under the asked "today": the bot, the CLI, /reload and live switches load an
    engine in some 30 tests, each load indexing the same passages for 3-10 s on this machine. Any other store
    (another issue, a changed file) or any other channel (the lexical engine alone, the model switched off or
    replaced by a test) is loaded for real. The session's engine is made before any test's own fixtures
    patch anything, by the real Engine.load."""
    from knowledge import embedding, semantic as channel
    from knowledge.engine import Engine

    real_load = Engine.load

    def load(cls: type, db_path: Path | str, today: dt.date | None = None, semantic: bool = True) -> Any:
        # the real model (loaded again after a test cleared its cache), not one a test put in its place
        same_channel = (semantic and _gazette_engine.semantic is not None
                        and channel.load_model is embedding.load_model and embedding.load_model() is not None)
        digest = _digest(Path(db_path)) if same_channel else None
        if digest is not None and digest == _session_digest(_gazette_store):
            return on_day(_gazette_engine, today or dt.date.today())
        return real_load(db_path, today, semantic)

    monkeypatch.setattr(Engine, "load", classmethod(load))


@pytest.fixture(scope="session")
def store_db(_gazette_store: Path) -> Iterator[Any]:
    """The session's store opened read-only, for tests that count what it holds with SQL."""
    from knowledge.store import open_store

    database = open_store(_gazette_store, readonly=True)
    yield database
    database.conn.close()


@pytest.fixture
def store_path(tmp_path: Path, _gazette_store: Path) -> Path:
    """A store of this test's own, for tests that subscribe, send and rebuild: a copy of the session's build
    (parsing the gazette again for every test cost most of the suite's set-up time)."""
    path = tmp_path / "g.db"
    shutil.copyfile(_gazette_store, path)
    return path


@pytest.fixture
def db(store_path: Path) -> Iterator[Any]:
    """People's database beside store_path with the store attached: subscriptions, outbox and tasks in one
    connection, as a broadcast sees them."""
    from knowledge import people

    database = people.connect(people.default_path(store_path), knowledge=store_path)
    yield database
    database.conn.close()
