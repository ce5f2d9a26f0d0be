"""The semantic channel: wording no lexicon holds, vectors cached so nothing is embedded twice, and a bot that
still answers when the model cannot load."""
import hashlib
import logging
from pathlib import Path

import numpy as np
import pytest

from knowledge import embedding, vectors
from knowledge.answers import facts
from knowledge.engine import Engine
from knowledge.lexicon import everyday_words
from knowledge.store import build_store, bundled_gazettes, default_store_path, open_store
from tests.conftest import TONGZHOU

GAZETTE_TODAY = __import__("datetime").date(2022, 9, 1)


class CountingModel:
    """A stand-in embedding model: deterministic vectors, and a count of the passages it was asked to embed."""

    def __init__(self):
        self.embedded = 0

    def query(self, text):
        return self._vector(text)

    def queries(self, texts):
        return np.stack([self._vector(t) for t in texts])

    def passages(self, texts):
        self.embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])

    @staticmethod
    def _vector(text):
        seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        return v / np.linalg.norm(v)


@pytest.fixture
def counting_model(monkeypatch, tmp_path):
    model = CountingModel()
    monkeypatch.setattr("knowledge.store.load_model", lambda: model)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))   # an empty user cache: only the seed
    return model


@pytest.fixture(scope="module")
def lexical(store):
    """The engine on the same store with the lexical channel alone."""
    return Engine.load(store, today=GAZETTE_TODAY, semantic=False)


@pytest.mark.parametrize("question, unit, words", [
    ("手机突然收不到信号了，微信也发不出去，整片都这样，归哪个部门", "区经信局", "通信网络突发事件"),
    ("大冬天的暧气管道爆了，屋里冻得不行，这算谁的事", "区城市管理委", "供热事故"),
    # planting woods is 造林 in the gazette: only the passage nearest in meaning brings it to the question's words
    ("全区要栽多少亩林", "", "造林2.3万亩"),
])
def test_a_paraphrase_the_lexicon_lacks_finds_its_passage(engine, lexical, question, unit, words):
    result = engine.ask(question)
    assert result["answers"], result["suggestions"]
    a = result["answers"][0]
    assert unit in a["lead"] and words in a["passage"]
    assert any("语义" in m for m in result["matched"])
    # the lexical channel alone declines it: the answer is the semantic channel's doing
    assert not lexical.ask(question)["answers"]


def test_words_no_lexicon_holds_take_the_meaning_of_the_nearest_lexicon_word(engine):
    result = engine.ask("厨房里的燃气好像泄了，找哪个部门")
    assert any(m.startswith("近义：") and "燃气" in m for m in result["matched"])
    a = result["answers"][0]
    assert "区城市管理委" in a["lead"] and "燃气事故" in a["passage"]


def test_an_english_question_gets_english_labels_and_the_chinese_passage(engine):
    result = engine.ask("who handles elevators?")
    a = result["answers"][0]
    assert result["lang"] == "en" and a["lead"] == \
        "Responsible unit: Housing and Urban-Rural Development Commission (区住房城乡建设委)"
    assert "电梯" in a["passage"]
    when = engine.ask("when is the old building elevator work due?")["answers"][0]
    assert when["lead"] == "Deadline: by the end of December 2022 (121 days left)"
    assert "Responsible unit: Housing and Urban-Rural Development Commission (区住房城乡建设委)" in facts(when)


def test_the_bundled_issue_is_never_embedded_the_seed_holds_it(counting_model, tmp_path):
    build_store(bundled_gazettes(), tmp_path / "g.db")
    assert counting_model.embedded == 0, "knowledge/data/vectors.npz is stale: run `make vectors`"


def test_the_lexicon_words_are_never_embedded_the_seed_holds_them(counting_model, store, monkeypatch):
    monkeypatch.setattr("knowledge.semantic.load_model", lambda: counting_model)
    engine = Engine.load(store, today=GAZETTE_TODAY)
    assert engine.bridge is not None
    assert counting_model.embedded == 0, "knowledge/data/vectors.npz is stale: run `make vectors`"


def test_a_rebuild_does_not_embed_unchanged_passages_again(counting_model, tmp_path):
    issue = tmp_path / "issue.txt"
    text = TONGZHOU.read_text(encoding="utf-8")
    issue.write_text(text.replace("老楼加装电梯", "旧楼加装电梯"), encoding="utf-8")   # passages the seed lacks
    build_store([issue], tmp_path / "g.db")
    first = counting_model.embedded
    assert first > 0
    build_store([issue], tmp_path / "g2.db")
    assert counting_model.embedded == first   # the second store came from the cache


def test_a_test_run_caches_vectors_in_its_temp_folder_never_in_the_home_folder(tmp_path_factory, monkeypatch):
    monkeypatch.setattr(vectors, "MODEL_ID", "a test's model")     # keys no real vector is cached under
    vectors.embed_texts(["一段公报里没有的话"], CountingModel())
    run = tmp_path_factory.getbasetemp()
    assert vectors.cache_path().is_file() and vectors.cache_path().is_relative_to(run)
    assert not vectors.cache_path().is_relative_to(Path.home())
    assert default_store_path().is_relative_to(run)      # nor would a command without [store] path build there


def test_without_the_model_the_engine_answers_from_the_lexicon(store, monkeypatch, caplog):
    monkeypatch.setenv("GAZETTE_BOT_EMBEDDINGS", "off")
    embedding.load_model.cache_clear()
    try:
        with caplog.at_level(logging.INFO):
            engine = Engine.load(store, today=GAZETTE_TODAY)
        assert engine.semantic is None
        assert "lexical" in caplog.text
        a = engine.ask("谁负责老楼加装电梯？")["answers"][0]
        assert "区住房城乡建设委" in a["lead"]
    finally:
        embedding.load_model.cache_clear()


def test_a_model_that_fails_to_load_is_reported_once(monkeypatch, caplog):
    def broken():
        raise OSError("illegal instruction")
    monkeypatch.setattr(embedding, "_E5", broken)
    embedding.load_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert embedding.load_model() is None
            assert embedding.load_model() is None
        assert caplog.text.count("could not be loaded") == 1
    finally:
        embedding.load_model.cache_clear()


def test_vectors_from_another_model_are_not_used(store_path):
    db = open_store(store_path)     # a copy: the change below would otherwise reach every later test's store
    ids = [r["id"] for r in db.query("select id from passages order by id")]
    assert vectors.load_vectors(db, ids) is not None
    db.execute("update meta set value = 'another-model' where key = 'vector_model'")
    assert vectors.load_vectors(db, ids) is None
    db.conn.close()


def test_a_passage_is_embedded_with_the_everyday_words_for_its_own_terms(engine):
    gas = next(p for p in engine.passages if p["kind"] == "row" and "燃气事故" in p["text"])
    text = vectors.embedding_text(gas, "", everyday_words([gas["text"]])[0])
    assert "煤气味" in text and "区城市管理委" in text
    # a term in many passages says nothing about any one of them: no everyday words come through it
    common = [p["text"] for p in engine.passages if "突发事件" in p["text"]]
    assert len(common) > 3 and not any("出了事" in words for words in everyday_words(common))


def test_a_clause_describing_what_happened_takes_the_nearest_specific_lexicon_word(engine):
    result = engine.ask("商场的电梯突然卡在半空把人关里头了，归谁管")
    a = result["answers"][0]
    assert "区市场监管局" in a["lead"] and "特种设备事故" in a["passage"]
    assert any(m.startswith("近义：") for m in result["matched"])


def test_a_word_near_only_to_a_general_one_is_no_answer(engine):
    # "塌下去" is nearest to "塌了", which only means 事故 / 突发事件: no specific row may be guessed from that
    assert engine.ask("院墙突然塌下去一块，归谁管")["answers"] == []


def test_a_lexicon_word_with_one_of_the_questions_words_swapped_is_not_its_meaning(engine):
    """支出 and 收入 sit side by side in meaning; a question on spending is not answered with revenue."""
    result = engine.ask("一般公共预算支出总额计划增长多少")
    assert not any(m.startswith("近义：") for m in result["matched"])
    assert all("收入" not in a["passage"] for a in result["answers"])


@pytest.mark.parametrize("said, word, refused", [
    ("副中心交通公众号里加货拉拉那些模块", "副中心智慧交通平台", True),   # 货拉拉: one passage's word names the topic
    ("一般公共预算支出总额", "一般公共预算收入", True),                 # the specific frame kept, 支出 swapped
    ("景区玩遇上突发事件", "旅游突发事件", False),                     # a frame found everywhere says nothing
])
def test_which_nearest_lexicon_words_may_stand_for_a_clause(engine, said, word, refused):
    assert engine._swaps_a_word(said, word) is refused


def test_a_rule_in_a_residents_words_is_answered_by_the_passage_nearest_in_meaning(engine):
    """The words alone cannot answer it (公司, 降, 这样行吗 are not the plan's words); the passage nearest in
    meaning, which the words rank near the top too and which holds 怀孕 and 工资, states the rule."""
    result = engine.ask("怀孕以后公司要给我降工资，这样行吗")
    assert result["answers"] and "女职工怀孕" in result["answers"][0]["passage"]


def test_an_answer_resting_only_on_words_found_everywhere_is_not_certain(engine):
    """"突发事件" and "处置" are in a hundred passages: the words nearest in meaning say which emergency."""
    result = engine.ask("带着老人去景区玩遇上突发事件，哪个部门负责处置")
    a = result["answers"][0]
    assert "旅游突发事件" in a["passage"] and "区文化和旅游局" in a["lead"]


def test_a_residents_account_is_answered_when_the_words_and_the_meaning_point_to_one_unit(engine):
    """Asked who handles what happened to them, residents say more than any passage holds: the passage the words
    rank first answers when it names the unit and the meaning agrees (the words of the item's ledger now rank it
    first on their own, so this no longer shows the words failing alone)."""
    question = "快递总是不往我们村里送，每次都要大老远去镇上拿，这个归谁管"
    result = engine.ask(question)
    assert result["answers"] and "区商务局" in result["answers"][0]["lead"]
    assert any("语义" in m for m in result["matched"])


def test_a_residents_account_is_answered_by_the_runner_up_naming_a_unit_when_the_first_names_none(engine):
    """The words rank first a duty that names nobody ("加强校园及周边平安建设"); of the passages just below it
    that name a unit, the one nearest in meaning to the account answers who handles it."""
    result = engine.ask("学校门口来了个拿刀闹事的，学生都吓坏了，哪个部门负责")
    a = result["answers"][0]
    assert "影响校园安全稳定事件" in a["passage"] and "区教委" in a["lead"]
    assert any("写明单位" in m for m in result["matched"])


def test_english_read_word_by_word_agrees_only_on_a_passage_saying_its_lexicon_word(engine):
    # "subsidy" alone agrees with the metaverse rent subsidy; "heating" is what the question is about
    result = engine.ask("How do I apply for the winter heating subsidy for my apartment?")
    assert not any("元宇宙" in a["passage"] for a in result["answers"])


def test_a_near_lexicon_word_that_loses_the_answer_the_words_gave_is_dropped(engine):
    # "副中心交通" is nearest to 副中心智慧交通平台, which says nothing of 货拉拉: the words' own answer stands
    result = engine.ask("“副中心交通”公众号里啥时候能直接叫货拉拉？")
    assert "货拉拉" in result["answers"][0]["passage"] and result["answers"][0]["lead"].startswith("完成时限：2022年9月")
    assert not any(m.startswith("近义：") for m in result["matched"])


def test_meaning_alone_does_not_outvote_a_passage_the_words_put_far_ahead(engine):
    """"跟前夫…法律咨询，政务服务大厅": the women's-plan clause on legal services is nearest in meaning (前夫), but
    the words put the item on legal services in the service halls far ahead, and it names who runs it."""
    result = engine.ask("跟前夫的房子纠纷想找个免费法律咨询，政务服务大厅里有吗，谁负责的")
    assert "政务服务大厅" in result["answers"][0]["passage"] and result["answers"][0]["units"] == ["区司法局"]


@pytest.mark.parametrize("question, says", [("When are the 5 old residential compounds due to be finished?", "竣工5个"),
                                            ("When are the five old residential compounds due to be finished?", "竣工5个"),
                                            ("the 15 old residential compounds, when do they start?", "新开工15个")])
def test_the_figure_the_question_says_picks_the_item_stating_it(engine, question, says):
    """"the 5 old compounds": the item saying 竣工5个, not the one saying 新开工15个, however near in meaning."""
    assert says in engine.ask(question)["answers"][0]["passage"]


def test_an_account_the_words_cannot_place_is_answered_by_the_nearest_passage_naming_a_unit(engine):
    """Nothing the words rank answers; the passage nearest in meaning names who does it and holds a telling
    word of the account (电子证照 for "手机上亮个证")."""
    result = engine.ask("办事总得到处跑着盖章，啥时候能手机上亮个证就行，这块谁在推")
    assert result["answers"] and "电子证照" in result["answers"][0]["passage"]
    assert "区政务服务局" in result["answers"][0]["lead"]
    assert any("意思最近、写明单位" in m for m in result["matched"])


@pytest.mark.parametrize("question, unit, says", [("农村盖房的建筑工匠培训谁组织", "区住房城乡建设委", "建筑工匠"),
                                                  ("妇女儿童发展规划的数据统计监测是哪个局牵头", "区统计局", "监测统计"),
                                                  # level on the words, 五 scores higher for being shorter
                                                  ("区政府常务会议由哪些人组成", "", "区政府办公室主任组成")])
def test_the_runner_up_holding_more_of_the_question_and_nearest_in_meaning_goes_first(engine, question, unit, says):
    """The words rank first the towns' duty for rural houses (a long lexicon meaning of 建筑工匠); the runner-up
    says more of the question's own characters and is nearest in meaning: it states who trains the builders."""
    first = engine.ask(question)["answers"][0]
    assert unit in first["passage"] + "".join(first["units"]) and says in first["passage"]


def test_each_text_is_embedded_once_per_question(engine, monkeypatch):
    # every text costs the model milliseconds: a question of one clause is also the clause the bridge looks up,
    # and its vector serves both
    sent = []
    real = engine.semantic.model.queries
    monkeypatch.setattr(engine.semantic.model, "queries", lambda texts: sent.append(list(texts)) or real(texts))
    engine.ask("上班的人里女性要占多大比例")
    texts = [t for call in sent for t in call]
    assert "上班的人里女性要占多大比例" in texts
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("question", ["学校办校庆想请区长题个字行吗", "我们社区想请区长题个字挂门口，可以不"])
def test_a_guessed_word_does_not_push_aside_the_passage_the_words_and_the_meaning_put_first(engine, question):
    """"请区长" is nearest to 需向区长请假 (taking leave), a rule the meaning ranks far down; the rule on 题字 that
    the question's own words and its meaning both put at the top answers."""
    answers = engine.ask(question)["answers"]
    assert answers and "不题字、题词" in answers[0]["passage"]



@pytest.mark.parametrize("operator, expected", [
    ({}, {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "2000"}),
    ({"OMP_WAIT_POLICY": "ACTIVE"}, {"OMP_WAIT_POLICY": "ACTIVE"}),
    ({"GOMP_SPINCOUNT": "0"}, {"GOMP_SPINCOUNT": "0"}),
])
def test_how_the_models_threads_wait_is_the_operators_choice_when_made(operator, expected):
    """Review 27 #3: the default short spin must not override an OMP_WAIT_POLICY the operator set."""
    from knowledge.embedding import openmp_defaults
    environ = dict(operator)
    openmp_defaults(environ)
    assert environ == expected
