"""EDTF spans and the time window, on partial and uncertain dates."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from gazetteer.timespan import _single
from mapapp.models import Event
from mapapp.timespan import (
    EDTFError,
    check_edtf,
    corpus_range,
    edtf_span,
    in_window,
    month_steps,
    span,
    undated,
)


def ev(eid: str, edtf: str) -> Event:
    return Event(id=eid, actors=("A",), kind="stay", place_id="itinera:khabarovsk", edtf=edtf, source_id="s")


def test_summer_1942_spans_june_to_august():
    assert edtf_span("1942-22") == (date(1942, 6, 1), date(1942, 8, 31))
    assert span("1942-22").precision == "season"


def test_spring_is_march_to_may_in_the_northern_hemisphere():
    assert edtf_span("1942-21") == (date(1942, 3, 1), date(1942, 5, 31))


def test_winter_wraps_into_february_of_the_next_year():
    # edtf 5.0.2 alone gives December only
    assert edtf_span("1942-24") == (date(1942, 12, 1), date(1943, 2, 28))


def test_approximate_month_is_strict_by_default_and_one_month_wider_when_fuzzy():
    assert edtf_span("1943-11~") == (date(1943, 11, 1), date(1943, 11, 30))
    assert edtf_span("1943-11~", fuzzy=True) == (date(1943, 10, 1), date(1943, 12, 31))
    assert span("1943-11~").qualified


def test_uncertain_year_widens_by_a_year_when_fuzzy():
    assert edtf_span("1944?") == (date(1944, 1, 1), date(1944, 12, 31))
    assert edtf_span("1944?", fuzzy=True) == (date(1943, 1, 1), date(1945, 12, 31))


def test_decade_and_interval_and_day():
    assert edtf_span("193X") == (date(1930, 1, 1), date(1939, 12, 31))
    assert edtf_span("1929/1930") == (date(1929, 1, 1), date(1930, 12, 31))
    assert edtf_span("1942-07-22") == (date(1942, 7, 22), date(1942, 7, 22))


def test_open_intervals_are_unbounded_on_their_open_side():
    start, end = edtf_span("1942/..")
    assert start == date(1942, 1, 1) and end == date.max
    start, end = edtf_span("../1929")
    assert start == date.min and end == date(1929, 12, 31)


@pytest.mark.parametrize("bad", ["1942-13", "1942-02-30", "1930s", "1943/1942", "July 1942"])
def test_impossible_dates_are_refused_with_a_message(bad):
    message = check_edtf(bad)
    assert message and bad in message
    with pytest.raises(EDTFError):
        edtf_span(bad)


def test_a_decade_written_in_words_gets_a_hint():
    assert "193X" in check_edtf("1930s")


def test_empty_date_is_undated_not_an_error():
    assert edtf_span("") is None
    assert check_edtf("") is None


def test_window_keeps_events_whose_span_overlaps_it():
    events = [
        ev("summer", "1942-22"),
        ev("thirties", "193X"),
        ev("detention", "1929/1930"),
        ev("day", "1942-07-22"),
        ev("undated", ""),
        ev("later", "1944?"),
    ]
    july_1942 = in_window(events, date(1942, 7, 1), date(1942, 7, 31))
    assert [e.id for e in july_1942] == ["summer", "day"]
    assert [e.id for e in in_window(events, date(1935, 1, 1), date(1935, 12, 31))] == ["thirties"]
    assert [e.id for e in in_window(events, date(1930, 6, 1), date(1930, 6, 30))] == ["thirties", "detention"]
    assert [e.id for e in in_window(events, date(1942, 9, 1), date(1942, 12, 31))] == []
    assert [e.id for e in undated(events)] == ["undated"]


def test_window_ends_may_be_edtf_strings():
    events = [ev("summer", "1942-22"), ev("autumn", "1942-23")]
    assert [e.id for e in in_window(events, "1942-08", "1942-08")] == ["summer"]
    assert [e.id for e in in_window(events, "1942", None)] == ["summer", "autumn"]


def test_fuzzy_window_reaches_the_neighbouring_month():
    events = [ev("mid-november", "1942-11~")]
    assert in_window(events, date(1942, 12, 1), date(1942, 12, 31)) == []
    assert in_window(events, date(1942, 12, 1), date(1942, 12, 31), fuzzy=True) == events


def test_open_interval_event_shows_in_early_windows_but_does_not_stretch_the_range():
    events = [ev("childhood", "../1929"), ev("detention", "1929/1930")]
    assert [e.id for e in in_window(events, date(1925, 1, 1), date(1925, 12, 31))] == ["childhood"]
    assert corpus_range(events) == (date(1929, 1, 1), date(1930, 12, 31))


def test_month_steps_cover_both_ends():
    steps = month_steps(date(1942, 7, 22), date(1943, 2, 3))
    assert steps[0] == date(1942, 7, 1) and steps[-1] == date(1943, 2, 1)
    assert len(steps) == 8


def test_an_open_interval_ending_in_a_decade_parses_quietly(capsys):
    # edtf 5.0.2 prints a debugging line when it parses "../193X" whole; we parse each end alone
    _single.cache_clear()
    assert edtf_span("../193X") == (date.min, date(1939, 12, 31))
    assert capsys.readouterr().out == ""


def test_an_interval_with_no_known_end_is_refused():
    assert "known end" in check_edtf("../..")


# --- the one module against the edtf library ---------------------------------------------------------


def _library_bounds(text: str):
    """The library's strict bounds of ``text``, or the exception it refuses it with."""
    from edtf import parse_edtf, struct_time_to_date

    try:
        obj = parse_edtf(text)
        return struct_time_to_date(obj.lower_strict()), struct_time_to_date(obj.upper_strict())
    except Exception as exc:  # the library refuses with assorted errors (ValueError for 1900-02-29)
        return exc


def _candidates() -> list[str]:
    """Years, months, days and seasons, possible and impossible, with their edge cases, and qualified
    and unspecified dates."""
    years = ["0001", "0999", "1000", "1582", "1900", "1942", "1944", "2000", "2100", "9999"]
    out = [*years, "0000"]
    out += [f"1942-{m:02d}" for m in range(0, 14)] + ["1900-02", "1944-02", "2000-02", "9999-12", "0001-01"]
    out += [f"1942-{s}" for s in range(19, 44)] + ["1944-24", "1900-21", "0001-24"]
    out += [f"1942-{m:02d}-{d:02d}" for m in (1, 2, 4, 6, 12) for d in (0, 1, 28, 29, 30, 31, 32)]
    for y in ("1900", "1944", "2000", "2100"):  # century, leap, 400-year leap, century
        out += [f"{y}-02-{d:02d}" for d in (28, 29, 30)] + [f"{y}-04-31"]
    out += ["1942-13-01", "1942-00-10", "1942-21-01", "9999-12-31", "0001-01-01"]
    out += ["1943-11~", "1944?", "1945%", "1942-07-22~", "1942-21?", "193X", "1942-XX", "19XX", "-1942"]
    out += ["Y19420", "1942-7", "1942-07-1", "19420", "42", "١٩٤٢", "1942-07-15T10:00", "July 1942"]
    return out


def test_every_date_has_the_librarys_strict_bounds_or_its_refusal():
    from gazetteer.timespan import _WRAPPING_SEASONS

    refused = set()
    for text in _candidates():
        library = _library_bounds(text)
        if isinstance(library, Exception):
            refused.add(text)
            with pytest.raises(EDTFError, match=repr(text).replace("?", r"\?")):
                span(text)
        elif text[-2:].isdigit() and len(text) == 7 and int(text[5:]) in _WRAPPING_SEASONS:
            assert span(text).start == library[0] and span(text).end.month == 2, text  # winters we stretch
        else:
            assert (span(text).start, span(text).end) == library, text
    assert {"1942-13", "1942-00", "1942-02-30", "1900-02-29", "1942-04-31", "1942-42", "0000"} <= refused


def test_mapapp_reads_dates_through_the_one_gazetteer_module():
    import gazetteer.timespan
    import mapapp.timespan

    assert mapapp.timespan.span is gazetteer.timespan.span
    assert mapapp.timespan.EDTFError is gazetteer.timespan.EDTFError


def test_the_geocoder_reads_years_through_the_one_module():
    from gazetteer.geocoder import year_span

    for value in ("1942", "1942-07~", "194X", "1925/1961", "1942-24", "../1929", "1945/.."):
        s = span(value)
        lo = float("-inf") if s.open_start else s.start.year
        hi = float("inf") if s.open_end else s.end.year
        assert year_span(value) == (lo, hi), value
    assert year_span("1942-24") == (1942, 1943)  # a winter runs into the next year
    assert year_span("1942-13") is None and year_span("soon") is None


def test_a_date_the_library_parses_keeps_none_of_its_callers_objects_alive():
    # pyparsing's packrat cache holds the last parse's failures, whose tracebacks' frames link back to
    # every caller and its locals: a 100,000-event export's features stayed in memory after it returned
    import gc
    import weakref

    class Big:
        pass

    def caller(value: str) -> weakref.ref:
        big = Big()
        _single.cache_clear()
        with contextlib.suppress(EDTFError):
            edtf_span(value)
        return weakref.ref(big)

    for value in ("1943-11~", "1942-13", "1942-07-22"):
        ref = caller(value)
        gc.collect()
        assert ref() is None, value
