"""The bundled gazette as bench scripts use it: its store built in a temporary folder, and engines on it that
count days from AS_OF, when the gazette's deadlines were still ahead."""
from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from knowledge.engine import Engine

AS_OF = dt.date(2022, 9, 1)


@contextlib.contextmanager
def bundled_store() -> Iterator[Path]:
    """The path of a store built from the bundled issue, removed afterwards. It is built in another process,
    as `make run` builds it before the bot starts, so a bench's memory figures are the bot's, not the build's."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.db"
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "from knowledge.store import build_store, bundled_gazettes; "
                        "build_store(bundled_gazettes(), Path(sys.argv[1]))", str(path)],
                       check=True, cwd=Path(__file__).resolve().parents[1])
        yield path


def load_engine(store: Path, label: str | None = None, **options) -> Engine:
    """Engine.load(store) as of AS_OF; with a label, print how long loading took."""
    start = time.perf_counter()
    engine = Engine.load(store, today=AS_OF, **options)
    if label:
        print(f"{label} {time.perf_counter() - start:.3f} s")
    return engine
