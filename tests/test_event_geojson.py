"""The event GeoJSON contract: every property present and typed, coordinates in lon/lat order."""

from __future__ import annotations

import json

import pytest

from mapapp.corpus import load_corpus
from mapapp.geojson import CONTRACT_PROPERTIES, event_feature, event_features

MEMOIR = "004_60b91b2e5b986131.txt"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(texts_dir="")


@pytest.fixture(scope="module")
def features(corpus):
    return {
        f["properties"]["event_id"]: f for f in event_features(corpus.events, corpus.places, corpus.sources)
    }


def test_every_event_has_every_contract_property_with_its_type(features, corpus):
    assert len(features) == len(corpus.events)
    for feature in features.values():
        props = feature["properties"]
        for name, types in CONTRACT_PROPERTIES.items():
            assert name in props, name
            assert isinstance(props[name], types), (props["event_id"], name, props[name])
        assert all(isinstance(a, str) for a in props["actors"]) and props["actors"]
        assert all(isinstance(c, str) for c in props["contested_by"])
        assert props["source_file"].endswith(".txt")


def test_geometry_is_the_place_point_in_lon_lat_order(features):
    feature = features["mem-apanasenko-meeting"]
    assert feature["type"] == "Feature"
    lon, lat = feature["geometry"]["coordinates"]
    assert 134 < lon < 136 and 48 < lat < 49  # Khabarovsk, not swapped
    props = feature["properties"]
    assert props["place_name"] == "Khabarovsk" and props["uncertainty_km"] == 12.0
    assert props["implied"] is True and props["date_start"] == props["date_end"] == "1942-07-22"


def test_a_quoted_report_counts_its_offsets_in_the_memoir(features):
    props = features["nam-yanan-trip"]["properties"]
    assert props["source_id"] == "namyang-report-1944" and props["source_file"] == MEMOIR
    assert props["attribution"] == "police report quoted in memoir"
    assert props["contested_by"] == [
        "mem-iaf-mourning",
        "mem-training-base",
        "mem-soviet-union-until-liberation",
    ]
    assert props["contest_note"]


def test_season_and_undated_events_carry_their_bounds(features):
    summer = features["mem-ed-iaf-summer"]["properties"]
    assert (summer["edtf"], summer["date_start"], summer["date_end"]) == (
        "1942-22",
        "1942-06-01",
        "1942-08-31",
    )
    undated = features["mem-apanasenko-central-asia"]["properties"]
    assert undated["edtf"] == "" and undated["date_start"] is None and undated["date_end"] is None
    childhood = features["art-flight-manchuria"]["properties"]
    assert childhood["date_start"] is None and childhood["date_end"] == "1929-12-31"  # open start


def test_features_serialise_as_json_and_round_trip(features):
    collection = {"type": "FeatureCollection", "features": list(features.values())}
    again = json.loads(json.dumps(collection))
    assert again == collection


def test_an_unknown_place_gives_a_null_geometry_but_every_property(corpus):
    event = corpus.events[0]
    feature = event_feature(event, None, None)
    assert feature["geometry"] is None
    assert feature["properties"]["place_name"] == "" and feature["properties"]["uncertainty_km"] is None
    assert set(CONTRACT_PROPERTIES) <= set(feature["properties"])


def test_geopandas_reads_the_features(features):
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(list(features.values()), crs="EPSG:4326")
    row = frame[frame["event_id"] == "mem-camp-south-meeting"].iloc[0]
    assert row["place_id"] == "itinera:camp-south" and row["edtf"] == "1942-21"
    assert row.geometry.x > 100  # longitude first
