"""Where the embedded data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs


def data_dir() -> Path:
    """The folder holding the curated gazetteer, sources and events.

    ``ITINERA_DATA`` wins; then ``data/`` of a source checkout (editable install); then the copy a
    wheel carries inside ``mapapp/_data``.
    """
    env = os.environ.get("ITINERA_DATA")
    if env:
        return Path(env)
    return package_data_dir()


def package_data_dir() -> Path:
    """The data Itinera ships (checkout or wheel), whatever ``ITINERA_DATA`` says: the tables the
    gazetteer and the geoparser need (seas, abbreviations) belong to the program, not to a corpus."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "data"
    if checkout.is_dir():
        return checkout
    return here.parent / "mapapp" / "_data"


def cache_dir() -> Path:
    """The user's cache folder for derived indexes (``ITINERA_CACHE`` overrides)."""
    env = os.environ.get("ITINERA_CACHE")
    path = Path(env) if env else Path(platformdirs.user_cache_dir("itinera"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def texts_dir() -> Path | None:
    """The folder of source texts the user named with ``ITINERA_TEXTS``, if any."""
    env = os.environ.get("ITINERA_TEXTS")
    return Path(env) if env else None


def cached_json(name: str, build: Callable[[], Any], folder: Path | None = None) -> Any:
    """``build()``'s JSON-ready result, kept in the cache folder under ``name`` (which must change with
    whatever the result derives from: package versions, a format number). A damaged file is rebuilt; a
    read-only cache folder only costs the build each time."""
    from .storage import write_atomic

    path = (folder or cache_dir()) / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = build()
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(data).encode("utf-8"))
    return data
