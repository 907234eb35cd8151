"""``parse``: offsets into the original text, candidate events, and the JSON/GeoJSON helpers."""

from __future__ import annotations

import json

import pytest

from gazetteer import TextInputError, parse


@pytest.fixture(scope="session")
def memoir_result(memoir_text: str):
    return parse(memoir_text)


def test_every_offset_points_into_the_original_dirty_text(memoir_result, memoir_text: str):
    r = memoir_result
    assert len(r.mentions) > 200 and len(r.dates) > 30 and len(r.events) > 150
    for m in r.mentions:
        assert memoir_text[m.start : m.end] == m.text
    for d in r.dates:
        assert memoir_text[d.start : d.end] == d.text
    for e in r.events:
        assert memoir_text[e.start : e.end] == e.text
        assert e.passage_start <= e.start < e.end <= e.passage_end
        if e.date_start is not None:
            assert memoir_text[e.date_start : e.date_end] == e.date_phrase
        if e.cue is not None:
            assert e.cue in memoir_text[e.passage_start : e.passage_end]


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


def event_at(result, surface: str, nth: int = 0):
    return [e for e in result.events if e.text == surface][nth]


def test_left_x_and_went_to_y_gives_a_move_with_its_origin(memoir_result):
    """The police report: left Khabarovsk last summer and went to Yanan (summer 1943)."""
    yanan = next(e for e in memoir_result.events if e.text == "Yanan" and e.place_role == "destination")
    assert (yanan.kind, yanan.cue, yanan.from_place_id) == ("move", "went to", "itinera:khabarovsk")
    assert (yanan.edtf, yanan.date_phrase, yanan.date_basis) == ("1943-22", "last summer", "sentence")
    assert yanan.in_quotation


def test_returned_to_x_from_y(memoir_result):
    back = next(
        e for e in memoir_result.events if e.place_id == "itinera:soviet-union" and e.cue == "returned to"
    )
    assert back.from_place_id == "itinera:yanan"
    assert back.edtf == "1943-10/1943-12"


@pytest.mark.parametrize(
    ("surface", "kind", "role", "cue"),
    [
        ("Camp North", "move", "destination", "gathered at"),
        ("Ussuri River", "move", "via", "crossed"),
        ("Donganzhen", "base", "location", "stationed in"),
        ("Raohe County", "base", "location", "stationed in"),  # in apposition to Donganzhen
        ("Amur River", "base", "location", "stationed on"),
        ("Rehe Province", "move", "destination", "sending troops to"),
    ],
)
def test_movement_cues(memoir_result, surface: str, kind: str, role: str, cue: str):
    e = event_at(memoir_result, surface)
    assert (e.kind, e.place_role, e.cue) == (kind, role, cue)


def test_governing_dates_same_sentence_then_paragraph_then_citation(memoir_result):
    camp_south = event_at(memoir_result, "Camp South")
    assert (camp_south.kind, camp_south.edtf, camp_south.date_basis) == ("meeting", "1942-21", "sentence")
    # the cue is quoted from the original, where "from" is spelt "rom"
    went = next(e for e in memoir_result.events if e.text == "Khabarovsk" and e.cue == "rom")
    assert (went.place_role, went.date_basis) == ("origin", "sentence")
    assert went.edtf == "1942-11-11~/1942-11-20~"
    # inside the second quoted file, undated sentences take the file's date (Showa 20)
    rehe = event_at(memoir_result, "Rehe Province")
    assert (rehe.edtf, rehe.date_basis) == ("1945", "citation")


def test_document_date_dates_what_nothing_else_dates(article_text: str):
    undated = parse(article_text)
    dated = parse(article_text, document_date="2022")
    first = undated.events[0]
    assert first.edtf is None and first.date_basis is None
    assert (dated.events[0].edtf, dated.events[0].date_basis) == ("2022", "document")


def test_places_inside_organisation_names_make_no_events(memoir_result):
    mention_roles = {i: m.role for i, m in enumerate(memoir_result.mentions)}
    assert {mention_roles[e.mention] for e in memoir_result.events} == {"place"}


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


def test_unresolved_mentions_have_null_coordinates_and_guesses():
    from gazetteer.geoparser import _mention_out
    from gazetteer.mentions import Mention
    from gazetteer.text import clean

    ct = clean("in Springfield")
    record = _mention_out(ct, Mention(3, 14, "Springfield", "springfield", "geonames")).to_json()
    assert record["lat"] is None and record["lon"] is None and record["place_id"] is None


def test_to_geojson_is_a_feature_collection_of_points(memoir_result):
    fc = memoir_result.to_geojson()
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == len(memoir_result.mentions) + len(memoir_result.events)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["type"] in ("mention", "event")
    json.dumps(fc)


def test_a_bad_document_date_is_refused():
    with pytest.raises(TextInputError, match="not an EDTF date"):
        parse("Moscow.", document_date="the 1930s")
