import datetime as dt

import pytest

from knowledge.deadlines import describe_days, parse_deadline


@pytest.mark.parametrize("text, iso", [
    ("2022年12月底前", "2022-12-31"),
    ("2022 年 12 月底", "2022-12-31"),
    ("2023年12月", "2023-12-31"),
    ("2024 年 6 月", "2024-06-30"),
    ("2022年9月", "2022-09-30"),
    ("2022年2月", "2022-02-28"),
    ("２０２２年６月", "2022-06-30"),
    ("长期坚持", None),
    ("", None),
])
def test_deadline_wording_becomes_last_day_of_month(text, iso):
    assert parse_deadline(text) == iso


def test_days_left_and_overdue():
    assert describe_days("2022-12-31", dt.date(2022, 12, 1)) == "还剩 30 天"
    assert describe_days("2022-12-31", dt.date(2023, 1, 2)) == "期限已过 2 天"
    assert describe_days("2022-12-31", dt.date(2022, 12, 31)) == "今天到期"


def test_a_long_passed_deadline_is_told_in_months_or_years_not_days():
    assert describe_days("2022-12-31", dt.date(2023, 6, 1)) == "期限已过约 5 个月"
    assert describe_days("2022-12-31", dt.date(2026, 11, 30)) == "期限已过约 4 年"
    assert describe_days("2024-12-31", dt.date(2026, 11, 30)) == "期限已过约 2 年"   # not "约 23 个月" beside it


def test_a_single_answer_says_when_the_ledgers_earlier_month_has_passed(engine):
    """Trial 21 #15: 8号文第24项 is due 2022年9月 in the text and 2022年6月 in the attached 台账; on 2022-09-01 a
    single answer said only "还剩 29 天", hiding what the overdue list says."""
    result = engine.ask("副中心交通便民查询系统什么时候完成")
    assert "附件台账期限已过 63 天；正文还剩 29 天" in result["lead"]
    from knowledge.deadlines import days_told
    import datetime as dt
    assert days_told("2022-12-31", "2022年12月底", dt.date(2022, 9, 1)) == "还剩 121 天"
