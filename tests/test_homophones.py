"""Homophone typos from a pinyin input method ("路等不亮"), read as the lexicon word they sound like."""
import pytest

from knowledge import homophones

READINGS = {"路": ["lu"], "灯": ["deng"], "等": ["deng"], "不": ["bu"], "亮": ["liang"], "买": ["mai"],
            "卖": ["mai"], "的": ["de", "di"], "地": ["de", "di"]}


def test_a_run_that_sounds_like_a_lexicon_word_is_read_as_it():
    table = homophones.by_sound(["路灯"], READINGS)
    assert homophones.correct("路等不亮", table, READINGS, lambda text, i, j: False) == ("路灯不亮", ["路等 → 路灯"])


def test_a_run_meant_as_written_or_differing_in_a_little_word_is_kept():
    table = homophones.by_sound(["路灯", "卖地"], READINGS)
    assert homophones.correct("路等不亮", table, READINGS, lambda text, i, j: True) == ("路等不亮", [])
    assert homophones.correct("买的", table, READINGS, lambda text, i, j: False) == ("买的", [])   # 的 is no typo for 地


def test_whether_a_run_is_meant_is_judged_on_the_question_as_corrected_so_far():
    """Once 燃汽 is read as 燃气, "灶要" cuts through the word 燃气灶: no typo for 造谣."""
    readings = {"燃": ["ran"], "汽": ["qi"], "气": ["qi"], "灶": ["zao"], "造": ["zao"], "要": ["yao"], "谣": ["yao"]}
    table = homophones.by_sound(["燃气", "造谣"], readings)
    seen = []

    def meant(text, i, j):
        seen.append(text)
        return text.startswith("燃气") and i == 2   # 燃气灶 is a word once 燃气 is spelt right
    assert homophones.correct("燃汽灶要", table, readings, meant) == ("燃气灶要", ["燃汽 → 燃气"])
    assert "燃气灶要" in seen


def test_a_word_that_is_one_sound_and_a_little_word_corrects_nothing():
    readings = {"养": ["yang"], "阳": ["yang"], "了": ["le", "liao"]}
    table = homophones.by_sound(["阳了"], readings)
    assert homophones.correct("养了", table, readings, lambda text, i, j: False) == ("养了", [])


def test_a_word_is_heard_as_the_dictionary_says_it_not_by_each_characters_other_readings():
    """折 is read zhe or she, but 夭折 is yaozhe: "要设" (yaoshe) is no typo for it."""
    readings = {"要": ["yao"], "夭": ["yao"], "设": ["she"], "折": ["zhe", "she"]}
    table = homophones.by_sound(["夭折"], readings)
    assert homophones.correct("要设", table, readings, lambda text, i, j: False) == ("夭折", ["要设 → 夭折"])
    readings["夭折"] = ["yaozhe"]
    table = homophones.by_sound(["夭折"], readings)
    assert homophones.correct("要设几个", table, readings, lambda text, i, j: False) == ("要设几个", [])


def test_the_store_keeps_the_dictionarys_reading_of_each_lexicon_word():
    rows = homophones.char_rows(["路灯"], lambda s: {"路": ("lu",), "灯": ("deng",), "夭折": ("yaozhe",)}.get(s, ()),
                                ["夭折", "阳了"])
    assert {r["char"]: r["pinyin"] for r in rows} == {"路": "lu", "灯": "deng", "夭折": "yaozhe"}


@pytest.mark.parametrize("question, heard, passage, unit", [("路等不亮", "路灯", "路灯补建", "区城市管理委"),
                                                            ("我家门口路等坏了找谁", "路灯", "路灯补建", "区城市管理委"),
                                                            # a gazette term the lexicon's words stand for
                                                            ("燃汽安全", "燃气", "燃气用户更换", "区城市管理委"),
                                                            # and no second "typo" across the word it makes (灶要: 造谣)
                                                            ("我家燃汽灶要换个安全的配件归谁管", "燃气", "燃气用户更换",
                                                             "区城市管理委")])
def test_a_residents_homophone_typo_is_answered(engine, question, heard, passage, unit):
    result = engine.ask(question)
    assert any(m.startswith("同音纠错：") and heard in m for m in result["matched"])
    assert passage in result["answers"][0]["passage"] and unit in (result["answers"][0]["units"] or [])
    assert result["query"] == question


@pytest.mark.parametrize("question", ["潮马路等道路谁负责", "听说要给家里燃气灶换安全配件，这事是哪个单位负责？",
                                      "西集镇要设几个农村交通安全劝导站", "那什么时候能装上", "社区让我赶紧去建册",
                                      "灾后捐的钱和物，规定是按什么原则使用的"])
def test_words_that_are_meant_are_not_corrected(engine, question):
    """"潮马路等" is a road and 等; "听说" is a word, not a misspelt 停水; "装上" is a word the dictionary knows
    (however jieba cut it), not 撞伤; "去建册" goes to register, 去 is no typo for 取件's 取; "是按" is "is by",
    not a misspelt 食安 (是 and 在 are little words)."""
    assert not any(m.startswith("同音纠错") for m in engine.ask(question)["matched"])
