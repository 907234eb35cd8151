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

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from ..distance import distance_km, distance_matrix_km, distances_km
from .toponyms import FUNCTION_WORDS, STRONG_TYPES, Toponym, locative_before

if TYPE_CHECKING:
    from ..geocoder import Candidate, Gazetteer
    from ..places import Place

MAX_CANDIDATES = 25
CLEAR_LEAD = 0.12  # score margin over the runner-up that makes a reading clear on its own
COUNTRY_WEIGHT = 0.35
NEAR_WEIGHT = 0.25
NEAR_KM = 400.0
# Two ambiguous names with readings close together ("Paris" and "Henry County": Paris, Tennessee lies in
# Henry County, Tennessee) support each other: the closer the pair, the larger the bonus.
PAIR_WEIGHT = 0.15
PAIR_KM = 40.0
PAIR_CANDIDATES = 10  # a name's readings that may support another's
PAIR_WINDOW = 3000  # characters: names this close in the text are read beside each other
VARIANT_WINDOW = 10_000  # characters: the passage whose places an unknown spelling is sought near
UNPAIRED_TYPES = frozenset(
    {"country", "continent", "ocean", "sea", "gulf", "bay", "strait", "province", "state", "region", "river"}
    | {"lake", "desert"}
)
# A region's reach for "X, <region>": its radius (half the distance to its neighbours), with a margin.
QUALIFIER_REACH = 1.5
QUALIFIER_MIN_KM = 150.0
UNRESOLVED_BELOW = 0.30
REGION_TYPES = frozenset({"country", "province", "state", "region", "county"})
MAJOR_POPULATION = 1_000_000
POINTLESS_TYPES = frozenset({"country", "continent", "ocean"})
EDGE_TYPES = frozenset({"province", "state", "region", "county"})
WIDE_TYPES = frozenset({"country", "province", "state", "region", "continent", "ocean", "sea"})  # no "near"


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
        if t.source != "qualifier":  # a region abbreviation comes resolved ("Tenn.")
            by_key.setdefault(t.key, []).append(t)
    cands: dict[str, list[Candidate]] = {}
    for key, group in by_key.items():
        first = group[0]
        known = all(t.source != "variant" for t in group)
        cands[key] = gazetteer.lookup(first.text, when=year_at(first.start))[:MAX_CANDIDATES] if known else []
        if text and any(_named_with_the(text, t) for t in group):
            cands[key] = _waters_first(cands[key])

    # "Paris, Tenn.": a qualified name is read inside its region, in every mention of the text
    qualified = _qualified(toponyms, text, cands) if text else {}
    anchors = _anchors(cands)
    anchors.update({k: c.place for k, (c, _) in qualified.items()})
    weight = {key: len(group) for key, group in by_key.items()}
    neighbours = _neighbours(by_key, PAIR_WINDOW)
    passage = _neighbours(by_key, VARIANT_WINDOW)
    for t in toponyms:
        if t.source == "qualifier" and t.place is not None:
            anchors.setdefault(t.key, t.place)
            weight[t.key] = weight.get(t.key, 0) + 1
    countries = Counter()
    for key, place in anchors.items():
        for cc in place.country_codes[:1]:
            countries[cc] += weight[key]
    total = sum(countries.values()) or 1

    for key, group in by_key.items():
        if key in qualified:
            cand, region = qualified[key]
            for t in group:
                t.candidates, t.score, t.place = tuple(cands[key]), cand.score, cand.place
                t.reasons = [f"qualified by {region.name!r} in the text: read inside it", *cand.reasons]
            continue
        found = cands[key]
        if not found:
            # an old spelling is judged by the places of its passage, not of the whole book
            local = {k: p for k, p in anchors.items() if k in passage[key]}
            found = _variants(gazetteer, group[0].text, local, countries)
            cands[key] = found
        pairs = _pair_support(key, found, cands, neighbours[key])
        ranked = _rerank(found, key, anchors, countries, total, pairs)
        ranked = _anchor_kept(ranked, anchors.get(key), found, pairs)
        for t in group:
            t.candidates = tuple(c for c, _, _ in ranked)
            if ranked:
                cand, score, why = ranked[0]
                t.score = score
                t.reasons = [*why, *cand.reasons]
                t.place = cand.place if score >= UNRESOLVED_BELOW else None
    return [t for t in toponyms if t.place is not None or _worth_showing(t, text)]


# "the" before a name alone suits a river, a sea or a lake, never a state, a county or a town: "crossed
# the Missouri", "down the Jordan"; a country may take it too ("the Gambia"), and keeps its reading.
WATER_TYPES = frozenset({"river", "lake", "sea", "ocean", "gulf", "bay", "strait"})
ARTICLELESS_TYPES = frozenset({"province", "state", "county", "settlement"})
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def _named_with_the(text: str, t: Toponym) -> bool:
    """Whether the name is the whole of a phrase that opens with "the": "the Missouri at St. Joseph",
    not "the Missouri legislature" (where "the" goes with the noun)."""
    if _THE_BEFORE.search(text, max(0, t.start - 6), t.start) is None:
        return False
    m = _WORD_AFTER.match(text, t.end)
    return m is None or m.group(1) in FUNCTION_WORDS


def _waters_first(found: list[Candidate]) -> list[Candidate]:
    """A name "the" opens: its readings as a state, county or town give way to a water of that name."""
    if not any(c.place.feature_type in WATER_TYPES for c in found):
        return found
    return [c for c in found if c.place.feature_type not in ARTICLELESS_TYPES]


def _worth_showing(t: Toponym, text: str) -> bool:
    """An unresolved name is kept for a reader to place by hand when something says it is a place:
    the gazetteer knows the name, it has several words ("Sheikh Saad"), or a preposition of place
    governs it ("came to at Ledje"). A lone word only the model calls a place ("people like Guhdar")
    is too weak to show."""
    if t.source == "variant":
        return False
    if t.source != "ner" or " " in t.text or not text:
        return True
    return locative_before(text, t.start)


def _anchors(cands: dict[str, list[Candidate]]) -> dict[str, Place]:
    """The names whose reading is clear without context, and their places. A name with two strong
    readings in different countries ("Georgia": the country, the US state) is no anchor: the text's
    other places must decide it."""
    out: dict[str, Place] = {}
    for key, found in cands.items():
        if not found or found[0].fuzzy:
            continue
        top = found[0]
        p = top.place
        rival = next(
            (c for c in found[1:] if _strong(c.place) and c.place.country_codes != p.country_codes), None
        )
        if rival is not None:
            continue
        lead = top.score - found[1].score if len(found) > 1 else 1.0
        if _strong(p) or len(found) == 1 or lead >= CLEAR_LEAD or p.source == "curated":
            out[key] = p
    return out


def _strong(p: Place) -> bool:
    return p.feature_type in STRONG_TYPES or p.population >= MAJOR_POPULATION


def _neighbours(by_key: dict[str, list[Toponym]], window: int) -> dict[str, set[str]]:
    """For each name, the other names mentioned within ``window`` characters of one of its mentions:
    in a book, the names of the same passage, not of the whole book."""
    marks = sorted((t.start, key) for key, group in by_key.items() for t in group)
    starts = [s for s, _ in marks]
    out: dict[str, set[str]] = {}
    for key, group in by_key.items():
        near: set[str] = set()
        for t in group:
            lo = bisect_left(starts, t.start - window)
            hi = bisect_right(starts, t.start + window)
            near.update(k for _, k in marks[lo:hi])
        near.discard(key)
        out[key] = near
    return out


def _pair_support(
    key: str, found: Sequence[Candidate], cands: dict[str, list[Candidate]], neighbours: set[str]
) -> list[tuple[float, str]]:
    """For each reading of a name, its closest reading of another name of the text that is no wide
    area: ``(bonus, why)``; a text's small places lie near each other, its namesakes far apart. Names
    whose first reading is a country, region or water give and take none: "Peru" and "Mexico" are
    countries even though Peru, Indiana lies next to Mexico, Indiana."""
    none = [(0.0, "")] * len(found)
    if not found or found[0].place.feature_type in UNPAIRED_TYPES:
        return none
    partners = [
        c.place
        for k in neighbours
        if (cs := cands.get(k)) and cs[0].place.feature_type not in UNPAIRED_TYPES
        for c in cs[:PAIR_CANDIDATES]
        if c.place.feature_type not in WIDE_TYPES and not c.fuzzy
    ]
    mine = [i for i, c in enumerate(found) if c.place.feature_type not in WIDE_TYPES]
    if not partners or not mine:
        return none
    dists = distance_matrix_km(
        [found[i].place.lat for i in mine],
        [found[i].place.lon for i in mine],
        [p.lat for p in partners],
        [p.lon for p in partners],
    )
    out = list(none)
    for row, i in enumerate(mine):
        for j in dists[row].argsort()[:3].tolist():
            if partners[j].id != found[i].place.id:
                d = float(dists[row, j])
                why = f"{d:,.0f} km from a reading of {partners[j].name!r}, also named in the text"
                out[i] = (PAIR_WEIGHT * math.exp(-d / PAIR_KM), why)
                break
    return out


def _reach(p: Place) -> float:
    """How far a place's name reaches: a region's radius, nothing for a point-like place."""
    return p.uncertainty_km if p.feature_type in WIDE_TYPES else 0.0


def _rerank(
    found: Sequence[Candidate],
    key: str,
    anchors: dict[str, Place],
    countries: Counter,
    total: int,
    pairs: Sequence[tuple[float, str]] = (),
) -> list[tuple[Candidate, float, list[str]]]:
    # a country's or a continent's point says nothing about where in it a town lies (the United
    # States' point is in Kansas): the country prior speaks for them
    others = [p for k, p in anchors.items() if k != key and p.feature_type not in POINTLESS_TYPES]
    lats = [o.lat for o in others]
    lons = [o.lon for o in others]
    # a town inside a region the text names is near it: distances count from the region's edge
    # (countries and larger areas are the country prior's business)
    edges = [o.uncertainty_km if o.feature_type in EDGE_TYPES else 0.0 for o in others]
    ranked = []
    for i, c in enumerate(found):
        p = c.place
        score = c.score
        why: list[str] = []
        cc = p.country_codes[0] if p.country_codes else None
        if cc and countries.get(cc):
            share = countries[cc] / total
            score += COUNTRY_WEIGHT * share
            why.append(f"in {cc}, the country of {share:.0%} of the text's clear places")
        if others:
            # a region is near the text's places when they lie within its radius: measured from its edge
            reach = _reach(p)
            dists = distances_km(p.lat, p.lon, lats, lons) - reach - edges
            k = int(dists.argmin())
            near, d = others[k], max(0.0, float(dists[k]))
            bonus = NEAR_WEIGHT * math.exp(-d / NEAR_KM)
            if bonus > 0.01:
                score += bonus
                where = "around" if reach and d == 0 else f"{d:,.0f} km from"
                why.append(f"{where} {near.name}, named in the same text")
        if i < len(pairs) and pairs[i][0] > 0.01:
            score += pairs[i][0]
            why.append(pairs[i][1])
        ranked.append((c, score, why))
    ranked.sort(key=lambda r: -r[1])  # ranked on the raw sum: two readings may both pass 1.0
    return [(c, round(min(1.0, score), 4), why) for c, score, why in ranked]


def _anchor_kept(
    ranked: list[tuple[Candidate, float, list[str]]],
    anchor: Place | None,
    found: Sequence[Candidate],
    pairs: Sequence[tuple[float, str]],
) -> list[tuple[Candidate, float, list[str]]]:
    """A name whose own reading is a strong anchor (a country, region or water, or a city of a
    million) keeps it: the other places' countries and nearness do not make "England" a town in
    Arkansas or "New York" a York near Omaha. Only a namesake close to another name of the passage
    may take its place ("Paris" beside "Henry County")."""
    if anchor is None or not _strong(anchor) or not ranked or ranked[0][0].place.id == anchor.id:
        return ranked
    paired = {found[i].place.id for i, (bonus, _) in enumerate(pairs) if bonus > 0.01}
    if ranked[0][0].place.id in paired:
        return ranked
    mine = next((r for r in ranked if r[0].place.id == anchor.id), None)
    if mine is None:
        return ranked
    kept = (
        mine[0],
        max(mine[1], ranked[0][1]),
        ["its own clear reading, whatever the text's other places", *mine[2]],
    )
    return [kept, *(r for r in ranked if r is not mine)]


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


def _qualified(
    toponyms: Sequence[Toponym], text: str, cands: dict[str, list[Candidate]]
) -> dict[str, tuple[Candidate, Place]]:
    """Names followed by a comma and a country or region they lie in ("Paris, Texas", "Alexandria,
    Egypt", "Paris, Tenn."): key -> (the candidate inside it, the region)."""
    out: dict[str, tuple[Candidate, Place]] = {}
    for a, b in pairwise(toponyms):
        if text[a.end : b.start].strip() != "," or a.key in out:
            continue
        regions = [b.place] if b.place is not None else [c.place for c in cands.get(b.key, [])[:3]]
        for region in regions:
            if region.feature_type not in REGION_TYPES:
                continue
            inside = [c for c in cands.get(a.key, []) if c.place.id != region.id and _inside(c.place, region)]
            if inside:
                out[a.key] = (inside[0], region)
                break
    return out


def _inside(p: Place, region: Place) -> bool:
    if not set(p.country_codes) & set(region.country_codes):
        return False
    if region.feature_type == "country":
        return True
    reach = max(QUALIFIER_MIN_KM, QUALIFIER_REACH * region.uncertainty_km)
    return distance_km(p.lat, p.lon, region.lat, region.lon) <= reach
