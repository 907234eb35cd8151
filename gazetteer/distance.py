"""Distances and great circles on the WGS84 ellipsoid, through ``pyproj.Geod`` (geopandas installs it).

One module for every distance in Itinera: the gazetteer's context and twin checks, the routes' "same
place" test and the map's great-circle lines all call these functions, so they agree to the metre.
Geodesics on the ellipsoid differ from a spherical haversine by up to ~0.5%, which no radius of ours
is fine enough to notice; what matters is that there is one answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance between two points in km (latitude first, as geopy's ``distance`` takes them)."""
    return WGS84.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def distances_km(lat: float, lon: float, lats: Sequence[float], lons: Sequence[float]) -> np.ndarray:
    """Distances in km from one point to many, in one vectorised call."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    if lats.size == 0:
        return np.zeros(0)
    _, _, metres = WGS84.inv(np.full(lats.shape, lon), np.full(lats.shape, lat), lons, lats)
    return np.asarray(metres) / 1000.0


def distance_matrix_km(
    lats1: Sequence[float], lons1: Sequence[float], lats2: Sequence[float], lons2: Sequence[float]
) -> np.ndarray:
    """Distances in km from each of many points (rows) to each of many others (columns), in one call."""
    a_lat, a_lon = np.asarray(lats1, dtype=float), np.asarray(lons1, dtype=float)
    b_lat, b_lon = np.asarray(lats2, dtype=float), np.asarray(lons2, dtype=float)
    if a_lat.size == 0 or b_lat.size == 0:
        return np.zeros((a_lat.size, b_lat.size))
    rows, cols = a_lat.size, b_lat.size
    _, _, metres = WGS84.inv(
        np.repeat(a_lon, cols), np.repeat(a_lat, cols), np.tile(b_lon, rows), np.tile(b_lat, rows)
    )
    return np.asarray(metres).reshape(rows, cols) / 1000.0


def great_circle_points(
    lon1: float, lat1: float, lon2: float, lat2: float, n_between: int
) -> list[tuple[float, float]]:
    """(lon, lat) points from the first place to the second along the geodesic: both ends and
    ``n_between`` equally spaced points between them. Longitudes stay in -180..180."""
    middle = WGS84.npts(lon1, lat1, lon2, lat2, n_between) if n_between > 0 else []
    return [(lon1, lat1), *((float(x), float(y)) for x, y in middle), (lon2, lat2)]
