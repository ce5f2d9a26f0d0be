"""Gazette profiles: another district's issue parses and answers with its own profile and no code change; an
issue no profile fits, or a 目录 line with a 文号 of an unknown kind, is refused with the file and line named.

The second district (tests/data/haidian-2023-01.txt, made up) has its profile in tests/data/profiles/, found
through $GAZETTE_BOT_PROFILES as a deployment would find one of its own.
"""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from handlers.commands import help_text
from knowledge.documents import UnknownGazette, split_documents
from knowledge.engine import Engine
from knowledge.profile import PROFILES_ENV, load_profile
from knowledge.store import build_store, open_store

DATA = Path(__file__).parent / "data"
HAIDIAN = DATA / "haidian-2023-01.txt"
PROFILES = DATA / "profiles"


@pytest.fixture(scope="module")
def haidian_store(tmp_path_factory):
    """The made-up issue built once for this module's tests, which only read it."""
    path = tmp_path_factory.mktemp("haidian") / "g.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PROFILES_ENV, str(PROFILES))
        build_store([HAIDIAN], path)
    return path


@pytest.fixture(scope="module")
def haidian(haidian_store):
    return Engine.load(haidian_store, today=dt.date(2023, 3, 1))


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    path = tmp_path / "store" / "g.db"
    monkeypatch.setenv("GAZETTE_BOT_DB", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def test_another_districts_issue_answers_who_is_responsible_citing_its_own_gazette(haidian):
    result = haidian.ask("谁负责社区养老服务驿站？")
    top = result["answers"][0]
    assert top["units"] == ["区民政局"] and "区民政局" in result["lead"]
    assert top["citation"] == ("《海淀区2023年重点工作任务分工》二 第4项"
                               "（海政发〔2023〕1号，海淀区政府公报2023年第1期约第2页）")


def test_the_bot_names_the_gazette_it_holds(haidian):
    assert "海淀区政府公报" in haidian.ask("你好")["lead"]
    assert "海淀区政府公报" in haidian.ask("今天天气怎么样")["lead"]
    assert help_text(haidian).startswith("我是海淀区政府公报助手，已收录公报2023年第1期的 3 份文件")


def test_a_letter_numbered_han_is_a_document_of_its_own_not_part_of_the_next_title(haidian):
    titles = {number: d["title"] for number, d in haidian.documents.items()}
    assert titles == {"海政发〔2023〕1号": "关于印发海淀区2023年重点工作任务分工的通知",
                      "海政函〔2023〕5号": "关于同意设立海淀区青少年科技节的函",
                      "海政办发〔2023〕2号": "关于印发海淀区公园管理办法的通知"}
    result = haidian.ask("青少年科技节什么时候举办")
    assert "每年5月" in result["answers"][0]["passage"]
    assert result["answers"][0]["doc_number"] == "海政函〔2023〕5号"


def test_the_profiles_labels_and_ledger_fill_the_tasks(haidian_store):
    tasks = {t["number"]: t for t in open_store(haidian_store).query("select * from tasks")}
    assert tasks["4"]["leaders"] == '["李华"]'          # printed as 责任领导, a label only this profile has
    assert tasks["3"]["co_units"] == '["区城市管理委", "海淀公路分局"]'
    assert tasks["3"]["indicator"] == "新建自行车道12公里" and tasks["5"]["deadline"] == "2023-06-30"


def test_an_issue_no_profile_fits_is_refused_naming_the_file(cli_store, capsys, tmp_path):
    issue = tmp_path / "haidian.txt"
    shutil.copy(HAIDIAN, issue)
    assert main(["build", str(issue)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(issue) in err and "no gazette profile fits" in err
    assert not cli_store.exists()


def test_a_document_number_of_a_kind_the_profile_does_not_know_is_refused_naming_the_line(tmp_path):
    strict = tmp_path / "haidian.toml"
    strict.write_text(PROFILES.joinpath("haidian.toml").read_text(encoding="utf-8")
                      .replace('kinds = ["发", "办发", "函"]', 'kinds = ["发", "办发"]'), encoding="utf-8")
    with pytest.raises(UnknownGazette) as refused:
        split_documents(HAIDIAN.read_text(encoding="utf-8"), profiles=[load_profile(strict)])
    assert "line 16 of the 目录" in str(refused.value) and "海政函〔2023〕5号.....（5）" in str(refused.value)
    assert str(strict) in str(refused.value)


def test_a_broken_profile_is_a_clear_error_naming_it(cli_store, capsys, tmp_path, monkeypatch):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "haidian.toml").write_text("[gazette]\ntitle = \"x\"\n", encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(folder))
    assert main(["build", str(HAIDIAN)]) == 2
    err = capsys.readouterr().err
    assert str(folder / "haidian.toml") in err and "Traceback" not in err


def test_the_bundled_issue_is_read_with_the_bundled_profile(engine):
    assert {d["profile"] for d in engine.documents.values()} == {"tongzhou"}
    assert engine.publication == "通州区政府公报"
