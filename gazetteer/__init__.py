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
from .places import AlternateName, Place, read_lpf, write_lpf

__all__ = [
    "AlternateName",
    "GazetteerDataError",
    "GazetteerError",
    "Place",
    "PlaceNotFound",
    "ServiceUnavailable",
    "TextInputError",
    "read_lpf",
    "write_lpf",
]
