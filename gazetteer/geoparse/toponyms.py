"""Toponyms: where a text names a place, found by spaCy's NER united with the gazetteer's names.

The two finders fail differently. The statistical model finds names it has never seen (``Pandi``,
``Central Luzon``) but misses many at the start of a sentence and in lists, and it mislabels places as
people now and then. The gazetteer matcher finds any known name in any position but cannot tell
``Florence, his wife`` from the city. So the union is taken with the model as the judge of what is
*not* a place: a gazetteer match that overlaps a PERSON, ORG, NORP or other non-place entity is
dropped; the model never adds a place the gazetteer would reject, it only adds names the gazetteer
lacks (those stay unresolved unless a spelling variant resolves them later).

Evidence used for a gazetteer-only match, all general English:

- a capitalised run of tokens (connectors such as ``of``, ``al``, ``on`` inside it), longest known
  name first;
- a single word that English writes in lower case more often than capitalised (``lexicon``), or that
  the same text also writes in lower case, is a common word, not a name, unless the gazetteer knows
  it as a country, region, sea or river;
- a single word starting a sentence must be a strong place (a country, region, sea, river or a town of
  some size) since sentence-initial capitals say nothing;
- a title before the run (``General``, ``Mrs``) makes it a person.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dates import MONTHS, WEEKDAYS
from ..names import normalize, skeleton
from . import qualifiers
from .lexicon import is_common_word, is_frequent_name, is_frequent_word
from .verbs import OPENING_FORMS

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..geocoder import Candidate, Gazetteer
    from ..places import Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities that say "not a place": people, groups, organisations, works, and every kind of number.
NOT_PLACE_LABELS = frozenset(
    {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}
    | {"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"}
)
MAX_TOKENS = 6
CONNECTORS = frozenset({"of", "de", "del", "della", "di", "du", "des", "la", "le", "al", "el", "ul", "ed"})
CONNECTORS |= {"upon", "on", "am", "an", "der", "sur", "en", "y", "da", "do", "dos", "das", "bin", "ibn"}
# Words before a name that make it a person's (English titles and ranks).
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "lady",
        "lord",
        "dame",
        "rev",
        "reverend",
        "father",
        "brother",
        "sister",
        "mother",
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "empress",
        "sultan",
        "shah",
        "emir",
        "pasha",
        "bey",
        "president",
        "premier",
        "minister",
        "senator",
        "governor",
        "mayor",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "maj",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "sergeant",
        "sgt",
        "corporal",
        "cpl",
        "private",
        "pte",
        "admiral",
        "commander",
        "cdr",
        "commodore",
        "marshal",
        "brigadier",
        "ensign",
        "bishop",
        "archbishop",
        "cardinal",
        "pope",
        "rabbi",
        "imam",
        "sheikh",
        "judge",
        "justice",
        "count",
        "countess",
        "duke",
        "duchess",
        "baron",
        "baroness",
        "herr",
        "frau",
        "monsieur",
        "madame",
        "mme",
        "mlle",
        "signor",
        "senor",
        "senora",
        "don",
        "dona",
        "comrade",
        "citizen",
        "uncle",
        "aunt",
        "cousin",
    ]
)
# Lower-case role nouns written before a person's name ("coach Ripley", "spokesman Hill").
TITLES |= {
    "coach", "spokesman", "spokeswoman", "spokesperson", "director", "manager", "chairman", "chairwoman",
    "chief", "superintendent", "sheriff", "deputy", "trooper", "detective", "agent", "attorney", "lawyer",
    "doctor", "nurse", "teacher", "principal", "pastor", "councilman", "councilwoman", "councillor",
    "commissioner", "representative", "rep", "sen", "gov", "officer", "inspector", "investigator",
    "magistrate", "constable", "chancellor", "dean", "author", "actor", "actress", "singer", "player",
    "artist", "wrestler", "secretary", "chef",
    "owner", "founder", "president", "vice-president", "ceo",
}  # fmt: skip
TITLE_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "gen", "col", "capt", "lt", "sgt", "maj", "cpl", "pte", "cdr", "rev", "prof"}
    | {"sen", "rep", "gov", "mme", "mlle", "st"}
)
# Closed-class words that are capitalised at the start of sentences and in headings, and happen to be
# names of places somewhere (a town called "Sunday" or "Will"): never a place on their own.
FUNCTION_WORDS = (
    frozenset(
        [
            "a",
            "an",
            "the",
            "this",
            "that",
            "these",
            "those",
            "it",
            "its",
            "he",
            "she",
            "we",
            "they",
            "i",
            "you",
            "him",
            "her",
            "us",
            "them",
            "his",
            "our",
            "their",
            "my",
            "your",
            "and",
            "or",
            "but",
            "if",
            "then",
            "so",
            "as",
            "at",
            "by",
            "for",
            "from",
            "in",
            "into",
            "of",
            "on",
            "onto",
            "to",
            "up",
            "with",
            "without",
            "about",
            "after",
            "before",
            "during",
            "since",
            "until",
            "while",
            "when",
            "where",
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "why",
            "how",
            "all",
            "any",
            "each",
            "every",
            "some",
            "no",
            "not",
            "none",
            "one",
            "two",
            "three",
            "many",
            "much",
            "more",
            "most",
            "other",
            "such",
            "same",
            "only",
            "also",
            "even",
            "just",
            "still",
            "yet",
            "here",
            "there",
            "now",
            "today",
            "tonight",
            "tomorrow",
            "yesterday",
            "again",
            "once",
            "will",
            "would",
            "shall",
            "should",
            "can",
            "could",
            "may",
            "might",
            "must",
            "do",
            "does",
            "did",
            "done",
            "be",
            "is",
            "are",
            "was",
            "were",
            "been",
            "being",
            "have",
            "has",
            "had",
            "having",
            "let",
            "lets",
            "god",
            "lord",
            "christmas",
            "easter",
        ]
    )
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | frozenset(d[:3] for d in WEEKDAYS)
    | {"tues", "thur", "thurs"}
)
# Feature types that a lone capitalised word at a sentence start may stand for.
STRONG_TYPES = frozenset(
    {"country", "continent", "ocean", "sea", "gulf", "bay", "strait", "river", "lake", "region", "province"}
    | {"state", "county", "island", "mountain", "desert", "archaeological site"}
)
# What a common English word ("Turkey", "Chad") may stand for on its own: a country or a water body.
COMMON_WORD_TYPES = frozenset(
    {"country", "continent", "ocean", "sea", "gulf", "bay", "strait", "river", "lake"}
)
MIN_POP_SENTENCE_START = 20_000
MIN_POP_MAJOR = 100_000
SAME_NAME_RATIO = 80
MIN_POP_TOWN = 1_000
# Prepositions of place and motion: an unknown capitalised word after one may be an old spelling.
LOCATIVES = frozenset(
    {"to", "towards", "toward", "from", "at", "in", "near", "via", "into", "past", "off", "through", "reach"}
    | {"reached", "left", "leaving", "beyond", "outside", "round", "around", "opposite", "for"}
)
KIN = frozenset(
    {"wife", "husband", "son", "daughter", "mother", "father", "brother", "sister", "friend", "cousin"}
    | {"uncle", "aunt", "nephew", "niece", "colleague", "servant", "maid", "nurse", "companion", "fiancee"}
    | {"fiancée", "fiance", "widow", "child", "baby", "grandmother", "grandfather", "partner", "secretary"}
    | {"girlfriend", "boyfriend", "grandson", "granddaughter", "stepson", "stepdaughter", "stepfather"}
    | {"stepmother", "sons", "daughters", "brothers", "sisters", "twin", "widower"}
)
VESSELS = frozenset(
    {"steamer", "ship", "boat", "vessel", "gunboat", "launch", "liner", "cruiser", "destroyer", "yacht"}
    | {"barge", "tug", "frigate", "schooner", "brig", "sloop", "submarine", "tanker", "ferry", "ss", "hms"}
    | {"uss", "s.s.", "h.m.s.", "u.s.s.", "paddle-steamer", "transport", "collier", "sternwheeler"}
)
# Compass words start many names ("West Bank") but alone are directions or headings.
COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}
    | {"upper", "lower", "middle"}
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u00de\u0100-\u024f][\w'’.\-]*|[A-Z](?:\.[A-Z])+\.?)$")


@dataclass(slots=True)
class Toponym:
    """A place name in the clean text (``start``/``end`` index it) and, once resolved, its place.

    The attribute names (``place_id``, ``place_name``, ``lat``, ``lon``) match the output mentions'
    so the events step can read either."""

    start: int
    end: int
    text: str
    source: str  # ner | gazetteer | both
    label: str | None = None  # the NER label, when the model found it
    sentence_start: bool = False
    place: Place | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    reasons: list[str] = field(default_factory=list)
    organisation: str | None = None  # the unit, battle or institution named after the place

    @property
    def key(self) -> str:
        return normalize(self.text)

    @property
    def place_id(self) -> str | None:
        return self.place.id if self.place is not None else None

    @property
    def place_name(self) -> str | None:
        return self.place.name if self.place is not None else None

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place is not None else None

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place is not None else None


def _overlaps(a: int, b: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def _strip_name(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity span without a leading article, a trailing possessive or edge punctuation."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    low = text[start:end].lower()
    if low.startswith("the ") and end - start > 4:
        start += 4
    for tail in ("'s", "’s"):
        if text[start:end].endswith(tail):
            end -= len(tail)
    if text[start:end].endswith(".") and text[start:end].count(".") == 1:
        end -= 1  # a sentence's full stop, not "U.S."
    head, _, last = text[start:end].rpartition(" ")
    if head and (last in CONNECTORS or last in ("and", "the")):
        return _strip_name(text, start, start + len(head))  # the model's "the City of" before a name
    return start, end


class ToponymFinder:
    """Finds toponyms in spaCy docs (NER and sentences) of a clean text's paragraphs."""

    def __init__(self, gazetteer: Gazetteer):
        self.gz = gazetteer
        self.persons: list[tuple[int, int]] = []  # the model's PERSON spans met by ``find``, for the events
        self._orgs: set[tuple[int, int]] = set()  # the ORG spans of the doc being read

    def find(
        self,
        text: str,
        docs: Iterable[tuple[int, Doc]],
        *,
        exclude: Sequence[tuple[int, int]] = (),
    ) -> tuple[list[Toponym], list[tuple[int, int]]]:
        """Toponyms of ``text`` in text order, and its sentences, from ``(offset, doc)`` pairs (each doc
        one paragraph starting at ``offset``). ``exclude`` spans (dates) are never names."""
        lower_words = _lower_words(text)
        docs = list(docs)
        evidence = _Evidence()
        for _, doc in docs:
            evidence.add(doc)
        evidence.close()
        slot_spans = {}  # per doc: the spans that may name a place the model missed
        for offset, doc in docs:  # the names the text puts in a travel slot anywhere ("reached X")
            starts = {offset + s.start_char for s in doc.sents}
            slot_spans[offset] = self._slot_candidates(text, offset, doc, starts)
            for a, b, label in slot_spans[offset]:
                if self._unknown_in_slot(text, a, b, evidence, label) is not None:
                    evidence.slot_names.add(text[a:b])
        found: list[Toponym] = []
        sentences: list[tuple[int, int]] = []
        for offset, doc in docs:
            sents = [(offset + s.start_char, offset + s.end_char) for s in doc.sents]
            sentences.extend(_after_clock_times(text, sents))
            spans = slot_spans[offset]
            found.extend(self._in_doc(text, offset, doc, sents, exclude, lower_words, evidence, spans))
        # "people like Guhdar who have been denied asylum": a name that "who" follows is a person's,
        # wherever else the text writes it
        who = {
            t.text
            for t in found
            if _WHO_AFTER.match(text, t.end, min(len(text), t.end + 8))
            and not locative_before(text, t.start)  # "a woman from West Java who died": the woman
            and not text[max(0, t.start - 4) : t.start].endswith("of ")
        }
        found = [
            t
            for t in found
            if not (
                (t.text in who and t.organisation is None and not self._big(t.text))
                or _vessel_before(text, t.start)
                or _title_before(text, t.start)
                or _kin_after(text, t.end)
                or _kin_before(text, t.start)
                or _holiday(text, t.start, t.end)
                or self._a_persons_name(t, evidence)
                or (
                    _speaker(text, t.start, t.end)
                    and not locative_before(text, t.start)
                    and not self._big(t.text)
                )
            )
        ]
        found.sort(key=lambda t: t.start)
        for t in found:
            self._with_compass(text, t)
        # a name the model called a person and the text makes a place ("the boat to Calais") is no
        # one the events may take for "he"
        starts = [t.start for t in found]
        self.persons = [
            (a, b) for a, b in self.persons if (k := bisect_left(starts, b)) == 0 or found[k - 1].end <= a
        ]
        return self._with_qualifiers(text, found), sentences

    def _with_compass(self, text: str, t: Toponym) -> None:
        """ "northern Manchuria" where the gazetteer knows Northern Manchuria: the lower-case compass
        word before a name is part of it when the longer name is a place of its own."""
        m = _COMPASS_BEFORE.search(text, max(0, t.start - 12), t.start)
        if m is None or t.organisation is not None:
            return
        longer = f"{m.group(1).capitalize()} {t.text}"
        if self.gz.has_name(longer):
            t.start, t.text = m.start(1), text[m.start(1) : t.end]

    def _big(self, name: str) -> bool:
        """Whether the name's first reading is a country, region or water body, or a city of 100,000 or
        more, by whatever name ("Britain" for the United Kingdom): a place that may speak or act."""
        found = self.gz.lookup(name)
        return bool(found) and (
            found[0].place.feature_type in STRONG_TYPES or found[0].place.population >= MIN_POP_MAJOR
        )

    def _a_persons_name(self, t: Toponym, evidence) -> bool:
        """A lone word the text also uses in a person's full name ("Narendra Modi" ... "Modi said") is
        that person, unless it is a major place ("Jordan", "Lincoln")."""
        return (
            t.organisation is None
            and " " not in t.text
            and t.text in evidence.person_words
            and not self._major(t.text)
        )

    def _with_qualifiers(self, text: str, found: list[Toponym]) -> list[Toponym]:
        """Region abbreviations after a name and a comma ("Paris, Tenn."), as mentions of their region
        (a toponym the model already found there takes the region as its place)."""
        by_start = {t.start: t for t in found}
        added = []
        for t in found:
            got = qualifiers.after(text, t.end)
            if got is None:
                continue
            a, b, place_id = got
            place = self.gz.get(place_id)
            if place is None:
                continue
            q = by_start.get(a)
            if q is None:
                if any(o.start < b and a < o.end for o in found):
                    continue
                q = Toponym(a, b, text[a:b], "qualifier")
                added.append(q)
            q.source, q.place, q.score = "qualifier", place, 1.0
            q.reasons = [f"{text[a:b]!r} after a place name and a comma: the abbreviation of {place.name}"]
        return sorted(found + added, key=lambda t: t.start) if added else found

    def _in_doc(self, text, offset, doc, sents, exclude, lower_words, evidence, slot_spans) -> list[Toponym]:
        starts = {s for s, _ in sents}
        cased = any(c.isupper() for c in doc.text)
        ner: list[Toponym] = []
        blockers: list[tuple[int, int, str]] = [(a, b, "OUR_DATE") for a, b in exclude]
        # names the model missed where travel writing puts a place (see ``_unknown_in_slot``)
        slotted: dict[tuple[int, int], Toponym] = {}
        if cased:
            for a, b, label in slot_spans:
                t = self._unknown_in_slot(text, a, b, evidence, label)
                if t is not None:
                    slotted[(a, b)] = t
        ner.extend(slotted.values())
        for ent in doc.ents:
            a, b = offset + ent.start_char, offset + ent.end_char
            if ent.label_ in PLACE_LABELS and _event_like(ent):
                blockers.append((a, b, "EVENT"))  # "the Great East Asia War": an event, not a place
            elif ent.label_ in PLACE_LABELS:
                if _verb_first(ent) and ent[0].lower_ in OPENING_FORMS and not self.gz.has_name(ent.text):
                    a = offset + ent[1].idx  # "Left Fort Laramie", "Passed Cape Town": a diary's verb
                a, b = _strip_name(text, a, b)
                if b > a and not _overlaps(a, b, exclude) and any(c.isalpha() for c in text[a:b]):
                    if " " not in text[a:b] and not self._ner_word_ok(text[a:b]):
                        continue
                    if text[a:b].islower() and cased:
                        continue  # "a south city barbecue": in a cased text a name has a capital
                    ner.append(Toponym(a, b, text[a:b], "ner", ent.label_, a in starts))
            elif ent.label_ in NOT_PLACE_LABELS:
                if ent.label_ in ("PERSON", "ORG") and _verb_first(ent):  # "Left Luxor": a verb, a name
                    if ent[0].lower_ in OPENING_FORMS:
                        continue  # "Reached Paris" as a person: the label was for the verb and the name
                    a = offset + ent[1].idx
                elif ent.label_ == "PERSON" and (k := evidence.person_start(ent)):
                    a = offset + ent[k].idx  # "At Fashoda Graves found": the place is not the person's
                if (a, b) in slotted:
                    continue
                pieces = _entity_pieces(ent, offset, a, b)
                for pa, pb in pieces:
                    # a piece of an entity the model ran across a preposition ("Salonika to Mudros"
                    # as a title) is judged like an organisation's name
                    blockers.append((pa, pb, ent.label_ if len(pieces) == 1 else "ORG"))
                    if ent.label_ == "PERSON":
                        self.persons.append((pa, pb))
        ner_spans = [(t.start, t.end) for t in ner]
        out = list(ner)
        # the model's organisations: a frequent word that is a big city may be the city acting
        # through its club or council ("Liverpool said")
        self._orgs = {
            _strip_name(text, offset + (e[1].idx if _verb_first(e) else e.start_char), offset + e.end_char)
            for e in doc.ents
            if e.label_ == "ORG"
        }
        for a, b, known in self._gazetteer_spans(text, offset, doc, starts, lower_words):
            hit = [x for x in blockers if x[0] < b and a < x[1]]
            if not known:
                exact = (
                    len(hit) == 1
                    and hit[0][2] in ("PERSON", "ORG", "NORP")
                    and (hit[0][0], hit[0][1]) == (a, b)
                )
                if (not hit or exact) and not _overlaps(a, b, ner_spans):
                    out.append(Toponym(a, b, text[a:b], "variant", None, a in starts))
                continue
            if hit and not self._place_despite(text, a, b, hit, evidence, out):
                continue
            inside = [t for t in ner if t.start < b and a < t.end]
            if inside:
                # the model's span wins unless the known name strictly contains it ("Gulf of Aden")
                if (
                    len(inside) == 1
                    and a <= inside[0].start
                    and inside[0].end <= b
                    and b - a > inside[0].end - inside[0].start
                ):
                    t = inside[0]
                    t.start, t.end, t.text, t.source = a, b, text[a:b], "both"
                else:
                    for t in inside:
                        t.source = "both"
                continue
            if _overlaps(a, b, ner_spans):
                continue
            out.append(Toponym(a, b, text[a:b], "gazetteer", None, a in starts))
        taken = [(t.start, t.end) for t in out]
        for a, b, org in self._named_for_places(text, offset, doc, evidence):
            if not _overlaps(a, b, taken):
                out.append(Toponym(a, b, text[a:b], "gazetteer", None, a in starts, organisation=org))
        return out

    def _named_for_places(self, text, offset, doc, evidence) -> list[tuple[int, int, str]]:
        """Known names inside the model's organisation, event and person spans whose words say they are
        named for where they are: "the Oakland Police Department", "the Battle of Stalingrad",
        "Gainesville Mayor Jo Smith". Each is a mention of the place (role "in_organisation"), never an
        event's place; a newspaper or a company named for a country ("The Korea Times") has no such word."""
        out: list[tuple[int, int, str]] = []
        for ent in doc.ents:
            if ent.label_ not in ("ORG", "EVENT", "PERSON") and not _event_like(ent):
                continue
            toks = list(ent)
            end = offset + ent.end_char
            after = [_bare(w) for w in text[end : end + 60].split()[:2]]
            i = 0
            while i < len(toks):
                got = self._name_in_entity(text, offset, toks, i)
                if got is None:
                    i += 1
                    continue
                a, b, k = got
                if a == offset + toks[i].idx:
                    a = self._known_before(text, offset, doc, ent.start, a, b)
                # the model's organisation may be the name alone, its institution's words after it in
                # lower case ("the Namyang police station")
                whole = (a, b) == (offset + ent.start_char, offset + ent.end_char) and not (
                    after and _is_head(after[0])
                )
                # the model's "person" holding an institution's word is an institution ("Huntsville
                # High School"): only a title after the name says where a person's office is
                person = ent.label_ == "PERSON" and not any(
                    t.is_title and _is_head(t.lower_) for t in toks[1:]
                )
                if (
                    not whole
                    and _named_for(toks, i, k, after, person=person)
                    and text[a:b] not in evidence.person_words
                    and not self._founders_name(text[a:b], toks)
                ):
                    out.append((a, b, ent.text))
                i = k + 1
        return out

    def _founders_name(self, name: str, toks) -> bool:
        """Schools and colleges are often named for a founder ("Chapman University", "Duke
        University"): one word before such a head names a place only if it is a town of 10,000 or a
        region."""
        heads = {_bare(t.lower_) for t in toks} & LOCATIONAL_HEADS
        if " " in name or not heads or not heads <= EDUCATION_HEADS:
            return False
        found = self.gz.lookup(name)
        return not found or (
            found[0].place.population < MIN_POP_SCHOOL_TOWN
            and found[0].place.feature_type not in STRONG_TYPES
        )

    def _known_before(self, text, offset, doc, start: int, a: int, b: int) -> int:
        """Where a name at an entity's start really starts, when the name words just before the entity
        make a longer known name with it ("Soviet" + "Far East Forces": the Soviet Far East)."""
        for m in (2, 1):
            before = doc[max(0, start - m) : start]
            if (
                len(before) == m
                and all(_is_name_token(t.text) for t in before)
                and self.gz.has_name(text[offset + before[0].idx : b])
            ):
                return offset + before[0].idx
        return a

    def _name_in_entity(self, text, offset, toks, i) -> tuple[int, int, int] | None:
        """The longest known name starting at token ``i`` of an entity, with its last token's index."""
        first = toks[i]
        if not _is_name_token(first.text) or first.lower_ in FUNCTION_WORDS or _is_head(first.lower_):
            return None
        for k in range(min(len(toks) - 1, i + MAX_TOKENS - 1), i - 1, -1):
            if any(not _is_name_token(t.text) for t in toks[i : k + 1]):
                continue  # a head word may end a known name ("Butler County") but never starts one
            a, b = _strip_name(text, offset + first.idx, offset + toks[k].idx + len(toks[k].text))
            name = text[a:b]
            if b <= a or not self.gz.has_name(name):
                continue
            if " " not in name:
                low = name.lower().rstrip(".")
                if len(low) < 2 or is_common_word(low) or low in COMPASS:
                    continue
                if name.isupper() and len(name.replace(".", "")) <= 5:
                    if not self._abbreviation_known(name):
                        continue
                elif is_frequent_name(name) and not (
                    self._major(name) or self._strong(name, by_type_only=True)
                ):
                    continue  # "Lions Club", "Supreme Court": a frequent word only as a major place
            return a, b, k
        return None

    def _unknown_in_slot(self, text: str, a: int, b: int, evidence, label: str | None) -> Toponym | None:
        """A name the gazetteer does not know, where travel writing puts a place ("reached Rosako",
        "camped near Mpwapwa"), as a place to show unresolved: one to three capitalised words, not one
        everyday name or word alone, no possessive after it, no word of a person's full name. A
        preposition of place is enough for one the text has already put in a travel slot ("still at
        Rosako"), and "at", "in" or "near" for a name the model left unlabelled ("near Thiepval"; not
        "according to Deputy Chief"). A person's name after "past" is a player passed, not a place."""
        name = text[a:b]
        words = name.split()
        if not 1 <= len(words) <= 3 or not all(_capitalised(w) for w in words):
            return None
        if text.startswith("'s", b) or text.startswith("’s", b):
            return None
        if len(words) == 1 and (is_frequent_name(name) or is_common_word(name)):
            return None  # "went to Mary", "came to Church"; but "Fort Kearny", "Port Elgin"
        if any(w in evidence.person_words for w in words) or self.gz.has_name(name):
            return None
        before = text[max(0, a - 12) : a].split()
        slot = travel_slot(text, a)
        if slot is None and name in evidence.slot_names and locative_before(text, a):
            slot = before[-1]
        if slot is None and label is None and before and before[-1] in _AT_IN_NEAR:
            slot = before[-1]
        if slot is None or (label == "PERSON" and slot.endswith("past")):
            return None
        if label == "ORG" and _bare(words[-1].lower()) in EDUCATION_HEADS:
            return None  # "came from Emberton School": where someone studied, not a place passed
        t = Toponym(a, b, name, "slot")
        t.reasons = [f"after {slot!r}, where travel writing names a place; the gazetteer does not know it"]
        return t

    def _slot_candidates(self, text, offset, doc, starts) -> list[tuple[int, int, str | None]]:
        """Spans that may name a place the model missed: its PERSON and ORG entities, its nationalities
        that are neither plural nor an adjective before a noun ("marched to Tesselbo."), and runs of
        capitalised words outside every entity that do not open a sentence."""
        out: list[tuple[int, int, str | None]] = []
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG"):
                a = offset + (ent[1].idx if _verb_first(ent) else ent.start_char)
                out.append((a, offset + ent.end_char, ent.label_))
            elif ent.label_ == "NORP" and not _NORP_AS_GROUP.match(text, offset + ent.end_char - 1):
                out.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
        run: list = []
        for tok in [*doc, None]:
            if tok is not None and tok.ent_iob_ == "O" and tok.is_title and tok.is_alpha:
                run.append(tok)
                continue
            if run and offset + run[0].idx not in starts:
                out.append((offset + run[0].idx, offset + run[-1].idx + len(run[-1].text), None))
            run = []
        return out

    def _place_despite(
        self,
        text: str,
        a: int,
        b: int,
        hit: list[tuple[int, int, str]],
        evidence,
        places: Sequence[Toponym] = (),
    ) -> bool:
        """Whether a known name the model took for a person or an organisation (or, after "to", a
        nationality; or, governed by a preposition of place, anything else) is a place all the same:
        the model's PERSON or ORG span is exactly this one name (not "The Korea Times"), the text
        nowhere uses it inside a person's full name
        nor with a title or a kinship apposition ("Florence, his wife"), and the name is a major place
        or the model itself reads it as a place elsewhere in the text ("Odessa received
        reinforcements"), or any known place where travel writing puts one ("reached Kikoka", "the
        village of Mpwapwa"), or a known town that a preposition of place governs ("anchored above
        Edfu") or that is joined to a place just before it ("via Esna and Edfu")."""
        if len(hit) != 1 or hit[0][2] == "OUR_DATE" or (hit[0][0], hit[0][1]) != (a, b):
            return False
        name = text[a:b]
        if hit[0][2] not in ("PERSON", "ORG", "NORP"):  # "captured in Chattanooga" read as a product
            governed = locative_before(text, a) or _conjunct_of(text, a, [(t.start, t.end) for t in places])
            return governed and self._known_town(name)
        if hit[0][2] == "NORP":  # "a visit to Tunis" read as a nationality: only a big place after "to"
            return locative_before(text, a) and self._major(name)
        if name in evidence.person_words or _kin_after(text, b) or _title_before(text, a):
            return False
        if hit[0][2] == "PERSON" and is_frequent_name(name) and name not in evidence.place_names:
            return False
        if name in evidence.place_names or self._major(name):
            return True
        if travel_slot(text, a) is not None:
            return True  # "near the village of Mpwapwa", "marched on to Kikoka": a place however small
        governed = locative_before(text, a) or _conjunct_of(text, a, [(t.start, t.end) for t in places])
        return governed and self._known_town(name)

    def _known_town(self, name: str) -> bool:
        """A town of some size, a region or a water known by this very name ("Ypres" is one of Ieper's
        names) or a spelling close to its own."""
        found = self.gz.lookup(name)
        if not found:
            return False
        top = found[0]
        named = normalize(top.matched_name or "") == normalize(name) or self._same_name(name, top.place)
        return named and (top.place.population >= MIN_POP_TOWN or top.place.feature_type in STRONG_TYPES)

    def _same_name(self, name: str, place: Place) -> bool:
        """Whether a place is known by this name itself or a spelling of it ("Odessa" for Odesa, "Beni
        Suef" for Banī Suwayf: close letters or the same consonants), not by a former name ("Stalin"
        for Donetsk, once Stalino)."""
        from rapidfuzz import fuzz

        return fuzz.ratio(normalize(name), normalize(place.name)) >= SAME_NAME_RATIO or (
            skeleton(name) == skeleton(place.name)
        )

    def _ner_word_ok(self, word: str) -> bool:
        """A one-word entity that English mostly writes in lower case ("Centre") is a place only as a
        country, a water body or a city of some size ("Reading", "Mobile")."""
        if not is_common_word(word):
            return True
        found = self.gz.lookup(word)
        return bool(found) and (
            found[0].place.feature_type in COMMON_WORD_TYPES or found[0].place.population >= MIN_POP_MAJOR
        )

    def _major(self, name: str) -> bool:
        """A country, region, water body or city of 100,000 or more, known by this name itself or a
        spelling close to it ("Odessa" for Odesa), not by a former name ("Stalin" for Donetsk, once
        Stalino; "Komintern" for Novoshakhtinsk): people and organisations lend their names to places."""

        found = self.gz.lookup(name)
        if not found:
            return False
        p = found[0].place
        abbreviation = name.isupper() and self._abbreviation_known(name)
        if not abbreviation and not self._same_name(name, p):
            return False
        return p.feature_type in STRONG_TYPES or p.population >= MIN_POP_MAJOR

    def _gazetteer_spans(self, text, offset, doc, starts, lower_words) -> list[tuple[int, int, bool]]:
        """Longest known names over capitalised runs of the doc's tokens (``known`` true), and the
        unknown capitalised words that a locative preposition governs ("marched towards Basreh"):
        candidates for the spelling-variant fallback, kept only if it resolves them."""
        tokens = list(doc)
        n = len(tokens)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < n:
            tok = tokens[i]
            if not _is_name_token(tok.text) or (tok.lower_ in FUNCTION_WORDS and tok.lower_ != "the"):
                i += 1  # "Then I", "So I", "He Long": a name never starts with a function word
                continue
            # the run: name tokens, hyphens and connectors between name tokens, on one line
            j = i
            while j + 1 < n and j - i < MAX_TOKENS * 2:
                nxt = tokens[j + 1]
                if "\n" in tokens[j].whitespace_ + nxt.text:
                    break
                if _is_name_token(nxt.text):
                    j += 1
                    continue
                if (
                    (nxt.lower_ in CONNECTORS or nxt.text in "-'’")
                    and j + 2 < n
                    and (
                        _is_name_token(tokens[j + 2].text)
                        or tokens[j + 2].lower_ in CONNECTORS
                        or tokens[j + 2].text in "-'’"
                    )
                ):
                    j += 1
                    continue
                break
            got = self._longest(text, offset, tokens, i, j, starts, lower_words)
            if got is None:
                a, b = offset + tok.idx, offset + tokens[j].idx + len(tokens[j].text)
                if (
                    i > 0
                    and tokens[i - 1].lower_ in LOCATIVES
                    and a not in starts
                    and not any(
                        is_frequent_word(t.text) or t.lower_ in FUNCTION_WORDS for t in tokens[i : j + 1]
                    )
                ):
                    spans.append((*_strip_name(text, a, b), False))
                    i = j + 1
                else:
                    i += 1
                continue
            a, b, k = got
            spans.append((a, b, True))
            i = k + 1
        return spans

    def _longest(self, text, offset, tokens, i, j, starts, lower_words) -> tuple[int, int, int] | None:
        first = tokens[i]
        if first.lower_.rstrip(".") in TITLES or (i > 0 and tokens[i - 1].lower_.rstrip(".") in TITLES):
            return None
        for k in range(min(j, i + MAX_TOKENS - 1), i - 1, -1):
            last = tokens[k]
            if not _is_name_token(last.text):
                continue
            a = offset + first.idx
            b = offset + last.idx + len(last.text)
            a, b = _strip_name(text, a, b)
            if b <= a:
                continue
            name = text[a:b]
            if not self.gz.has_name(name):
                continue
            as_org, after_locative = (a, b) in self._orgs, locative_before(text, a)
            if " " not in name:
                # "Left Independence": a verb of leaving takes a known town; "reached Paris", not "left
                # Mary": a first name only where a verb's object is a place
                in_slot = (is_common_word(name) and travel_slot(text, a, known=True) is not None) or (
                    is_frequent_name(name) and travel_slot(text, a) is not None
                )
                if not self._single_word_ok(name, a in starts, lower_words, as_org, after_locative, in_slot):
                    continue
            return a, b, k
        return None

    def _single_word_ok(
        self,
        word: str,
        at_sentence_start: bool,
        lower_words: set[str],
        as_org=False,
        after_locative=False,
        in_slot=False,
    ) -> bool:
        low = word.lower().rstrip(".")
        if low in TITLE_ABBREVIATIONS:
            return False  # "Dr", "Gen": a title alone
        if low in FUNCTION_WORDS or len(low) < 2:
            return False
        if word.isupper() and len(word.replace(".", "")) <= 5:
            return self._abbreviation_known(word)
        if low in COMPASS:
            return False
        if low in lower_words or is_common_word(low):
            # "Independence" is a town where travel writing puts one ("left Independence")
            return self._strong(word, by_type_only=True) or (in_slot and self._strong(word))
        if is_frequent_name(word):  # "Mary" signing a letter: a town only if the model says so, or a big
            found = self.gz.lookup(word)  # city a preposition or a verb of travel governs ("reached Paris")
            # or that acts ("Liverpool said")
            strong = bool(found) and found[0].place.feature_type in STRONG_TYPES
            return strong or ((after_locative or as_org or in_slot) and self._major(word))
        if at_sentence_start:
            return self._strong(word)
        return True

    def _abbreviation_known(self, word: str) -> bool:
        """An all-capitals word is a place only as the gazetteer spells it (``U.S.``, ``DRC``), so
        acronyms of organisations that happen to be a town's name elsewhere stay out."""
        bare = word.replace(".", "")
        return any(c.matched_name.replace(".", "") == bare for c in self.gz.lookup(word)[:5])

    def _strong(self, word: str, *, by_type_only: bool = False) -> bool:
        """Whether the word's first reading is a place that a lone word may stand for: a country,
        region, sea or river (and, unless ``by_type_only``, a curated place or a town of some size)."""
        found = self.gz.lookup(word)
        if not found:
            return False
        p = found[0].place
        if by_type_only:
            return p.feature_type in COMMON_WORD_TYPES
        return (
            p.feature_type in STRONG_TYPES or p.population >= MIN_POP_SENTENCE_START or p.source == "curated"
        )


class _Evidence:
    """What the model says about names across the whole text: names it reads as places somewhere,
    and words it uses inside people's full names ("Michael Jordan" makes a later "Jordan" a person)."""

    def __init__(self):
        self.place_names: set[str] = set()
        self.person_words: set[str] = set()
        self.slot_names: set[str] = set()  # unknown names the text puts where a traveller goes
        self._fronted: list = []  # people's names right after an opening "At" or "In", judged last

    def add(self, doc) -> None:
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC"):
                self.place_names.add(ent.text)
            elif ent.label_ == "PERSON" and len(ent) > 1 and not _verb_first(ent):
                if any(t.is_title and _is_head(t.lower_) for t in ent[1:]):
                    continue  # "Alexandria Police": an institution the model took for a person
                if _after_fronting(ent):
                    self._fronted.append(ent)
                    continue
                # the words after the last title ("Sochi Mayor Anatoly Pakhomov": Anatoly Pakhomov)
                titled = [t.i for t in ent if t.lower_.rstrip(".") in TITLES]
                first = titled[-1] + 1 if titled else ent.start
                self.person_words.update(t.text for t in ent if t.i >= first and t.text[:1].isupper())

    def close(self) -> None:
        """Once every doc is added: the people's names after an opening preposition, each from where
        its person's name begins."""
        fronted, self._fronted = self._fronted, []
        for ent in fronted:
            k = self.person_start(ent)
            self.person_words.update(t.text for t in ent[k:] if t.text[:1].isupper())

    def person_start(self, ent) -> int:
        """ "At Fashoda Graves found the flag": the model runs a sentence's opening place into its
        subject's name. After an opening "At" or "In", the person's name begins with the words the
        text gives people elsewhere ("Harold Graves"); the words before them are the place's. The
        index in ``ent`` where the person begins (0: all of it)."""
        if not _after_fronting(ent) or ent[-1].text not in self.person_words:
            return 0
        k = len(ent) - 1
        while k > 0 and ent[k - 1].text in self.person_words:
            k -= 1
        return k


def _after_fronting(ent) -> bool:
    """Whether the entity follows a preposition of place that opens its sentence or clause ("At X
    ...", "...; in X ...")."""
    if ent.start == 0:
        return False
    prep = ent.doc[ent.start - 1]
    if prep.lower_ not in ("at", "in", "near", "outside", "beyond"):
        return False
    return prep.is_sent_start or prep.i == 0 or ent.doc[prep.i - 1].text in (",", ";", ":", "\n")


_KIN_AFTER = re.compile(r"\s*,\s*(?:his|her|my|our|their|your)\s+(\w+)")
_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")
_VESSEL_BEFORE = re.compile(r"([A-Za-z.\-]+)\s+(?:(?:called|named)\s+)?(?:the\s+)?$", re.IGNORECASE)


# Head words of organisations and events that are named for where they are or were: a military unit's
# area ("the Kwantung Army"), a battle's place ("the Battle of Stalingrad"), an institution's town
# ("Kyongsong University", "the Namyang police station"). The place inside is a mention of the place
# (role "in_organisation"), though no event happens there. Newspapers, companies and parties named for
# a country ("The Korea Times") are not among them.
EVENT_HEADS = frozenset(
    {"war", "wars", "battle", "campaign", "offensive", "uprising", "massacre", "siege", "rebellion"}
    | {"revolt", "revolution", "expedition", "incident", "treaty"}
)
EDUCATION_HEADS = frozenset({"university", "college", "academy", "school", "schools", "institute"})
MIN_POP_SCHOOL_TOWN = 10_000
LOCATIONAL_HEADS = EVENT_HEADS | frozenset(
    {"army", "armies", "forces", "force", "front", "fleet", "flotilla", "corps", "division", "brigade"}
    | {"regiment", "battalion", "garrison", "command", "district", "battle", "siege", "campaign"}
    | {"offensive", "war", "massacre", "uprising", "university", "college", "academy", "school"}
    | {"police", "station", "hospital", "prison", "camp", "airport", "port", "harbour", "harbor"}
    | {"railway", "province", "county", "region", "city", "municipality", "township", "borough", "parish"}
    | {"council", "department", "court", "courthouse", "senate", "congress", "assembly", "legislature"}
    | {"parliament", "government", "guard", "commission", "board", "chamber", "authority", "agency"}
    | {"ministry", "office", "jail", "clinic", "zoo", "library", "museum", "cathedral", "diocese"}
    | {"archdiocese", "stadium", "park", "festival", "fair", "symphony", "orchestra", "opera"}
    | {"association", "society", "institute", "club", "chapter", "fire", "sheriff", "house", "center"}
    | {"centre", "fairgrounds", "hall", "airfield", "base", "bureau", "service", "survey", "patrol"}
    | {"census", "navy", "observatory", "turnpike", "schools", "mosque", "church", "temple", "synagogue"}
    | {"jury", "coalition", "legion", "militia", "constabulary"}
)


def _verb_first(ent) -> bool:
    """An entity that opens its sentence or line with a capitalised common word ("Left Luxor",
    "Passed Esna"): a verb of a diary's line, then a name."""
    first = ent[0]
    prev = ent.doc[ent.start - 1] if ent.start else None
    opens = prev is None or ent.start == ent.sent.start or prev.is_space or "\n" in prev.whitespace_
    opens = opens or prev.text in (".", "!", "?", ";", ":")
    return len(ent) > 1 and opens and first.is_title and is_common_word(first.text)


_CONJUNCT_BEFORE = re.compile(r"(?:,|\band\b|\bor\b)\s*$")


def _conjunct_of(text: str, start: int, places: Sequence[tuple[int, int]]) -> bool:
    """ "via Esna and Edfu": a name joined by "and", "or" or a comma to a place just before it."""
    m = _CONJUNCT_BEFORE.search(text, max(0, start - 6), start)
    if m is None:
        return False
    before = text[: m.start()].rstrip()
    return any(e == len(before) for _, e in places)


def _bare(word: str) -> str:
    """A word in lower case without edge punctuation or a possessive ("Sheriff's" -> "sheriff")."""
    word = word.lower().strip(".,;:")
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _event_like(ent) -> bool:
    """A place-labelled span that ends in an event's word ("the Great East Asia War", "the Siege of
    Kut" is caught by its head): the model's place is an event named for places."""
    return ent.label_ in PLACE_LABELS and len(ent) > 1 and ent[-1].lower_ in EVENT_HEADS


def _is_head(word: str) -> bool:
    return _bare(word) in LOCATIONAL_HEADS


def _named_for(toks, i: int, k: int, after: list[str], *, person: bool) -> bool:
    """Whether an entity's words say the name in tokens ``i..k`` is where it is: an office-holder's title
    right after it ("Fargo Police Chief"), or, in an organisation or event, a head word after it
    ("Dublin Arts Council", "the Ohio National Guard") or before it through "of" ("University of
    Cincinnati", "Battle of Stalingrad")."""
    nxt = [_bare(t.lower_) for t in toks[k + 1 :]] + after
    if nxt and (nxt[0] in TITLES or (_is_head(nxt[0]) and len(nxt) > 1 and nxt[1] in TITLES)):
        return True
    if person:
        return False
    if any(_is_head(w) for w in nxt[: len(toks) - k - 1 + 2]):
        return True
    before = [t.lower_ for t in toks[:i]]
    while before and before[-1] in ("the", "of"):
        if before[-1] == "of":
            return any(_is_head(w) for w in before[:-1])
        before.pop()
    return False


# Prepositions before a name that make it a place ("anchored above Edfu", "go on to Poona"), unless a
# verb of writing or speaking governs it ("wrote to Florence").
_LOCATIVE_BEFORE = re.compile(
    r"\b(at|from|in|near|via|above|below|towards?|into|off|past|through|beyond|outside|reached|to)\s+$",
    re.IGNORECASE,
)
_SPEECH_BEFORE = re.compile(
    r"\b(wr[io]te|writes?|writing|said|says|spoke|speaks|talked|talks|sent|sends|cabled|telegraphed|"
    r"wired|married|introduced|belonged|letters?|note|message|appeal(?:ed)?|listen(?:ed)?|"
    r"engaged|betrothed)\b[^.;:!?]{0,20}$",
    re.IGNORECASE,
)


_CLOCK_THEN_VERB = re.compile(r"\d\s?[ap]\.m\.\s+([A-Z][a-z]+)\b")


def _after_clock_times(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences split after a clock time's "a.m." or "p.m." where a verb of travel opens the next
    ("back by 3 a.m. Rested all day", "at 4 p.m. Marched on"): the model reads the dot as an
    abbreviation's, not a sentence's end."""
    out: list[tuple[int, int]] = []
    for a, b in sents:
        for m in _CLOCK_THEN_VERB.finditer(text, a, b):
            if m.group(1).lower() in OPENING_FORMS:
                end = m.start(1)
                while text[end - 1].isspace():
                    end -= 1
                out.append((a, end))
                a = m.start(1)
        out.append((a, b))
    return out


def locative_before(text: str, start: int) -> bool:
    """Whether a preposition of place governs the name at ``start`` ("anchored above Edfu"), unless a
    verb of writing or speaking governs the preposition ("wrote to Florence")."""
    m = _LOCATIVE_BEFORE.search(text, max(0, start - 14), start)
    if m is None:
        return False
    return _SPEECH_BEFORE.search(text, max(0, m.start() - 40), m.start() + len(m.group(1))) is None


# A nationality's last letter followed by nothing more of it: plural ("the Kurds") or an adjective
# before a lower-case noun ("Iraqi forces"), a group and no place.
_NORP_AS_GROUP = re.compile(r"s\b|\w\s+[a-z]")

# Travel slots (``travel_slot``): the words before a name, the prepositions and particles a verb of
# travel takes, the verbs whose bare object is a place, those that take people or institutions.
_WORDS_BEFORE = re.compile(r"[A-Za-z]+|\d[\d,.]*|[^\sA-Za-z\d]")
_SLOT_PREPOSITIONS = frozenset(
    {"at", "to", "in", "into", "from", "toward", "towards", "near", "via", "past", "through", "for", "off"}
)
_PARTICLES = frozenset({"out", "off", "on", "back", "forth", "ashore", "up", "down"})
_SETTLEMENT_OF = re.compile(
    r"\b(?:village|town|city|hamlet|port|fort|island|oasis|district|province|valley|"
    r"(?:north|south)(?:-?(?:east|west))?|east|west)\s+of\s+$",
    re.I,
)
_AT_IN_NEAR = frozenset({"at", "in", "near"})
_BOUND_FOR = frozenset({"sail", "steam", "head", "make"})
_SLOT_KINDS = frozenset({"move", "arrive", "depart", "pass", "stay"})
_PLACE_OBJECT = frozenset(
    {"reach", "enter", "cross", "pass", "traverse", "ford", "skirt"} | {"bypass", "transit", "arrive"}
)
_PERSON_SLOT = frozenset(
    {"accompany", "chase", "follow", "guide", "pursue", "admit", "visit", "approach"}
    | {"work", "study", "teach", "serve"}
)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word.replace("-", "").isalpha()


def travel_slot(text: str, start: int, *, known: bool = False) -> str | None:
    """The words before ``start`` that put a place there in travel writing, or None: a verb of travel
    and its preposition, up to three words apart ("marched eighteen miles to", "set out for", "camped
    near"), a verb whose object is a place ("reached", "crossed the"), or a noun of settlement and "of"
    ("the village of"). Verbs whose preposition or object is often a person or an institution ("sent
    to", "followed", "worked at", "visited") make no slot, unless the name is ``known`` as a town:
    then any verb of leaving, arriving or passing takes it as its object ("left Independence")."""
    from .nlp import lemma_of
    from .verbs import NO_PLACE_OBJECT, PHRASAL, VERBS

    m = _SETTLEMENT_OF.search(text, max(0, start - 30), start)
    if m is not None:
        return m.group(0).strip()
    lo = max(0, start - 60)
    spans = [(w.start() + lo, w.group(0)) for w in _WORDS_BEFORE.finditer(text[lo:start])]
    if spans and spans[-1][1] == "the":
        spans.pop()
    prep = spans[-1][1] if spans and spans[-1][1] in _SLOT_PREPOSITIONS else None
    before = spans[:-1] if prep else spans
    for back in range(1, 5 if prep else 3):
        if back > len(before):
            return None
        at, word = before[-back]
        if not word.isalpha() or not (word.islower() or word.istitle()):
            return None
        later = before[-back + 1][1] if back > 1 else None
        lemma = lemma_of(word.lower())
        kind = PHRASAL.get((lemma, later)) if later in _PARTICLES else None
        kind = kind or VERBS.get(lemma)
        if kind is None:
            if prep is None and back == 1:
                return None  # an object comes right after its verb
            continue
        if kind not in _SLOT_KINDS or lemma in NO_PLACE_OBJECT:
            return None
        if prep is None and known and back == 1 and kind in ("arrive", "depart", "pass"):
            return text[at:start].strip()
        if lemma in _PERSON_SLOT or (prep is None and (back > 1 or lemma not in _PLACE_OBJECT)):
            return None
        if prep == "for" and kind != "depart" and lemma not in _BOUND_FOR:
            return None  # "sailed for X", "left for X"; not "drove for X" (a team) or "stayed for"
        return text[at:start].strip()
    return None


# Lower-case words of motion and place that no person's or organisation's name holds: an entity the
# model ran across one ("Suez for Basra", "Cairo to Luxor") is two names, each judged on its own.
_SPLITTERS = frozenset({"for", "to", "from", "via", "at", "in", "into", "towards", "toward", "near", "and"})


def _entity_pieces(ent, offset: int, a: int, b: int) -> list[tuple[int, int]]:
    """The spans of an entity between the splitting words it holds (the whole span when none)."""
    if not any(t.lower_ in _SPLITTERS and t.is_lower for t in ent):
        return [(a, b)]
    pieces: list[tuple[int, int]] = []
    start, end = None, b
    for t in ent:
        lo = offset + t.idx
        if t.lower_ in _SPLITTERS and t.is_lower:
            if start is not None:
                pieces.append((start, end))
            start = None
            continue
        if lo < a:
            continue
        start = lo if start is None else start
        end = lo + len(t.text)
    if start is not None:
        pieces.append((start, end))
    return pieces


def _kin_after(text: str, end: int) -> bool:
    m = _KIN_AFTER.match(text, end, min(len(text), end + 40))
    return bool(m) and m.group(1).lower() in KIN


_WHO_AFTER = re.compile(r"(?:'s|’s)?\s*,?\s+who\b")
_SAID_AFTER = re.compile(
    r"\s*(?:said|says|told|added|explained|noted|replied|asked|stated|insisted|argued|recalled|declined)\b"
)
_SAID_BEFORE = re.compile(r"\b(?:said|says|according to)\s+$")


def _speaker(text: str, start: int, end: int) -> bool:
    """ "Kristina said", "said Noma.": a name that speaks is a person's (a major place that speaks,
    "Moscow said", is its government, and stays a place: the caller checks)."""
    if _SAID_AFTER.match(text, end, min(len(text), end + 20)):
        return True
    return bool(_SAID_BEFORE.search(text, max(0, start - 20), start)) and text[end : end + 1] in (
        ".",
        ",",
        ";",
    )


# Feasts and holidays that are also the names of villages somewhere: never a place on their own.
HOLIDAYS = frozenset(
    {"easter", "passover", "christmas", "xmas", "ramadan", "eid", "hanukkah", "chanukah", "thanksgiving"}
    | {"halloween", "lent", "pentecost", "whitsun", "whitsuntide", "diwali", "advent", "epiphany", "purim"}
    | {"shrovetide", "michaelmas", "candlemas", "lammas", "martinmas", "yom kippur", "rosh hashanah"}
)
_DAY_AFTER = re.compile(r"(?:'s|’s|s'|s’)?\s+(?:Day|Eve)\b")


def _holiday(text: str, start: int, end: int) -> bool:
    """ "Passover", "Easter", "St. Patrick's Day", "Memorial Day": a feast, not a place."""
    name = text[start:end]
    if name.lower() in HOLIDAYS or re.search(r"\w(?:'s|’s)?\s+(?:Day|Eve)$", name):
        return True
    return bool(_DAY_AFTER.match(text, end, min(len(text), end + 8)))


_COMPASS_BEFORE = re.compile(
    r"\b(northern|southern|eastern|western|central|upper|lower|north|south|east|west)\s+$"
)
_KIN_BEFORE = re.compile(r"\b([a-z]+)\s+$")


def _kin_before(text: str, start: int) -> bool:
    """ "his daughter Yulia", "girlfriend Olivia": a kinship word right before a name makes it a person."""
    m = _KIN_BEFORE.search(text, max(0, start - 20), start)
    return bool(m) and m.group(1) in KIN


def _title_before(text: str, start: int) -> bool:
    m = _TITLE_BEFORE.search(text, max(0, start - 20), start)
    return bool(m) and m.group(1).lower() in TITLES


def _vessel_before(text: str, start: int) -> bool:
    """ "the steamer Afghanistan", "a ship called Korea", "H.M.S. Hampshire": a vessel, not a place."""
    m = _VESSEL_BEFORE.search(text, max(0, start - 40), start)
    return bool(m) and m.group(1).lower() in VESSELS


def _is_name_token(tok: str) -> bool:
    return bool(_NAME_TOKEN.match(tok)) and any(c.isalpha() for c in tok) and tok != "I"


_WORD = re.compile(r"\b[a-z][a-z'’]+\b")


def _lower_words(text: str) -> set[str]:
    """The words the text writes in lower case somewhere: those are common words in this text."""
    return set(_WORD.findall(text))
