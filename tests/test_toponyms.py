"""The geoparser on short texts of our own: what it finds, what it rejects, where it puts each name."""

from __future__ import annotations

import pytest

from gazetteer import parse
from gazetteer.distance import distance_km


def found(text: str, **kw) -> dict[str, object]:
    return {m.text: m for m in parse(text, **kw).mentions}


def near(m, lat: float, lon: float, km: float = 161) -> bool:
    return m.lat is not None and distance_km(m.lat, m.lon, lat, lon) <= km


def test_a_name_at_the_start_of_a_sentence_is_found():
    got = found("Ismailia lay quiet under the sun. Later we went on by train.")
    assert "Ismailia" in got and near(got["Ismailia"], 30.6, 32.27)


def test_people_and_organisations_named_like_places_are_not_places():
    text = (
        "He wrote home to Florence, his wife, every week. "
        "Yesterday The Korea Times printed his letter. "
        "Mr. Washington arrived with General Jackson."
    )
    got = found(text)
    assert "Florence" not in got
    assert not any("Korea" in k for k in got)
    assert "Washington" not in got and "Jackson" not in got


def test_ordinary_sentences_about_places_still_give_mentions():
    got = found("Rostov could not be held in 1942. Odessa received reinforcements.")
    assert near(got["Rostov"], 47.23, 39.72)
    assert near(got["Odessa"], 46.48, 30.73)


def test_capitalised_common_words_are_not_places():
    got = found("Police said the Centre would open. The Commissioner thanked the Council.")
    assert not got


def test_seas_and_rivers_are_water_not_villages():
    got = found("We steamed down the Red Sea and later up the Tigris to the Gulf.")
    assert got["Red Sea"].feature_type in {"sea", "gulf"} and near(got["Red Sea"], 20.0, 38.5, 800)
    assert got["Tigris"].feature_type == "river"


def test_abbreviations_are_places_only_as_written():
    got = found("The U.S. sent doctors to the DRC, and the U.K. sent money. Let us go.")
    assert near(got["U.S."], 39.76, -98.5, 400)
    assert near(got["DRC"], -2.5, 23.5, 600)
    assert "us" not in got


def test_a_qualifier_puts_the_name_inside_its_region():
    got = found("She moved to Paris, Texas, and later to Alexandria, Egypt.")
    assert near(got["Paris"], 33.66, -95.56, 50)
    assert near(got["Alexandria"], 31.2, 29.92, 50)


def test_the_period_and_the_texts_places_choose_between_namesakes():
    got = found("In 1916 we left Basra for Bagdad and reached Baghdad's walls in March 1917.")
    assert near(got["Bagdad"], 33.34, 44.4, 50)
    assert near(got["Basra"], 30.5, 47.8, 50)


@pytest.mark.parametrize("spelling", ["Basreh", "Bassora", "Mossul", "Kut-el-Amara"])
def test_old_spellings_resolve_near_the_texts_other_places(spelling):
    text = f"In 1916 the column marched from Baghdad towards {spelling}, along the Tigris in Mesopotamia."
    got = found(text)
    assert spelling in got and got[spelling].place_id is not None


def test_a_common_word_is_not_read_as_an_old_spelling():
    got = found("In 1916 we burned Coal all the way from Baghdad to Basra.")
    assert "Coal" not in got or got["Coal"].place_id is None


def test_countries_sit_at_geonames_representative_points():
    got = found("Doctors from China and Canada met in Geneva.")
    assert near(got["China"], 35.0, 105.0, 50)
    assert near(got["Canada"], 60.0, -95.0, 50)


def test_every_mention_keeps_its_reasons():
    for m in parse("The caravan reached Damascus from Aleppo in Syria.").mentions:
        assert m.place_id and m.reasons


def test_a_state_abbreviation_after_a_town_qualifies_it_in_every_mention():
    got = parse("PARIS, Tenn. -- The Henry County sheriff said the fire in Paris was out.").mentions
    paris = [m for m in got if m.text.lower() == "paris"]
    assert len(paris) == 2 and all(near(m, 36.30, -88.33, 30) for m in paris)
    assert any(m.text.startswith("Tenn") and m.place_name == "Tennessee" for m in got)
    henry = next(m for m in got if m.text == "Henry County")
    assert near(henry, 36.3, -88.3, 60)


def test_a_name_with_two_strong_readings_follows_the_texts_other_places():
    us = found("Officials in Richmond, Va., and Atlanta said the storm hit Georgia and Alabama hard.")
    assert near(us["Georgia"], 32.7, -83.4, 200)
    caucasus = found("Troops from Georgia crossed into Armenia near Tbilisi.")
    assert near(caucasus["Georgia"], 42.0, 43.5, 200)


def test_a_place_the_model_took_for_a_person_after_a_preposition_of_place_is_found():
    got = found("We anchored above Edfu for the night and tomorrow go on to Poona by rail.")
    assert near(got["Edfu"], 24.98, 32.88, 30)
    assert near(got["Poona"], 18.52, 73.86, 30)


def test_everyday_names_of_people_stay_people():
    got = found("Mary wrote to Dallas, her brother, from Bombay.\n\nYour loving sister,\nMary")
    assert "Mary" not in got and "Dallas" not in got
    assert "Bombay" in got


def test_an_entity_the_model_ran_across_two_places_is_two_places():
    got = found("We embarked at Suez for Basra and passed Aden on the 5th.")
    assert {"Suez", "Basra", "Aden"} <= set(got)


def test_a_place_inside_an_institutions_name_is_a_mention_but_no_event():
    text = (
        "Officers of the Oakland Police Department met the Dublin Arts Council. "
        "Gainesville Mayor Ann Reed spoke, and the Lions Club and the Supreme Court said nothing."
    )
    result = parse(text)
    got = {m.text: m for m in result.mentions}
    assert got["Oakland"].role == "in_organisation" and near(got["Oakland"], 37.8, -122.27, 50)
    assert got["Dublin"].role == "in_organisation"
    assert "Gainesville" in got
    assert "Lions" not in got and "Supreme" not in got
    got = found("He was held, according to the Butler County Sheriff's Office. Random House called.")
    assert got["Butler County"].role == "in_organisation" and "Random" not in got
    inside = {i for i, m in enumerate(result.mentions) if m.role == "in_organisation"}
    assert inside and not any(e.mention in inside for e in result.events)


def test_small_namesakes_are_read_near_each_other():
    got = found("A Paris woman was arrested on Friday, the Henry County sheriff said.")
    assert near(got["Paris"], 36.30, -88.33, 40)  # Paris, Tennessee, the seat of Henry County, Tennessee
    assert near(got["Henry County"], 36.30, -88.33, 40)
    got = found("Students from Athens and Decatur met in Huntsville on Friday.")
    assert near(got["Athens"], 34.80, -86.97, 40)  # the three towns of northern Alabama
    assert near(got["Decatur"], 34.61, -86.98, 40)
    got = found("The prime minister met envoys from Peru and Mexico in Athens.")
    assert near(got["Peru"], -10, -75.25, 300) and near(got["Mexico"], 23, -102, 300)


def test_first_level_regions_sit_at_their_geonames_point():
    got = found("In 1941 the fleet lay at anchor off Hawaii.")
    assert near(got["Hawaii"], 20.75, -156.5, 5)


def test_a_word_the_text_uses_for_a_person_is_that_person():
    text = (
        "Officials questioned Sergei Vanko and his daughter Noma in Kyiv. "
        "Later Vanko told reporters that the case was closed, and Noma agreed."
    )
    got = found(text)
    assert "Kyiv" in got
    assert "Noma" not in got and "Vanko" not in got
    got = found("Michael Jordan visited Amman, the capital of Jordan.")
    assert near(got["Jordan"], 31, 36, 300)


def test_a_name_that_speaks_is_a_person_unless_it_is_a_major_place():
    got = found("The flood reached Fargo. Kristina said the water rose overnight, and Moscow said nothing.")
    assert "Kristina" not in got
    assert "Fargo" in got and "Moscow" in got
    got = found("Barry, who was from Dewsbury said the winter was hard.")
    assert "Dewsbury" in got


def test_the_models_trailing_of_is_not_part_of_a_name():
    got = found("A thief stole tools from the City of Richmond's public works yard on Friday.")
    assert not any(k.endswith(" of") for k in got)


def test_world_regions_are_regions_not_namesake_villages():
    got = found("The EU sent envoys to the Middle East, North Africa and Southeast Asia.")
    assert got["EU"].place_name == "European Union"
    assert near(got["Middle East"], 29, 42, 500)  # not the Middle East neighbourhood of Baltimore
    assert got["North Africa"].feature_type == "region" and got["Southeast Asia"].feature_type == "region"


def test_a_countrys_point_does_not_pull_its_towns_towards_it():
    got = found("The U.S. said trade practices ignored for years by Washington cost jobs.")
    assert near(got["Washington"], 38.9, -77.04, 30)  # not Washington, Kansas, by the US's central point


def test_feasts_are_not_places():
    got = found("We cooked for Passover, prayed on Easter and marched to Boston on St. Patrick's Day.")
    assert set(got) == {"Boston"}


def test_an_office_holders_town_is_no_part_of_their_name():
    text = "The United Russia candidate, acting Sochi Mayor Anatoly Pakhomov, visited Sochi again."
    got = parse(text).mentions
    assert sum(m.text == "Sochi" for m in got) == 2


def test_a_big_place_that_acts_or_speaks_stays_a_place():
    got = found("After the match, Liverpool said it condemned the attack. Britain says the inquiry goes on.")
    assert near(got["Liverpool"], 53.41, -2.98, 30)
    assert "Britain" in got


def test_a_war_named_for_a_region_is_an_event_and_a_compass_word_joins_a_known_name():
    result = parse(
        "Before he came home he fought in the Great East Asia War, and later he was posted to northern "
        "Manchuria. The commander of the Puryear police station wrote to his mother."
    )
    got = {m.text: m for m in result.mentions}
    assert "Great East Asia War" not in got and got["East Asia"].role == "in_organisation"
    assert got["northern Manchuria"].place_name == "Northern Manchuria"
    assert got["Puryear"].role == "in_organisation"


def test_a_city_after_to_is_a_place_though_the_model_reads_a_nationality():
    got = found("The Tunisian minister flew to Tunis on Monday.")
    assert near(got["Tunis"], 36.82, 10.17, 30)


def test_places_the_model_read_as_a_title_or_an_organisation_after_a_preposition():
    got = found("In May we sailed from Salonika to Mudros, and in June the battalion marched to Ypres.")
    assert near(got["Salonika"], 40.64, 22.94, 30) and near(got["Mudros"], 39.87, 25.27, 30)
    assert near(got["Ypres"], 50.85, 2.89, 30)


def test_a_diary_lines_opening_verb_and_a_joined_name_do_not_make_people():
    got = parse("Mon. 3rd.\nLeft Kena at 7 AM for Aswan via Esna and Edfu. Anchored above Edfu.").mentions
    names = [m.text for m in got]
    assert "Kena" in names and names.count("Edfu") == 2


def test_a_lone_title_and_a_lower_case_phrase_are_not_places():
    got = found("The Commissioner for Health, Dr, Ann Ojo, spoke. We ate at a south city barbecue in Fresno.")
    assert set(got) == {"Fresno"}


def test_a_name_that_who_follows_is_a_persons_but_not_a_place_after_a_preposition():
    text = (
        "Nobody helps people like Tiel, who was denied asylum; later Tiel moved on. "
        "A woman from Sinjar who fled in 2014 spoke in Erbil."
    )
    got = found(text)
    assert "Tiel" not in got
    assert "Sinjar" in got and "Erbil" in got


def test_a_college_named_for_a_founder_is_no_place_but_a_towns_college_is():
    got = parse("She studied at Chapman University and taught at the Oxford College of Art.").mentions
    names = {m.text for m in got}
    assert "Chapman" not in names and "Oxford" in names


def test_a_town_the_model_reads_as_a_product_is_a_place_after_a_preposition():
    got = found(
        "Two inmates and their female accomplice have been captured in Chattanooga, "
        "according to a news release."
    )
    assert near(got["Chattanooga"], 35.05, -85.31, 30)


def test_an_unknown_name_where_travel_writing_puts_a_place_is_a_place_to_place_by_hand():
    """No gazetteer knows these made-up names and the model calls them people, organisations or a
    nationality: after "reached", "marched ... to", "the village of", they are places all the same,
    shown unresolved, and so is a later "at" the same name."""
    text = (
        "At dawn we broke camp and marched twelve miles to Tesselbo. On the 3rd we were still at "
        "Tesselbo. The caravan reached Umbaruki before dark and pitched its tents near the village "
        "of Kwandoro."
    )
    mentions = parse(text).mentions
    assert [m.text for m in mentions] == ["Tesselbo", "Tesselbo", "Umbaruki", "Kwandoro"]
    assert all(m.place_id is None for m in mentions)


def test_people_and_groups_after_verbs_of_travel_stay_no_places():
    """The slot gives no place where a person or a group is as likely: after "visited", "followed",
    "worked at", "sent to", "drove for", before "'s", a first name, a plural, an adjective, a school;
    nor does "to" alone before words the model left unlabelled ("promoted to Senior Officer")."""
    text = (
        "He worked at Dunmore Brothers for a year, then visited Hollister. She sent the parcel to "
        "Margaret and followed Tesselbo's advice. The rebels went to the Kurds for help. Troops moved "
        "to Iraqi territory. According to Deputy Chief Rowan Pell, two clerks were promoted to Senior "
        "Officer. He drove for Kestrel Racing last year. He came from Wexmoor School."
    )
    assert parse(text).mentions == []


def test_a_country_region_or_great_city_keeps_its_reading_among_another_countrys_towns():
    """Most places of this text are in the United States, and Arkansas has an England, Nebraska a
    York known as New York: the country and the great city keep their own readings all the same."""
    got = found(
        "She sailed from Liverpool for New York and went on by train to Chicago, Omaha and Cheyenne. "
        "Years later she wrote that she never saw England again."
    )
    assert near(got["England"], 52.5, -1.3, km=300)
    assert near(got["New York"], 40.71, -74.0, km=50)
    assert near(got["Liverpool"], 53.41, -2.98, km=50)


def test_a_diary_lines_opening_verb_is_no_part_of_the_name_after_it():
    """Under a dated heading the model may run a line's verb into the name ("Left Fort Laramie" as one
    facility, "Left Boston" as an organisation): the verb is the line's, the name the place."""
    text = (
        "June 13.\nLeft Fort Laramie early with the wagons.\n\n"
        "June 15.\nPassed Cape Town in the night.\n\n"
        "June 17.\nLeft Boston by the morning train.\n"
    )
    result = parse(text)
    got = {m.text: m for m in result.mentions}
    assert set(got) == {"Fort Laramie", "Cape Town", "Boston"}
    assert near(got["Cape Town"], -33.93, 18.42)
    assert near(got["Boston"], 42.36, -71.06)
    assert [(e.text, e.kind, e.role) for e in result.events] == [
        ("Fort Laramie", "depart", "origin"),
        ("Cape Town", "pass", "via"),
        ("Boston", "depart", "origin"),
    ]


def test_the_before_a_name_alone_makes_it_a_river_not_a_state():
    """ "Crossed the Missouri", "the Mississippi was rising": a river; "the Missouri legislature": the
    article goes with the noun, and the state stays a state."""
    got = parse(
        "We crossed the Missouri at St. Joseph and the Mississippi was rising near St. Louis."
    ).mentions
    kinds = {m.text: m.place_id for m in got}
    assert kinds["Missouri"].startswith("naturalearth:river:")
    assert kinds["Mississippi"].startswith("naturalearth:river:")
    state = found("The Missouri legislature met in Jefferson City.")["Missouri"]
    assert state.place_id == "iso3166-2:US-MO"


def test_a_first_name_that_is_a_city_is_a_place_where_a_verbs_object_is_one():
    """Under a heading, "Reached Paris" and "Arrived Calais" (which the model reads as people) are the
    diarist's arrivals; "Left Mary at the station" leaves a person, though Mary is a city too."""
    text = (
        "Aug. 4th.\nArrived Calais at noon after a long crossing from Dover.\n\n"
        "Aug. 5th.\nReached Paris in the evening.\n\n"
        "Aug. 6th.\nLeft Mary at the station and walked home.\n"
    )
    result = parse(text)
    assert [m.text for m in result.mentions] == ["Calais", "Dover", "Paris"]
    assert near(result.mentions[2], 48.86, 2.35)
    assert [(e.text, e.kind, e.role, e.cue) for e in result.events] == [
        ("Calais", "arrive", "destination", "arrived"),
        ("Dover", "pass", "origin", "crossing from"),
        ("Paris", "arrive", "destination", "reached"),
    ]


def test_a_place_opening_a_sentence_is_not_part_of_the_name_of_the_person_after_it():
    """ "At Fashoda Graves found ...": the model reads "Fashoda Graves" as one person. The text names
    Captain Harold Graves elsewhere, so the words before his name are the place's, and every other
    "Fashoda" stays a place."""
    text = (
        "Captain Harold Graves left Khartoum in January. They reached Fashoda on the 19th. At Fashoda "
        "Graves found the old fort in ruins. From Fashoda the launches went on to the south."
    )
    result = parse(text)
    assert [m.text for m in result.mentions].count("Fashoda") == 3
    assert all(near(m, 9.89, 32.11) for m in result.mentions if m.text == "Fashoda")
    reached = next(e for e in result.events if e.text == "Fashoda")
    assert (reached.kind, reached.actors) == ("arrive", ["Captain Harold Graves"])
