"""Staff look-ups by reference: a grid generated from the store, not written by hand, must be answered 100%."""
import re

import pytest

from knowledge import conversation

COLUMNS = {"主责单位是谁": "units_shown", "牵头领导是谁": "leaders", "完成时限是什么时候": "deadline_text"}


def passages(engine, doc_number, kind):
    return [p for p in engine.passages if p["doc_number"] == doc_number and p["kind"] == kind]


def short_spellings(number):
    """通政发〔2022〕2号 -> the ways people write it: in full, with 年, without the year, and as "2号文" (or
    "办2号文")."""
    prefix, year, n = re.match(r"(.+)〔(\d{4})〕(\d+)号", number).groups()
    return [number, f"{prefix}{year}年{n}号", f"{prefix}{n}号", f"{'办' if '办' in prefix else ''}{n}号文"]


def test_every_task_by_number_column_and_spelling(engine):
    misses = []
    for number in ("通政发〔2022〕2号", "通政办发〔2022〕1号", "通政办发〔2022〕8号"):
        for p in passages(engine, number, "task"):
            for spelling in short_spellings(number):
                for words, column in COLUMNS.items():
                    question = f"{spelling}{p['item']}{words}"
                    result = engine.ask(question)
                    a = result["answers"][0] if result["answers"] else {}
                    value = p[column] if isinstance(p[column], str) else "、".join(p[column] or [])
                    if a.get("id") != p["id"] or (value and value not in a["lead"]):
                        misses.append(f"{question} -> {a.get('item')} {a.get('lead')}")
    assert not misses, f"{len(misses)} misses, e.g. {misses[:5]}"


def test_every_livelihood_project_by_its_number(engine):
    misses = []
    for p in passages(engine, "通政发〔2022〕6号", "livelihood"):
        paren = re.search(r"（(.+)）$", p["item"]).group(1)
        ordinal = len([q for q in passages(engine, "通政发〔2022〕6号", "livelihood") if q["id"] <= p["id"]])
        for question in (f"民生实事第（{paren}）项是谁负责的", f"民生实事第{ordinal}项谁负责", f"民生实事（{paren}）主责单位",
                         f"民生实事第{ordinal}谁负责", f"民生实事{ordinal}主责单位"):
            result = engine.ask(question)
            a = result["answers"][0] if result["answers"] else {}
            if a.get("id") != p["id"] or p["units_shown"] and p["units_shown"][0] not in a["lead"]:
                misses.append(f"{question} -> {a.get('item')}")
    assert not misses, misses[:5]


@pytest.mark.parametrize("table, spelling", [("突发事件处置分工", "突发事件处置分工表"),
                                             ("区级专项应急预案目录", "专项应急预案目录")])
def test_every_row_of_the_emergency_tables_by_number(engine, table, spelling):
    rows = [p for p in engine.passages if p["kind"] == "row" and table in p["item"]]
    assert len(rows) > 30
    misses = []
    for p in rows:
        n = re.search(r"第(\d+)项$", p["item"]).group(1)
        question = f"{spelling}第{n}项是什么"
        result = engine.ask(question)
        if not result["answers"] or result["answers"][0]["id"] != p["id"]:
            misses.append(question)
    assert not misses, misses[:5]


def test_every_document_number_date_and_subject(engine):
    misses = []
    for number, d in engine.documents.items():
        y, m, day = (int(x) for x in d["signed"].split("-"))
        for question, expect in ((f"{d['short_title']}的文号是多少", number),
                                 (f"{d['short_title']}是哪天印发的", f"{y}年{m}月{day}日"),
                                 (f"{short_spellings(number)[1]}讲的是什么", d["short_title"])):
            result = engine.ask(question)
            a = result["answers"][0] if result["answers"] else {}
            if a.get("doc_number") != number or expect not in a.get("passage", ""):
                misses.append(f"{question} -> {a.get('doc_number')}")
    assert not misses, misses


def test_a_question_about_something_inside_a_document_named_by_its_number(engine):
    """The 文号 says where to look, the rest of the question what is asked."""
    result = engine.ask("通政发〔2022〕6号 谁负责路灯")
    assert result["intent"] == "who" and "路灯" in result["answers"][0]["passage"]
    assert result["answers"][0]["doc_number"] == "通政发〔2022〕6号"
    assert engine.ask("通政发〔2022〕6号")["answers"][0]["kind"] == "document"


def test_a_number_alone_is_not_a_percentage(engine):
    result = engine.ask("第35项")
    assert result["answers"] and result["answers"][0]["item"] == "第35项"
    assert result["answers"][0]["doc_number"] == "通政发〔2022〕2号"   # the longest task list comes first
    assert all("35%" not in a["passage"] for a in result["answers"])


def test_a_leader_asked_for_by_role(engine):
    for words in ("牵头的区领导是谁", "哪位区领导在抓", "谁挂帅"):
        a = engine.ask(f"通政发〔2022〕2号第35项{words}")["answers"][0]
        assert a["lead"].startswith("牵头领导："), words


def test_what_a_repealed_document_was_replaced_by(engine):
    a = engine.ask("新的工作规则实施后哪个老文件作废了")["answers"][0]
    assert a["doc_number"] == "通政发〔2022〕1号" and "通政发〔2018〕10号" in a["passage"]


def test_an_item_number_the_document_lacks_is_not_answered_with_another(engine):
    """Staff are told how many items the document has, not shown another item or the document itself."""
    tasks = len([p for p in engine.passages if p["doc_number"] == "通政发〔2022〕2号" and p["kind"] == "task"])
    result = engine.ask("2号文第999项谁负责")
    assert not result["answers"] and result["lead"] == \
        f"通政发〔2022〕2号《2022年通州区政府工作报告重点工作分工方案》共 {tasks} 项，没有第999项。"
    result = engine.ask("民生实事第33项")
    assert not result["answers"] and "共 32 项" in result["lead"]


def test_an_item_number_past_the_end_of_the_list_its_words_echo_is_not_taken_from_another_list(engine):
    """"交通方案第30项": the transport plan has 25 tasks; the work report's 30th is not what was asked."""
    for question, count in [("交通方案第30项", "共 25 项"), ("实事第三十三项", "共 32 项"), ("民生实事第35件是啥", "共 32 项")]:
        result = engine.ask(question)
        assert not result["answers"] and count in result["lead"], question
    assert "通政发〔2022〕2号" in engine.ask("第30项")["answers"][0]["doc_number"]   # no list echoed: the longest


def test_a_table_row_number_past_the_end_of_the_table_says_how_many_rows_it_has(engine):
    result = engine.ask("突发事件处置分工表第60项")
    assert not result["answers"] and "《突发事件处置分工表》共 52 项，没有第60项" in result["lead"]


def test_livelihood_projects_are_counted_by_jian(engine):
    """民生实事 are "件": "民生实事第二十件谁负责" is its 20th project, with its unit."""
    result = engine.ask("民生实事第二十件谁负责")
    assert "错时停车" in result["answers"][0]["passage"] and "区城市管理委" in result["lead"]


def test_an_item_by_english_ordinal(engine):
    result = engine.ask("what is the 5th livelihood project")
    assert result["answers"][0]["doc_number"] == "通政发〔2022〕6号" and "一事一议" in result["answers"][0]["passage"]
    assert "has 32 items" in engine.ask("the 40th livelihood project")["lead"]
    assert "has 113 items" in engine.ask("document 2 item 300: who is responsible?")["lead"]


def test_the_issue_itself_when_it_came_out_and_what_it_holds(engine):
    for question in ("这期通州区政府公报是哪天出的？", "公报收录了哪些文件"):
        a = engine.ask(question)["answers"][0]
        assert "2022年4月15日" in a["passage"] and all(n in a["passage"] for n in engine.documents)


def test_an_item_asked_for_in_english(engine):
    a = engine.ask("What is item 103 of document 通政发〔2022〕2号 and who is responsible?")["answers"][0]
    assert a["item"] == "第103项" and a["doc_number"] == "通政发〔2022〕2号"


def test_an_item_of_a_document_named_by_its_short_number_in_english(engine):
    """"Doc No.2 item 37", "item 5 of document 8": the document's own number, as staff shorten it."""
    for question, number, item in (("Doc No.2 item 37 - lead unit?", "通政发〔2022〕2号", "第37项"),
                                   ("item 22 of document 8: who is responsible?", "通政办发〔2022〕8号", "第22项")):
        a = engine.ask(question)["answers"][0]
        assert (a["doc_number"], a["item"]) == (number, item), question
        assert a["lead"].startswith("Responsible unit:")


def test_tasks_by_number_said_with_tiao_or_ge(engine):
    """People say 条 and 个 for a task list's 项: "数字经济行动方案第13条", "第5个"."""
    misses = []
    for number, spelling in (("通政发〔2022〕2号", "2号文"), ("通政办发〔2022〕1号", "数字经济行动方案")):
        for p in passages(engine, number, "task")[::3]:
            for word in "条个":
                question = f"{spelling}{p['item'].replace('项', word)}主责单位是谁"
                a = (engine.ask(question)["answers"] or [{}])[0]
                if a.get("id") != p["id"]:
                    misses.append(f"{question} -> {a.get('item')}")
    assert not misses, f"{len(misses)} misses, e.g. {misses[:5]}"


def test_a_short_number_only_the_office_has_names_the_office_document(engine):
    p = next(p for p in passages(engine, "通政办发〔2022〕8号", "task") if p["item"] == "第22项")
    a = engine.ask("8号文台账第22项主责单位")["answers"][0]
    assert a["id"] == p["id"] and "、".join(p["units_shown"]) in a["lead"]


def test_a_document_named_by_a_lexicon_word_in_english(engine):
    # "emergency plan" is the lexicon's 应急预案, which only one document's title holds
    answers = engine.ask("Which document did the 2022 emergency plan repeal?")["answers"]
    assert "通政发〔2017〕27号" in str(answers[:1])


@pytest.mark.parametrize("question", ["what does the metaverse document say?", "What does the metaverse document cover",
                                      "give me a summary of the metaverse document"])
def test_what_a_document_says_asked_in_english_is_that_document(engine, question):
    """Trial 27: asked in Chinese ("元宇宙那个文件讲了什么") the document answered; in English nothing did."""
    result = engine.ask(question)
    assert result["intent"] == "doc" and "通政办发〔2022〕4号" in result["lead"]


def test_what_a_document_says_about_a_topic_is_searched_inside_it(engine):
    result = engine.ask("what does the work rules document say about meetings")
    assert result["intent"] != "doc" and "通政发〔2022〕1号" in result["answers"][0]["citation"]
    result = engine.ask("summary of metaverse rent subsidies")   # a topic, not the document
    assert result["intent"] != "doc" and "房租" in result["answers"][0]["passage"]


@pytest.mark.parametrize("question, words, unit", [
    ("交通台账第14项主责", "104个农村交通安全劝导站", "通州交通支队"),   # the transport plan, not the work report
    ("交通方案任务3 主责单位", "9.14公顷林地", "通州公路分局"),
    ("专项预案目录第38号谁编", "新闻发布应急预案", "区委宣传部"),
    ("Work report division plan, task 62: who is the lead district leader?", "家庭养老床位", "区民政局"),
])
def test_an_item_named_by_the_words_of_its_documents_title(engine, question, words, unit):
    result = engine.ask(question)
    assert result["answers"], question
    a = result["answers"][0]
    assert words in a["passage"] and unit in a["units"]


def test_an_amount_is_not_a_section_number(engine):
    result = engine.ask("今年说要帮一万五千人找到工作，这事哪个领导牵头")
    assert not any(m.startswith("条目") for m in result["matched"])
    assert result["answers"] and "1.5万人" in result["answers"][0]["passage"]
    assert "董明慧" in result["answers"][0]["lead"]


@pytest.mark.parametrize("question, number", [
    ("What is document Tongzhengbanfa [2022] No. 8 about?", "通政办发〔2022〕8号"),
    ("Who issued Tongzhengfa (2022) 3?", "通政发〔2022〕3号"),
])
def test_a_document_number_in_pinyin(engine, question, number):
    result = engine.ask(question)
    assert result["answers"] and number in result["answers"][0]["passage"]


def test_a_pinyin_number_the_store_lacks_is_declined_as_absent(engine):
    result = engine.ask("What does Tongzhengfa [2022] No. 5 say?")
    assert not result["answers"] and "通政发〔2022〕5号" in result["lead"]


@pytest.mark.parametrize("question, words", [
    ("key livelihood projects item 12: who is responsible?", "家庭照护床位300张"),       # 民生实事（十二）
    ("transport integration plan, task 3: responsible unit?", "9.14公顷林地"),          # 交通方案第3项
    ("district special plan list no. 38 - who compiles it?", "新闻发布应急预案"),
])
def test_an_item_of_a_document_named_in_english(engine, question, words):
    result = engine.ask(question)
    assert result["answers"] and words in result["answers"][0]["passage"]


@pytest.mark.parametrize("question", ["农宅建设安全管理第一责任人是谁", "突发事件应急预案要在第一时间报告谁负责",
                                      "民生实事100项小微项目谁负责", "元宇宙第三方机构有哪些"])
def test_ordinal_words_and_counts_are_not_item_numbers(engine, question):
    """第一时间, 第一责任人, 第三方 and "100项" say something else than an item's number."""
    result = engine.ask(question)
    assert not any(m.startswith("条目") for m in result["matched"]) and "没有第" not in result["lead"]


def test_every_part_of_an_article_as_staff_cite_it(engine):
    """"工作规则第四十六条第（五）项", "1号文第46条第5项", "区政府工作规则里第四十六条（五）讲什么": the article's part, not the
    article, nor the document's fifth section."""
    from knowledge.references import cn_number
    parts = [(p, m) for p in passages(engine, "通政发〔2022〕1号", "clause")
             for m in [re.search(r"([一二三四五六七八九十]+)（([一二三四五六七八九十]+)）$", p["item"] or "")] if m]
    labels = [p["item"] for p, _ in parts]
    parts = [(p, m) for p, m in parts if labels.count(p["item"]) == 1]   # 四十七 holds two lists numbered alike
    assert len(parts) >= 8
    misses = []
    for p, m in parts:
        article, part = m.groups()
        for question in (f"工作规则第{article}条第（{part}）项", f"1号文第{cn_number(article)}条第{cn_number(part)}项",
                         f"区政府工作规则里第{article}条（{part}）讲什么"):
            a = engine.ask(question)["answers"]
            if not a or a[0]["id"] != p["id"]:
                misses.append(f"{question} -> {a[0]['item'] if a else None}")
    assert not misses, f"{len(misses)} misses, e.g. {misses[:5]}"


@pytest.mark.parametrize("question, part, said", [
    ("工作规则第四十六条 多少钱以上的追加预算要上常务会", "第十章 四十六（五）", "2000万元"),
    ("工作规则第四十七条 专题会研究什么 多个部门配合的工作", "第十章 四十七（四）", "多个部门配合"),
])
def test_an_article_asked_about_one_of_its_parts_answers_with_that_part_first(engine, question, part, said):
    """Staff name the article and ask what it says on one point: the part that says it, then the article."""
    answers = engine.ask(question)["answers"]
    assert answers[0]["item"] == part and said in answers[0]["passage"]


@pytest.mark.parametrize("question", ["工作规则第四十六条", "区政府工作规则第46条讲什么", "工作规则第四十六条 公众代表能列席吗"])
def test_an_article_asked_alone_or_about_what_its_head_says_is_the_article(engine, question):
    assert engine.ask(question)["answers"][0]["item"] == "第十章 四十六"


def test_an_article_quoting_its_list_shows_each_item_once_punctuated(engine):
    """工作规则第五十条 lists the matters not brought to a meeting: its items are joined by one "；", not two."""
    text = engine.ask("工作规则第五十条")["answers"][0]["passage"]
    assert "（二）属于各部门、单位职责范围内的事项；（三）" in text
    assert "；；" not in text


def _turns(engine, questions: list[str]) -> list[dict]:
    """Ask in one conversation, as the chat and the bot do: each answer is the next question's context."""
    context, results = None, []
    for question in questions:
        result = engine.ask(question, context=context)
        context = conversation.remember(result)
        results.append(result)
    return results


def test_staff_read_down_a_table_in_their_own_words(engine):
    """再下一项, 后一项, 继续 and 下一个 read on; 前一项 reads back; none is searched as a topic ("一项或多项")."""
    results = _turns(engine, ["分工方案第50项", "再下一项", "后一项", "继续", "下一个", "前一项"])
    assert [r["answers"][0]["item"] for r in results] == ["第50项", "第51项", "第52项", "第53项", "第54项", "第53项"]


def test_past_the_last_item_the_conversation_stays_on_the_table(engine):
    results = _turns(engine, ["分工方案第113项", "下一项", "上一项"])
    assert not results[1]["answers"] and "最后一项" in results[1]["lead"]
    assert results[2]["answers"][0]["item"] == "第112项"


def test_next_item_with_nothing_asked_before_says_how_to_start(engine):
    for question in ("下一项", "next item"):
        result = engine.ask(question)
        assert not result["answers"] and ("2号文第35项" in result["lead"] or "document 2 item 35" in result["lead"])


@pytest.mark.parametrize("question", ["办发8号第10项", "看看办发8号第10项"])
def test_a_document_named_by_the_end_of_its_number_without_wen(engine, question):
    a = engine.ask(question)["answers"][0]
    assert a["citation"].startswith("《") and "通政办发〔2022〕8号" in a["citation"] and "第10项" in a["citation"]


def test_an_item_number_below_one_is_said_to_be_missing(engine):
    for question in ("2号文第-1项", "2号文第0项", "通政发2号第－3项谁负责", "2号文第−1项", "2号文第-1个"):
        result = engine.ask(question)
        assert not result["answers"], question
        assert "共 113 项，没有第" in result["lead"], (question, result["lead"])


@pytest.mark.parametrize("question", ["第150项谁负责", "第200项", "第一百五十项是什么", "第150项"])
def test_an_item_number_no_list_reaches_is_said_to_be_missing_not_searched_as_digits(engine, question):
    result = engine.ask(question)
    assert not result["answers"]   # not "在150处老旧小区…安装火灾报警装置" for its digits
    assert "都没有第150项" in result["lead"] or "都没有第200项" in result["lead"], result["lead"]
    assert "共 113 项" in result["lead"] and "2号文第35项" in result["lead"]


def test_an_article_number_no_rules_reach_names_the_longest_rules(engine):
    result = engine.ask("第一百五十条")
    assert not result["answers"]
    assert "都没有第150条" in result["lead"] and "工作规则》共 85 条" in result["lead"], result["lead"]


def test_an_article_the_rules_do_not_have_says_how_many_they_have(engine):
    result = engine.ask("工作规则第90条")
    assert not result["answers"] and "共 85 条，没有第90条" in result["lead"], result["lead"]


def test_a_task_number_the_document_lacks_says_how_many_it_has(engine):
    result = engine.ask("8号文任务30")   # not another of its items that says "30"
    assert not result["answers"] and "共 25 项，没有任务30" in result["lead"], result["lead"]


def test_an_article_asked_in_english_is_the_article(engine):
    result = engine.ask("document 1 article 46")
    assert all("四十六" in a["citation"] and "通政发〔2022〕1号" in a["citation"] for a in result["answers"][:2])
    assert engine.ask("article 150")["lead"].startswith("No document in the gazette has 第150条")


def test_an_item_number_no_list_reaches_is_said_to_be_missing_in_english_too(engine):
    result = engine.ask("who is responsible for item 150")
    assert not result["answers"] and result["lead"].startswith("No document in the gazette has item150")
    assert "has 113 items" in result["lead"] and "document 2 item 35" in result["lead"]


def test_a_short_number_two_documents_share_shows_both_items(engine):
    result = engine.ask("1号文第5项")
    shown = [a["doc_number"] for a in result["answers"]]
    assert shown[:2] == ["通政发〔2022〕1号", "通政办发〔2022〕1号"]
    assert "区块链" in result["answers"][1]["passage"]
    assert "通政办发〔2022〕1号" in result["note"]


def test_a_short_number_whose_item_only_the_other_document_has(engine):
    result = engine.ask("3号文第5项")
    assert result["answers"][0]["doc_number"] == "通政办发〔2022〕3号"
    assert "落实各部门监管责任" in result["answers"][0]["passage"]
    assert "通政发〔2022〕3号没有第5项" in result["note"]


def test_paragraphs_numbered_straight_through_are_items(engine):
    result = engine.ask("通政办发3号第5项")
    assert result["answers"][0]["item"].endswith("（五）")


def test_an_entry_of_a_list_is_picked_by_its_place_with_the_column_asked(engine):
    """After a unit's list, "那第一项谁牵头" and "第二项什么时候完成" are about the list's entries, not item 1 and 2
    of the longest task list; a question of its own about "第2项" is not taken for a pick."""
    listed, lead, when, own = _turns(engine, ["区水务局有哪些任务", "那第一项谁牵头", "第二项什么时候完成",
                                              "2号文第3项谁负责"])
    assert lead["answers"][0]["id"] == listed["answers"][0]["id"] and lead["lead"].startswith("牵头领导：秦涛")
    assert when["answers"][0]["id"] == listed["answers"][1]["id"] and when["lead"].startswith("完成时限：")
    assert own["answers"][0]["citation"].endswith("第3项（通政发〔2022〕2号，区政府公报2022年第1期约第28页）")


def test_an_entry_of_an_empty_list_is_not_taken_from_another_document(engine):
    """On 2022-09-01 区水务局 has nothing due in October: "那第一项谁牵头" has no list entry to pick."""
    empty, picked = _turns(engine, ["区水务局下个月有什么到期", "那第一项谁牵头"])
    assert not empty["answers"] and "没有到期" in empty["lead"]
    assert not picked["answers"] and "列表是空的" in picked["lead"]
    _, following = _turns(engine, ["区水务局下个月有什么到期", "下一项"])
    assert not following["answers"] and following["intent"] == "followup"


@pytest.mark.parametrize("question", ["2号文35条", "二号文35", "二号文第三十五项"])
def test_an_item_named_without_its_ordinal_word_or_with_a_chinese_document_number(engine, question):
    assert engine.ask(question)["answers"][0]["citation"].startswith("《2022年通州区政府工作报告重点工作分工方案》第35项")


def test_asking_for_the_target_after_an_answer_is_about_that_answer(engine):
    """"加装电梯归谁管？" then "目标是多少？": the lift project's figure, not some other document's target."""
    first, target = _turns(engine, ["加装电梯归谁管？", "目标是多少？"])
    assert target["answers"][0]["id"] == first["answers"][0]["id"] and "15部" in target["lead"]


def test_every_outline_position_as_staff_copy_it_from_the_page(engine):
    """"四（三）3", "2.3.6 第28项", "8.3（1）": a grid from the store of every item a section, its part and a number
    place, asked with the document's short title, finds an item at that place."""
    from knowledge.references import outline_of_label
    misses, asked = [], 0
    for p in engine.passages:
        m = re.fullmatch(r"([一二三四五六七八九十]+)（([一二三四五六七八九十]+)）\s?(?:[\u4e00-\u9fff]*\s)?第(\d+)项(?: 第1段)?",
                         p["item"] or "")
        d = re.fullmatch(r"(\d+(?:\.\d+)+) [\u4e00-\u9fff]+ 第(\d+)项", p["item"] or "")
        if not (m or d) or p["kind"] == "document":
            continue
        title = engine.documents[p["doc_number"]]["short_title"]
        question = f"{title} {m.group(1)}（{m.group(2)}）{m.group(3)} 是什么" if m else f"{d.group(1)} 第{d.group(2)}项"
        asked += 1
        a = (engine.ask(question)["answers"] or [{}])[0]
        if outline_of_label(a.get("item") or "") != outline_of_label(p["item"]) or a.get("doc_number") != p["doc_number"]:
            misses.append(f"{question} -> {a.get('item')}")
    assert asked > 150 and not misses, (asked, misses[:5])


@pytest.mark.parametrize("question, item", [
    ("应急预案处置分工表47号是什么事件", "2.3.6 突发事件处置分工 第47项"),
    ("区级专项应急预案目录23号是哪个预案", "8.3 区级专项应急预案目录 第23项"),
    ("妇女儿童规划 二、（三）妇女与经济 主要目标9 是什么", "二（三）主要目标 第9项"),
    ("二（三）策略措施第9项", "二（三）策略措施 第9项"),
])
def test_an_item_named_by_its_list_and_number(engine, question, item):
    assert engine.ask(question)["answers"][0]["item"] == item


def test_an_item_of_several_paragraphs_looked_up_by_number_starts_with_its_heading(engine):
    a = engine.ask("基层公共卫生体系建设工作意见 四（三）3 讲的是啥")["answers"][0]
    assert a["passage"].startswith("3. 保障育龄妇女健康") or a["passage"].startswith("3.保障育龄妇女健康")


@pytest.mark.parametrize("question, not_item", [("4.2级地震归谁管", "2.4"), ("PM2.5超标找谁", "2.5"), ("等了2.5小时没人管", "2.5"),
                                                ("身高1.2以下的孩子免票吗", "1.2"), ("民生实事12月31号到期的有哪些", "八（三十一）"),
                                                ("交通一体化方案里3号路什么时候修", "第3项")])
def test_amounts_dates_and_street_numbers_name_no_item(engine, question, not_item):
    result = engine.ask(question)
    assert not any(m.startswith("条目：") for m in result["matched"])
    assert not any((a.get("item") or "").startswith(not_item) for a in result["answers"][:1])


def test_the_numbering_style_is_part_of_an_outline_place(engine):
    """"四（三）3" is the public-health opinion's item; 3号文's 4.3.3 is numbered in another style."""
    a = engine.ask("四（三）3")["answers"][0]
    assert a["doc_number"] == "通政办发〔2022〕5号" and a["item"].startswith("四（三）第3项")


def test_a_table_row_by_its_line_number(engine):
    assert engine.ask("应急预案处置分工表第20行")["answers"][0]["item"] == "2.3.6 突发事件处置分工 第20项"


def test_a_document_is_named_by_its_attachments_title(engine):
    """"任务台账第16项": the 台账 attached to 通政办发〔2022〕8号 (bus shelters), not 2号文's item 16."""
    a = engine.ask("任务台账第16项")["answers"][0]
    assert a["doc_number"] == "通政办发〔2022〕8号" and a["item"] == "第16项" and "候车亭" in a["passage"]
    for question in ("第16项任务是什么", "任务第16项"):   # 任务 alone is everyday: 2号文, the 113 tasks
        assert engine.ask(question)["answers"][0]["doc_number"] == "通政发〔2022〕2号"


def test_the_second_related_item_after_a_decline_of_a_detail(engine):
    """Trial 21 #2: "美丽乡村有哪几个村" is declined (no list of villages) with the topic's items numbered below;
    "那第二个呢" opens the second of them, not 2号文's second task."""
    first, second = _turns(engine, ["美丽乡村有哪几个村", "那第二个呢"])
    assert first["answers"] == [] and first["suggestions"]
    assert second["answers"][0]["id"] == first["suggestions"][1]["id"]


def test_an_item_number_past_the_end_of_a_list_is_a_look_up_of_its_own(engine):
    """Trial 21 #2: "第35项" after 倪德才's 17 items is what staff look up next (2号文第35项), in English too."""
    *_, chinese = _turns(engine, ["倪德才牵头的任务", "第35项"])
    *_, english = _turns(engine, ["tasks led by Ni Decai", "item 35 of document 2"])
    for result in (chinese, english):
        assert result["answers"] and result["answers"][0]["item"] == "第35项"


def test_a_choice_out_of_range_keeps_the_conversation_on_the_last_answer(engine):
    """Trial 21 #2: after "那第二个呢" (there is one), "完成时限呢" is still about 2号文第35项."""
    *_, last = _turns(engine, ["2号文第35项牵头领导", "那第二个呢", "完成时限呢"])
    assert last["answers"] and last["answers"][0]["item"] == "第35项" and "2022年12月底" in last["lead"]


@pytest.mark.parametrize("question", ["1.2.3", "9.9.9讲什么", "第1.2.3条是什么"])
def test_a_section_number_no_document_has_is_said_to_be_missing(engine, question):
    """Trial 21 #10: "1.2.3" answered with 8号文第10项 (its "1.2" digits searched); no document numbers a section so."""
    result = engine.ask(question)
    assert result["answers"] == [] and "没有编号为" in result["lead"]


@pytest.mark.parametrize("typed", ["办发〔2022〕8号", "通政办〔2022〕8号", "政办发〔2022〕8号", "请问办发〔2022〕8号讲什么",
                                   "我想问一下通政办〔2022〕8号"])
def test_a_document_number_with_its_prefix_cut_short_is_still_that_document(engine, typed):
    """Trial 21 #10: "办发〔2022〕8号" was "not in the gazette" though "办发8号" works; "通政办" left out 发."""
    result = engine.ask(typed)
    assert result["intent"] == "doc" and "通政办发〔2022〕8号" in result["lead"] and "没有" not in result["lead"]


def test_an_english_follow_up_asking_the_cost_stays_on_the_last_answer(engine):
    """Trial 21 #5: "how much does it cost?" after the one-key call answer offered unrelated items; it asks the
    cost of that answer, which the gazette does not give."""
    first, cost, free = _turns(engine, ["who installs one-key call devices?", "how much does it cost?", "is it free?"])
    assert "区民政局" in first["lead"]
    assert cost["answers"] == [] and "does not say" in cost["lead"]
    assert [s["id"] for s in cost["suggestions"]][:1] == [first["answers"][0]["id"]]
    assert "whether it is free" in free["note"]


def test_how_to_apply_for_a_project_named_in_english_says_who_is_responsible(engine):
    """Trial 21 #5: "how do I apply for the one-key call device?" was "outside the gazette"; 一键呼怎么申请 says no
    procedure is written and who is responsible, and so does the English."""
    lead = engine.ask("how do I apply for the one-key call device?")["lead"]
    assert "does not say how to apply" in lead and "区民政局" in lead


def test_a_count_of_roads_is_no_part_of_an_article(engine):
    """Review 19 #8: "一条二十米宽的路" holds 条 between two numbers; only 第 or brackets mark an article's part."""
    assert not any(m.startswith("条目") for m in engine.ask("一条二十米宽的路谁修")["matched"])


@pytest.mark.parametrize("question, look_up", [("2号文第20项", True), ("办发8号第3项牵头领导是谁", True),
                                               ("2号文里养老有哪些", False), ("2号文第20项路灯谁管", False)])
def test_only_a_look_up_by_number_searches_nothing(question, look_up):
    """What the flood gate lets through uncounted (review 19 #5): a number and the column asked, nothing more."""
    from knowledge.references import only_a_look_up
    assert only_a_look_up(question) is look_up



@pytest.mark.parametrize("question, figure", [("任务台账第14项，西集镇设几个劝导站？", "西集镇15个"),
                                              ("8号文第14项宋庄镇几个", "宋庄镇13个")])
def test_an_item_by_number_asked_for_one_towns_figure_gives_that_towns(engine, question, figure):
    """Item 14 totals 104 stations; its ledger lists each town's, and the town named is what was asked."""
    a = engine.ask(question)["answers"][0]
    assert a["item"] == "第14项" and figure in a["lead"] and figure in a["detail"]


def test_an_item_by_number_asked_for_a_town_its_ledger_does_not_list_says_so(engine):
    result = engine.ask("8号文第14项梨园镇几个")
    assert not result["answers"] and "梨园镇" in result["lead"]


@pytest.mark.parametrize("question, doc_number, item", [
    ("公卫意见 四（六）", "通政办发〔2022〕5号", "四（六）"),
    ("公卫意见四（三）3", "通政办发〔2022〕5号", "四（三）第3项"),
    ("妇儿规划 二（三）策略措施第9项", "通政发〔2022〕4号", "二（三）策略措施 第9项"),
    ("台账第23项", "通政办发〔2022〕8号", "第23项"),   # the kind alone: one document has a 台账 (its annex)
    ("规则第五十条", "通政发〔2022〕1号", "第十章 五十"),
])
def test_an_item_of_a_document_named_by_its_abbreviation(engine, question, doc_number, item):
    """Staff shorten a title as people do, a few of its characters then the kind of document: "公卫意见"."""
    a = engine.ask(question)["answers"][0]
    assert a["doc_number"] == doc_number and a["item"].startswith(item)


def test_a_few_characters_and_a_kind_two_titles_share_name_no_document():
    from knowledge.references import Catalog
    documents = {"甲〔2022〕1号": {"short_title": "交通运输工作方案", "title": "交通运输工作方案"},
                 "甲〔2022〕2号": {"short_title": "数字经济工作方案", "title": "数字经济工作方案"}}
    catalog = Catalog([], documents)
    assert catalog.abbreviated("请看交通方案") == "甲〔2022〕1号"
    assert catalog.abbreviated("工作方案") is None
    assert catalog.abbreviated("交通") is None   # no kind of document: an everyday word
    assert catalog.abbreviated("方案") is None   # a kind both documents are


@pytest.mark.parametrize("question, row", [("Emergency plan table 2.3.6, row 46 — which department handles it?", 46),
                                           ("2.3.6 item 20", 20), ("2.3.6，第12项", 12)])
def test_a_table_row_named_after_its_section_in_english_or_after_a_comma(engine, question, row):
    a = engine.ask(question)["answers"][0]
    assert a["item"] == f"2.3.6 突发事件处置分工 第{row}项"


def test_a_number_said_to_be_a_task_is_the_task_even_beside_a_tables_name(engine):
    """"数字经济方案 任务10 主要指标" asks for task 10's targets; "主要指标表第10项" is the table's row."""
    task = engine.ask("数字经济方案 任务10 主要指标")["answers"][0]
    assert task["item"] == "第10项" and "信息消费体验中心" in task["passage"]
    row = engine.ask("数字经济方案 主要指标表第10项")["answers"][0]
    assert row["item"].endswith("主要指标表 第10项")


@pytest.mark.parametrize("question, item", [("民生实事十六", "四（十六）"), ("民生实事三十一 完成时限", "八（三十一）")])
def test_a_chinese_numeral_right_after_the_documents_name_is_its_item(engine, question, item):
    """Trial 22 #5: "民生实事十六" is project （十六）; a numeral inside another word ("统一") is none."""
    assert engine.ask(question)["answers"][0]["item"] == item
    assert not any(m.startswith("条目") for m in engine.ask("民生实事统一是什么")["matched"])


@pytest.mark.parametrize("question", ["四十六条", "46条"])
def test_an_article_number_alone_without_its_di_is_the_article(engine, question):
    assert engine.ask(question)["answers"][0]["item"] == "第十章 四十六"


def test_a_chapter_by_number_lists_its_articles(engine):
    """工作规则 第七章 (健全监督制度) holds articles 二十九 to 三十五: not 元宇宙's 第七条."""
    answers = engine.ask("第七章")["answers"]
    assert answers and all(a["item"].startswith("第七章 ") for a in answers)
    assert answers[0]["item"] == "第七章 二十九"


@pytest.mark.parametrize("question, said", [("台账第23项 9月前要完成的仓储场地", "完成指标：完成宋庄800平方米"),
                                            ("8号文第10项的2022年9月前完成指标", "完成指标：环球影城北枢纽"),
                                            ("8号文第10项工作内容", "工作内容：环球影城北交通枢纽")])
def test_a_column_of_an_item_asked_by_its_name_is_its_details_line(engine, question, said):
    """Trial 23: "8号文第10项的2022年9月前完成指标" repeated the item and left out the column asked for."""
    assert engine.ask(question)["answers"][0]["detail"].startswith(said)


@pytest.mark.parametrize("question, unit", [("(二十三)", "区文化和旅游局"), ("（十六）", "区司法局")])
def test_a_bracketed_numeral_alone_is_the_one_item_numbered_so(engine, question, unit):
    """Only the 民生实事 number items （十六）…（三十二）: "（二十三）" is its project, not 工作规则's article 二十三."""
    a = engine.ask(question)["answers"][0]
    assert a["kind"] == "livelihood" and unit in a["units"]


@pytest.mark.parametrize("question, lead", [
    ("工作规则一共多少条", "《通州区人民政府工作规则》（通政发〔2022〕1号）共 85 条，分 18 章"),
    ("区政府工作规则有几章", "《通州区人民政府工作规则》（通政发〔2022〕1号）共 85 条，分 18 章"),
    ("元宇宙若干措施一共几条", "（通政办发〔2022〕4号）共 8 条")])
def test_a_documents_articles_are_counted(engine, question, lead):
    """Trial 23: "工作规则一共多少条" said the gazette gives no count, though its last article is 八十五."""
    assert lead in engine.ask(question)["lead"]


def test_a_section_named_by_its_name_and_a_point_in_it(engine):
    first = engine.ask("妇女与社会保障 策略措施第5条")["answers"][0]
    assert first["item"] == "二（五）策略措施 第5项" and "养老床位提高到7张" in first["passage"]
    assert engine.ask("儿童与健康 主要目标2")["answers"][0]["item"] == "三（一）主要目标 第2项"


def test_a_table_named_by_words_of_its_own_wins_over_one_named_by_its_documents_words(engine):
    first = engine.ask("应急预案2.3.6分工表 第25项 处置主责部门")["answers"][0]
    assert "通信网络突发事件" in first["passage"]


def test_what_a_document_carries_out_is_the_document_its_opening_names(engine):
    first = engine.ask("数字经济标杆城市行动方案是为了落实市里哪个文件")["answers"][0]
    assert first["lead"].startswith("为贯彻落实《北京市关于加快建设全球数字经济标杆城市的实施方案")
    first = engine.ask("总体应急预案依据哪些法律")["answers"][0]
    assert "《中华人民共和国突发事件应对法》" in first["lead"] and not first["lead"].startswith("主要内容")


def test_what_kind_of_plan_a_number_is_gets_the_document_itself(engine):
    first = engine.ask("通政办发〔2022〕8号是什么方案")["answers"][0]
    assert first["lead"].startswith("《通州区创建国家城乡交通运输一体化示范县（区、市）工作方案》")


def test_an_item_named_by_number_answers_what_it_says_and_notes_what_it_leaves_out(engine):
    """Staff name the item; it is the answer even when it does not list all that was asked."""
    result = engine.ask("2022年重点工作分工方案第89项说的是哪几个公园改造")
    assert "漫春园等5个全龄友好化公园改造" in result["answers"][0]["passage"]
    assert "没有写到具体是哪些" in result["note"]
    # ... but an item says nothing of a phone number: that is still declined, with the item offered
    declined = engine.ask("2号文第89项的电话是多少")
    assert declined["answers"] == [] and "电话号码" in declined["lead"]


@pytest.mark.parametrize("questions, lead", [
    (["谁负责老楼加装电梯", "他还负责什么"], "卢庆雷 牵头"),
    (["路灯坏了找谁", "这个部门还负责什么"], "区城市管理委：共"),
    (["who handles elevators?", "what else does he lead?"], "卢庆雷"),
])
def test_asking_what_else_that_leader_or_department_handles_lists_their_work(engine, questions, lead):
    """Trial 28: "他还负责什么" repeated the elevator item; it asks for the answer's leader's list."""
    *_, last = _turns(engine, questions)
    assert lead in last["lead"] and len(last["answers"]) > 1
