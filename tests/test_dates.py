"""Read years after the gazette's deadlines, the bot says why /due, subscriptions and the digest are empty;
the operator (the CLI, the logs) is told how to replay the gazette's year."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from bot.app import build_application
from bot.cli import main
from bot.config import Config
from fakes.bot_api import FakeBotAPI, polling

LATER = dt.date(2030, 1, 1)
TOKEN = "123:DATES"
USER = 5005
HINT = "截止日期都已过去"


async def test_due_subscribe_and_mysubs_say_every_deadline_is_past(store_path, fake_bot_api: FakeBotAPI):
    cfg = Config(store_path=store_path, token=TOKEN, base_url=fake_bot_api.base_url,
                 base_file_url=fake_bot_api.base_file_url, as_of=LATER)
    async with polling(build_application(cfg)):
        for k, (command, args) in enumerate([("due", ""), ("subscribe", "区住建委"), ("mysubs", "")], 1):
            fake_bot_api.push_command(command, args, user_id=USER)
            text = (await fake_bot_api.await_call("sendMessage", chat_id=USER, count=k, timeout=30))[k - 1]["text"]
            assert HINT in text, (command, text)
            assert "config.toml" not in text and "as_of" not in text   # residents are not told to edit the config


async def test_with_the_gazettes_year_there_is_no_such_line(store_path, fake_bot_api: FakeBotAPI):
    cfg = Config(store_path=store_path, token=TOKEN, base_url=fake_bot_api.base_url,
                 base_file_url=fake_bot_api.base_file_url, as_of=dt.date(2022, 9, 1))
    async with polling(build_application(cfg)):
        fake_bot_api.push_command("due", user_id=USER)
        text = (await fake_bot_api.await_call("sendMessage", chat_id=USER, timeout=30))[0]["text"]
        assert HINT not in text and "到期：" in text


def test_the_digest_says_so_too(store_path, monkeypatch, capsys):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    assert main(["broadcast", "--as-of", LATER.isoformat(), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert HINT in err and "--as-of 2022-" in err     # the operator is told how to replay the gazette's year


def test_chat_takes_as_of_like_ask(store_path, monkeypatch, capsys):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    monkeypatch.setattr("sys.stdin", io.StringIO("/due 30\n"))
    assert main(["chat", "--as-of", "2022-09-01"]) == 0
    assert "今后 30 天内（2022-09-01 起）到期" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["broadcast", "--dry-run"], ["export", "--format", "csv", "-o", "-"],
                                     ["ask", "电梯困人了找谁"]])
@pytest.mark.parametrize("typed", ["yesterday", "2022-13-01", "20/12/2022"])
def test_a_date_that_is_no_date_gets_one_line_saying_how_to_write_it(store_path, monkeypatch, capsys, command, typed):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    with pytest.raises(SystemExit) as exited:
        main([*command, "--as-of", typed])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and f"“{typed}” is not a date" in err and "YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_a_date_with_slashes_is_read(store_path, monkeypatch, capsys):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    assert main(["broadcast", "--as-of", "2022/12/20", "--dry-run"]) == 0
    assert "broadcast 2022-12-20 (dry run)" in capsys.readouterr().out


@pytest.mark.parametrize("typed", ["-5", "0", "thirty", "99999"])
def test_a_span_that_is_no_number_of_days_gets_one_line_saying_how_to_write_it(store_path, monkeypatch, capsys, typed):
    """`export --days -5` was read as one day without a word (trial 27)."""
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store_path))
    monkeypatch.chdir(store_path.parent)
    with pytest.raises(SystemExit) as exited:
        main(["export", "--format", "csv", "-o", "-", f"--days={typed}"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and f"“{typed}” is not a number of days" in err and "Traceback" not in err
