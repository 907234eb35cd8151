"""Our five movement texts (tests/data/movements) with their hand-made gold itineraries, and the score
of extracted movements against them (shared by tests/test_movements.py and bench/bench_movements.py).

A gold movement is (actor, place as written, role, EDTF, modality, attribution). Two ways to get the
places: ``marked`` takes every occurrence of the gold file's place names, as a reader marks them, each
resolved by the embedded gazetteer (to test the movement step alone); ``found`` takes the mentions the
geoparser finds (the whole pipeline).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from gazetteer.dates import find_dates
from gazetteer.geoparse.events import NARRATOR, Movement, extract_events
from gazetteer.geoparse.itinerary import itineraries
from gazetteer.geoparser import default_gazetteer, parse
from gazetteer.text import layout
from gazetteer.times import find_times

MOVEMENTS = Path(__file__).resolve().parent / "data" / "movements"
NAMES = ("diary", "purser_log", "biography", "letters", "memoir")


class Marked(NamedTuple):
    start: int
    end: int
    text: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Gold:
    name: str
    text: str
    narrator: str | None
    document_date: str | None
    places: tuple[str, ...]
    movements: tuple[dict[str, Any], ...]
    bases: tuple[dict[str, str], ...]
    contested: tuple[dict[str, str], ...]


@cache
def gold(name: str) -> Gold:
    data = json.loads((MOVEMENTS / f"{name}.gold.json").read_text(encoding="utf-8"))
    return Gold(
        name=name,
        text=(MOVEMENTS / data["text"]).read_text(encoding="utf-8"),
        narrator=data["narrator"],
        document_date=data["document_date"],
        places=tuple(data["places"]),
        movements=tuple(data["movements"]),
        bases=tuple(data["bases"]),
        contested=tuple(data["contested"]),
    )


def marked(g: Gold) -> list[Marked]:
    """Every occurrence of the gold places' names, resolved by the embedded gazetteer."""
    gz = default_gazetteer()
    out = []
    for name in g.places:
        found = gz.candidates(name, limit=1)
        place = found[0].place if found else None
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", g.text):
            out.append(
                Marked(
                    m.start(),
                    m.end(),
                    name,
                    place.id if place else None,
                    place.name if place else None,
                    place.lat if place else None,
                    place.lon if place else None,
                )
            )
    return sorted(out)


def found(g: Gold) -> list:
    return list(parse(g.text, document_date=g.document_date).mentions)


def movements(g: Gold, toponyms) -> list[Movement]:
    structure = layout(g.text)
    return extract_events(
        g.text,
        toponyms,
        find_dates(g.text, document_date=g.document_date, structure=structure),
        find_times(g.text),
        sentences=structure.sentences,
        narrator=g.narrator,
        document_date=g.document_date,
        quotations=structure.quotations,
    )


def _norm(s: str | None) -> str | None:
    return " ".join(s.split()).casefold() if s else None


def gold_key(m: dict[str, Any], *, role: bool = True) -> tuple:
    return (
        _norm(m["actor"]),
        _norm(m["place"]),
        m["role"] if role else None,
        m["edtf"],
        m.get("modality", "asserted"),
        _norm(m.get("attribution")),
    )


def event_keys(ev: Movement, *, role: bool = True) -> list[tuple]:
    return [
        (_norm(a), _norm(ev.text), ev.role if role else None, ev.edtf, ev.modality, _norm(ev.attribution))
        for a in ev.actors
    ]


@dataclass(frozen=True)
class Score:
    gold: int
    predicted: int
    right: int  # actor, place, role, date, modality
    right_no_role: int  # actor, place, date, modality (the target)
    eod_days: int
    eod_right: int

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    @property
    def recall_no_role(self) -> float:
        return self.right_no_role / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def end_of_day(self) -> float:
        return self.eod_right / self.eod_days if self.eod_days else 1.0


def _matches(golds: list[tuple], predicted: list[list[tuple]]) -> int:
    want = Counter(golds)
    right = 0
    for keys in predicted:
        for k in keys:
            if want[k] > 0:
                want[k] -= 1
                right += 1
                break
    return right


def gold_end_of_day(g: Gold) -> dict[tuple[str, str], str | None]:
    out: dict[tuple[str, str], str | None] = {}
    for m in g.movements:
        if m.get("modality", "asserted") != "asserted" or len(m["edtf"]) != 10:
            continue
        if m["role"] in ("destination", "location"):
            out[(_norm(m["actor"]), m["edtf"])] = _norm(m["place"])
        elif m["role"] == "origin":
            out[(_norm(m["actor"]), m["edtf"])] = None
    return out


def score(g: Gold, events: list[Movement]) -> Score:
    right = _matches([gold_key(m) for m in g.movements], [event_keys(ev) for ev in events])
    loose = _matches(
        [gold_key(m, role=False) for m in g.movements], [event_keys(ev, role=False) for ev in events]
    )
    want = gold_end_of_day(g)
    got: dict[tuple[str, str], str | None] = {}
    for actor, it in itineraries(events).items():
        for day, ref in it.end_of_day(events).items():
            got[(_norm(actor), day)] = _norm(ref.text) if ref else None
    eod_right = sum(1 for k, v in want.items() if k in got and got[k] == v)
    return Score(len(g.movements), len(events), right, loose, len(want), eod_right)


__all__ = ["NAMES", "NARRATOR", "Gold", "Score", "found", "gold", "marked", "movements", "score"]
