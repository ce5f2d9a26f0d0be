"""The SQLite store: build it atomically from gazette files, open it, count what it holds."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import sqlite_utils

from .documents import IncompleteGazette, NotAGazette, UnknownGazette, split_documents
from .embedding import load_model
from .glossary import build_rows, dictionary
from .homophones import char_rows
from .lexicon import lexicon, lexicon_terms
from .pinyin import name_rows, person_spellings, readings, romanised
from .normalize import search_key
from .passages import build_passages, search_text
from .provisions import parse_document
from .records import Records, build_records
from .vectors import store_vectors

# Tables rebuilt from the gazette (KNOWLEDGE_TABLES below). What people did (questions, feedback, subscriptions,
# outbox) lives in people's database (people.py); a table of theirs found in an old combined store is moved there.


# The columns of the tables a gazette may leave without rows (no tasks, no tables, no targets...); sqlite-utils
# derives a table's columns from its first row, so an empty one needs them spelled out.
_TEXT_COLUMNS = {
    "clauses": "doc_number style number label heading parent_id path text full_text citation search_key",
    "tasks": "doc_number number label section text leaders units units_as_written co_units co_label unit_label "
             "deadline_text deadline kind content indicator clause_id item citation search_key",
    "table_rows": "doc_number table_title number group_name cells text units units_as_written unit_label item "
                  "citation search_key",
    "targets": "doc_number domain text value unit clause_id task_clause_id item citation search_key",
    "units": "name aliases",
    "leaders": "name spellings",
    "passages": "kind doc_number item text context units units_shown leaders co_units deadline deadline_text citation "
                "clause_id co_label unit_label unit_source printed stated details heading search_key",
    "glossary": "english term",
    "pinyin": "pinyin term",
    "char_pinyin": "char pinyin",
}
_INT_COLUMNS = {"clauses": "seq level page", "tasks": "id page", "table_rows": "id page", "targets": "id page",
                "units": "task_count row_count", "leaders": "task_count", "passages": "page id",
                "glossary": "sense", "pinyin": "", "char_pinyin": ""}
EMPTY_TABLES = {t: {**{c: str for c in _TEXT_COLUMNS[t].split()}, **{c: int for c in _INT_COLUMNS[t].split()}}
                for t in _TEXT_COLUMNS}
EMPTY_TABLES["clauses"]["id"] = str
# every table a build writes: any other table found in a store is people's, moved out by people.migrate
KNOWLEDGE_TABLES = ("documents", *_TEXT_COLUMNS, "vectors", "meta")

# Bump when parsing or the tables change: a store written by another format is rebuilt on first use.
FORMAT = "31"


class GazetteError(ValueError):
    """A file that cannot be built into the store; the message names the file and the problem."""


def bundled_gazettes() -> list[Path]:
    """The gazette issues shipped with the package."""
    folder = resources.files("knowledge").joinpath("data")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def default_store_path() -> Path:
    """$GAZETTE_BOT_DB, else the user's data folder, so it works from any working directory."""
    if os.environ.get("GAZETTE_BOT_DB"):
        return Path(os.environ["GAZETTE_BOT_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gazette-bot" / "gazette.db"


def read_gazette(path: Path) -> str:
    """The text of a gazette file, or GazetteError saying what is wrong with it."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GazetteError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise GazetteError(f"{path}: the file is empty")
    if b"\x00" in data[:4096]:
        raise GazetteError(f"{path}: this is a binary file, not gazette text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GazetteError(f"{path}: not UTF-8 text (convert it first, e.g. iconv -f GBK -t UTF-8)") from None
    return text


def content_digest(paths: Iterable[Path]) -> str:
    """A hash of the gazette files' names and contents, in order: a store built from other files is stale."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0")
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


# the files under knowledge/ that people edit and a build reads: lexicons, units, intents, stopwords...
DATA_SUFFIXES = (".toml", ".tsv", ".txt")


@lru_cache(maxsize=4)
def data_digest(folder: Path | None = None) -> str:
    """A hash of the editable data files (knowledge/*.toml, *.tsv, *.txt and profiles/): the index is
    tokenised with the lexicons' words, so a store built with other data files is stale.

    Taken once per process, when first asked (before the engine reads the files): a running bot reads its data
    files once, so a store it rebuilds (/reload) after someone edited them is stamped with the files it read,
    and the next start, reading the edited ones, rebuilds it again."""
    root = Path(str(resources.files("knowledge"))) if folder is None else Path(folder)
    files = sorted(p for p in [*root.iterdir(), *(root / "profiles").glob("*")]
                   if p.is_file() and p.suffix in DATA_SUFFIXES)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def parse_gazettes(paths: Iterable[Path], progress: Callable[[str], None] | None = None) -> Records:
    """Parse several issues; a document printed in more than one of them is kept once."""
    parsed = []
    seen: set[str] = set()
    for path in paths:
        text = read_gazette(path)
        try:
            docs = split_documents(text)
        except IncompleteGazette as exc:
            raise GazetteError(f"{path}: does not match its own 目录: {exc}") from None
        except UnknownGazette as exc:
            raise GazetteError(f"{path}: {exc}") from None
        except NotAGazette as exc:
            raise GazetteError(f"{path}: not a gazette issue ({exc})") from None
        for doc in docs:
            if doc.number in seen:
                continue
            seen.add(doc.number)
            parsed.append(parse_document(doc))
            if progress:
                progress(doc.number)
    return build_records(parsed)


def _unit_rows(rec: Records) -> list[dict]:
    spellings: dict[str, set[str]] = {}
    tasks: Counter = Counter()
    rows: Counter = Counter()
    for t in rec.tasks:
        for name, written in zip(t["units"], t["units_as_written"]):
            spellings.setdefault(name, set()).add(written)
        for name in t["units"]:
            tasks[name] += 1
        for name in t["co_units"]:
            spellings.setdefault(name, set()).add(name)
    for r in rec.table_rows:
        if r["table_title"] and any("指标" in h for h in r["cells"]):
            continue
        for name, written in zip(r["units"], r["units_as_written"]):
            spellings.setdefault(name, set()).add(written)
            rows[name] += 1
    return [{"name": name, "aliases": sorted(s - {name}), "task_count": tasks[name], "row_count": rows[name]}
            for name, s in sorted(spellings.items())]


def _leader_rows(rec: Records) -> list[dict]:
    counts: Counter = Counter(name for t in rec.tasks for name in t["leaders"])
    return [{"name": n, "task_count": c, "spellings": " ".join(person_spellings(n))} for n, c in counts.most_common()]


def new_store(rec: Records, db_path: Path, sources: list[str],
              embed_progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the records (and the passages' vectors, when the embedding model loads) into a fresh file next to
    db_path, not yet in use; returns its path."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".gazette-", suffix=".db", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        for rows in (rec.clauses, rec.tasks, rec.table_rows, rec.targets):
            for row in rows:   # what matching compares: NFKC, simplified, no whitespace
                row["search_key"] = search_key(row["text"])
        passages = build_passages(rec)
        for row in passages:
            row["search_key"] = search_text(row)
        texts = [p["search_key"] for p in passages]
        units = _unit_rows(rec)
        # names only a ledger's columns give ("永乐店镇10个") are read in English too
        named = texts + [search_key(p["details"]) for p in passages if p.get("details")]
        db = sqlite_utils.Database(tmp)
        db["documents"].insert_all(rec.documents, pk="doc_number")
        by_doc = [("doc_number", "documents")]
        for table, rows, pk, keys in (("clauses", rec.clauses, "id", by_doc), ("tasks", rec.tasks, "id", by_doc),
                                      ("table_rows", rec.table_rows, "id", by_doc),
                                      ("targets", rec.targets, "id", by_doc), ("units", units, "name", None),
                                      ("leaders", _leader_rows(rec), "name", None),
                                      ("passages", passages, "id", by_doc),
                                      # English words the gazette's terms translate (glossary.py)
                                      ("glossary", build_rows(texts), ("english", "term"),
                                       None),
                                      # the gazette's names as English speakers spell them (pinyin.py)
                                      ("pinyin", name_rows(named, [u["name"] for u in units]), ("pinyin", "term"), None),
                                      # each character's sounds, for typos an input method makes (homophones.py)
                                      ("char_pinyin", char_rows([*texts, *(e.say for e in lexicon())], readings,
                                                             [*(e.say for e in lexicon()), *lexicon_terms()]),
                                       "char", None)):
            if rows:
                db[table].insert_all(rows, pk=pk, foreign_keys=keys)
            else:   # a gazette without tasks or tables still gets every table, empty, for the readers
                db[table].create(EMPTY_TABLES[table], pk=pk, foreign_keys=keys)
        spelt = romanised({d["doc_number"].split("〔")[0] for d in rec.documents})   # "tongzhengfa" -> 通政发
        dictionary.cache_clear()   # CC-CEDICT's hundred-odd MB are needed for the tables above, not after
        model = load_model()
        if model is not None:
            titles = {d["doc_number"]: d["short_title"] for d in rec.documents}
            store_vectors(db, passages, titles, model, embed_progress)
        db["meta"].insert_all([{"key": "sources", "value": json.dumps(sources, ensure_ascii=False)},
                               {"key": "romanised", "value": json.dumps(spelt, ensure_ascii=False)},
                               {"key": "format", "value": FORMAT},
                               {"key": "content", "value": content_digest(Path(p) for p in sources)},
                               {"key": "data", "value": data_digest()}], pk="key")
        for table, cols in (("tasks", ["doc_number"]), ("tasks", ["deadline"]), ("clauses", ["doc_number"]),
                            ("table_rows", ["doc_number"]), ("passages", ["doc_number"])):
            db[table].create_index(cols, if_not_exists=True)
        db.conn.commit()
        db.conn.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def finish_store(tmp: Path, db_path: Path, people_path: Path | None = None) -> None:
    """Put the new store tmp in place of db_path (a rename: a running bot notices and switches to it).

    An old combined store's people's tables (subscriptions, questions...) are first moved to people's
    database (people_path, default people.db beside the store), so no rebuild ever loses them.
    """
    from .people import default_path, migrate
    db_path = Path(db_path)
    try:
        migrate(db_path, people_path or default_path(db_path))
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_store(paths: Iterable[Path], db_path: Path, progress: Callable[[str], None] | None = None,
                embed_progress: Callable[[int, int], None] | None = None, people_path: Path | None = None) -> dict:
    """Parse the gazette files and replace the store with the result; the old store stays on any error."""
    finish_store(prepare_store(paths, db_path, progress, embed_progress), db_path, people_path)
    db = open_store(db_path, readonly=True)
    try:
        return stats(db)
    finally:
        db.conn.close()


def prepare_store(paths: Iterable[Path], db_path: Path, progress: Callable[[str], None] | None = None,
                  embed_progress: Callable[[int, int], None] | None = None) -> Path:
    """Parse the gazette files into a new store beside db_path, not yet in use (finish_store swaps it in).

    The bot loads its new engine from this file while the old one keeps answering, then swaps both at once.
    """
    paths = [Path(p) for p in paths]
    return new_store(parse_gazettes(paths, progress), db_path, [str(p) for p in paths], embed_progress)


def is_current(db_path: Path, gazettes: Iterable[Path] | None = None) -> bool:
    """The store exists, was written by this version's parser and data files (lexicons...) and, when gazettes
    are given, from these files as they are now (their list and contents); anything else is rebuilt."""
    if not Path(db_path).exists():
        return False
    try:
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        meta = dict(conn.execute("select key, value from meta where key in ('format', 'content', 'data')").fetchall())
        conn.close()
    except sqlite3.DatabaseError:
        return False
    if meta.get("format") != FORMAT or meta.get("data") != data_digest():
        return False
    return gazettes is None or meta.get("content") == content_digest(gazettes)


def open_store(db_path: Path, readonly: bool = False) -> sqlite_utils.Database:
    """Open the store (one connection per caller); readonly for answering, which never writes it."""
    if readonly:
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(db_path), check_same_thread=False)
    return sqlite_utils.Database(conn)


def stats(db: sqlite_utils.Database) -> dict:
    """Counts of what the store holds, in the shape `gazette-bot stats --json` prints."""
    tasks = {r["doc_number"]: r["n"] for r in db.query(
        "select doc_number, count(*) n from tasks group by doc_number order by doc_number")}
    rows = {r["table_title"]: r["n"] for r in db.query(
        "select table_title, count(*) n from table_rows group by table_title order by min(id)")}
    return {
        "documents": db["documents"].count,
        "clauses": db["clauses"].count,
        "tasks": tasks,
        "table_rows": rows,
        "targets": db["targets"].count,
        "units": db["units"].count,
    }
