"""``parse``: place mentions, dates and candidate events of a text, with offsets into the text as given.

The text is cleaned first (``text.clean``: ``Soviet\\union``, ``rom``, curly quotes...), analysed on the
clean copy, and every span is mapped back, so ``text[m.start:m.end]`` is exactly what the reader sees
in the file (``Soviet\\union`` included), for mentions, dates and events alike.

Order of work: dates first (their spans are not names: "June 1941", "Showa 19"; their years are the
time hints for names like "Stalingrad"), then mentions over the gazetteer, then candidate events
joining the two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .candidates import CandidateEvent, candidate_events
from .dates import DateMention, edtf_value, find_dates
from .gcpause import without_gc
from .mentions import Mention, MentionFinder, _Merged
from .text import CleanText, clean, layout

if TYPE_CHECKING:
    from .geocoder import Gazetteer


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

    def to_json(self) -> dict[str, Any]:
        return {"type": "date", **asdict(self)}


@dataclass(slots=True)
class EventCandidate:
    """A mention with its governing date and movement cue; every offset indexes the original text.

    ``passage_start``/``passage_end`` span the sentence the suggestion comes from."""

    mention: int
    start: int
    end: int
    text: str
    place_id: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    kind: str
    place_role: str
    cue: str | None
    edtf: str | None
    date_phrase: str | None
    date_start: int | None
    date_end: int | None
    date_basis: str | None
    from_place_id: str | None
    from_start: int | None
    from_end: int | None
    passage_start: int
    passage_end: int
    in_quotation: bool

    def to_json(self) -> dict[str, Any]:
        return {"type": "event", **asdict(self)}


@dataclass(slots=True)
class ParseResult:
    """What ``parse`` found; ``text`` is the original, which every offset indexes."""

    text: str
    mentions: list[PlaceMention] = field(default_factory=list)
    dates: list[DateExpression] = field(default_factory=list)
    events: list[EventCandidate] = field(default_factory=list)
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


_FINDERS: dict[int, tuple[Gazetteer, MentionFinder]] = {}


def _finder(gz: Gazetteer) -> MentionFinder:
    got = _FINDERS.get(id(gz))
    if got is None or got[0] is not gz:
        got = (gz, MentionFinder(gz))
        _FINDERS[id(gz)] = got
    return got[1]


@without_gc
def parse(text: str, *, document_date: str | None = None, gazetteer: Gazetteer | None = None) -> ParseResult:
    """Place mentions, date expressions and candidate events of ``text`` (offsets into ``text``).

    ``document_date`` (EDTF) anchors relative dates with nothing before them and dates the events
    nothing else dates. ``gazetteer`` defaults to the offline one.
    """
    if document_date is not None and edtf_value(document_date) is None:
        from .errors import TextInputError

        raise TextInputError(f"document date {document_date!r} is not an EDTF date this parser can use")
    gz = gazetteer or default_gazetteer()
    ct = clean(text)
    structure = layout(ct.text, text, ct)
    dates = find_dates(ct.text, document_date=document_date, structure=structure)
    years = _years(dates)
    mentions = _finder(gz).find(
        ct.text,
        sentence_starts=[s for s, _ in structure.sentences],
        years=years,
        exclude=[(d.start, d.end) for d in dates],
        paragraphs=structure.paragraphs,
    )
    events = candidate_events(ct.text, mentions, dates, structure, document_date=document_date)
    memo: dict = {}
    out_mentions = [_mention_out(ct, m, memo) for m in mentions]
    return ParseResult(
        text=text,
        mentions=out_mentions,
        dates=[_date_out(ct, d) for d in dates],
        events=[_event_out(ct, e, out_mentions) for e in events],
        document_date=document_date,
    )


@without_gc
def find_places(text: str, *, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Place mentions only (no dates, no events): what a plain geoparser such as geotext returns, with
    the same cleaning, person and common-word filters and context resolution as ``parse``."""
    from .text import paragraphs

    gz = gazetteer or default_gazetteer()
    ct = clean(text)
    pairs, resolved = _finder(gz).find_resolved(ct.text, paragraphs=paragraphs(ct.text))
    return _places_out(ct, pairs, resolved)


def _places_out(
    ct: CleanText, pairs: list[tuple[int, _Merged]], resolved: dict[int, list]
) -> list[PlaceMention]:
    """Output mentions paragraph by paragraph: a paragraph met before with the same findings reuses
    its fields (only the offsets change; ``resolved`` holds each findings object's resolutions), and a
    paragraph free of length-changing repairs maps its offsets back by one shift."""
    from bisect import bisect_right

    out: list[PlaceMention] = []
    templates: dict[int, tuple[list, int, int]] = {}
    memo: dict = {}
    clean_bp, orig_bp = ct.breakpoints
    n_bp = len(clean_bp)
    original = ct.original
    new = tuple.__new__
    append = out.append
    k = 0  # breakpoint index; paragraphs come in text order
    for ps, merged in pairs:
        got = templates.get(id(merged))  # ``pairs`` keeps every findings object alive
        if got is None:
            rows = [
                (a, b, _mention_fields(Mention(a, b, t, k_, s, r, o, place, score, cands, list(rs)), memo))
                for (a, b, t, k_, s, r, o, rs), (cands, score, place) in zip(
                    merged.rel, resolved[id(merged)], strict=True
                )
            ]
            got = templates[id(merged)] = (rows, min(a for a, _, _ in rows), max(b for _, b, _ in rows))
        rows, lo, hi = got
        lo += ps
        while k + 1 < n_bp and clean_bp[k + 1] <= lo:
            k += 1
        if k + 1 == n_bp or clean_bp[k + 1] > ps + hi - 1:
            if clean_bp[k] > lo:  # a mention before the breakpoint the walk stands on (text order broken)
                k = bisect_right(clean_bp, lo) - 1
            d = ps + orig_bp[k] - clean_bp[k]
            for a, b, tail in rows:
                a += d
                b += d
                append(new(PlaceMention, (a, b, original[a:b], *tail)))
        else:
            for a, b, tail in rows:
                s, e = ct.span(a + ps, b + ps)
                append(new(PlaceMention, (s, e, original[s:e], *tail)))
    return out


def _years(dates: list[DateMention]) -> list[tuple[int, int | None]]:
    """(offset, year) from each narrative date on: the time hint for the names after it."""
    out: list[tuple[int, int | None]] = []
    for d in dates:
        if d.role == "citation" or d.lower is None or d.upper is None:
            continue
        if d.upper.year - d.lower.year <= 10:
            out.append((d.start, d.lower.year))
    return out


def _mention_out(ct: CleanText, m: Mention, memo: dict | None = None) -> PlaceMention:
    """The output form of a mention (offsets into the original text)."""
    s, e = ct.span(m.start, m.end)
    return PlaceMention(s, e, ct.original[s:e], *_mention_fields(m, {} if memo is None else memo))


def _mention_fields(m: Mention, memo: dict) -> tuple:
    """A mention's output fields after its offsets and surface text. What follows from its candidates
    alone (the place's fields, the alternatives, the score) is built once per candidates tuple: a long
    text names the same places again and again."""
    p = m.place
    key = (id(m.candidates), p is None)
    got = memo.get(key)
    if got is None:
        alts = tuple(Alternative(c.place.id, c.place.name, c.score) for c in m.candidates[1 if p else 0 : 4])
        fields = (
            (p.id, p.name, p.lat, p.lon, p.feature_type, p.uncertainty_km)
            if p
            else (None, None, None, None, None, None)
        )
        got = (alts, m.candidates[0].reasons if m.candidates else (), fields, m.score, m.candidates)
        memo[key] = got  # the candidates tuple is kept alive in the value, so its id stays unique
    alts, top_reasons, fields, score, _ = got
    reasons = (
        (*(r for r in m.reasons if not r.startswith("looked up as ")), *top_reasons)
        if m.reasons
        else top_reasons
    )
    return (m.text, *fields, round(score, 4), m.role, m.organisation, alts, reasons)


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
    )


def _event_out(ct: CleanText, e: CandidateEvent, mentions: list[PlaceMention]) -> EventCandidate:
    m = mentions[e.mention]
    ps, pe = ct.span(e.sentence_start, e.sentence_end)
    ds, de = ct.span(e.date_start, e.date_end) if e.date_start is not None else (None, None)
    f = mentions[e.from_mention] if e.from_mention is not None else None
    return EventCandidate(
        mention=e.mention,
        start=m.start,
        end=m.end,
        text=m.text,
        place_id=m.place_id,
        place_name=m.place_name,
        lat=m.lat,
        lon=m.lon,
        kind=e.kind,
        place_role=e.place_role,
        cue=ct.original[slice(*ct.span(e.cue_start, e.cue_end))] if e.cue_start is not None else None,
        edtf=e.edtf,
        date_phrase=ct.original[ds:de] if ds is not None else None,
        date_start=ds,
        date_end=de,
        date_basis=e.date_basis,
        from_place_id=e.from_place_id,
        from_start=f.start if f else None,
        from_end=f.end if f else None,
        passage_start=ps,
        passage_end=pe,
        in_quotation=e.in_quotation,
    )
