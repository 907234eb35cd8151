"""``parse``: offsets into the original text, candidate events, and the JSON/GeoJSON helpers."""

from __future__ import annotations

import json

import pytest

from gazetteer import TextInputError, parse
from gazetteer.text import clean


@pytest.fixture(scope="session")
def memoir_result(memoir_text: str):
    return parse(memoir_text)


def test_every_offset_points_into_the_original_dirty_text(memoir_result, memoir_text: str):
    r = memoir_result
    assert len(r.mentions) > 200 and len(r.dates) > 30 and len(r.events) > 40
    for m in r.mentions:
        assert memoir_text[m.start : m.end] == m.text
    for d in r.dates:
        assert memoir_text[d.start : d.end] == d.text
    for e in r.events:
        assert memoir_text[e.start : e.end] == e.text
        assert e.passage_start <= e.start < e.end <= e.passage_end
        if e.date_start is not None:
            assert memoir_text[e.date_start : e.date_end] == e.date_phrase
        if e.cue is not None:  # "organized ... in": the words of a cue, which may be apart
            passage = clean(memoir_text[e.passage_start : e.passage_end]).text.lower()  # "rom" reads "from"
            assert all(w in passage for w in e.cue.lower().split() if w != "...")


def test_offsets_survive_windows_line_ends_nbsp_and_curly_quotes():
    text = (
        "\ufeffIn July 1942\u00a0we went rom Khabarovsk\r\nto the Soviet\\union.\r\n\r\n"
        "\u201cLast summer he left Yanan.\u201d"
    )
    r = parse(text)
    names = {m.text: m.place_id for m in r.mentions}
    assert names == {
        "Khabarovsk": "itinera:khabarovsk",
        "Soviet\\union": "itinera:soviet-union",
        "Yanan": "itinera:yanan",
    }
    for item in (*r.mentions, *r.dates):
        assert text[item.start : item.end] == item.text


def event_at(result, surface: str, **want):
    return next(
        e for e in result.events if e.text == surface and all(getattr(e, k) == v for k, v in want.items())
    )


def test_the_quoted_report_gives_a_move_with_its_origin_date_and_attribution(memoir_result):
    """The police report: he left Khabarovsk last summer and went to Yanan (summer 1943)."""
    yanan = event_at(memoir_result, "Yanan", role="destination")
    assert (yanan.kind, yanan.cue, yanan.origin.place_id) == ("move", "went to", "itinera:khabarovsk")
    assert (yanan.edtf, yanan.date_phrase, yanan.date_basis) == ("1943-22", "last summer", "sentence")
    assert yanan.in_quotation and yanan.modality == "reported"
    assert yanan.attribution and "police" in yanan.attribution
    assert yanan.actors == ["Kim Il Sung"]


def test_returned_to_x_from_y(memoir_result):
    back = next(
        e for e in memoir_result.events if e.place_id == "itinera:soviet-union" and e.cue == "returned ... to"
    )
    assert back.kind == "arrive" and back.origin.place_id == "itinera:yanan"
    assert back.edtf == "1943-10/1943-12"


@pytest.mark.parametrize(
    ("surface", "kind", "role", "cue"),
    [
        ("Camp North", "arrive", "destination", "came to"),
        ("Ussuri River", "pass", "via", "crossed"),
        ("Donganzhen", "stay", "location", "stationed in"),
        ("Amur River", "stay", "location", "stationed ... on"),
    ],
)
def test_movement_cues(memoir_result, surface: str, kind: str, role: str, cue: str):
    e = event_at(memoir_result, surface, kind=kind)
    assert (e.role, e.cue) == (role, cue)


def test_the_narrator_is_the_first_person(memoir_text: str):
    r = parse(memoir_text, narrator="the memoirist")
    went = event_at(r, "Khabarovsk", role="origin", kind="move")
    assert went.actors == ["the memoirist"] and went.date_basis == "sentence"
    assert went.edtf == "1942-11-11~/1942-11-20~"


def test_document_date_dates_what_nothing_else_dates():
    text = "We sailed from Aden to Bombay."
    assert parse(text).events[0].edtf is None
    dated = parse(text, document_date="1921-04")
    assert (dated.events[0].edtf, dated.events[0].date_basis) == ("1921-04", "document")


def test_to_jsonl_has_the_contract_fields(memoir_result):
    lines = [json.loads(line) for line in memoir_result.to_jsonl(file="memoir.txt").splitlines()]
    kinds = {line["type"] for line in lines}
    assert kinds == {"mention", "date", "event"}
    mention = next(line for line in lines if line["type"] == "mention")
    for key in (
        "start",
        "end",
        "text",
        "place_id",
        "name",
        "lat",
        "lon",
        "feature_type",
        "uncertainty_km",
        "score",
    ):
        assert key in mention
    date = next(line for line in lines if line["type"] == "date")
    assert {"start", "end", "text", "edtf"} <= date.keys()
    assert all(line["file"] == "memoir.txt" for line in lines)


def test_unresolved_mentions_have_null_coordinates():
    r = parse("The caravan crossed the Qwertzuiop Mountains near Ulgharbad to Kandahar.")
    unresolved = [m.to_json() for m in r.mentions if m.place_id is None]
    assert all(rec["lat"] is None and rec["lon"] is None for rec in unresolved)
    assert any(m.place_id for m in r.mentions)


def test_to_geojson_is_a_feature_collection_of_points(memoir_result):
    fc = memoir_result.to_geojson()
    assert fc["type"] == "FeatureCollection"
    located = [m for m in memoir_result.mentions if m.lat is not None]
    assert len(fc["features"]) == len(located) + sum(e.lat is not None for e in memoir_result.events)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["type"] in ("mention", "event")
    json.dumps(fc)


def test_a_bad_document_date_is_refused():
    with pytest.raises(TextInputError, match="not an EDTF date"):
        parse("Moscow.", document_date="the 1930s")
