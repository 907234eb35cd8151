"""One exception family, as geopy has: callers catch ``GazetteerError`` and get them all."""

from __future__ import annotations


class GazetteerError(Exception):
    """Base of every error the gazetteer and geoparser raise on purpose."""


class PlaceNotFound(GazetteerError):
    """A name matched nothing; ``suggestions`` holds the nearest known names."""

    def __init__(self, query: str, suggestions: list[str] | None = None):
        self.query = query
        self.suggestions = list(suggestions or [])
        hint = f" Nearest names: {', '.join(self.suggestions)}." if self.suggestions else ""
        super().__init__(f"{query!r} not found.{hint}")


class GazetteerDataError(GazetteerError):
    """A gazetteer file (Linked Places, GeoJSON, cache) is malformed; the message names file and feature."""


class ServiceUnavailable(GazetteerError):
    """An online geocoder was down, slow, rate-limiting or answered garbage; offline answers stand."""


class TextInputError(GazetteerError):
    """A text file cannot be read as text: empty, binary, undecodable or too large."""
