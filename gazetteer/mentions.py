"""Finding place mentions in running text, driven by the gazetteer's names.

Every run of up to ``MAX_TOKENS`` words that starts with a capital (or with a direction word before a
capital: "north Korea", "northern Manchuria") is looked up, longest first, as a normalized key in the
curated gazetteer and in GeoNames, so "Soviet Far East" wins over "Far East" and "North Hamgyong
Province" over "Hamgyong". A capitalised generic word ("County", "River", "City", "District") may end a
name whose core is known ("Raohe County", "Dong Da District"); a lower-case one ("the Far East region")
stays outside the span, as does a leading "the".

A name found is not yet a place. What we reject, and why:

- **People.** A personal title right before the name ("General Sorkin", "Lieutenant General Nichev");
  the shape of an East Asian personal name (a common Korean or Chinese surname followed by one or two
  capitalised syllables or a hyphenated given name: "Kim Chaek", "Zhou Bao-zhong", "He Long"); a
  surname already seen as a person earlier in the text ("Apanasenko said" after "General
  Apanasenko"); a speech or thought verb right after a name only GeoNames knows ("Sorkin said"); and,
  as a last resort, a short list of famous people whose names are also towns ("Stalin", "Hitler",
  "Lenin" are all GeoNames names) unless a locative preposition says otherwise ("in Lenin").
- **Common words.** Sentence-initial words ("Nevertheless", "Later", "Many"), words the same text also
  uses in lower case, and a stop list of English words that are towns somewhere, unless the curated
  gazetteer knows them. A place only GeoNames knows must also be big enough for its context: at least
  ``MIN_POP_MID_SENTENCE`` people mid-sentence, ``MIN_POP_WITH_CUE`` after a locative preposition
  ("in", "to", "from", "near"...), and at the start of a sentence (where every word is capitalised)
  ``MIN_POP_SENTENCE_START`` unless the text names the place elsewhere too.
- **Pieces of longer proper names.** A GeoNames-only word inside a run of other capitalised words
  ("Special Political Police", "the Young General") belongs to that name, not to a map.
- **Acronyms** ("KPRA", "IAF") match only curated names.

**Demonyms are not place mentions**: "Soviet army", "Korean comrades", "Siberian divisions" name people
or things of a place, not the place; they count only inside a place name ("Soviet Union", "Soviet Far
East"). The exception is a territorial organisation (a "Military District", "Front" or "Fleet"), whose
name designates a territory: "Central Asian Military District" is a mention of Central Asia.

**Places inside organisation names** ("Soviet Far East Forces", "Kwantung Army", "Namyang police
station", "Kyongsong University", "Voronezh front", "the Pacific War", "The Korea Times") are reported
as mentions with ``role="in_organisation"`` and the organisation's name: the place is named, but
nobody is said to be there.

Resolution ranks the gazetteer's candidates for each name with the year the text speaks of and, as
context, the places of the same document found without ambiguity (curated ones), so "Moscow" in a text
about Khabarovsk and Kiev is Moscow, Russia.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .names import GENERIC_PREFIXES, GENERIC_SUFFIXES, normalize

if TYPE_CHECKING:
    from .geocoder import Candidate, Gazetteer
    from .places import Place

MAX_TOKENS = 7
MIN_POP_MID_SENTENCE = 15_000
MIN_POP_SENTENCE_START = 1_000_000
_SENTENCE_START = "sentence start"
MIN_POP_WITH_CUE = 1_000
UNRESOLVED_BELOW = 0.40
"""A best candidate scoring under this is reported as unresolved, with its guesses."""

_TOKEN = re.compile(r"[^\W\d_][\w]*(?:['’][\w]+)*|\d+", re.UNICODE)
_DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "central",
    "upper",
    "lower",
    "inner",
    "outer",
}
_CONNECTORS = {"of", "on", "upon", "de", "del", "la", "le", "du", "am", "an", "der", "the", "and"}
_ABBREVIATED = {"mt", "st", "ft", "pt", "mts"}
_NAME_WORDS = {"young", "red", "white"}  # common words that start proper names ("Young General")
_GENERIC_CAPITALISED = {w.capitalize() for w in GENERIC_SUFFIXES}

TITLES = {
    "general",
    "gen",
    "lieutenant",
    "lt",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "commander",
    "marshal",
    "admiral",
    "sergeant",
    "sgt",
    "corporal",
    "private",
    "comrade",
    "comrades",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "professor",
    "prof",
    "president",
    "premier",
    "chairman",
    "secretary",
    "minister",
    "commissar",
    "king",
    "queen",
    "emperor",
    "empress",
    "prince",
    "princess",
    "lord",
    "lady",
    "sir",
    "madame",
    "monsieur",
    "herr",
    "frau",
    "father",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "chief",
    "deputy",
    "governor",
    "mayor",
    "ambassador",
    "consul",
    "bishop",
    "pastor",
    "reverend",
    "rev",
    "elder",
    "teacher",
    "officer",
}
# Common Korean and Chinese surnames in the romanisations of the period (McCune-Reischauer, Wade-Giles,
# pinyin). A name shape, not a list of people.
EA_SURNAMES = {
    "kim",
    "ri",
    "li",
    "lee",
    "yi",
    "pak",
    "park",
    "choe",
    "choi",
    "chong",
    "jong",
    "jung",
    "kang",
    "cho",
    "jo",
    "yun",
    "yoon",
    "jang",
    "chang",
    "zhang",
    "han",
    "o",
    "oh",
    "so",
    "suh",
    "shin",
    "sin",
    "kwon",
    "hwang",
    "an",
    "ahn",
    "song",
    "ryu",
    "yu",
    "hong",
    "jon",
    "jeon",
    "ko",
    "go",
    "mun",
    "moon",
    "yang",
    "son",
    "pae",
    "paek",
    "baek",
    "ho",
    "he",
    "nam",
    "sim",
    "no",
    "roh",
    "ha",
    "kwak",
    "wang",
    "liu",
    "chen",
    "zhao",
    "huang",
    "zhou",
    "chou",
    "wu",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "lin",
    "gao",
    "luo",
    "zheng",
    "liang",
    "xie",
    "tang",
    "feng",
    "deng",
    "cao",
    "peng",
    "zeng",
    "xiao",
    "tian",
    "dong",
    "pan",
    "yuan",
    "cai",
    "jiang",
    "du",
    "ye",
    "cheng",
    "wei",
    "su",
    "lu",
    "ding",
    "ren",
    "shen",
    "yao",
    "mao",
    "chiang",
    "chu",
    "bo",
    "lo",
    "tsai",
    "teng",
    "tseng",
    "hsu",
    "kuo",
}
# Fallback only: famous people of the period whose names are also GeoNames names (towns once named
# after them, or homonyms). Title, shape and verb cues come first.
KNOWN_PEOPLE = {
    "stalin",
    "hitler",
    "lenin",
    "trotsky",
    "kirov",
    "kalinin",
    "zhdanov",
    "frunze",
    "voroshilov",
    "molotov",
    "kuibyshev",
    "sverdlov",
    "dzerzhinsky",
    "budyonny",
    "zhukov",
    "mussolini",
    "churchill",
    "roosevelt",
    "truman",
    "tojo",
    "hirohito",
    "gandhi",
    "nehru",
    "tito",
    "franco",
    "marx",
    "engels",
}


def _words(text: str) -> set[str]:
    """A word list written as running text (easier to read and review than a list of strings)."""
    return set(text.split())


_SPEECH_VERBS = re.compile(
    r"\s+(?:(?:had|has|have|then|also|once|later|again)\s+)?(?:said|says|told|tells|asked|asks|replied|answered|"
    r"ordered|expressed|stressed|emphasized|emphasised|thought|wrote|writes|recalled|explained|declared|"
    r"proposed|agreed|valued|organized|organised|cannot|can't|could|would|will|was\s+born|died|himself|"
    r"herself|reiterated|guided|stepped|summed|met|shook|smiled|laughed|praised|reported|received)\b"
)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|into|at|to|from|near|towards|toward|via|across|through|around|outside|inside|"
    r"reached|entered|crossed|left|visited|occupied|liberate|liberated|capture|captured|defend|defended|"
    r"near|beyond|between)\s+(?:the\s+)?)$",
    re.I,
)
DEMONYMS = _words(
    """
    african albanian american arab arabian asian australian austrian belgian british bulgarian burmese
    canadian chinese czech czechoslovak danish dutch egyptian english european filipino finnish
    french german greek hungarian indian indonesian irish italian japanese jewish korean latvian
    lithuanian manchu manchurian mexican mongol mongolian norwegian persian polish portuguese prussian
    romanian russian scottish serbian siberian slovak soviet spanish swedish swiss thai tibetan turkish
    ukrainian vietnamese welsh yugoslav
    """
)
# Enough to read a name seen as a person's as a place after all: "went to Tula" after "Colonel Tula".
_STRONG_LOCATIVE = re.compile(
    r"\b(?:in|at|near|into|(?:went|came|returned|moved|travell?ed|fled|escaped|go|going|back|arrived)\s+"
    r"(?:to|in|at))\s+(?:the\s+)?$",
    re.I,
)
# English words that are also towns somewhere; a name only GeoNames knows is never one of these.
COMMON_WORDS = _words(
    """
    a about above across after again against all also although always among an and another any anyway
    are around as at away back be because been before being below between both but by can come could
    did do does done down during each early even ever every far few first following for from further
    had has have he her here him his how however i if in into is it its just last later least less like
    long many may me more moreover most much must my near needless never nevertheless new next no nor
    not now of off often on once one only or other our out over own perhaps same she should since so
    some soon still such than thanks that the their them then there therefore these they this those
    though through thus to today together too toward towards under unless until up upon us very was we
    well were what when where whether which while who whom whose why will with within without would yet
    you your
    address advance alliance army art battle bay beach bell border bridge brigade building bureau camp
    canal castle center central centre chapter chief church city civil coast college commander common
    company conversely copyright corps council country county court cross crossing deal defence defense
    deputy district division east eastern empire english fair faith fall fame field flag force forces
    forest fort freedom friendship front frontier gate general glory government grace great green
    guard harbor harbour harmony haven headquarters heaven hill home hope house independence
    independent information infantry interior international island justice junction king lake land
    liberty life light lincoln little love mail main major march market middle military mill ministry
    mission monthly mount mountain mutual national nation north northern ocean october office old
    orange order owing page paradise park party patience peace people phone photo plain pleasant
    point police policy political port post prairie privacy progress prospect providence queen range
    realizing receiving red reform report republic revolution right river road rock route royal rugby
    sea second security shaking simultaneously social society sometimes south southern special spring
    square staff star state station street summer summit sun table tax temple thanksgiving time times
    top tower town trade treaty union unity university valley victory village violating war ward water
    west western white winning winter world young zion
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday meiji taisho showa heisei reiwa
    """
)
_ORG_HEADS = re.compile(
    r"(?P<head>(?:[A-Z][\w'-]*\s+){0,3}?"
    r"(?:Army|army|Armies|Forces|forces|Force|Fleet|fleet|Front|front|Military\s+District|District\s+Command|"
    r"Command|Corps|corps|Division|Brigade|Regiment|Garrison|garrison|Route\s+Army|"
    r"police\s+station|Police\s+Station|Police|police\s+department|Gendarmerie|gendarmerie|"
    r"University|College|Academy|Institute|School|Government|government|Party|Committee|Council|"
    r"Ministry|Bureau|Railway|Railways|Company|Bank|Times|Herald|Daily|News|Post|Radio|Society|"
    r"Association|League|War|Incident|Expedition|Affair|Campaign|Offensive|Operation|Treaty|Pact))\b"
)
# The head word only: a leading ``\s+`` made the regex try every run of blanks of a long text. The blanks
# before the head (required) are found by walking back in ``_territorial_adjectives``.
_TERRITORIAL_HEADS = re.compile(r"(?:Military\s+District|Front|Fleet|Army\s+Group)\b")
_ORG_OF = re.compile(
    r"(?:University|Bank|Army|Government|Ministry|Party|Council|Academy|Institute|Museum|Archives|"
    r"Republic|Kingdom|Governor|Governor-General|Bishop|Archbishop|Prince|Duke|Earl|Emperor)\s+of\s+(?:the\s+)?$"
)


class Token(NamedTuple):
    """A word; ``key`` is its normalized form, ``bare`` the key without a possessive ``'s``.

    A named tuple, not a dataclass: a long text has hundreds of thousands of them."""

    start: int
    end: int
    text: str
    key: str
    bare: str
    poss: int = 0  # length of a trailing possessive ('s) left out of a name's span


@dataclass(slots=True)
class Mention:
    """A place name found in a text; offsets are into the text ``find_mentions`` was given.

    ``place`` is the best candidate's place, or ``None`` when the best scores under
    ``UNRESOLVED_BELOW`` (``candidates`` still holds the guesses). ``role`` is ``place`` or
    ``in_organisation`` (then ``organisation`` names it). ``reasons`` says why it was kept.
    """

    start: int
    end: int
    text: str
    key: str
    source: str  # curated | geonames: which gazetteer knew the name
    role: str = "place"
    organisation: str | None = None
    place: Place | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    reasons: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.place is not None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A name the gazetteer knows that was not taken for a place, and why (for debugging and tests)."""

    start: int
    end: int
    text: str
    why: str


def tokenize(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    """Word tokens of ``text[lo:hi]`` with their name keys."""
    out = []
    for m in _TOKEN.finditer(text, lo, len(text) if hi is None else hi):
        tok = m.group()
        key, bare, poss = _token_keys(tok)
        out.append(Token(m.start(), m.end(), tok, key, bare, poss))
    return out


_CAP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f][\w]*(?:['’][\w]+)*"
_RUN = re.compile(
    _CAP
    + r"(?:(?:[ \-–'’]|\.\s)(?:"
    + _CAP
    + r"|(?:"
    + "|".join(sorted(_CONNECTORS))
    + r")(?=[ \-][A-Z])|(?<=-)[a-z]+))*"
)


def tokenize_runs(
    text: str,
    run_ends: list[int] | None = None,
    useful: Callable[[str, tuple[Token, ...]], bool] | None = None,
    lo: int = 0,
    hi: int | None = None,
) -> list[Token]:
    """Tokens of the runs of capitalised words in ``text[lo:hi]`` only (with the connectors and
    direction words a name may hold): the only places a name can start. Lower-case prose is skipped at
    regex speed. ``run_ends``, if given, receives the end offset of each token's run; ``useful``, if
    given, drops the runs it says no to (``useful(run, tokens)``; runs holding no known name: "The",
    "However", "Comintern")."""
    out: list[Token] = []
    new = tuple.__new__
    for m in _RUN.finditer(text, lo, len(text) if hi is None else hi):
        a = m.start()
        if a:
            c = text[a - 1]
            if c == " ":
                if a > 1 and text[a - 2] in _DIRECTION_LAST:  # "north Korea", "northern Manchuria"
                    lo_ = max(0, a - 14)
                    ws = text.rfind(" ", lo_, a - 1)
                    wstart = ws + 1 if ws >= 0 else lo_
                    word_start = wstart == 0 or not text[wstart - 1].isalnum()
                    if word_start and text[wstart : a - 1].lower() in _DIRECTIONS:
                        a = wstart
            elif c.isalnum() or c in "'’_":
                continue  # a capital inside a word
        run = text[a : m.end()]
        rel = _run_tokens(run)
        if useful is not None and not useful(run, rel):
            continue
        if a:
            out.extend([new(Token, (t.start + a, t.end + a, t.text, t.key, t.bare, t.poss)) for t in rel])
        else:
            out.extend(rel)
        if run_ends is not None:
            run_ends.extend([m.end()] * len(rel))
    return out


def _run_tokens(run: str) -> tuple[Token, ...]:
    """The tokens of a run (offsets within it), cached: a text repeats its runs."""
    rel = _RUN_CACHE.get(run)
    if rel is None:
        rel = tuple(tokenize(run))
        if len(_RUN_CACHE) > 200_000:
            _RUN_CACHE.clear()
        _RUN_CACHE[run] = rel
    return rel


# the last letters of the direction words (any case), a cheap test before the full one
_DIRECTION_LAST = frozenset("htnlrHTNLR")
# A lower-case direction word before a capital ("north Korea"; a paragraph holding one is never
# skipped): a blank and a capital after one of the endings of the direction words, found at regex speed
# (the regex starts with a literal), then the whole word checked.
_BLANK_CAPITAL_AFTER_DIRECTION_ENDING = re.compile(
    r" [A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f](?<=(?:rth|uth|ast|est|ern|ral|per|wer|ner|ter) .)"
)
_DIRECTION_WORD_AT_END = re.compile(
    r"(?<![^\W\d_])(?:(?:north|south)(?:east|west)?(?:ern)?|(?:east|west)(?:ern)?|central|upper|lower|inner|outer)$"
)


def _direction_positions(text: str, lo: int, hi: int) -> list[int]:
    """Offsets in ``[lo, hi)`` of the blanks between a lower-case direction word and a capital."""
    return [
        m.start()
        for m in _BLANK_CAPITAL_AFTER_DIRECTION_ENDING.finditer(text, lo, hi + 1)
        if m.start() < hi and _DIRECTION_WORD_AT_END.search(text, max(0, m.start() - 13), m.start())
    ]


_MARGIN_BEFORE = 50
_MARGIN_AFTER = 80
"""Characters around a paragraph that the checks of its names read (a preposition or title before, an
organisation's head word or a speech verb after); part of the paragraph memo's key."""


def _start_of(m: Mention) -> int:
    return m.start


_START = _start_of


class _Persons:
    """The text's set of names seen as people, recording what one paragraph asked of it and added to
    it, so a later copy of that paragraph can check it would be answered the same (``_ChunkFinding``)."""

    __slots__ = ("names", "ops")

    def __init__(self, names: set[str]):
        self.names = names
        self.ops: list[tuple[str, bool | None]] = []

    def __contains__(self, word: str) -> bool:
        got = word in self.names
        self.ops.append((word, got))
        return got

    def add(self, word: str) -> None:
        self.names.add(word)
        self.ops.append((word, None))


class _ChunkFinding:
    """The names found in one paragraph, offsets relative to its start, for its copies in the text.

    ``rel`` holds one tuple per mention: (start, end, text, key, source, role, organisation, reasons);
    ``deferred`` the sentence-initial names that count if the text names them elsewhere."""

    __slots__ = ("_merged", "deferred", "found", "keys", "ops", "plain", "rel")

    def __init__(self, ps: int, mentions: list[Mention], deferred: list, ops: list):
        self.rel = [
            (m.start - ps, m.end - ps, m.text, m.key, m.source, m.role, m.organisation, tuple(m.reasons))
            for m in mentions
        ]
        self.deferred = [(a - ps, b - ps, *rest) for a, b, *rest in deferred]
        self.ops = ops
        self.keys = frozenset(m.key for m in mentions)
        self.found = bool(mentions or deferred)
        self._merged: dict[tuple[int, ...], _Merged] = {}
        self.plain = self.merged(())

    def replay(self, persons: set[str]) -> bool:
        """Apply the paragraph's additions to ``persons`` if every question it asked gets the same
        answer now; else leave ``persons`` as it was and say no."""
        added: list[str] = []
        for word, got in self.ops:
            if got is None:
                if word not in persons:
                    persons.add(word)
                    added.append(word)
            elif (word in persons) != got:
                persons.difference_update(added)
                return False
        return True

    def merged(self, accepted: tuple[int, ...]) -> _Merged:
        """The paragraph's mentions with the deferred names ``accepted`` (their indices) put in place."""
        got = self._merged.get(accepted)
        if got is None:
            rel = list(self.rel)
            for k in accepted:
                a, b, surface, key, src, _ = self.deferred[k]
                rel.append((a, b, surface, key, src, "place", None, ("named elsewhere in the text",)))
            rel.sort(key=_first)
            got = self._merged[accepted] = _Merged(rel)
        return got


class _Merged:
    """A paragraph's final list of mentions (relative offsets) and the names each is looked up by."""

    __slots__ = ("names", "no_years", "rel")

    def __init__(self, rel: list[tuple]):
        self.rel = rel
        self.names = tuple(_name_of_rel(r[2], r[7]) for r in rel)
        self.no_years = tuple((n, None) for n in self.names)


_SECOND = operator.itemgetter(1)


def _first(t: tuple) -> int:
    return t[0]


class _Group:
    """One paragraph's mentions in a text: its start, its mentions (relative) and their resolution."""

    __slots__ = ("merged", "ps", "resolved", "spec")

    def __init__(self, ps: int, merged: _Merged):
        self.ps = ps
        self.merged = merged
        self.spec: tuple[tuple[str, int | None], ...] = ()
        self.resolved: list[tuple[tuple[Candidate, ...], float, Place | None]] = []

    def mentions(self) -> list[Mention]:
        ps = self.ps
        return [
            Mention(a + ps, b + ps, t, k, s, r, o, place, score, cands, list(rs))
            for (a, b, t, k, s, r, o, rs), (cands, score, place) in zip(
                self.merged.rel, self.resolved, strict=True
            )
        ]


_RUN_CACHE: dict[str, tuple[Token, ...]] = {}
_MISSING = object()


_KEY_CACHE: dict[str, tuple[str, str, int]] = {}


def _token_keys(tok: str) -> tuple[str, str, int]:
    got = _KEY_CACHE.get(tok)
    if got is None:
        key = normalize(tok)
        possessive = tok.endswith(("'s", "’s")) and len(tok) > 3
        got = (key, normalize(tok[:-2]), 2) if possessive else (key, key, 0)
        if len(_KEY_CACHE) < 500_000:
            _KEY_CACHE[tok] = got
    return got


def _key(tokens: list[Token], i: int, j: int) -> str:
    """The key of the name tokens i..j: the last word without its possessive ("Germany's")."""
    if i == j:
        return tokens[i].bare
    return "".join(t.key for t in tokens[i:j]) + tokens[j].bare


def _is_capital(tok: str) -> bool:
    c = tok[0]
    return c.isupper() and (c.isascii() or "\u00c0" <= c <= "\u024f")


class MentionFinder:
    """Finds mentions with one gazetteer; reuse it across texts (it caches name look-ups)."""

    def __init__(self, gazetteer: Gazetteer):
        self.gz = gazetteer
        self.curated = gazetteer.curated
        self.geonames = gazetteer.geonames
        self._known: dict[str, str | None] = {}
        self._generic_known: dict[str, str | None] = {}
        self._lookups: dict[tuple[str, int | None], list[Candidate]] = {}
        self._geonames_best: dict[str, Candidate | None] = {}
        # longest name at the start of a run's remainder: a pure function of that text
        self._longest_memo: dict[str, tuple[int, str, bool] | None] = {}
        # capitalised runs by whether they hold a known name; runs holding none and no territorial
        # head word ("Front", "Military District") let a paragraph be skipped
        self._run_kinds: dict[str, bool | tuple[str, ...] | None] = {}
        self._useless_runs: set[str] = set()

    # -- name look-ups --

    def _source_of(self, key: str) -> str | None:
        """``curated``, ``geonames`` or None: which gazetteer knows this key (curated first)."""
        if key in self._known:
            return self._known[key]
        src = None
        if self.curated.has_key(key):
            src = "curated"
        elif self.geonames is not None and self.geonames.has_key(key):
            src = "geonames"
        if len(self._known) > 500_000:
            self._known.clear()
        self._known[key] = src
        return src

    def _lookup(self, name: str, year: int | None, context: Sequence[Place] = ()) -> list[Candidate]:
        k = (normalize(name), year)
        if not context and k in self._lookups:
            return self._lookups[k]
        found = self.gz.lookup(name, when=year, context=list(context) or None)
        if not context:
            self._lookups[k] = found
        return found

    def _best_geonames(self, name: str) -> Candidate | None:
        """The most populous GeoNames place under this name (population decides what "big" means)."""
        if name not in self._geonames_best:
            found = [c for c in self._lookup(name, None) if c.place.source == "geonames"]
            best = max(
                found, key=lambda c: (c.place.feature_type == "country", c.place.population), default=None
            )
            self._geonames_best[name] = best
        return self._geonames_best[name]

    # -- finding --

    def find(
        self,
        text: str,
        *,
        sentence_starts: Sequence[int] = (),
        years: Sequence[tuple[int, int | None]] = (),
        exclude: Sequence[tuple[int, int]] = (),
        paragraphs: Sequence[tuple[int, int]] = (),
        rejected: list[Rejected] | None = None,
    ) -> list[Mention]:
        """Mentions in ``text``, resolved. ``sentence_starts`` are the offsets where sentences begin;
        ``years`` gives (offset, year) pairs of the dates governing the text from each offset on, used
        as the time hint; ``exclude`` lists spans that are not names (date expressions: "June 1941",
        "Showa 19"); ``paragraphs`` (spans) give each name its nearest context; ``rejected`` collects
        names turned down, with the reason."""
        groups = self.find_groups(
            text,
            sentence_starts=sentence_starts,
            years=years,
            exclude=exclude,
            paragraphs=paragraphs,
            rejected=rejected,
        )
        out: list[Mention] = []
        for g in groups:
            out += g.mentions()
        return out

    def find_groups(
        self,
        text: str,
        *,
        sentence_starts: Sequence[int] = (),
        years: Sequence[tuple[int, int | None]] = (),
        exclude: Sequence[tuple[int, int]] = (),
        paragraphs: Sequence[tuple[int, int]] = (),
        rejected: list[Rejected] | None = None,
    ) -> list[_Group]:
        """``find``'s work, paragraph by paragraph (``_Group``: relative offsets and resolutions);
        ``find_resolved`` is the same for a text without dates, per distinct paragraph.

        A paragraph whose capitalised runs hold no known name is skipped whole (its runs are listed by
        one ``findall`` and checked against a set); one whose text, margins, date spans and sentence
        starts were met before in the same text reuses the names found there, provided the people it
        asked about are still what they were (``_Persons``); and the resolution of a paragraph depends
        only on its (name, year) pairs and the document's context, so equal paragraphs are resolved
        once.
        """
        pairs = self._paragraph_findings(
            text, sentence_starts=sentence_starts, exclude=exclude, paragraphs=paragraphs, rejected=rejected
        )
        groups = [_Group(ps, merged) for ps, merged in pairs]
        self._resolve_groups(groups, years, paragraphs)
        return groups

    def find_resolved(
        self, text: str, *, paragraphs: Sequence[tuple[int, int]] = ()
    ) -> tuple[list[tuple[int, _Merged]], dict[int, list[tuple[tuple[Candidate, ...], float, Place | None]]]]:
        """``find_groups`` for a text without dates (no year hints; ``geoparser.find_places``): the
        paragraphs' findings as (start, findings) pairs, and the resolutions of each distinct findings
        object (by ``id``), worked out once however often its paragraph recurs."""
        pairs = self._paragraph_findings(text, paragraphs=paragraphs)
        distinct = {id(m): m for m in dict.fromkeys(map(_SECOND, pairs))}
        first_pass: dict[tuple, tuple[list[list[Candidate]], dict[str, Place]]] = {}
        doc_ctx: dict[str, Place] = {}
        for merged in distinct.values():  # in order of first appearance, as ``_resolve_groups``
            spec = merged.no_years
            if spec not in first_pass:
                got = first_pass[spec] = self._first_pass(spec)
                if len(doc_ctx) < 60:
                    for pid, place in got[1].items():
                        doc_ctx.setdefault(pid, place)
        doc = list(doc_ctx.values())[:60]
        second_pass: dict[tuple, list[tuple[tuple[Candidate, ...], float, Place | None]]] = {}
        resolved: dict[int, list[tuple[tuple[Candidate, ...], float, Place | None]]] = {}
        for key, merged in distinct.items():
            spec = merged.no_years
            out = second_pass.get(spec)
            if out is None:
                out = second_pass[spec] = self._second_pass(spec, *first_pass[spec], doc)
            resolved[key] = out
        return pairs, resolved

    def _paragraph_findings(
        self,
        text: str,
        *,
        sentence_starts: Sequence[int] = (),
        exclude: Sequence[tuple[int, int]] = (),
        paragraphs: Sequence[tuple[int, int]] = (),
        rejected: list[Rejected] | None = None,
    ) -> list[tuple[int, _Merged]]:
        """(paragraph start, its findings) for each paragraph with names, unresolved (see
        ``find_groups``)."""
        from bisect import bisect_left

        chunks = list(paragraphs) if paragraphs else [(0, len(text))]
        starts_sorted = sorted(sentence_starts) if sentence_starts else []
        starts = set(starts_sorted)
        spans = sorted(exclude)
        span_starts = [a for a, _ in spans]
        # each paragraph's text with its margins (what its findings depend on), in one pass; near the
        # text's end, where the margin after is cut short, with the paragraph's length
        n = len(text)
        text_keys: list[str | tuple] = [
            text[ps - _MARGIN_BEFORE : pe + _MARGIN_AFTER]
            if ps >= _MARGIN_BEFORE and pe + _MARGIN_AFTER <= n
            else (
                ps if ps < _MARGIN_BEFORE else -1,
                pe - ps,
                text[max(0, ps - _MARGIN_BEFORE) : pe + _MARGIN_AFTER],
            )
            for ps, pe in chunks
        ]
        lower_words = _LowerWords(text, chunks if paragraphs else (), text_keys)
        runs_filter = _RunFilter(self, lower_words, strict=rejected is not None)
        persons: set[str] = set()
        memo: dict[tuple, _ChunkFinding] = {}
        empty = _ChunkFinding(0, [], [], [])
        hits: list[tuple[int, _ChunkFinding]] = []
        for (ps, pe), text_key in zip(chunks, text_keys, strict=True):
            if spans:
                k0 = bisect_left(span_starts, ps)
                while k0 and spans[k0 - 1][1] > ps:
                    k0 -= 1
                chunk_spans = spans[k0 : bisect_left(span_starts, pe)]
            else:
                chunk_spans = []
            if rejected is not None:
                if chunk_spans or self._chunk_may_hold_names(text, ps, pe, runs_filter):
                    ms, ds = self._find_chunk(
                        text, ps, pe, chunk_spans, starts, runs_filter, persons, rejected
                    )
                    if ms or ds:
                        hits.append((ps, _ChunkFinding(ps, ms, ds, [])))
                continue
            key = text_key
            if chunk_spans or starts_sorted:
                key = (key,)
            if chunk_spans:
                key += (tuple((a - ps, b - ps) for a, b in chunk_spans),)
            if starts_sorted:
                s0, s1 = bisect_left(starts_sorted, ps), bisect_left(starts_sorted, pe)
                key += (tuple(x - ps for x in starts_sorted[s0:s1]),)
            entry = memo.get(key)
            if entry is not None:
                if entry is empty:
                    continue
                if not entry.ops or entry.replay(persons):
                    if entry.found:
                        hits.append((ps, entry))
                    continue
            if not chunk_spans and not self._chunk_may_hold_names(text, ps, pe, runs_filter):
                memo[key] = empty
                continue
            log = _Persons(persons)
            ms, ds = self._find_chunk(text, ps, pe, chunk_spans, starts, runs_filter, log, None)
            entry = memo[key] = _ChunkFinding(ps, ms, ds, log.ops) if ms or ds or log.ops else empty
            if ms or ds:
                hits.append((ps, entry))
        # a sentence-initial name too small to stand alone counts when the text names it elsewhere
        accepted: set[str] = set()
        if any(e.deferred for e in set(map(_SECOND, hits))):  # distinct findings only
            for _, e in hits:
                accepted |= e.keys
        pairs: list[tuple[int, _Merged]] = []
        for ps, e in hits:
            acc: tuple[int, ...] = ()
            if e.deferred:
                acc = tuple(k for k, d in enumerate(e.deferred) if d[3] in accepted)
                if rejected is not None:
                    rejected += [
                        Rejected(a + ps, b + ps, surface, why)
                        for k, (a, b, surface, _, _, why) in enumerate(e.deferred)
                        if k not in acc
                    ]
            merged = e.merged(acc) if acc else e.plain
            if merged.rel:
                pairs.append((ps, merged))
        return pairs

    def _chunk_may_hold_names(self, text: str, ps: int, pe: int, runs_filter: _RunFilter) -> bool:
        """Whether a paragraph has a capitalised run that may hold a name (``_RunFilter``) or a
        territorial head word, or a direction word before a capital ("north Korea"): its runs are listed
        and checked against sets in C; only runs never seen before are looked at in Python."""
        useless = self._useless_runs
        runs = set(_RUN.findall(text, ps, pe))
        if not runs <= useless:
            rest = runs - useless
            if not rest <= runs_filter.useless:
                for run in rest - runs_filter.useless:
                    kind = self._run_kind(run)
                    if kind is None:
                        if _TERRITORIAL_HEADS.search(run):
                            return True
                        if len(useless) > 200_000:
                            useless.clear()
                        useless.add(run)
                    elif runs_filter.useful(kind):
                        return True
                    else:
                        runs_filter.useless.add(run)
        return runs_filter.direction_between(ps, pe)

    def _run_kind(self, run: str) -> bool | tuple[str, ...] | None:
        """What a capitalised run may hold: None, no known name; True, a name that may be a place in
        any text; else the (lower-cased) single words only GeoNames knows that it holds, which are
        common words (never places) in a text that also uses them in lower case. Cached per run."""
        kind = self._run_kinds.get(run, _MISSING)
        if kind is _MISSING:
            kind = self._kind_of_word(run) if run.isalpha() else self._kind_of(list(_run_tokens(run)))
            if len(self._run_kinds) > 200_000:
                self._run_kinds.clear()
            self._run_kinds[run] = kind
        return kind  # type: ignore[return-value]

    def _kind_of_word(self, word: str) -> bool | tuple[str, ...] | None:
        """``_kind_of`` for a run of one word of letters (most runs of prose), without tokenizing it."""
        key, bare, _ = _token_keys(word)
        src = self._source_of(bare)
        if not src:
            return None
        low = word.lower()
        if src == "curated" or low in GENERIC_SUFFIXES or key in GENERIC_PREFIXES:
            return True
        if (word.isupper() and len(word) <= 5) or bare in COMMON_WORDS or bare in DEMONYMS:
            return ()
        return (low,)

    def _kind_of(self, rel: list[Token]) -> bool | tuple[str, ...] | None:
        n = len(rel)
        generic = any(t.text.lower() in GENERIC_SUFFIXES or t.key in GENERIC_PREFIXES for t in rel)
        words: list[str] = []
        known = False
        for i in range(n):
            for j in range(i, min(n, i + MAX_TOKENS)):
                src = self._source_of(_key(rel, i, j))
                if not src:
                    continue
                known = True
                if i != j or src == "curated" or generic:
                    return True
                t = rel[i]
                if t.text.isupper() and len(t.text) <= 5:
                    continue  # an acronym only GeoNames knows is never matched alone
                if t.bare in COMMON_WORDS or t.bare in DEMONYMS:
                    continue  # always turned down (``_reject``), whatever the text
                words.append(t.text.lower())
        if words:
            return tuple(words)
        return () if known else None

    def _find_chunk(
        self,
        text: str,
        ps: int,
        pe: int,
        spans: list[tuple[int, int]],
        starts: set[int],
        runs_filter: _RunFilter,
        persons: set[str] | _Persons,
        rejected: list[Rejected] | None,
    ) -> tuple[list[Mention], list[tuple[int, int, str, str, str, str]]]:
        """The names of one paragraph ``text[ps:pe]``: mentions (sorted) and the sentence-initial names
        deferred to the whole-text check."""
        run_ends: list[int] = []
        tokens = tokenize_runs(text, run_ends, runs_filter.tokens, ps, pe)
        if spans:
            tokens, run_ends = _without(tokens, spans, run_ends)
        found: list[Mention] = []
        deferred: list[tuple[int, int, str, str, str, str]] = []
        n = len(tokens)
        i = 0
        while i < n:
            tok = tokens[i]
            first = tok.text
            capital = _is_capital(first)
            if not capital and first.lower() not in _DIRECTIONS:
                i += 1
                continue
            person_run = self._person_run(text, tokens, i, persons)
            if person_run:
                if rejected is not None and any(self._source_of(t.key) for t in tokens[i : i + person_run]):
                    a, b = tokens[i].start, tokens[i + person_run - 1].end
                    rejected.append(Rejected(a, b, text[a:b], "person: name shape or title"))
                i += person_run
                continue
            memo_key = text[tok.start : run_ends[i]]
            match = self._longest_memo.get(memo_key, _MISSING)
            if match is _MISSING:
                match = self._longest(text, tokens, i)
                if match is not None:
                    match = (match[0] - i, match[1], match[2])
                if len(self._longest_memo) > 200_000:
                    self._longest_memo.clear()
                self._longest_memo[memo_key] = match
            if match is not None:
                match = (match[0] + i, match[1], match[2])
            if match is None:
                i += 1
                continue
            j, src, generic = match  # tokens i..j inclusive
            start, end = tokens[i].start, tokens[j].end - tokens[j].poss
            surface = text[start:end]
            why = self._reject(text, tokens, i, j, src, starts, runs_filter.lower_words, persons)
            if why:
                if why.startswith(_SENTENCE_START):
                    deferred.append((start, end, surface, _key(tokens, i, j), src, why))
                elif rejected is not None:
                    rejected.append(Rejected(start, end, surface, why))
                if why.startswith("person"):
                    persons.add(tokens[j].bare)
                    i = j + 1
                else:
                    i += 1  # a shorter name inside may still be a place ("Kwantung" in a longer run)
                continue
            m = Mention(start, end, surface, _key(tokens, i, j), src)
            if generic:
                m.reasons.append("name with its generic word")
            self._organisation(text, m)
            found.append(m)
            i = j + 1
        extra = self._territorial_adjectives(text, found, ps, pe)
        if extra:
            found += extra
            found.sort(key=_START)
        return found, deferred

    def _longest(self, text: str, tokens: list[Token], i: int) -> tuple[int, str, bool] | None:
        """(last token index, source, via generic word) of the longest known name starting at token i."""
        n = len(tokens)
        last = i
        # how far a name may extend: single spaces or hyphens between tokens, capitals or connectors
        for j in range(i + 1, min(n, i + MAX_TOKENS)):
            gap = text[tokens[j - 1].end : tokens[j].start]
            prev = tokens[j - 1].text.lower()
            if gap not in (" ", "-", "- ", "–", "'", "’") and not (gap == ". " and prev in _ABBREVIATED):
                break
            t = tokens[j].text
            if not (_is_capital(t) or t.lower() in _CONNECTORS or (gap == "-" and t.islower())):
                break
            last = j
        first_is_direction = not _is_capital(tokens[i].text)
        for j in range(last, i - 1, -1):
            t = tokens[j].text
            if not _is_capital(t) and not (gap_is_hyphen(text, tokens, j) and t.islower()):
                continue  # a name ends on a capitalised word
            if first_is_direction and j == i:
                return None
            key = _key(tokens, i, j)
            if not key:
                continue
            src = self._source_of(key)
            if src:
                if tokens[i].text.isupper() and len(tokens[i].text) <= 5 and j == i and src != "curated":
                    continue  # an acronym (KPRA, IAF): curated names only
                return j, src, False
            # "Raohe County", "Dong Da District": a known core and a capitalised generic word
            if j > i:
                gw = tokens[j].text.lower()
                if gw in GENERIC_SUFFIXES:
                    core = _key(tokens, i, j - 1)
                    src = self._source_of(core)
                    if src:
                        return j, src, True
                gp = tokens[i].key
                if gp in GENERIC_PREFIXES and j > i:
                    core = _key(tokens, i + 1, j)
                    src = self._source_of(core) if core else None
                    if src == "curated":
                        return j, src, True
        return None

    # -- cues --

    def _person_run(self, text: str, tokens: list[Token], i: int, persons: set[str]) -> int:
        """Length of an East Asian personal name starting at token i ("Kim Il Sung", "Zhou Bao-zhong"),
        or of a titled name ("General Sorkin"), else 0. Names found are remembered in ``persons``."""
        t = tokens[i]
        low = t.text.lower()
        n = len(tokens)
        if low in TITLES and _is_capital(t.text):
            # one or more titles, then capitalised name words: "Lieutenant General Nichev"
            j = i
            while j + 1 < n and tokens[j + 1].text.lower() in TITLES and _adjacent(text, tokens, j):
                j += 1
            k = j
            while k + 1 < n and _is_capital(tokens[k + 1].text) and _adjacent(text, tokens, k) and k - j < 3:
                if tokens[k + 1].text.lower() in TITLES:
                    break
                k += 1
            if k == j or self._source_of(_key(tokens, j + 1, k)) == "curated":
                return 0  # "Commander of the ...": no name follows; or a curated place does
            for x in range(j + 1, k + 1):
                persons.add(tokens[x].bare)
            return k - i + 1
        if low in EA_SURNAMES and _is_capital(t.text) and i + 1 < n and _adjacent(text, tokens, i):
            j = i
            while (
                j + 1 < n
                and j - i < 3
                and _adjacent(text, tokens, j, allow_hyphen=True)
                and _syllabic(tokens[j + 1].text, hyphen=text[tokens[j].end : tokens[j + 1].start] == "-")
            ):
                j += 1
            if j + 1 < n and _adjacent(text, tokens, j) and tokens[j + 1].text in _GENERIC_CAPITALISED:
                return 0  # "Dong Da District": a place name with its generic word
            if j > i and not self._whole_run_is_curated(tokens, i, j):
                if _locative_before(text, t.start) and self._source_of(
                    "".join(x.key for x in tokens[i : j + 1])
                ):
                    return 0  # "in Kim Chaek": the city named after the man
                for x in range(i, j + 1):
                    persons.add(tokens[x].bare)
                return j - i + 1
        return 0

    def _whole_run_is_curated(self, tokens: list[Token], i: int, j: int) -> bool:
        return any(
            self._source_of("".join(x.key for x in tokens[i : k + 1])) == "curated" for k in range(i, j + 1)
        )

    def _reject(
        self,
        text: str,
        tokens: list[Token],
        i: int,
        j: int,
        src: str,
        starts: set[int],
        lower_words: _LowerWords,
        persons: set[str],
    ) -> str | None:
        """Why the name in tokens i..j is not a place here, or None to keep it."""
        start, end = tokens[i].start, tokens[j].end
        single = i == j
        tok = tokens[i].text
        low = tokens[i].bare if single else tok.lower()
        before = text[max(0, start - 40) : start]
        if (
            i > 0
            and tokens[i - 1].text.lower() in TITLES
            and _is_capital(tokens[i - 1].text)
            and _adjacent(text, tokens, i - 1)
        ):
            return "person: title before the name"
        if single and tokens[i].bare in persons and not _STRONG_LOCATIVE.search(before):
            return "person: named as a person earlier in the text"
        if src == "curated":
            return None
        # --- only GeoNames knows this name ---
        locative = bool(_LOCATIVE.search(before))
        if tok.isupper() and len(tok) <= 5:
            return "acronym"
        if single and (low in COMMON_WORDS or tokens[i].text.lower() in lower_words):
            return "common word"
        if single and low in DEMONYMS:
            return "demonym"
        if all(t.text.lower() in COMMON_WORDS for t in tokens[i : j + 1]):
            return "common words"
        if text[end : end + 1] == "-" or text[start - 1 : start] == "-":
            return "part of a hyphenated word"
        if single and tokens[i].bare in KNOWN_PEOPLE and not locative:
            return "person: a famous person's name (fallback list)"
        if _SPEECH_VERBS.match(text, end) and not locative:
            return "person: a speech or action verb follows"
        sentence_start = _at_sentence_start(text, start, starts)
        if self._inside_longer_name(text, tokens, i, j):
            return "part of a longer proper name"
        best = self._best_geonames(text[start:end])
        pop = best.place.population if best else 0
        is_country = best is not None and best.place.feature_type == "country"
        if is_country:
            return None
        if locative:
            return (
                None if pop >= MIN_POP_WITH_CUE else f"population {pop:,} too small even after a preposition"
            )
        if sentence_start:
            if single and low.endswith(("ing", "ly", "ed")):
                return "sentence-initial word that reads as English (-ing, -ly, -ed)"
            return None if pop >= MIN_POP_SENTENCE_START else f"{_SENTENCE_START}, population {pop:,}"
        return None if pop >= MIN_POP_MID_SENTENCE else f"population {pop:,} too small without a cue"

    def _inside_longer_name(self, text: str, tokens: list[Token], i: int, j: int) -> bool:
        """A run of other capitalised words right before or after ("Special Political Police")."""
        n = len(tokens)
        if i > 0 and _adjacent(text, tokens, i - 1) and _is_capital(tokens[i - 1].text):
            prev = tokens[i - 1].text.lower()
            name_like = prev not in COMMON_WORDS - {"great", "new", "old", "little"} or prev in _NAME_WORDS
            if name_like and not _at_sentence_start(text, tokens[i - 1].start, ()):
                return True
        if j + 1 < n and _adjacent(text, tokens, j) and _is_capital(tokens[j + 1].text):
            nxt = tokens[j + 1].text.lower()
            if nxt not in GENERIC_SUFFIXES:
                return True
        return False

    def _organisation(self, text: str, m: Mention) -> None:
        """Flag a mention inside an organisation's (or war's) name: "Kwantung Army", "the Pacific War"."""
        after = text[m.end : m.end + 60]
        head = _ORG_HEADS.match(after.lstrip(" ")) if after[:1] == " " else None
        if head:
            # the organisation's name: capitalised words before the place ("Great East Asia War",
            # "the puppet Manchukuo army" keeps only the proper part)
            lead = re.search(r"((?:[A-Z][\w'-]*\s+)+)$", text[max(0, m.start - 40) : m.start])
            org_start = (
                m.start - len(lead.group(1)) if lead and not _ends_sentence(lead.group(1)) else m.start
            )
            org_start = _drop_sentence_initial(text, org_start, m.start)
            org_end = m.end + 1 + head.end()
            m.role = "in_organisation"
            m.organisation = text[org_start:org_end]
            m.reasons.append(f"inside the name {m.organisation!r}")
            return
        before = text[max(0, m.start - 40) : m.start]
        of = _ORG_OF.search(before) if before.endswith(("of ", "of the ")) else None
        if of and not of.group().startswith("Republic"):
            m.role = "in_organisation"
            m.organisation = text[m.start - len(of.group()) : m.end]
            m.reasons.append(f"inside the name {m.organisation!r}")

    def _territorial_adjectives(
        self, text: str, found: list[Mention], lo: int = 0, hi: int | None = None
    ) -> list[Mention]:
        """ "Central Asian Military District": an adjective of a curated place before a territorial head
        (heads within ``text[lo:hi]``)."""
        from bisect import bisect_left

        out: list[Mention] = []
        taken = sorted((m.start, m.end) for m in found)
        taken_starts = [a for a, _ in taken]
        for h in _TERRITORIAL_HEADS.finditer(text, lo, len(text) if hi is None else hi):
            hs = h.start()
            if not hs or not text[hs - 1].isspace():
                continue
            ws = hs - 1
            while ws > 0 and text[ws - 1].isspace():
                ws -= 1
            lead = re.search(r"((?:[A-Z][\w'-]*\s+)*[A-Z][\w'-]*)$", text[max(0, ws - 40) : ws])
            if not lead:
                continue
            words = lead.group(1).split()
            a = ws - len(lead.group(1))
            for k in range(len(words)):
                phrase = " ".join(words[k:])
                s = a + len(" ".join(words[:k])) + (1 if k else 0)
                k0 = bisect_left(taken_starts, ws)
                if k0 and taken[k0 - 1][1] > s:  # a name found already ends inside this phrase
                    break
                for suffix, repl in (("ern", ""), ("ian", "ia"), ("an", "a"), ("n", ""), ("ese", "")):
                    if phrase.endswith(suffix):
                        base = phrase[: -len(suffix)] + repl
                        key = normalize(base)
                        if key and self._source_of(key) == "curated":
                            mm = Mention(s, ws, phrase, key, "curated", "in_organisation")
                            mm.organisation = text[s : h.end()]
                            mm.reasons.append(
                                f"adjective of {base!r} in the territorial name {mm.organisation!r}"
                            )
                            mm.reasons.append(f"looked up as {base!r}")
                            out.append(mm)
                            break
                else:
                    continue
                break
        return out

    # -- resolution --

    def _resolve_groups(
        self,
        groups: list[_Group],
        years: Sequence[tuple[int, int | None]],
        paragraphs: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Rank each mention's candidates with its year. An ambiguous name is ranked again with the
        unambiguous places of its paragraph as context (of the whole document when its paragraph has
        none): curated places, countries and cities of a million or more that stand clear of their
        namesakes.

        A paragraph's outcome depends only on its (name, year) pairs and the document's context, so
        paragraphs asking the same are answered once."""
        offsets = [o for o, _ in years]
        n_years = len(offsets)
        k_year = 0
        for g in groups:
            if not n_years:
                g.spec = g.merged.no_years
                continue
            spec = []
            ps = g.ps
            for name, r in zip(g.merged.names, g.merged.rel, strict=True):
                pos = ps + r[0]
                while k_year < n_years and offsets[k_year] <= pos:
                    k_year += 1
                spec.append((name, years[k_year - 1][1] if k_year else None))
            g.spec = tuple(spec)

        # specs are looked up by identity first (a repeated paragraph shares its spec object; every
        # group, and so its spec, stays alive here), then by value
        first_pass: dict[tuple, tuple[list[list[Candidate]], dict[str, Place]]] = {}
        first_by_id: dict[int, tuple[list[list[Candidate]], dict[str, Place]]] = {}
        doc_ctx: dict[str, Place] = {}
        for g in groups:
            if id(g.spec) in first_by_id:
                continue
            got = first_pass.get(g.spec)
            if got is None:
                # a paragraph met before adds nothing new to the document's context
                got = first_pass[g.spec] = self._first_pass(g.spec)
                if len(doc_ctx) < 60:
                    for pid, place in got[1].items():
                        doc_ctx.setdefault(pid, place)
            first_by_id[id(g.spec)] = got
        doc = list(doc_ctx.values())[:60]
        second_pass: dict[tuple, list[tuple[tuple[Candidate, ...], float, Place | None]]] = {}
        second_by_id: dict[int, list[tuple[tuple[Candidate, ...], float, Place | None]]] = {}
        for g in groups:
            out = second_by_id.get(id(g.spec))
            if out is None:
                out = second_pass.get(g.spec)
                if out is None:
                    out = second_pass[g.spec] = self._second_pass(g.spec, *first_by_id[id(g.spec)], doc)
                second_by_id[id(g.spec)] = out
            g.resolved = out

    def _first_pass(
        self, spec: tuple[tuple[str, int | None], ...]
    ) -> tuple[list[list[Candidate]], dict[str, Place]]:
        """Each name's candidates with its year, and the paragraph's unambiguous places (the context)."""
        firsts: list[list[Candidate]] = []
        ctx: dict[str, Place] = {}
        for name, year in spec:
            cands = self._lookup(name, year)
            firsts.append(cands)
            if not cands or not _clear(cands):
                continue
            top = cands[0].place
            if top.source != "geonames" or top.feature_type == "country" or top.population >= 1_000_000:
                ctx.setdefault(top.id, top)
        return firsts, ctx

    def _second_pass(
        self,
        spec: tuple[tuple[str, int | None], ...],
        firsts: list[list[Candidate]],
        para_ctx: dict[str, Place],
        doc: list[Place],
    ) -> list[tuple[tuple[Candidate, ...], float, Place | None]]:
        """(candidates, score, place) of each name, ambiguous ones ranked again with the context."""
        out: list[tuple[tuple[Candidate, ...], float, Place | None]] = []
        for (name, year), cands in zip(spec, firsts, strict=True):
            if len(cands) > 1 and (cands[0].place.source == "geonames" or not _clear(cands)):
                key = normalize(name)
                local = [x for x in para_ctx.values() if normalize(x.name) != key]
                ctx = local or [x for x in doc if normalize(x.name) != key]
                if ctx:
                    cands = self._lookup(name, year, ctx)
            if cands:
                top = cands[0]
                out.append(
                    (tuple(cands[:5]), top.score, top.place if top.score >= UNRESOLVED_BELOW else None)
                )
            else:
                out.append(((), 0.0, None))
        return out


def _name_of_rel(text: str, reasons: Sequence[str]) -> str:
    """The name to look up: the mention's text, or the base a territorial adjective stands for."""
    for r in reasons:
        if r.startswith("looked up as "):
            return r[len("looked up as ") + 1 : -1]
    return text


def _clear(cands: list[Candidate]) -> bool:
    return len(cands) == 1 or cands[0].score - cands[1].score >= 0.15


class _RunFilter:
    """Which capitalised runs of one text may hold a place name (``MentionFinder._run_kind``): runs
    whose only known names are words the text also uses in lower case ("None" in Python's docs) are
    dropped with those that hold none. ``strict`` (when rejections are collected) keeps every run
    holding a known name, so the rejections are all listed."""

    __slots__ = ("_directions", "_verdicts", "finder", "lower_words", "strict", "useless")

    def __init__(self, finder: MentionFinder, lower_words: _LowerWords, *, strict: bool):
        self.finder = finder
        self.lower_words = lower_words
        self.strict = strict
        self.useless: set[str] = set()
        self._verdicts: dict[str, bool] = {}
        self._directions: dict[int, list[int]] = {}

    def direction_between(self, lo: int, hi: int) -> bool:
        """Whether a lower-case direction word stands before a capital in ``text[lo:hi]`` (the text is
        searched in blocks of 64K characters, as paragraphs ask)."""
        blocks = self._directions
        text = self.lower_words.text
        for b in range(lo >> 16, ((hi - 1) >> 16) + 1):
            found = blocks.get(b)
            if found is None:
                found = blocks[b] = _direction_positions(text, b << 16, min(len(text), (b + 1) << 16))
            if any(lo <= p < hi for p in found):
                return True
        return False

    def useful(self, kind: bool | tuple[str, ...]) -> bool:
        if kind is True or self.strict:
            return True
        lower_words = self.lower_words
        return any(w not in lower_words for w in kind)  # type: ignore[union-attr]

    def tokens(self, run: str, rel: tuple[Token, ...]) -> bool:
        """Whether ``tokenize_runs`` keeps the run."""
        ok = self._verdicts.get(run)
        if ok is None:
            kind = self.finder._run_kind(run)
            ok = self._verdicts[run] = kind is not None and self.useful(kind)
        return ok


class _LowerWords:
    """Whether a word occurs in lower case somewhere in the text ("later", "photo"), asked lazily:
    a short text's few questions are answered by scanning for the word; once a text has asked more
    than ``_SCANS`` of them, the set of all its words is built once (a scan each costs as much as
    that on a text of megabytes). Given the text's paragraphs (covering all but blank space), only
    their distinct texts are scanned: a paragraph repeated changes no answer."""

    _SCANS = 8

    def __init__(self, text: str, paragraphs: Sequence[tuple[int, int]] = (), keys: Sequence[object] = ()):
        self.text = text
        self._paragraphs = paragraphs
        self._keys = keys
        self._scan: str | None = None
        self._seen: dict[str, bool] = {}
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        got = self._seen.get(word)
        if got is None:
            bare = word[:-2] if word.endswith(("'s", "’s")) else word
            got = bare.isalpha() and self._occurs(bare)
            self._seen[word] = got
        return got

    def _scan_text(self) -> str:
        """The distinct paragraphs, one per line (the text itself when they do not cover it); a word
        ending the text's last paragraph counts only if something follows it in the text, as in the
        text. Paragraphs are told apart by their keys (``MentionFinder.find_groups``: equal keys, equal
        paragraphs), whose hashes are already known."""
        text, paras, keys = self.text, self._paragraphs, self._keys
        if not paras or len(keys) != len(paras):
            return text
        prev = 0
        for ps, pe in paras:
            if ps < prev or (ps > prev and not text[prev:ps].isspace()):
                return text
            prev = pe
        if prev < len(text) and not text[prev:].isspace():
            return text
        last_key = keys[-1]
        where = dict(zip(keys, paras, strict=True))  # a key's last paragraph
        first = dict(zip(reversed(keys), reversed(paras), strict=True))  # and its first
        once = first[last_key] == paras[-1]
        parts = [text[ps:pe] for k, (ps, pe) in where.items() if k != last_key]
        ps, pe = paras[-1]
        parts.append(text[ps:pe])
        return "\n".join(parts) + ("" if once and pe == len(text) else "\n")

    def _occurs(self, word: str) -> bool:
        if self._scan is None:
            self._scan = self._scan_text()
        text = self._scan
        if self._words is None and len(self._seen) >= self._SCANS:
            self._words = _word_runs(text)
        if self._words is not None:
            return word in self._words
        at, n = text.find(word), len(word)
        while at >= 0:
            before = text[at - 1 : at] if at else ""
            after = text[at + n : at + n + 1]
            inside = before.isalnum() or before in ("'", "’", "_") or after.isalnum() or after in "'’_"
            if not inside:
                return True
            at = text.find(word, at + 1)
        return False


def _word_runs(text: str) -> set[str]:
    """Every maximal run of word characters and apostrophes in ``text`` that has a character after it.

    Such a run never holds a blank, so it lies inside one blank-separated token; most tokens are
    letters only (the whole token is the run), and only the distinct others go through the regex.
    Splitting at blanks in C is twice as fast as one ``findall`` over the text."""
    tokens = text.split()
    if not tokens:
        return set()
    last = tokens.pop() if not text[-1].isspace() else None  # its final run has nothing after it
    words: set[str] = set()
    for tok in set(tokens):
        if tok.isalpha():
            words.add(tok)
        else:
            words.update(_WORD_RUN_ANY.findall(tok))
    if last is not None:
        runs = _WORD_RUN_ANY.findall(last)
        if runs and last.endswith(runs[-1]):
            runs.pop()  # the text's very last run: nothing after it
        words.update(runs)
    return words


_WORD_RUN_ANY = re.compile(r"[\w'’]+")


def _without(
    tokens: list[Token], spans: Sequence[tuple[int, int]], run_ends: list[int]
) -> tuple[list[Token], list[int]]:
    """Tokens outside the given spans; a dropped span ends the run of the tokens before it."""
    from bisect import bisect_right

    spans = sorted(spans)
    starts = [a for a, _ in spans]
    kept: list[Token] = []
    ends: list[int] = []
    for t, run_end in zip(tokens, run_ends, strict=True):
        k = bisect_right(starts, t.start) - 1
        if k >= 0 and spans[k][0] <= t.start < spans[k][1]:
            continue
        nxt = bisect_right(starts, t.start)
        if nxt < len(spans) and spans[nxt][0] < run_end:
            run_end = spans[nxt][0]
        kept.append(t)
        ends.append(run_end)
    return kept, ends


def gap_is_hyphen(text: str, tokens: list[Token], j: int) -> bool:
    return j > 0 and text[tokens[j - 1].end : tokens[j].start] == "-"


def _adjacent(text: str, tokens: list[Token], j: int, *, allow_hyphen: bool = False) -> bool:
    """Token j and j+1 are separated by one space (or a hyphen when allowed)."""
    if j + 1 >= len(tokens):
        return False
    gap = text[tokens[j].end : tokens[j + 1].start]
    return gap == " " or (allow_hyphen and gap == "-")


def _syllabic(tok: str, *, hyphen: bool) -> bool:
    """A romanised Korean/Chinese given-name syllable: short, capitalised (or lower case after a hyphen)."""
    if hyphen:
        return tok.isalpha() and len(tok) <= 6
    return _is_capital(tok) and tok.isalpha() and len(tok) <= 6 and tok.lower() not in COMMON_WORDS


def _locative_before(text: str, start: int) -> bool:
    return bool(_LOCATIVE.search(text[max(0, start - 40) : start]))


def _at_sentence_start(text: str, start: int, starts: set[int] | Sequence[int]) -> bool:
    if start in starts:
        return True
    k = start - 1
    while k >= 0 and text[k] in " \t\"'([":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n"


def _ends_sentence(lead: str) -> bool:
    return False


def _drop_sentence_initial(text: str, org_start: int, place_start: int) -> int:
    """Do not swallow a sentence-initial word ("The", "In") into an organisation's name."""
    words = list(re.finditer(r"[A-Z][\w'-]*", text[org_start:place_start]))
    while words and words[0].group().lower() in COMMON_WORDS and words[0].group() not in {"Great", "Special"}:
        org_start += words[0].end()
        while org_start < place_start and text[org_start] == " ":
            org_start += 1
        words = list(re.finditer(r"[A-Z][\w'-]*", text[org_start:place_start]))
    return org_start
