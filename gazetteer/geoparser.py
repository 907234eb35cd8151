"""``parse``: place mentions, dates and candidate events of a text, with offsets into the text as given.

The text is cleaned first (``text.clean``: ``Soviet\\union``, ``rom``, curly quotes...), analysed on the
clean copy, and every span is mapped back, so ``text[m.start:m.end]`` is exactly what the reader sees
in the file (``Soviet\\union`` included), for mentions, dates and events alike.

Order of work (``gazetteer.geoparse`` holds one module per step): dates first (their spans are not
names: "June 1941", "Showa 19"; their years are the time hints for names like "Stalingrad"), then
spaCy's entities and sentences paragraph by paragraph, toponyms (entities united with gazetteer
names), their resolution as one document, and last the movements of the sentences that hold a place.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .dates import DateMention, edtf_value, find_dates
from .errors import TextInputError
from .text import CleanText, clean, layout

if TYPE_CHECKING:
    from .geocoder import Gazetteer
    from .geoparse.toponyms import Toponym


@dataclass(frozen=True, slots=True)
class Alternative:
    place_id: str
    name: str
    score: float


class PlaceMention(NamedTuple):
    """A place mention; ``start``/``end`` index the original text. Place fields are None when unresolved
    (then ``alternatives`` holds the best guesses). A named tuple: a long text has tens of thousands,
    and a tuple is built several times faster than a dataclass instance."""

    start: int
    end: int
    text: str
    name: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    feature_type: str | None
    uncertainty_km: float | None
    score: float
    role: str = "place"
    organisation: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.place_id is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "mention",
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "place_id": self.place_id,
            "name": self.place_name,
            "lat": self.lat,
            "lon": self.lon,
            "feature_type": self.feature_type,
            "uncertainty_km": self.uncertainty_km,
            "score": self.score,
            "role": self.role,
            "organisation": self.organisation,
            "alternatives": [asdict(a) for a in self.alternatives],
            "reasons": list(self.reasons),
        }


@dataclass(slots=True)
class DateExpression:
    """A date expression; ``start``/``end`` index the original text. ``edtf`` is None for a relative
    expression with nothing to anchor to."""

    start: int
    end: int
    text: str
    edtf: str | None
    precision: str
    kind: str
    anchor: str | None = None
    anchor_source: str | None = None
    in_quotation: bool = False
    role: str = "narrative"
    basis: str | None = None  # sentence | heading | running | citation | document | filename

    def to_json(self) -> dict[str, Any]:
        return {"type": "date", **asdict(self)}


@dataclass(slots=True)
class ParseResult:
    """What ``parse`` found; ``text`` is the original, which every offset indexes."""

    text: str
    mentions: list[PlaceMention] = field(default_factory=list)
    dates: list[DateExpression] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)  # gazetteer.geoparse.events.Movement
    document_date: str | None = None

    def records(self) -> Iterator[dict[str, Any]]:
        """Mentions, dates and events as JSON-ready dicts, in that order."""
        for m in self.mentions:
            yield m.to_json()
        for d in self.dates:
            yield d.to_json()
        for e in self.events:
            yield e.to_json()

    def to_jsonl(self, **extra: Any) -> str:
        """JSON Lines, one object per line; ``extra`` keys (e.g. ``file``) are added to every line."""
        return "".join(json.dumps({**r, **extra}, ensure_ascii=False) + "\n" for r in self.records())

    def to_geojson(self, **extra: Any) -> dict[str, Any]:
        """A FeatureCollection: one Point per resolved mention and per located event."""
        return {"type": "FeatureCollection", "features": list(self.features(**extra))}

    def features(self, **extra: Any) -> Iterator[dict[str, Any]]:
        for m in self.mentions:
            if m.lat is None or m.lon is None:
                continue
            props = {k: v for k, v in m.to_json().items() if k not in ("lat", "lon")}
            yield _point(m.lon, m.lat, {**props, **extra})
        for e in self.events:
            if e.lat is None or e.lon is None:
                continue
            props = {k: v for k, v in e.to_json().items() if k not in ("lat", "lon")}
            yield _point(e.lon, e.lat, {**props, **extra})


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """One offline ``Gazetteer`` per process (loading its index costs a fraction of a second)."""
    from .geocoder import Gazetteer

    return Gazetteer()


def parse(
    text: str,
    *,
    document_date: str | None = None,
    narrator: str | None = None,
    file_name: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> ParseResult:
    """Place mentions, date expressions and movements of ``text`` (offsets into ``text``).

    ``document_date`` (EDTF) anchors relative dates with nothing before them and dates the events
    nothing else dates; without it, a date in ``file_name`` (``1916-03-09.txt``) does. ``narrator`` names
    the "I" and "we" of the text (else "the narrator").
    ``gazetteer`` defaults to the offline one.
    """
    from .geoparse import nlp
    from .geoparse.resolve import resolve
    from .geoparse.toponyms import ToponymFinder

    if document_date is not None and edtf_value(document_date) is None:
        raise TextInputError(f"document date {document_date!r} is not an EDTF date this parser can use")
    gz = gazetteer or default_gazetteer()
    ct = clean(text)
    structure = layout(ct.text, text, ct)
    dates = find_dates(ct.text, document_date=document_date, structure=structure, file_name=file_name)
    chunks = list(_chunks(ct.text, structure.paragraphs))
    docs = zip((a for a, _ in chunks), nlp.ner_docs(ct.text[a:b] for a, b in chunks), strict=True)
    finder = ToponymFinder(gz)
    toponyms, sentences = finder.find(ct.text, docs, exclude=[(d.start, d.end) for d in dates])
    toponyms = resolve(toponyms, gz, year_at=_year_at(dates), text=ct.text)
    mentions = [_mention_out(ct, t) for t in toponyms]
    events = _events(ct, toponyms, dates, sentences, structure, narrator, document_date, finder.persons)
    return ParseResult(
        text=text,
        mentions=mentions,
        dates=[_date_out(ct, d) for d in dates],
        events=events,
        document_date=document_date,
    )


def _events(ct, toponyms, dates, sentences, structure, narrator, document_date, persons) -> list[Any]:
    """Movements from the sentences that hold a place, their offsets mapped to the original text."""
    from .dates import find_times
    from .geoparse.events import extract_events

    # places named inside a unit's or an institution's name ("the Kwantung Army") are no event's place
    places = [i for i, t in enumerate(toponyms) if t.organisation is None]
    found = extract_events(
        ct.text,
        [toponyms[i] for i in places],
        dates,
        find_times(ct.text),
        sentences=sentences,
        narrator=narrator,
        document_date=document_date,
        quotations=structure.quotations,
        persons=persons,
    )
    return [_renumbered(mv, places).mapped(ct.span, ct.original) for mv in found]


def _renumbered(mv: Any, numbers: list[int]) -> Any:
    """A movement whose mention indexes (its own, origin, destination, via) count all mentions."""
    from dataclasses import replace

    def ref(r):
        return None if r is None else replace(r, mention=numbers[r.mention])

    return replace(
        mv,
        mention=numbers[mv.mention],
        origin=ref(mv.origin),
        destination=ref(mv.destination),
        via=[ref(r) for r in mv.via],
    )


def _chunks(text: str, paragraphs: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Paragraphs, each cut at sentence ends into pieces of at most ``nlp.MAX_CHARS`` characters (a
    paragraph-less text, such as one 2 MB line, is still read in bounded pieces)."""
    from .geoparse.nlp import MAX_CHARS
    from .text import sentences

    for a, b in paragraphs:
        if b - a <= MAX_CHARS:
            yield a, b
            continue
        start = a
        end = a
        for _, se in sentences(text, (a, b)):
            if se - start > MAX_CHARS and end > start:
                yield start, end
                start = end
            end = se
        while end - start > MAX_CHARS:  # one sentence longer than the limit: cut at a space
            cut = text.rfind(" ", start, start + MAX_CHARS)
            cut = cut if cut > start else start + MAX_CHARS
            yield start, cut
            start = cut
        if end > start:
            yield start, end


def _year_at(dates: list[DateMention]):
    """A function giving the year the text speaks of at an offset: that of the latest narrative date
    before it spanning ten years at most (the time hint for names like "Stalingrad")."""
    marks: list[int] = []
    years: list[int] = []
    for d in dates:
        if d.role == "citation" or d.lower is None or d.upper is None:
            continue
        if d.upper.year - d.lower.year <= 10:
            marks.append(d.start)
            years.append(d.lower.year)

    def year_at(offset: int) -> int | None:
        k = bisect_right(marks, offset) - 1
        return years[k] if k >= 0 else (years[0] if years else None)

    return year_at


def _mention_out(ct: CleanText, t: Toponym) -> PlaceMention:
    """The output form of a toponym (offsets into the original text)."""
    s, e = ct.span(t.start, t.end)
    p = t.place
    others = [c for c in t.candidates if p is None or c.place.id != p.id][:3]
    alts = tuple(Alternative(c.place.id, c.place.name, c.score) for c in others)
    fields = (p.id, p.name, p.lat, p.lon, p.feature_type, p.uncertainty_km) if p else (None,) * 6
    role = "in_organisation" if t.organisation else "place"
    return PlaceMention(s, e, ct.original[s:e], t.text, *fields, round(t.score, 4), role, t.organisation,
                        alts, tuple(t.reasons))  # fmt: skip


def _date_out(ct: CleanText, d: DateMention) -> DateExpression:
    s, e = ct.span(d.start, d.end)
    return DateExpression(
        start=s,
        end=e,
        text=ct.original[s:e],
        edtf=d.edtf,
        precision=d.precision,
        kind=d.kind,
        anchor=d.anchor,
        anchor_source=d.anchor_source,
        in_quotation=d.in_quotation,
        role=d.role,
        basis=d.basis,
    )
