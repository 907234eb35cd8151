"""The GeoNames rows by consonant skeleton, for the spelling-variant fallback.

``Gazetteer.lookup_variant`` looks for places whose name has the consonant outline of an old spelling
("Bassora" ~ "Basra": ``bsr``) near the text's places. Comparing every name of every place in a region
costs a second per name; this index turns it into a look-up: the skeleton of every GeoNames name is
hashed once per machine (a few seconds, beside the GeoNames index in the cache folder, rebuilt with it),
and the rows sharing a skeleton come back in one binary search.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..names import skeleton
from ..storage import atomic_writer
from .geonames import key_hash

if TYPE_CHECKING:
    from .geonames import GeoNamesSource

FORMAT = 1


class SkeletonIndex:
    """Rows of a GeoNames source by the hash of a name's skeleton."""

    def __init__(self, source: GeoNamesSource):
        path = Path(str(source.index_path) + ".skeletons.npz")
        stamp = f"{FORMAT}:{source.meta}"
        arrays = self._load(path, stamp)
        if arrays is None:
            arrays = self._build(source)
            try:
                with atomic_writer(path) as f:
                    np.savez(f, stamp=np.frombuffer(stamp.encode(), dtype=np.uint8), **arrays)
            except OSError as exc:  # a read-only cache still works, rebuilt in memory each time
                print(f"itinera: cannot save {path} ({exc})", file=sys.stderr)
        self._hash = arrays["hash"]
        self._row = arrays["row"]

    @staticmethod
    def _load(path: Path, stamp: str) -> dict[str, np.ndarray] | None:
        try:
            with np.load(path) as a:
                if a["stamp"].tobytes().decode() != stamp:
                    return None
                return {"hash": a["hash"], "row": a["row"]}
        except (OSError, ValueError, KeyError, EOFError):
            return None

    @staticmethod
    def _build(source: GeoNamesSource) -> dict[str, np.ndarray]:
        print("itinera: indexing GeoNames names by consonant skeleton (once)...", file=sys.stderr)
        hashes: list[int] = []
        rows: list[int] = []
        for row in range(len(source)):
            for sk in {skeleton(n) for n in source.row_names(row)}:
                if len(sk) >= 2:
                    hashes.append(key_hash(sk))
                    rows.append(row)
        h = np.array(hashes, dtype=np.uint64)
        r = np.array(rows, dtype=np.int32)
        order = np.argsort(h, kind="stable")
        return {"hash": h[order], "row": r[order]}

    def rows(self, sk: str) -> np.ndarray:
        """Rows one of whose names has this skeleton (hash collisions are checked by the caller)."""
        h = np.uint64(key_hash(sk))
        lo = np.searchsorted(self._hash, h, side="left")
        hi = np.searchsorted(self._hash, h, side="right")
        return self._row[lo:hi]
