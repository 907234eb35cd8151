"""Itineraries from the movements of our own texts: route segments, bases, contested claims and the
order of one day's events by their clock times."""

from __future__ import annotations

import pytest
from movement_gold import NAMES, gold, marked, movements

from gazetteer.geoparse.itinerary import itineraries, time_order


@pytest.fixture(scope="module")
def extracted():
    out = {}
    for name in NAMES:
        g = gold(name)
        events = movements(g, marked(g))
        out[name] = (events, itineraries(events))
    return out


def _legs(events, it):
    return [
        (s.origin.text if s.origin else None, [v.text for v in s.via], s.destination.text)
        for s in it.segments
    ]


@pytest.mark.parametrize("name", NAMES)
def test_bases_are_the_gold_bases(extracted, name):
    _, its = extracted[name]
    got = {(actor, b.place.text) for actor, it in its.items() for b in it.bases}
    assert got == {(b["actor"], b["place"]) for b in gold(name).bases}


@pytest.mark.parametrize("name", NAMES)
def test_contested_places_are_the_gold_ones(extracted, name):
    events, its = extracted[name]
    got = {(actor, events[i].text) for actor, it in its.items() for i, _ in it.contested}
    assert got == {(c["actor"], c["place"]) for c in gold(name).contested}


def test_a_diary_becomes_a_route_from_place_to_place(extracted):
    events, its = extracted["diary"]
    legs = _legs(events, its["Harry Dawson"])
    assert legs[:3] == [("Cairo", [], "Ismailia"), ("Ismailia", [], "Kantara"), ("Kantara", [], "Romani")]
    assert legs[-1] == ("Khan Yunis", ["Kantara"], "Cairo")


def test_to_rome_by_way_of_geneva_passes_geneva_on_the_way(extracted):
    events, its = extracted["biography"]
    assert ("Paris", ["Geneva"], "Rome") in _legs(events, its["Margaret Elphinstone"])


def test_left_for_a_place_is_not_arriving_there(extracted):
    events, its = extracted["purser_log"]
    legs = _legs(events, its["the narrator"])
    assert legs[-1] == ("Luxor", ["Esna"], "Edfu")
    assert all(dest != "Aswan" for _, _, dest in legs)


def test_denied_and_reported_journeys_stay_out_of_the_route_but_are_contested(extracted):
    events, its = extracted["memoir"]
    narrator = its["the narrator"]
    assert all("Yanan" not in (o, d, *v) for o, v, d in _legs(events, narrator))
    [(i, j)] = narrator.contested
    assert {events[i].modality, events[j].modality} == {"reported", "negated"}


def test_a_long_stay_is_a_base_with_its_days(extracted):
    _events, its = extracted["memoir"]
    hankow = next(b for b in its["the narrator"].bases if b.place.text == "Hankow")
    assert hankow.days >= 90 and hankow.visits == 1


def test_a_place_come_back_to_is_a_base(extracted):
    _events, its = extracted["biography"]
    edinburgh = next(b for b in its["Margaret Elphinstone"].bases if b.place.text == "Edinburgh")
    assert edinburgh.visits == 2


def test_end_of_day_is_the_last_place_reached_that_day(extracted):
    events, its = extracted["purser_log"]
    eod = its["the narrator"].end_of_day(events)
    assert eod["1898-01-12"].text == "Beni Suef"
    assert eod["1898-01-17"].text == "Girga"


def test_the_events_of_one_day_follow_their_clock_times():
    g = gold("purser_log")
    events = movements(g, marked(g))
    by_place = {(ev.text, ev.role): ev for ev in events}
    assert by_place[("Cairo", "origin")].time == "06:30"
    assert by_place[("Helwan", "via")].time == "09:00"
    assert by_place[("Beni Suef", "destination")].time == "16:15"
    assert by_place[("Beni Suef", "origin")].time == "05:45"
    day = [i for i in time_order(events) if events[i].edtf == "1898-01-12"]
    assert [events[i].text for i in day] == ["Cairo", "Helwan", "Beni Suef"]
