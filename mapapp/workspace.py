"""The dashboard's workspace: the corpus, the places by id (curated, GeoNames, the reader's own)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .models import Event, Source


class PlaceLookup(Mapping[str, Any]):
    """Places by id: the reader's additions, then the curated gazetteer, then the full one (GeoNames).

    Iterating lists only the first two; the full gazetteer is asked one id at a time, and its answers
    are remembered.
    """

    def __init__(
        self, curated: Mapping[str, Any], gazetteer: Any = None, extra: Mapping[str, Any] | None = None
    ):
        self.curated = dict(curated)
        self.gazetteer = gazetteer
        self.extra = dict(extra or {})
        self._looked_up: dict[str, Any] = {}

    def with_extra(self, places: Iterable[Any]) -> PlaceLookup:
        new = PlaceLookup(self.curated, self.gazetteer, {**self.extra, **{p.id: p for p in places}})
        new._looked_up = self._looked_up
        return new

    def __getitem__(self, place_id: str) -> Any:
        for table in (self.extra, self.curated, self._looked_up):
            if place_id in table:
                return table[place_id]
        found = None
        if self.gazetteer is not None and place_id:
            try:
                found = self.gazetteer.get(place_id)
            except Exception:  # a malformed id is simply unknown
                found = None
        if found is None:
            raise KeyError(place_id)
        self._looked_up[place_id] = found
        return found

    def __contains__(self, place_id: object) -> bool:
        try:
            self[place_id]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self):
        yield from self.extra
        yield from (k for k in self.curated if k not in self.extra)

    def __len__(self) -> int:
        return len(set(self.extra) | set(self.curated))


@dataclass
class Workspace:
    """What the app shows before the reader adds anything: the corpus (or ``ITINERA_EVENTS``)."""

    sources: dict[str, Source]
    events: list[Event]
    places: PlaceLookup
    texts: dict[str, Any]  # source id -> corpus.SourceText
    problems: list[str]
    events_label: str
    gazetteer: Any = None


def load_workspace(
    events_path: str | None = None,
    texts_dir: str | None = None,
    *,
    gazetteer: Any = None,
) -> Workspace:
    """The curated corpus, or the events of ``events_path`` with the corpus's sources and places."""
    from .corpus import load_corpus, read_events

    corpus = load_corpus(texts_dir=texts_dir)
    places = PlaceLookup(corpus.places, gazetteer)
    problems = [str(p) for p in corpus.problems]
    events = corpus.events
    label = "the first corpus (data/events.csv)"
    if events_path:
        loaded = read_events(events_path, places=places.__contains__)  # as the CLI and uploads read them
        problems = [str(p) for p in loaded.problems]
        events = loaded.items
        label = str(events_path)
    return Workspace(corpus.sources, events, places, corpus.texts, problems, label, gazetteer)


def place_choices(
    query: str, places: PlaceLookup, gazetteer: Any = None, limit: int = 25
) -> list[tuple[str, str]]:
    """(place id, label) pairs for a place picker: the gazetteer's candidates for ``query``, or with no
    query the curated places and the reader's own, by name."""
    query = (query or "").strip()
    out: dict[str, str] = {}

    def label(p: Any) -> str:
        return f"{p.name} ({p.feature_type}, {p.id})"

    if query and gazetteer is not None:
        try:
            for c in gazetteer.candidates(query, limit=limit):
                out[c.place.id] = label(c.place)
        except Exception:  # an odd query is simply one without candidates
            pass
    if query:
        q = query.lower()
        for pid in places:
            p = places[pid]
            if q in p.name.lower() or any(q in a.name.lower() for a in p.alternate_names):
                out.setdefault(pid, label(p))
    else:
        for pid in sorted(places, key=lambda k: places[k].name):
            out[pid] = label(places[pid])
    return list(out.items())[: max(limit, 1) if query else None]


def places_for(events: Iterable[Event], places: Mapping[str, Any]) -> dict[str, Any]:
    """The places the events name, resolved (builders copy a mapping by iterating it, which a
    ``PlaceLookup`` cannot do for the full gazetteer)."""
    out: dict[str, Any] = {}
    for e in events:
        for pid in (e.place_id, e.from_place_id, e.via_place_id):
            if pid and pid not in out:
                p = places.get(pid)
                if p is not None:
                    out[pid] = p
    # the period's polities come from the curated gazetteer, whatever the events name
    if isinstance(places, PlaceLookup):
        for pid, p in places.curated.items():
            out.setdefault(pid, p)
    return out
