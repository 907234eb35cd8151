"""Maps of who was where, when, on whose word: load events, filter by time, build the map, export.

The verbs a user meets: ``load_corpus`` / ``load_events``, ``in_window``, ``build_routes``,
``build_map`` and the ``export_*`` functions. Heavy modules (folium, pandas) load on first use
(PEP 562), so ``import mapapp`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Event, Source

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .build import build_map
    from .corpus import Corpus, load_corpus, load_events, load_sources
    from .export import export_csv, export_geojson, export_gpkg, export_html, export_lpf
    from .routes import build_routes
    from .timespan import edtf_span, in_window

_LAZY = {
    "Corpus": "corpus",
    "load_corpus": "corpus",
    "load_events": "corpus",
    "load_sources": "corpus",
    "edtf_span": "timespan",
    "in_window": "timespan",
    "build_routes": "routes",
    "build_map": "build",
    "export_csv": "export",
    "export_geojson": "export",
    "export_gpkg": "export",
    "export_html": "export",
    "export_lpf": "export",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mapapp' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Corpus",
    "Event",
    "Source",
    "__version__",
    "build_map",
    "build_routes",
    "edtf_span",
    "export_csv",
    "export_geojson",
    "export_gpkg",
    "export_html",
    "export_lpf",
    "in_window",
    "load_corpus",
    "load_events",
    "load_sources",
]
