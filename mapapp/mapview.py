"""The dashboard's map: a steady base and the layers that change.

streamlit-folium re-mounts its iframe (a full redraw, and the reader's pan and zoom lost) whenever the
map's own script changes, but swaps the layers passed as ``feature_group_to_add`` in place. So the map
is split: the base (offline basemap, legend, the view on all events) stays the same while the window
moves; the overlays of ``build_map`` for the window go into one FeatureGroup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .index import EventIndex
from .models import Event, Source
from .workspace import places_for

MAP_LIMIT = 20_000
"""Events drawn on the dashboard's map at most (the page's data grows with them; a window with more
says so and draws the earliest); the downloads and the standalone HTML have them all."""


MAP_LAYERS = {
    "bases": "Bases and stays",
    "events": "Other events",
    "routes": "Routes",
    "mentions": "All place mentions",
    "uncertainty": "Uncertainty",
    "polities": "Polities of the period",
}


DEFAULT_MAP_LAYERS = ("bases", "events", "routes", "polities")


def build_layers(chosen: Iterable[str], show_contested: bool) -> set[str]:
    """The sidebar's layer choices as ``build_map`` layer keys (contested claims follow their toggle)."""
    keys = set(chosen) & set(MAP_LAYERS)
    if show_contested and keys & {"bases", "events"}:
        keys.add("contested")
    return keys


def base_map(
    events: Sequence[Event],
    places: Mapping[str, Any],
    sources: Mapping[str, Source],
    tiles: str | None = None,
):
    """The steady part of the map: basemap, legend and the view fitted to every event (one per place).
    ``tiles="osm"`` adds OpenStreetMap tiles, for a reader who is online and asks for them. Its event
    layers go into a group that is never shown: the base keeps only what does not change."""
    from .build import build_map

    sample = base_sample(events, places)
    return build_map(
        sample,
        places_for(sample, places),
        sources=sources,
        layers=("bases", "events", "contested"),
        hidden_layers=("mentions",),
        mentions=(),  # no mentions yet, but the cluster's script: a mentions layer swapped in later needs it
        height=560,
        tiles=tiles,
        overlays_into=overlay_group(),
    )


def base_sample(events: Iterable[Event], places: Mapping[str, Any]) -> list[Event]:
    """One event per place and one per kind: all the base map needs (its extent and its legend)."""
    one_per_place: dict[str, Event] = {}
    kinds: dict[str, Event] = {}
    for e in events:
        if e.place_id not in one_per_place and e.place_id in places:
            one_per_place[e.place_id] = e
            kinds.setdefault(e.kind, e)
        elif e.kind not in kinds and e.place_id in one_per_place:
            kinds[e.kind] = e
    return list({id(e): e for e in [*one_per_place.values(), *kinds.values()]}.values())


def base_key(events: Iterable[Event], places: Mapping[str, Any]) -> str:
    """What the base map hangs on: its extent (snapped as the basemap is cut) and the kinds in its
    legend. Accepting an event at a place already on the map, or moving the window, keeps the key, so
    the base is not built again and the reader's map is not redrawn."""
    from .build import _bbox_of, _core_bounds, _snap

    sample = base_sample(events, places)
    points = [(float(p.lon), float(p.lat)) for e in sample if (p := places.get(e.place_id)) is not None]
    bbox = _snap(_bbox_of(_core_bounds(points) if points else []))
    return f"{bbox}|{','.join(sorted({e.kind for e in sample}))}"


def overlay_group() -> Any:
    """The group ``build_map(overlays_into=...)`` fills, for ``st_folium(feature_group_to_add=)``."""
    import folium

    return folium.FeatureGroup(name="Itinera layers", control=False)


def events_near(
    lat: float, lon: float, events: Iterable[Event], places: Mapping[str, Any], tolerance: float = 0.05
) -> list[Event]:
    """The events drawn at the point a reader clicked (a circle marker reports its own centre): those at
    the nearest place within ``tolerance`` degrees, so a city is not confused with the region whose
    point lies beside it."""
    scored = []
    for e in events:
        p = places.get(e.place_id)
        if p is not None and abs(p.lat - lat) <= tolerance and abs(p.lon - lon) <= tolerance:
            scored.append((abs(p.lat - lat) + abs(p.lon - lon), e))
    if not scored:
        return []
    best = min(d for d, _ in scored)
    return [e for d, e in scored if d <= best + 1e-6]


def home_view(events: Iterable[Event], places: Mapping[str, Any]) -> tuple[tuple[float, float], int] | None:
    """Where the map first looks: the median event's point (a far-off battle or two does not pull the
    view out to half the globe), at a zoom that holds the central half of the events."""
    pts = [(p.lat, p.lon) for e in events if (p := places.get(e.place_id)) is not None]
    if not pts:
        return None
    lats = np.array([p[0] for p in pts])
    lons = np.array([p[1] for p in pts])
    lat_lo, lat_hi = np.percentile(lats, [25, 75])
    lon_lo, lon_hi = np.percentile(lons, [25, 75])
    spread = max(lon_hi - lon_lo, (lat_hi - lat_lo) * 1.5, 2.0)
    zoom = int(np.clip(np.floor(np.log2(360.0 / spread)) + 1, 2, 8))
    return (round(float(np.median(lats)), 3), round(float(np.median(lons)), 3)), zoom


def map_events(index: EventIndex, mask: np.ndarray, limit: int = MAP_LIMIT) -> list[Event]:
    """The events the filters keep, the earliest first, at most ``limit`` of them."""
    rows = np.flatnonzero(mask)
    if len(rows) > limit:
        rows = rows[np.argsort(index.start[rows], kind="stable")[:limit]]
    return [index.events[i] for i in rows]


def fit_view(events: Iterable[Event], places: Mapping[str, Any]) -> tuple[tuple[float, float], int] | None:
    """A view that holds every one of ``events`` (with their origins): what the map shows after new
    material arrives, so a reader sees all of it, the far ends of a journey included."""
    pts = [
        (p.lat, p.lon)
        for e in events
        for pid in (e.place_id, e.from_place_id)
        if pid and (p := places.get(pid)) is not None
    ]
    if not pts:
        return None
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    spread = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.5, 0.5)
    zoom = int(np.clip(np.floor(np.log2(360.0 / spread)), 2, 10))
    centre = (round((min(lats) + max(lats)) / 2, 3), round((min(lons) + max(lons)) / 2, 3))
    return centre, zoom
