"""The movement lexicon: which verbs (and nouns) move, stop or settle someone, and what their
prepositions make of a place.

Written for travel writing in general (diaries, logs, letters, biographies, campaign histories): a verb
is here because travellers, sailors, soldiers and biographers use it for being somewhere or going
somewhere, never because one text does. Keys are spaCy lemmas; phrasal verbs are ``(lemma, particle)``.

Kinds: depart | arrive | pass | stay | move | meet | fight | found | other.
Roles: origin | destination | via | location.
"""

from __future__ import annotations


def _set_of(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


KINDS = ("depart", "arrive", "pass", "stay", "move", "meet", "fight", "found", "other")

# Phrasal verbs first: the particle changes the meaning ("come to" is a ship stopping, "set out" leaving).
PHRASAL: dict[tuple[str, str], str] = {
    ("set", "out"): "depart",
    ("set", "off"): "depart",
    ("set", "forth"): "depart",
    ("set", "sail"): "depart",
    ("start", "out"): "depart",
    ("start", "off"): "depart",
    ("push", "off"): "depart",
    ("cast", "off"): "depart",
    ("get", "away"): "depart",
    ("get", "off"): "arrive",
    ("move", "off"): "depart",
    ("pull", "out"): "depart",
    ("come", "to"): "arrive",
    ("bring", "to"): "arrive",
    ("heave", "to"): "arrive",
    ("tie", "up"): "arrive",
    ("make", "fast"): "arrive",
    ("put", "in"): "arrive",
    ("put", "into"): "arrive",
    ("put", "back"): "arrive",
    ("pull", "in"): "arrive",
    ("pull", "up"): "arrive",
    ("draw", "up"): "arrive",
    ("call", "at"): "arrive",
    ("call", "in"): "arrive",
    ("touch", "at"): "arrive",
    ("get", "in"): "arrive",
    ("get", "to"): "arrive",
    ("turn", "up"): "arrive",
    ("go", "ashore"): "arrive",
    ("come", "ashore"): "arrive",
    ("go", "aboard"): "depart",
    ("go", "on"): "move",
    ("push", "on"): "move",
    ("press", "on"): "move",
    ("move", "on"): "move",
    ("go", "back"): "move",
    ("come", "back"): "move",
    ("get", "back"): "move",
    ("go", "past"): "pass",
    ("go", "through"): "pass",
    ("go", "by"): "pass",
    ("pass", "by"): "pass",
    ("pass", "through"): "pass",
    ("stop", "over"): "stay",
    ("put", "up"): "stay",
    ("lie", "up"): "stay",
    ("hole", "up"): "stay",
    ("settle", "down"): "stay",
    ("take", "part"): "fight",
    ("stand", "out"): "depart",
    ("stand", "off"): "depart",
    ("stand", "in"): "arrive",
    ("weigh", "anchor"): "depart",
    ("drop", "anchor"): "arrive",
    ("cast", "anchor"): "arrive",
    ("make", "way"): "move",
    ("work", "up"): "move",
    ("work", "down"): "move",
    ("set", "foot"): "arrive",
}

VERBS: dict[str, str] = {}
for _kind, _words in {
    "depart": "leave depart embark board start quit abandon vacate entrain emplane",
    "arrive": (
        "arrive reach land anchor moor berth dock disembark detrain debark enter gain regain visit "
        "return approach near attain admit"
    ),
    "pass": "pass cross traverse skirt round circumnavigate transit ford bypass",
    "stay": (
        "stay remain camp encamp bivouac halt stop rest lodge live dwell reside winter summer spend settle "
        "tarry pitch "
        "sojourn lie linger wait station quarter billet garrison intern imprison detain hospitalise "
        "hospitalize bear gather assemble muster concentrate rally regroup reassemble bury die work study "
        "teach serve hide shelter sleep overnight"
    ),
    "move": (
        "go come travel journey proceed march sail steam fly ride drive walk run move head "
        "advance retreat withdraw push row paddle cruise motor trek hike cycle tramp wander "
        "ascend descend climb follow escape flee transfer turn send post take carry bring evacuate "
        "ship convey transport tow drift float swim chase pursue accompany lead guide "
        "redeploy deploy dispatch despatch relocate emigrate immigrate migrate"
    ),
    "meet": "meet join rejoin welcome greet receive",
    "fight": (
        "fight attack capture storm besiege bombard shell raid assault defend occupy invade seize "
        "recapture liberate engage repulse"
    ),
    "found": "found establish build open organize organise form create raise",
    "other": "marry baptise baptize christen educate arrest",
}.items():
    for _w in _words.split():
        VERBS.setdefault(_w, _kind)

# Past participles spaCy may leave unlemmatised in passive or adjectival use.
VERBS.setdefault("born", "stay")
VERBS.setdefault("stationed", "stay")
VERBS.setdefault("quartered", "stay")
VERBS.setdefault("billeted", "stay")
VERBS.setdefault("interned", "stay")
VERBS.setdefault("posted", "move")

# Nouns of movement: "on our way to X", "the march from X", "his return to X".
NOUNS: dict[str, str] = {
    "battle": "fight",
    "capture": "fight",
    "siege": "fight",
    "defence": "fight",
    "defense": "fight",
    "liberation": "fight",
    "occupation": "fight",
    "attack": "fight",
    "assault": "fight",
    "evacuation": "depart",
    "way": "move",
    "journey": "move",
    "voyage": "move",
    "trip": "move",
    "march": "move",
    "passage": "move",
    "route": "move",
    "flight": "move",
    "advance": "move",
    "retreat": "move",
    "withdrawal": "move",
    "return": "move",
    "departure": "depart",
    "arrival": "arrive",
    "landing": "arrive",
    "stay": "stay",
    "visit": "arrive",
    "crossing": "pass",
    "transfer": "move",
    "expedition": "move",
    "trek": "move",
    "ride": "move",
    "drive": "move",
    "sail": "move",
    "run": "move",
}

# Nouns of a time spent somewhere, a stay only when someone's and "in" or "at" a place: "his years in
# Vienna", "our life at the mission", "her exile in Siberia" (not "the years in question").
OWNED_NOUNS: dict[str, str] = dict.fromkeys(
    _set_of(
        "life year work activity service exile captivity imprisonment internment residence childhood "
        "youth boyhood girlhood schooling study sojourn posting tour"
    ),
    "stay",
)

# Prepositions that put the subject of any verb at a place: "in Khabarovsk we inspected a parade".
LOCATIVE = frozenset({"at", "in", "near", "outside", "inside", "within", "beside"})
# Words a clock time or a time of day is made of: never an actor ("At 7 AM proceeded ...").
TIME_WORDS = frozenset(
    {"am", "pm", "a.m.", "p.m.", "noon", "midnight", "morning", "evening", "night", "dawn", "daybreak"}
    | {"sunset", "sunrise", "dusk", "afternoon", "o'clock"}
)

# "on behalf of X", "in spite of X", "in the name of X": the place is no location.
NOT_PLACE_NOUNS = frozenset(
    {"behalf", "spite", "instead", "honour", "honor", "name", "account", "favour", "favor", "sake"}
    | {"terms", "support", "because", "government", "policy", "history", "people", "requirement"}
)

# "I am writing from Simla": a letter says where its writer is.
WRITING = frozenset({"write", "telegraph", "wire", "cable", "scribble"})

# Being somewhere: "we were at X", "he was in X".
COPULA = frozenset({"be"})

# What a preposition makes of its object, whatever the verb.
PREPOSITIONS: dict[str, str] = {
    "from": "origin",
    "out": "origin",
    "to": "destination",
    "towards": "destination",
    "toward": "destination",
    "into": "destination",
    "onto": "destination",
    "unto": "destination",
    "till": "destination",
    "until": "destination",
    "for": "destination",
    "via": "via",
    "up": "via",  # "sailed up the Nile", "worked down the river"
    "down": "via",
    "through": "via",
    "thro": "via",
    "thru": "via",
    "past": "via",
    "across": "via",
    "over": "via",
    "along": "via",
    "by": "via",
    "round": "via",
    "around": "via",
    "at": "location",
    "in": "location",
    "near": "location",
    "off": "location",
    "on": "location",
    "outside": "location",
    "beside": "location",
    "within": "location",
    "opposite": "location",
    "above": "location",
    "below": "location",
    "behind": "location",
    "beyond": "location",
    "before": "location",
    "under": "location",
}

# The role of a verb's direct object: "left X", "reached X", "passed X", "visited X".
OBJECT_ROLE: dict[str, str] = {
    "depart": "origin",
    "arrive": "destination",
    "pass": "via",
    "stay": "location",
    "move": "destination",
    "meet": "location",
    "fight": "location",
    "found": "location",
    "other": "location",
}

# Verbs of seeing: what the traveller sees go ("watched the transports leave for X") carries nobody.
PERCEPTION = _set_of("see watch observe notice sight spot")
# "take X": with a place for its object, a capture ("the Russians have taken X"), not a journey.
CAPTURE_OBJECT = frozenset({"take"})

# Verbs whose object is a place left, whatever their kind.
LEAVE_OBJECT = frozenset({"leave", "quit", "evacuate", "abandon", "vacate", "depart", "flee", "escape"})
# Verbs whose object is not a place of their own movement ("we took Kut" is a fight, "took the train").
NO_PLACE_OBJECT = frozenset({"take", "carry", "bring", "send", "convey", "transport", "ship", "tow", "lead"})

# Where "at"/"in" after a verb of leaving or arriving says more than "location".
LOCATION_AS: dict[str, str] = {"depart": "origin", "arrive": "destination"}

# Heads that make the clause below them not a plain statement of fact.
INTENTION_HEADS = frozenset(
    {
        "plan",
        "intend",
        "hope",
        "want",
        "wish",
        "mean",
        "expect",
        "propose",
        "aim",
        "promise",
        "arrange",
        "try",
        "attempt",
        "long",
        "desire",
        "order",
        "ask",
        "urge",
        "advise",
        "prepare",
        "be",
        "need",
        "resolve",
        "think",
        "consider",
        "contemplate",
        "invite",
        "persuade",
        "encourage",
        "permit",
        "allow",
        "instruct",
        "command",
        "direct",
    }
)
NEGATING_HEADS = frozenset({"fail", "refuse", "decline", "deny", "forbid", "prevent", "neglect", "omit"})
FUTURE_AUX = frozenset({"will", "shall", "would", "should", "might", "may", "must", "'ll", "wo", "ca"})
REPORTING_HEADS = frozenset(
    {
        "say",
        "report",
        "claim",
        "tell",
        "write",
        "state",
        "assert",
        "allege",
        "hear",
        "rumour",
        "rumor",
        "believe",
        "insist",
        "maintain",
        "declare",
        "announce",
        "record",
        "note",
        "suggest",
        "swear",
        "testify",
        "inform",
        "mention",
        "learn",
        "relate",
        "recount",
        "add",
        "explain",
        "show",
        "suppose",
    }
)
DENYING_HEADS = frozenset({"deny", "dispute", "doubt", "reject", "contest", "refute"})

# Subjects that carry people with them: "the steamer left Kut" moves whoever is aboard.
VEHICLES = frozenset(
    {
        "ship",
        "steamer",
        "boat",
        "vessel",
        "launch",
        "barge",
        "yacht",
        "schooner",
        "brig",
        "ferry",
        "liner",
        "transport",
        "tug",
        "dhow",
        "craft",
        "train",
        "convoy",
        "column",
        "caravan",
        "party",
        "expedition",
        "battalion",
        "regiment",
        "brigade",
        "division",
        "company",
        "squadron",
        "unit",
        "force",
        "detachment",
        "troop",
        "army",
        "corps",
        "plane",
        "aeroplane",
        "airplane",
        "aircraft",
        "car",
        "coach",
        "wagon",
        "cart",
        "lorry",
        "truck",
        "bus",
        "group",
        "stmr",
    }
)
# What a traveller rides, and the verbs that put him on it: "took the train to Tours", "caught the boat
# for Calais", "boarded a steamer for Aden" move the subject, though "took" and "sent" move their object.
CONVEYANCES = _set_of(
    "ship steamer steamship boat vessel launch barge yacht ferry liner packet dhow train tram plane "
    "aeroplane airplane aircraft flight car coach diligence wagon cart lorry truck bus omnibus taxi cab"
)
RIDING = frozenset({"take", "catch", "board", "get", "ride"})
# Verbs that move their object and not their subject: "sent a letter to Paris", "posted the parcel to X".
SENDING = frozenset({"send", "dispatch", "despatch", "post", "mail", "forward", "ship"})
# Meals a diary stops for: "Lunch at Maintenon", "tea in the village".
MEALS = _set_of("breakfast lunch luncheon tea dinner supper")
# Units move the narrator only when they are his ("our battalion"): "the battalion went forward" while
# he stayed behind is theirs alone.
UNITS = _set_of(
    "convoy column caravan party expedition battalion regiment brigade division company squadron unit "
    "force detachment troop army corps group"
)

# Titles that name a person and tell "he" from "she".
MALE_TITLES = _set_of(
    "mr sir lord captain capt general gen colonel col major maj lieutenant lt sergeant sgt corporal "
    "private pte admiral commander cdr father brother king prince duke count baron bishop rev reverend "
    "dr doctor professor prof uncle emperor sultan sheikh shaikh pasha bey khan marshal"
)
FEMALE_TITLES = _set_of(
    "mrs miss ms lady madame mme mademoiselle mlle sister mother queen princess duchess countess "
    "baroness aunt dame"
)
# People named through a relative: "Kim's parents" names Kim.
KIN = frozenset(
    {"father", "mother", "parent", "brother", "sister", "son", "daughter", "wife", "husband", "uncle"}
    | {"aunt", "cousin", "family", "friend", "grandfather", "grandmother", "child", "widow"}
)
# Nouns that make an infinitive after them a plan: "orders to move up to Amara".
INTENTION_NOUNS = frozenset({"order", "orders", "instruction", "plan", "intention", "hope", "idea", "wish"})
# Particles with which a river or road as object is travelled along, not reached: "went up the Tigris".
ALONG = frozenset({"up", "down", "along", "across", "over", "through"})
# Subjects that make "X is that he went to Y" hearsay: "the rumour is that we shall be sent to Ypres".
HEARSAY_NOUNS = frozenset({"rumour", "rumor", "report", "story", "word", "news", "talk", "gossip", "claim"})
# Sayers that are not people: "the police report says he went" is about him, not the report.
DOCUMENTS = frozenset(
    {"report", "newspaper", "paper", "letter", "file", "document", "record", "telegram", "note", "diary"}
    | {"article", "book", "source", "account", "rumour", "rumor", "story", "press", "police", "radio"}
)
FIRST_PERSON = frozenset({"i", "we", "me", "us", "myself", "ourselves"})

IRREGULAR_PAST = {
    "leave": "left",
    "come": "came",
    "go": "went",
    "make": "made",
    "take": "took",
    "lie": "lay",
    "run": "ran",
    "ride": "rode",
    "get": "got",
    "set": "set",
    "put": "put",
    "fly": "flew",
    "drive": "drove",
    "meet": "met",
    "spend": "spent",
    "lead": "led",
    "flee": "fled",
    "send": "sent",
    "swim": "swam",
    "build": "built",
    "fight": "fought",
    "bring": "brought",
    "cast": "cast",
    "draw": "drew",
    "heave": "hove",
    "dwell": "dwelt",
}


def _forms(lemma: str) -> set[str]:
    """Past and -ing forms of a verb, for diaries that drop the subject and capitalise the verb."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, stem + "ed", stem + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms.add(lemma[:-1] + "ied")
    if (
        len(lemma) <= 4
        and lemma[-1] not in "aeiouwy"
        and lemma[-2:-1] in "aeiou"
        and lemma[-3:-2] not in "aeiou"
    ):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    if lemma in IRREGULAR_PAST:
        forms.add(IRREGULAR_PAST[lemma])
    return forms


# Verb forms that open a subjectless diary sentence ("Passed Esna at noon", "Left Kut"): written
# capitalised, the tagger takes them for names unless they are lower-cased first.
OPENING_FORMS = frozenset(
    f for lemma in {*VERBS, *(v for v, _ in PHRASAL)} if lemma.isalpha() for f in _forms(lemma)
) - {"born"}
