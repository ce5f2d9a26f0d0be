"""Telegram HTML rendering: escaping, splitting under the limit at paragraph boundaries, valid markup."""
import re
from html.parser import HTMLParser

import pytest
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from handlers import keyboards, render
from knowledge.render_text import render_text

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "blockquote",
                 "tg-spoiler", "span", "tg-emoji"}


class TelegramHTML(HTMLParser):
    """Telegram's HTML rules: known tags only, properly nested and closed, only its four named entities."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TELEGRAM_TAGS:
            self.errors.append(f"unsupported tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_entityref(self, name):
        if name not in ("lt", "gt", "amp", "quot"):
            self.errors.append(f"unsupported entity &{name};")



def assert_valid(html: str) -> None:
    assert html.strip(), "empty message"
    assert len(html.encode("utf-16-le")) // 2 <= MessageLimit.MAX_TEXT_LENGTH
    # a bare < or & that is not a tag or entity is what Telegram rejects as "can't parse entities"
    assert not re.search(r"<(?![a-z/])", html), "bare <"
    assert not re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", html), "bare &"
    parser = TelegramHTML()
    parser.feed(html)
    parser.close()
    assert not parser.errors and not parser.stack, (parser.errors, parser.stack)


def visible(html: str) -> str:
    from html import unescape
    return unescape(re.sub(r"<[^>]+>", "", html))


def answer(**over):
    base = {"id": 7, "kind": "task", "lead": "主责单位：区水务局", "passage": "完成河道治理。", "units": ["区水务局"],
            "leaders": [], "co_units": [], "citation": "《某方案》第1项（通政发〔2022〕2号，区政府公报2022年第1期约第30页）",
            "doc_number": "通政发〔2022〕2号", "doc_title": "某方案", "item": "第1项", "deadline": "2022-12-31",
            "deadline_text": "2022年12月底", "days_left": "还剩 121 天", "score": 1.0, "clause_id": "x#1", "page": 30}
    base.update(over)
    return base


def test_gazette_and_user_text_is_escaped():
    a = answer(lead="<b>主责</b> & co", passage="第<1>项 a&b <script>alert(1)</script> **md** _x_",
               citation="《<i>标题</i>》")
    [html] = render.pack(render.answer_blocks(a, note="<废止> & 替代"))
    assert_valid(html)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;主责&lt;/b&gt; &amp; co" in html
    assert html.startswith("<b>&lt;b&gt;")            # the lead is bold
    assert "<blockquote>第&lt;1&gt;项 a&amp;b" in html  # the passage is quoted
    assert "&lt;废止&gt; &amp; 替代" in html
    assert visible(html).endswith("出处：《<i>标题</i>》")   # the citation comes last, as text


def test_answer_layout_lead_quote_facts_citation():
    [html] = render.pack(render.answer_blocks(answer()))
    parts = html.split("\n\n")
    assert parts[0] == "<b>主责单位：区水务局</b>"
    assert parts[1] == "<blockquote>完成河道治理。</blockquote>"
    assert parts[2] == "完成时限：2022年12月底（还剩 121 天）"     # one line per fact: the unit is in the lead
    assert html.count("区水务局") == 1
    assert parts[3].startswith("出处：《某方案》")


def test_a_lead_that_repeats_the_passage_is_replaced_by_who_and_when():
    a = answer(lead="完成河道治理。")
    html = render.pack(render.answer_blocks(a))[0]
    assert html.startswith("<b>主责单位：区水务局 · 完成时限：2022年12月底（还剩 121 天）</b>")
    assert html.count("完成河道治理") == 1


def test_a_task_row_quoted_with_its_leaders_is_not_printed_twice():
    a = answer(lead="完成河道治理。", passage="完成河道治理。\n牵头领导：张三")
    html = render.pack(render.answer_blocks(a))[0]
    assert html.count("完成河道治理") == 1 and "牵头领导：张三" in html


def test_an_indicator_row_shows_the_plans_own_words_once():
    row = answer(lead="指标名称：核心产业规模", passage="指标名称：核心产业规模；单位：亿元；2024年目标：55", units=[],
                 deadline_text=None, stated="核心产业规模突破55亿元")
    html = render.pack(render.answer_blocks(row))[0]
    assert "正文：核心产业规模突破55亿元" in html
    html = render.pack(render.answer_blocks(dict(row, lead="目标：核心产业规模突破55亿元")))[0]
    assert html.count("突破55亿元") == 1


def test_the_ledger_line_a_question_asked_about_is_shown_escaped_in_telegram_and_the_terminal():
    a = answer(lead="目标：张家湾镇15个", detail="完成指标：宋庄镇13个，张家湾镇15个 <含村口>")
    html = render.pack(render.answer_blocks(a))[0]
    assert_valid(html)
    assert "完成指标：宋庄镇13个，张家湾镇15个 &lt;含村口&gt;" in html
    assert "完成指标：宋庄镇13个" in render_text({"query": "q", "lead": a["lead"], "answers": [a], "suggestions": []})


def test_long_reply_is_split_at_paragraph_boundaries_under_the_limit():
    paragraphs = [f"第{k}段。" + "河道治理与水环境建设" * 40 for k in range(20)]   # 20 x ~400 characters
    a = answer(passage="\n".join(paragraphs))
    messages = render.pack(render.answer_blocks(a))
    assert len(messages) >= 2
    for m in messages:
        assert_valid(m)
    # every paragraph arrives whole, in one message, in order
    text = "\n".join(visible(m) for m in messages)
    for k, p in enumerate(paragraphs):
        assert text.count(p) == 1, k
    positions = [text.index(p) for p in paragraphs]
    assert positions == sorted(positions)
    # the cut falls between paragraphs: each message's quote ends with a whole paragraph
    for m in messages:
        if "</blockquote>" in m:
            quoted = m.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
            assert quoted.split("\n")[-1] in paragraphs


def test_text_without_breaks_and_heavy_escaping_is_cut_safely():
    a = answer(passage="<&>" * 3000, lead="&" * 5000)          # every character becomes an entity
    messages = render.pack(render.answer_blocks(a))
    for m in messages:
        assert_valid(m)
    assert "".join(visible(m) for m in messages).count("<&>") == 3000


def test_emoji_count_twice_as_telegram_counts_utf16():
    messages = render.pack([[("blockquote", "😀" * 3000)]])
    assert len(messages) == 2
    for m in messages:
        assert_valid(m)


def test_empty_paragraphs_produce_no_empty_messages_or_tags():
    assert render.pack([[("b", "")], [(None, "  ")]]) == []
    html = render.pack(render.answer_blocks(answer(lead="", units=[], deadline_text=None, days_left=None)))[0]
    assert "<b></b>" not in html


def test_every_passage_and_clause_of_the_gazette_renders_valid_html(engine):
    for p in engine.passages:
        a = engine.passage(p["id"])
        for m in render.pack(render.answer_blocks(a)):
            assert_valid(m)
        for m in render.pack(render.list_blocks("标题", [a], 0, 10)):
            assert_valid(m)
    for clause_id, in engine.db.execute("select id from clauses"):
        for m in render.clause_messages(engine.clause(clause_id)):
            assert_valid(m)
    for number in engine.documents:
        for m in render.document_messages(engine.document(number), note="注意 <x>"):
            assert_valid(m)


def test_a_long_list_is_split_between_items(engine):
    _, tasks = engine.unit_tasks("区住房城乡建设委")
    messages = render.pack(render.list_blocks("区住房城乡建设委：全部", tasks, 0, len(tasks)))
    assert len(messages) >= 2
    for m in messages:
        assert_valid(m)
        assert re.match(r"(<b>区住房城乡建设委：全部</b>\n\n)?<b>\d+\. ", m)   # each message starts with an item


def test_question_results_render_for_each_outcome(engine):
    for q in ["谁负责老楼加装电梯", "核酸检测", "小区停车难", "你好", "天气怎么样", "😀", "区住建委", "通政发〔2018〕10号",
              "<b>电梯</b> **谁负责**"]:
        for m in render.result_messages(engine.ask(q)):
            assert_valid(m)
    unsure = engine.ask("核酸检测")
    [html] = render.result_messages(unsure)
    assert html.startswith(f"<b>{render.UNSURE_TITLE}</b>")
    assert all(s["label"] in html for s in unsure["suggestions"])


def test_an_incident_offered_as_choices_still_says_call_110_first(engine):
    """When the bot is unsure which row of an incident is meant, the warning is no detail of one answer: it
    comes above the choices (trial 20 #1). The engine marks it urgent; a caveat about an answer is not."""
    assert engine.ask("小区门口积水很深有车被淹了")["urgent"]
    result = dict(engine.ask("核酸检测"), note="如有危险请先拨打 110（报警）、119（火警）或 120（急救）。", urgent=True)
    assert result["suggestions"]
    [html] = render.result_messages(result)
    assert_valid(html)
    assert html.startswith("<i>如有危险请先拨打 110") and render.UNSURE_TITLE in html


def test_a_decline_with_its_reason_keeps_the_reason_above_the_passages_it_rests_on(engine):
    """"一键呼怎么申请": the gazette says who, not how; the reply says so and offers the passage."""
    result = engine.ask("一键呼怎么申请")
    assert not result["answers"] and "区民政局" in result["lead"]
    [html] = render.result_messages(result)
    assert_valid(html)
    assert html.startswith("公报没有写怎么申请。") and f"<b>{render.RELATED_TITLE}</b>" in html
    assert render.UNSURE_TITLE not in html and "一键呼" in html.split(render.RELATED_TITLE)[1]


def test_callback_data_is_short_and_round_trips():
    big = keyboards.MAX_ID                  # the largest id SQLite can hold
    kb = keyboards.answer_keyboard(answer(id=big), qid=big, more_from=5)
    datas = [b.callback_data for row in kb.inline_keyboard for b in row]
    assert {d.split(":")[0] for d in datas} == {"m", "c", "d", "f"}
    key = keyboards.key_for("123:TEST")
    sealed = [b.callback_data for row in keyboards.seal(kb, -1001000001001, key).inline_keyboard for b in row]
    for d, s in zip(datas, sealed):
        assert len(s.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
        verb, ids = keyboards.parse(d)
        assert big in ids and keyboards.unseal(s, -1001000001001, key) == (verb, ids)
    assert [b.text for b in kb.inline_keyboard[-1]] == ["👍", "👎"]
    for too_big in (10 ** 70, 2 ** 63):
        with pytest.raises(ValueError):
            keyboards.data("m", too_big)
    for nonsense in ("m:abc", None, "m:9223372036854775808:0", "f:122:1:9223372036854775808", "m:1:10001",
                     "m:²:0", "m:" + "9" * 5000 + ":0"):
        assert keyboards.parse(nonsense) is None


def test_candidate_buttons_are_labelled_with_item_and_number():
    suggestions = [{"id": k, "label": f"第{k}项 · 通政发〔2022〕6号"} for k in range(5)]
    kb = keyboards.candidates_keyboard(suggestions, qid=3)
    assert [row[0].text for row in kb.inline_keyboard] == [s["label"] for s in suggestions[:3]]
    assert [row[0].callback_data for row in kb.inline_keyboard] == ["p:0:3", "p:1:3", "p:2:3"]


def test_render_text_for_the_terminal(engine):
    text = render_text(engine.ask("谁负责老楼加装电梯"))
    assert text.splitlines()[0] == "主责单位：区住房城乡建设委"
    assert "│ 稳步推进老楼加装电梯工作" in text and "出处：《2022年通州区重要民生实事项目》二（九）" in text
    unsure = render_text(engine.ask("核酸检测"))
    assert "您是不是想问：" in unsure and "通政发〔2022〕3号" in unsure
    flat = engine.ask("核酸检测")
    flat["suggestions"] = [s["label"] for s in flat["suggestions"]]     # the CLI JSON shape
    assert render_text(flat) == unsure
    assert render_text(engine.ask("😀")) == "公报里没有找到相关内容。生活服务类问题可拨打 12345 市民服务热线。"


def test_a_list_in_the_terminal_says_how_many_more_there_are(engine):
    """Staff reading "共 17 项" and five items must know the rest exists and how to see it."""
    result = engine.ask("倪德才牵头哪些任务")
    assert result["total"] > len(result["answers"])
    assert f"第 1–{len(result['answers'])} 项，共 {result['total']} 项（在聊天里发送“更多”看下一页）" in render_text(result)
    whole = dict(result, total=len(result["answers"]))
    assert "看下一页" not in render_text(whole)


def test_other_answers_in_the_terminal_say_what_they_are_about():
    """A lead that is only a column ("完成时限：…") is followed by the item's own words."""
    first = {"lead": "主责单位：区水务局", "passage": "完成河道治理。", "citation": "《甲》一"}
    other = {"lead": "完成时限：2022年12月底", "passage": "建设污水管线40公里", "citation": "《乙》二"}
    lines = render_text({"answers": [first, other], "lead": first["lead"]}).splitlines()
    k = lines.index("2. 完成时限：2022年12月底")
    assert lines[k + 1] == "   建设污水管线40公里" and lines[k + 2] == "   出处：《乙》二"


@pytest.mark.parametrize("question, english", [
    ("What does Tongzhengfa [2022] No. 5 say?", "The gazette has no 通政发〔2022〕5号. I only hold the 10 documents"),
    ("What is in issue No. 2 of the gazette?", "The gazette has nothing on “第2期”."),
    ("What is the phone number of the metaverse subsidy office?", "Related items:"),
    ("Is there anything about quantum computing?", "I found no"),
    ("What's in this issue?", "holds 10 documents"),
])
def test_a_question_in_english_is_declined_in_english(engine, question, english):
    assert english in render_text(engine.ask(question))


def test_an_english_question_with_choices_gets_an_english_title(engine):
    html = "".join(render.result_messages(engine.ask("What is the phone number of the metaverse subsidy office?")))
    assert html.startswith("The gazette covers this topic but does not say what you asked")
    assert render.RELATED_TITLE_EN in html and render.RELATED_TITLE not in html
    html = "".join(render.result_messages(engine.ask("elevator thing")))
    assert render.UNSURE_TITLE_EN in html and render.UNSURE_TITLE not in html


def test_the_buttons_under_an_english_answer_are_in_english(engine):
    answer = engine.ask("who handles elevators?")["answers"][0]
    labels = [b.text for row in keyboards.answer_keyboard(answer, 1, 1).inline_keyboard for b in row]
    assert "More results" in labels and "Source document" in labels and "更多结果" not in labels
    chinese = engine.ask("谁负责老楼加装电梯")["answers"][0]
    assert "来源文件" in [b.text for row in keyboards.answer_keyboard(chinese).inline_keyboard for b in row]


def test_in_english_the_co_column_reads_as_also_responsible_not_a_second_responsible_unit():
    from knowledge.answers import facts
    line = facts({"units": ["区交通局"], "unit_label": "主责单位", "co_units": ["区国资委"], "co_label": "责任单位",
                  "lang": "en"})
    assert line == ("Responsible unit: Transport Bureau (区交通局) · "
                    "Also responsible: District State-Owned Assets Commission (区国资委)")
    assert facts({"units": ["区交通局"], "co_units": ["区国资委"], "co_label": "责任单位"}) == \
        "主责单位：区交通局 · 责任单位：区国资委"


@pytest.mark.parametrize("units, shown", [
    (["通州公路分局"], "Responsible unit: Tongzhou Highway Branch (通州公路分局)"),
    (["市规划自然资源委通州分局"],
     "Responsible unit: Tongzhou Branch of the Municipal Planning and Natural Resources Commission (市规划自然资源委通州分局)"),
    (["相关街道乡镇"], "Responsible unit: the subdistricts and townships concerned (相关街道乡镇)")])
def test_in_english_the_units_tasks_name_most_are_named_in_english(units, shown):
    from knowledge.answers import facts
    assert facts({"units": units, "unit_label": "主责单位", "lang": "en"}) == shown


def test_the_terminal_offers_close_items_as_a_choice_not_after_saying_nothing_was_found():
    text = render_text({"answers": [], "suggestions": [{"id": 1, "label": "便民早餐（区商务局）"}], "lead": ""})
    assert text.startswith("没有找到确切的答案。") and "公报里没有找到相关内容" not in text and "便民早餐" in text


def test_the_terminal_does_not_offer_again_the_answers_it_printed(engine):
    result = engine.ask("老旧小区加装电梯什么时候完成")
    result["suggestions"] = [{"id": a["id"], "label": f"第{k}个"} for k, a in enumerate(result["answers"])]
    assert "您是不是想问" not in render_text(result)
    result["suggestions"].append({"id": -1, "label": "别的一项"})
    assert render_text(result).endswith("您是不是想问：\n  1. 别的一项")


def test_the_terminal_does_not_print_a_lead_that_is_the_passage_twice(engine):
    result = engine.ask("AED放在哪")
    assert result["lead"] == result["answers"][0]["passage"].split("\n")[0]   # the engine's lead is the passage
    text = render_text(result)
    assert text.count("配置100台自动体外除颤器") == 1 and text.splitlines()[0].startswith("主责单位：区卫生健康委")


def test_a_list_shortens_an_items_words_but_never_its_leaders(engine):
    """倪德才's list: item 2's words are long, and its leaders' line (苏国斌、董亦军、倪德才、王翔宇) is what the list
    is about; neither the bot's list nor the terminal may cut it."""
    result = engine.ask("倪德才负责哪些任务")
    long_one = next(a for a in result["answers"] if "电动自行车" in a["passage"])
    blocks = render.list_item_blocks(2, long_one)
    text = "".join(t for block in blocks for _, t in block)
    assert "牵头领导：苏国斌、董亦军、倪德才、王翔宇" in text
    terminal = render_text(result)   # it shortens the words to 60 characters
    assert "实现1…" in terminal and "牵头领导：苏国斌、董亦军、倪德才、王翔宇" in terminal


def test_a_listed_plan_says_its_drafter_once(engine):
    """Trial 18: each entry of a plan list said 区应急局 three times (lead, row, a units line); a task's entry,
    whose words do not name its unit, keeps its units line."""
    plans = engine.ask("自然灾害类的应急预案有哪些")
    for k, plan in enumerate(plans["answers"], 1):
        text = "".join(t for block in render.list_item_blocks(k, plan) for _, t in block)
        assert text.count(plan["units"][0]) == 2   # the lead and the row
    tasks = engine.ask("区交通局的任务")
    text = "".join(t for block in render.list_item_blocks(1, tasks["answers"][0]) for _, t in block)
    assert "主责单位：区交通局" in text


def test_a_choice_of_one_is_given_as_the_answer(engine):
    """Trial 19 #8: "下班回来停不上车怎么办" found one candidate; the reply is that answer, not "please choose" over
    a list of one."""
    html = "".join(render.result_messages(engine.ask("下班回来停不上车怎么办")))
    assert render.UNSURE_TITLE not in html and "错时停车" in html and "区城市管理委" in html


def test_asking_who_when_every_choice_names_the_same_department_gives_the_answer(engine):
    """Trial 20 #17: the choices for "下大雨小区门口积水好深，谁来管" all name 区水务局, the answer asked for."""
    html = "".join(render.result_messages(engine.ask("下大雨小区门口积水好深，谁来管")))
    assert render.UNSURE_TITLE not in html and "区水务局" in html
    assert render.UNSURE_TITLE in "".join(render.result_messages(engine.ask("核酸检测")))   # not asked who


def test_someone_in_danger_reads_the_call_to_110_119_120_before_the_department(engine):
    """Trial 21 #1: "电梯卡住了里面有人" led with 特种设备事故…, the call-first line second; it now comes first, in the
    bot's message and in the CLI's text."""
    from handlers.render import result_messages
    from knowledge.render_text import render_text
    result = engine.ask("电梯卡住了里面有人")
    message = result_messages(result)[0]
    assert message.index("120") < message.index("区市场监管局")
    assert render_text(result).startswith("注意：情况紧急请先拨打")
    calm = engine.ask("电梯坏了谁负责维修")   # no one in danger: the answer first, as ever
    assert not render_text(calm).startswith("注意")


def test_list_buttons_say_what_differs_between_table_rows():
    """Rows repeat their column names ("分类：…；主要种类：…"): the label drops them, so 供水 and 排水 both show."""
    rows = [{"id": 1, "passage": "分类：公共设施和设备事故；主要种类：供水突发事件；处置主责部门：区水务局"},
            {"id": 2, "passage": "分类：公共设施和设备事故；主要种类：排水突发事件；处置主责部门：区水务局"}]
    labels = [b.text for row in keyboards.list_keyboard(rows, 2, 7, None).inline_keyboard for b in row]
    assert labels[0].startswith("3. 公共设施和设备事故；供水") and labels[1].startswith("4. 公共设施和设备事故；排水")
    assert all(len(t) <= keyboards.CHOICE for t in labels)


def test_a_bracket_inside_a_passage_is_not_kept_as_an_owner():
    text = "落实属地“四方责任”，遵照《北京市农村村民住宅建设管理办法》等规定，加强对村（居）民建房的指导"
    assert keyboards.label(text, 24).endswith("…") and "（居" not in keyboards.label(text, 24)[-4:]


def test_a_page_asked_for_in_words_numbers_its_buttons_as_its_text(engine):
    """Trial 28: "更多", "更多" showed 第 11–15 项 with buttons "1." to "5.": typing 2 then meant item 12."""
    from handlers import replies
    from knowledge import conversation
    context, result = None, None
    for question in ["秦涛负责哪些工作", "更多", "更多"]:
        result = engine.ask(question, context=context)
        context = conversation.remember(result)
    reply = replies.for_result(result, qid=1)
    labels = [b.text for row in reply.markup.inline_keyboard for b in row]
    assert "第 11–15 项" in "".join(reply.texts) and labels[0].startswith("11. ") and labels[4].startswith("15. ")
    assert "更多结果" not in labels   # it would page "更多" itself, a question of no list
