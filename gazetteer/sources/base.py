"""The one small interface every place source implements (as geopy's ``Geocoder`` base does).

A source answers in normalized keys (``gazetteer.names.normalize``): ``lookup`` gives every place a
key names, with the name that matched (its kind and period matter to ranking); ``get`` fetches by id;
``fuzzy_choices`` hands the fuzzy matcher a prefiltered list of keys near a query, so no source has
to expose all its names at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from ..places import AlternateName, Place


@dataclass(frozen=True, slots=True)
class NameHit:
    """A place found under a key, and which of its names carried that key.

    ``generic`` is true when the key matched only after dropping a generic word the place's type
    agrees with ("Ussuri" for the Ussuri River); ``bare`` when it matched only without Arabic articles
    ("Basrah" for Al-Basrah, see ``names.bare_key``).
    """

    place: Place
    name: AlternateName
    generic: bool = False
    bare: bool = False


class PlaceSource(ABC):
    """A gazetteer that answers offline (or, for ``online``, through a cache and a service)."""

    #: short label used in reasons and in ``Place.source``
    label: str = "source"

    @abstractmethod
    def lookup(self, key: str) -> list[NameHit]:
        """Every place one of whose names normalizes to ``key`` (empty list when none)."""

    @abstractmethod
    def has_key(self, key: str) -> bool:
        """Whether any name normalizes to ``key``; must be cheaper than ``lookup``."""

    @abstractmethod
    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None if the source does not hold it."""

    def lookup_abbreviation(self, abbreviation: str) -> list[NameHit]:
        """Places with this abbreviation, matched case-sensitively (``names.abbreviation_key``)."""
        return []

    def places_near(self, lat: float, lon: float, km: float) -> list[Place]:
        """Places whose point lies within ``km`` of (lat, lon) (for the restricted spelling fallback)."""
        return []

    def places_in(self, countries: frozenset[str]) -> list[Place]:
        """Places in any of these countries (ISO 3166-1 alpha-2)."""
        return []

    def fuzzy_choices(self, key: str, min_similarity: float = 0.0) -> Sequence[str]:
        """Keys worth comparing with ``key`` in a fuzzy search that accepts rapidfuzz ``ratio`` >=
        ``min_similarity`` (a source may prefilter on it, never dropping a key that would pass)."""
        return ()
