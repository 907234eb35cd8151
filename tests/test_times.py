"""Clock times order the events of one day; numbers and dates are not times."""

from __future__ import annotations

import pytest

from gazetteer.dates import find_dates
from gazetteer.times import find_times

PURSER = (
    "Novr 15. At 7 AM proceeded from the wharf with the mails; at 10,,25 passed the old fort and "
    "at noon tied up for wood. Steamed on at 1.30 p.m., came to at the bend at 6.45 PM and "
    "anchored off the island at midnight."
)


def times(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.time) for t in find_times(text)]


def test_a_purser_s_day_is_ordered_by_its_clock_times():
    found = times(PURSER)
    assert found == [
        ("7 AM", "07:00"),
        ("10,,25", "10:25"),
        ("noon", "12:00"),
        ("1.30 p.m.", "13:30"),
        ("6.45 PM", "18:45"),
        ("midnight", "24:00"),
    ]
    assert [t for _, t in found] == sorted(t for _, t in found)


@pytest.mark.parametrize(
    ("text", "phrase", "time"),
    [
        ("We left at 7 a.m. sharp.", "7 a.m.", "07:00"),
        ("We left at 7.30 p.m.", "7.30 p.m.", "19:30"),
        ("We left at 7:30pm.", "7:30pm", "19:30"),
        ("We left at 10:25 and rode on.", "10:25", "10:25"),
        ("We left at 10.25 and rode on.", "10.25", "10:25"),
        ("We left at 10,25 and rode on.", "10,25", "10:25"),
        ("Reveille at 0630 hrs.", "0630 hrs", "06:30"),
        ("Moved off 1415 hours.", "1415 hours", "14:15"),
        ("We camped at 7 in the evening.", "7 in the evening", "19:00"),
        ("We woke at 2 in the night.", "2 in the night", "02:00"),
        ("We started at 9 o'clock in the morning.", "9 o'clock in the morning", "09:00"),
        ("We halted at midday.", "midday", "12:00"),
    ],
)
def test_clock_time_forms(text: str, phrase: str, time: str):
    assert times(text) == [(phrase, time)]


def test_offsets_point_into_the_text():
    for t in find_times(PURSER):
        assert PURSER[t.start : t.end] == t.text


@pytest.mark.parametrize(
    "text",
    [
        "We steamed at 10 miles an hour.",
        "She made 10.25 knots against the stream.",
        "At 7 we were 30 miles out.",
        "The 3rd Division lost 1,25 men.",
        "In the afternoon we read; page 10.25 of the log.",
        "At 25.10 the gauge read high.",
        "We met on 10.12.1916 at the fort.",
    ],
)
def test_numbers_that_are_not_times(text: str):
    assert times(text) == []


def test_a_military_time_is_not_a_year():
    text = "On 3 March 1916 at 1916 hrs we moved."
    assert times(text) == [("1916 hrs", "19:16")]
    assert [d.text for d in find_dates(text)] == ["3 March 1916"]
