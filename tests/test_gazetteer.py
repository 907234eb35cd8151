"""The gazetteer on its real data: the curated LPF file over GeoNames cities500.

Expected coordinates come from our own reading of the seed texts and from atlases (not from the data
file): a place resolves right when the expected point lies inside its geometry or within its
uncertainty radius of it.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import FrozenInstanceError

import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from shapely.geometry import Point
from shapely.ops import nearest_points

from gazetteer import Candidate, Gazetteer, PlaceNotFound
from gazetteer.distance import distance_km
from gazetteer.geocoder import year_span

SLUGS = [
    "manchuria",
    "northern-manchuria",
    "northeast-china",
    "manchukuo",
    "kwantung",
    "khabarovsk",
    "camp-north",
    "camp-south",
    "ussuri-river",
    "amur-river",
    "yanan",
    "raohe-county",
    "donganzhen",
    "nikolayevsk-on-amur",
    "maritime-province",
    "rehe-province",
    "north-hamgyong-province",
    "namyang",
    "kowon",
    "seoul",
    "mount-paektu",
    "belizovka",
    "siberia",
    "soviet-far-east",
    "central-asia",
    "korea",
    "north-korea",
    "china",
    "japan",
    "soviet-union",
    "germany",
    "united-states",
    "britain",
    "france",
    "czechoslovakia",
    "poland",
    "europe",
    "east-asia",
    "pacific-ocean",
    "pearl-harbor",
    "hawaii",
    "moscow",
    "leningrad",
    "kiev",
    "kharkov",
    "minsk",
    "stalingrad",
    "voronezh",
    "berlin",
    "lublin",
    "bila-tserkva",
    "pyongyang",
    "chosen",
    "mongolian-peoples-republic",
    "republic-of-china",
]


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer()


def km_from(place, lat: float, lon: float) -> float:
    """0 when (lat, lon) lies in the place's area, else km from its geometry (or point) to it."""
    geom = place.shape
    pt = Point(lon, lat)
    if geom.geom_type in ("Polygon", "MultiPolygon") and geom.contains(pt):
        return 0.0
    near, _ = nearest_points(geom, pt)
    return distance_km(near.y, near.x, lat, lon)


# (as the texts write it, year, expected curated id, a point we expect it at (lat, lon))
SEED_PLACES = [
    ("Manchuria", 1940, "manchuria", 45.75, 126.65),  # Harbin lies in it
    ("northern Manchuria", 1940, "northern-manchuria", 47.35, 130.3),  # Jiamusi
    ("Northeast China", 1946, "northeast-china", 41.8, 123.43),  # Shenyang
    ("Manchukuo", 1940, "manchukuo", 43.88, 125.32),  # Xinjing / Changchun, its capital
    ("Kwantung", 1940, "kwantung", 38.91, 121.6),  # Dalian
    ("Khabarovsk", 1942, "khabarovsk", 48.48, 135.07),
    ("Camp North", 1943, "camp-north", 48.74, 135.73),  # Vyatskoye on the Amur
    ("Camp South", 1941, "camp-south", 43.8, 131.95),  # near Voroshilov (Ussuriysk)
    ("the Ussuri River", 1941, "ussuri-river", 45.47, 133.42),  # it flows past Lesozavodsk
    ("the Ussuri", 1941, "ussuri-river", 48.27, 134.68),  # and meets the Amur at Kazakevichevo
    ("the Amur", 1942, "amur-river", 50.26, 127.53),  # Blagoveshchensk / Heihe
    ("Yanan", 1940, "yanan", 36.59, 109.49),
    ("Yan'an", 1940, "yanan", 36.59, 109.49),
    ("Raohe County", 1940, "raohe-county", 46.8, 134.01),  # its seat, Raohe town
    ("Nikolayevski", 1942, "nikolayevsk-on-amur", 53.14, 140.72),
    ("Maritime Province", 1941, "maritime-province", 43.12, 131.9),  # Vladivostok
    ("Rehe Province", 1940, "rehe-province", 40.97, 117.93),  # Chengde, its old capital
    ("North Hamgyong Province", 1945, "north-hamgyong-province", 41.8, 129.78),  # Chongjin
    ("Namyang", 1945, "namyang", 42.95, 129.86),  # on the Tumen opposite Tumen city
    ("Kowon", 1945, "kowon", 39.44, 127.24),
    ("Kyongsong", 1945, "seoul", 37.57, 126.98),
    ("Mt. Paektu", 1945, "mount-paektu", 42.0, 128.06),
    ("Belizovka", 1942, "belizovka", 48.6, 135.1),  # near Khabarovsk, as the note argues
    ("Siberia", 1942, "siberia", 55.03, 82.92),  # Novosibirsk
    ("the Far East", 1942, "soviet-far-east", 48.48, 135.07),
    ("Soviet Far East", 1942, "soviet-far-east", 43.12, 131.9),
    ("Central Asia", 1942, "central-asia", 41.3, 69.24),  # Tashkent
    ("Korea", 1945, "korea", 39.03, 125.75),
    ("north Korea", 1946, "north-korea", 39.03, 125.75),
    ("Democratic People's Republic of Korea", 1950, "north-korea", 39.03, 125.75),
    ("China", 1940, "china", 39.9, 116.4),
    ("Japan", 1941, "japan", 35.69, 139.69),
    ("the Soviet Union", 1942, "soviet-union", 55.75, 37.62),
    ("Soviet\\union", 1942, "soviet-union", 55.75, 37.62),  # as the memoir file writes it
    ("Germany", 1942, "germany", 52.52, 13.4),
    ("the United States", 1941, "united-states", 38.9, -77.04),
    ("Britain", 1941, "britain", 51.51, -0.13),
    ("France", 1940, "france", 48.86, 2.35),
    ("Czechoslovakia", 1938, "czechoslovakia", 50.08, 14.44),
    ("Poland", 1939, "poland", 52.23, 21.01),
    ("Europe", 1942, "europe", 48.86, 2.35),
    ("East Asia", 1942, "east-asia", 39.9, 116.4),
    ("the Pacific", 1941, "pacific-ocean", 0.0, -150.0),
    ("Pearl Harbour", 1941, "pearl-harbor", 21.35, -157.97),
    ("Hawaii", 1941, "hawaii", 21.31, -157.86),
    ("Moscow", 1941, "moscow", 55.75, 37.62),
    ("Leningrad", 1942, "leningrad", 59.94, 30.31),
    ("Kiev", 1941, "kiev", 50.45, 30.52),
    ("Kharkov", 1942, "kharkov", 49.99, 36.23),
    ("Minsk", 1941, "minsk", 53.9, 27.57),
    ("Stalingrad", 1942, "stalingrad", 48.71, 44.51),
    ("Voronezh", 1942, "voronezh", 51.67, 39.18),
    ("Berlin", 1945, "berlin", 52.52, 13.4),
    ("Lublin", 1944, "lublin", 51.25, 22.57),
    ("Belaya Serkovi", 1941, "bila-tserkva", 49.8, 30.11),
    ("Pyongyang", 1945, "pyongyang", 39.03, 125.75),
]


@pytest.mark.parametrize(("name", "year", "slug", "lat", "lon"), SEED_PLACES)
def test_seed_place_resolves_to_the_curated_place(gz, name, year, slug, lat, lon):
    best = gz.candidates(name, when=year)[0]
    assert best.place.id == f"itinera:{slug}", best.reasons
    assert not best.fuzzy
    assert km_from(best.place, lat, lon) <= best.place.uncertainty_km
    assert best.place.citation


def test_donganzhen_is_a_town_of_raohe_county(gz):
    best = gz.candidates("Donganzhen", when=1940)[0]
    assert best.place.id == "itinera:donganzhen"
    county = gz.get("itinera:raohe-county")
    assert county.shape.contains(Point(best.place.lon, best.place.lat))
    assert best.place.note  # the identification is a judgement and says so


def test_every_brief_slug_is_curated(gz):
    ids = {p.id for p in gz.curated_places()}
    assert {f"itinera:{s}" for s in SLUGS} <= ids


def test_rivers_are_lines_and_regions_are_polygons_or_wide_circles(gz):
    for place in gz.curated_places():
        kind = (place.geometry or place.point)["type"]
        if place.feature_type == "river":
            assert kind in ("LineString", "MultiLineString"), place.id
        if place.feature_type in ("region", "province", "county", "country"):
            # a historical region no package outlines is a cited point with a radius of 100 km or more
            assert kind in ("Polygon", "MultiPolygon") or place.uncertainty_km >= 100, place.id


# --- time hints ------------------------------------------------------------------------------------


def test_stalingrad_in_1942_is_volgograd_with_the_period_as_reason(gz):
    best = gz.candidates("Stalingrad", when=1942)[0]
    assert best.place.id == "itinera:stalingrad"
    assert any("1925/1961" in r and "1942" in r for r in best.reasons)


def test_a_name_out_of_its_period_scores_lower(gz):
    in_time = gz.candidates("Leningrad", when=1942)[0]
    out_of_time = gz.candidates("Leningrad", when=2005)[0]
    assert in_time.place.id == out_of_time.place.id == "itinera:leningrad"
    assert in_time.score > out_of_time.score
    assert any("not in 2005" in r for r in out_of_time.reasons)


def test_a_place_outside_its_validity_scores_lower(gz):
    during = gz.candidates("Manchukuo", when="1940")[0]
    after = gz.candidates("Manchukuo", when="1950")[0]
    assert during.score > after.score
    assert any("only, not in 1950" in r for r in after.reasons)


def test_edtf_time_hints_are_read():
    assert year_span(1942) == (1942, 1942)
    assert year_span("1942-07") == (1942, 1942)
    assert year_span("1925/1961") == (1925, 1961)
    assert year_span("194X") == (1940, 1949)
    assert year_span("1945/..")[0] == 1945
    assert year_span("soon") is None


def test_time_hint_picks_between_two_places_of_one_name(tmp_path):
    extra = tmp_path / "mine.lpf.json"
    feats = [
        {"@id": "user:old-town", "type": "Feature", "geometry": {"type": "Point", "coordinates": [10, 50]},
         "properties": {"title": "Oldtown", "feature_type": "settlement"},
         "names": [{"toponym": "Oldtown"}, {"toponym": "Testburg", "when": {"timespans": [
             {"start": {"in": "1900"}, "end": {"in": "1930"}}]}}]},
        {"@id": "user:new-town", "type": "Feature", "geometry": {"type": "Point", "coordinates": [20, 50]},
         "properties": {"title": "Newtown", "feature_type": "settlement"},
         "names": [{"toponym": "Newtown"}, {"toponym": "Testburg", "when": {"timespans": [
             {"start": {"in": "1931"}, "end": {"in": "1960"}}]}}]},
    ]  # fmt: skip
    extra.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    gz = Gazetteer(extra_files=[extra])
    assert gz.candidates("Testburg", when=1920)[0].place.id == "user:old-town"
    assert gz.candidates("Testburg", when=1942)[0].place.id == "user:new-town"
    assert gz.get("user:new-town").name == "Newtown"


def test_plain_geojson_user_file_is_accepted(tmp_path):
    extra = tmp_path / "additions.geojson"
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [134.9, 48.2]},
         "properties": {"name": "Dacha Zapadnaya"}}]}  # fmt: skip
    extra.write_text(json.dumps(fc), encoding="utf-8")
    best = Gazetteer(extra_files=[extra]).candidates("Dacha Zapadnaya")[0]
    assert best.place.id == "user:additions:1"
    assert (best.place.lat, best.place.lon) == (48.2, 134.9)
    assert "user gazetteer (additions.geojson)" in best.reasons


# --- context hints ---------------------------------------------------------------------------------


def test_moscow_in_a_soviet_text_is_moscow_russia(gz):
    plain = gz.candidates("Moscow")
    hinted = gz.candidates("Moscow", when=1942, context=["Khabarovsk", "Stalingrad", "Leningrad", "Kharkov"])
    for found in (plain, hinted):
        assert found[0].place.id == "itinera:moscow"
        assert km_from(found[0].place, 55.75, 37.62) < 15
    assert any("near the text's other places" in r for r in hinted[0].reasons)
    idaho = next(c for c in hinted if "US" in c.place.country_codes)
    assert idaho.score < hinted[0].score


@pytest.fixture(scope="module")
def geonames_only(tmp_path_factory) -> Gazetteer:
    empty = tmp_path_factory.mktemp("empty") / "none.lpf.json"
    empty.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    return Gazetteer(curated_path=empty)


def test_context_moves_an_ambiguous_modern_name(geonames_only):
    """Without our curated Moscow, context alone decides between Russia and Idaho."""
    alone = geonames_only.candidates("Moscow")[0]
    assert alone.place.country_codes == ("RU",)  # population decides
    in_idaho = geonames_only.candidates("Moscow", context=["Pullman", "Lewiston", "Spokane"])[0]
    assert in_idaho.place.id == "geonames:5601538"  # Moscow, Idaho
    soviet = geonames_only.candidates("Moscow", context=["Khabarovsk", "Voronezh", "Minsk"])[0]
    assert soviet.place.id == "geonames:524901"


def test_context_can_be_places_or_points(gz):
    kharkiv = gz.get("itinera:kharkov")
    assert gz.candidates("Moscow", context=[kharkiv, (48.7, 44.5)])[0].place.id == "itinera:moscow"


# --- GeoNames beneath the curated set --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Harbin", 45.75, 126.65), ("Vladivostok", 43.12, 131.9), ("Jiamusi", 46.8, 130.32)],
)
def test_geonames_only_names_resolve(gz, name, lat, lon):
    best = gz.candidates(name)[0]
    assert best.place.id.startswith("geonames:")
    assert best.place.name == name
    assert km_from(best.place, lat, lon) <= best.place.uncertainty_km
    assert 5 <= best.place.uncertainty_km <= 15


def test_raohe_town_is_only_in_the_500_set_and_ranks_below_the_county(gz):
    found = gz.lookup("Raohe")
    assert found[0].place.id == "itinera:raohe-county"
    town = next(c for c in found if c.place.id == "geonames:2035223")
    assert km_from(town.place, 46.8, 134.01) < 5


def test_geonames_spelling_with_curly_apostrophe(geonames_only):
    best = geonames_only.candidates("Yan'an")[0]
    assert best.place.name == "Yan’an"
    assert km_from(best.place, 36.59, 109.49) < 10


def test_curated_place_hides_its_geonames_twin(gz):
    ids = [c.place.id for c in gz.lookup("Khabarovsk")]
    assert ids[0] == "itinera:khabarovsk"
    assert "geonames:2022890" not in ids


# --- fuzzy, unknown, API shape ---------------------------------------------------------------------


def test_misspelling_is_found_and_marked_fuzzy(gz):
    best = gz.candidates("Khabarovks")[0]
    assert best.place.id == "itinera:khabarovsk"
    assert best.fuzzy
    assert "similarity" in best.reasons[0]
    loc = gz.geocode("Khabarovks")
    assert loc.raw["fuzzy"] is True


def test_first_letter_typo_of_a_geonames_only_name_is_found_and_marked_fuzzy(gz):
    assert not gz.has_name("Movosibirsk")
    best = gz.candidates("Movosibirsk")[0]
    assert best.place.id == "geonames:1496747"  # Novosibirsk
    assert best.fuzzy
    assert best.reasons[0].startswith("fuzzy match: 'Movosibirsk' ~ 'Novosibirsk'")
    assert gz.geocode("Ladivostok").raw["place"].name == "Vladivostok"  # its first letter dropped


def test_exact_lookup_has_no_fuzzy_path(gz):
    assert gz.lookup("Khabarovks") == []


def test_unknown_name_gives_none_and_place_not_found(gz):
    assert gz.geocode("Qxzvbnmor") is None
    assert gz.candidates("Qxzvbnmor") == []
    with pytest.raises(PlaceNotFound):
        gz.resolve("Qxzvbnmor")


def test_nearest_names_for_a_near_miss(gz):
    assert "Volgograd" in gz.suggest("Stalingrax")  # through its historical name Stalingrad
    assert gz.suggest("Vladivostox", 3)[0] == "Vladivostok"
    with pytest.raises(PlaceNotFound) as err:
        gz.resolve("Qxzvbnmor")
    assert isinstance(err.value.suggestions, list)
    assert "not found" in str(err.value)


def test_geocode_returns_a_geopy_location_with_our_place(gz):
    loc = gz.geocode("Kharkov")
    assert isinstance(loc, Location)
    assert loc.raw["place"].id == "itinera:kharkov"
    assert (round(loc.latitude, 1), round(loc.longitude, 1)) == (50.0, 36.3)
    assert set(loc.raw) == {"place", "score", "reasons", "fuzzy"}


def test_geocode_list_is_ranked(gz):
    assert gz.geocode("Moscow", False) == gz.geocode("Moscow", exactly_one=False)  # geopy's order
    locs = gz.geocode("Moscow", exactly_one=False)
    scores = [loc.raw["score"] for loc in locs]
    assert len(locs) > 3
    assert scores == sorted(scores, reverse=True)


def test_gazetteer_drops_in_for_a_geopy_geocoder(gz):
    assert isinstance(gz, Geocoder)
    geocode = RateLimiter(gz.geocode, min_delay_seconds=0)
    assert geocode("Stalingrad", when=1942).raw["place"].id == "itinera:stalingrad"
    assert geocode("Qxzvbnmor") is None


def test_has_name_is_exact_and_knows_both_sources(gz):
    for known in ("Kharkov", "the Ussuri", "Ussuri River", "Soviet\\union", "Vladivostok", "Raohe", "Yan’an"):
        assert gz.has_name(known), known
    for unknown in ("Khabarovks", "Apanasenko", "Zhou Bao-zhong", "", "  "):
        assert not gz.has_name(unknown), unknown


def test_get_finds_curated_and_geonames_ids(gz):
    assert gz.get("itinera:seoul").name == "Seoul"
    assert gz.get("geonames:2037013").name == "Harbin"
    assert gz.get("geonames:999999999") is None
    assert gz.get("itinera:atlantis") is None


def test_candidate_scores_and_reasons_are_well_formed(gz):
    for c in gz.candidates("Moscow", when=1942, context=["Kiev"]):
        assert isinstance(c, Candidate)
        assert 0.0 <= c.score <= 1.0
        assert c.reasons and all(isinstance(r, str) for r in c.reasons)


def test_ranking_builds_a_place_only_for_the_candidates_used(geonames_only):
    """Namesakes are ranked on the index's columns; a ``Place`` is made when a candidate is read."""
    made = geonames_only.geonames._place.cache_info
    before = made().hits + made().misses
    found = geonames_only.lookup("San Jose")
    assert len(found) > 20
    assert made().hits + made().misses == before
    loc = geonames_only.geocode("San Jose")
    assert made().hits + made().misses == before + 1
    assert loc.raw["place"] is found[0].place
    assert found[0].place.population == max(c.place.population for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_candidates_are_immutable_values_that_pickle(gz):
    c = gz.candidates("Harbin", when=1942)[0]
    with pytest.raises(FrozenInstanceError):
        c.score = 1.0
    same = Candidate(c.place, c.score, c.reasons, c.fuzzy, c.matched_name)
    assert same == c
    assert hash(same) == hash(c)
    assert pickle.loads(pickle.dumps(c)) == c
    assert "Harbin" in repr(c)


def test_plain_geonames_scores_equal_the_general_scorer(geonames_only):
    """The shortcut that scores GeoNames rows without a generic word or context gives the very same
    floats as the general scorer (whose reasons a candidate shows)."""
    from gazetteer.geocoder import _PREFERRED, _VARIANT, _plain_row_score

    for name in ("San Jose", "Moscow", "Harbin", "Springfield", "Russia", "Chabarowsk", "Raohe"):
        for c in geonames_only.lookup(name, when=1942):
            p = c.place
            if p.source != "geonames":
                continue  # the packaged layers (subdivisions, rivers...) are scored by the general scorer
            preferred = any(r.startswith("preferred name") for r in c.reasons)
            general = geonames_only._score(
                "geonames", p.feature_type, p.population, None, _PREFERRED if preferred else _VARIANT,
                (False, False, False, False), None, (1942.0, 1942.0), None, None,
            )  # fmt: skip
            assert _plain_row_score(preferred, p.feature_type, p.population) == general == c.score
