"""Offline historical gazetteer and geoparser for narrative texts.

Public surface: ``Gazetteer`` (a geopy-style geocoder), ``Place``, ``parse`` and the
``GazetteerError`` family.
"""

from .errors import (
    GazetteerDataError,
    GazetteerError,
    PlaceNotFound,
    ServiceUnavailable,
    TextInputError,
)
from .geocoder import Candidate, Gazetteer, OnlineServiceWarning
from .geoparser import ParseResult, parse
from .names import normalize
from .places import AlternateName, Place, read_lpf, write_lpf

__all__ = [
    "AlternateName",
    "Candidate",
    "Gazetteer",
    "GazetteerDataError",
    "GazetteerError",
    "OnlineServiceWarning",
    "ParseResult",
    "Place",
    "PlaceNotFound",
    "ServiceUnavailable",
    "TextInputError",
    "normalize",
    "parse",
    "read_lpf",
    "write_lpf",
]
