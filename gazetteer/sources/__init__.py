"""Place sources behind one interface: the curated gazetteer, GeoNames (cities500), online services."""

from .base import NameHit, PlaceSource

__all__ = ["NameHit", "PlaceSource"]
