"""Our historical gazetteer: ``data/places.lpf.json`` plus any LPF or GeoJSON files the user adds.

User files come after the embedded one; a user feature with an id we already hold replaces ours, so a
correction needs no edit of the shipped data. Plain GeoJSON features (no ``@id``, a ``name``
property) are accepted with an id made from the file name and feature number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import GazetteerDataError
from ..places import Place, read_lpf, user_place_id
from ..resources import data_dir
from .indexed import IndexedSource

CURATED_FILE = "places.lpf.json"


def default_curated_path() -> Path:
    return data_dir() / CURATED_FILE


def _read_any(path: Path, source: str) -> list[Place]:
    """An LPF FeatureCollection, or plain GeoJSON whose features carry ``name``/``title``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GazetteerDataError(f"{path}: cannot read as JSON ({exc})") from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features")
        if isinstance(feats, list):
            for i, f in enumerate(feats):
                if isinstance(f, dict) and not (f.get("@id") or f.get("id")):
                    _adopt_geojson(f, path, i)
    elif isinstance(data, dict) and data.get("type") == "Feature" and not (data.get("@id") or data.get("id")):
        _adopt_geojson(data, path, 0)
    try:
        return read_lpf(data, source=source)
    except GazetteerDataError as exc:
        raise GazetteerDataError(f"{path}: {exc}") from exc


def _adopt_geojson(feature: dict[str, Any], path: Path, index: int) -> None:
    """Give a plain GeoJSON feature what LPF reading needs: an id and a title."""
    props = feature.setdefault("properties", {}) or {}
    feature["properties"] = props
    title = props.get("title") or props.get("name")
    if title and not props.get("title"):
        props["title"] = title
    feature["@id"] = user_place_id(path.name, feature, index)


class CuratedSource(IndexedSource):
    """Curated places, indexed by every name key (and generic-stripped keys that fit the type)."""

    label = "curated"

    def __init__(self, path: str | Path | None = None, extra: Iterable[str | Path] = ()):
        self.path = Path(path) if path else default_curated_path()
        places: dict[str, Place] = {}
        if path or self.path.exists():  # a checkout without the data file still has GeoNames
            for p in _read_any(self.path, "curated"):
                places[p.id] = p
        for f in (Path(p) for p in extra):
            for p in _read_any(f, f"user:{f.name}"):
                places[p.id] = p
        super().__init__(places.values())
