"""Offline historical gazetteer and geoparser for narrative texts.

Public surface: ``Gazetteer`` (a geopy-style geocoder) and its ``Candidate``, ``Place``, ``parse`` and
the ``GazetteerError`` family. ``Gazetteer`` and ``parse`` are imported on first use (PEP 562), so
``import gazetteer`` stays cheap for code that only needs the models or ``normalize``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    GazetteerDataError,
    GazetteerError,
    PlaceNotFound,
    ServiceUnavailable,
    TextInputError,
)
from .names import normalize
from .places import AlternateName, Place, read_lpf, write_lpf

if TYPE_CHECKING:
    from .geocoder import Candidate, Gazetteer, OnlineServiceWarning
    from .geoparser import ParseResult, parse

_LAZY = {
    "Candidate": "geocoder",
    "Gazetteer": "geocoder",
    "OnlineServiceWarning": "geocoder",
    "ParseResult": "geoparser",
    "parse": "geoparser",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
