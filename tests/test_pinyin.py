"""The gazette's names written in pinyin by English speakers ("Tongma Road", "Luhe Middle School")."""
from knowledge.pinyin import read_names

NAMES = {"tongmalu": ["通马路"], "dongxiayuan": ["东夏园"], "luhezhongxue": ["潞河中学"], "longlu": ["龙路"]}
ENGLISH = {"by", "when", "the", "and", "hub", "hubs", "road", "middle", "school", "which", "leader", "long", "a"}


def names(question):
    return [(words, terms) for words, terms, _, _ in read_names(question, NAMES, ENGLISH.__contains__)]


def test_a_name_with_its_generic_word_in_english_is_read_as_the_gazettes_name():
    assert names("by when the dongxiayuan and tongma road hubs") == [("dongxiayuan", ["东夏园"]),
                                                                   ("tongma road", ["通马路"])]
    assert names("luhe middle school which leader") == [("luhe middle school", ["潞河中学"])]


def test_english_words_are_never_read_as_pinyin():
    assert names("a long road") == []


def test_the_engine_reads_a_pinyin_name_to_its_passage(engine):
    result = engine.ask("When will the Jingha Expressway widening be finished?")
    assert any(m.startswith("拼音") and "京哈高速" in m for m in result["matched"])
    assert "京哈高速" in result["answers"][0]["passage"]


def test_a_town_named_without_its_ending_is_read_as_the_town(engine, store_db):
    """English leaves off 镇: "Songzhuang" is 宋庄, and the town's own figure in the ledger answers."""
    spelt = {r["pinyin"]: r["term"] for r in store_db.query("select pinyin, term from pinyin")}
    assert spelt.get("songzhuang") == "宋庄镇" and spelt.get("zhangjiawan") == "张家湾镇"
    assert "guanlide" not in spelt   # only the towns' names are read without their ending, not "管理的"
    for town, figure in (("Songzhuang", "(宋庄镇) 13个"), ("Zhangjiawan", "(张家湾镇) 15个"),
                         ("Yongledian", "(永乐店镇) 10个")):   # a town only the ledger names
        result = engine.ask(f"How many traffic safety stations will {town} set up?")
        assert figure in result["answers"][0]["lead"]
