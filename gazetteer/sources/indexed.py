"""Places held in memory and indexed by name: what the curated gazetteer and the small packaged layers
(subdivisions, counties, rivers and lakes, seas and continents) share.

Each name is indexed under its key, its key without Arabic articles (``bare``) and, where a generic word
fits the place's type, its key without that word ("Ussuri" for the Ussuri River). Abbreviations ("USSR",
"U.S.") go to a separate, case-sensitive index instead: folded to "us", "U.S." would match the pronoun.

The places are kept as plain tuples and a ``Place`` is built when a caller reads one (and kept in a
bounded cache): ten thousand subdivisions, counties and rivers as objects would be walked by every full
garbage collection of the process, tuples of strings and numbers are not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import lru_cache

import numpy as np

from ..distance import distances_km
from ..names import abbreviation_key, bare_key, generic_variants, normalize, skeleton
from ..places import AlternateName, Place
from .base import NameHit, PlaceSource

_FIELDS = tuple(f.name for f in fields(Place))
_ALTS = _FIELDS.index("alternate_names")
_ID, _NAME, _FTYPE, _CC = (_FIELDS.index(f) for f in ("id", "name", "feature_type", "country_codes"))
# (place number, name number: 0 its own, n its n-th alternate; generic, bare)
_Entry = tuple[int, int, bool, bool]


def _row(p: Place) -> tuple:
    """A place as a tuple of its fields, alternate names as (name, lang, when, kind) tuples."""
    values = [getattr(p, f) for f in _FIELDS]
    values[_ALTS] = tuple((a.name, a.lang, a.when, a.kind) for a in p.alternate_names)
    return tuple(values)


def _all_names(row: tuple) -> list[AlternateName]:
    return [AlternateName(row[_NAME], kind="preferred"), *(AlternateName(*a) for a in row[_ALTS])]


class IndexedSource(PlaceSource):
    """A fixed set of places, indexed once by every name key."""

    label = "indexed"

    def __init__(self, places: Iterable[Place]):
        by_id: dict[str, tuple] = {}
        for p in places:
            by_id[p.id] = _row(p)  # a later place with the same id replaces the earlier (user corrections)
        rows = list(by_id.values())
        self._rows = rows
        self._number = {r[_ID]: i for i, r in enumerate(rows)}
        self._place = lru_cache(maxsize=8192)(self._make_place)
        # Entries are tuples of ints and flags, not NameHit objects, for the same reason as the rows.
        index: dict[str, list[_Entry]] = defaultdict(list)
        abbreviations: dict[str, list[_Entry]] = defaultdict(list)
        for i, row in enumerate(rows):
            seen: set[tuple[str, str]] = set()
            for j, alt in enumerate(_all_names(row)):
                if alt.kind == "abbreviation":
                    akey = abbreviation_key(alt.name)
                    if akey is not None:
                        abbreviations[akey].append((i, j, False, False))
                        continue
                key = normalize(alt.name)
                if key and (key, alt.name) not in seen:
                    seen.add((key, alt.name))
                    index[key].append((i, j, False, False))
                bare = bare_key(alt.name)
                if bare and bare != key and (bare, alt.name) not in seen:
                    seen.add((bare, alt.name))
                    index[bare].append((i, j, False, True))
                for core in generic_variants(alt.name, row[_FTYPE]):
                    if (core, alt.name) not in seen:
                        seen.add((core, alt.name))
                        index[core].append((i, j, True, False))
        self._index = {k: tuple(v) for k, v in index.items()}
        self._skeletons: dict[str, tuple[int, ...]] | None = None
        self._abbreviations = {k: tuple(v) for k, v in abbreviations.items()}
        self._keys = sorted(self._index)
        self._key_array = np.array(self._keys, dtype=object)
        self._key_lengths = np.array([len(k) for k in self._keys], dtype=np.int32)
        self._key_masks: np.ndarray | None = None  # letter masks, made on the first fuzzy search
        self._lats = np.array([r[_FIELDS.index("lat")] for r in rows], dtype=float)
        self._lons = np.array([r[_FIELDS.index("lon")] for r in rows], dtype=float)

    def _make_place(self, i: int) -> Place:
        values = dict(zip(_FIELDS, self._rows[i], strict=True))
        values["alternate_names"] = tuple(AlternateName(*a) for a in values["alternate_names"])
        return Place(**values)

    def _hits(self, entries: tuple[_Entry, ...]) -> list[NameHit]:
        out = []
        for i, j, generic, bare in entries:
            place = self._place(i)
            name = AlternateName(place.name, kind="preferred") if j == 0 else place.alternate_names[j - 1]
            out.append(NameHit(place, name, generic, bare))
        return out

    def __len__(self) -> int:
        return len(self._rows)

    def places(self) -> list[Place]:
        return [self._place(i) for i in range(len(self._rows))]

    def lookup(self, key: str) -> list[NameHit]:
        entries = self._index.get(key)
        return self._hits(entries) if entries else []

    def lookup_abbreviation(self, abbreviation: str) -> list[NameHit]:
        entries = self._abbreviations.get(abbreviation)
        return self._hits(entries) if entries else []

    def has_key(self, key: str) -> bool:
        return key in self._index

    def get(self, place_id: str) -> Place | None:
        i = self._number.get(place_id)
        return None if i is None else self._place(i)

    def places_named_near(
        self, key: str, sk: str, points: Sequence[tuple[float, float]], km: float, countries: frozenset[str]
    ) -> list[Place]:
        """Places with a name whose article-free key is ``key`` or whose consonant skeleton is ``sk``
        (when given), within ``km`` of one of ``points`` or in one of ``countries``."""
        numbers = {n for n, *_ in self._index.get(key, ())}
        if sk:
            numbers.update(self._by_skeleton().get(sk, ()))
        out = []
        lats, lons = zip(*points, strict=True) if points else ((), ())
        for i in sorted(numbers):
            r = self._rows[i]
            near = bool(points) and min(distances_km(self._lats[i], self._lons[i], lats, lons)) <= km
            if near or countries.intersection(r[_CC]):
                out.append(self._place(i))
        return out

    def _by_skeleton(self) -> dict[str, tuple[int, ...]]:
        """Place numbers by the consonant skeleton of each of their names (built on first use)."""
        if self._skeletons is None:
            index: dict[str, set[int]] = defaultdict(set)
            for i, r in enumerate(self._rows):
                for a in _all_names(r):
                    if a.kind != "abbreviation":
                        index[skeleton(a.name)].add(i)
            self._skeletons = {k: tuple(sorted(v)) for k, v in index.items()}
        return self._skeletons

    def places_near(self, lat: float, lon: float, km: float) -> list[Place]:
        if not self._rows:
            return []
        near = np.flatnonzero(distances_km(lat, lon, self._lats, self._lons) <= km)
        return [self._place(i) for i in near.tolist()]

    def places_in(self, countries: frozenset[str]) -> list[Place]:
        return [self._place(i) for i, r in enumerate(self._rows) if countries.intersection(r[_CC])]

    def fuzzy_choices(self, key: str, min_similarity: float = 0.0) -> Sequence[str]:
        """Every key that length and letters allow at ``min_similarity`` (no letter is required to match,
        so a typo in the first letter still finds them).

        ``ratio`` >= s means an Indel distance <= (1 - s/100) * (len(key) + len(other)), which bounds both
        the length difference and the letters that differ (``geonames.letter_mask``: one insertion or
        deletion flips at most one bit), so neither filter drops a key the ratio would accept.
        """
        if min_similarity <= 0:
            return self._keys
        from .geonames import letter_mask

        if self._key_masks is None:
            self._key_masks = np.array([letter_mask(k) for k in self._keys], dtype=np.uint64)
        share = (100 - min_similarity) / 100
        budget = share * (len(key) + self._key_lengths) + 1e-9  # 1e-9: float rounding
        ok = np.abs(self._key_lengths - len(key)) <= budget
        ok &= np.bitwise_count(self._key_masks ^ np.uint64(letter_mask(key))) <= budget
        return self._key_array[ok].tolist()
