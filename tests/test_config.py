"""config.toml: every setting checked for its type and range, naming the setting; unknown ones warned about."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config


def load(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("text, named", [
    ('[bot]\nadmins = "123"', "[bot] admins"),
    ("[bot]\nadmins = [1.5]", "[bot] admins"),
    ('[bot]\nquestions_per_minute = "many"', "[bot] questions_per_minute"),
    ("[bot]\nquestions_per_minute = 0", "[bot] questions_per_minute"),
    ("[bot]\nquestions_per_minute = true", "[bot] questions_per_minute"),
    ('[store]\ngazettes = "f.txt"', "[store] gazettes"),
    ("[bot]\nas_of = 2022-09-01T08:00:00", "[bot] as_of"),
    ('[bot]\nas_of = "next week"', "[bot] as_of"),
    ('[bot]\ntimezone = "Mars/Olympus"', "[bot] timezone"),
    ('[broadcast]\ntime = "25:00"', "[broadcast] time"),
    ("[broadcast]\nhorizon_days = -1", "[broadcast] horizon_days"),
    ("[telegram]\nwebhook_port = 70000", "[telegram] webhook_port"),
    ("[telegram]\ntoken = 123", "[telegram] token"),
    ("[store]\npath = 1", "[store] path"),
])
def test_a_wrong_setting_is_an_error_naming_it(tmp_path, text, named):
    with pytest.raises(ConfigError, match=named.replace("[", r"\[").replace("]", r"\]")):
        load(tmp_path, text)


def test_good_settings_of_every_kind(tmp_path):
    cfg = load(tmp_path, '[store]\ngazettes = ["a.txt"]\npeople_path = "p.db"\n'
                         "[bot]\nadmins = [123]\nas_of = 2022-09-01\nquestions_per_minute = 5\n"
                         '[broadcast]\ntime = 07:45:00\nhorizon_days = 30\n')
    assert cfg.admins == [123] and cfg.as_of == dt.date(2022, 9, 1) and cfg.questions_per_minute == 5
    assert cfg.broadcast_time == dt.time(7, 45) and cfg.default_horizon_days == 30
    assert cfg.gazettes == [tmp_path / "a.txt"] and cfg.people_db == tmp_path / "p.db"
    assert cfg.warnings == []


def test_people_db_defaults_to_beside_the_store(tmp_path):
    cfg = load(tmp_path, '[store]\npath = "data/g.db"\n')
    assert cfg.people_db == tmp_path / "data" / "people.db"


def test_unknown_sections_and_settings_are_warned_about(store_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    (tmp_path / "config.toml").write_text("[bott]\nadmins = [1]\n[bot]\nadmin = [1]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["ask", "--json", "你好"]) == 0
    err = capsys.readouterr().err
    assert "unknown section [bott]" in err and "unknown setting [bot] admin " in err
