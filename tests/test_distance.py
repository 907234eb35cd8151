"""One distance module on pyproj's WGS84 geodesics: distances and great-circle points."""

from __future__ import annotations

import itertools

import pytest

from gazetteer.distance import distance_km, distances_km, great_circle_points


def test_a_degree_of_latitude_at_the_equator_is_about_110_km():
    assert distance_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(110.57, abs=0.01)


def test_moscow_to_khabarovsk_is_about_6_140_km():
    assert distance_km(55.7558, 37.6173, 48.4802, 135.0719) == pytest.approx(6140, rel=0.01)


def test_many_distances_in_one_call_equal_the_single_ones():
    lats, lons = [48.48, 21.37, 55.75], [135.07, -157.97, 37.62]
    many = distances_km(33.34, 44.40, lats, lons)
    singles = [distance_km(33.34, 44.40, a, b) for a, b in zip(lats, lons, strict=True)]
    assert [round(d, 6) for d in many] == [round(d, 6) for d in singles]
    assert distances_km(0, 0, [], []).size == 0


def test_great_circle_points_run_from_one_end_to_the_other_across_the_antimeridian():
    pts = great_circle_points(135.07, 48.48, -157.97, 21.37, 10)  # Khabarovsk -> Pearl Harbor
    assert len(pts) == 12
    assert pts[0] == (135.07, 48.48) and pts[-1] == (-157.97, 21.37)
    assert all(-180 <= lon <= 180 for lon, _ in pts)
    steps = [distance_km(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(pts)]
    assert max(steps) - min(steps) < 1  # equally spaced along the geodesic
    assert sum(steps) == pytest.approx(distance_km(48.48, 135.07, 21.37, -157.97), rel=1e-6)


def test_a_distance_matrix_agrees_with_single_distances():
    from gazetteer.distance import distance_km, distance_matrix_km

    a = [(30.5, 47.8), (33.34, 44.4)]
    b = [(31.2, 29.92), (51.5, -0.13), (30.5, 47.8)]
    m = distance_matrix_km([p[0] for p in a], [p[1] for p in a], [p[0] for p in b], [p[1] for p in b])
    assert m.shape == (2, 3)
    for i, (la, lo) in enumerate(a):
        for j, (lb, lob) in enumerate(b):
            assert abs(m[i, j] - distance_km(la, lo, lb, lob)) < 1e-6
    assert m[0, 2] == 0
