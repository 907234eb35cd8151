"""Itineraries: each actor's movements in time order, as route segments and bases.

Order is the event's date (the first day it may mean), then its clock time, then its place in the text.
A coarse date that holds the date of the event before it ("1872" after "the spring of 1872") does not
send the event back to the start of its year: it keeps its place after the finer one.

Only what the text asserts makes the route and the bases. Intentions, denials and hearsay stay in
``events`` and serve to show what is contested: a place an actor is both said to have gone to and
denied to have gone to, or two places for the same actor on the same day by different sources.

A base is a place where the actor certainly spent ``base_days`` or more (from the last day his arrival
may mean to the first day his next place elsewhere may mean: the dwell the text proves, not the one
its coarse dates allow), or that he came back to after being elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..dates import edtf_value
from ..distance import distance_km
from .events import Movement, PlaceRef

PRESENT = ("destination", "location")
_ROLE_RANK = {"origin": 0, "via": 1, "location": 2, "destination": 2}
BASE_DAYS = 7
# Two places of one actor on one day are a conflict only when they are this far apart.
CONFLICT_KM = 50.0


@dataclass(slots=True)
class Segment:
    """A leg of a route: from one place the actor was at to the next, through the places passed."""

    actor: str
    origin: PlaceRef | None
    destination: PlaceRef
    via: list[PlaceRef] = field(default_factory=list)
    start_edtf: str | None = None
    end_edtf: str | None = None
    events: list[int] = field(default_factory=list)
    contested: bool = False


@dataclass(slots=True)
class Base:
    """A place the actor stayed at long or came back to."""

    actor: str
    place: PlaceRef
    first_edtf: str | None
    last_edtf: str | None
    days: int
    visits: int
    events: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Itinerary:
    """One actor's events (indices into the list given to ``itineraries``) in time order."""

    actor: str
    events: list[int]
    segments: list[Segment]
    bases: list[Base]
    contested: list[tuple[int, int]]

    def end_of_day(self, events: Sequence[Movement]) -> dict[str, PlaceRef | None]:
        """Where the actor is at the end of each day the asserted events date to the day (None when the
        day's last event is a departure to nowhere named)."""
        out: dict[str, PlaceRef | None] = {}
        for i in self.events:
            ev = events[i]
            if ev.modality != "asserted" or not _is_day(ev.edtf):
                continue
            if ev.role == "origin" or _heading(ev):
                out[ev.edtf] = None  # on the way
            elif ev.role in PRESENT:
                out[ev.edtf] = ev.ref
        return out


def _key(ref: PlaceRef | Movement) -> str:
    return ref.place_id or " ".join(ref.text.split()).casefold()


def _is_day(edtf: str | None) -> bool:
    v = edtf_value(edtf) if edtf else None
    return v is not None and v.precision == "day"


def _bounds(edtf: str | None) -> tuple[date, date] | None:
    v = edtf_value(edtf) if edtf else None
    return (v.lower, v.upper) if v is not None else None


def time_order(events: Sequence[Movement]) -> list[int]:
    """Indices of ``events`` by date, time of day and text order (see module doc)."""
    keyed = []
    running: date | None = None
    for i in sorted(range(len(events)), key=lambda i: events[i].start):
        b = _bounds(events[i].edtf)
        if b is None:
            lower = running or date.min
        elif running is not None and b[0] <= running <= b[1]:
            lower = running
        else:
            lower = b[0]
        running = lower if lower != date.min else running
        ev = events[i]
        # one journey's places in the order travelled, whatever the sentence's order ("to Rome by way
        # of Geneva"); separate journeys in text order
        if ev.origin is None and ev.destination is None:
            journey: tuple[int, ...] = (ev.start,)
        else:
            journey = (ev.passage_start, *(r.start if r else -1 for r in (ev.origin, ev.destination)))
        keyed.append((lower, ev.time or "", journey, _ROLE_RANK[ev.role], ev.start, i))
    return [k[-1] for k in sorted(keyed)]


def itineraries(events: Sequence[Movement], *, base_days: int = BASE_DAYS) -> dict[str, Itinerary]:
    """Every actor's itinerary, by actor name."""
    order = time_order(events)
    by_actor: dict[str, list[int]] = {}
    for i in order:
        for actor in events[i].actors:
            by_actor.setdefault(actor, []).append(i)
    out = {}
    for actor, idx in by_actor.items():
        contested = _conflicts(events, idx)
        disputed = {i for pair in contested for i in pair}
        asserted = [i for i in idx if events[i].modality == "asserted"]
        out[actor] = Itinerary(
            actor=actor,
            events=idx,
            segments=_segments(actor, events, asserted, disputed),
            bases=_bases(actor, events, asserted, base_days),
            contested=contested,
        )
    return out


def _segments(actor: str, events: Sequence[Movement], idx: list[int], disputed: set[int]) -> list[Segment]:
    segments: list[Segment] = []
    here: Movement | None = None
    here_i: int | None = None
    via: list[int] = []
    for i in idx:
        ev = events[i]
        if _heading(ev):
            continue
        if here is not None and _key(ev) == _key(here):
            if ev.role != "via":
                here, here_i, via = ev, i, []
            continue
        if ev.role == "via":
            if all(_key(events[j]) != _key(ev) for j in via):
                via.append(i)
            continue
        if here is not None and ev.role in (*PRESENT, "origin"):
            via = [j for j in via if _key(events[j]) != _key(ev)]
            legs = [here_i, *via, i]
            segments.append(
                Segment(
                    actor=actor,
                    origin=here.ref,
                    destination=ev.ref,
                    via=[events[j].ref for j in via],
                    start_edtf=here.edtf,
                    end_edtf=ev.edtf,
                    events=[j for j in legs if j is not None],
                    contested=any(j in disputed for j in legs),
                )
            )
        here, here_i, via = ev, i, []
    return segments


def _heading(ev: Movement) -> bool:
    """Where a departure was bound ("left Luxor for Aswan"): not yet a place reached."""
    return ev.role == "destination" and ev.kind == "depart"


def _bases(actor: str, events: Sequence[Movement], idx: list[int], base_days: int) -> list[Base]:
    """Runs of consecutive events at one place; a place is a base for a long run or for two runs."""
    runs: list[list[int]] = []
    for i in idx:
        ev = events[i]
        if ev.role == "via" or _heading(ev):
            continue
        if runs and _key(events[runs[-1][0]]) == _key(ev):
            runs[-1].append(i)
        else:
            runs.append([i])
    stays: dict[str, list[tuple[list[int], int]]] = {}
    for n, run in enumerate(runs):
        first = _bounds(events[run[0]].edtf)
        nxt = _bounds(events[runs[n + 1][0]].edtf) if n + 1 < len(runs) else None
        last = _bounds(events[run[-1]].edtf)
        end = nxt[0] if nxt is not None else (last[0] if last is not None else None)
        days = max(0, (end - first[1]).days) if first is not None and end is not None else 0
        stays.setdefault(_key(events[run[0]]), []).append((run, days))
    bases = []
    for visits in stays.values():
        days = sum(d for _, d in visits)
        if days < base_days and len(visits) < 2:
            continue
        members = [i for run, _ in visits for i in run]
        bases.append(
            Base(
                actor=actor,
                place=events[members[0]].ref,
                first_edtf=events[members[0]].edtf,
                last_edtf=events[members[-1]].edtf,
                days=days,
                visits=len(visits),
                events=members,
            )
        )
    return bases


def _overlap(a: str | None, b: str | None) -> bool:
    """Whether two dates may mean the same time (an undated claim may mean any)."""
    x, y = _bounds(a), _bounds(b)
    return x is None or y is None or (x[0] <= y[1] and y[0] <= x[1])


def _conflicts(events: Sequence[Movement], idx: list[int]) -> list[tuple[int, int]]:
    """Pairs of one actor's events that cannot both be true (see module doc)."""
    pairs = []
    for n, i in enumerate(idx):
        a = events[i]
        for j in idx[n + 1 :]:
            b = events[j]
            if a.passage_start == b.passage_start and a.modality == b.modality:
                continue
            if _key(a) == _key(b):
                claim = b if a.modality == "negated" else a
                denial = a if claim is b else b
                if (
                    denial.modality == "negated"
                    and claim.modality in ("asserted", "reported")
                    and claim.role in PRESENT
                    and not _heading(claim)
                    and _overlap(a.edtf, b.edtf)
                ):
                    pairs.append((i, j))
                continue
            if (
                a.modality in ("asserted", "reported")
                and b.modality in ("asserted", "reported")
                and a.role in PRESENT
                and b.role in PRESENT
                and a.edtf == b.edtf
                and _is_day(a.edtf)
                and a.attribution != b.attribution
                and None not in (a.lat, a.lon, b.lat, b.lon)
                and distance_km(a.lat, a.lon, b.lat, b.lon) > CONFLICT_KM
            ):
                pairs.append((i, j))
    return pairs
