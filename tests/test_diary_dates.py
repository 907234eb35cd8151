"""Diary headings, old month abbreviations, dates in file names, and dates completed from the running
date ("In July", "on the 26th"), on texts of our own."""

from __future__ import annotations

import pytest

from gazetteer.dates import date_from_filename, find_dates
from gazetteer.timespan import span

DIARY = """March 3rd, 1916.
We embarked at the quay before dawn and dropped down the river.

Sunday 5th.
Anchored off the sandbank all day. On the 6th we got off at last.

Tuesday 7th.
Marched towards the camp.
"""

LOG = """4 Thursd. 1897 Novr
Left the wharf with the mails.

5 Frid.
Came to at the wood station.

Tuesday 30.
Tied up for the night.

Thursday 2.
Passed the fort at daybreak.
"""


def dated(text: str, **kw) -> list[tuple[str, str | None, str | None]]:
    return [(d.text, d.edtf, d.basis) for d in find_dates(text, **kw)]


def test_a_diary_heading_sets_the_running_date_and_weekday_headings_carry_its_month_and_year():
    assert dated(DIARY) == [
        ("March 3rd, 1916", "1916-03-03", "heading"),
        ("Sunday 5th", "1916-03-05", "heading"),
        ("the 6th", "1916-03-06", "running"),
        ("Tuesday 7th", "1916-03-07", "heading"),
    ]


def test_a_log_heading_in_odd_order_with_abbreviated_weekday_and_month_then_across_a_month_end():
    assert dated(LOG) == [
        ("4 Thursd. 1897 Novr", "1897-11-04", "heading"),
        ("5 Frid.", "1897-11-05", "heading"),
        ("Tuesday 30", "1897-11-30", "heading"),
        ("Thursday 2", "1897-12-02", "heading"),  # the 2nd after the 30th: the next month
    ]


def test_a_weekday_alone_on_a_line_is_the_next_such_day():
    text = "March 3rd, 1916.\nEmbarked.\n\nSunday.\nAnchored.\n\nFriday\nLanded. On Friday we rested.\n"
    assert dated(text) == [
        ("March 3rd, 1916", "1916-03-03", "heading"),
        ("Sunday", "1916-03-05", "heading"),
        ("Friday", "1916-03-10", "heading"),
        ("Friday", "1916-03-17", "running"),  # "On Friday" after a Friday: the next one
    ]


def test_today_yesterday_and_weekdays_count_from_the_entry():
    text = (
        "March 3rd, 1916.\nEmbarked today. Yesterday we marched. Tomorrow we sail. On Tuesday we reached "
        "the camp; last Friday we had left the coast. On the 10th we rested. Next Sunday we move."
    )
    assert dated(text)[1:] == [
        ("today", "1916-03-03", "running"),
        ("Yesterday", "1916-03-02", "running"),
        ("Tomorrow", "1916-03-04", "running"),  # none of the three moves the running date
        ("Tuesday", "1916-03-07", "running"),
        ("last Friday", "1916-03-03", "running"),
        ("the 10th", "1916-03-10", "running"),
        ("Next Sunday", "1916-03-12", "running"),
    ]


def test_an_ordinal_starting_a_line_is_a_heading_but_a_list_number_is_not():
    text = "In March 1916 we went up.\n10th. Left camp.\n11th.—Marched on.\n4. Camels lost.\n"
    assert dated(text) == [
        ("March 1916", "1916-03", "sentence"),
        ("10th", "1916-03-10", "heading"),
        ("11th", "1916-03-11", "heading"),
    ]


def test_inst_ult_and_prox_name_the_running_month_the_one_before_and_the_one_after():
    text = "Basra, 5 June 1916. Yours of the 28th ult. came; we sail on the 9th inst. and land the 2nd prox."
    assert dated(text)[1:] == [
        ("the 28th ult.", "1916-05-28", "running"),
        ("the 9th inst.", "1916-06-09", "running"),
        ("the 2nd prox.", "1916-07-02", "running"),
    ]


def test_a_heading_may_start_with_the_place_it_was_written_at():
    text = (
        "Camp near the wells, Tuesday 7th March 1916.\nDear Mother, we left on the 9th.\n"
        "However, March 3 was cold."
    )
    assert dated(text) == [
        ("Tuesday 7th March 1916", "1916-03-07", "heading"),
        ("the 9th", "1916-03-09", "running"),
        ("March 3", "1916-03-03", "running"),
    ]


def test_a_heading_in_capitals():
    text = "MARCH 3RD, 1916.\nEmbarked.\n\nSUNDAY 5TH.\nAnchored.\n"
    assert dated(text) == [
        ("MARCH 3RD, 1916", "1916-03-03", "heading"),
        ("SUNDAY 5TH", "1916-03-05", "heading"),
    ]


def test_heading_offsets_point_into_the_text_as_given():
    for text in (DIARY, LOG, DIARY.replace("\n", "\r\n")):
        for d in find_dates(text):
            assert text[d.start : d.end] == d.text


def test_a_weekday_picks_the_month_it_fits():
    text = "March 3rd, 1916.\nLeft.\n\nSunday 30.\nArrived.\n"  # 30 March 1916 was a Thursday
    assert dated(text)[1] == ("Sunday 30", "1916-04-30", "heading")


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("We sailed on Jany 4, 1898.", "Jany 4, 1898", "1898-01-04"),
        ("We sailed on Feby. 4, 1898.", "Feby. 4, 1898", "1898-02-04"),
        ("We sailed on 4 Mch 1898.", "4 Mch 1898", "1898-03-04"),
        ("We sailed on 4th Apl. 1898.", "4th Apl. 1898", "1898-04-04"),
        ("We sailed in Augt 1898.", "Augt 1898", "1898-08"),
        ("We sailed in Sepr 1898.", "Sepr 1898", "1898-09"),
        ("We sailed on Septr 14 1898.", "Septr 14 1898", "1898-09-14"),
        ("We sailed on Octr. 1st, 1898.", "Octr. 1st, 1898", "1898-10-01"),
        ("We sailed in Octor 1898.", "Octor 1898", "1898-10"),
        ("We sailed on 12 Novr 1898.", "12 Novr 1898", "1898-11-12"),
        ("We sailed on Decr 25, 1898.", "Decr 25, 1898", "1898-12-25"),
    ],
)  # fmt: skip
def test_old_month_abbreviations(text: str, phrase: str, edtf: str):
    (d,) = find_dates(text)
    assert (d.text, d.edtf, d.basis) == (phrase, edtf, "sentence")


def test_an_old_abbreviation_without_a_year_takes_the_running_year():
    text = "In November 1897 the river fell. On Decr 3rd we grounded; Jany 2 we floated off."
    assert dated(text)[1:] == [("Decr 3rd", "1897-12-03", "running"), ("Jany 2", "1898-01-02", "running")]


@pytest.mark.parametrize(
    "text",
    [
        "May I ask where the boat lies?",
        "Mar Elias is a monastery on the hill.",
        "We may go up the river.",
        "Tell Jan and Dec to wait.",
        "The 3rd Division crossed at dawn.",
        "He lived on the 3rd floor.",
        "Sunday 5 men were sick.",
        "1. We left.\n4. We came back.",
        "We march at dawn.",
        "Augustus and June Smith came aboard.",
    ],
)
def test_words_and_names_that_are_not_dates(text: str):
    """ "the 3rd Division", "the 3rd floor": a bare ordinal is a day only before a stop, a line end or a
    function word; month names without a year must be capitalised and stand where a date can."""
    assert dated(text, document_date="1916-03-01") == []


def test_month_only_takes_the_running_year_and_the_next_year_when_it_is_earlier():
    text = (
        "We reached the coast on 20 October 1915. In December we went up the river. "
        "In March we were at the front, and in early August we crossed the hills."
    )
    assert dated(text) == [
        ("20 October 1915", "1915-10-20", "sentence"),
        ("December", "1915-12", "running"),
        ("March", "1916-03", "running"),  # earlier than December: the next year
        ("early August", "1916-08-01/1916-08-10", "running"),
    ]


def test_early_in_a_month_is_its_first_ten_days():
    assert dated("In 1916 we waited. Early in July we left; late in July we came back.")[1:] == [
        ("Early in July", "1916-07-01/1916-07-10", "running"),
        ("late in July", "1916-07-21/1916-07-31", "running"),
    ]


def test_day_only_anchors_to_the_running_date_across_a_month_boundary():
    text = "On the 28th of March 1916 we embarked. On the 30th we sailed. The 2nd, we landed."
    assert dated(text) == [
        ("28th of March 1916", "1916-03-28", "sentence"),
        ("the 30th", "1916-03-30", "running"),
        ("The 2nd", "1916-04-02", "running"),
    ]


def test_day_only_in_a_month_only_running_date():
    text = "In July 1916 the heat was great. On the 26th we marched."
    assert dated(text)[-1] == ("the 26th", "1916-07-26", "running")


def test_incomplete_dates_with_nothing_before_them_use_the_document_date_then_the_file_name():
    assert dated("In July we marched.", document_date="1916") == [("July", "1916-07", "document")]
    assert dated("On the 26th we marched.", file_name="diary_1916_07_20.txt") == [
        ("the 26th", "1916-07-26", "filename")
    ]
    assert dated("On the 26th we marched.") == [("the 26th", None, None)]


def test_a_day_cannot_be_placed_in_a_year():
    assert dated("In 1916 we went north. On the 3rd we came back.")[1] == ("the 3rd", None, None)


@pytest.mark.parametrize(
    ("name", "edtf"),
    [
        ("12_1897_Novr_15_Mon.txt", "1897-11-15"),
        ("1916-03-09.txt", "1916-03-09"),
        ("diary_1916_03_09.txt", "1916-03-09"),
        ("19160309.txt", "1916-03-09"),
        ("letters/1916_March.md", "1916-03"),
        ("1897 Novr 4 Thursd.txt", "1897-11-04"),
        ("log-1898.txt", "1898"),
        ("notes.txt", None),
        ("page_12.txt", None),
        ("1916-02-30.txt", "1916-02"),
    ],
)
def test_dates_in_file_names(name: str, edtf: str | None):
    value = date_from_filename(name)
    assert (value.edtf if value else None) == edtf


def test_every_form_gets_the_edtf_librarys_bounds_from_the_one_time_module():
    """Every value dates.py makes is one the library parses, with the bounds dates.py gave it."""
    text = (
        DIARY
        + LOG
        + (
            "In July we crossed. In early August we camped. "
            "In November 1897 we left; on Decr 3rd we grounded. "
            "About July 1942 it ended. In the summer of 1942 and around mid-July 1942, from 1929 to 1930, "
            "the 1930s, the first half of the 1940s, the end of 1943, later, the following day, "
            "the winter of 1942, in 1948."
        )
    )
    values = [d for d in find_dates(text) if d.edtf]
    assert len(values) >= 20
    for d in values:
        s = span(d.edtf)
        assert (s.start, s.end) == (d.lower, d.upper), d.text
