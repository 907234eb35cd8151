"""Synthetic dates for the benchmarks: the mix of EDTF precisions a real corpus has."""

from __future__ import annotations

import random


def random_edtf(rnd: random.Random, *, undated: float = 0.0) -> str:
    """A 1930s-1940s EDTF value: days, months, seasons, years, intervals, approximate months, and
    (with probability ``undated``) an empty string for an undated event."""
    if undated and rnd.random() < undated:
        return ""
    y = rnd.randint(1930, 1949)
    r = rnd.random()
    if r < 0.25:
        return f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    if r < 0.55:
        return f"{y}-{rnd.randint(1, 12):02d}"
    if r < 0.65:
        return f"{y}-{rnd.randint(21, 24)}"
    if r < 0.8:
        return str(y)
    if r < 0.92:
        return f"{y}/{y + rnd.randint(1, 3)}"
    return f"{y}-{rnd.randint(1, 12):02d}~"
