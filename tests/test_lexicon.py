"""The lexicon's words found in a question, including words said with a few characters inside them."""
from knowledge.lexicon import find_terms
from knowledge.normalize import search_key


def said(question, **kw):
    key = search_key(question)
    return [(entry.say, key[start:end]) for entry, start, end in find_terms(key, **kw)]


def test_a_word_said_with_characters_inside_it_is_found_over_the_short_words_it_holds():
    assert ("没批就盖", "没批就自己盖") in said("村里有人没批就自己盖房", gapped=True)
    assert ("没批就盖", "没批就自己盖") not in said("村里有人没批就自己盖房")   # only when asked for


def test_a_gapped_word_holding_a_whole_word_wins_a_whole_word_outside_it_does_not():
    assert said("环球影城周边的开发谁牵头", gapped=True)[0] == ("环球周边", "环球影城周边")
    assert said("运河上游船翻了", gapped=True)[0] == ("游船翻了", "游船翻了")


def test_the_gazettes_own_words_are_not_read_as_a_gapped_word():
    hits = said("区政府常务会议几个人到会", gapped=True, gazette_says=lambda words: words == "政府常务会")
    assert not any(word == "政府常会" for word, _ in hits)


def test_a_whole_word_over_the_same_stretch_as_a_gapped_one_is_kept():
    assert said("残疾人居家无障碍改造", gapped=True)[0] == ("残疾人居家", "残疾人居家")


def test_a_word_said_around_little_words_is_found():
    # residents drop or swap a little word and put words inside in two places
    assert ("塌了个坑", "塌下去一个大坑") in said("马路中间突然塌下去一个大坑", gapped=True)
    assert ("树上有虫", "树上全是虫") in said("小区的杨树上全是虫子", gapped=True)


def test_a_wide_gap_is_no_word_unless_a_little_word_was_said_differently():
    assert not any(say == "公交车站" for say, _ in said("手机上能查到公交车还有几站到吗", gapped=True))


def test_a_place_said_between_the_thing_and_what_happened_to_it_is_a_wider_gap():
    assert ("飞机出事", "飞机在通州出事") in said("万一有飞机在通州出事了谁管", gapped=True)
    assert not any(say == "飞机出事" for say, _ in said("飞机票买好了，到了通州出事了找谁", gapped=True))


def test_two_words_meeting_on_one_character_are_both_found():
    """"乡村路窄": a village road (村路) that is narrow (路窄); neither word may swallow the other."""
    assert [(e.say, s, t) for e, s, t in find_terms("乡村路窄得很")] == [("村路", 1, 3), ("路窄", 2, 4)]
    assert [e.say for e, _, _ in find_terms("电动车充电不方便")] == ["电动车充电"]
    assert [e.say for e, _, _ in find_terms("想翻盖房子")] == ["盖房子"]   # the same meaning is one word


def test_the_longest_english_wording_wins_where_two_overlap():
    """"new bus routes": the lexicon's "bus route", not "new bus", which starts first."""
    from knowledge.lexicon import find_english
    assert [entry.say for entry, _, _ in find_english("which new bus routes will open this year?")] == ["bus route"]
