"""Short names a document defines, read for the long name residents say."""
from knowledge.abbreviations import as_short_names, defined_short_names

DEFINING = "在区委、区政府统一领导下，通州区突发事件应急委员会（以下简称区应急委）统筹负责。" \
           "区应急委下设办公室，办公室设在区应急管理局（以下简称区应急办），承担区应急委的日常工作。"


def test_the_long_name_and_its_ends_are_read_as_the_short_name():
    table = defined_short_names([DEFINING])
    assert as_short_names("区里应急委员会的主任是谁", table) == ("区里区应急委的主任是谁", ["应急委员会 → 区应急委"])
    assert as_short_names("通州区突发事件应急委员会副主任", table)[0] == "区应急委副主任"


def test_a_clause_that_only_says_where_an_office_sits_defines_nothing():
    """区应急办 is not 办公室设在区应急管理局 shortened: its characters do not stand in it in order."""
    table = defined_short_names([DEFINING])
    assert set(table.values()) == {"区应急委"}
    assert as_short_names("区应急管理局在哪", table) == ("区应急管理局在哪", [])


def test_too_short_an_end_names_nothing():
    assert "委员会" not in defined_short_names([DEFINING])


def test_who_heads_the_committee_asked_by_its_long_name(engine):
    result = engine.ask("应急委员会的主任由谁担任？")
    assert result["answers"] and result["answers"][0]["passage"].startswith("主任由区长担任")
    assert "简称：应急委员会 → 区应急委" in result["matched"]
