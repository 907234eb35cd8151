"""Subdivisions of every country (states, provinces, regions...) from ``countrystatecity-countries``.

The package ships the ISO 3166-2 subdivisions of 250 countries (5,328 in version 2.0.1) with a point
for each: GeoNames' own representative point, the one other tools use. Its data is under the ODbL:
we read the installed files unmodified and credit them in every place's citation (and in
data/PLACES.md). It also gives each country GeoNames' representative point (China 35N 105E, Canada
60N 95W), which the GeoNames index uses for its country rows instead of the capital.

Levels are mixed in that data (England and the London boroughs sit side by side), so each subdivision
is typed by its own ``type``: first-level units become ``province`` (or ``region``), the lower units
that some countries list beside them (districts, boroughs, municipalities...) ``county``, which ranks
below a town of the same name.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..distance import distances_km
from ..errors import GazetteerDataError
from ..places import AlternateName, Place
from ..resources import cached_json
from .indexed import IndexedSource

PREFIX = "iso3166-2:"
FORMAT_VERSION = 1  # of the derived table kept in the cache folder
FIRST_LEVEL_RADIUS_KM = 300.0  # a country with one subdivision (or one alone at its level): a default
LOWER_LEVEL_RADIUS_KM = 40.0
NEIGHBOUR_SHARE = 0.5  # radius = this share of the distance to the third-nearest sibling's point
NEIGHBOURS = 3  # the third: the nearest ones are often small units inside or beside it (Berlin, Hong Kong)
MIN_RADIUS_KM, MAX_RADIUS_KM = 15.0, 1500.0
ENCLAVE_KM = 30.0  # a sibling's point this close is a city inside the region (or the region around it)
# Types that are below the first level wherever a country lists them beside others.
_LOWER_TYPES = frozenset({
    "district", "municipality", "county", "council area", "london borough", "unitary authority",
    "metropolitan district", "two-tier county", "parish", "city", "commune", "rural municipality",
    "urban municipality", "district municipality", "local council", "metropolitan department",
    "metropolitan city", "city with county rights", "village", "quarter", "town", "borough",
    "city corporation", "free municipal consortium", "decentralized regional entity", "island",
    "administrative atoll", "division", "canton",
})  # fmt: skip
# A province or department is second-level in a country that also lists regions above them (Italy, Spain,
# France, the Philippines).
_ABOVE_PROVINCES = frozenset({"region", "autonomous community", "metropolitan region"})


def _package_dir() -> Path:
    """The package's data folder, found without importing it (its models cost a quarter of a second)."""
    from importlib.util import find_spec

    spec = find_spec("countrystatecity_countries")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerDataError("countrystatecity-countries is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def package_version() -> str:
    try:
        return version("countrystatecity-countries")
    except PackageNotFoundError:
        return "unknown"


def citation() -> str:
    return (
        f"countrystatecity-countries {package_version()} (dr5hn/countries-states-cities-database, ODbL 1.0); "
        "point: GeoNames' representative point"
    )


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon): GeoNames' representative point of each country, as the package gives it."""
    rows = json.loads((_package_dir() / "countries.json").read_text(encoding="utf-8"))
    out: dict[str, tuple[float, float]] = {}
    for c in rows:
        try:
            out[c["iso2"]] = (float(c["latitude"]), float(c["longitude"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _looks_lower(kind: str, kinds: Counter) -> bool:
    if kind in _LOWER_TYPES:
        return True
    return kind in ("province", "department") and bool(_ABOVE_PROVINCES & set(kinds))


def _first_level(kind: str, kinds: Counter) -> bool:
    """Whether a country's subdivision of this kind is first-level. A kind that is usually lower (a
    municipality, a district) counts as first-level where it is rarer than the country's main first-level
    kind: China's four municipalities sit beside its provinces, England's boroughs below its regions."""
    if len(kinds) <= 2:
        return True  # one kind of unit (perhaps with a capital district): that is the first level
    if not _looks_lower(kind, kinds):
        return True
    main = max((n for k, n in kinds.items() if not _looks_lower(k, kinds)), default=0)
    return kinds[kind] < main


def _point(row: dict[str, Any]) -> tuple[float, float] | None:
    try:
        return float(row["latitude"]), float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


def _radii(points: list[tuple[float, float]], default: float) -> list[tuple[float, str]]:
    """Each subdivision's radius and how it was found: the data gives no area, but siblings tile their
    country, so half the distance to the third-nearest sibling's point is about a unit's reach (Texas
    ~350 km, Rhode Island ~75 km); the third, since the nearest are often enclaves or small neighbours."""
    if len(points) < 2:
        return [(default, "a default for its level (no sibling to measure against)")] * len(points)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    out = []
    for lat, lon in points:
        d = distances_km(lat, lon, lats, lons)
        d = d[d >= ENCLAVE_KM]  # not itself, nor a city inside its region (Moscow, Moscow Oblast)
        if d.size == 0:
            out.append((default, "a default for its level (no sibling to measure against)"))
            continue
        d.sort()
        k = min(NEIGHBOURS, d.size)
        reach = float(d[k - 1])
        radius = round(min(MAX_RADIUS_KM, max(MIN_RADIUS_KM, NEIGHBOUR_SHARE * reach)), 1)
        out.append((radius, f"{NEIGHBOUR_SHARE:g} of the {reach:,.0f} km to its sibling no. {k} by distance"))
    return out


def _place(row: dict[str, Any], first: bool, cite: str, radius: float, how: str) -> Place | None:
    where = _point(row)
    if where is None:
        return None
    lat, lon = where
    code = row.get("iso3166_2") or f"{row['country_code']}-{row.get('state_code', row['id'])}"
    name = row["name"].strip()
    alternates = []
    native = (row.get("native") or "").strip()
    if native and native != name:
        alternates.append(AlternateName(native, kind="variant"))
    kind = row.get("type") or "subdivision"
    ftype = ("region" if kind in ("country", "region") else "province") if first else "county"
    level = "first-level" if first else "lower-level"
    return Place(
        id=f"{PREFIX}{code}",
        name=name,
        feature_type=ftype,
        lat=round(lat, 5),
        lon=round(lon, 5),
        uncertainty_km=radius,
        alternate_names=tuple(alternates),
        citation=cite,
        note=f"ISO 3166-2 {code}, a {kind} ({level}); radius estimated: {how}.",
        country_codes=(row["country_code"],),
        source="subdivisions",
        description=kind,
    )


def build_places() -> list[Place]:
    """Every subdivision the package lists, as a ``Place`` (reads 250 files and measures the radii)."""
    cite = citation()
    places: list[Place] = []
    for path in sorted((_package_dir() / "by-country").glob("*/states.json")):
        rows = [r for r in json.loads(path.read_text(encoding="utf-8")) if _point(r) is not None]
        kinds = Counter(r.get("type") for r in rows)
        levels = [_first_level(r.get("type") or "", kinds) for r in rows]
        for first in (True, False):
            group = [r for r, f in zip(rows, levels, strict=True) if f is first]
            default = FIRST_LEVEL_RADIUS_KM if first else LOWER_LEVEL_RADIUS_KM
            for row, (radius, how) in zip(group, _radii([_point(r) for r in group], default), strict=True):
                p = _place(row, first, cite, radius, how)
                if p is not None:
                    places.append(p)
    return places


_PLAIN = ("id", "name", "feature_type", "lat", "lon", "uncertainty_km", "citation", "note", "description")


def load_places(folder: Path | None = None) -> list[Place]:
    """``build_places``, derived once per machine and package version and kept in the cache folder."""

    def rows() -> list[dict[str, Any]]:
        return [
            {**{f: getattr(p, f) for f in _PLAIN}, "cc": p.country_codes[0],
             "alternates": [a.name for a in p.alternate_names]}
            for p in build_places()
        ]  # fmt: skip

    cached = cached_json(f"subdivisions-v{FORMAT_VERSION}-{package_version()}.json", rows, folder)
    return [
        Place(**{f: r[f] for f in _PLAIN}, country_codes=(r["cc"],), source="subdivisions",
              alternate_names=tuple(AlternateName(a, kind="variant") for a in r["alternates"]))
        for r in cached
    ]  # fmt: skip


class SubdivisionSource(IndexedSource):
    """States, provinces, regions and their like worldwide (ISO 3166-2), from countrystatecity-countries."""

    label = "subdivisions"

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__(load_places(folder))
