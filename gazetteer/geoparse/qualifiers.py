"""Regions written after a place name as its qualifier: "Paris, Tenn.", "Richmond, Va.", "Kingston, Ont.".

News, letters and addresses abbreviate the state or province after a town (``data/state_abbreviations.yaml``).
Several of these forms are English words alone ("Miss.", "Mass.", "Wash."), so they are read as places
only in that position: right after a place name and a comma. The region they name then both counts as a
mention and restricts the town before it (``resolve``'s qualifier step).
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .. import resources


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation -> place id (``iso3166-2:US-TN``)."""
    with open(resources.package_data_dir() / "state_abbreviations.yaml", encoding="utf-8") as f:
        table = yaml.safe_load(f)["abbreviations"]
    return {form: f"iso3166-2:{code}" for form, code in table.items()}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    forms = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r",\s*(" + "|".join(re.escape(f) for f in forms) + r")(?=[\s,;:)\]\"'”’—-]|$)")


def after(text: str, end: int) -> tuple[int, int, str] | None:
    """(start, end, place id) of a region abbreviation right after a name ending at ``end``."""
    m = _pattern().match(text, end)
    if m is None:
        return None
    return m.start(1), m.end(1), abbreviations()[m.group(1)]
