"""Maps of who was where, when, on whose word: load events, filter by time, build the map, export."""

from .models import Event, Source

__version__ = "0.1.0"

__all__ = ["Event", "Source", "__version__"]
