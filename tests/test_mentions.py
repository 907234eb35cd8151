"""Place mentions: gazetteer-driven, longest names first, not fooled by people, common words or
organisation names, and resolved with the rest of the document as context."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from gazetteer.geoparser import default_gazetteer, parse

GOLD = Path(__file__).resolve().parents[1] / "bench" / "gold"


@pytest.fixture(scope="session")
def memoir_result(memoir_text: str):
    return parse(memoir_text)


@pytest.fixture(scope="session")
def article_result(article_text: str):
    return parse(article_text)


def mentions_of(result, surface: str):
    return [m for m in result.mentions if m.text == surface]


@pytest.mark.parametrize(
    ("surface", "place_id"),
    [
        ("Soviet\\union", "itinera:soviet-union"),
        ("Nikolayevski", "itinera:nikolayevsk-on-amur"),
        ("Belaya Serkovi", "itinera:bila-tserkva"),
        ("Pearl Harbour", "itinera:pearl-harbor"),
        ("Mt. Paektu", "itinera:mount-paektu"),
        ("Ussuri River", "itinera:ussuri-river"),
        ("Camp North", "itinera:camp-north"),
        ("Camp South", "itinera:camp-south"),
        ("North Hamgyong Province", "itinera:north-hamgyong-province"),
        ("Raohe County", "itinera:raohe-county"),
        ("Donganzhen", "itinera:donganzhen"),
        ("northern Manchuria", "itinera:northern-manchuria"),
        ("north Korea", "itinera:north-korea"),
        ("Amur River", "itinera:amur-river"),
        ("Belizovka", "itinera:belizovka"),
        ("Stalingrad", "itinera:stalingrad"),
        ("Kiev", "itinera:kiev"),
        ("Moscow", "itinera:moscow"),
    ],
)
def test_memoir_hard_cases_resolve(memoir_result, memoir_text: str, surface: str, place_id: str):
    found = mentions_of(memoir_result, surface)
    assert found, f"{surface!r} not found"
    for m in found:
        assert memoir_text[m.start : m.end] == surface
        assert m.place_id == place_id


def test_soviet_backslash_union_is_the_soviet_union_every_time(memoir_result, memoir_text: str):
    found = [m for m in memoir_result.mentions if m.place_id == "itinera:soviet-union"]
    assert len(found) == memoir_text.count("Soviet\\union") == 58
    assert {memoir_text[m.start : m.end] for m in found} == {"Soviet\\union"}


def test_the_ussuri_river_span_leaves_out_the_article(memoir_result, memoir_text: str):
    (m,) = mentions_of(memoir_result, "Ussuri River")
    assert memoir_text[m.start - 4 : m.end] == "the Ussuri River"


def test_longest_name_wins(memoir_result):
    texts = {m.text for m in memoir_result.mentions}
    assert "Soviet Far East" in texts
    # "Far East" inside "Soviet Far East" is not a second mention
    spans = sorted((m.start, m.end) for m in memoir_result.mentions)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert "Hamgyong" not in texts


PEOPLE = [
    "Kim Chaek",
    "Kang Kon",
    "Zhou Bao-zhong",
    "Zhang Shou-jian",
    "Choe Yong Gon",
    "An Kil",
    "Apanasenko",
    "Sorkin",
    "Nichev",
    "Stalin",
    "Hitler",
    "Lenin",
    "Mao Ze-dong",
    "He Long",
    "Kang Sheng",
    "Kim Il Sung",
]


def test_people_are_not_places(memoir_result, memoir_text: str):
    for name in PEOPLE:
        spans = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", memoir_text)]
        assert spans, name
        for a, b in spans:
            overlapping = [m for m in memoir_result.mentions if m.start < b and a < m.end]
            assert not overlapping, (name, [m.text for m in overlapping])


def test_people_in_the_article_are_not_places(article_result):
    assert not any(m.text.startswith("Kim") for m in article_result.mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Colonel Tula inspected the troops.", []),
        ("Colonel Tula inspected the troops. Later he went to Tula.", ["Tula"]),
        ("Marshal Zhukov said nothing.", []),
        ("The Young General spoke.", []),
        ("Reading is fun. We went to Reading in 1950.", ["Reading"]),
        ("Kursk was quiet. The train left Kursk at noon.", ["Kursk", "Kursk"]),
        ("Nevertheless, Moreover, Anyway. Photo: Address: Privacy Policy", []),
        ("He met Kim Chaek in Pyongyang.", ["Pyongyang"]),
        ("The Special Political Police filed it.", []),
        ("the German army and the Soviet army", []),
    ],
)
def test_people_common_words_and_name_parts_are_rejected(text: str, expected: list[str]):
    assert [m.text for m in parse(text).mentions] == expected


def test_common_words_in_the_seeds_are_not_places(memoir_result, article_result):
    texts = {m.text for r in (memoir_result, article_result) for m in r.mentions}
    words = ["Nevertheless", "Moreover", "Anyway", "Later", "Photo", "Address", "Privacy", "June", "Showa"]
    words += ["Sino", "Battle", "Red", "Police", "University", "Phone"]
    for word in words:
        assert word not in texts


def test_demonyms_are_not_mentions(memoir_result):
    texts = {m.text for m in memoir_result.mentions}
    assert not texts & {"Soviet", "Korean", "Chinese", "Japanese", "Siberian", "German", "Czechoslovak"}


@pytest.mark.parametrize(
    ("surface", "organisation", "place_id"),
    [
        ("Kwantung", "Kwantung Army", "itinera:kwantung"),
        ("Namyang", "Namyang police station", "itinera:namyang"),
        ("Kowon", "Kowon police station", "itinera:kowon"),
        ("Kyongsong", "Kyongsong University", "itinera:seoul"),
        ("Voronezh", "Voronezh front", "itinera:voronezh"),
        ("Central Asian", "Central Asian Military District", "itinera:central-asia"),
        ("Khabarovsk", "Khabarovsk Red Army", "itinera:khabarovsk"),
        ("East Asia", "Great East Asia War", "itinera:east-asia"),
    ],
)
def test_places_inside_organisation_names(memoir_result, surface: str, organisation: str, place_id: str):
    inside = [m for m in memoir_result.mentions if m.text == surface and m.role == "in_organisation"]
    assert inside, surface
    assert inside[0].organisation == organisation
    assert inside[0].place_id == place_id


def test_soviet_far_east_forces_is_an_organisation_but_the_region_is_a_place(memoir_result):
    sfe = [m for m in memoir_result.mentions if m.place_id == "itinera:soviet-far-east"]
    roles = {(m.role, m.organisation) for m in sfe}
    assert ("in_organisation", "Soviet Far East Forces") in roles
    assert ("place", None) in roles


def test_article_footer_places_resolve_with_their_neighbours_as_context(article_result):
    got = {m.text: m.place_id for m in article_result.mentions}
    # "Dong Da" is also a village in China; Hanoi and Vietnam beside it pick the one in Hanoi
    assert got["Dong Da District"] == "geonames:8616121"
    assert got["Hanoi City"] == "geonames:1581130"
    assert got["Vietnam"] == "geonames:1562822"
    assert got["Democratic People's Republic of Korea"] == "itinera:north-korea"


def test_context_picks_the_namesake_near_the_other_places():
    near_russia = parse("We went from Moscow to Kirov and then to Perm.")
    kirov = next(m for m in near_russia.mentions if m.text == "Kirov")
    assert default_gazetteer().get(kirov.place_id).country_codes == ("RU",)  # not a namesake elsewhere
    assert kirov.alternatives  # the other Kirovs are kept as alternatives


def _score(result, gold_file: Path) -> tuple[float, float, float]:
    gold = {(g["start"], g["end"]): g["place_id"] for g in json.loads(gold_file.read_text())["mentions"]}
    found = {(m.start, m.end): m.place_id for m in result.mentions}
    tp = len(gold.keys() & found.keys())
    right = sum(1 for k in gold.keys() & found.keys() if gold[k] == found[k])
    return tp / len(found), tp / len(gold), right / max(tp, 1)


def test_quality_against_the_gold_annotations(memoir_result, article_result):
    for result, name in ((memoir_result, "memoir"), (article_result, "article")):
        precision, recall, resolved = _score(result, GOLD / f"{name}.gold.json")
        assert precision >= 0.95 and recall >= 0.95 and resolved >= 0.95, (name, precision, recall, resolved)


def test_gold_offsets_match_the_seed_texts(memoir_text: str, article_text: str):
    import hashlib

    for text, name in ((memoir_text, "memoir"), (article_text, "article")):
        gold = json.loads((GOLD / f"{name}.gold.json").read_text())
        assert gold["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        for g in gold["mentions"]:
            assert text[g["start"] : g["end"]] == g["text"]
