"""The offline chat: typed lines go through the real handlers, replies print as text, buttons as numbers."""
import argparse
import datetime as dt
import io
import re
import socket

import pytest

from bot import cli
from bot.chat import html_to_text, run_chat
from bot.config import Config
from knowledge import people


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def chat(store, engine, no_network):
    """Type lines into the offline chat; returns (exit status, everything it printed)."""
    def talk(lines, **cfg_over):
        cfg = Config(store_path=store, as_of=dt.date(2022, 9, 1), **cfg_over)
        out = io.StringIO()
        typed = io.StringIO("".join(f"{line}\n" for line in lines))
        return run_chat(cfg, stdin=typed, stdout=out, engine=engine), out.getvalue()
    return talk



def test_a_question_prints_the_answer_and_numbered_buttons(chat):
    status, out = chat(["谁负责老楼加装电梯", "/quit", "never read"])
    assert status == 0
    assert "主责单位：区住房城乡建设委" in out
    assert "│ 稳步推进老楼加装电梯工作" in out                      # the quoted passage
    assert "出处：《2022年通州区重要民生实事项目》二（九）" in out
    assert "[1] 完整条文  [2] 来源文件  [3] 👍  [4] 👎" in out
    assert "<b>" not in out and "&lt;" not in out                 # HTML stripped for the terminal
    assert "never read" not in out


def test_typing_a_number_presses_that_button(chat):
    _, out = chat(["谁负责老楼加装电梯", "1", "2", "3"])
    full = out.split("完整条文：二（九）", 1)[1]
    assert "稳步推进老楼加装电梯工作" in full.split("出处：", 1)[0]
    assert "文号：通政发〔2022〕6号" in out                      # 来源文件
    assert "（谢谢！已记录 👍）" in out                             # 👍 answered with a notice


def test_a_number_past_the_last_button_says_there_is_no_such_choice(chat):
    _, out = chat(["谁负责老楼加装电梯", "9"])
    assert "没有这个选项：请输入 1、2、3、4 中的一个数字" in out and "公报里没有找到" not in out


def test_a_page_of_more_results_is_chosen_by_the_numbers_it_shows(chat):
    """"更多结果" lists results 2 and 3 with buttons "2. …" and "3. …": typing 2 opens result 2, not the second
    button."""
    _, out = chat(["公交线路要新开几条", "1", "2"])
    page = out.split("[1] 更多结果", 1)[1]
    buttons = re.search(r"\[2\. [^]]+\]  \[3\. [^]]+\]\n", page)
    assert buttons
    opened = page[buttons.end():]
    assert "新开或优化调整公交线路8条以上" in opened.split("出处：", 1)[0]


def test_feedback_from_the_chat_is_stored(chat, store):
    _, out = chat(["一键呼谁负责"])
    keyboard = out.strip().splitlines()[-1]
    assert "更多结果" in keyboard
    down = re.search(r"\[(\d)\] 👎", keyboard).group(1)
    chat(["一键呼谁负责", down])
    db = people.connect(people.default_path(store))    # the chat's end wrote what was queued
    assert list(db.query("select vote, question from feedback where passage_id = 127 and user_id = 42")) == [
        {"vote": -1, "question": "一键呼谁负责"}]


def test_choosing_a_candidate_turns_the_question_into_the_answer(chat):
    _, out = chat(["核酸检测", "2"])
    assert "不太确定您问的是哪一项" in out and "[2] 3.3.1区相关部门和气象、生态环境" in out
    after = out.split("（已更新）", 1)[1]
    assert "出处：《通州区突发事件总体应急预案（2022年修订）》3.3.1" in after
    assert "[1] 完整条文" in after


def test_commands_and_hostile_input_in_the_chat(chat):
    _, out = chat(["/due 60", "", "😀😀😀", "<b></b>**__", "<i>zzzz</i>", "字" * 5000, "/stats",
                   "https://www.example.com/some/path?x=1", "🔥🚒"], admins=[])
    assert "今后 60 天内（2022-09-01 起）到期" in out
    assert "我打不开链接" in out and "不太确定" not in out   # a pasted link is no question to guess at
    assert out.count("请用文字提个问题") == 3                 # emoji only; markup only ("" is skipped); 🔥🚒
    assert out.count("如有危险请先拨打 110") == 1             # pictures of a fire: the call first, not for 😀
    assert "Sorry, I found nothing on this in the gazette" in out   # "zzzz": Latin letters get the English reply
    assert "问题有点长（5000 字）" in out
    assert "无权限" in out


def test_end_of_input_ends_the_chat(chat):
    status, out = chat([])
    assert status == 0 and out.startswith("离线对话")


def test_a_file_of_questions_piped_into_the_chat_is_answered_to_the_last(chat):
    """Trial 27: the flood limit meant for residents told the person at the terminal to slow down."""
    status, out = chat(["路灯谁管"] * 5 + ["电梯困人了找谁"], questions_per_minute=3)
    assert status == 0 and "太快" not in out and "处置主责部门：区市场监管局" in out


def test_gazette_bot_chat_command_without_a_token(store, monkeypatch, capsys, no_network):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(store.parent)                          # no config.toml here
    monkeypatch.setattr("sys.stdin", io.StringIO("电梯困人了找谁\n"))
    assert cli.main(["run"]) == 0
    captured = capsys.readouterr()
    assert "starting the offline chat" in captured.err
    assert "处置主责部门：区市场监管局" in captured.out


def test_html_to_text():
    assert html_to_text("<b>a &amp; b</b>\n\n<blockquote>x\ny</blockquote>") == "a & b\n\n│ x\n│ y"


def test_a_follow_up_in_the_offline_chat(chat):
    status, out = chat(["谁负责老楼加装电梯", "那什么时候完成？", "那谁是牵头领导", "/quit"])
    assert status == 0
    assert "完成时限：2022年12月底前（还剩 121 天）" in out and "牵头领导：" in out


def test_an_item_number_alone_is_in_the_document_of_the_answer_before(chat):
    """"8号文第3项", then "那第5项呢": the 5th task of the same document, not the 3rd again."""
    status, out = chat(["8号文第3项", "那第5项呢", "/quit"])
    assert status == 0
    assert "厂通路" in out and "优化城市路网结构" in out


def test_after_the_doc_command_an_item_number_and_its_list_are_that_documents(chat):
    """Staff open a document with /doc, then ask for its tasks and one of them by number (trial 18 #2)."""
    status, out = chat(["/doc 通政办发〔2022〕8号", "有哪些任务", "第24项", "/quit"])
    assert status == 0
    assert "工作方案》（通政办发〔2022〕8号）：共 25 项" in out
    assert "货拉拉" in out and "中小企业公共服务平台" not in out   # not 1号文's item 24


def test_a_document_named_after_an_answer_is_asked_of_itself(engine):
    """"8号文有哪些任务" after another answer names its own document; "一共几项" after a document's card counts it."""
    from knowledge import conversation
    card = engine.ask("通政发〔2022〕2号")
    listed = engine.ask("8号文有哪些任务", context=conversation.remember(card))
    assert "通政办发〔2022〕8号）：共 25 项" in listed["lead"]
    assert engine.ask("一共几项", context=conversation.remember(card))["lead"] == "通政发〔2022〕2号 共 113 项"
    english = engine.ask("how many tasks", context=conversation.remember(card))
    assert english["lang"] == "en" and "113" in english["lead"]


def test_the_next_and_previous_item_follow_the_table(chat):
    """Staff read down a task table: "2号文第35项", then "下一项" is the 36th, "上一项" the 35th again."""
    status, out = chat(["2号文第35项", "下一项", "上一项", "/quit"])
    assert status == 0
    assert re.findall(r"第(\d+)项（通政发〔2022〕2号", out) == ["35", "36", "35"]
    assert "加快打造现代化财富管理集聚区" in out


def test_after_a_list_the_next_item_reads_on_down_the_list(chat):
    """"区住建委有哪些任务" lists 5 of 36; "下一项" shows entries 6-10 of that list, not a search for 下一项."""
    status, out = chat(["区住建委有哪些任务", "下一项", "/quit"])
    assert status == 0
    assert "第 1–5 项，共 36 项" in out and "第 6–10 项，共 36 项" in out and "3.2.5" not in out


def test_after_a_list_the_previous_item_pages_back_and_after_a_picked_entry_the_next_is_the_lists(chat):
    status, out = chat(["区住建委有哪些任务", "下一项", "上一项", "上一项", "第3项", "下一项", "/quit"])
    assert status == 0
    assert out.count("第 1–5 项，共 36 项") == 2 and "这已经是列表的第一页了" in out and "3.2.5" not in out
    picked = out.split("这已经是列表的第一页了")[1]
    assert picked.index("二（九）") < picked.index("第13项（通政发〔2022〕2号")   # entries 3 and 4 of the list


def test_more_after_a_unit_command_pages_through_that_units_list(chat):
    """"更多" after /unit is the next page of that list, not a search for the word; "下一项" after a second /unit
    pages the second unit's list, not the one before."""
    status, out = chat(["/unit 区水务局", "更多", "区住建委有哪些任务", "/unit 通州公路分局", "下一项", "/quit"])
    assert status == 0
    assert "第 6–10 项，共 27 项" in out and "提供更多有益于儿童" not in out
    assert "第 6–10 项，共 14 项" in out and "第 6–10 项，共 36 项" not in out


def test_asking_who_leads_an_item_that_names_no_leader_says_so(chat):
    status, out = chat(["8号文第17项", "那谁牵头？", "/quit"])
    assert status == 0 and "未列牵头领导；主责单位：区交通局" in out


def test_there_is_no_item_before_the_first(chat):
    status, out = chat(["2号文第1项", "上一项", "/quit"])
    assert status == 0 and "没有上一项" in out


def test_after_a_list_an_entry_is_picked_by_its_place_and_more_pages_on(chat):
    """"区民政局负责什么" lists its tasks; "那第2项呢" is the list's second (一键呼), not item 2 of some document;
    "什么时候完成" asks about it; "第3个" picks from the same list; "更多" shows entries 6-10."""
    status, out = chat(["区民政局负责什么", "那第2项呢", "那什么时候完成", "第3个", "更多", "/quit"])
    assert status == 0
    cited = re.findall(r"出处：《[^》]+》(.+?)（通政", out)
    assert cited[:5] == ["三（十二）", "三（十四）", "第44项", "第62项", "第63项"]   # the list, 1-5
    assert cited[5:8] == ["三（十四）", "三（十四）", "第44项"]                    # 2nd, its deadline, 3rd
    assert len(cited) == 8 + 5 and "第74项" in cited[8:]                          # the next page: 6-10


def test_next_page_of_a_leaders_list(chat):
    status, out = chat(["郑皓分管哪些工作", "下一页", "/quit"])
    assert status == 0 and "第 6–10 项，共 25 项" in out


def test_the_terminal_asks_for_words_when_given_none(store, monkeypatch, capsys):
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store))
    monkeypatch.chdir(store.parent)
    assert cli.main(["ask", "？？？！！！"]) == 0
    assert capsys.readouterr().out.startswith("请用文字提个问题")
    assert cli.main(["ask", "--as-of", "2022-09-01", "/due 30"]) == 0   # a chat command is no question
    out = capsys.readouterr().out
    assert out.startswith("/due 是聊天里的命令") and "export --days 30 --as-of 2022-09-01" in out
    assert cli.main(["ask", "/ 谁负责老楼加装电梯"]) == 0                  # a stray slash before a question
    assert "区住房城乡建设委" in capsys.readouterr().out


def test_questions_read_from_stdin_are_answered_each_under_its_question(store, monkeypatch, capsys):
    """`gazette-bot ask -` with several lines: the plain answers can be told apart (trial 18)."""
    monkeypatch.setenv("GAZETTE_BOT_DB", str(store))
    monkeypatch.chdir(store.parent)
    monkeypatch.setattr("sys.stdin", io.StringIO("路灯谁管\n\n  \n电梯困人了找谁\n"))   # blank lines are spacing
    assert cli.main(["ask", "--as-of", "2022-09-01", "-"]) == 0
    parts = capsys.readouterr().out.split("== ")
    assert len(parts) == 3
    assert parts[0] == "" and parts[1].startswith("路灯谁管\n") and parts[2].startswith("电梯困人了找谁\n")
    assert "区市场监管局" in parts[2] and "区市场监管局" not in parts[1]


def test_a_listing_piped_into_a_reader_that_stops_early_ends_quietly(monkeypatch, capsys):
    def closed(*_):   # `gazette-bot units | head`: head has gone
        raise BrokenPipeError
    monkeypatch.setattr("os.dup2", lambda *a: None)           # the test's own stdout stays open
    assert cli._run(argparse.Namespace(func=closed), None) == 141
    assert "Traceback" not in capsys.readouterr().err


def test_a_bare_pick_in_an_english_conversation_is_answered_in_english(chat):
    """"第二个" has no language of its own: after an English question the reply stays English."""
    status, out = chat(["who handles floods?", "第二个", "/quit"])
    assert status == 0
    second = out.split("who handles floods?", 1)[-1].split("Source:", 1)[1]
    assert "Source:" in second and "出处：" not in second


def test_typing_more_after_the_more_button_goes_on_from_the_page_the_button_showed(chat):
    status, out = chat(["/unit 区水务局", "6", "更多", "/quit"])
    assert status == 0
    assert "第 6–10 项，共 27 项" in out and "第 11–15 项，共 27 项" in out


def test_a_mistyped_unit_command_leaves_the_conversation_where_it_was(chat):
    status, out = chat(["谁负责老楼加装电梯", "/unit 不存在的局", "那什么时候完成", "/quit"])
    assert status == 0
    assert out.split("不存在的局", 2)[-1].count("完成时限：2022年12月底前") == 1


def test_more_after_the_due_command_pages_through_its_list(chat):
    status, out = chat(["/due 400", "更多", "/quit"])
    assert status == 0
    assert re.search(r"第 1–5 项，共 (\d+) 项", out) and re.search(r"第 6–10 项，共 \d+ 项", out)


def test_an_item_number_alone_after_a_table_row_is_the_tables_next_row(chat):
    """"处置分工表第13项", then "那第14项呢": row 14 of the table (轨道交通), not the document's item 14."""
    status, out = chat(["处置分工表第13项", "那第14项呢", "/quit"])
    assert status == 0
    assert "轨道交通运营突发事件：由区交通局主责处置" in out and "里没有第14项" not in out


def test_asking_whether_the_last_item_is_overdue_says_its_deadline_and_that_completion_is_not_recorded(chat):
    status, out = chat(["京哈高速拓宽什么时候完成", "逾期了吗", "/quit"])
    assert status == 0
    assert out.count("期限已过") >= 2 and "没有记载是否已经完成" in out


def test_a_question_about_this_after_a_list_asks_which_entry(chat):
    status, out = chat(["区水务局负责什么", "这个什么时候完成", "第1项什么时候完成", "/quit"])
    assert status == 0
    assert "请先说是哪一项" in out and "完成时限：2022年12月底前" in out


def test_when_a_plan_in_the_table_is_due_says_the_gazette_gives_no_deadline(chat):
    status, out = chat(["区级专项应急预案目录第5项", "什么时候完成", "when is it due?", "/quit"])
    assert status == 0
    assert "公报没有写这一项的完成时限：通州区雪天道路交通保障应急预案" in out
    assert "The gazette gives this item no deadline: Drafting department: Transport Bureau" in out


def test_more_in_an_english_conversation_is_answered_in_english(chat):
    status, out = chat(["who handles elevators?", "more", "more", "more", "more", "more", "more", "/quit"])
    assert status == 0
    assert "There are no more results." in out and "没有更多结果了" not in out


@pytest.mark.parametrize("question, said", [("哪些任务逾期了", "期限已过的任务"), ("今天几号", "")])
def test_a_question_of_its_own_after_a_list_is_not_asked_which_entry(chat, question, said):
    status, out = chat(["区水务局负责什么", question, "/quit"])
    assert status == 0 and "请先说是哪一项" not in out and said in out


@pytest.mark.parametrize("lines, said", [
    (["9月到期的任务", "区交通局呢"], ["到期：18 项", "区交通局到期：7 项"]),
    (["9月到期的任务", "更多", "区交通局呢"], ["区交通局到期：7 项"]),                 # after paging on
    (["区交通局9月到期的任务", "区水务局呢"], ["区交通局到期：7 项", "区水务局到期：1 项"]),   # another unit's
    (["/due 30", "区交通局呢"], ["区交通局到期：7 项"]),                             # after the command
])
def test_a_unit_after_a_list_of_what_falls_due_is_that_units_part_of_the_list(chat, lines, said):
    status, out = chat([*lines, "/quit"])
    assert status == 0 and all(s in out for s in said)


def test_a_unit_after_an_english_list_of_what_falls_due_reads_in_english(chat):
    status, out = chat(["what is due in September?", "what about the Transport Bureau?", "/quit"])
    assert status == 0 and "Transport Bureau (区交通局): due 2022-09-01 to 2022-09-30, 7 items" in out


def test_an_english_pick_by_number_takes_that_entry_and_the_column_asked(chat):
    status, out = chat(["What does the Water Authority handle?", "item 2, when is it due?", "/quit"])
    assert status == 0 and "Deadline: by the end of December 2022" in out


def test_an_english_list_paged_on_keeps_its_title_and_ends_in_english(chat):
    status, out = chat(["What does the Water Authority handle?", "more", "more", "more", "more", "more", "more", "/quit"])
    assert status == 0
    assert "Water Affairs Bureau (Water Affairs Bureau" not in out
    assert "There are no more results." in out and "没有更多" not in out


def test_an_item_number_alone_after_a_row_of_the_indicator_table_is_that_tables_row(chat):
    status, out = chat(["主要指标表第3项", "那第4项呢", "/quit"])
    assert status == 0 and out.count("主要指标表 第") >= 2


def test_how_many_after_a_list_is_the_lists_count(chat):
    status, out = chat(["区水务局负责什么", "一共多少项", "/quit"])
    assert status == 0 and out.count("区水务局：共 27 项") >= 2



def test_a_follow_up_after_pressing_a_choice_is_about_the_chosen_one(chat):
    """Choice 3 of "城市森林公园建几个" is 8号文第15项 (区交通局); "谁负责" then asks it of that item, not of choice 1
    (区园林绿化局's parks)."""
    status, out = chat(["城市森林公园建几个", "3", "谁负责", "/quit"])
    assert status == 0
    choices, _, after = out.partition("（已更新）")
    assert "3. 提升地面公交一体化服务水平" in choices
    reply = after.split("[4] 👎", 1)[1]   # what "谁负责" got, after the chosen item and its buttons
    assert reply.strip().startswith("主责单位：区交通局") and "第15项" in reply


def test_an_entry_is_still_picked_from_a_list_after_more_found_nothing_more(chat):
    """Trial 19 #5: "更多" past the end says so and keeps the list: "第1项" is its first entry (京哈高速加宽改造),
    not 2号文's first item."""
    status, out = chat(["逾期任务", "更多", "第1项", "/quit"])
    after = out.split("没有更多结果了", 1)[1]
    assert status == 0 and "京哈高速加宽改造" in after and "地区生产总值" not in after
