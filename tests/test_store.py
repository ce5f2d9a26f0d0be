"""The store built from the Tongzhou issue (tests/conftest.py TONGZHOU, built once per session as store_db)
holds what the issue says it must."""
import json
import sqlite3

import sqlite_utils

from knowledge.store import stats


def test_counts_match_the_gazette(store_db):
    s = stats(store_db)
    assert s["documents"] == 10
    assert s["tasks"] == {"通政发〔2022〕2号": 113, "通政发〔2022〕6号": 32, "通政办发〔2022〕8号": 25,
                          "通政办发〔2022〕1号": 26}
    assert s["table_rows"] == {"突发事件处置分工": 52, "区级专项应急预案目录": 38, "主要指标表": 10}
    assert s["clauses"] > 900
    assert s["targets"] >= 120


def test_documents_carry_their_metadata(store_db):
    doc = store_db["documents"].get("通政发〔2022〕6号")
    assert doc["title"] == "关于印发2022年通州区重要民生实事项目的通知"
    assert doc["issuer"] == "北京市通州区人民政府"
    assert (doc["signed"], doc["printed"], doc["start_page"]) == ("2022-02-28", "2022-03-01", 158)
    assert doc["category"] == "区政府文件"
    office = store_db["documents"].get("通政办发〔2022〕8号")
    assert office["issuer"] == "北京市通州区人民政府办公室" and office["category"] == "政府办文件"
    rules = store_db["documents"].get("通政发〔2022〕1号")
    assert json.loads(rules["repeals"])[0]["number"] == "通政发〔2018〕10号"


def test_page_breaks_are_repaired(store_db):
    measure = next(store_db.query("select text from clauses where text like '第三条%'"))["text"]
    assert "覆盖元宇宙产业的基金" in measure
    task = next(store_db.query("select units from tasks where doc_number = '通政发〔2022〕2号' and number = '105'"))
    assert "市规划自然资源委通州分局" in json.loads(task["units"])


def test_traditional_characters_are_searchable_but_displayed_as_printed(store_db):
    target = next(store_db.query("select text from targets where text like '%体质健康测试%'"))["text"]
    assert "中小學生" in target  # display keeps the print
    from knowledge.normalize import search_key
    assert "中小学生" in search_key(target)


def test_unit_aliases_are_one_unit(store_db):
    units = {r["name"]: json.loads(r["aliases"]) for r in store_db["units"].rows}
    assert "区住房城乡建设委" in units and "区住建委" not in units and "区住房和城乡建设委" not in units
    assert {"区住建委", "区住房和城乡建设委"} <= set(units["区住房城乡建设委"])
    assert "区人社保局" in units["区人力社保局"]
    assert "区经信局" in units["区经济和信息化局"]
    row = next(store_db.query("select units, units_as_written from table_rows where text like '%建筑施工突发事故%'"))
    assert json.loads(row["units"]) == ["区住房城乡建设委"] and json.loads(row["units_as_written"]) == ["区住建委"]


def test_tasks_have_leaders_units_and_deadlines(store_db):
    t = next(store_db.query("select * from tasks where doc_number = '通政发〔2022〕2号' and number = '8'"))
    assert json.loads(t["leaders"]) == ["倪德才", "秦涛"]
    assert json.loads(t["units"]) == ["区生态环境局", "区水务局"]
    assert (t["deadline_text"], t["deadline"]) == ("2022年12月底", "2022-12-31")
    water = next(store_db.query("select * from tasks where doc_number = '通政发〔2022〕6号' and number = '四'"))
    assert json.loads(water["co_units"]) == ["区农业农村局", "市自来水集团通州分公司"]
    assert water["kind"] == "livelihood"


def test_ledger_rows_are_merged_into_their_tasks(store_db):
    t = next(store_db.query("select * from tasks where doc_number = '通政办发〔2022〕8号' and number = '2'"))
    assert t["deadline"] == "2022-06-30"
    assert "京哈主路面层施工" in t["indicator"] and t["content"].startswith("线路西起东五环路")
    assert json.loads(t["co_units"]) == ["相关街道乡镇"]  # 相关乡镇街道 is the same unit


def test_inline_units_of_the_digital_economy_plan(store_db):
    t = next(store_db.query("select * from tasks where doc_number = '通政办发〔2022〕1号' and number = '10'"))
    assert json.loads(t["units"]) == ["区商务局", "区经济和信息化局"]
    assert "责任单位" not in t["text"]


def test_emergency_table_keeps_category_and_kind(store_db):
    rows = {r["number"]: r for r in store_db.query("select * from table_rows where table_title = '突发事件处置分工'")}
    elevator = json.loads(rows["28"]["cells"])
    assert elevator["分类"] == "特种设备事故" and json.loads(rows["28"]["units"]) == ["区市场监管局"]
    assert json.loads(rows["37"]["cells"])["分类"] == "食品安全和职业危害"
    assert rows["2"]["group_name"] == "自然灾害类" and json.loads(rows["2"]["cells"])["分类"] == "水旱灾害"


def test_targets_have_figures(store_db):
    beds = next(store_db.query("select * from targets where text like '%儿童之家%' or text like '%孕产妇死亡率%'"))
    assert beds["value"] and beds["unit"]
    domains = {r["domain"] for r in store_db.query("select domain from targets where doc_number = '通政发〔2022〕4号'")}
    assert len(domains) == 15
    gdp = next(store_db.query("select * from targets where text like '地区生产总值%'"))
    assert (gdp["value"], gdp["unit"]) == ("6.5", "%")


def test_citations_name_document_number_item_and_page(store_db):
    c = next(store_db.query("select citation from clauses where doc_number = '通政发〔2022〕1号' and path = '第十章 四十六'"))
    assert c["citation"].startswith("《通州区人民政府工作规则》第十章 四十六（通政发〔2022〕1号，区政府公报2022年第1期")
    assert "页" in c["citation"]
    exact = next(store_db.query("select citation from clauses where path = '4.3'"))["citation"]
    assert "第75页" in exact and "约" not in exact  # the plan's own contents list gives this page


def test_store_opens_with_plain_sqlite(store_db, tmp_path):
    path = store_db.conn.execute("pragma database_list").fetchone()[2]
    names = {r[0] for r in sqlite3.connect(path).execute("select name from sqlite_master where type='table'")}
    assert {"documents", "clauses", "tasks", "table_rows", "targets", "units", "passages"} <= names
    assert sqlite_utils.Database(path)["tasks"].columns_dict["deadline"] is str


def test_search_keys_are_normalised(store_db):
    row = next(store_db.query("select text, search_key from targets where text like '%體%' or text like '%學%'"))
    assert "學" in row["text"] and "学" in row["search_key"] and " " not in row["search_key"]
    task = next(store_db.query("select search_key from tasks where text like '%6.5%'"))
    assert task["search_key"] == "地区生产总值增长6.5%左右"
