"""Movements found in a text become ordinary events marked automatic, and read back as events.

The diary (tests/data/workbench_diary.txt) is our own; its movements, in the JSON Lines that
``itinera parse --json`` writes, are tests/data/workbench_diary.movements.jsonl (made by hand, the
offsets counted in the diary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapapp.automatic import certainty_of, event_fields, source_for_text
from mapapp.cli import main
from mapapp.corpus import load_events, read_events

DATA = Path(__file__).parent / "data"
DIARY = DATA / "workbench_diary.txt"
MOVEMENTS = DATA / "workbench_diary.movements.jsonl"


@pytest.fixture(scope="module")
def places():
    from gazetteer import Gazetteer
    from mapapp.corpus import load_places
    from mapapp.workspace import PlaceLookup

    curated, _ = load_places(Path(__file__).parent.parent / "data")
    return PlaceLookup(curated, Gazetteer())


def records() -> list[dict]:
    return [json.loads(line) for line in MOVEMENTS.read_text(encoding="utf-8").splitlines()]


def test_a_text_becomes_a_source_named_by_its_checksum():
    data = DIARY.read_bytes()
    source = source_for_text("diary.txt", data, author="the surveyor", document_date="1916")
    assert source.id.startswith("text:") and source.sha256.startswith(source.id[5:])
    assert (source.title, source.text_file, source.author, source.date) == (
        "diary.txt",
        "diary.txt",
        "the surveyor",
        "1916",
    )
    assert source_for_text("other-name.txt", data).id == source.id


def test_a_journey_from_one_place_to_another_is_one_event_at_its_destination():
    amara, kut = (r for r in records() if r["date_phrase"].startswith("April 2nd"))
    assert event_fields(amara, "s") is None  # the origin's movement is told by the destination's
    fields = event_fields(kut, "s")
    assert (fields["kind"], fields["place_id"], fields["from_place_id"]) == (
        "move",
        "geonames:99131",
        "geonames:99608",
    )


def test_leaving_a_place_with_no_destination_says_the_actor_was_there():
    bombay = records()[0]
    fields = event_fields(bombay, "s")
    assert (fields["kind"], fields["place_id"], fields["from_place_id"]) == ("stay", "geonames:1275339", "")


def test_confidence_becomes_certainty():
    assert [certainty_of(c) for c in (0.95, 0.75, 0.6, 0.2, None)] == [
        "high",
        "high",
        "medium",
        "low",
        "medium",
    ]


def test_parse_json_lines_load_as_automatic_events_with_passages_kept(places):
    events, problems = read_events(MOVEMENTS, places=places.__contains__)
    assert problems == []
    assert len(events) == 7 and all(e.automatic for e in events)
    assert {e.actors for e in events} == {("the surveyor",)}
    text = DIARY.read_text(encoding="utf-8")
    kut = next(e for e in events if e.place_id == "geonames:99131")
    assert text[kut.passage_start : kut.passage_end].startswith("I marched with a small party")
    assert kut.edtf == "1916-04-02" and kut.date_implied  # dated by the entry's heading
    assert kut.source_id == "file:workbench_diary.txt"


def test_an_intention_is_kept_for_review_but_never_certain(tmp_path, places):
    plan = dict(records()[3], modality="intended", confidence=0.95)
    path = tmp_path / "plan.jsonl"
    path.write_text(json.dumps(plan) + "\n", encoding="utf-8")
    (event,), problems = read_events(path, places=places.__contains__)
    assert problems == [] and event.certainty == "low" and "(intended)" in event.summary


def test_parse_geojson_and_our_geojson_export_read_back_as_the_same_events(tmp_path, places):
    lines = records()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")},
        }
        for r in lines
    ]
    parsed = tmp_path / "parsed.geojson"
    parsed.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    from_lines, _ = read_events(MOVEMENTS, places=places.__contains__)
    from_features, problems = read_events(parsed, places=places.__contains__)
    assert problems == [] and from_features == from_lines

    out = tmp_path / "out.geojson"
    assert main(["export", "--events", str(MOVEMENTS), "--geojson", str(out)]) == 0
    again, problems = read_events(out, places=places.__contains__)
    assert problems == [] and again == from_lines


def test_export_events_takes_geonames_ids_and_sources_made_from_texts(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["export", "--events", str(MOVEMENTS), "--csv", str(out)]) == 0
    assert "7 events" in capsys.readouterr().out
    assert main(["export", "--events", str(out), "--csv", str(tmp_path / "again.csv")]) == 0
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_the_corpus_validator_still_refuses_unknown_sources_but_takes_text_sources(tmp_path):
    header = "id,actors,kind,place_id,source_id\n"
    path = tmp_path / "events.csv"
    path.write_text(
        header + "a,X,stay,itinera:khabarovsk,pamphlet\nb,X,stay,itinera:khabarovsk,text:0123456789abcdef\n",
        encoding="utf-8",
    )
    events, problems = load_events(path, sources={"memoir"})
    assert [e.id for e in events] == ["b"]
    assert [(p.row, p.field) for p in problems] == [(2, "source_id")]


def test_a_line_that_is_not_json_is_named_by_its_line(tmp_path, places):
    path = tmp_path / "broken.jsonl"
    path.write_text(MOVEMENTS.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    events, problems = read_events(path, places=places.__contains__)
    assert len(events) == 7
    assert [(p.file, p.row) for p in problems] == [("broken.jsonl", 9)]


def test_export_text_needs_a_text_for_its_narrator(capsys, tmp_path):
    assert main(["export", "--narrator", "me", "--csv", str(tmp_path / "x.csv")]) == 2
    assert "give --text FILE" in capsys.readouterr().err


def test_export_text_is_not_an_abbreviation_of_texts(tmp_path, capsys):
    missing = tmp_path / "nowhere.txt"
    assert main(["export", "--text", str(missing), "--csv", str(tmp_path / "x.csv")]) == 1
    assert "--text" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()


def test_export_text_makes_a_source_and_automatic_events_that_read_back(tmp_path, capsys, places):
    out = tmp_path / "diary.csv"
    geo = tmp_path / "diary.geojson"
    code = main(
        [
            "export",
            "--text",
            str(DIARY),
            "--narrator",
            "the surveyor",
            "--csv",
            str(out),
            "--geojson",
            str(geo),
        ]
    )
    assert code == 0
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    points = [f["properties"] for f in features if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert points, "the diary's movements are on the map"
    assert {p["source_file"] for p in points} == {"workbench_diary.txt"}
    assert all(p["automatic"] for p in points)
    events, problems = read_events(out, places=places.__contains__)
    assert problems == [] and len(events) == len(points)


def test_an_events_file_finds_its_texts_by_checksum_in_a_texts_folder(tmp_path):
    from mapapp.automatic import source_for_text
    from mapapp.export import to_csv_bytes
    from mapapp.models import Event

    source = source_for_text("renamed.txt", DIARY.read_bytes())
    text = DIARY.read_text(encoding="utf-8")
    start = text.index("We reached Basra")
    event = Event(
        id="e1",
        actors=("the surveyor",),
        kind="move",
        place_id="geonames:98182",
        edtf="1916-03-09",
        source_id=source.id,
        passage_start=start,
        passage_end=start + 40,
    )
    events = tmp_path / "events.csv"
    events.write_bytes(to_csv_bytes([event]))
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "any-name.txt").write_bytes(DIARY.read_bytes())
    (folder / "other.txt").write_text("We reached Basra, said another diary.", encoding="utf-8")
    out = tmp_path / "map.html"
    assert main(["export", "--events", str(events), "--texts", str(folder), "--html", str(out)]) == 0
    assert "We reached Basra after a slow run up the" in out.read_text(encoding="utf-8")
    without = tmp_path / "without.html"
    assert main(["export", "--events", str(events), "--html", str(without)]) == 0
    assert "We reached Basra after a slow run up the" not in without.read_text(encoding="utf-8")
