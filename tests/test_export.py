"""Exports: RFC 7946 GeoJSON that geopandas reads back, valid Linked Places, CSV the loader reads back,
an escaped standalone HTML page, atomic writes, and ``itinera export``."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys

import geopandas
import pytest

from gazetteer.places import Place, read_lpf
from gazetteer.resources import data_dir
from mapapp.cli import main
from mapapp.corpus import load_events
from mapapp.export import (
    export_csv,
    export_geojson,
    export_html,
    export_lpf,
    geojson_collection,
    places_used,
    write_atomic,
)
from mapapp.geojson import CONTRACT_PROPERTIES
from mapapp.models import Event, Source


@pytest.fixture(scope="session")
def places() -> dict[str, Place]:
    return {p.id: p for p in read_lpf(data_dir() / "places.lpf.json")}


@pytest.fixture(scope="session")
def sources() -> dict[str, Source]:
    memoir = Source(id="memoir", title="A memoir", kind="memoir", text_file="004_60b91b2e5b986131.txt")
    return {"memoir": memoir}


def ev(eid: str, kind: str, place: str, edtf: str, **kw) -> Event:
    kw.setdefault("summary", f"synthetic {kind} at {place}")
    return Event(id=eid, actors=("Brigade",), kind=kind, place_id=place, edtf=edtf, source_id="memoir", **kw)


@pytest.fixture(scope="session")
def events() -> list[Event]:
    return [
        ev("stay-khab", "stay", "itinera:khabarovsk", "1941-08"),
        ev("base-north", "base", "itinera:camp-north", "1942-07"),
        ev("move-yanan", "move", "itinera:yanan", "1944", from_place_id="itinera:khabarovsk"),
        ev("claim-berlin", "claim", "itinera:berlin", "1945-05", contested_by=("base-north",)),
        ev("undated", "stay", "itinera:seoul", "", summary="<script>alert(1)</script>"),
    ]


def test_geojson_is_an_rfc7946_feature_collection_in_lon_lat(events, places, sources, tmp_path):
    path = export_geojson(events, places, sources, tmp_path / "events.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(points) == len(events)
    khab = next(f for f in points if f["properties"]["event_id"] == "stay-khab")
    lon, lat = khab["geometry"]["coordinates"]
    assert 134.5 < lon < 135.5 and 48.0 < lat < 49.0
    assert lines, "the Khabarovsk -> Yan'an move makes a route"
    for f in data["features"]:
        assert f["type"] == "Feature"
        for lon, lat in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Point"
            else f["geometry"]["coordinates"]
        ):
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_event_properties_follow_the_contract(events, places, sources):
    data = geojson_collection(events, places, sources)
    for f in (f for f in data["features"] if f["geometry"]["type"] == "Point"):
        for name, types in CONTRACT_PROPERTIES.items():
            assert isinstance(f["properties"][name], types), name
    berlin = next(f for f in data["features"] if f["properties"].get("event_id") == "claim-berlin")
    assert berlin["properties"]["contested_by"] == ["base-north"]
    assert berlin["properties"]["source_file"] == "004_60b91b2e5b986131.txt"


def test_geojson_round_trips_through_geopandas(events, places, sources, tmp_path):
    path = export_geojson(events, places, sources, tmp_path / "events.geojson")
    frame = geopandas.read_file(path)
    points = frame[frame.geometry.geom_type == "Point"]
    assert list(points["event_id"]) == [e.id for e in events]
    khab = points[points["event_id"] == "stay-khab"].geometry.iloc[0]
    assert khab.x == pytest.approx(places["itinera:khabarovsk"].lon)
    assert khab.y == pytest.approx(places["itinera:khabarovsk"].lat)
    assert (frame.geometry.geom_type == "LineString").sum() >= 1
    assert frame.crs is not None and frame.crs.to_epsg() == 4326


def test_lpf_export_has_the_places_used_and_validates_against_whg_schema(events, places, tmp_path, validator):
    used = places_used(events, places)
    assert [p.id for p in used][:2] == ["itinera:khabarovsk", "itinera:camp-north"]
    assert "itinera:yanan" in {p.id for p in used}
    path = export_lpf(used, tmp_path / "places.lpf.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "@context" in data
    for feature in data["features"]:
        validator.validate(feature)
    assert {f["@id"] for f in data["features"]} == {p.id for p in used}
    assert [p.id for p in read_lpf(path)] == [p.id for p in used]


def test_csv_export_loads_back_into_the_same_events(events, places, sources, tmp_path):
    path = export_csv(events, tmp_path / "events.csv")
    loaded = load_events(path, places=places, sources=sources)
    assert loaded.problems == []
    assert loaded.items == events


def test_html_export_escapes_data_and_inlines_every_asset(events, places, sources, tmp_path):
    path = export_html(events, places, tmp_path / "map.html", sources=sources)
    html = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "https://" not in html.split("<body>")[0].replace("https://leafletjs.com", "")
    assert "Itinera.TimeControl" in html
    assert "<title>Itinera map</title>" in html


def test_writes_are_atomic_and_replace_the_old_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_exported_file_has_the_mode_the_umask_gives_not_the_temp_files_0600(tmp_path):
    assert main(["export", "--geojson", str(tmp_path / "out.geojson")]) == 0
    assert stat.S_IMODE((tmp_path / "out.geojson").stat().st_mode) == 0o666 & ~umask()


def test_atomic_write_follows_another_umask_too(tmp_path):
    # a fresh process with umask 027, so neither 0600 nor 0644 would pass
    target = tmp_path / "out.csv"
    code = f"from mapapp.export import write_atomic; write_atomic({str(target)!r}, b'x')"
    subprocess.run([sys.executable, "-c", code], check=True, preexec_fn=lambda: os.umask(0o027))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --- itinera export ---------------------------------------------------------------------------------


def test_export_without_an_output_is_a_usage_error(capsys):
    assert main(["export"]) == 2
    assert "at least one of --geojson" in capsys.readouterr().err


def test_export_with_a_bad_edtf_window_is_a_usage_error(capsys, tmp_path):
    assert main(["export", "--from", "1942-13", "--geojson", str(tmp_path / "x.geojson")]) == 2
    err = capsys.readouterr().err
    assert "--from '1942-13'" in err
    assert not (tmp_path / "x.geojson").exists()


def test_export_of_a_bad_events_file_lists_its_problems_by_row(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,actors,kind,place_id,source_id,edtf\n"
        "a,Someone,stay,itinera:khabarovsk,nosuchsource,1942\n"
        "b,Someone,stay,itinera:atlantis,nosuchsource,1942-02-30\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.geojson"
    assert main(["export", "--events", str(bad), "--geojson", str(out)]) == 1
    err = capsys.readouterr().err
    # a source sources.yaml does not hold is the reader's own (the dashboard takes it too): no problem
    assert "bad.csv, row 2" not in err and "bad.csv, row 3, place_id" in err and "bad.csv, row 3, edtf" in err
    assert not out.exists()


def test_export_of_a_missing_events_file_says_so(capsys, tmp_path):
    assert main(["export", "--events", str(tmp_path / "none.csv"), "--csv", str(tmp_path / "o.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_export_with_a_reversed_window_is_a_usage_error(capsys, tmp_path):
    assert main(["export", "--from", "1945", "--to", "1942", "--csv", str(tmp_path / "x.csv")]) == 2
    assert "--from 1945 is after --to 1942" in capsys.readouterr().err


def test_export_of_the_corpus_for_1942_writes_every_format(capsys, tmp_path, seeds_dir, validator):
    from mapapp.corpus import load_corpus
    from mapapp.timespan import in_window

    corpus = load_corpus(texts_dir=seeds_dir)
    expected = in_window(corpus.events, "1942", "1942")
    out = {k: tmp_path / f"out.{k}" for k in ("geojson", "csv", "lpf", "html")}
    args = ["export", "--texts", str(seeds_dir), "--from", "1942", "--to", "1942", "--offline"]
    for k, path in out.items():
        args += [f"--{k}", str(path)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{len(expected)} events")
    for path in out.values():
        assert f"wrote {path}" in printed
    frame = geopandas.read_file(out["geojson"])
    assert sorted(frame[frame.geometry.geom_type == "Point"]["event_id"]) == sorted(e.id for e in expected)
    with out["csv"].open(encoding="utf-8") as f:
        assert sorted(row["id"] for row in csv.DictReader(f)) == sorted(e.id for e in expected)
    lpf = json.loads(out["lpf"].read_text(encoding="utf-8"))
    assert "itinera:camp-north" in {f["@id"] for f in lpf["features"]}
    for feature in lpf["features"]:
        validator.validate(feature)
    assert "Itinera.TimeControl" in out["html"].read_text(encoding="utf-8")


def test_csv_export_of_the_whole_corpus_loads_back_unchanged(tmp_path):
    from mapapp.corpus import load_corpus

    corpus = load_corpus()
    path = tmp_path / "events.csv"
    assert main(["export", "--csv", str(path)]) == 0
    loaded = load_events(path, places=corpus.places, sources=corpus.sources)
    assert loaded.problems == []
    assert loaded.items == corpus.events


def test_gpkg_export_has_an_events_and_a_routes_layer_that_gis_reads_back(tmp_path):
    import pyogrio

    from mapapp.corpus import load_corpus
    from mapapp.export import export_gpkg

    corpus = load_corpus()
    placed = [e for e in corpus.events if e.place_id in corpus.places]
    path = export_gpkg(corpus.events, corpus.places, corpus.sources, tmp_path / "corpus.gpkg")
    assert {name for name, _ in pyogrio.list_layers(path)} == {"events", "routes"}
    frame = geopandas.read_file(path, layer="events")
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["event_id"]) == sorted(e.id for e in placed)
    camp = frame[frame["place_id"] == "itinera:camp-north"].iloc[0]
    assert abs(camp.geometry.x - 135.74) < 0.05 and abs(camp.geometry.y - 48.74) < 0.05
    assert set(frame.columns) >= {"actors", "edtf", "source_file", "passage_start", "contested_by"}
    routes = geopandas.read_file(path, layer="routes")
    assert len(routes) > 0 and set(routes.geom_type) == {"LineString"}


def test_gpkg_export_from_the_command_line(tmp_path, capsys):
    from mapapp.cli import main

    out = tmp_path / "w.gpkg"
    assert main(["export", "--from", "1942-07", "--to", "1942-07", "--gpkg", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    frame = geopandas.read_file(out, layer="events")
    assert "mem-camp-north-gathering" in set(frame["event_id"])
