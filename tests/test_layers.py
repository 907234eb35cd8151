"""The gazetteer's packaged layers and ranking: first-level regions, US counties, rivers, lakes, seas and
continents, abbreviations, qualifiers, old spellings. Real data: the installed packages and our own tables."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer
from gazetteer.distance import distance_km
from gazetteer.geocoder import _LRU

BAGHDAD = (33.34, 44.40)


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer()


def top(gz: Gazetteer, name: str, **kwargs):
    found = gz.candidates(name, **kwargs)
    assert found, name
    return found[0].place


def test_every_feature_of_the_packaged_layers_carries_a_citation_and_a_source(gz):
    total = 0
    for layer in gz.layers:
        for p in layer.places():
            total += 1
            assert p.citation.strip(), p.id
            assert p.source == layer.label, p.id
            assert p.uncertainty_km > 0, p.id
            assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180, p.id
    assert total > 9000  # ~5,300 subdivisions, ~3,200 counties, ~650 rivers and lakes, seas, continents


def test_bagdad_in_1916_is_baghdad_not_florida(gz):
    loc = gz.geocode("Bagdad", when=1916)
    assert loc.raw["place"].name == "Baghdad"
    assert loc.raw["place"].country_codes == ("IQ",)
    assert any(r.startswith("population") for r in loc.raw["reasons"])


def test_the_red_sea_is_the_sea_not_a_village_called_red(gz):
    place = top(gz, "Red Sea")
    assert (place.name, place.feature_type) == ("Red Sea", "sea")


@pytest.mark.parametrize("name", ["Tigris", "the Tigris", "Tigris River", "River Tigris"])
def test_the_tigris_is_the_river_in_every_form(gz, name):
    place = top(gz, name)
    assert (place.name, place.feature_type) == ("Tigris", "river")
    assert distance_km(place.lat, place.lon, *BAGHDAD) < 700


def test_england_is_the_country_of_the_uk_not_a_town_in_arkansas(gz):
    place = top(gz, "England")
    assert place.country_codes == ("GB",)
    assert place.feature_type == "region"


@pytest.mark.parametrize(
    ("name", "code"),
    [("Texas", "US-TX"), ("Ohio", "US-OH"), ("Queensland", "AU-QLD"), ("Tamil Nadu", "IN-TN"),
     ("New South Wales", "AU-NSW"), ("Scotland", "GB-SCT")],
)  # fmt: skip
def test_first_level_regions_resolve_to_their_subdivision(gz, name, code):
    assert top(gz, name).id == f"iso3166-2:{code}"


def test_a_countys_full_name_resolves_to_the_county_with_a_wide_radius(gz):
    place = top(gz, "Harris County, Texas")
    assert (place.feature_type, place.description) == ("county", "US-TX")
    assert distance_km(place.lat, place.lon, 29.76, -95.37) < 60  # around Houston
    assert place.uncertainty_km >= 20


def test_us_in_capitals_is_the_united_states_and_the_pronoun_never_is(gz):
    for form in ("U.S.", "US", "USA"):
        assert top(gz, form).country_codes == ("US",), form
    assert all(c.place.country_codes != ("US",) or c.place.feature_type != "country"
               for c in gz.lookup("us"))  # fmt: skip
    assert gz.abbreviations()  # the table of abbreviations for places we do not curate was read


@pytest.mark.parametrize(("abbr", "cc"), [("DRC", "CD"), ("UAE", "AE"), ("USSR", None), ("U.K.", "GB")])
def test_abbreviations_resolve_in_capitals(gz, abbr, cc):
    place = top(gz, abbr)
    assert place.feature_type == "country"
    if cc:
        assert place.country_codes == (cc,)
    assert top(gz, "NSW").id == "iso3166-2:AU-NSW"


def test_a_qualifier_picks_the_namesake_inside_it(gz):
    paris = top(gz, "Paris, Texas")
    assert paris.country_codes == ("US",)
    assert distance_km(paris.lat, paris.lon, 33.66, -95.56) < 10
    alexandria = top(gz, "Alexandria, Egypt")
    assert alexandria.country_codes == ("EG",)
    assert top(gz, "Paris").country_codes == ("FR",)


def test_lookup_within_a_region_is_an_api_and_says_why(gz):
    found = gz.lookup("Paris", within="Texas")
    assert found[0].place.country_codes == ("US",)
    assert "in Texas, as the query says" in found[0].reasons


@pytest.mark.parametrize(("name", "lat", "lon"), [("China", 35.0, 105.0), ("Canada", 60.0, -95.0)])
def test_countries_sit_at_geonames_representative_point(gz, name, lat, lon):
    place = top(gz, name)
    assert (place.lat, place.lon) == (lat, lon)


@pytest.mark.parametrize(
    ("name", "expected", "ftype"),
    [("Persian Gulf", "Persian Gulf", "sea"), ("the Gulf", "Persian Gulf", "sea"),
     ("Mediterranean", "Mediterranean Sea", "sea"), ("Africa", "Africa", "continent"),
     ("Lake Ladoga", "Lake Ladoga", "lake"), ("Shatt al-Arab", "Shatt al Arab", "river"),
     ("Euphrates", "Euphrates", "river"), ("Volga", "Volga", "river")],
)  # fmt: skip
def test_seas_continents_rivers_and_lakes_resolve(gz, name, expected, ftype):
    place = top(gz, name)
    assert (place.name, place.feature_type) == (expected, ftype)


@pytest.mark.parametrize("name", ["Ctesiphon", "Babylon", "Nineveh", "Mesopotamia", "Darfur"])
def test_ancient_sites_and_historical_regions_are_curated_with_a_citation(gz, name):
    place = top(gz, name)
    assert place.source == "curated"
    assert "wikipedia" in place.citation.lower()


@pytest.mark.parametrize(("name", "expected"), [("Al-Basrah", "Basrah"), ("Kut-el-Amara", "Al-Kut")])
def test_arabic_articles_are_dropped_on_both_sides(gz, name, expected):
    assert top(gz, name).name == expected


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("Basreh", "Basrah"), ("Busra", "Basrah"), ("Bassora", "Basrah"), ("Bagdad", "Baghdad"),
     ("Mossul", "Mosul"), ("Coot", "Al-Kut"), ("Gorna", "Al Qurnah"), ("Korna", "Al Qurnah"),
     ("Kut-el-Amara", "Al-Kut")],
)  # fmt: skip
def test_old_spellings_resolve_near_the_texts_places(gz, spelling, expected):
    found = gz.lookup_variant(spelling, near=[BAGHDAD], countries={"IQ"})
    assert found[0].place.name == expected
    assert found[0].fuzzy
    assert "within 500 km of the text's places" in found[0].reasons[0]


def test_basreh_near_baghdad_alone_is_basra(gz):
    assert gz.lookup_variant("Basreh", near=[BAGHDAD])[0].place.name == "Basrah"


def test_the_spelling_fallback_refuses_ordinary_words_and_needs_a_place_to_search(gz):
    assert gz.lookup_variant("Coal", near=[BAGHDAD], countries={"IQ"}) == []
    assert gz.lookup_variant("Bassora") == []  # no points, no countries: no search at all


def test_memos_are_bounded_least_recently_used_first():
    memo = _LRU(2)
    memo.remember("a", 1)
    memo.remember("b", 2)
    assert memo.lookup("a") == 1  # "a" is now the most recent
    memo.remember("c", 3)
    assert set(memo) == {"a", "c"}


@pytest.mark.parametrize("name", ["Basra", "Ismailia", "Kirkuk"])
def test_a_province_named_after_its_chief_town_ranks_below_the_town(gz, name):
    found = gz.candidates(name, fuzzy=False)
    assert found[0].place.feature_type == "settlement"
    province = next(c for c in found if c.place.feature_type == "province")
    assert any(r.startswith("named after its chief town") for r in province.reasons)


def test_odessa_is_the_black_sea_port_not_odessa_texas(gz):
    assert top(gz, "Odessa").country_codes == ("UA",)


def test_a_bad_table_entry_is_refused_with_the_file_and_entry_named(tmp_path):
    from gazetteer.errors import GazetteerError
    from gazetteer.geocoder import _read_abbreviations
    from gazetteer.sources.marine import water_places

    bad = tmp_path / "abbreviations.yaml"
    bad.write_text("abbreviations:\n  - {forms: [us], places: [x]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"abbreviations\.yaml: abbreviations\[0\]: 'us' is not written"):
        _read_abbreviations(bad)
    seas = tmp_path / "marine.yaml"
    seas.write_text("- {name: Red Sea, type: sea, point: [38], radius_km: 1, wp: X}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"marine\.yaml, entry 1: needs name, type, point"):
        water_places(seas)
