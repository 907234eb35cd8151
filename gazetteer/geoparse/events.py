"""Movements from the dependency parse: who went where, from where, through where, and when.

Only the sentences that hold a place are parsed. For each place the parse gives the preposition that
governs it (its role: origin, destination, via, location) and the verb above it (its kind, from the
lexicon in ``verbs``); the verb's subject is the actor. "I" and "we" are the narrator; "he" and "she"
the most recent compatible named person; a ship, train or unit moves whoever travels with it (the
narrator of a first-person text, else the person last seen moving).

What the clause says about the fact is kept apart from the fact: "could not reach" is ``negated``,
"was to leave" and "planned to go" ``intended``, "the police report says he went" ``reported`` with
its attribution. A place with no verb of movement or presence above it gives no event.

Each event takes the narrative date that governs it (one in its own clause or sentence first, else
the latest before it, else the document date) and the clock time of its clause, else the latest
time of the same day before it, so the events of one day keep their order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from ..dates import MONTHS, WEEKDAYS
from . import nlp
from .verbs import (
    ALONG,
    CAPTURE_OBJECT,
    CONVEYANCES,
    COPULA,
    DENYING_HEADS,
    DOCUMENTS,
    FEMALE_TITLES,
    FIRST_PERSON,
    FUTURE_AUX,
    HEARSAY_NOUNS,
    INTENTION_HEADS,
    INTENTION_NOUNS,
    KIN,
    LEAVE_OBJECT,
    LOCATION_AS,
    LOCATIVE,
    MALE_TITLES,
    MEALS,
    NEGATING_HEADS,
    NO_PLACE_OBJECT,
    NOT_PLACE_NOUNS,
    NOUNS,
    OBJECT_ROLE,
    OPENING_FORMS,
    OWNED_NOUNS,
    PERCEPTION,
    PHRASAL,
    PREPOSITIONS,
    REPORTING_HEADS,
    RIDING,
    SENDING,
    TIME_WORDS,
    UNITS,
    VEHICLES,
    VERBS,
    WRITING,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NARRATOR = "the narrator"


class Toponym(Protocol):
    start: int
    end: int
    text: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """Another place of the same movement (its origin, destination or a via point)."""

    mention: int
    start: int
    end: int
    text: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class Movement:
    """One place of a movement or stay, with the whole movement's other places around it.

    ``mention`` indexes the toponyms ``extract_events`` was given; every offset indexes its text."""

    mention: int
    start: int
    end: int
    text: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    kind: str
    role: str
    actors: list[str] = field(default_factory=list)
    origin: PlaceRef | None = None
    destination: PlaceRef | None = None
    via: list[PlaceRef] = field(default_factory=list)
    edtf: str | None = None
    date_phrase: str | None = None
    date_start: int | None = None
    date_end: int | None = None
    date_basis: str | None = None
    time: str | None = None
    cue: str | None = None
    confidence: float = 0.5
    modality: str = "asserted"
    attribution: str | None = None
    passage_start: int = 0
    passage_end: int = 0
    in_quotation: bool = False

    @property
    def ref(self) -> PlaceRef:
        return PlaceRef(
            self.mention, self.start, self.end, self.text, self.place_id, self.place_name, self.lat, self.lon
        )

    @property
    def place(self) -> str:
        """The place's gazetteer name, else its name as written."""
        return self.place_name or self.text

    def to_json(self) -> dict[str, Any]:
        return {"type": "event", **asdict(self)}

    def mapped(self, span: Callable[[int, int], tuple[int, int]], original: str) -> Movement:
        """The same movement with every offset mapped by ``span`` (e.g. ``CleanText.span``) into the
        ``original`` text, and its place and date phrases as written there."""

        def ref(r: PlaceRef | None) -> PlaceRef | None:
            if r is None:
                return None
            a, b = span(r.start, r.end)
            return replace(r, start=a, end=b, text=original[a:b])

        a, b = span(self.start, self.end)
        pa, pb = span(self.passage_start, self.passage_end)
        da = db = None
        if self.date_start is not None and self.date_end is not None:
            da, db = span(self.date_start, self.date_end)
        return replace(
            self,
            start=a,
            end=b,
            text=original[a:b],
            origin=ref(self.origin),
            destination=ref(self.destination),
            via=[r for r in map(ref, self.via) if r is not None],
            date_phrase=original[da:db] if da is not None else None,
            date_start=da,
            date_end=db,
            passage_start=pa,
            passage_end=pb,
        )


# --- people ------------------------------------------------------------------------------------------

_TITLE_WORDS = sorted(MALE_TITLES | FEMALE_TITLES, key=len, reverse=True)
_TITLED = re.compile(
    r"(?=[A-Z])\b(?P<title>" + "|".join(w.capitalize() for w in _TITLE_WORDS) + r")\.?\s+"
    r"(?P<name>[A-Z][a-z]+(?:[- ][A-Z][a-z]+){0,2})"
)
_KIN = re.compile(
    r"(?=[MmOo])\b(?:[Mm]y|[Oo]ur)\s+(?P<kin>father|mother|brother|sister|uncle|aunt|husband|wife|son|daughter|"
    r"grandfather|grandmother|cousin)\b"
)
_KIN_GENDER = {"father": "m", "brother": "m", "uncle": "m", "husband": "m", "son": "m", "grandfather": "m"}
_FIRST_PERSON_WORD = re.compile(r"(?=[IWwMmOoUu])\b(?:I|[Ww]e|[Mm]y|[Oo]ur|[Uu]s|[Mm]e)\b")


@dataclass(slots=True)
class _Person:
    at: int
    name: str
    gender: str | None  # "m" | "f" | None


class _People:
    """Named people in text order, for "he" and "she": titled names found by a cheap pattern over the
    whole text, subjects named in the parsed sentences."""

    def __init__(self, text: str) -> None:
        self.seen: list[_Person] = []
        self.starts: list[int] = []
        self.genders: dict[str, str | None] = {}  # every distinct name with its gender
        self.by_word: dict[str, set[str]] = {}
        for m in _TITLED.finditer(text):
            self.add(m.start(), m.group(0), _gender(m.group("title")))
        for m in _KIN.finditer(text):
            kin = m.group("kin")
            self.add(m.start(), m.group(0)[:1].lower() + m.group(0)[1:], _KIN_GENDER.get(kin, "f"))

    def add(self, at: int, name: str, gender: str | None = None) -> str:
        """Registers ``name`` and returns its fullest form known ("Smith" -> "Captain John Smith")."""
        name = " ".join(name.split())
        full = self.fullest(name)
        if gender is None:
            gender = _gender(name.split()[0]) or self.genders.get(full)
        if self.genders.get(full) is None:
            self.genders[full] = gender
        for word in full.split():
            self.by_word.setdefault(word, set()).add(full)
        k = bisect_right(self.starts, at)
        self.starts.insert(k, at)
        self.seen.insert(k, _Person(at, full, gender))
        return full

    def known(self, name: str) -> bool:
        return name in self.genders

    def fullest(self, name: str) -> str:
        words = name.split()
        holding = set.intersection(*(self.by_word.get(w, set()) for w in words)) if words else set()
        best = name
        for full in sorted(holding):
            pw = full.split()
            if len(pw) > len(best.split()) and _contains(pw, words):
                best = full
        return best

    def latest(self, before: int, gender: str | None) -> str | None:
        for p in reversed(self.seen[: bisect_right(self.starts, before - 1)]):
            if (gender is None or p.gender in (None, gender)) and _personal(p.name):
                return p.name
        return None


def _personal(name: str) -> bool:
    """A name "he" or "she" can stand for: not an acronym ("the IAF") nor a unit ("the 8th Army")."""
    words = name.split()
    if all(w.isupper() and len(w) > 1 for w in words if w.isalpha()) and any(w.isalpha() for w in words):
        return False
    last = words[-1].lower() if words else ""
    return last not in UNITS and last.removesuffix("s") not in UNITS


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _gender(word: str) -> str | None:
    w = word.lower().rstrip(".")
    if w in MALE_TITLES:
        return "m"
    if w in FEMALE_TITLES:
        return "f"
    return None


# --- the parse of one place ------------------------------------------------------------------------

_NEG_WORDS = frozenset({"not", "never", "n't", "no", "nowhere"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")


@dataclass(slots=True)
class _Reading:
    verb: Token | None
    kind: str
    role: str
    cue: str
    noun: Token | None = None
    from_object: bool = False
    presence: bool = False  # a verb of no movement with a place of its own: "in X we inspected"
    mover: Token | None = None  # who moves when not the subject: "sent his son to X", "sent troops to X"
    dated: Any = None  # the heading date that dates it (a letter's "Cairo, 12th March 1899.")


def _is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or (t.lemma_.lower() in VERBS and t.tag_.startswith("VB"))


def _movement_noun(noun: Token) -> str | None:
    """The kind of a noun of movement, by the word itself or its lemma: the lemma table, blind to the
    part of speech, makes "crossing" and "landing" "cross" and "land"."""
    return NOUNS.get(noun.lower_) or NOUNS.get(noun.lemma_.lower())


def _noun_kind(noun: Token, prep: str | None) -> str | None:
    """The kind of a movement noun ("journey", "capture"), or of a time spent somewhere when someone's
    and at the place ("his years in X")."""
    kind = _movement_noun(noun)
    if kind is not None:
        return kind
    lemma = noun.lemma_.lower()
    if lemma in MEALS and prep in ("at", "in"):
        return "stay"  # "Lunch at Maintenon": a stop on the road
    if lemma in OWNED_NOUNS and prep in ("in", "at") and any(c.dep_ == "poss" for c in noun.children):
        return OWNED_NOUNS[lemma]
    return None


# What "by" names when it says how one travels, not past where: "by the post boat", "by rail".
_MEANS = CONVEYANCES | {"rail", "road", "sea", "land", "air", "foot", "horse", "night", "day", "way"}


def _verb_kind(v: Token) -> tuple[str | None, str]:
    """The kind of a verb with its particles, and the words that make its cue."""
    lemma = v.lemma_.lower()
    for c in v.children:
        word = c.lower_
        if c.dep_ in ("prt", "advmod", "prep", "acomp", "oprd", "dobj") and (lemma, word) in PHRASAL:
            objects = [g for g in c.children if g.dep_ == "pobj"]
            if word in ALONG and PHRASAL[(lemma, word)] != "move" and objects:
                continue  # "turned up the Sobat" went up it; "turned up at noon" arrived
            if word == "by" and any(g.lemma_.lower() in _MEANS for g in objects):
                continue  # "go up to Luxor by the post boat": how, not past where
            return PHRASAL[(lemma, word)], f"{v.text} {c.text}"
    kind = VERBS.get(lemma) or VERBS.get(v.lower_)
    if kind is None and lemma in COPULA:
        return "stay", v.text
    return kind, v.text


# Words a verbless line of travel opens with: "Thence to X", "Back to X by launch", "On to X".
_VERBLESS_OPENERS = frozenset({"thence", "thither", "hence", "then", "back", "on", "off", "and", "so"})


def _clause_of(tok: Token) -> list[Token]:
    """The tokens of ``tok``'s sentence between the semicolons around it."""
    sent = tok.sent
    start = max((w.i + 1 for w in sent if w.text == ";" and w.i < tok.i), default=sent.start)
    end = min((w.i for w in sent if w.text == ";" and w.i > tok.i), default=sent.end)
    return list(tok.doc[start:end])


def _verbless(tok: Token) -> _Reading | None:
    """A diary's or a log's line of travel with no verb: "To X by steamer.", "Thence to X.", "From X to
    Y by rail.", "Relieved at midnight; back to X." The line (a sentence, or its part after a
    semicolon) opens with its preposition or an adverb (never a noun: "The road to X." is a road),
    and the place's preposition says where the writer went."""
    t = tok
    while t.dep_ in ("compound", "flat", "appos") and t.head.i != t.i:
        t = t.head
    if t.dep_ != "pobj" and not (t.head.pos_ == "ADP" and t.head.i != t.i):
        return None
    role = PREPOSITIONS.get(t.head.lower_)
    if role not in ("origin", "destination", "via"):
        return None
    line = _clause_of(tok)
    if any(_is_verb(w) for w in line):
        return None
    first = next((w for w in line if not w.is_punct and not w.is_space), None)
    if first is None or not (first.pos_ in ("ADP", "ADV") or first.lower_ in _VERBLESS_OPENERS):
        return None
    return _Reading(None, "move", role, t.head.text)


# Verbs as logs and timetables shorten them, opening a line or a clause: "Arr. Boulogne 4 p.m.", "Dep.
# Calais 9 a.m.; arr. Paris 3 p.m.", "Lv. Ogden".
ABBREVIATED = {"arr": "arrive", "arrd": "arrive", "arrvd": "arrive", "dep": "depart", "depd": "depart"}
ABBREVIATED |= {"lv": "depart", "lvd": "depart", "lft": "depart"}


_ABBREVIATED_BEFORE = re.compile(
    r"(?:^|(?<=[\n;,.:]))\s*(" + "|".join(ABBREVIATED) + r")\.?\s+$", re.IGNORECASE
)


def _abbreviated(text: str, start: int) -> _Reading | None:
    """The reading of a place right after an abbreviated verb that opens its line or clause (the
    model often ends a sentence at its dot, so the text is read, not the parse)."""
    m = _ABBREVIATED_BEFORE.search(text, max(0, start - 12), start)
    if m is None:
        return None
    kind = ABBREVIATED[m.group(1).lower()]
    role = "destination" if kind == "arrive" else "origin"
    return _Reading(None, kind, role, text[m.start(1) : start].strip())


_ADDRESS_WORD = re.compile(r"[A-Z][\w'’.-]*|\d+\w*|of|the|de|la|le|rue|via")


def _heading_places(text: str, dates: Sequence[Any]) -> dict[int, Any]:
    """A letter's or a diary's place line: "Cairo," above "12th March 1899.", or "Luxor, 21st March
    1899." on one line; by the start of each such line, the heading date that goes with it. The line
    holds the place and an address at most ("Shepheard's Hotel, Cairo,"): capitalised words, numbers
    and punctuation."""
    out: dict[int, Any] = {}
    for d in dates:
        if getattr(d, "basis", None) != "heading" or d.edtf is None:
            continue
        start = text.rfind("\n", 0, d.start) + 1
        lines = [start]
        above = text.rfind("\n", 0, max(0, start - 1)) + 1
        if start > 0 and text[above : start - 1].strip():
            lines.append(above)  # the line right above, no blank line between
        for a in lines:
            b = text.find("\n", a)
            b = len(text) if b < 0 else b
            rest = (text[a : d.start] + " " + text[d.end : b]) if a == start else text[a:b]
            words = re.findall(r"[^\W_][\w'’.-]*", rest)
            if 0 < len(words) <= 8 and all(_ADDRESS_WORD.fullmatch(w) for w in words):
                out[a] = d
    return out


def _heading(text: str, start: int, headings: dict[int, Any]) -> _Reading | None:
    """A place on a heading's place line: the writer was there on the heading's date."""
    d = headings.get(text.rfind("\n", 0, start) + 1)
    return None if d is None else _Reading(None, "stay", "location", "heading", dated=d)


class _AsObject:
    """A token read as the object of a preposition the parser hung it under by mistake."""

    def __init__(self, token: Token, head: Token) -> None:
        self.token, self.head, self.dep_ = token, head, "pobj"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.token, name)


def _read(tok: Token, place_tokens: set[int]) -> _Reading | None:
    """The verb, kind and role of the place whose head token is ``tok``; None when no movement."""
    t = tok
    role: str | None = None
    prep_word: str | None = None
    noun: Token | None = None
    from_object = False
    mover: Token | None = None
    ridden = False  # the place is where a conveyance the subject takes goes: "took the train to Tours"
    inside = False  # the place is already inside another phrase (after "in", or naming a kind of thing)
    for _ in range(8):
        dep = t.dep_
        if dep == "nsubj" and t.head.dep_ == "pcomp" and t.head.head.pos_ == "ADP" and t.i < t.head.i:
            dep = "pobj"  # "at Makina unpacking stores": the parser took the place for the subject
            t = _AsObject(t, t.head.head)
        head = t.head
        if head.i == t.i:
            return None
        if dep == "appos" and inside:
            return None  # "Aden, a coaling station in Arabia": a place that describes another
        if dep in ("compound", "appos", "conj", "flat", "nmod", "amod", "poss") and head.pos_ in (
            "PROPN",
            "NOUN",
            "NUM",
        ):
            inside = inside or (dep in ("compound", "nmod", "amod", "poss") and head.pos_ == "NOUN")
            t = head
            continue
        if head.pos_ == "ADP" or dep == "pobj":
            word = head.lower_
            inside = inside or word != "of"
            if head.dep_ == "agent":
                return None  # "a policy pursued by the Soviet Union": the place acts, nobody is there
            if word == "of" and head.head.lower_ == "out":
                word, head = "out", head.head
            elif word == "as" and head.head.lower_ == "far":
                word = "to"
            owner = head.head
            event_noun = _movement_noun(owner) in ("fight", "depart")
            if word == "of" and owner.pos_ == "NOUN" and event_noun and noun is None:
                noun = owner  # "the capture of Berlin", "the evacuation of Kut"
                role = OBJECT_ROLE[_movement_noun(owner)]
                prep_word = "of"
                break
            if word not in PREPOSITIONS and word != "of":
                return None  # "the struggle against X", "a book about X": not where anyone is
            if word == "of" and owner.lemma_.lower() in NOT_PLACE_NOUNS:
                return None
            if word == "of":
                # "the village of X", "the bank of X": the noun stands for the place
                t = head.head
                if t.pos_ in ("NOUN", "PROPN"):
                    continue
                t = head
            here = PREPOSITIONS.get(word)
            if here and (role is None or (role == "location" and here != "location")):
                role, prep_word = here, head.text
            elif here and role in ("origin", "destination", "via") and here == "location":
                pass
            above = head.head
            if above.pos_ in ("NOUN", "PROPN") and _noun_kind(above, word) and noun is None:
                noun = above
                t = above
                break
            if _is_verb(above):
                t = above
                break
            if above.pos_ in ("NOUN", "PROPN", "PRON", "ADP", "NUM", "ADV", "ADJ") and above.i != head.i:
                t = above
                continue
            if above.i == head.i and head.lower_ in LOCATIVE and role == "location":
                # a verbless diary line: "Still at Khan Yunis.", "In camp at Romani."
                return _Reading(None, "stay", "location", prep_word or head.text)
            return None
        if dep in ("dobj", "obj", "nsubjpass", "attr", "npadvmod", "advmod", "oprd"):
            if _is_verb(head):
                if dep == "attr":
                    return None
                riding = head.lemma_.lower() in RIDING and t.lemma_.lower() in CONVEYANCES
                if dep in ("dobj", "obj") and role is not None and riding:
                    ridden = True
                elif dep in ("dobj", "obj", "nsubjpass"):
                    from_object = True
                elif role is None:
                    role = "location"
                t = head
                break
            if head.pos_ in ("NOUN", "PROPN") and _movement_noun(head) and noun is None:
                noun = head
                t = head
                break
            return None
        return None
    else:
        return None

    verb: Token | None = None
    if noun is not None:
        kind = _noun_kind(noun, prep_word.lower() if prep_word else None) or "move"
        cue = f"{noun.text} {prep_word}" if prep_word else noun.text
        if role is None:
            role = "destination"
        # the verb above the noun, for the actor and modality ("on our way to X we stopped")
        up = noun.head
        for _ in range(4):
            if _is_verb(up):
                verb = up
                break
            if up.head.i == up.i:
                break
            up = up.head
        return _Reading(verb, kind, role, cue, noun=noun)

    verb = t
    kind, cue = _verb_kind(verb)
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if ridden or (lemma in RIDING and role and any(c.lemma_.lower() in CONVEYANCES for c in objects)):
        kind = "move"  # "took the train to Tours", "caught the boat to Calais"
    elif lemma in SENDING and objects and not from_object:
        if not _traveller(objects[0]):
            return None  # "sent a letter to Paris": the letter went
        mover = objects[0]  # "sent troops to Rehe", "sent him to Cairo": they went
    if kind is None:
        if role == "origin" and verb.lemma_.lower() in WRITING:
            return _Reading(verb, "stay", "location", f"{verb.text} {prep_word}")
        if role == "location" and prep_word and prep_word.lower() in LOCATIVE and tok.head.head.i == verb.i:
            return _Reading(verb, "other", "location", f"{verb.text} ... {prep_word}", presence=True)
        return None
    if from_object:
        if lemma in CAPTURE_OBJECT and role is None:
            return _Reading(verb, "fight", "location", verb.text)  # "the Russians have taken X"
        if lemma in NO_PLACE_OBJECT:
            return None
        if verb.lemma_.lower() in COPULA:
            return None
        role = "origin" if lemma in LEAVE_OBJECT else OBJECT_ROLE[kind]
        if kind == "move" and any(c.dep_ == "prt" and c.lower_ in ALONG for c in verb.children):
            role = "via"  # "went up the Tigris", "sailed down the Nile"
        if tok.dep_ == "nsubjpass":
            role = OBJECT_ROLE[kind]
    if role is None:
        role = "location"
    if lemma in COPULA:
        if role == "destination" and prep_word and prep_word.lower() == "to" and verb.lower_ == "been":
            kind = "arrive"  # "had been to Kabul"
        elif role not in ("location",):
            return None
    if role == "location" and kind in LOCATION_AS:
        role = LOCATION_AS[kind]
    if role == "location" and kind == "move" and prep_word and prep_word.lower() == "at":
        role = "destination"  # "marched to a camp at Makina"
    elif (
        role == "location"
        and kind == "move"
        and any(c.dep_ == "prep" and c.lower_ in ("to", "into") and c.i < tok.i for c in verb.children)
    ):
        role = "destination"  # "marched to billets in Albert": where the march ended
    if role == "location" and kind == "pass":
        role = "via"
    if role == "destination" and prep_word and prep_word.lower() == "for" and kind not in ("depart", "move"):
        return None
    if prep_word:
        between = [c for c in verb.children if c.dep_ == "prt" and c.i < tok.i]
        words = [verb.text, *[c.text for c in between]]
        adjacent = abs(tok.i - verb.i) <= len(between) + 2
        if prep_word.lower() not in [w.lower() for w in cue.split()[1:]]:
            cue = " ".join(words) + (" " if adjacent else " ... ") + prep_word
    return _Reading(verb, kind, role, cue, mover=mover)


def _traveller(t: Token) -> bool:
    """A person or a body of people, who can be sent somewhere (not a letter or a parcel)."""
    return (
        t.pos_ == "PROPN"
        or t.lower_ in ("him", "her", "them", "me", "us", "himself", "herself", "themselves")
        or t.lemma_.lower() in UNITS
        or t.lemma_.lower() in KIN
        or t.lemma_.lower() in _PEOPLE
    )


_PEOPLE = frozenset({"man", "soldier", "officer", "family", "child", "people"})  # lemmas


# --- actors and modality ---------------------------------------------------------------------------


def _name_in_fronted_phrase(v: Token) -> Token | None:
    """A name right before a verb without a subject, which the parser hung inside the phrase that
    opens the sentence ("In the spring of 1887 Harriet Cole sailed": "of 1887 Harriet Cole")."""
    if v.i == 0 or v.pos_ != "VERB":
        return None
    name = v.doc[v.i - 1]
    if name.pos_ != "PROPN" or name.dep_ not in ("pobj", "compound", "appos", "npadvmod"):
        return None
    if not name.is_title or name.lower_ in MONTHS or name.lower_ in WEEKDAYS:
        return None  # "At 9 AM cast off", "in 1887 May": a time, not a name
    head = name.head if name.dep_ == "compound" else name
    if head.i != name.i or head.i > v.i:
        return None
    t = head
    for _ in range(6):  # up to the verb through prepositions and their objects, all before it
        if t.head.i == v.i:
            return name if t.dep_ == "prep" else None
        if t.head.i > v.i or t.head.i == t.i:
            return None
        t = t.head
    return None


def _subject(v: Token) -> tuple[Token | None, Token]:
    """The subject of ``v``, climbing coordinated and dependent verbs ("we embarked ... and sailed")."""
    for _ in range(6):
        subjects = [c for c in v.children if c.dep_ in _SUBJECTS]
        if subjects and v.dep_ == "relcl" and subjects[0].lower_ in ("who", "that", "which"):
            return v.head, v  # "the divisions that had taken part"
        if subjects:
            # "James's brother Robert": the name, when the parser splits it from its noun
            return next((c for c in subjects if c.pos_ == "PROPN"), subjects[0]), v
        swallowed = _name_in_fronted_phrase(v)
        if swallowed is not None:
            return swallowed, v
        if v.dep_ == "xcomp":
            obj = next((c for c in v.head.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None:
                return obj, v  # "they expected her to settle in Italy": she would settle
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head, v
        participle = v.dep_ == "acl" and v.tag_ in ("VBN", "VBG")
        if participle and v.head.pos_ in ("NOUN", "PROPN") and v.head.lower_ not in TIME_WORDS:
            return v.head, v  # "a brigade stationed on the Amur", "men marching to X"
        climbing = ("conj", "xcomp", "advcl", "acl", "pcomp", "prep", "pobj", "dep", "acomp")
        if v.dep_ in climbing and v.head.i != v.i:
            v = v.head
            continue
        break
    return None, v


def _text(words: list[Token]) -> str:
    """The words as written ("Kim's parents", not "Kim 's parents")."""
    return words[0].doc[words[0].i : words[-1].i + 1].text  # doc.text would join the whole doc


def _phrase(subj: Token) -> list[Token]:
    """The subject's own words: determiners, possessives, titles and names, not its clauses."""
    keep = [c for c in subj.lefts if c.dep_ in ("det", "poss", "compound", "amod", "nmod", "nummod", "flat")]
    words = []
    for c in keep:
        words.extend(w for w in c.subtree if w.dep_ not in ("punct", "cc"))
    return sorted([*words, subj], key=lambda w: w.i)


class _Actors:
    """Resolves subjects to actor names, remembering who was last seen moving."""

    def __init__(self, text: str, narrator: str, people: _People) -> None:
        self.text = text
        self.narrator = narrator
        self.people = people
        self.last_person: str | None = None
        self.last_group: list[str] = []  # the last plural subject seen moving: who "they" are
        self.first_person_at = [m.start() for m in _FIRST_PERSON_WORD.finditer(text)]

    def first_person_before(self, at: int) -> bool:
        """Whether the text speaks as "I" or "we" (a diary's ship is the diarist's, whenever he says so)."""
        return bool(self.first_person_at)

    def of(self, subj: Token | None, base: int, at: int, *, aboard: bool = True) -> tuple[list[str], bool]:
        """Actor names for a subject (``base``: the sentence's offset) and whether it was explicit;
        ``aboard``: whether a ship or train subject may carry the narrator (not one he watches go)."""
        if subj is None:
            return [self.narrator], False  # "Left Kut at noon": a diary's or a log's understood "I"/"we"
        names: list[str] = []
        for s in [subj, *[c for c in subj.conjuncts if c.dep_ == "conj"], *_coordinated(subj)]:
            if s.lower_ in ("they", "them", "their") and self.last_group:
                names.extend(n for n in self.last_group if n not in names)
            else:
                names.append(self.one(s, base, aboard=aboard))
        return names, True

    def one(self, s: Token, base: int, *, aboard: bool = True) -> str:
        word = s.lower_
        at = base + s.idx
        if word in FIRST_PERSON or word in ("my", "our"):
            return self.narrator
        if word in ("he", "him", "his", "she", "her"):
            gender = "m" if word in ("he", "him", "his") else "f"
            name = self.people.latest(at, gender)
            last = self.last_person if self.last_person and _personal(self.last_person) else None
            return name or last or ("he" if word == "his" else word)
        if word in ("they", "them", "their"):
            return "they"  # never one person: the group, when one was seen, is resolved by ``of``
        words = _phrase(s)
        if any(w.lower_ in ("my", "our") for w in words) and s.lemma_.lower() in VEHICLES:
            return self.narrator
        if s.lemma_.lower() in VEHICLES and s.lemma_.lower() not in UNITS and aboard:
            if self.first_person_before(at):
                return self.narrator
            if self.last_person:
                return self.last_person
        named = next(
            (
                c
                for c in s.children
                if c.dep_ == "appos" and c.pos_ == "PROPN" and not any(d.dep_ == "det" for d in c.children)
            ),
            None,
        )
        if named is not None and s.pos_ != "PROPN":
            s = named  # "James's brother Robert"
        determined = any(c.dep_ == "det" for c in s.children)
        if s.pos_ == "PROPN" and determined and (_gender(s.text) or s.tag_ == "NNPS"):
            return f"the {s.text}"  # "the Admiral", "the Turks": a title or a people, not a person
        if s.pos_ == "PROPN":
            name = _name(s)
            full = self.people.add(at, name)
            self.last_person = full
            return full
        phrase = _text(words)
        return phrase[:1].lower() + phrase[1:] if words and words[0].dep_ == "det" else phrase


def _speaker(v: Token | None) -> Token | None:
    """The person who says so, when "he" or "she" reports his or her own doing ("X said he went")."""
    t = v
    for _ in range(4):
        if t is None or t.dep_ not in ("ccomp", "xcomp") or t.head.i == t.i:
            return None
        t = t.head
        if t.lemma_.lower() in REPORTING_HEADS:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.tag_ not in ("NN", "NNP") or subj.lemma_.lower() in DOCUMENTS:
                return None
            return subj
    return None


def _holds(phrase: Token, t: Token) -> bool:
    """Whether ``t`` is one of the words of ``phrase`` ("the town of Kut" holds "Kut")."""
    return t.i == phrase.i or phrase.is_ancestor(t)


def _passive(v: Token | None) -> bool:
    return v is not None and any(c.dep_ == "auxpass" for c in v.children)


def _agent(v: Token | None) -> Token | None:
    """Who did it, in the passive: "captured by the Turks" gives "Turks"."""
    if v is None:
        return None
    for c in v.children:
        if c.dep_ == "agent":
            return next((w for w in c.children if w.dep_ == "pobj"), None)
    return None


def _coordinated(subj: Token) -> list[Token]:
    """Subjects the parser hung side by side instead of coordinating: "my husband and I set off"."""
    out = []
    for c in subj.head.children:
        if c.dep_ == subj.dep_ and c.i != subj.i:
            lo, hi = sorted((c.i, subj.i))
            if any(w.dep_ == "cc" for w in subj.doc[lo:hi]):
                out.append(c)
    return out


def _plural(subj: Token, names: list[str]) -> bool:
    """Whether the subject is a group that "they" may stand for later: two or more people, a plural
    noun, a unit ("the battalion")."""
    if subj.lower_ in ("they", "them") or subj.lower_ in FIRST_PERSON:
        return False
    return len(names) > 1 or subj.tag_ in ("NNS", "NNPS") or subj.lemma_.lower() in UNITS


def _someone(subj: Token | None) -> bool:
    """A subject that can be somewhere: a person, the understood diarist, a ship or a unit."""
    if subj is None:
        return True
    return (
        subj.lower_ in (*FIRST_PERSON, "he", "she", "they")
        or subj.pos_ == "PROPN"
        or subj.lemma_.lower() in VEHICLES
    )


def _name(s: Token) -> str:
    """A person's name as written: the proper nouns and titles right before the head ("Dr. Lin")."""
    words = [s]
    for c in reversed(list(s.lefts)):
        if c.i != words[0].i - 1 and not (c.i == words[0].i - 2 and c.nbor().is_punct):
            break
        if c.dep_ in ("compound", "flat", "nmod") and (c.pos_ == "PROPN" or _gender(c.text)):
            words.insert(0, c)
        else:
            break
    return _text([words[0], s])


def _attribution(words: list[Token], actors: _Actors, base: int) -> str | None:
    if not words:
        return None
    head = words[-1]
    if head.lower_ in FIRST_PERSON:
        return None
    if head.lower_ in ("he", "she", "him", "her", "they"):
        return actors.one(head, base)
    phrase = _text(words)
    return phrase[:1].lower() + phrase[1:] if words[0].dep_ == "det" else phrase


def _plans(c: Token) -> bool:
    """A word that makes its verb a plan: "will go", "if we reach", "tomorrow we go on to"."""
    return (
        (c.dep_ == "aux" and c.lower_ in FUTURE_AUX)
        or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest"))
        or c.lower_ == "tomorrow"
    )


def _purpose(t: Token) -> bool:
    """A clause of purpose, what someone meant to do: "in order to reach X", "so as to reach X",
    "so that we could cross to X" (without a modal, "so that" tells what followed)."""
    marks = {c.lower_ for c in t.children if c.dep_ == "mark"}
    if "so" in marks and "as" in marks:
        return True
    if "so" in marks and "that" in marks:
        return any(c.dep_ == "aux" and c.tag_ == "MD" for c in t.children)
    return t.dep_ == "acl" and t.head.lower_ == "order" and t.head.head.lower_ == "in"


_AHEAD = frozenset({"tomorrow", "tonight", "soon", "shortly", "next"})


def _told_ahead(v: Token) -> bool:
    """A verb in the present with a time still to come: "we go up to Luxor next week", "leave for
    Aden tomorrow" (a letter's plans; "in 1920 he moves to Paris" tells the past)."""
    if v.tag_ not in ("VBP", "VBZ", "VB"):  # "and go up" is tagged as a bare verb
        return False
    return any(
        c.dep_ in ("npadvmod", "advmod", "prep") and any(w.lower_ in _AHEAD for w in c.subtree)
        for c in v.children
    )


def _modality(v: Token | None, actors: _Actors, base: int, *, told: bool = False) -> tuple[str, str | None]:
    """asserted | intended | negated | reported, and who says so when not the narrator.

    ``told``: ``v`` only tells of the movement, which a noun names ("never forgot her years in X"), so
    its own negation is not the movement's."""
    if v is None:
        return "asserted", None
    modality = "asserted"
    attribution: str | None = None
    negated = any(
        c.dep_ == "neg" or (c.lower_ in _NEG_WORDS and c.dep_ in ("advmod", "neg")) for c in v.children
    )
    if negated and not told:
        modality = "negated"
    elif any(_plans(c) for c in v.children) or _told_ahead(v):
        modality = "intended"
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            obj = [w for g in c.children for w in g.subtree if w.dep_ == "pobj" or w.head.dep_ == "pobj"]
            pobj = next((w for g in c.children for w in g.children if w.dep_ == "pobj"), None)
            if pobj is not None:
                obj = _phrase(pobj)
            return ("reported" if modality == "asserted" else modality), _attribution(obj, actors, base)
        hearsay = c.dep_ == "advmod" and c.lower_ in ("reportedly", "allegedly", "supposedly", "apparently")
        if hearsay and modality == "asserted":
            modality = "reported"
    t = v
    if modality == "asserted" and _purpose(t):
        modality = "intended"
    for _ in range(5):
        if t.dep_ not in ("xcomp", "ccomp", "conj", "pcomp", "advcl", "dep", "acomp") or t.head.i == t.i:
            break
        via, child, t = t.dep_, t, t.head
        lemma = t.lemma_.lower()
        negated_head = any(c.dep_ == "neg" for c in t.children)
        if modality == "asserted" and _purpose(t):
            modality = "intended"
        if modality == "asserted" and via in ("xcomp", "acomp") and any(_plans(c) for c in t.children):
            modality = "intended"  # "will have to go", "would be able to reach"
        if via == "conj":
            if modality == "asserted" and negated_head:
                modality = "negated"
            continue
        if lemma in DENYING_HEADS:
            subj = next((c for c in t.children if c.dep_ in _SUBJECTS), None)
            who = _attribution(_phrase(subj), actors, base) if subj is not None else None
            return "negated", who
        if lemma in NEGATING_HEADS and via in ("xcomp", "pcomp"):
            return "negated", attribution
        hearsay = next(
            (c for c in t.children if c.dep_ == "nsubj" and c.lemma_.lower() in HEARSAY_NOUNS), None
        )
        if lemma in COPULA and via == "ccomp" and hearsay is not None:
            who = _attribution(_phrase(hearsay), actors, base)
            return ("reported" if modality == "asserted" else modality), who
        if lemma in REPORTING_HEADS and via in ("ccomp", "xcomp", "advcl", "dep"):
            subj = next((c for c in t.children if c.dep_ in _SUBJECTS), None)
            if subj is not None and subj.lower_ in FIRST_PERSON:
                if negated_head:
                    return "negated", None
                continue
            if via == "xcomp" and subj is not None and subj.dep_ == "nsubj":
                continue  # "he wrote to say" is not hearsay; "he is said to have gone" is
            said = subj is not None and subj.dep_ == "nsubj"
            who = _attribution(_phrase(subj), actors, base) if said else None
            if negated_head:
                return "negated", who
            return ("reported" if modality == "asserted" else modality), who
        # "expected her to settle": an infinitive clause under a verb of planning
        infinitive = via == "xcomp" or any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        if infinitive and lemma in INTENTION_HEADS:
            if negated_head and lemma not in ("be",):
                return "negated" if lemma in ("try", "attempt") else "intended", attribution
            if modality == "asserted":
                modality = "intended"
            continue
        if via == "xcomp" and negated_head and modality == "asserted":
            modality = "negated"  # "did not manage to reach"
    return modality, attribution


# --- dates and times -------------------------------------------------------------------------------


class _Timed(Protocol):
    start: int
    end: int
    text: str


def _clause_verb(doc: Doc, base: int, start: int, end: int) -> Token | None:
    span = doc.char_span(start - base, end - base, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    t = span.root
    for _ in range(8):
        if t.head.i == t.i:
            return t if _is_verb(t) else None
        t = t.head
        if _is_verb(t):
            return t
    return None


# "last month", "yesterday", "two days ago" count from the writer's now: they date their own sentence,
# not the narrative after it.
_DEICTIC = re.compile(r"(?i)(?:last|next|this|yesterday|tomorrow|today|tonight)\b|.*\bago$")


def _same(a: Token | None, b: Token | None) -> bool:
    return a is not None and b is not None and a.i == b.i


def _line_is_heading(text: str, start: int, end: int) -> bool:
    """A date on a line of its own (a diary heading), possibly with a weekday or a place beside it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:start].strip()
    if len(before) > 12:
        return False
    if re.match(r"[.:\u2014]\s", text[end : end + 2]):
        return True  # "June 9. Arrived at Santa Fe": the entry runs on after its date
    after = text[end:line_end].strip(" .,;:-")
    return len(after) <= 24 and not re.search(r"[a-z]{3,}\s+[a-z]{3,}", after)


# "yesterday's camp", "Monday's meeting": a date that says whose a thing is dates no event
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def _governing_date(
    text: str,
    dates: Sequence[Any],
    starts: list[int],
    at: int,
    sentence: tuple[int, int],
    clause: Token | None,
    doc: Doc,
    base: int,
    in_quote: bool,
) -> tuple[Any | None, str | None]:
    """The date of an event at ``at``: one in its clause, else its sentence, else the latest before (a
    date in the possessive, "yesterday's camp", dates none)."""
    s, e = sentence
    lo = bisect_right(starts, s - 1)
    hi = bisect_right(starts, e - 1)
    own = [
        d
        for d in dates[lo:hi]
        if d.end <= e and d.in_quotation == in_quote and not _POSSESSIVE.match(text, d.end)
    ]
    if own:
        if clause is not None:
            mine = [d for d in own if _same(_clause_verb(doc, base, d.start, d.end), clause)]
            if mine:
                return _in_sentence(min(mine, key=lambda d: abs(d.start - at)))
        before = [d for d in own if d.start <= at]
        if before:
            return _in_sentence(before[-1])
    k = bisect_right(starts, at) - 1
    while k >= 0:
        d = dates[k]
        if d.end <= at and (in_quote or not d.in_quotation) and not _DEICTIC.match(d.text):
            heading = d.basis == "heading" or _line_is_heading(text, d.start, d.end)
            return d, ("heading" if heading else "running")
        k -= 1
    if own:
        return _in_sentence(own[0])  # a date later in the sentence, when nothing earlier dates it
    return None, None


def _in_sentence(d: Any) -> tuple[Any, str]:
    """A date of the event's own sentence: ``sentence``, unless it is the entry's heading run into it."""
    return d, ("heading" if d.basis == "heading" else "sentence")


def _time_of(
    text: str,
    times: Sequence[Any],
    starts: list[int],
    at: int,
    sentence: tuple[int, int],
    clause: Token | None,
    doc: Doc,
    base: int,
    day_from: int,
) -> str | None:
    """The clock time of the event's clause, else the latest of its sentence before it, else the latest
    since its date and within its paragraph."""
    s, e = sentence
    lo = bisect_right(starts, s - 1)
    hi = bisect_right(starts, e - 1)
    own = [t for t in times[lo:hi] if t.end <= e]
    if own and clause is not None:
        mine = [t for t in own if _same(_clause_verb(doc, base, t.start, t.end), clause)]
        if mine:
            return min(mine, key=lambda t: abs(t.start - at)).time
    elif own:  # a line with no verb: the time between its semicolons ("arr. Paris 3 p.m.; dep. 4")
        mine = [t for t in own if ";" not in text[min(t.end, at) : max(t.start, at)]]
        if mine:
            return min(mine, key=lambda t: abs(t.start - at)).time
    before = [t for t in own if t.start < at]
    if before:
        return before[-1].time
    k = bisect_right(starts, at) - 1
    while k >= 0:
        t = times[k]
        if t.start < day_from:
            return None
        if t.end <= at:
            return (
                t.time if "\n\n" not in text[t.end : at] and "\n" not in text[t.end : s].strip(" ") else None
            )
        k -= 1
    return None


# --- the entry point -------------------------------------------------------------------------------


def extract_events(
    text: str,
    toponyms: Sequence[Toponym],
    dates: Sequence[Any],
    times: Sequence[Any],
    *,
    sentences: Sequence[tuple[int, int]],
    narrator: str | None = None,
    document_date: str | None = None,
    quotations: Iterable[Any] = (),
    persons: Iterable[tuple[int, int]] = (),
) -> list[Movement]:
    """Movements of ``text``: one per place mention that a verb of movement or presence governs.

    ``toponyms`` in text order (``mention`` indexes them); ``dates`` as ``gazetteer.dates.find_dates``
    gives them; ``times`` as ``gazetteer.dates.find_times``; ``sentences`` the (start, end) spans of
    the text's sentences; ``quotations`` objects with ``start``, ``end`` and optional
    ``citation_start``/``citation_end``; ``persons`` the (start, end) spans of people's names the NER
    found anywhere in the text (optional), so that "he" and "Kim" find a person named in a sentence
    without a place.
    """
    narrator_name = narrator or NARRATOR
    sent_starts = [s for s, _ in sentences]
    by_sentence: dict[int, list[int]] = {}
    for i, m in enumerate(toponyms):
        k = bisect_right(sent_starts, m.start) - 1
        if k >= 0 and m.end <= sentences[k][1]:
            by_sentence.setdefault(k, []).append(i)
    headings = _heading_places(text, dates)
    order = [
        k
        for k, places in sorted(by_sentence.items())
        if _readable(text, sentences[k], places, toponyms, headings)
    ]
    if not order:
        return []
    # one Doc per sentence: the parser steps through a batch's docs together, so short docs side by
    # side take fewer steps than the same sentences joined
    docs = nlp.parsed(_telegraphic(text[slice(*sentences[k])]) for k in order)

    dated = sorted(
        (d for d in dates if d.edtf and getattr(d, "role", "narrative") == "narrative"), key=lambda d: d.start
    )
    date_starts = [d.start for d in dated]
    timed = sorted(times, key=lambda t: t.start)
    time_starts = [t.start for t in timed]
    quotes = sorted(quotations, key=lambda q: q.start)
    quote_starts = [q.start for q in quotes]
    people = _People(text)
    for a, b in persons:
        people.add(a, text[a:b])
    actors = _Actors(text, narrator_name, people)

    events: list[Movement] = []
    for k, doc in zip(order, docs, strict=True):
        s, e = sentences[k]
        base = s  # the doc's offset in the text
        place_tokens: dict[int, int] = {}
        heads: dict[int, Token] = {}
        for i in by_sentence[k]:
            m = toponyms[i]
            span = doc.char_span(m.start - base, m.end - base, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            heads[i] = span.root
            for t in span:
                place_tokens[t.i] = i
        for t in doc:
            if t.i in place_tokens or t.pos_ != "PROPN":
                continue
            if t.dep_ in _SUBJECTS or (t.dep_ == "poss" and t.head.lemma_.lower() in KIN):
                people.add(base + t.idx, _name(t))  # "Kim went", "Kim's parents"
        groups: dict[int, list[Movement]] = {}
        for i, root in heads.items():
            m = toponyms[i]
            reading = (
                _read(root, set(place_tokens))
                or _verbless(root)
                or _abbreviated(text, m.start)
                or _heading(text, m.start, headings)
            )
            if reading is None:
                continue
            if _qualifies(root, m, place_tokens, toponyms):
                continue  # "Springfield, Illinois": the state says where the town is, nobody went to it
            q = bisect_right(quote_starts, m.start) - 1
            quote = quotes[q] if q >= 0 and m.start < quotes[q].end else None
            if _in_citation(quotes, q, m.start):
                continue  # a quotation's source ("sent by the police station of X"), not the story
            subj, _ = _subject(reading.verb) if reading.verb is not None else (None, None)
            if reading.mover is not None:
                subj = reading.mover
            if reading.noun is not None:
                poss = next((c for c in reading.noun.children if c.dep_ == "poss"), None)
                if poss is not None:
                    subj = poss
            named: list[str] | None = None  # actors the subject gives other than by ``actors.of``
            undergone = subj is not None and subj.dep_ == "nsubjpass" and _holds(subj, root)
            if undergone or (subj is None and _passive(reading.verb)):
                # "Kut was captured by the Turks", "Amara was reached at noon": the place underwent it
                subj = _agent(reading.verb)
                if subj is None and reading.kind not in ("move", "depart", "arrive", "pass", "stay"):
                    named = []  # nobody is named as having done it
            if subj is not None and subj.i in place_tokens and place_tokens[subj.i] != i:
                if reading.kind in ("fight", "found") and subj.pos_ == "PROPN":
                    named = [toponyms[place_tokens[subj.i]].text]  # "Germany invaded Belgium": a state
                elif reading.kind not in ("move", "depart", "arrive", "pass") or subj.pos_ != "PROPN":
                    continue  # "Kut lay on the river": the place is what the sentence is about
                else:
                    place_tokens = {t: i for t, i in place_tokens.items() if t != subj.i}  # a traveller
            planned = subj is not None and subj.lemma_.lower() in INTENTION_NOUNS
            if planned:
                subj = None  # "Orders to move up to Amara": the diarist's, not yet done
            if reading.presence and not _someone(subj):
                continue
            if named is not None:
                names, explicit = named, bool(named)
            else:
                seen = reading.verb is not None and _seen(reading.verb)
                names, explicit = actors.of(subj, base, m.start, aboard=not seen)
            speaker = _speaker(reading.verb) if subj is not None and subj.lower_ in ("he", "she") else None
            if speaker is not None:
                names = [actors.one(speaker, base)]  # "our guide said he had ridden to Irkutsk": the guide
            told = reading.noun is not None and _nobodys_verb(reading.verb)
            modality, attribution = _modality(reading.verb, actors, base, told=told)
            if planned and modality == "asserted":
                modality = "intended"
            if quote is not None and modality == "asserted":
                modality = "reported"
                if attribution is None and getattr(quote, "citation_start", None) is not None:
                    attribution = text[quote.citation_start : quote.citation_end].strip("() \n")
            date, basis = _governing_date(
                text, dated, date_starts, m.start, (s, e), reading.verb, doc, base, quote is not None
            )
            if reading.dated is not None:
                date, basis = reading.dated, "heading"
            edtf = date.edtf if date is not None else document_date
            if date is None and document_date:
                basis = "document"
            day_from = date.start if date is not None else 0
            time = _time_of(text, timed, time_starts, m.start, (s, e), reading.verb, doc, base, day_from)
            confidence = _confidence(reading, explicit, names)
            ev = Movement(
                mention=i,
                start=m.start,
                end=m.end,
                text=m.text,
                place_id=m.place_id,
                place_name=m.place_name,
                lat=m.lat,
                lon=m.lon,
                kind=reading.kind,
                role=reading.role,
                actors=names,
                edtf=edtf,
                date_phrase=date.text if date is not None else None,
                date_start=date.start if date is not None else None,
                date_end=date.end if date is not None else None,
                date_basis=basis,
                time=time,
                cue=reading.cue,
                confidence=confidence,
                modality=modality,
                attribution=attribution,
                passage_start=s,
                passage_end=e,
                in_quotation=quote is not None,
            )
            events.append(ev)
            if modality == "asserted" and subj is not None and _plural(subj, names):
                actors.last_group = names
            top = _journey(reading.verb) if reading.verb is not None else None
            # a verbless line is one step: "From X to Y by rail."
            groups.setdefault(top.i if top is not None else -1 - k, []).append(ev)
        for group in groups.values():
            _link(group)
        for ev in (ev for group in groups.values() for ev in group):
            if ev.modality == "asserted" and ev.actors and people.known(ev.actors[0]):
                actors.last_person = ev.actors[0]
    events.sort(key=lambda ev: ev.start)
    return events


def _extent(m: Any) -> float | None:
    """How far the place reaches, in km (a town a few, a state hundreds); None when unresolved."""
    km = getattr(m, "uncertainty_km", None)
    if km is None:
        place = getattr(m, "place", None)
        km = getattr(place, "uncertainty_km", None) if place is not None else None
    return km


def _qualifies(root: Token, m: Any, place_tokens: dict[int, int], toponyms: Sequence[Any]) -> bool:
    """Whether the place only says where the place before it lies: a larger place set beside a resolved
    smaller one ("Springfield, Illinois", "a village near Tours, France")."""
    if root.dep_ != "appos" or root.head.i not in place_tokens:
        return False
    other = toponyms[place_tokens[root.head.i]]
    mine, theirs = _extent(m), _extent(other)
    return mine is not None and theirs is not None and other.place_id is not None and mine > theirs


def _confidence(reading: _Reading, explicit: bool, names: list[str]) -> float:
    """Higher for a lexicon verb than a movement noun or "was at", for a named subject than an
    understood one, lower for a pronoun nobody named before; low for presence without movement.

    Below 0.5, whatever the rest: a place said in passing, by a participle describing a noun ("the
    troops stationed in X", "a man fighting in X": not the story's own step), and a movement noun
    nobody's whose clause moves nobody ("he spoke of the siege of X": who laid it is a guess)."""
    if reading.presence:
        return 0.35
    c = 0.5
    c += 0.2 if reading.noun is None else 0.0
    c += 0.15 if reading.verb is not None and reading.verb.lemma_.lower() not in COPULA else 0.0
    c += 0.1 if explicit else 0.0
    c -= 0.15 if any(n in ("he", "she", "they", "him", "her", "them") for n in names) else 0.0
    if _in_passing(reading) or _nobodys_noun(reading):
        c = min(c, 0.45)
    return round(max(0.0, min(1.0, c)), 2)


def _in_passing(reading: _Reading) -> bool:
    """A participle that describes a noun: "a brigade stationed on the river", "men marching to X";
    not a verbless line's own statement ("Troops camped at X.")."""
    v = reading.verb
    if reading.noun is not None or v is None or v.dep_ != "acl" or v.tag_ not in ("VBN", "VBG"):
        return False
    return v.head.dep_ != "ROOT"


def _seen(v: Token) -> bool:
    """A movement the traveller only watches: "saw the steamer pass X"."""
    return v.dep_ in ("ccomp", "xcomp") and v.head.lemma_.lower() in PERCEPTION


def _nobodys_noun(reading: _Reading) -> bool:
    """A movement noun with no owner under a verb that moves nobody ("he wrote on the siege of X")."""
    noun = reading.noun
    if noun is None or any(c.dep_ == "poss" for c in noun.children):
        return False
    return _nobodys_verb(reading.verb)


def _nobodys_verb(v: Token | None) -> bool:
    """A verb that moves nobody and puts nobody anywhere: "spoke", "recalled", "forgot"."""
    return v is not None and _verb_kind(v)[0] is None


_OPENING = re.compile(r"(?:^|(?<=[;:\n]))(\s*)([A-Z][a-z]+)\b")


# Words that can govern a place with no preposition before it: a verb or noun of the lexicon, whose
# object or passive subject the place is ("reached X", "X was captured", "left X").
_OBJECT_WORDS = (
    frozenset(VERBS) | frozenset(NOUNS) | {verb for verb, _ in PHRASAL} | LEAVE_OBJECT | CAPTURE_OBJECT
)
_GOVERNING = frozenset(PREPOSITIONS) | {"of", "as"}  # "the village of X", "as far as X"
_WORD = re.compile(r"[A-Za-z]+")


def _readable(
    text: str, span: tuple[int, int], places: list[int], toponyms: Sequence[Toponym], headings: dict[int, Any]
) -> bool:
    """Whether a place of this sentence could be read at all, told from its words: ``_read`` reads a
    place through a preposition before it, or as the object or passive subject of a verb or noun of
    the lexicon; ``_abbreviated`` after a shortened verb; ``_heading`` on a heading's place line. A
    sentence with none of these ("Kenya's minister said ...", "Sudan's potential is untapped") is not
    parsed; in news about one such sentence in ten holds a place."""
    starts = [toponyms[i].start for i in places]
    if any(_abbreviated(text, a) or _heading(text, a, headings) for a in starts):
        return True
    last = max(starts)
    for m in _WORD.finditer(text, *span):
        word = m.group().lower()
        if (m.start() < last and word in _GOVERNING) or word in _OBJECT_WORDS:
            return True
        if nlp.lemma_of(word) in _OBJECT_WORDS:
            return True
    return False


def _telegraphic(sentence: str) -> str:
    """The sentence with a clause-opening verb lower-cased ("Passed Esna" -> "passed Esna"), so that
    the parser sees a verb; same length, so every offset holds."""

    def lower(m: re.Match[str]) -> str:
        word = m.group(2)
        return m.group(1) + word.lower() if word.lower() in OPENING_FORMS else m.group(0)

    return _OPENING.sub(lower, sentence)


def _in_citation(quotes: Sequence[Any], q: int, at: int) -> bool:
    if q < 0:
        return False
    cite = getattr(quotes[q], "citation_start", None)
    return cite is not None and cite <= at < (quotes[q].citation_end or cite)


def _journey(v: Token) -> Token:
    """The first verb of a chain of coordinated verbs: one journey ("left X, passed Y and reached Z")."""
    while v.dep_ == "conj" and v.head.i != v.i and _is_verb(v.head):
        v = v.head
    return v


def _link(group: list[Movement]) -> None:
    """Gives every event of one journey the journey's origin, destination and via points."""
    if len({tuple(ev.actors) for ev in group}) > 1:
        return
    origin = next((ev.ref for ev in group if ev.role == "origin"), None)
    destination = next((ev.ref for ev in reversed(group) if ev.role == "destination"), None)
    via = [ev.ref for ev in group if ev.role == "via"]
    for ev in group:
        ev.origin = origin
        ev.destination = destination
        ev.via = list(via)
