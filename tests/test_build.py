"""gazette-bot build: several issues, repeat runs, and bad files that must not touch the store."""
import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from bot.cli import main
from knowledge import people
from knowledge.store import build_store, data_digest, open_store, stats
from tests.conftest import TONGZHOU


@pytest.fixture
def gazette(tmp_path):
    path = tmp_path / "issue.txt"
    shutil.copy(TONGZHOU, path)
    return path



@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "store" / "g.db"
    monkeypatch.setenv("GAZETTE_BOT_DB", str(path))
    monkeypatch.chdir(tmp_path)
    return path


@pytest.fixture
def built(store, store_path):
    """The CLI's store already built from the Tongzhou issue (a copy of the session's build)."""
    store.parent.mkdir()
    shutil.copyfile(store_path, store)
    return store


def test_a_document_in_two_issues_is_stored_once(gazette, tmp_path):
    db = tmp_path / "g.db"
    once = build_store([gazette], db)
    twice = build_store([gazette, gazette], db)
    assert once == twice and twice["documents"] == 10


def test_rebuilding_gives_the_same_store_and_moves_an_old_stores_people_tables_out(gazette, tmp_path, caplog):
    db = tmp_path / "g.db"
    build_store([gazette], db)
    conn = open_store(db)      # a store from before people.db: subscriptions kept inside it
    conn["subscriptions"].insert({"chat_id": 1, "kind": "all", "value": ""})
    conn.conn.commit()
    first = [dict(r) for r in conn.query("select * from tasks order by id")]
    build_store([gazette], db)
    again = open_store(db)
    assert [dict(r) for r in again.query("select * from tasks order by id")] == first
    assert "subscriptions" not in again.table_names()
    assert people.connect(tmp_path / "people.db")["subscriptions"].count == 1
    assert "moved people's data" in caplog.text and "subscriptions 1 rows" in caplog.text
    build_store([gazette], db)                                  # later rebuilds leave people.db alone
    assert people.connect(tmp_path / "people.db")["subscriptions"].count == 1


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("北京市通州区人民政府公报".encode("gbk") * 20, "UTF-8"),
    ("今天天气很好，我们去公园散步。\n".encode() * 10, "not a gazette"),
])
def test_bad_files_get_one_line_error_and_leave_the_store(built, tmp_path, capsys, content, problem):
    before = built.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    capsys.readouterr()
    assert main(["build", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and problem in err
    assert built.read_bytes() == before
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".gazette-")]


def test_missing_file_is_a_clear_error(store, capsys):
    assert main(["build", "no-such-issue.txt"]) == 2
    assert "no-such-issue.txt: cannot read file" in capsys.readouterr().err


def test_stats_json_and_units_commands(store, capsys):
    assert main(["stats", "--json"]) == 0   # builds the store on first use
    counts = json.loads(capsys.readouterr().out)
    assert counts["tasks"]["通政发〔2022〕2号"] == 113 and counts["units"] == stats(open_store(store))["units"]
    assert main(["units"]) == 0
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if l.split()[-1].startswith("(=") or "区住房城乡建设委" in l)
    assert "区住房城乡建设委" in out and "区住建委" in out and "tasks" in line


def test_quiet_when_not_a_terminal(store, tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "build"], capture_output=True, text=True,
                            env={**__import__("os").environ, "GAZETTE_BOT_DB": str(store)}, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "" and result.stdout.startswith("built ")


def test_bad_config_is_a_clear_error(store, tmp_path, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[bot\nadmins = 1", encoding="utf-8")
    assert main(["--config", str(cfg), "stats"]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_a_store_from_an_older_version_is_rebuilt_keeping_people_tables(built, capsys):
    db = open_store(built)
    db["feedback"].insert({"key": "1:1", "vote": 1})
    db["meta"].upsert({"key": "format", "value": "0"}, pk="key")
    db.conn.commit()
    db.conn.close()
    assert main(["stats", "--json"]) == 0
    again = open_store(built)
    assert again["meta"].get("format")["value"] != "0"
    assert people.connect(built.with_name("people.db"))["feedback"].count == 1


def test_a_store_built_with_other_lexicons_is_rebuilt_on_first_use(built, capsys):
    db = open_store(built)
    db["meta"].upsert({"key": "data", "value": "digest of last week's lexicons"}, pk="key")
    db.conn.commit()
    db.conn.close()
    assert main(["build", "--if-missing"]) == 0 and "built" in capsys.readouterr().out
    assert main(["build", "--if-missing"]) == 0 and capsys.readouterr().out == ""       # now up to date


def test_editing_a_lexicon_changes_the_data_digest_and_a_gazette_copy_does_not(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(Path(str(resources.files("knowledge"))), folder,
                    ignore=shutil.ignore_patterns("__pycache__", "*.py", "data"))
    before = data_digest(folder)
    assert before == data_digest()
    (folder / "data").mkdir()
    shutil.copy(TONGZHOU, folder / "data" / "another-issue.txt")    # gazettes have their own digest
    assert data_digest(folder) == before
    with (folder / "lexicon-colloquial.toml").open("a", encoding="utf-8") as f:
        f.write("\n# a new line\n")
    # a running bot read the files once: what it rebuilds (/reload) is stamped with those, not the edited ones
    assert data_digest(folder) == before
    data_digest.cache_clear()   # the next start reads the edited files, and finds the store stale
    assert data_digest(folder) != before


def test_build_if_missing_rebuilds_when_the_gazette_files_change(store, tmp_path, gazette, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\ngazettes = ["{gazette.name}"]\n', encoding="utf-8")
    assert main(["build", "--if-missing"]) == 0 and "built" in capsys.readouterr().out
    assert main(["build", "--if-missing"]) == 0 and capsys.readouterr().out == ""       # up to date
    with gazette.open("a", encoding="utf-8") as f:                                      # an edited file
        f.write("\n")
    assert main(["build", "--if-missing"]) == 0 and "built" in capsys.readouterr().out
    assert main(["build", "--if-missing"]) == 0 and capsys.readouterr().out == ""
    second = tmp_path / "again.txt"                                                      # another list
    shutil.copy(gazette, second)
    cfg.write_text(f'[store]\ngazettes = ["{gazette.name}", "{second.name}"]\n', encoding="utf-8")
    assert main(["build", "--if-missing"]) == 0 and "built" in capsys.readouterr().out


def test_an_unwritable_store_location_is_an_error_naming_the_setting_and_nothing_goes_to_the_temp_folder(
        tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("GAZETTE_BOT_DB", str(blocker / "g.db"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.chdir(tmp_path)
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)   # let TMPDIR take effect
    assert main(["ask", "--json", "谁负责老楼加装电梯"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "cannot write the store" in err and "[store] path" in err and "GAZETTE_BOT_DB" in err
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_missing_store_is_built_on_first_use_saying_where(store, capsys):
    """An operator with a mistyped path sees where the store went; the answer alone is on stdout."""
    assert main(["ask", "--json", "谁负责老楼加装电梯"]) == 0
    captured = capsys.readouterr()
    assert f"knowledge store {store}: built" in captured.err
    assert json.loads(captured.out)["answers"] and store.exists()
