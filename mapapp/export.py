"""Exports of the events: GeoJSON (the property contract), Linked Places for the places used, CSV, and
one standalone HTML map with its own time control.

Files are written atomically (a temporary file beside the target, then ``os.replace``), so a crash
never leaves half a file where the last good one was. The ``to_*_bytes`` functions give the same
content for the dashboard's download buttons.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from gazetteer.places import places_to_lpf
from gazetteer.storage import write_atomic

from .build import DEFAULT_LAYERS, _as_mapping, _segments, build_map
from .corpus import EVENT_COLUMNS
from .geojson import event_features, route_features
from .models import Event, Source

CSV_COLUMNS = EVENT_COLUMNS  # what ``mapapp.corpus.load_events`` reads back (lists ``;``-separated)


# --- GeoJSON ------------------------------------------------------------------------------------------


def geojson_collection(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
    *,
    routes: bool = True,
) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: events as Points at their place ([lon, lat]; ``null`` geometry
    when the place is unknown), then the route segments as LineStrings. No ``crs`` member."""
    places_by_id = _as_mapping(places)
    sources_by_id = _as_mapping(sources)
    events = list(events)
    features = event_features(events, places_by_id, sources_by_id)
    if routes:
        features += route_features(_segments(events, places_by_id))
    return {"type": "FeatureCollection", "features": features}


def to_geojson_bytes(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
) -> bytes:
    collection = geojson_collection(events, places, sources)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return (text + "\n").encode("utf-8")


def export_geojson(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    sources: Mapping[str, Source] | Iterable[Source] | None,
    path: str | Path,
) -> Path:
    return write_atomic(path, to_geojson_bytes(events, places, sources))


# --- GeoPackage ---------------------------------------------------------------------------------------


def to_gpkg_bytes(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
) -> bytes:
    """A GeoPackage for desktop GIS (QGIS, ArcGIS): layer ``events`` (points, the GeoJSON contract's
    properties, lists joined with ``;``) and layer ``routes`` (lines), in EPSG:4326. Events whose place
    is unknown have no geometry and are left out; the GeoJSON export keeps them."""
    import geopandas

    collection = geojson_collection(events, places, sources)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "itinera.gpkg"
        for layer, kind in (("events", "Point"), ("routes", "LineString")):
            feats = [f for f in collection["features"] if (f["geometry"] or {}).get("type") == kind]
            if not feats:
                continue
            for f in feats:
                f["properties"] = {
                    k: ";".join(map(str, v)) if isinstance(v, list | tuple) else v
                    for k, v in f["properties"].items()
                }
            frame = geopandas.GeoDataFrame.from_features(feats, crs="EPSG:4326")
            frame.to_file(staged, layer=layer, driver="GPKG", engine="pyogrio")
        if not staged.exists():
            raise ValueError("nothing to write: no event has a known place")
        return staged.read_bytes()


def export_gpkg(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    sources: Mapping[str, Source] | Iterable[Source] | None,
    path: str | Path,
) -> Path:
    return write_atomic(path, to_gpkg_bytes(events, places, sources))


# --- Linked Places ------------------------------------------------------------------------------------


def places_used(events: Iterable[Event], places: Mapping[str, Any] | Iterable[Any]) -> list[Any]:
    """The places the events name (place, from-place, via-place), in first-use order."""
    places_by_id = _as_mapping(places)
    used: dict[str, Any] = {}
    for e in events:
        for pid in (e.place_id, e.from_place_id, e.via_place_id):
            if pid and pid not in used and pid in places_by_id:
                used[pid] = places_by_id[pid]
    return list(used.values())


def to_lpf_bytes(places: Iterable[Any]) -> bytes:
    return (json.dumps(places_to_lpf(places), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_lpf(places: Iterable[Any], path: str | Path) -> Path:
    """A Linked Places FeatureCollection of ``places`` (each feature valid against WHG's schema)."""
    return write_atomic(path, to_lpf_bytes(places))


# --- CSV ----------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return str(value)


def to_csv_bytes(events: Iterable[Event]) -> bytes:
    """One row an event, in the columns the corpus loader reads (so an export loads back)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([_cell(getattr(e, col)) for col in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8")


def export_csv(events: Iterable[Event], path: str | Path) -> Path:
    return write_atomic(path, to_csv_bytes(events))


# --- place mentions of the texts --------------------------------------------------------------------


def text_mentions(texts: Mapping[str, Any]) -> list[Any]:
    """Every resolved place mention (``gazetteer.parse``) of the verified texts, each text once, for
    the map's clustered "All place mentions" layer; names inside an organisation's name are left out."""
    from gazetteer.geoparser import parse

    from .build import verified_texts

    seen: set[str] = set()
    mentions: list[Any] = []
    for text in verified_texts(texts).values():
        if text in seen:
            continue
        seen.add(text)
        mentions += [m for m in parse(text).mentions if m.resolved and m.role == "place"]
    return mentions


# --- standalone HTML ------------------------------------------------------------------------------------


def to_html_bytes(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    *,
    window: tuple[date | str | None, date | str | None] | None = None,
    sources: Mapping[str, Source] | Iterable[Source] | None = None,
    texts: Mapping[str, Any] | None = None,
    mentions: Iterable[Any] | None = None,
    offline: bool = True,
    title: str = "Itinera map",
) -> bytes:
    """One self-contained page: every script and stylesheet inlined as ``data:`` URIs, the offline
    basemap, the time control. ``offline=False`` also offers OpenStreetMap tiles (fetched online)."""
    m = build_map(
        events,
        places,
        window=window,
        layers=DEFAULT_LAYERS - {"mentions"},
        hidden_layers=("uncertainty", "mentions"),  # in the layer control; mentions would cover events
        sources=sources,
        texts=texts,
        mentions=mentions,
        tiles=None if offline else "osm",
        time_control=True,
        asset_mode="data",
    )
    root = m.get_root()
    root.title = escape(title)  # type: ignore[attr-defined]
    return root.render().encode("utf-8")


def export_html(
    events: Iterable[Event],
    places: Mapping[str, Any] | Iterable[Any],
    path: str | Path,
    *,
    window: tuple[date | str | None, date | str | None] | None = None,
    offline: bool = True,
    **kwargs: Any,
) -> Path:
    return write_atomic(path, to_html_bytes(events, places, window=window, offline=offline, **kwargs))
