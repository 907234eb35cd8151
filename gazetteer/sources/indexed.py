"""Places held in memory and indexed by name: what the curated gazetteer and the small packaged layers
(subdivisions, counties, rivers and lakes, seas and continents) share.

Each name is indexed under its key, its key without Arabic articles (``bare``) and, where a generic word
fits the place's type, its key without that word ("Ussuri" for the Ussuri River). Abbreviations ("USSR",
"U.S.") go to a separate, case-sensitive index instead: folded to "us", "U.S." would match the pronoun.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from ..distance import distances_km
from ..names import abbreviation_key, bare_key, generic_variants, normalize
from ..places import Place
from .base import NameHit, PlaceSource


class IndexedSource(PlaceSource):
    """A fixed set of places, indexed once by every name key."""

    label = "indexed"

    def __init__(self, places: Iterable[Place]):
        self._places: dict[str, Place] = {}
        for p in places:
            self._places[p.id] = p
        index: dict[str, list[NameHit]] = defaultdict(list)
        abbreviations: dict[str, list[NameHit]] = defaultdict(list)
        for place in self._places.values():
            seen: set[tuple[str, str]] = set()
            for alt in place.all_names():
                if alt.kind == "abbreviation":
                    akey = abbreviation_key(alt.name)
                    if akey is not None:
                        abbreviations[akey].append(NameHit(place, alt))
                        continue
                key = normalize(alt.name)
                if key and (key, alt.name) not in seen:
                    seen.add((key, alt.name))
                    index[key].append(NameHit(place, alt))
                bare = bare_key(alt.name)
                if bare and bare != key and (bare, alt.name) not in seen:
                    seen.add((bare, alt.name))
                    index[bare].append(NameHit(place, alt, bare=True))
                for core in generic_variants(alt.name, place.feature_type):
                    if (core, alt.name) not in seen:
                        seen.add((core, alt.name))
                        index[core].append(NameHit(place, alt, generic=True))
        self._index = dict(index)
        self._abbreviations = dict(abbreviations)
        self._keys = sorted(self._index)
        self._key_array = np.array(self._keys, dtype=object)
        self._key_lengths = np.array([len(k) for k in self._keys], dtype=np.int32)
        listed = list(self._places.values())
        self._listed = listed
        self._lats = np.array([p.lat for p in listed], dtype=float)
        self._lons = np.array([p.lon for p in listed], dtype=float)

    def __len__(self) -> int:
        return len(self._places)

    def places(self) -> list[Place]:
        return list(self._places.values())

    def lookup(self, key: str) -> list[NameHit]:
        return list(self._index.get(key, ()))

    def lookup_abbreviation(self, abbreviation: str) -> list[NameHit]:
        return list(self._abbreviations.get(abbreviation, ()))

    def has_key(self, key: str) -> bool:
        return key in self._index

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def places_near(self, lat: float, lon: float, km: float) -> list[Place]:
        if not self._listed:
            return []
        near = np.flatnonzero(distances_km(lat, lon, self._lats, self._lons) <= km)
        return [self._listed[i] for i in near.tolist()]

    def places_in(self, countries: frozenset[str]) -> list[Place]:
        return [p for p in self._listed if countries.intersection(p.country_codes)]

    def fuzzy_choices(self, key: str, min_similarity: float = 0.0) -> Sequence[str]:
        """Every key whose length allows ``min_similarity`` (a few thousand keys at most: no letter is
        required to match, so a typo in the first letter still finds them).

        ``ratio`` >= s needs the length difference d <= (1 - s/100) * (len(key) * 2 + d), that is
        d <= (1 - s/100) * 2 * len(key) / (s/100).
        """
        if min_similarity <= 0:
            return self._keys
        most = (100 - min_similarity) * 2 * len(key) / min_similarity + 1e-9  # 1e-9: float rounding
        return self._key_array[np.abs(self._key_lengths - len(key)) <= most].tolist()
