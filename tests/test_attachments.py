"""Charts and files for /due and /unit: the timeline PNG, the .ics and CSV exports, through the real Application
against the fake Bot API, through `gazette-bot export`, and in the offline chat."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from PIL import Image
from telegram.constants import MessageLimit

from bot import cli
from bot.app import build_application
from bot.config import Config
from fakes.bot_api import FakeBotAPI, UploadedFile, polling
from handlers.attachments import LONG, fit, split_mode
from knowledge import export, timeline
from tests.conftest import on_day

TODAY = dt.date(2022, 9, 1)
TOKEN = "123:CHARTS"
USER = 7101
UNIT = "区住房城乡建设委"
DRAW = 60.0         # seconds a chart may take on a busy two-core machine (the first one loads the font)


def unit_tasks_sql(store_db, unit: str = UNIT) -> set[tuple[str, str]]:
    """(citation, deadline) of the unit's dated tasks, asked of SQLite rather than of the code under test."""
    return {(r["citation"], r["deadline"]) for r in store_db.query(
        "select citation, deadline from tasks where deadline is not null and units like ?", [f'%"{unit}"%'])}


@pytest.fixture
async def app(store, engine, fake_bot_api: FakeBotAPI):
    cfg = Config(store_path=store, token=TOKEN, base_url=fake_bot_api.base_url,
                 base_file_url=fake_bot_api.base_file_url, as_of=TODAY, questions_per_minute=50)
    async with polling(build_application(cfg, engine)) as application:
        yield application
    assert fake_bot_api.server_errors == []


def accepted(api: FakeBotAPI) -> None:
    rejected = [e for e in api.errors if e[0].method != "getUpdates"]
    assert rejected == [], rejected


async def command(api: FakeBotAPI, text: str, method: str, timeout: float = 10.0) -> dict:
    """Send /command args and wait for the bot's next call of `method` to this chat."""
    name, _, args = text.partition(" ")
    before = len(api.calls_of(method))
    api.push_command(name, args, chat_id=USER, user_id=USER)
    calls = await api.await_call(method, count=before + 1, timeout=timeout, chat_id=USER)
    return calls[before]


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def cited(event) -> str:
    return next(line for line in str(event.get("description")).splitlines() if line.startswith("出处："))[3:]


# --- the chart ------------------------------------------------------------------------------------------


async def test_unit_chart_is_sent_as_a_photo_of_the_expected_size_with_a_cited_caption(app, fake_bot_api, engine):
    sent = await command(fake_bot_api, "/unit 区住建委 图", "sendPhoto", timeout=DRAW)
    photo = sent["photo"]
    assert isinstance(photo, UploadedFile) and photo.content_type == "image/png"
    image = Image.open(io.BytesIO(photo.data))
    image.verify()
    _, answers = engine.unit_tasks(UNIT)
    rows = sum(1 for a in answers if a["deadline"])
    assert rows == 30 and image.size == timeline.chart_size(rows) == (1200, round((1.9 + 30 * 0.34) * 100))
    caption = sent["caption"]
    assert len(caption) <= MessageLimit.CAPTION_LENGTH
    assert f"{UNIT}：图中 30 项" in caption and "期限已过 1" in caption and "6 项没有截止日期" in caption
    assert "出处：区政府公报2022年第1期：《2022年通州区重要民生实事项目》（通政发〔2022〕6号）二（七）" in caption
    assert fake_bot_api.sent_messages(USER), "the list itself comes first, as text"
    accepted(fake_bot_api)


async def test_a_long_list_brings_its_chart_unasked_and_a_short_one_does_not(app, fake_bot_api, engine):
    assert len(engine.due(30)) > LONG
    await command(fake_bot_api, "/due 30", "sendPhoto", timeout=DRAW)
    short = next(u for u in engine.unit_names if 0 < len(engine.unit_tasks(u)[1]) <= LONG)
    photos = len(fake_bot_api.calls_of("sendPhoto"))
    await command(fake_bot_api, f"/unit {short}", "sendMessage")
    await command(fake_bot_api, "/help", "sendMessage")         # handled after it: nothing more came
    assert len(fake_bot_api.calls_of("sendPhoto")) == photos
    accepted(fake_bot_api)


async def test_a_chart_asked_for_an_empty_list_says_the_list_is_empty(app, fake_bot_api):
    """Nothing is due tomorrow: that is not "these tasks have no deadlines"."""
    name, _, args = "/due 1 图".partition(" ")
    fake_bot_api.push_command(name, args, chat_id=USER, user_id=USER)
    texts = [c["text"] for c in await fake_bot_api.await_call("sendMessage", count=2, timeout=10, chat_id=USER)]
    assert any("列表里没有任务" in t for t in texts) and not any("没有截止日期" in t for t in texts)


async def test_a_chart_of_everything_stays_within_telegrams_limits(app, fake_bot_api):
    sent = await command(fake_bot_api, "/due 3650 图", "sendPhoto", timeout=DRAW)
    width, height = Image.open(io.BytesIO(sent["photo"].data)).size
    assert (width, height) == timeline.chart_size(timeline.MAX_ROWS)
    assert width + height <= 10000 and height <= 20 * width
    assert "项未画出" in sent["caption"] and len(sent["caption"]) <= MessageLimit.CAPTION_LENGTH
    accepted(fake_bot_api)


def test_the_chart_draws_each_task_once_in_deadline_order(engine):
    _, answers = engine.unit_tasks(UNIT)
    chart = timeline.render_timeline(answers, TODAY, UNIT)
    assert chart.rows == 30 and chart.undated == 6 and chart.left_out == 0
    assert chart.counts == {"overdue": 1, "later": 29}
    assert [t["deadline"] for t in timeline.dated(answers)] == sorted(a["deadline"] for a in answers if a["deadline"])
    assert timeline.urgency("2022-09-08", TODAY) == "soon" and timeline.urgency("2022-09-09", TODAY) == "later"
    assert timeline.urgency("2022-08-31", TODAY) == "overdue"


# --- the files ------------------------------------------------------------------------------------------


async def test_unit_ics_holds_every_task_of_the_unit_on_its_deadline(app, fake_bot_api, store_db):
    sent = await command(fake_bot_api, "/unit 区住建委 ics", "sendDocument")
    document = sent["document"]
    assert document.filename.endswith(".ics") and document.content_type == "text/calendar"
    found = events(document.data)
    got = {(cited(e), e.decoded("dtstart").isoformat()) for e in found}
    assert got == unit_tasks_sql(store_db) and len(found) == 30
    for e in found:
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert not isinstance(start, dt.datetime) and end - start == dt.timedelta(days=1)    # all-day
        assert UNIT in str(e.get("description")) and "事项：" in str(e.get("description"))
    assert len({str(e.get("uid")) for e in found}) == 30
    assert len(sent["caption"]) <= MessageLimit.CAPTION_LENGTH and "出处：" in sent["caption"]
    accepted(fake_bot_api)


async def test_due_ics_and_unit_csv(app, fake_bot_api, engine):
    sent = await command(fake_bot_api, "/due ics", "sendDocument")
    found = events(sent["document"].data)
    assert len(found) == len(engine.due(30)) == 18
    assert all(TODAY <= e.decoded("dtstart") <= TODAY + dt.timedelta(days=30) for e in found)

    sent = await command(fake_bot_api, "/unit 区住建委 csv", "sendDocument")
    assert sent["document"].filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(sent["document"].data.decode("utf-8-sig"))))
    _, answers = engine.unit_tasks(UNIT)
    assert len(rows) == len(answers) == 36
    assert sorted(r["截止日期"] for r in rows) == sorted(a["deadline"] or "" for a in answers)
    accepted(fake_bot_api)


async def test_an_unknown_unit_or_bad_days_get_a_friendly_reply_and_no_file(app, fake_bot_api):
    reply = await command(fake_bot_api, "/unit 火星局 ics", "sendMessage")
    assert "没有找到单位“火星局”" in reply["text"]
    reply = await command(fake_bot_api, "/due 三十 图", "sendMessage")
    assert "用法：/due 天数 [图|ics|csv]" in reply["text"]
    assert fake_bot_api.calls_of("sendDocument") == [] and fake_bot_api.calls_of("sendPhoto") == []
    accepted(fake_bot_api)


def test_uids_come_from_the_document_number_and_item_not_from_row_ids(engine):
    whole = export.select(on_day(engine, dt.date(2022, 1, 1)), days=3650)
    assert len(whole.dated) == 170
    first = export.uids(whole.dated)
    assert len(set(first)) == len(first)                             # no two tasks share one
    renumbered = [dict(t, id=t["id"] + 10_000, clause_id="x") for t in whole.dated]
    assert export.uids(renumbered) == first                          # a rebuilt store's new ids change nothing
    again = events(export.to_ics(whole))
    assert [str(e.get("uid")) for e in again] == first


def test_an_event_says_its_supporting_units_by_their_own_label_and_both_dates_the_gazette_gives(engine):
    """8号文's supporting units are 责任单位; its item 24 is due 2022年9月 in the text, 2022年6月 in the 台账."""
    listing = export.select(on_day(engine, dt.date(2022, 1, 1)), unit="区交通局", days=3650)
    described = {t["item"]: export.describe(t) for t in listing.dated if t["doc_number"] == "通政办发〔2022〕8号"}
    assert "责任单位：区经济和信息化局、通州区邮政分公司" in described["第24项"]
    assert "完成时限：2022年9月（附件台账为2022年6月）" in described["第24项"]
    assert all("协办单位" not in d for d in described.values())
    rows = list(csv.DictReader(io.StringIO(export.to_csv(listing).decode("utf-8-sig"))))
    assert rows and not any("牵头领导" in r["内容"] for r in rows)


def test_mode_words_and_captions_cut_to_the_limit():
    assert split_mode("区住建委 图") == ("区住建委", "chart")
    assert split_mode("30 ICS") == ("30", "ics") and split_mode("区住建委") == ("区住建委", None)
    long = "出处：" + "《通州区》第1项、" * 300
    assert len(fit(long)) == MessageLimit.CAPTION_LENGTH and fit(long).endswith("…")
    assert fit("😀" * 600).endswith("…") and len(fit("😀" * 600).encode("utf-16-le")) // 2 <= 1024


# --- the command line and the offline chat -------------------------------------------------------------


def test_export_command_writes_an_ics_of_the_unit(store, store_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store))
    monkeypatch.chdir(tmp_path)                                       # no config.toml here
    out = tmp_path / "zjw.ics"
    assert cli.main(["export", "--unit", "区住建委", "--as-of", "2022-09-01", "--format", "ics", "-o", str(out)]) == 0
    assert {(cited(e), e.decoded("dtstart").isoformat()) for e in events(out.read_bytes())} == unit_tasks_sql(store_db)
    assert "30 events" in capsys.readouterr().err
    descriptions = [str(e.get("description")) for e in events(out.read_bytes())]
    assert all(d.count("牵头领导") <= 1 for d in descriptions) and any("牵头领导" in d for d in descriptions)
    assert cli.main(["export", "--leader", "倪德才", "--unit", "区住建委", "--as-of", "2022-09-01",
                     "--format", "csv", "-o", str(tmp_path / "x.csv")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text("utf-8-sig"))))
    assert rows and all("倪德才" in r["牵头领导"] and UNIT in r["主责单位"] for r in rows)
    assert cli.main(["export", "--unit", "火星局", "--format", "ics", "-o", str(out)]) == 2
    assert "没有找到单位" in capsys.readouterr().err


def test_the_offline_chat_saves_the_chart_and_prints_its_path(store, engine, tmp_path):
    from bot.chat import run_chat
    out = io.StringIO()
    typed = io.StringIO("/unit 区住建委 图\n/due ics\n")
    assert run_chat(Config(store_path=store, as_of=TODAY), stdin=typed, stdout=out, engine=engine,
                    folder=tmp_path) == 0
    text = out.getvalue()
    png = re.search(r"图片已保存：(\S+\.png)", text).group(1)
    assert Image.open(png).size == timeline.chart_size(30)
    ics = re.search(r"文件已保存：(\S+\.ics)", text).group(1)
    assert len(events(open(ics, "rb").read())) == 18


def test_two_offline_chats_keep_their_files_apart(store, engine, tmp_path, monkeypatch):
    """Message ids restart in every chat: each chat saves into a folder of its own, so one never overwrites
    another's chart (trial 18)."""
    from bot.chat import run_chat
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    paths = []
    for line in ("/unit 区住建委 图\n", "/due 30 图\n"):
        out = io.StringIO()
        assert run_chat(Config(store_path=store, as_of=TODAY), stdin=io.StringIO(line), stdout=out, engine=engine) == 0
        paths.append(re.search(r"图片已保存：(\S+\.png)", out.getvalue()).group(1))
    assert paths[0] != paths[1] and all(Path(p).exists() for p in paths)
