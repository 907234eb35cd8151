"""Our historical gazetteer: ``data/places.lpf.json`` plus any LPF or GeoJSON files the user adds.

User files come after the embedded one; a user feature with an id we already hold replaces ours, so a
correction needs no edit of the shipped data. Plain GeoJSON features (no ``@id``, a ``name``
property) are accepted with an id made from the file name and feature number.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import GazetteerDataError
from ..names import generic_variants, normalize
from ..places import Place, read_lpf
from ..resources import data_dir
from .base import NameHit, PlaceSource

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
    feature["@id"] = f"user:{path.stem}:{index + 1}"


class CuratedSource(PlaceSource):
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
        self._places = places
        self._index: dict[str, list[NameHit]] = defaultdict(list)
        for place in places.values():
            seen: set[tuple[str, str]] = set()
            for alt in place.all_names():
                key = normalize(alt.name)
                if key and (key, alt.name) not in seen:
                    seen.add((key, alt.name))
                    self._index[key].append(NameHit(place, alt))
                for core in generic_variants(alt.name, place.feature_type):
                    if (core, alt.name) not in seen:
                        seen.add((core, alt.name))
                        self._index[core].append(NameHit(place, alt, generic=True))
        self._index = dict(self._index)
        self._keys = sorted(self._index)
        self._key_array = np.array(self._keys, dtype=object)
        self._key_lengths = np.array([len(k) for k in self._keys], dtype=np.int32)

    def __len__(self) -> int:
        return len(self._places)

    def places(self) -> list[Place]:
        return list(self._places.values())

    def lookup(self, key: str) -> list[NameHit]:
        return list(self._index.get(key, ()))

    def has_key(self, key: str) -> bool:
        return key in self._index

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def fuzzy_choices(self, key: str, min_similarity: float = 0.0) -> Sequence[str]:
        """Every key whose length allows ``min_similarity`` (a few hundred keys: no letter is required
        to match, so a typo in the first letter still finds them).

        ``ratio`` >= s needs the length difference d <= (1 - s/100) * (len(key) * 2 + d), that is
        d <= (1 - s/100) * 2 * len(key) / (s/100).
        """
        if min_similarity <= 0:
            return self._keys
        most = (100 - min_similarity) * 2 * len(key) / min_similarity + 1e-9  # 1e-9: float rounding
        return self._key_array[np.abs(self._key_lengths - len(key)) <= most].tolist()
