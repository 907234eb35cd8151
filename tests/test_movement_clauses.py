"""How a clause's grammar shapes its movements: the passive, appositions, participles said in passing,
purposes, pronouns, a state acting, someone's years somewhere.

Short texts of our own; their places are marked as a reader marks them and resolved by the embedded
gazetteer, so these tests hold the movement step alone (the whole pipeline where a test says so).
"""

from __future__ import annotations

import re

from movement_gold import Marked

from gazetteer import parse
from gazetteer.dates import find_dates
from gazetteer.geoparse.events import Movement, extract_events
from gazetteer.geoparser import default_gazetteer
from gazetteer.text import layout


def _events(text: str, *places: str, narrator: str | None = None) -> list[Movement]:
    gz = default_gazetteer()
    toponyms = []
    for name in places:
        place = gz.candidates(name, limit=1)[0].place
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            toponyms.append(Marked(m.start(), m.end(), name, place.id, place.name, place.lat, place.lon))
    structure = layout(text)
    return extract_events(
        text,
        sorted(toponyms),
        find_dates(text, structure=structure),
        [],
        sentences=structure.sentences,
        narrator=narrator,
        quotations=structure.quotations,
    )


def _at(events: list[Movement], place: str) -> list[Movement]:
    return [ev for ev in events if ev.text == place]


# --- the passive -------------------------------------------------------------------------------------


def test_a_town_captured_by_someone_names_who_captured_it():
    [kut] = _events("In April Kut was captured by the Turks after a long siege.", "Kut")
    assert kut.kind == "fight" and kut.actors == ["the Turks"]


def test_the_town_of_x_occupied_by_the_enemy_is_the_enemy_at_x():
    [kut] = _events("The town of Kut was occupied by the enemy.", "Kut")
    assert kut.actors == ["the enemy"]


def test_a_town_shelled_by_nobody_named_has_no_actor_and_is_no_traveller():
    [kut] = _events("Kut was shelled all through the night.", "Kut")
    assert kut.kind == "fight" and kut.actors == []


def test_a_place_reached_in_the_passive_is_the_diarists_step():
    [amara] = _events("Amara was reached at four in the afternoon.", "Amara", narrator="Harry Dawson")
    assert (amara.kind, amara.role, amara.actors) == ("arrive", "destination", ["Harry Dawson"])


def test_a_person_sent_somewhere_by_someone_is_the_one_who_moves():
    [kut] = _events("We were sent up to Kut by the general.", "Kut", narrator="Harry Dawson")
    assert kut.actors == ["Harry Dawson"] and kut.role == "destination"


# --- a state acting ----------------------------------------------------------------------------------


def test_a_state_invading_another_place_is_the_actor_there():
    [belgium] = _events("In 1914 Germany invaded Belgium.", "Germany", "Belgium")
    assert belgium.kind == "fight" and belgium.actors == ["Germany"]


def test_a_country_raising_an_army_abroad_founds_it_there():
    [russia] = _events("Serbia raised a new army in Russia.", "Serbia", "Russia")
    assert russia.kind == "found" and russia.actors == ["Serbia"]


def test_a_town_lying_on_a_river_still_moves_nobody():
    assert _events("Kut lies on the Tigris.", "Kut", "Tigris") == []


# --- appositions -------------------------------------------------------------------------------------


def test_a_place_inside_a_description_of_another_place_is_no_event():
    events = _events("At dawn the cruiser shelled Smyrna, a busy port in Anatolia.", "Smyrna", "Anatolia")
    assert [ev.text for ev in events] == ["Smyrna"]


def test_the_village_of_x_set_beside_a_noun_is_still_the_place():
    [kut] = _events("We reached our goal, the village of Kut, at noon.", "Kut", narrator="Harry Dawson")
    assert kut.kind == "arrive" and kut.role == "destination"


def test_a_state_beside_its_town_only_says_where_the_town_is():
    events = parse("We reached Springfield, Illinois, on the fourth day.", narrator="Ann Carter").events
    assert [(ev.text, ev.role) for ev in events] == [("Springfield", "destination")]


def test_towns_listed_after_a_verb_are_each_passed():
    events = _events("We passed Esna, Luxor and Qena.", "Esna", "Luxor", "Qena", narrator="Ann Carter")
    assert [(ev.text, ev.role) for ev in events] == [("Esna", "via"), ("Luxor", "via"), ("Qena", "via")]


# --- said in passing ---------------------------------------------------------------------------------


def test_troops_stationed_somewhere_in_passing_are_less_sure_than_the_story():
    events = _events(
        "We rode past a battalion stationed at Bethune and reached Arras by night.",
        "Bethune",
        "Arras",
        narrator="Harry Dawson",
    )
    [bethune] = _at(events, "Bethune")
    [arras] = _at(events, "Arras")
    assert bethune.actors == ["a battalion"] and bethune.confidence < 0.5
    assert arras.actors == ["Harry Dawson"] and arras.confidence >= 0.5


def test_a_battle_talked_about_is_a_guess_and_a_battle_fought_is_not():
    [told] = _events("The colonel spoke for an hour about the siege of Plevna.", "Plevna")
    [fought] = _events("The colonel took part in the siege of Plevna.", "Plevna")
    assert told.kind == fought.kind == "fight"
    assert told.confidence < 0.5 <= fought.confidence


# --- purposes and abilities --------------------------------------------------------------------------


def test_in_order_to_and_so_as_to_are_intentions():
    for text in (
        "In order to reach Basra before the flood we sailed at once.",
        "We marched through the night so as to reach Basra by dawn.",
        "The sheikh lent us a boat so that we could cross to Basra.",
    ):
        [basra] = _events(text, "Basra", narrator="Harry Dawson")
        assert basra.modality == "intended", text


def test_so_that_without_a_modal_tells_what_followed():
    [basra] = _events("It rained all day, so that we reached Basra late.", "Basra", narrator="Harry Dawson")
    assert basra.modality == "asserted"


def test_would_be_able_to_reach_is_an_intention_and_was_able_to_reach_a_fact():
    [would] = _events("With a fresh horse I would be able to reach Jaffa by night.", "Jaffa")
    [was] = _events("With a fresh horse I was able to reach Jaffa by night.", "Jaffa")
    assert (would.modality, was.modality) == ("intended", "asserted")


# --- pronouns ----------------------------------------------------------------------------------------


def test_he_is_never_an_acronym_or_a_unit():
    text = (
        "Major Reid landed at Basra in May. The IEF moved up to Amara in June. "
        "The Tigris Corps marched to Kut in July. He followed them to Kut in August."
    )
    kut = _events(text, "Basra", "Amara", "Kut")
    assert _at(kut, "Kut")[-1].actors == ["Major Reid"]


def test_they_are_the_group_last_seen_moving_never_one_person():
    text = "Captain Hale and Sergeant Moss left Basra on the 3rd. They reached Kut on the 9th."
    [kut] = _at(_events(text, "Basra", "Kut"), "Kut")
    assert kut.actors == ["Captain Hale", "Sergeant Moss"]
    alone = "Captain Hale left Basra on the 3rd. They reached Kut on the 9th."
    [kut] = _at(_events(alone, "Basra", "Kut"), "Kut")
    assert kut.actors == ["they"]


# --- someone's years somewhere -----------------------------------------------------------------------


def test_someones_years_in_a_place_are_a_stay_whatever_the_verb_that_tells_of_them():
    [vienna] = _events("Anna Weber never forgot her years in Vienna.", "Vienna")
    assert (vienna.kind, vienna.role, vienna.actors) == ("stay", "location", ["Anna Weber"])
    assert vienna.modality == "asserted"  # she never forgot them: she was there


def test_his_work_in_a_place_is_his_stay_there_and_the_years_nobodys_are_none():
    [cairo] = _events("Dr Grant often spoke of his work in Cairo.", "Cairo")
    assert cairo.kind == "stay" and cairo.actors == ["Dr Grant"]
    assert _events("The work in Cairo was slow.", "Cairo") == []


def test_having_no_share_in_a_siege_is_still_a_denial():
    [plevna] = _events("Our squadron never took part in the siege of Plevna.", "Plevna")
    assert plevna.kind == "fight" and plevna.modality == "negated"


def test_a_patient_admitted_to_hospital_arrives_there():
    [alex] = _events("Sergeant Cole was admitted to hospital at Alexandria with fever.", "Alexandria")
    assert (alex.kind, alex.role, alex.actors) == ("arrive", "destination", ["Sergeant Cole"])


# --- a diary's shorthand -----------------------------------------------------------------------------


def test_a_verbless_line_of_travel_is_the_writers_step():
    events = _events(
        "Thence to Amara.\n\nFrom Basra to Kut by river.", "Amara", "Basra", "Kut", narrator="Ann Carter"
    )
    assert [(ev.text, ev.kind, ev.role, ev.actors) for ev in events] == [
        ("Amara", "move", "destination", ["Ann Carter"]),
        ("Basra", "move", "origin", ["Ann Carter"]),
        ("Kut", "move", "destination", ["Ann Carter"]),
    ]
    kut = events[-1]
    assert kut.origin is not None and kut.origin.text == "Basra"


def test_a_noun_with_a_place_after_it_is_no_line_of_travel():
    assert _events("The road to Kut.", "Kut", narrator="Ann Carter") == []


def test_a_ship_calling_at_a_port_on_a_line_of_its_own_is_the_lines_statement():
    [colombo] = _events("The steamer called at Colombo.", "Colombo")
    assert colombo.kind == "arrive" and colombo.confidence >= 0.5


def test_taking_a_town_is_capturing_it():
    [erzerum] = _events("The Russians have taken Erzerum.", "Erzerum")
    assert (erzerum.kind, erzerum.actors) == ("fight", ["the Russians"])
    [poona] = _events("We took the night train to Poona.", "Poona", narrator="Ann Carter")
    assert (poona.kind, poona.role) == ("move", "destination")


def test_a_ship_the_diarist_watches_leave_does_not_carry_him():
    [gallipoli] = _events(
        "From the quay we watched the transports leave for Gallipoli.", "Gallipoli", narrator="Harry Dawson"
    )
    assert gallipoli.actors == ["the transports"]
    [basra] = _events("Our steamer left Basra at dawn.", "Basra", narrator="Harry Dawson")
    assert basra.actors == ["Harry Dawson"]


def test_camp_pitched_near_a_village_is_a_stay_there_and_a_name_reached_is_an_arrival():
    """The whole pipeline, with names no gazetteer knows: the events still have their places."""
    events = parse(
        "May 7th, 1871. We reached Umbaruki about noon. Next day we pitched our tents near Kwandoro.",
        narrator="the diarist",
    ).events
    got = [(e.text, e.kind, e.role, e.actors, e.edtf) for e in events]
    assert got == [
        ("Umbaruki", "arrive", "destination", ["the diarist"], "1871-05-07"),
        ("Kwandoro", "stay", "location", ["the diarist"], "1871-05-08"),
    ]


def test_a_verbless_clause_after_a_semicolon_and_a_clock_time_ending_a_sentence():
    """ "by 9 a.m. Slept": the model reads the dot as an abbreviation's; a verb of travel opening the
    next words ends the sentence there. "; back to X" is a verbless line of its own."""
    for after in ("Rested all day.", "Halted there for the day."):
        events = parse(f"June 3rd, 1917. Relieved at dawn; back to Doullens by 9 a.m. {after}").events
        got = [(e.text, e.kind, e.role, e.edtf) for e in events]
        assert got == [("Doullens", "move", "destination", "1917-06-03")], after


def test_a_march_to_quarters_in_a_town_ends_there():
    events = parse("We marched to billets in Doullens. Later we paraded in Amiens.").events
    got = [(e.text, e.role) for e in events]
    assert got[0] == ("Doullens", "destination")
    assert ("Amiens", "destination") not in got


def test_a_town_named_by_a_common_word_a_fort_and_a_date_in_the_possessive():
    """ "Independence" is a common word, a town where travel writing puts one; "Fort" opens a place's
    name, not a person's; "yesterday's camp" dates no event."""
    text = (
        "May 1st, 1849. Left Independence at dawn with nine wagons.\n\n"
        "June 2d. Reached Fort Kearny after a long drive.\n\n"
        "Thursday 7th. Camped near Blue Mound, ten miles beyond yesterday's camp."
    )
    got = [(e.text, e.kind, e.role, e.edtf) for e in parse(text, narrator="the diarist").events]
    assert got == [
        ("Independence", "depart", "origin", "1849-05-01"),
        ("Fort Kearny", "arrive", "destination", "1849-06-02"),
        ("Blue Mound", "stay", "location", "1849-06-07"),
    ]


def test_a_name_the_parser_hung_in_the_opening_phrase_is_the_subject():
    """ "In the spring of 1887 Harriet Cole sailed": the parser reads "of 1887 Harriet Cole" as one
    phrase and leaves the verb without a subject; the name right before the verb is its subject, and
    "she" is then Harriet Cole."""
    text = "In the spring of 1887 Harriet Cole sailed from Liverpool. In June she went on to Chicago."
    got = [(e.text, e.actors) for e in parse(text, narrator="the writer").events]
    assert got == [("Liverpool", ["Harriet Cole"]), ("Chicago", ["Harriet Cole"])]


def test_only_sentences_whose_place_a_word_can_govern_are_parsed(monkeypatch):
    """A place with no preposition before it, in a sentence with no verb or noun of movement, can be no
    event's place, so its sentence is not parsed; one that a preposition or a verb governs still is."""
    from gazetteer.geoparse import nlp

    seen: list[str] = []
    real = nlp.parsed

    def parsed(sentences):
        sentences = list(sentences)
        seen.extend(sentences)
        return real(sentences)

    monkeypatch.setattr(nlp, "parsed", parsed)
    text = (
        "Kenya's minister said the plan was sound. Kenya denied the report. The minister left Kenya. "
        "We were glad of it in Kenya. Uganda's border police reached Kenya."
    )
    found = _events(text, "Kenya", "Uganda")
    assert seen == [
        "The minister left Kenya.",
        "We were glad of it in Kenya.",
        "Uganda's border police reached Kenya.",
    ]
    assert [(e.text, e.kind, e.role) for e in found] == [
        ("Kenya", "depart", "origin"),
        ("Kenya", "stay", "location"),
        ("Kenya", "arrive", "destination"),
    ]


def test_a_timetables_shortened_verbs_move_the_diarist_at_their_times():
    """ "Arr." and "Dep." open a log's lines and clauses; the model ends sentences at their dots, so
    the text before the place is read. The clock time between the same semicolons is the event's."""
    text = "Aug. 3rd, 1915.\nArr. Boulogne 4 p.m.\n\nAug. 5th.\nDep. Calais 9 a.m.; arr. Paris 3 p.m.\n"
    got = parse(text).events
    assert [(e.text, e.kind, e.role, e.edtf, e.time, e.cue) for e in got] == [
        ("Boulogne", "arrive", "destination", "1915-08-03", "16:00", "Arr."),
        ("Calais", "depart", "origin", "1915-08-05", "09:00", "Dep."),
        ("Paris", "arrive", "destination", "1915-08-05", "15:00", "arr."),
    ]
    assert all(e.actors == ["the narrator"] for e in got)
    # inside a sentence the same letters are no verb of the line: "the Dep." is a department
    assert not parse("Smith wrote to the Dep. Paris was quiet all week.").events


def test_a_conveyance_taken_moves_its_rider_and_a_thing_sent_moves_nobody():
    """ "Took the train to Tours" and "caught the boat to Calais" move the diarist; "boarded a steamer
    for Aden" is where the steamer and he were bound; "sent a letter to Paris" moves no traveller,
    "sent troops to Rehe" and "sent me to Leeds" move the ones sent."""
    text = (
        "Took the morning train to Tours. I caught the boat to Calais. They boarded a steamer for Aden. "
        "He sent a letter to Paris. The general was sending troops to Rehe. My uncle sent me to Leeds."
    )
    got = [(e.text, e.kind, e.role, e.actors) for e in parse(text).events]
    assert got == [
        ("Tours", "move", "destination", ["the narrator"]),
        ("Calais", "move", "destination", ["the narrator"]),
        ("Aden", "move", "destination", ["they"]),
        ("Rehe", "move", "destination", ["troops"]),
        ("Leeds", "move", "destination", ["the narrator"]),
    ]


def test_a_meal_at_a_place_is_a_stop_there():
    got = parse("Sunday, 4th July 1926.\nOff early. Lunch at Maintenon, and on to Chartres by four.").events
    first = got[0]
    assert (first.text, first.kind, first.role, first.edtf) == ("Maintenon", "stay", "location", "1926-07-04")


def test_a_name_the_model_called_a_person_but_the_text_makes_a_place_is_nobody_he_refers_to():
    text = "Mary Smith lived in Leeds. I caught the boat to Calais. She was sent to Vienna in 1910."
    vienna = next(e for e in parse(text).events if e.text == "Vienna")
    assert vienna.actors == ["Mary Smith"]


def test_up_and_down_a_river_is_a_way_through_it():
    text = "We sailed up the Nile to Luxor and worked down the river to Cairo. He turned up at Aden."
    got = parse(text).events
    assert [(e.text, e.kind, e.role) for e in got] == [
        ("Nile", "move", "via"),
        ("Luxor", "move", "destination"),
        ("Cairo", "move", "destination"),
        ("Aden", "arrive", "destination"),
    ]


def test_a_letters_place_line_puts_the_writer_there_on_its_date():
    """ "Cairo," over "12th March 1899." (or both on one line) heads a letter: the writer was there
    that day, whatever the dates of the letter before it."""
    text = (
        "Shepheard's Hotel, Cairo,\n12th March 1899.\n\nMy dear Mother,\n\n"
        "We arrived on Tuesday after a calm passage from Brindisi.\n\n"
        "Luxor, 21st March 1899.\n\nDear Mother,\n\nWe came up in five days, stopping at Assiout.\n"
    )
    got = [(e.text, e.kind, e.role, e.edtf, e.cue, e.actors) for e in parse(text, narrator="Arthur").events]
    assert got[0] == ("Cairo", "stay", "location", "1899-03-12", "heading", ["Arthur"])
    assert ("Luxor", "stay", "location", "1899-03-21", "heading", ["Arthur"]) in got
    assert ("Brindisi", "move", "origin", "1899-03-07", "passage from", ["Arthur"]) in got
    # a place in a sentence under a heading is no heading's place
    assert not any(e[4] == "heading" for e in got if e[0] in ("Brindisi", "Assiout"))


def test_a_present_verb_with_a_time_to_come_is_a_plan_and_by_boat_is_how():
    """A letter's "go up to Luxor next week by the post boat" is a plan, and "by the boat" says how,
    not past where; "in 1920 he moves to Paris" tells the past in the present."""
    text = (
        "We arrived on Tuesday and go up to Luxor next week by the post boat. In 1920 he moves to Paris. "
        "We went by Basra."
    )
    got = [(e.text, e.kind, e.role, e.modality) for e in parse(text).events]
    assert got == [
        ("Luxor", "move", "destination", "intended"),
        ("Paris", "move", "destination", "asserted"),
        ("Basra", "pass", "via", "asserted"),
    ]
