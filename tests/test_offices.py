"""Who holds an office: only where the gazette prints the holder's name with the title."""
import pytest

from knowledge.offices import asked_office, holders


def test_holders_are_read_from_the_title_before_the_name():
    found = holders(["成立领导小组，区委副书记、区长孟景伟任组长，副区长倪德才任副组长"])
    assert found["区长"] == [("孟景伟", 0)] and found["副区长"] == [("倪德才", 0)]


@pytest.mark.parametrize("question, office", [("区长是谁", "区长"), ("谁是区长？", "区长"), ("副区长叫什么名字", "副区长"),
                                              ("who is the district mayor?", "区长"), ("区长负责什么", None),
                                              ("区长专题会议谁参加", None), ("请问通州区区长是哪位", "区长"),
                                              ("您好，请问区长是谁？谢谢", "区长"), ("现在通州区委书记是谁", "区委书记"),
                                              ("请问区长负责什么", None), ("请问一下区长是谁", "区长"),
                                              ("麻烦您，区长是谁", "区长"), ("区长是谁呀，谢谢你", "区长"),
                                              ("区长现在是谁", "区长"), ("现任区长叫什么", "区长")])
def test_only_a_question_for_the_holder_asks_for_one(question, office):
    assert asked_office(question) == office


def test_asking_who_the_mayor_is_names_the_mayor_with_the_passage(engine):
    result = engine.ask("区长是谁")
    a = result["answers"][0]
    assert a["lead"] == "区长：孟景伟" and "区长孟景伟任组长" in a["passage"] and a["citation"]
    assert engine.ask("who is the district mayor?")["answers"][0]["lead"] == "District mayor: 孟景伟"


def test_an_office_the_gazette_names_no_holder_for_is_declined(engine):
    result = engine.ask("区委书记是谁")
    assert not result["answers"] and "区委书记" in result["lead"]


@pytest.mark.parametrize("question, head", [("区水务局局长是谁，叫什么名字", "区水务局局长"), ("区教委主任是谁", "区教委主任"),
                                            ("通州区卫生健康委主任现在是谁？", "区卫生健康委主任")])
def test_the_head_of_a_department_is_not_named_by_the_gazette_and_the_reply_says_so(engine, question, head):
    result = engine.ask(question)
    assert not result["answers"] and result["lead"] == f"公报里没有写到{head}的姓名。"
