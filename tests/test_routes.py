"""Routes built from the curated events, in time order, each source telling its own route."""

from __future__ import annotations

import pytest

from mapapp.corpus import load_corpus
from mapapp.geojson import route_feature
from mapapp.models import Event
from mapapp.routes import build_routes, routes_by_actor
from mapapp.timespan import span


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(texts_dir="")


@pytest.fixture(scope="module")
def segments(corpus):
    return build_routes(corpus.events, corpus.places)


def legs(segments, actor, source):
    return [
        (s.from_place.id.removeprefix("itinera:"), s.to_place.id.removeprefix("itinera:"))
        for s in segments
        if s.actor == actor and s.source_ids == (source,)
    ]


def test_police_report_route_goes_khabarovsk_yanan_and_back(segments):
    assert legs(segments, "Kim Il Sung", "namyang-report-1944") == [
        ("khabarovsk", "yanan"),
        ("yanan", "khabarovsk"),
    ]
    out, back = [s for s in segments if s.source_ids == ("namyang-report-1944",)]
    assert span(out.edtf).end < span(back.edtf).start
    assert out.basis == back.basis == "move"
    assert out.uncertain and "low certainty (nam-yanan-trip)" in out.reasons


def test_article_route_runs_from_korea_to_the_soviet_union_and_back(segments):
    assert legs(segments, "Kim Il Sung", "article") == [
        ("korea", "manchuria"),
        ("manchuria", "soviet-union"),
        ("soviet-union", "north-korea"),
    ]


def test_memoir_route_is_in_time_order(segments):
    route = [s for s in segments if s.actor == "Kim Il Sung" and s.source_ids == ("memoir",)]
    assert [(s.from_place.id, s.to_place.id) for s in route][:3] == [
        ("itinera:khabarovsk", "itinera:camp-south"),
        ("itinera:camp-south", "itinera:khabarovsk"),
        ("itinera:khabarovsk", "itinera:camp-north"),
    ]
    starts = [span(s.edtf).start for s in route]
    assert starts == sorted(starts)


def test_the_armoured_train_leg_is_uncertain_because_its_end_is_a_wide_guess(segments):
    train = next(s for s in segments if "mem-armoured-train" in s.event_ids and s.actor == "Kim Il Sung")
    assert (train.from_place.id, train.to_place.id) == ("itinera:khabarovsk", "itinera:maritime-province")
    assert train.uncertain
    assert "place implied (mem-armoured-train)" in train.reasons
    assert any("Maritime Province located only within" in r for r in train.reasons)


def test_the_mutineers_cross_by_way_of_the_ussuri(segments):
    crossing = next(s for s in segments if "mem-ussuri-crossing" in s.event_ids)
    assert crossing.via_place.id == "itinera:ussuri-river"
    assert route_feature(crossing)["geometry"]["coordinates"][1] == [
        crossing.via_place.lon,
        crossing.via_place.lat,
    ]


def test_a_country_is_too_vague_to_infer_a_journey_from(segments):
    for seg in segments:
        if seg.basis == "sequence":
            assert seg.from_place.uncertainty_km <= 1000 and seg.to_place.uncertainty_km <= 1000, seg.id


def test_claims_and_context_make_no_route(segments, corpus):
    kinds = {e.id: e.kind for e in corpus.events}
    for seg in segments:
        assert all(kinds[eid] not in ("claim", "context") for eid in seg.event_ids)
    assert not any(s.actor == "German army" for s in segments)


def test_grouping_by_actor_splices_the_sources_together(corpus):
    merged = routes_by_actor(build_routes(corpus.events, corpus.places, group_by="actor"))["Kim Il Sung"]
    assert {src for s in merged for src in s.source_ids} >= {"memoir", "namyang-report-1944", "article"}
    starts = [span(s.edtf).start for s in merged if not span(s.edtf).open_start]
    assert starts == sorted(starts)


def test_overlapping_dates_make_the_order_a_guess(corpus):
    def ev(eid, place, edtf):
        return Event(id=eid, actors=("X",), kind="stay", place_id=place, edtf=edtf, source_id="s")

    events = [ev("b", "itinera:camp-north", "1942-07"), ev("a", "itinera:khabarovsk", "1942-07-22")]
    (seg,) = build_routes(events, corpus.places)
    assert (seg.from_place.id, seg.to_place.id) == ("itinera:camp-north", "itinera:khabarovsk")
    assert "dates overlap: the order is a guess" in seg.reasons
    events = [ev("a", "itinera:khabarovsk", "1942-05"), ev("b", "itinera:camp-north", "1942-08")]
    (seg,) = build_routes(events, corpus.places)
    assert not seg.uncertain and seg.edtf == "1942-05/1942-08"


def test_undated_and_unknown_place_events_are_skipped(corpus):
    def ev(eid, place, edtf):
        return Event(id=eid, actors=("X",), kind="stay", place_id=place, edtf=edtf, source_id="s")

    events = [
        ev("a", "itinera:khabarovsk", "1942"),
        ev("b", "itinera:yanan", ""),
        ev("c", "itinera:atlantis", "1943"),
        ev("d", "itinera:yanan", "1944"),
    ]
    assert [s.event_ids for s in build_routes(events, corpus.places)] == [("a", "d")]


def test_route_feature_is_a_directed_linestring(segments):
    seg = next(s for s in segments if s.source_ids == ("namyang-report-1944",))
    feature = route_feature(seg)
    assert feature["geometry"]["type"] == "LineString"
    (lon0, lat0), (lon1, lat1) = feature["geometry"]["coordinates"]
    assert (lon0, lat0) == (seg.from_place.lon, seg.from_place.lat)  # Khabarovsk first: the way out
    assert 134 < lon0 < 136 and 48 < lat0 < 49
    assert 109 < lon1 < 110 and 36 < lat1 < 37  # Yan'an
    props = feature["properties"]
    assert props["from_place_id"] == "itinera:khabarovsk" and props["to_place_id"] == "itinera:yanan"
    assert props["date_start"] == "1943-06-01" and props["uncertain"] is True
    assert props["event_ids"] == ["nam-yanan-trip"]
