"""English words no lexicon entry holds, read through the Chinese-English dictionary (knowledge/glossary.py)."""
import pytest
from knowledge import people
from knowledge.glossary import definition_keys, forms, in_longer_run, read_english
from knowledge.lexicon import find_english
from knowledge.store import open_store


def test_definitions_become_dictionary_forms_and_notes_are_skipped():
    assert definition_keys("to widen") == ["widen", "~widen"]
    assert definition_keys("traffic safety") == ["traffic safety", "~traffic safeti"]
    assert definition_keys("CL:個|个[ge4]") == []
    assert definition_keys("see 劝导[quan4 dao3]") == []
    assert definition_keys("to attempt to convince somebody of the merits") == []   # longer than a run


def test_inflections_meet_and_unrelated_words_sharing_a_stem_do_not():
    assert forms("widening") == forms("widen") == ("widen",)
    assert forms("stations") == ("station",) and forms("women") == ("woman",)
    assert "apart" not in forms("apartment") and "navig" not in forms("navigable")


def test_runs_are_read_longest_first_and_unplaced_words_counted():
    glossary = {"public health": ["公共卫生"], "public": ["公共"], "committee": ["委员会"]}
    found, unknown = read_english("who runs the public health committees for 5g towers?", glossary)
    assert found == [("public health", ["公共卫生"]), ("committees", ["委员会"])]
    assert unknown == 2        # "runs", "towers": part of the question though the dictionary cannot place them


def test_a_phrase_is_read_across_its_little_words_as_the_dictionary_keys_it():
    """CC-CEDICT's "to cut the ribbon" is keyed "cut ribbon": the question's "cut the ribbon" reads as it."""
    glossary = {"cut ribbon": ["剪彩"], "cut": ["剪"], "ribbon": ["丝带"]}
    found, _ = read_english("can an official cut the ribbon?", glossary)
    assert found == [("cut ribbon", ["剪彩"])]


def _only_dictionary(result):
    """The question was read by the dictionary alone: no lexicon entry stood for any of its words."""
    return not any(m.startswith("词表") for m in result["matched"]) and \
        any(m.startswith("释义") for m in result["matched"])


def test_an_english_question_no_lexicon_entry_holds_reaches_its_chinese_passage(engine):
    question = "Who sets up traffic safety persuasion stations?"
    assert not find_english(question.lower())
    result = engine.ask(question)
    assert _only_dictionary(result)
    a = result["answers"][0]
    assert "交通安全劝导站" in a["passage"] and "通州交通支队" in a["units"]
    assert a["lead"].startswith("Responsible unit:")


def test_a_deadline_asked_in_english_words_the_lexicon_lacks(engine):
    result = engine.ask("When will the Winter Olympics service work be done?")
    assert _only_dictionary(result)
    assert "冬奥会" in result["answers"][0]["passage"]


def test_an_errand_with_one_word_the_dictionary_knows_is_declined(engine):
    result = engine.ask("Where can I buy a SIM card?")    # "buy" -> 购买 is in the gazette; the rest is not
    assert result["answers"] == []


def test_a_dictionary_reading_the_semantic_channel_does_not_back_is_declined(engine):
    # every word has a reading (街道 / 讲话 / 服务 / 中心), but no passage near the question in meaning has them
    result = engine.ask("What's the street address of the service center?")
    assert result["answers"] == []
    assert "释义：意思最近的段落里没有它" in result["matched"]


def test_the_glossary_stays_in_the_store_when_people_tables_move_out(store_path):
    people.migrate(store_path, people.default_path(store_path))    # what every start of the bot does
    terms = [r["term"] for r in open_store(store_path, readonly=True).query(
        "select term from glossary where english = 'widen'")]
    assert "加宽" in terms


def test_british_spellings_and_irregular_plurals_meet_the_dictionary(engine):
    # CC-CEDICT spells "theater" and says "woman": english-variants.tsv brings "theatre" and "women" to them
    found, _ = read_english("the women's theatre", {"woman": ["妇女"], "theater": ["剧院"]})
    assert [terms for _, terms in found] == [["妇女"], ["剧院"]]
    a = engine.ask("Who will build the Green Heart theatre?")["answers"][0]
    assert "绿心歌舞剧院" in a["passage"]


def test_a_noun_meets_the_dictionarys_verb_by_its_stem_only_where_no_form_matches():
    glossary = {key: ["改造"] for key in definition_keys("to renovate")}
    glossary.update({key: ["公寓"] for key in definition_keys("apartment")})
    glossary.update({key: ["以外"] for key in definition_keys("apart")})
    found, _ = read_english("renovation of apartments", glossary)
    assert found == [("renovation", ["改造"]), ("apartments", ["公寓"])]


def test_a_definition_whose_little_words_carry_the_meaning_is_not_a_key():
    assert definition_keys("before the event") == []    # 事先 is not "event"
    assert definition_keys("the elderly") == ["elderly", "~elder"]


def test_a_wordy_english_question_around_a_lexicon_topic_is_answered(engine):
    """Words only the dictionary reads, or none, count less than the lexicon's topic in how much is covered."""
    result = engine.ask("Who is in charge of putting elevators into old apartment blocks?")
    assert result["answers"] and "老楼加装电梯" in result["answers"][0]["passage"]
    assert "区住房城乡建设委" in result["answers"][0]["lead"]


def test_misspelt_english_words_are_corrected_real_words_are_not(engine):
    result = engine.ask("who is resposible for the defibrilators in public places?")
    assert "纠错：defibrilators → defibrillator" in result["matched"]
    assert "自动体外除颤器" in result["answers"][0]["passage"]
    result = engine.ask("Who is responsible for the apartment renovation?")
    assert not any(m.startswith("纠错") for m in result["matched"])


def test_a_lexicon_word_inside_a_longer_dictionary_run_gives_way_to_the_run(engine):
    """"primary school" is 小学, not the lexicon's "school" (学校, 学位, 幼儿园)."""
    text = "how many primary school's places"
    assert in_longer_run(text, text.index("school"), text.index("school") + 6, {"primary school": ["小学"]})
    assert not in_longer_run(text, text.index("school"), text.index("school") + 6, {"school": ["学校"]})
    matched = engine.ask("How many primary schools are being built?")["matched"]
    assert "释义：primary schools → 小学" in matched and not any(m.startswith("词表：school") for m in matched)
    # a lexicon phrase over the whole run reads it whole: "primary school places" are 学位
    matched = engine.ask("How many extra primary school places are being added?")["matched"]
    assert "词表：primary school place → 学位" in matched


def test_a_numbered_school_is_a_name_not_an_item(engine):
    assert not any(m.startswith("条目") for m in engine.ask("Who rebuilds the No.2 Middle School campus?")["matched"])


@pytest.mark.parametrize("question, lead", [("Promoting the digital yuan: which leader?", "苏国斌"),
                                            ("How many affordable rental homes will be built?", "6600套")])
def test_the_governments_own_english_terms_reach_their_gazette_words(engine, question, lead):
    """The English names of the gazette's own things (数字人民币, 保障性租赁住房, 区长) live in the lexicon."""
    assert lead in engine.ask(question)["lead"]


def test_a_run_of_words_the_dictionary_reads_as_one_needs_no_semantic_backing(engine):
    """"Winter Olympics" is 冬奥会 wherever it stands; a lone "buy" could be anything (see above)."""
    result = engine.ask("Which leaders are responsible for services during the Winter Olympics and Paralympics?")
    assert result["answers"] and "冬奥会" in result["answers"][0]["passage"]


def test_a_task_force_is_the_gazettes_work_team(engine):
    first = engine.ask("Who leads the task force for building Tongzhou into a digital economy benchmark city?")["answers"][0]
    assert "区政府分管副区长任组长" in first["passage"]


def test_school_places_are_the_gazettes_xuewei(engine):
    first = engine.ask("How many school places will be added in 2022?")["answers"][0]
    assert "学位1400个" in first["passage"] and first["units"] == ["区教委"]
