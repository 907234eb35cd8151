"""Date expressions become EDTF values with a precision; relative ones are anchored."""

from __future__ import annotations

import pytest
from edtf import parse_edtf

from gazetteer.dates import find_dates
from gazetteer.geoparser import parse
from gazetteer.text import clean, layout


def one(text: str, **kw):
    found = find_dates(text, **kw)
    assert len(found) == 1, [(d.text, d.edtf) for d in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "precision"),
    [
        ("He was elected in 1948.", "1948", "1948", "year"),
        ("They met in July 1942.", "July 1942", "1942-07", "month"),
        ("War came in December 1941.", "December 1941", "1941-12", "month"),
        ("It was formed in the summer of 1942.", "the summer of 1942", "1942-22", "season"),
        ("We talked in the spring of 1942.", "the spring of 1942", "1942-21", "season"),
        ("Snow fell in winter 1942.", "winter 1942", "1942-24", "season"),
        ("An exercise around mid-November 1942.", "around mid-November 1942", "1942-11-11~/1942-11-20~",
         "part-of-month"),
        ("Held in mid-July 1942.", "mid-July 1942", "1942-07-11/1942-07-20", "part-of-month"),
        ("By late July 1942 it was over.", "late July 1942", "1942-07-21/1942-07-31", "part-of-month"),
        ("Transferred at the beginning of 1943.", "the beginning of 1943", "1943-01/1943-03", "part-of-year"),
        ("Back by the end of 1943.", "the end of 1943", "1943-10/1943-12", "part-of-year"),
        ("Active in the 1930s.", "the 1930s", "193X", "decade"),
        ("Active in the first half of the 1940s.", "the first half of the 1940s", "1940/1944",
         "part-of-decade"),
        ("Active in the early 1930s.", "the early 1930s", "1930/1933", "part-of-decade"),
        ("Jailed from 1929 to 1930.", "from 1929 to 1930", "1929/1930", "range"),
        ("Posted from July 1942 to May 1943.", "from July 1942 to May 1943", "1942-07/1943-05", "range"),
        ("Copyright 2000-2022.", "2000-2022", "2000/2022", "range"),
        ("On July 22, 1942 I met him.", "July 22, 1942", "1942-07-22", "day"),
        ("On 22 July 1942 I met him.", "22 July 1942", "1942-07-22", "day"),
        ("A report of Showa 19 (1944).", "Showa 19 (1944)", "1944", "year"),
        ("A report of Showa 19.", "Showa 19", "1944", "year"),
        ("A file of Showa 20 (1945).", "Showa 20 (1945)", "1945", "year"),
        ("Sent February 21, Showa 19 (1944).", "February 21, Showa 19 (1944)", "1944-02-21", "day"),
        ("Born around 1912.", "around 1912", "1912~", "year"),
    ],
)  # fmt: skip
def test_absolute_date_forms(text: str, phrase: str, edtf: str, precision: str):
    d = one(text)
    assert (d.text, d.edtf, d.precision, d.kind) == (phrase, edtf, precision, "absolute")
    assert text[d.start : d.end] == phrase
    parse_edtf(d.edtf)  # the edtf library accepts every value we produce


@pytest.mark.parametrize(
    "text",
    [
        "He admitted about 300 people.",
        "Infantry Special Brigade 8461 was its cover name.",
        "Phone: +84369132468 - Tax code: 0108747679",
        "A war would come sooner or later.",
        "p. 79 of the report",
        "The year 2150 is far away.",
    ],
)
def test_numbers_and_phrases_that_are_not_dates(text: str):
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("We met on July 22, 1942. On the following day we left.", "the following day", "1942-07-23"),
        ("We met on July 22, 1942. That day it rained.", "That day", "1942-07-22"),
        ("We met on July 22, 1942. The same day he left.", "The same day", "1942-07-22"),
        ("He left at the beginning of 1943. In the summer of that year he died.", "the summer of that year",
         "1943-22"),
        ("It was 1942. The next year was harder.", "The next year", "1943"),
        ("In May 1943 it ended. Two years later he returned.", "Two years later", "1945"),
        ("In May 1943 it ended. Later we moved.", "Later", "1943-05/.."),
        ("In May 1943 it ended. In those days we trained.", "In those days", "1943-05"),
    ],
)  # fmt: skip
def test_relative_dates_anchor_to_the_nearest_date_before_them(text: str, phrase: str, edtf: str):
    found = find_dates(text)
    rel = next(d for d in found if d.text == phrase)
    assert rel.kind == "relative"
    assert rel.edtf == edtf
    assert rel.anchor_source == "preceding"


def test_relative_date_without_a_date_before_uses_the_document_date():
    d = one("Last summer we went north.", document_date="1944-02-21")
    assert (d.edtf, d.anchor, d.anchor_source) == ("1943-22", "1944-02-21", "document")
    d = one("Towards the end of last year we came back.", document_date="1944-02-21")
    assert d.edtf == "1943-10/1943-12"


def test_relative_date_with_nothing_to_anchor_has_no_value():
    d = one("Last summer we went north.")
    assert d.edtf is None and d.kind == "relative"


def test_quoted_report_dates_its_last_summer_by_its_citation(memoir_text: str):
    """The police report (February 21, Showa 19) says "last summer": summer 1943, not 1942."""
    ct = clean(memoir_text)
    dates = find_dates(ct.text, structure=layout(ct.text, memoir_text, ct))
    last_summer = next(d for d in dates if d.text == "last summer")
    assert last_summer.in_quotation
    assert (last_summer.edtf, last_summer.anchor, last_summer.anchor_source) == (
        "1943-22",
        "1944-02-21",
        "citation",
    )
    end_of_last_year = next(d for d in dates if d.text.lower() == "towards the end of last year")
    assert end_of_last_year.edtf == "1943-10/1943-12"
    cited = next(d for d in dates if d.text == "February 21, Showa 19 (1944)")
    assert (cited.edtf, cited.role) == ("1944-02-21", "citation")


def test_memoir_dates_are_found_with_their_values(memoir_text: str):
    result = parse(memoir_text)
    got = {(d.text, d.edtf) for d in result.dates}
    for expected in [
        ("the first half of the 1940s", "1940/1944"),
        ("the summer of 1942", "1942-22"),
        ("July 1942", "1942-07"),
        ("April 1941", "1941-04"),
        ("the spring of 1942", "1942-21"),
        ("Around mid-July 1942", "1942-07-11~/1942-07-20~"),
        ("July 22, 1942", "1942-07-22"),
        ("the beginning of 1943", "1943-01/1943-03"),
        ("the summer of that year", "1943-22"),
        ("Around mid-November 1942", "1942-11-11~/1942-11-20~"),
        ("May 1943", "1943-05"),
        ("Showa 20 (1945)", "1945"),
    ]:
        assert expected in got
    # "sooner or later" is never a date
    assert not any(
        d.text.lower() == "later" and memoir_text[d.start - 9 : d.start] == "sooner\\or" for d in result.dates
    )


def test_date_offsets_are_exact_on_the_dirty_memoir(memoir_text: str, article_text: str):
    for text in (memoir_text, article_text):
        result = parse(text)
        assert result.dates
        for d in result.dates:
            assert text[d.start : d.end] == d.text
            if d.edtf:
                parse_edtf(d.edtf)


def test_a_weekday_told_in_the_past_is_the_one_on_or_before_its_anchor():
    """A letter dated Thursday 16 April 1903: "we arrived on Tuesday" is the 14th; "we leave on
    Tuesday" and "we proceed on Tuesday" the 21st."""
    from gazetteer.dates import find_dates

    def tuesday(text: str) -> str:
        (found,) = find_dates(text, document_date="1903-04-16")
        return found.edtf

    assert tuesday("We arrived here on Tuesday after a long journey.") == "1903-04-14"
    assert tuesday("We leave on Tuesday for the hills.") == "1903-04-21"
    assert tuesday("We proceed on Tuesday to the hills.") == "1903-04-21"
