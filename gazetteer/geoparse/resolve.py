"""Resolve a text's toponyms together: a text's places cluster, so each name is read in the light of
the others.

1. Every distinct name gets the gazetteer's ranked candidates (source, name kind, feature class,
   population and period already weigh in there), with the year the text speaks of at its first
   mention as the time hint.
2. Names whose reading is clear (a country, region, sea or river; a single candidate; a clear lead)
   become the document's anchors. Their countries, counted per mention, are the document-country prior.
3. Every name is ranked again with two bonuses: sharing a country with the anchors (by the share of
   the text's mentions in that country) and lying near an anchor other than itself. A qualifier right
   after a name ("Paris, Texas", "Alexandria, Egypt") restricts that mention to places in or near it.
4. Names nothing knows get the gazetteer's spelling-variant fallback, which is allowed only near the
   anchors or inside the document's countries (``Bassora`` near Baghdad is Basra; ``Coal`` is nothing).

Each step adds a reason to the mention, so the map can say why a name was read as it was.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..distance import distance_km, distances_km
from .toponyms import STRONG_TYPES, Toponym

if TYPE_CHECKING:
    from ..geocoder import Candidate, Gazetteer
    from ..places import Place

MAX_CANDIDATES = 25
CLEAR_LEAD = 0.12  # score margin over the runner-up that makes a reading clear on its own
COUNTRY_WEIGHT = 0.20
NEAR_WEIGHT = 0.15
NEAR_KM = 400.0
QUALIFIER_KM = 900.0  # a first-level region's reach, for "X, <region>"
UNRESOLVED_BELOW = 0.30
REGION_TYPES = frozenset({"country", "province", "state", "region", "county"})


def resolve(
    toponyms: Sequence[Toponym],
    gazetteer: Gazetteer,
    *,
    year_at: Callable[[int], int | None] = lambda _: None,
    text: str = "",
) -> list[Toponym]:
    """Set ``place``, ``score``, ``candidates`` and ``reasons`` on every toponym; return those kept (an
    unknown word tried only as a spelling variant is kept only if a variant resolves it)."""
    by_key: dict[str, list[Toponym]] = {}
    for t in toponyms:
        by_key.setdefault(t.key, []).append(t)
    cands: dict[str, list[Candidate]] = {}
    for key, group in by_key.items():
        first = group[0]
        known = all(t.source != "variant" for t in group)
        cands[key] = gazetteer.lookup(first.text, when=year_at(first.start))[:MAX_CANDIDATES] if known else []

    anchors = _anchors(by_key, cands)
    countries = Counter()
    for key, place in anchors.items():
        for cc in place.country_codes[:1]:
            countries[cc] += len(by_key[key])
    total = sum(countries.values()) or 1

    for key, group in by_key.items():
        found = cands[key]
        if not found:
            found = _variants(gazetteer, group[0].text, anchors, countries)
            cands[key] = found
        ranked = _rerank(found, key, anchors, countries, total)
        for t in group:
            t.candidates = tuple(c for c, _, _ in ranked)
            if ranked:
                cand, score, why = ranked[0]
                t.score = score
                t.reasons = [*why, *cand.reasons]
                t.place = cand.place if score >= UNRESOLVED_BELOW else None
    if text:
        _qualifiers(toponyms, text, gazetteer)
    return [t for t in toponyms if t.source != "variant" or t.place is not None]


def _anchors(by_key: dict[str, list[Toponym]], cands: dict[str, list[Candidate]]) -> dict[str, Place]:
    """The names whose reading is clear without context, and their places."""
    out: dict[str, Place] = {}
    for key, found in cands.items():
        if not found:
            continue
        top = found[0]
        p = top.place
        lead = top.score - found[1].score if len(found) > 1 else 1.0
        if (
            p.feature_type in STRONG_TYPES
            or len(found) == 1
            or lead >= CLEAR_LEAD
            or p.population >= 1_000_000
            or p.source == "curated"
        ) and not top.fuzzy:
            out[key] = p
    return out


def _rerank(
    found: Sequence[Candidate], key: str, anchors: dict[str, Place], countries: Counter, total: int
) -> list[tuple[Candidate, float, list[str]]]:
    others = [p for k, p in anchors.items() if k != key]
    lats = [o.lat for o in others]
    lons = [o.lon for o in others]
    ranked = []
    for c in found:
        p = c.place
        score = c.score
        why: list[str] = []
        cc = p.country_codes[0] if p.country_codes else None
        if cc and countries.get(cc):
            share = countries[cc] / total
            score += COUNTRY_WEIGHT * share
            why.append(f"in {cc}, the country of {share:.0%} of the text's clear places")
        if others and p.feature_type not in REGION_TYPES:
            dists = distances_km(p.lat, p.lon, lats, lons)
            k = int(dists.argmin())
            near, d = others[k], float(dists[k])
            bonus = NEAR_WEIGHT * math.exp(-d / NEAR_KM)
            if bonus > 0.01:
                score += bonus
                why.append(f"{d:,.0f} km from {near.name}, named in the same text")
        ranked.append((c, round(min(1.0, score), 4), why))
    ranked.sort(key=lambda r: -r[1])
    return ranked


def _variants(gazetteer: Gazetteer, name: str, anchors: dict[str, Place], countries: Counter) -> list:
    """The spelling-variant fallback, allowed only near the anchors or in the document's countries."""
    if not anchors and not countries:
        return []
    lookup_variant = getattr(gazetteer, "lookup_variant", None)
    if lookup_variant is None:
        return []
    if len(name.split()) > 2:
        return []  # a long unknown name is a new name, not an old spelling of a known one
    near = [(p.lat, p.lon) for p in anchors.values() if p.feature_type not in REGION_TYPES]
    if near:  # the text's towns say where to look; its countries only when it names no town
        return list(lookup_variant(name, near=near))[:MAX_CANDIDATES]
    return list(lookup_variant(name, countries={cc for cc, _ in countries.most_common(2)}))[:MAX_CANDIDATES]


def _qualifiers(toponyms: Sequence[Toponym], text: str, gazetteer: Gazetteer) -> None:
    """ "X, Y" where Y is a country or region: X is read inside Y."""
    for a, b in itertools.pairwise(toponyms):
        if (
            text[a.end : b.start].strip() != ","
            or b.place is None
            or b.place.feature_type not in REGION_TYPES
        ):
            continue
        region = b.place
        inside = []
        for c in a.candidates or gazetteer.lookup(a.text)[:MAX_CANDIDATES]:
            p = c.place
            if p.id == region.id:
                continue
            same_country = bool(set(p.country_codes) & set(region.country_codes))
            if region.feature_type == "country":
                ok = same_country
            else:
                ok = same_country and distance_km(p.lat, p.lon, region.lat, region.lon) <= max(
                    QUALIFIER_KM, region.uncertainty_km
                )
            if ok:
                inside.append(c)
        if inside:
            best = inside[0]
            a.place = best.place
            a.score = max(a.score, best.score)
            a.reasons = [f"qualified by {b.text!r}: read inside {region.name}", *best.reasons]
