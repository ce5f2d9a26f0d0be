"""Amounts residents type in Chinese numerals meet the digits the gazette prints."""
import pytest

from knowledge.amounts import as_gazette_names, in_digits


@pytest.mark.parametrize("said, printed", [
    ("帮一万五千人就业", "帮1.5万人就业"),
    ("一万五人", "1.5万人"),
    ("种两万三千亩树", "种2.3万亩树"),
    ("三百张床位", "300张床位"),
    ("一百零三项", "103项"),
    ("两万多人", "2万多人"),
])
def test_spoken_amounts_are_printed_in_digits(said, printed):
    assert in_digits(said) == printed


@pytest.mark.parametrize("phrase", ["十四五时期", "一体化", "万一出事", "建三个公园"])
def test_names_and_set_phrases_stay(phrase):
    assert in_digits(phrase) == phrase


@pytest.mark.parametrize("key, said, expected", [
    ("东6环入地什么时候完成", "推进东六环入地改造", "东六环入地什么时候完成"),
    ("地铁六号线什么时候通", "加快推进地铁6号线", "地铁6号线什么时候通"),
    ("六号线什么时候通车", "加快推进地铁6号线", "6号线什么时候通车"),     # at the start
    ("坐六号线去哪", "加快推进地铁6号线", "坐6号线去哪"),                  # after a word of the story
    ("6环入地", "推进东六环入地改造", "六环入地"),
    ("2号文第6项", "第六项", "2号文第6项"),          # an item number stays for references.py
    ("建6个充电站", "建六个充电站", "建6个充电站"),   # an amount, not a name
    ("多久开一次", "每月开1次", "多久开一次"),
])
def test_a_number_inside_a_name_is_written_as_the_gazette_writes_the_name(key, said, expected):
    assert as_gazette_names(key, lambda words: words in said) == expected


def test_a_ring_road_typed_in_digits_finds_its_task(engine):
    result = engine.ask("东6环入地什么时候完成")
    assert result["answers"] and "东六环" in result["answers"][0]["passage"]
