"""``Gazetteer``: a geopy ``Geocoder`` over our offline sources, ranking candidates with reasons.

It subclasses ``geopy.geocoders.base.Geocoder`` so it goes wherever geopy's geocoders go
(``RateLimiter(gz.geocode)``, code that expects ``Location``), but it never opens a connection itself:
its adapter refuses network use, and the optional online fallback is a separate source with its own
cache and rate limiter.

Ranking is additive and explained. Every candidate starts from its source (curated historical entries
above the packaged layers -- subdivisions, US counties, rivers, lakes, seas, continents -- above GeoNames
above online answers), then gains or loses for how its name matched (preferred, variant, abbreviation
in capitals, without its articles or generic word), whether a generic word in the query ("County",
"River") fits its type, its feature class (a country, region, sea or river above a same-named hamlet)
and population (Baghdad above Bagdad, Florida), a province named after its chief town, "the" before
the name, a qualifier ("Paris, Texas"), whether the matched name and the place were in use in the year
asked about, and how near it lies to the other places of the same text. Each step leaves a reason, so
a historian can see why "Moscow" is not Moscow, Idaho.

``lookup_variant`` is the restricted spelling fallback for old and transliterated spellings ("Bassora",
"Mossul"): it searches only near the points or in the countries a caller gives.

Ranking is cheap because it is lazy: GeoNames hits are scored on the index's columns (population,
type, which name matched), and a ``Place`` and the reasons are built only for the candidates a caller
reads (see ``Candidate``).
"""

from __future__ import annotations

import math
import re
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import FrozenInstanceError, dataclass
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from . import resources
from .distance import distance_km
from .errors import GazetteerError, PlaceNotFound, ServiceUnavailable
from .names import abbreviation_key, bare_key, normalize, skeleton, split_generic, types_agree
from .places import AlternateName, Place
from .sources.base import NameHit, PlaceSource
from .sources.curated import CuratedSource

SOURCE_BASE = {
    "curated": 0.60,
    "user": 0.60,
    "subdivisions": 0.40,
    "uscounties": 0.40,
    "naturalearth": 0.40,
    "marine": 0.40,
    "geonames": 0.35,
    "online": 0.30,
}
# Feature-class priors: a name shared by a country, a first-level region, a sea or a river and by a
# hamlet means the big feature unless the text says otherwise. A settlement's weight comes from its
# population instead (``POPULATION_WEIGHT``), so Baghdad beats Bagdad, Florida and Paris beats Paris, Texas.
TYPE_PRIOR = {
    "continent": 0.20,
    "ocean": 0.20,
    "country": 0.20,
    "sea": 0.15,
    "region": 0.12,
    "province": 0.12,
    "river": 0.10,
    "lake": 0.08,
    "military base": 0.04,
    "island": 0.04,
    "mountain": 0.04,
    "county": 0.03,
    "settlement": 0.0,
}
POPULATION_WEIGHT = 0.25  # gained in full at 10 million people, nothing at 100, log-linear between
VARIANT_NAME = 0.12  # a preferred name gives 0.15; less than a tenfold population gap (Odesa, Odessa TX)
CHIEF_TOWN_PENALTY = 0.10  # a subdivision named after a city of 50,000+ inside it means the city, usually
CHIEF_TOWN_POPULATION = 50_000
BARE_PENALTY = 0.05  # matched only once Arabic articles were dropped ("El Salvador" asked as "Salvador")
GENERIC_PENALTY = 0.08  # matched only without the generic word ("Red" for the Red Sea); rivers excepted
THE_BONUS = 0.03  # "the Gulf", "the Caucasus": the article goes with seas, rivers and regions, not towns
THE_TYPES = frozenset({"sea", "ocean", "river", "lake", "region", "mountain", "island", "continent"})
WITHIN_BONUS = 0.25  # "Paris, Texas": inside the named container, or not
FUZZY_FACTOR = 0.8  # a fuzzy hit never outranks the same place found exactly
VARIANT_KEYS_MAX = 1_000_000  # names whose variant keys are remembered (GeoNames holds about 550,000)
CONTAINER_TYPES = frozenset({"country", "province", "region", "county", "continent"})
VARIANT_MAX_KM = 500.0

_set = object.__setattr__
_Resolved = tuple[Place, tuple[str, ...], str]  # what a lazy candidate's resolver gives
_SOURCE_REASON = {
    "curated": "curated historical gazetteer",
    "geonames": "GeoNames (modern)",
    "online": "online geocoder",
}
# Stand-ins for a GeoNames row's matched name while scoring (only its kind and period count; GeoNames
# names carry no period); the real name is read when the reasons are asked for.
_PREFERRED = AlternateName("", kind="preferred")
_VARIANT = AlternateName("")
_LAYER_SOURCES = frozenset({"subdivisions", "uscounties", "naturalearth", "marine"})
_BARE = 0x8000  # the GeoNames index's flag on a name number: matched without the name's articles

# One opened GeoNames index per file and one set of packaged layers per cache folder, shared by every
# Gazetteer of the process (they are read-only).
_OPEN_INDEXES: dict[Path, PlaceSource] = {}
_OPEN_LAYERS: dict[Path, list[PlaceSource]] = {}


class _LRU(OrderedDict):
    """A dictionary that forgets its least recently used entries beyond ``maxsize``."""

    def __init__(self, maxsize: int):
        super().__init__()
        self.maxsize = maxsize

    def lookup(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def remember(self, key, value) -> None:
        self[key] = value
        if len(self) > self.maxsize:
            self.popitem(last=False)


class OnlineServiceWarning(UserWarning):
    """An online geocoder failed; the offline answer was used instead."""


class Candidate:
    """A place a name may refer to, its score in 0..1 and the reasons for that score.

    Immutable, like a frozen dataclass of (place, score, reasons, fuzzy, matched_name). The gazetteer
    makes them lazily: ranking needs only the score (computed on the GeoNames index's columns), so a
    GeoNames ``Place``, the reasons and the matched name are built on first access, once. Asking for
    the best of fifty namesakes builds one ``Place``, not fifty.
    """

    __slots__ = ("_args", "_matched_name", "_place", "_reasons", "_resolve", "fuzzy", "score")

    def __init__(
        self,
        place: Place,
        score: float,
        reasons: tuple[str, ...],
        fuzzy: bool = False,
        matched_name: str = "",
    ):
        _set(self, "_place", place)
        _set(self, "score", score)
        _set(self, "_reasons", tuple(reasons))
        _set(self, "fuzzy", fuzzy)
        _set(self, "_matched_name", matched_name)
        _set(self, "_resolve", None)
        _set(self, "_args", ())

    @classmethod
    def _lazy(cls, score: float, fuzzy: bool, resolve: Callable[..., _Resolved], args: tuple):
        """A candidate whose (place, reasons, matched name) ``resolve(*args)`` gives when first asked for.

        ``resolve`` is a function or a bound method made once, and ``args`` plain values where it can
        be: a candidate kept in a memo then adds no object the garbage collector must keep visiting.
        """
        self = cls.__new__(cls)
        _set(self, "score", score)
        _set(self, "fuzzy", fuzzy)
        _set(self, "_resolve", resolve)
        _set(self, "_args", args)
        return self

    def _force(self) -> None:
        place, reasons, matched = self._resolve(*self._args)
        _set(self, "_place", place)
        _set(self, "_reasons", reasons)
        _set(self, "_matched_name", matched)
        _set(self, "_resolve", None)
        _set(self, "_args", ())

    @property
    def place(self) -> Place:
        if self._resolve is not None:
            self._force()
        return self._place

    @property
    def reasons(self) -> tuple[str, ...]:
        if self._resolve is not None:
            self._force()
        return self._reasons

    @property
    def matched_name(self) -> str:
        if self._resolve is not None:
            self._force()
        return self._matched_name

    def _fields(self) -> tuple:
        return (self.place, self.score, self.reasons, self.fuzzy, self.matched_name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        place, score, reasons, fuzzy, matched = self._fields()
        return (
            f"Candidate(place={place!r}, score={score!r}, reasons={reasons!r}, fuzzy={fuzzy!r}, "
            f"matched_name={matched!r})"
        )

    def __reduce__(self):
        return (Candidate, self._fields())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (geometry reduced to its type; the full one is in the gazetteer)."""
        p = self.place
        return {
            "id": p.id,
            "name": p.name,
            "matched_name": self.matched_name,
            "feature_type": p.feature_type,
            "lat": p.lat,
            "lon": p.lon,
            "uncertainty_km": p.uncertainty_km,
            "geometry_type": (p.geometry or p.point)["type"],
            "when": p.when,
            "country_codes": list(p.country_codes),
            "population": p.population,
            "links": list(p.links),
            "source": p.source,
            "citation": p.citation,
            "note": p.note,
            "score": self.score,
            "fuzzy": self.fuzzy,
            "reasons": list(self.reasons),
        }

    def to_location(self) -> Location:
        cc = ", ".join(self.place.country_codes)
        address = f"{self.place.name}, {cc}" if cc else self.place.name
        raw = {"place": self.place, "score": self.score, "reasons": list(self.reasons), "fuzzy": self.fuzzy}
        return Location(address, Point(self.place.lat, self.place.lon), raw)


class _NoNetworkAdapter(BaseSyncAdapter):
    """The adapter geopy's base class wants; the offline gazetteer never calls it."""

    def get_json(self, url, *, timeout, headers):
        raise GazetteerError("the offline gazetteer makes no HTTP requests")

    def get_text(self, url, *, timeout, headers):
        raise GazetteerError("the offline gazetteer makes no HTTP requests")


# --- time hints ------------------------------------------------------------------------------------

_YEAR = re.compile(r"^(-?\d{4}|\d{3}[Xx]|\d{2}[Xx]{2})")


def year_span(when: int | str | None) -> tuple[float, float] | None:
    """The years an EDTF date or interval covers: ``1942`` -> (1942, 1942); ``1925/1961``;
    ``194X`` -> (1940, 1949); open ends are infinite. None when it cannot be read."""
    if when is None or when == "":
        return None
    if isinstance(when, int):
        return float(when), float(when)
    from .timespan import EDTFError, span

    try:
        s = span(str(when))
    except EDTFError:
        return None
    lo = -math.inf if s.open_start else float(s.start.year)
    return lo, (math.inf if s.open_end else float(s.end.year))


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _fmt_year(y: float) -> str:
    return ".." if math.isinf(y) else str(int(y))


@dataclass(frozen=True, slots=True)
class _Context:
    points: tuple[tuple[float, float], ...]
    countries: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Within:
    """The container a qualifier names ("Texas" in "Paris, Texas") and its ISO 3166-2 code if it has one
    ("US-TX": GeoNames' US towns carry their state's postal code, so membership is exact there)."""

    place: Place
    code: str

    def holds(self, lat: float, lon: float, countries: tuple[str, ...], code: str) -> bool:
        c = self.place
        if code and self.code:
            if code == self.code:
                return True
            if code.split("-")[0] == "US" == self.code.split("-")[0]:
                return False  # both coded US states: exact
        if c.feature_type == "country":
            return bool(set(countries) & set(c.country_codes))
        if c.country_codes and countries and not set(countries) & set(c.country_codes):
            return False
        return distance_km(lat, lon, c.lat, c.lon) <= c.uncertainty_km


# --- the geocoder ----------------------------------------------------------------------------------


class Gazetteer(Geocoder):
    """Resolve historical place names offline: curated gazetteer first, then the packaged layers
    (``layers``; off with ``geonames=False``), GeoNames cities500 beneath.

    ``online=True`` adds an online geopy service (Nominatim unless ``service`` names another) as a last
    resort for names nothing offline knows; its failures become warnings, never errors.
    ``cache_dir`` holds the GeoNames index and the online cache (default: ``resources.cache_dir()``).
    """

    def __init__(
        self,
        online: bool = False,
        service: str = "nominatim",
        cache_dir: str | Path | None = None,
        *,
        curated_path: str | Path | None = None,
        extra_files: Iterable[str | Path] = (),
        geonames: bool = True,
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        service_options: dict[str, Any] | None = None,
        progress: bool | None = None,
    ):
        super().__init__(user_agent=_user_agent(), timeout=timeout, adapter_factory=_NoNetworkAdapter)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.curated = CuratedSource(curated_path, extra_files)
        self._use_geonames = geonames
        self._geonames: PlaceSource | None = None
        self._progress = progress
        self.online = online
        self.service = service
        self._online_source = None
        self._online_opts = dict(service_options or {})
        self._min_delay = min_delay_seconds
        self.last_warnings: list[str] = []
        self._variant_keys: dict[str, tuple[str, str]] = {}
        self._skeleton_index = None
        # Bounded: a long text meets thousands of distinct names once each (see bench_gazetteer).
        self._has_cache = _LRU(65_536)
        self._lookup_memo = _LRU(16_384)
        self._context_cache = _LRU(4_096)
        self._layers: list[PlaceSource] | None = None
        self._abbreviations: dict[str, list[str]] | None = None
        # bound once: every lazy candidate refers to these two rather than to a bound method of its own
        self._resolve_hit = self._resolve
        self._resolve_row_hit = self._resolve_row

    # -- sources --

    @property
    def geonames(self) -> PlaceSource | None:
        """The GeoNames source, opened (and its index built, once) on first use."""
        if self._geonames is None and self._use_geonames:
            from .sources.geonames import INDEX_NAME, GeoNamesSource

            path = (self.cache_dir or resources.cache_dir()) / INDEX_NAME
            opened = _OPEN_INDEXES.get(path)
            if opened is None:
                opened = _OPEN_INDEXES[path] = GeoNamesSource(path, progress=self._progress)
            self._geonames = opened
        return self._geonames

    @property
    def online_source(self):
        if self._online_source is None and self.online:
            from .sources.online import OnlineSource

            opts = {"cache_dir": self.cache_dir, **self._online_opts}
            self._online_source = OnlineSource(
                self.service, timeout=self.timeout, min_delay_seconds=self._min_delay, **opts
            )
        return self._online_source

    @property
    def layers(self) -> list[PlaceSource]:
        """The packaged layers beside the curated gazetteer: subdivisions, US counties, rivers and lakes,
        continents and seas (opened on first use, once per process and cache folder)."""
        if self._layers is None:
            if not self._use_geonames:
                self._layers = []
                return self._layers
            folder = self.cache_dir or resources.cache_dir()
            opened = _OPEN_LAYERS.get(folder)
            if opened is None:
                from .sources.counties import USCountySource
                from .sources.marine import MarineSource
                from .sources.naturalearth import NaturalEarthSource
                from .sources.subdivisions import SubdivisionSource

                opened = _OPEN_LAYERS[folder] = [
                    SubdivisionSource(folder),
                    USCountySource(folder),
                    NaturalEarthSource(folder),
                    MarineSource(),
                ]
            self._layers = opened
        return self._layers

    def _hit_sources(self) -> list[PlaceSource]:
        """Sources answering with places in hand (all but GeoNames, which answers in rows)."""
        return [self.curated, *self.layers]

    def _offline_sources(self) -> list[PlaceSource]:
        gn = self.geonames
        return [*self._hit_sources(), gn] if gn is not None else self._hit_sources()

    def abbreviations(self) -> dict[str, list[str]]:
        """Abbreviation -> place ids, from ``data/abbreviations.yaml`` (places we do not curate)."""
        if self._abbreviations is None:
            self._abbreviations = _read_abbreviations(resources.package_data_dir() / "abbreviations.yaml")
        return self._abbreviations

    def _abbreviation_hits(self, text: str) -> list[NameHit]:
        akey = abbreviation_key(text)
        if akey is None:
            return []
        found = [h for s in self._hit_sources() for h in s.lookup_abbreviation(akey)]
        for pid in self.abbreviations().get(akey, ()):
            place = self.get(pid)
            if place is not None:
                found.append(NameHit(place, AlternateName(text.strip(), kind="abbreviation")))
        return found

    # -- cheap questions --

    def has_name(self, text: str) -> bool:
        """Whether ``text`` is a name an offline source knows, exactly (folded, or without its articles or
        generic word; abbreviations only in capitals). Cached (bounded)."""
        known = self._has_cache.lookup(text)
        if known is None:
            key = normalize(text)
            sources = self._offline_sources()
            known = bool(key) and any(s.has_key(key) for s in sources)
            if not known and key:
                core, gtype = split_generic(text)
                if gtype and core and core != key:
                    known = any(s.has_key(core) for s in sources)
                bare = bare_key(text)
                if not known and bare and bare != key:
                    known = any(s.has_key(bare) for s in sources)
                if not known:
                    known = bool(self._abbreviation_hits(text))
            self._has_cache.remember(text, known)
        return known

    def get(self, place_id: str) -> Place | None:
        """The place with this id from any source (``itinera:``, ``geonames:``, ``online:``, layer ids)."""
        if place_id.startswith("geonames:"):
            gn = self.geonames
            return gn.get(place_id) if gn else None
        if place_id.startswith("online:"):
            src = self._online_source
            return src.get(place_id) if src else None
        for src in self._hit_sources():
            found = src.get(place_id)
            if found is not None:
                return found
        return None

    def curated_places(self) -> list[Place]:
        return self.curated.places()

    # -- ranked answers --

    def lookup(
        self,
        text: str,
        *,
        when: int | str | None = None,
        context: Sequence[Any] | None = None,
        within: str | Place | None = None,
    ) -> list[Candidate]:
        """Every place an offline source knows under this exact (folded) name, ranked; no fuzzy.

        Tried in turn: the name as written (and, in capitals, as an abbreviation), the name without its
        Arabic articles, and for "Name, Qualifier" the name inside the qualifier's place. ``within`` (a
        name or a ``Place``: a country, region, province or county) favours the places inside it.
        Answers are remembered per (text, when, context, within) in a bounded memo.
        """
        wkey = within.id if isinstance(within, Place) else within
        memo_key = (text, when, _context_key(context) if context else None, wkey)
        found = self._lookup_memo.lookup(memo_key)
        if found is not None:
            return [found] if found.__class__ is Candidate else list(found)
        found = self._lookup(text, when, context, self._container(within) if within else None)
        # one answer is kept as itself, not in a tuple: one object fewer for the garbage collector to visit
        self._lookup_memo.remember(memo_key, found[0] if len(found) == 1 else tuple(found))
        return found

    def _lookup(self, text: str, when, context, within: _Within | None) -> list[Candidate]:
        key = normalize(text)
        if not key:
            return []
        core, gtype = split_generic(text)
        gn = self.geonames
        sources = self._hit_sources()
        hits = [(s.lookup(key), False) for s in sources]
        abbreviated = self._abbreviation_hits(text)
        if abbreviated:
            hits.append((abbreviated, False))
        rows = [(gn.entries(key), False)] if gn is not None else []
        if gtype and core and core != key:
            hits.extend((s.lookup(core), True) for s in sources)
            if gn is not None:
                rows.append((gn.entries(core), True))
        if not any(h for h, _ in hits) and not any(r for r, _ in rows):
            bare = bare_key(text)
            if bare and bare != key:
                hits = [([NameHit(h.place, h.name, h.generic, True) for h in s.lookup(bare)], False)
                        for s in sources]  # fmt: skip
                rows = [([(r, n | _BARE) for r, n in gn.entries(bare)], False)] if gn is not None else []
        ranked = self._rank(hits, query=text, gtype=gtype, when=when, context=context, key=key, rows=rows,
                            within=within)  # fmt: skip
        if not ranked and within is None and "," in text:
            name, _, qualifier = text.rpartition(",")
            container = self._container(qualifier)
            if container is not None and normalize(name):
                return self._lookup(name, when, context, container)
        return [e[3] for e in ranked]

    def _container(self, within: str | Place) -> _Within | None:
        """The place a qualifier names, if it is a country, region, province, county or continent."""
        if isinstance(within, Place):
            place = within
        else:
            found = self.lookup(within.strip())
            place = next((c.place for c in found if c.place.feature_type in CONTAINER_TYPES), None)
            if place is None:
                return None
        return _Within(place, _region_code(place))

    def lookup_variant(
        self,
        name: str,
        *,
        near: Sequence[tuple[float, float]] = (),
        countries: Iterable[str] = (),
        max_km: float = VARIANT_MAX_KM,
        when: int | str | None = None,
        limit: int = 5,
    ) -> list[Candidate]:
        """Places an old or transliterated spelling may mean, searched only near the given points or in
        the given countries (the geoparser passes its document's confident places and countries).

        First the name itself (folded, without articles) among the places there; failing that, places
        there whose name has the same consonant skeleton (``names.skeleton``: "Bassora" ~ "Basra",
        "Coot" ~ "Kut") and is close enough letter by letter. A skeleton of one or two consonants is weak
        evidence, so it may only name a place of some size (a city of 100,000 or more, or a region, sea
        or river). Results are marked fuzzy and say why; nothing is returned without ``near`` or
        ``countries``.
        """
        from rapidfuzz import fuzz

        points = [(float(a), float(b)) for a, b in near]
        ccs = frozenset(c.upper() for c in countries)
        if not points and not ccs:
            return []
        key = bare_key(name)
        sk = skeleton(name)
        if not key:
            return []
        by_skeleton = len(sk) >= 2  # a lone consonant ("Hit": "t") allows only the name itself
        mapped = _skeleton_letters(key)
        weak = len(sk) <= 2
        region = ", ".join(sorted(ccs)) if ccs else ""
        where_said = (f"within {max_km:g} km of the text's places" if points else "") + (
            f"{' or ' if points else ''}in {region}" if region else ""
        )
        places: dict[str, tuple[Place, str]] = {}  # id -> (place, the name that matched)

        def matches(n: str) -> bool:
            k, n_sk = self._name_keys(n)
            return bool(k) and (k == key or (by_skeleton and n_sk == sk))

        def consider(place: Place, names: Iterable[str]) -> None:
            for n in names:
                k, n_sk = self._name_keys(n)
                if not k:
                    continue
                if k == key or (by_skeleton and n_sk == sk and abs(len(k) - len(key)) <= 3
                                and fuzz.ratio(mapped, _skeleton_letters(k)) >= 50):  # fmt: skip
                    if weak and k != key and not _sizeable(place):
                        continue
                    prev = places.get(place.id)
                    if prev is None or (k == key and bare_key(prev[1]) != key):
                        places[place.id] = (place, n)

        for src in self._hit_sources():
            for p in src.places_named_near(key, sk if by_skeleton else "", points, max_km, ccs):
                consider(p, (a.name for a in p.all_names() if a.kind != "abbreviation"))
        gn = self.geonames
        if gn is not None:
            import numpy as np

            # rows named like the query (its key or, when long enough, its skeleton), then only those
            # in the region asked about
            named = [np.array([r for r, _ in gn.entries(key)], dtype=np.int64)]
            if by_skeleton:
                named.append(self._skeletons().rows(sk).astype(np.int64))
            rows = np.unique(np.concatenate(named))
            keep = np.zeros(rows.size, dtype=bool)
            if rows.size:
                from .distance import distance_matrix_km

                lats, lons = gn.rows_points(rows)
                if points:
                    plats, plons = zip(*points, strict=True)
                    keep |= (distance_matrix_km(plats, plons, lats, lons) <= max_km).any(axis=0)
                if ccs:
                    keep |= np.isin(rows, gn.rows_in(ccs))
            rows = rows[keep]
            for row in rows.tolist():
                names = [n for n in gn.row_names(row) if matches(n)]
                if names:  # a Place is built only for the rows that match
                    consider(gn.place(row), names)
        if not places:
            return []
        span = year_span(when)
        ctx = _Context(tuple(points), ccs)
        out = []
        for place, matched in places.values():
            exact = bare_key(matched) == key
            alt = AlternateName(matched, kind="preferred" if matched == place.name else "variant")
            where = (place.lat, place.lon, place.country_codes, "")
            reasons: list[str] = []
            flags = (False, False, False, False)
            score = self._score(place.source, place.feature_type, place.population, place.when, alt, flags,
                                None, span, ctx if points else None, where, None, reasons)  # fmt: skip
            if exact:
                why = f"same name as {matched!r} once folded, {where_said}"
            else:
                why = f"spelling variant: {name!r} ~ {matched!r} (consonants {sk!r}), {where_said}"
                score *= FUZZY_FACTOR
            out.append(Candidate(place, round(score, 4), (why, *reasons), True, matched))
        out.sort(key=lambda c: (-c.score, -c.place.population, c.place.id))
        return out[:limit]

    def _skeletons(self):
        """The GeoNames rows by consonant skeleton (``sources.variants``), opened on first use."""
        if self._skeleton_index is None:
            from .sources.variants import SkeletonIndex

            self._skeleton_index = SkeletonIndex(self.geonames)
        return self._skeleton_index

    def _name_keys(self, name: str) -> tuple[str, str]:
        """A name's article-free key and consonant skeleton. Remembered per name (bounded): the
        spelling-variant search compares every name of every place in a region, and the same regions'
        names come back document after document whatever the text says."""
        got = self._variant_keys.get(name)
        if got is None:
            if len(self._variant_keys) >= VARIANT_KEYS_MAX:
                self._variant_keys.clear()
            got = self._variant_keys[name] = (bare_key(name), skeleton(name))
        return got

    def candidates(
        self,
        query: str,
        *,
        when: int | str | None = None,
        context: Sequence[Any] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
        timeout: float | None = None,
    ) -> list[Candidate]:
        """Ranked candidates: exact offline matches; else fuzzy ones; online (if enabled) when still none."""
        self.last_warnings = []
        found = self.lookup(query, when=when, context=context)
        if not found and self.online:
            found = self._online_candidates(query, when, context, timeout)
        if not found and fuzzy:
            found = self._fuzzy(query, when, context, limit)
        return found[:limit]

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        when: int | str | None = None,
        context: Sequence[Any] | None = None,
        timeout: float | None = DEFAULT_SENTINEL,
        *,
        limit: int = 10,
    ) -> Location | list[Location] | None:
        """geopy's ``geocode``: a ``Location`` (``raw`` holds place, score, reasons, fuzzy), a ranked list
        with ``exactly_one=False``, or None when nothing matches."""
        t = None if timeout is DEFAULT_SENTINEL else timeout
        found = self.candidates(str(query), when=when, context=context, limit=limit, timeout=t)
        if not found:
            return None
        if exactly_one:
            return found[0].to_location()
        return [c.to_location() for c in found]

    def resolve(self, query: str, **kwargs: Any) -> Candidate:
        """The best candidate, or ``PlaceNotFound`` carrying the nearest names."""
        found = self.candidates(query, **kwargs)
        if not found:
            raise PlaceNotFound(query, self.suggest(query))
        return found[0]

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """The ``n`` known names nearest ``text`` (for "did you mean"), best first, distinct."""
        from rapidfuzz import fuzz, process

        key = normalize(text)
        if not key:
            return []
        scored: list[tuple[float, str, str]] = []
        for src in self._offline_sources():
            for k, sim, _ in process.extract(
                key, src.fuzzy_choices(key, 55), scorer=fuzz.ratio, limit=n * 3, score_cutoff=55
            ):
                for hit in src.lookup(k)[:3]:
                    bonus = 5 if src is self.curated else 0
                    scored.append((sim + bonus, hit.place.id, hit.place.name))
        out: list[str] = []
        seen: set[str] = set()
        for _, pid, name in sorted(scored, key=lambda t: -t[0]):
            if pid not in seen and name not in out:
                seen.add(pid)
                out.append(name)
        return out[:n]

    # -- internals --

    def _fuzzy(self, query: str, when, context, limit: int) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        key = normalize(query)
        if len(key) < 4:
            return []
        cutoff = 88 if len(key) < 7 else 80
        hits: list[tuple[list[NameHit], bool]] = []
        rows: list[tuple[list[tuple[int, int]], bool]] = []
        sims: dict[str, float] = {}
        gn = self.geonames
        for src in self._offline_sources():
            for k, sim, _ in process.extract(
                key, src.fuzzy_choices(key, cutoff), scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
            ):
                if src is gn:
                    entries = gn.entries(k)
                    for row, _ in entries:
                        pid = gn.row_id(row)
                        sims[pid] = max(sims.get(pid, 0.0), sim)
                    rows.append((entries, False))
                else:
                    found = src.lookup(k)
                    for hit in found:
                        sims[hit.place.id] = max(sims.get(hit.place.id, 0.0), sim)
                    hits.append((found, False))
        ranked = self._rank(hits, query=query, gtype=None, when=when, context=context, key=key, rows=rows)
        out = []
        for _, _, pid, c, _ in ranked:
            sim = sims.get(pid, 0.0)
            out.append(
                Candidate._lazy(
                    round(c.score * FUZZY_FACTOR * sim / 100, 4), True, _fuzzy_resolve, (c, query, sim)
                )
            )
        out.sort(key=lambda c: -c.score)
        return out

    def _online_candidates(self, query: str, when, context, timeout) -> list[Candidate]:
        src = self.online_source
        if src is None:
            return []
        try:
            hits = src.search(query, timeout=timeout)
        except ServiceUnavailable as exc:
            msg = f"online geocoder unavailable, using the offline answer: {exc}"
            self.last_warnings.append(msg)
            warnings.warn(msg, OnlineServiceWarning, stacklevel=3)
            return []
        ranked = self._rank([(hits, False)], query=query, gtype=None, when=when, context=context,
                            key=normalize(query))  # fmt: skip
        return [e[3] for e in ranked]

    def _rank(
        self,
        hits: list[tuple[list[NameHit], bool]],
        *,
        query: str,
        gtype: str | None,
        when,
        context,
        key: str,
        rows: list[tuple[list[tuple[int, int]], bool]] = (),
        within: _Within | None = None,
    ) -> list[tuple]:
        """Score and order places found under a key, best first, as (score, population, place id,
        candidate, GeoNames row or -1).

        ``hits`` are places in hand, ``rows`` GeoNames rows (row, name number) from ``entries``; each
        group comes with ``via_core`` (found under the query without its generic word). Rows are
        scored on the index's columns: no ``Place`` is built here.
        """
        span = year_span(when)
        ctx = self._context(context, key) if context else None
        # per place id: (score, population, id, candidate, row or -1), the best score (first on a tie)
        best: dict[str, tuple] = {}
        held: dict[str, Place] = {}  # the places in hand, so that no lazy candidate is forced to read them
        the = query.lstrip()[:4].lower() == "the "
        for group, via_core in hits:
            for hit in group:
                p, name = hit.place, hit.name
                held[p.id] = p
                where = (p.lat, p.lon, p.country_codes, _region_code(p)) if ctx or within else None
                flags = (hit.generic, hit.bare, via_core, the)
                score = self._score(p.source, p.feature_type, p.population, p.when, name, flags, gtype, span,
                                    ctx, where, within)  # fmt: skip
                prev = best.get(p.id)
                if prev is None or score > prev[0]:
                    args = (p, name, flags, gtype, span, ctx, within)
                    best[p.id] = (
                        score,
                        p.population,
                        p.id,
                        Candidate._lazy(score, False, self._resolve_hit, args),
                        -1,
                    )
        if len(best) > 1:
            _drop_twins(best, held)
        for group, _ in rows:
            if group:
                found = self._rank_rows(rows, [held[pid] for pid in best], gtype, span, ctx, within)
                if best:
                    best.update(found)
                    self._demote_named_after_towns(best, held)
                else:
                    best = found
                break
        if len(best) <= 1:
            return list(best.values())
        return sorted(best.values(), key=_order)

    def _demote_named_after_towns(self, best: dict[str, tuple], held: dict[str, Place]) -> None:
        """A subdivision that shares its name with a city of 50,000 or more inside it (Basra, Ismailia,
        Moscow Oblast) is named after that city, and a text naming it means the city more often than not."""
        gn = self.geonames
        towns = [(e[1], e[4]) for e in best.values() if e[4] >= 0 and e[1] >= CHIEF_TOWN_POPULATION]
        if not towns:
            return
        for pid, p in held.items():
            if pid not in best or p.source not in ("subdivisions", "uscounties"):
                continue
            for pop, row in towns:
                lat, lon = gn.row_point(row)
                if (
                    set(gn.row_countries(row)) & set(p.country_codes)
                    and distance_km(lat, lon, p.lat, p.lon) <= p.uncertainty_km
                ):
                    e = best[pid]
                    score = round(max(0.0, e[0] - CHIEF_TOWN_PENALTY), 4)
                    why = f"named after its chief town, {gn.row_name(row)} (population {pop:,})"
                    demoted = Candidate._lazy(score, False, _add_reason, (e[3], why))
                    best[pid] = (score, e[1], e[2], demoted, -1)
                    break

    def _rank_rows(self, rows, others: list[Place], gtype, span, ctx, within) -> dict[str, tuple]:
        """``_rank`` for GeoNames rows; ``others`` (places from other sources) hide their GeoNames twins."""
        gn = self.geonames
        plain = gtype is None and ctx is None and within is None
        out: dict[str, tuple] = {}
        for group, via_core in rows:
            for row, number in group:
                pid, pop, ftype = gn.row_summary(row)
                bare = number >= _BARE
                if plain and not bare:
                    score = _plain_row_score(number == 0, ftype, pop)
                else:
                    where = None
                    if ctx is not None or within is not None:
                        cc = gn.row_countries(row)
                        code = f"US-{gn.row_admin1(row)}" if cc == ("US",) else ""
                        where = (*gn.row_point(row), cc, code)
                    name = _PREFERRED if (number & (_BARE - 1)) == 0 else _VARIANT
                    flags = (False, bare, via_core, False)
                    score = self._score("geonames", ftype, pop, None, name, flags, gtype, span, ctx, where,
                                        within)  # fmt: skip
                prev = out.get(pid)
                if prev is None or score > prev[0]:
                    args = (row, number, via_core, gtype, span, ctx, within)
                    out[pid] = (
                        score,
                        pop,
                        pid,
                        Candidate._lazy(score, False, self._resolve_row_hit, args),
                        row,
                    )
        if others:
            # A GeoNames entry for a place we hold is the same place: keep only ours. Same place means
            # linked by id, or the same type within the other's radius (a county's seat town stays).
            twins = others
            linked = {link.replace("gn:", "geonames:") for k in twins for link in k.links}
            for pid, entry in list(out.items()):
                ftype = gn.row_feature_type(entry[4])
                lat, lon = gn.row_point(entry[4])
                if pid in linked or any(
                    k.feature_type == ftype
                    and distance_km(lat, lon, k.lat, k.lon) <= max(k.uncertainty_km, 20.0)
                    for k in twins
                ):
                    del out[pid]
        return out

    def _resolve(self, p: Place, name, flags, gtype, span, ctx, within) -> tuple[Place, tuple[str, ...], str]:
        """A candidate's place, reasons and matched name, when first asked for."""
        reasons: list[str] = []
        where = (p.lat, p.lon, p.country_codes, _region_code(p)) if ctx or within else None
        self._score(p.source, p.feature_type, p.population, p.when, name, flags, gtype, span, ctx, where,
                    within, reasons)  # fmt: skip
        return p, tuple(reasons), name.name

    def _resolve_row(
        self, row: int, number: int, via_core, gtype, span, ctx, within
    ) -> tuple[Place, tuple[str, ...], str]:
        gn = self.geonames
        hit = gn.name_hit(row, number)
        p = hit.place
        reasons: list[str] = []
        where = None
        if ctx is not None or within is not None:
            code = f"US-{gn.row_admin1(row)}" if p.country_codes == ("US",) else ""
            where = (p.lat, p.lon, p.country_codes, code)
        flags = (False, hit.bare, via_core, False)
        self._score(p.source, p.feature_type, p.population, p.when, hit.name, flags, gtype, span, ctx, where,
                    within, reasons)  # fmt: skip
        return p, tuple(reasons), hit.name.name

    def _score(
        self,
        source: str,
        ftype: str,
        population: int,
        place_when: str | None,
        name: AlternateName,
        flags: tuple[bool, bool, bool, bool],
        gtype: str | None,
        span: tuple[float, float] | None,
        ctx: _Context | None,
        where: tuple[float, float, tuple[str, ...], str] | None,
        within: _Within | None = None,
        reasons: list[str] | None = None,
    ) -> float:
        """A place's score for one of its names. ``flags`` are (generic, bare, via_core, the): matched
        without the place's generic word, without articles, through the query's generic word; the query
        began with "the" ("the Gulf", "the Tigris": a natural feature or a region, not a town).
        ``where`` (lat, lon, countries, ISO 3166-2 code) is needed only with a context or a container.
        With ``reasons`` (a list) each step also says why; without, no text is made."""
        generic, bare, via_core, the = flags
        src = source.split(":")[0]
        score = SOURCE_BASE.get(src, 0.3)
        if reasons is not None:
            reasons.append(
                f"user gazetteer ({source[5:]})" if src == "user" else _SOURCE_REASON.get(src, source)
            )
        if name.kind in ("preferred", "abbreviation"):
            score += 0.15
            if reasons is not None:
                what = "preferred name" if name.kind == "preferred" else "abbreviation (in capitals)"
                reasons.append(f"{what} {name.name!r}")
        else:
            score += VARIANT_NAME
            if reasons is not None:
                reasons.append(f"{name.kind} name {name.name!r}")
        if generic:
            if ftype != "river":
                score -= GENERIC_PENALTY
            if reasons is not None:
                reasons.append(f"name without its generic word ({ftype})")
        if bare:
            score -= BARE_PENALTY
            if reasons is not None:
                reasons.append("matched without the Arabic article (al-, el-...)")
        if via_core or gtype:
            if types_agree(gtype, ftype):
                score += 0.10
                if reasons is not None:
                    reasons.append(f"the query names a {gtype}, as this place is")
            else:
                score -= 0.10
                if reasons is not None:
                    reasons.append(f"the query names a {gtype}, this is a {ftype}")
        if the and ftype in THE_TYPES:
            score += THE_BONUS
            if reasons is not None:
                reasons.append(f"'the' before the name suits a {ftype}")
        prior = TYPE_PRIOR.get(ftype, 0.01)
        score += prior
        if reasons is not None and prior >= 0.08:
            reasons.append(f"a {ftype} ranks above a same-named settlement")
        if population > 0:
            score += POPULATION_WEIGHT * min(1.0, max(0.0, (math.log10(population) - 2.0) / 5.0))
            if reasons is not None:
                reasons.append(f"population {population:,}")
        if span is not None and (name.when is not None or place_when is not None):
            score += self._time_score(place_when, name, span, reasons)
        if ctx is not None and ctx.points:
            score += self._context_score(*where[:3], ctx, reasons)
        if within is not None:
            if within.holds(*where):
                score += WITHIN_BONUS
                if reasons is not None:
                    reasons.append(f"in {within.place.name}, as the query says")
            else:
                score -= WITHIN_BONUS
                if reasons is not None:
                    reasons.append(f"not in {within.place.name}, which the query names")
        return round(max(0.0, min(1.0, score)), 4)

    @staticmethod
    def _time_score(
        place_when: str | None, name, span: tuple[float, float], reasons: list[str] | None
    ) -> float:
        delta = 0.0
        asked = _fmt_year(span[0]) if span[0] == span[1] else f"{_fmt_year(span[0])}-{_fmt_year(span[1])}"
        nspan = year_span(name.when)
        if nspan is not None:
            if _overlaps(nspan, span):
                delta += 0.10
                if reasons is not None:
                    reasons.append(f"name {name.name!r} in use {name.when}, covering {asked}")
            else:
                delta -= 0.15
                if reasons is not None:
                    reasons.append(f"name {name.name!r} in use {name.when}, not in {asked}")
        pspan = year_span(place_when)
        if pspan is not None:
            if _overlaps(pspan, span):
                delta += 0.03
                if reasons is not None:
                    reasons.append(f"place existed {place_when}, covering {asked}")
            else:
                delta -= 0.20
                if reasons is not None:
                    reasons.append(f"place existed {place_when} only, not in {asked}")
        return delta

    @staticmethod
    def _context_score(
        lat: float, lon: float, countries: tuple[str, ...], ctx: _Context, reasons: list[str] | None
    ) -> float:
        dists = sorted(distance_km(lat, lon, clat, clon) for clat, clon in ctx.points)
        median = dists[len(dists) // 2]
        delta = 0.15 * max(0.0, 1.0 - median / 6000.0)
        if reasons is not None:
            if delta > 0.005:
                reasons.append(f"near the text's other places (median {median:,.0f} km)")
            else:
                reasons.append(f"far from the text's other places (median {median:,.0f} km)")
        if ctx.countries and set(countries) & ctx.countries:
            delta += 0.05
            if reasons is not None:
                reasons.append("same country as other places in the text")
        return delta

    def _context(self, context: Sequence[Any], exclude_key: str) -> _Context:
        points: list[tuple[float, float]] = []
        countries: set[str] = set()
        for item in context:
            if isinstance(item, Place):
                points.append((item.lat, item.lon))
                countries.update(item.country_codes)
                continue
            if isinstance(item, tuple) and len(item) == 2:
                points.append((float(item[0]), float(item[1])))
                continue
            text = str(item)
            k = normalize(text)
            if not k or k == exclude_key:
                continue
            got = self._context_cache.lookup(text)
            if got is None:
                found = self.lookup(text)
                top = found[0].place if found else None
                got = (top.lat, top.lon, ",".join(top.country_codes)) if top is not None else ()
                self._context_cache.remember(text, got)
            if got:
                points.append((got[0], got[1]))
                countries.update(c for c in got[2].split(",") if c)
        return _Context(tuple(points), frozenset(countries))


def _plain_row_score(preferred: bool, ftype: str, population: int) -> float:
    """``Gazetteer._score`` of a GeoNames place with no generic word, article, time hint, context or
    container to weigh (GeoNames names carry no period, so a time hint changes nothing): the same sums in
    the same order, hence the same float, without the general function's cost."""
    score = SOURCE_BASE["geonames"]
    score += 0.15 if preferred else VARIANT_NAME
    score += TYPE_PRIOR.get(ftype, 0.01)
    if population > 0:
        score += POPULATION_WEIGHT * min(1.0, max(0.0, (math.log10(population) - 2.0) / 5.0))
    return round(max(0.0, min(1.0, score)), 4)


_SKELETON_LETTERS = str.maketrans({"c": "k", "q": "k", "g": "k", "z": "s", "v": "f", "p": "b"})


def _skeleton_letters(key: str) -> str:
    """A key with the letters transliterations swap made one (as ``names.skeleton`` does), vowels kept."""
    return key.translate(_SKELETON_LETTERS)


def _sizeable(p: Place) -> bool:
    """Whether a place is big enough to be named by a weak (one- or two-consonant) spelling variant."""
    return p.feature_type not in ("settlement", "military base", "building") or p.population >= 100_000


def _region_code(p: Place) -> str:
    """A place's ISO 3166-2 code where we know it exactly: a subdivision's own, a US county's state's."""
    if p.id.startswith("iso3166-2:"):
        return p.id.split(":", 1)[1]
    if p.source == "uscounties":
        return p.description
    return ""


def _drop_twins(best: dict[str, tuple], held: dict[str, Place]) -> None:
    """A packaged layer's entry for a place we curate is the same place (same type, within our radius):
    keep only the curated one."""
    curated = [p for pid, p in held.items() if pid in best and p.source.split(":")[0] in ("curated", "user")]
    if not curated:
        return
    for pid in list(best):
        p = held[pid]
        if p.source in _LAYER_SOURCES and any(
            k.feature_type == p.feature_type
            and distance_km(p.lat, p.lon, k.lat, k.lon) <= max(k.uncertainty_km, 20.0)
            for k in curated
        ):
            del best[pid]


def _read_abbreviations(path: Path) -> dict[str, list[str]]:
    """``data/abbreviations.yaml``: abbreviation -> place ids (case kept: the key is matched in capitals)."""
    import yaml

    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from exc
    out: dict[str, list[str]] = {}
    for i, entry in enumerate(data.get("abbreviations") or []):
        try:
            forms, ids = entry["forms"], entry["places"]
        except (KeyError, TypeError) as exc:
            raise GazetteerError(f"{path}: abbreviations[{i}] needs forms and places") from exc
        for form in forms:
            key = abbreviation_key(str(form))
            if key is None:
                raise GazetteerError(f"{path}: abbreviations[{i}]: {form!r} is not written in capitals")
            out.setdefault(key, []).extend(str(x) for x in ids)
    return out


def _order(entry: tuple) -> tuple:
    """Best score first, then the larger population, then the id (a stable, total order)."""
    return (-entry[0], -entry[1], entry[2])


def _add_reason(c: Candidate, reason: str) -> tuple[Place, tuple[str, ...], str]:
    return c.place, (*c.reasons, reason), c.matched_name


def _fuzzy_resolve(c: Candidate, query: str, sim: float) -> tuple[Place, tuple[str, ...], str]:
    reason = f"fuzzy match: {query!r} ~ {c.matched_name!r} (similarity {sim:.0f}%)"
    return c.place, (reason, *c.reasons), c.matched_name


def _context_key(context: Sequence[Any] | None) -> tuple | None:
    """A hashable stand-in for a context list (places by id: their geometry dicts do not hash)."""
    if not context:
        return None
    return tuple(
        ("place", c.id) if isinstance(c, Place) else tuple(c) if isinstance(c, tuple) else str(c)
        for c in context
    )


def _user_agent() -> str:
    """``itinera/<version>``: services such as Nominatim require an identifying agent."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"itinera/{version('itinera')}"
    except PackageNotFoundError:
        return "itinera/dev"
