"""Name keys: the spellings a 1940s text and GeoNames use for one place fold to one key."""

from __future__ import annotations

import pytest

from gazetteer.names import generic_variants, normalize, split_generic


@pytest.mark.parametrize(
    "variants",
    [
        ["Yan'an", "Yan’an", "Yanʼan", "Yan‘an", "Yan-an", "Yanan", "YANAN", "the Yan'an"],
        ["Mt. Paektu", "Mt Paektu", "Mount Paektu", "mount  paektu"],
        ["Pearl Harbour", "Pearl Harbor", "pearl-harbor"],
        ["Nikolayevski", "Nikolayevsk", "Nikolaevsk", "Nikolayevskiy", "Nikolayevsky", "Nikolayevskii"],
        ["Khabarovsk", "Habarovsk", "Khabárovsk"],
        ["Nikolayevsk-on-Amur", "Nikolayevsk on Amur", "Nikolaevsk-on-Amur"],
        ["Belyy", "Belyi", "Belyj", "Bely"],
        ["Ussuriysk", "Ussuriisk", "Ussurijsk"],
        ["Kraków", "Krakow", "KRAKOW"],
        ["Kyŏngsŏng", "Kyongsong"],
        ["the Soviet Union", "Soviet Union", "Soviet\\union", "Soviet\u00a0Union"],
    ],
)
def test_spellings_of_one_place_share_a_key(variants):
    keys = {normalize(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kharkov", "Kiev"), ("Moscow", "Minsk"), ("Seoul", "Soul River"), ("Korea", "North Korea")],
)
def test_different_places_keep_different_keys(a, b):
    assert normalize(a) != normalize(b)


def test_a_lone_the_is_kept():
    assert normalize("The") == "the"
    assert normalize("") == ""
    assert normalize("  ’ - ") == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ussuri River", ("ussuri", "river")),
        ("the Ussuri River", ("ussuri", "river")),
        ("Raohe County", ("raohe", "county")),
        ("Rehe Province", ("rehe", "province")),
        ("Mt. Paektu", ("paektu", "mountain")),
        ("Lake Khanka", ("hanka", "lake")),
        ("Primorsky Krai", ("primorsk", "province")),
        ("Khabarovsk", ("habarovsk", None)),
        ("River", ("river", None)),
    ],
)
def test_generic_word_is_split_with_its_type(name, expected):
    assert split_generic(name) == expected


def test_generic_variant_only_for_a_matching_type():
    assert generic_variants("Ussuri River", "river") == ["ussuri"]
    assert generic_variants("Raohe County", "county") == ["raohe"]
    assert generic_variants("Raohe County", "province") == ["raohe"]  # admin units are one family
    assert generic_variants("Red River", "settlement") == []  # a town called Red River keeps its name


def test_other_scripts_and_letters_fold_with_anyascii():
    from gazetteer.names import normalize

    assert normalize("Москва") == normalize("Moskva") == "moskva"
    assert normalize("Łódź") == "lodz"
    assert normalize("Şanlıurfa") == "sanliurfa"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Al-Basrah", "Basrah"), ("Kut-el-Amara", "Kut al Amara"), ("Shatt al-Arab", "Shatt Arab"),
     ("An Nasiriyah", "Nasiriyah")],
)  # fmt: skip
def test_bare_keys_drop_arabic_articles_on_both_sides(a, b):
    from gazetteer.names import bare_key

    assert bare_key(a) == bare_key(b)


def test_an_article_is_kept_in_the_ordinary_key():
    assert normalize("El Salvador") != normalize("Salvador")


@pytest.mark.parametrize(("text", "key"), [("U.S.", "US"), ("US", "US"), ("U. K.", "UK"), ("NSW", "NSW")])
def test_abbreviations_are_read_in_capitals(text, key):
    from gazetteer.names import abbreviation_key

    assert abbreviation_key(text) == key


@pytest.mark.parametrize("text", ["us", "Us", "u.s.", "Texas", "A", "ABCDEFGH"])
def test_ordinary_words_are_not_abbreviations(text):
    from gazetteer.names import abbreviation_key

    assert abbreviation_key(text) is None


@pytest.mark.parametrize(
    ("variants", "outline"),
    [(["Basra", "Basreh", "Busra", "Bassora", "Al-Basrah"], "bsr"), (["Baghdad", "Bagdad"], "bkd"),
     (["Mosul", "Mossul"], "msl"), (["Kut", "Coot"], "kt"), (["Qurnah", "Gorna", "Korna"], "krn")],
)  # fmt: skip
def test_old_spellings_share_a_consonant_skeleton(variants, outline):
    from gazetteer.names import skeleton

    assert {skeleton(v) for v in variants} == {outline}
