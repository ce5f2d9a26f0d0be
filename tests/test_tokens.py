"""jieba tokenizers: each engine's knows its own store's names, all made from one reading of jieba's dictionary."""
import jieba

from knowledge.tokens import make_tokenizer, words

QUESTION = "东夏园村的老楼加装电梯找谁"


def test_each_tokenizer_knows_its_own_words_and_cuts_as_jiebas_own_set_up_would():
    plain = make_tokenizer([])
    named = make_tokenizer(["东夏园"])          # one store's name, as a reload might bring
    after = make_tokenizer([])
    assert "东夏园" in words(named, QUESTION)
    # the name stays with the tokenizer that was given it: the shared dictionary is not changed
    assert "东夏园" not in words(plain, QUESTION) and words(after, QUESTION) == words(plain, QUESTION)
    own = jieba.Tokenizer()
    own.initialize()
    own.add_word("东夏园", freq=3000)
    assert named.lcut(QUESTION) == own.lcut(QUESTION) and words(named, QUESTION) == words(own, QUESTION)
    assert (named.FREQ, named.total) == (own.FREQ, own.total)
