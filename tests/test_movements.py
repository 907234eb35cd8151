"""Movements from our own five texts (tests/data/movements), checked against their gold itineraries.

The places are the gold files' names as a reader marks them, resolved by the embedded gazetteer, so
these tests measure the movement step alone; bench/bench_movements.py also scores the whole pipeline.
"""

from __future__ import annotations

import pytest
from movement_gold import NAMES, Marked, gold, marked, movements, score

from gazetteer import parse
from gazetteer.dates import find_dates
from gazetteer.geoparse.events import Movement, extract_events
from gazetteer.geoparser import default_gazetteer
from gazetteer.text import clean, layout


def _events(name: str) -> list[Movement]:
    g = gold(name)
    return movements(g, marked(g))


def _find(events: list[Movement], place: str, role: str | None = None, modality: str | None = None):
    return [
        ev
        for ev in events
        if ev.text == place
        and (role is None or ev.role == role)
        and (modality is None or ev.modality == modality)
    ]


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[Movement]]:
    return {name: _events(name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_at_least_nine_in_ten_gold_movements_are_found_with_actor_place_and_date(extracted, name):
    s = score(gold(name), extracted[name])
    assert s.recall_no_role >= 0.9, f"{name}: {s}"
    assert s.precision >= 0.85, f"{name}: {s}"


def test_all_texts_together_score_at_least_ninety_percent_with_the_role_too(extracted):
    scores = [score(gold(n), extracted[n]) for n in NAMES]
    right = sum(s.right for s in scores)
    assert right / sum(s.gold for s in scores) >= 0.9


def test_we_and_i_in_a_diary_are_the_narrator_given_by_name(extracted):
    cairo = _find(extracted["diary"], "Cairo", "origin")
    assert cairo[0].actors == ["Harry Dawson"]
    assert cairo[0].edtf == "1917-04-02"
    assert cairo[0].date_basis == "heading"


def test_left_x_and_reached_y_make_one_journey_with_origin_and_destination(extracted):
    ismailia = _find(extracted["diary"], "Ismailia", "destination")[0]
    assert ismailia.kind == "arrive"
    assert ismailia.origin is not None and ismailia.origin.text == "Cairo"
    assert ismailia.destination is not None and ismailia.destination.text == "Ismailia"


def test_a_battalion_going_forward_does_not_take_the_diarist_who_stayed_behind(extracted):
    rafa = _find(extracted["diary"], "Rafa", "destination")[0]
    assert rafa.actors == ["the battalion"]
    stay = _find(extracted["diary"], "El Arish", "location")[0]
    assert stay.kind == "stay" and stay.actors == ["Harry Dawson"]


def test_he_is_the_person_named_before_him(extracted):
    back = _find(extracted["diary"], "Deir el Belah", "destination")[0]
    assert back.actors == ["Tom Barker"]


def test_a_day_counted_from_the_heading_dates_its_own_clause(extracted):
    rejoined = _find(extracted["diary"], "Rafa", "location")[0]
    assert rejoined.edtf == "1917-04-16" and rejoined.date_basis == "sentence"


def test_a_logs_subjectless_entries_move_the_writer(extracted):
    log = extracted["purser_log"]
    assert _find(log, "Cairo", "origin")[0].cue == "cast off from"
    assert _find(log, "Beni Suef", "destination")[0].kind == "arrive"
    assert {ev.actors[0] for ev in _find(log, "Asyut")} >= {"the narrator", "Passengers"}


def test_left_x_for_y_via_z_gives_every_role(extracted):
    log = extracted["purser_log"]
    left = _find(log, "Luxor", "origin")[0]
    assert left.destination is not None and left.destination.text == "Aswan"
    assert [v.text for v in left.via] == ["Esna", "Edfu"]


def test_could_not_reach_is_a_negated_movement(extracted):
    [aswan] = _find(extracted["purser_log"], "Aswan", modality="negated")
    assert aswan.kind == "arrive" and aswan.role == "destination"


def test_the_ship_that_will_lie_at_a_port_is_an_intention(extracted):
    [luxor] = _find(extracted["purser_log"], "Luxor", "location")[:1]
    assert luxor.modality == "intended" and luxor.actors == ["the narrator"]


def test_a_biography_follows_she_back_to_the_woman_named_at_its_start(extracted):
    bio = extracted["biography"]
    assert all(ev.actors == ["Margaret Elphinstone"] for ev in bio)
    born = _find(bio, "Edinburgh", "location")[0]
    assert born.edtf == "1842" and born.kind == "stay"


def test_by_way_of_is_a_via_point(extracted):
    [geneva] = _find(extracted["biography"], "Geneva")
    assert geneva.role == "via"
    assert geneva.origin.text == "Paris" and geneva.destination.text == "Rome"


def test_what_some_writers_claim_is_reported_with_its_attribution(extracted):
    [jerusalem] = _find(extracted["biography"], "Jerusalem")
    assert jerusalem.modality == "reported"
    assert jerusalem.attribution == "some writers"
    assert jerusalem.edtf == "1874"


def test_a_letter_dates_its_events_by_the_document_date(extracted):
    [bombay] = _find(extracted["letters"], "Bombay", "destination")
    assert bombay.edtf == "1885-11" and bombay.date_basis == "document"
    assert bombay.actors == ["Mary"]


def test_last_month_dates_its_own_sentence_only(extracted):
    karachi = _find(extracted["letters"], "Karachi")[0]
    assert karachi.edtf == "1885-10" and karachi.actors == ["Robert"]
    agra = _find(extracted["letters"], "Agra")[0]
    assert agra.edtf == "1885-11" and agra.modality == "intended"


def test_a_plan_for_tomorrow_is_an_intention(extracted):
    [poona] = _find(extracted["letters"], "Poona")
    assert poona.modality == "intended" and poona.role == "destination"


def test_a_place_seen_from_a_ship_is_no_movement(extracted):
    assert _find(extracted["letters"], "Port Said") == []


def test_a_flashback_is_dated_by_its_own_year_and_its_actor_is_the_father(extracted):
    memoir = extracted["memoir"]
    liverpool = _find(memoir, "Liverpool")[0]
    assert liverpool.actors == ["my father"] and liverpool.edtf == "1911" and liverpool.role == "origin"


def test_hearsay_and_denial_of_the_same_journey_are_kept_apart(extracted):
    yanan = _find(extracted["memoir"], "Yanan")
    assert {(ev.modality, ev.attribution) for ev in yanan} == {
        ("reported", "the Japanese newspapers"),
        ("negated", None),
    }


def test_a_police_report_keeps_its_attribution(extracted):
    [lin] = _find(extracted["memoir"], "Xi'an", modality="reported")
    assert lin.actors == ["Dr. Lin"] and lin.attribution == "a police report" and lin.kind == "meet"


def test_knowing_a_country_is_no_movement(extracted):
    assert _find(extracted["memoir"], "China") == []


def test_movements_serialise_as_events_with_their_places():
    events = _events("diary")
    data = events[0].to_json()
    assert data["type"] == "event"
    assert {"actors", "kind", "role", "edtf", "time", "cue", "confidence", "attribution", "modality"} <= set(
        data
    )
    assert text_of(data) == gold("diary").text[data["start"] : data["end"]]


def text_of(data: dict) -> str:
    return data["text"]


def test_offsets_map_back_to_a_dirty_text():
    original = "On March 3, 1916 we left Basra\\and reached Amara at dusk."
    ct = clean(original)
    structure = layout(ct.text)
    events = extract_events(
        ct.text,
        parse(ct.text).mentions,
        find_dates(ct.text, structure=structure),
        [],
        sentences=structure.sentences,
        narrator="Harry Dawson",
    )
    mapped = [ev.mapped(ct.span, original) for ev in events]
    assert [(original[ev.start : ev.end], ev.role) for ev in mapped] == [
        ("Basra", "origin"),
        ("Amara", "destination"),
    ]
    assert all(ev.text == original[ev.start : ev.end] for ev in mapped)
    assert mapped[1].origin.text == "Basra" and mapped[1].date_phrase == "March 3, 1916"


def test_a_person_named_by_the_ner_before_any_place_is_who_he_is():
    text = "Edward Ashby was a quiet man. In 1890 he sailed from Liverpool to Boston."
    gz = default_gazetteer()
    toponyms = []
    for name in ("Liverpool", "Boston"):
        place = gz.candidates(name, limit=1)[0].place
        at = text.index(name)
        toponyms.append(Marked(at, at + len(name), name, place.id, place.name, place.lat, place.lon))
    structure = layout(text)
    dates = find_dates(text, structure=structure)
    bare = extract_events(text, toponyms, dates, [], sentences=structure.sentences)
    assert bare[0].actors == ["he"]
    named = extract_events(text, toponyms, dates, [], sentences=structure.sentences, persons=[(0, 12)])
    assert [ev.actors for ev in named] == [["Edward Ashby"], ["Edward Ashby"]]
