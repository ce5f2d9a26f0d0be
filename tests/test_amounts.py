"""Amounts residents type in Chinese numerals meet the digits the gazette prints."""
import pytest

from knowledge.amounts import in_digits


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
