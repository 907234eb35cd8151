"""Events the geoparser found in a text, as ordinary ``Event``s marked ``automatic``.

``gazetteer.parse`` returns movements (``gazetteer.geoparse.events.Movement``: actors, kind, role,
origin, destination, via, EDTF, confidence, modality). A map, a CSV and the review table all want
``mapapp.models.Event``. This module is the one place that turns the first into the second, for the
dashboard's review table, for ``itinera export --text`` and for reading ``itinera parse --json`` or
``--geojson`` output back as events. Fields are read by name from an object or a JSON dict alike,
so a movement and its JSON line give the same event.

The text becomes a source named by its checksum (``text:<first 16 hex digits of its SHA-256>``): the
same text gives the same source id wherever it is read, and its passages are shown only against the
exact text (the offsets count its characters).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .models import Event, Source
from .timespan import check_edtf

KIND_OF_MOVEMENT = {
    # the movement vocabulary of gazetteer.geoparse.events
    "depart": "move",
    "arrive": "move",
    "pass": "move",
    "move": "move",
    "stay": "stay",
    "meet": "meeting",
    "fight": "battle",
    "found": "founding",
    "other": "context",
    # the older candidate events' kinds
    "base": "base",
    "meeting": "meeting",
    "context": "context",
}
MAP_MODALITIES = ("asserted", "reported")
"""What a text asserts happened: plans (``intended``) and denials (``negated``) are not put on a map
unless a reviewer accepts them."""


def certainty_of(confidence: float | None) -> str:
    """The parser's confidence (0..1) in the three words a historian uses."""
    if confidence is None:
        return "medium"
    if confidence >= 0.75:
        return "high"
    if confidence >= 0.5:
        return "medium"
    return "low"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_source_id(sha256: str) -> str:
    return f"text:{sha256[:16]}"


def source_for_text(
    name: str, data: bytes, *, author: str = "", document_date: str = "", kind: str = "text"
) -> Source:
    """The source a reader's text becomes: its file name, its SHA-256, an author or narrator, a date."""
    digest = sha256_hex(data)
    return Source(
        id=text_source_id(digest),
        title=name or "a text",
        author=author,
        kind=kind,
        date=document_date if document_date and not check_edtf(document_date) else "",
        text_file=name,
        sha256=digest,
    )


def _get(item: Any, key: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(key, default)
    return getattr(item, key, default)


def _ref_span(ref: Any) -> tuple[int, int] | None:
    if ref is None:
        return None
    if isinstance(ref, list | tuple) and len(ref) > 2:
        start, end = ref[1], ref[2]
    else:
        start, end = _get(ref, "start"), _get(ref, "end")
    return (int(start), int(end)) if start is not None and end is not None else None


def _ref_place(ref: Any) -> str:
    """A PlaceRef's place id, whether a named tuple, its JSON list or a dict."""
    if ref is None:
        return ""
    if isinstance(ref, Mapping) or hasattr(ref, "place_id"):
        return _get(ref, "place_id") or ""
    if isinstance(ref, list | tuple) and len(ref) > 4:
        return ref[4] or ""
    return ""


@dataclass(frozen=True, slots=True)
class Found:
    """One automatic event with what a reviewer weighs it by (not part of ``Event``)."""

    event: Event
    confidence: float
    modality: str
    cue: str
    place_text: str
    time: str
    span: tuple[int, int] | None = None  # the place mention's offsets (a correction of it reaches the event)
    origin_span: tuple[int, int] | None = None


def event_fields(item: Any, source_id: str, *, narrator: str = "", number: int = 0) -> dict[str, Any] | None:
    """The ``Event`` fields of one movement (an object or its JSON), as an events row would hold them;
    ``None`` when another movement of the same journey carries it.

    A journey "from X to Y via Z" comes as one movement per place. The destination's tells the
    journey (place Y, from X, via Z); the origin's and the via point's are left to it, unless the
    journey has no known destination ("left X" says he was at X; "passed Z" that he went by Z)."""
    kind = str(_get(item, "kind") or "other")
    role = str(_get(item, "role") or _get(item, "place_role") or "")
    place = _get(item, "place_id") or ""
    origin = _ref_place(_get(item, "origin")) or (_get(item, "from_place_id") or "")
    destination = _ref_place(_get(item, "destination"))
    vias = [_ref_place(v) for v in (_get(item, "via") or [])]
    if role in ("origin", "via") and destination and destination != place:
        return None
    if role == "origin" or (kind == "depart" and role != "destination"):
        origin, kind = "", "stay"
    elif role == "via":
        origin, kind = "", "pass"
    if origin == place:
        origin = ""
    actors = [str(a) for a in (_get(item, "actors") or []) if str(a).strip()]
    if not actors:
        actors = [narrator or "the narrator"]
    edtf = _get(item, "edtf") or ""
    if edtf and check_edtf(edtf):
        edtf = ""
    modality = str(_get(item, "modality") or "asserted")
    attribution = _get(item, "attribution") or ""
    if modality == "reported" and not attribution:
        attribution = "reported"
    cue = _get(item, "cue") or ""
    time_of_day = _get(item, "time") or ""
    confidence = _get(item, "confidence")
    words = [f"“{cue}”" if cue else KIND_OF_MOVEMENT.get(kind, "context")]
    words.append(_get(item, "place_name") or _get(item, "text") or place)
    if time_of_day:
        words.append(f"at {time_of_day}")
    if modality not in ("asserted", "reported"):
        words.append(f"({modality})")
    start = _get(item, "start")
    return {
        "id": f"{source_id}@{start if start is not None else number}",
        "actors": actors,
        "kind": KIND_OF_MOVEMENT.get(kind, "context"),
        "place_id": place,
        "from_place_id": origin,
        "via_place_id": next((v for v in vias if v and v not in (place, origin)), ""),
        "edtf": edtf,
        "date_phrase": _get(item, "date_phrase") or "",
        "source_id": source_id,
        "passage_start": _get(item, "passage_start"),
        "passage_end": _get(item, "passage_end"),
        "attribution": attribution,
        "certainty": certainty_of(confidence) if modality == "asserted" else "low",
        "date_implied": bool(edtf) and (_get(item, "date_basis") or "sentence") != "sentence",
        "summary": " ".join(str(w) for w in words if w),
        "automatic": True,
    }


def found_in_parse(result: Any, source: Source, *, narrator: str = "") -> list[Found]:
    """Every movement of a ``gazetteer.parse`` result that has a place, as an automatic event with its
    confidence and modality, in text order; ids are unique (``text:...@<offset>``)."""
    out: list[Found] = []
    seen: set[str] = set()
    for number, item in enumerate(getattr(result, "events", ()) or (), start=1):
        fields = event_fields(item, source.id, narrator=narrator or source.author, number=number)
        if fields is None or not fields["place_id"]:
            continue
        base, n = fields["id"], 1
        while fields["id"] in seen:
            n += 1
            fields["id"] = f"{base}.{n}"
        seen.add(fields["id"])
        confidence = _get(item, "confidence")
        origin = _get(item, "origin")
        out.append(
            Found(
                event=Event(**fields),
                confidence=float(confidence) if confidence is not None else 0.5,
                modality=str(_get(item, "modality") or "asserted"),
                cue=_get(item, "cue") or "",
                place_text=_get(item, "text") or "",
                time=_get(item, "time") or "",
                span=_ref_span(item),
                origin_span=_ref_span(origin) if fields["from_place_id"] and origin is not None else None,
            )
        )
    return out


def events_from_parse(
    result: Any, source: Source, *, narrator: str = "", modalities: Iterable[str] = MAP_MODALITIES
) -> list[Event]:
    """The events a text asserts (plans and denials left out), ready for a map or an events CSV."""
    keep = set(modalities)
    return [f.event for f in found_in_parse(result, source, narrator=narrator) if f.modality in keep]


def row_from_parse_record(record: Mapping[str, Any], number: int) -> dict[str, Any] | None:
    """An events row from one event record of ``itinera parse --json`` (or a ``--geojson`` feature's
    properties); its source is the file it names, since the output holds no checksum."""
    file_name = str(record.get("file") or "")
    source_id = f"file:{file_name}" if file_name else "parsed text"
    fields = event_fields(record, source_id, number=number)
    if fields is not None and str(record.get("modality") or "asserted") not in MAP_MODALITIES:
        fields["certainty"] = "low"
    return fields


def parse_text(
    text: str,
    *,
    document_date: str | None = None,
    narrator: str | None = None,
    file_name: str | None = None,
    gazetteer: Any = None,
) -> Any:
    """``gazetteer.parse`` with the keywords this version of it takes (narrator and file name are
    newer than the rest)."""
    from gazetteer import parse

    accepted = inspect.signature(parse).parameters
    wanted = {
        "document_date": document_date,
        "narrator": narrator,
        "file_name": file_name,
        "gazetteer": gazetteer,
    }
    return parse(text, **{k: v for k, v in wanted.items() if k in accepted and v is not None})


@dataclass(frozen=True, slots=True)
class TextEvents:
    """A reader's text read and parsed: its source, its text, and the automatic events found in it."""

    source: Source
    text: str
    found: list[Found]
    warnings: list[str]
    result: Any = None  # the ``gazetteer.parse`` result (its mentions, for the mentions table)

    def events(self, modalities: Iterable[str] = MAP_MODALITIES) -> list[Event]:
        keep = set(modalities)
        return [f.event for f in self.found if f.modality in keep]


def read_text_events(
    name: str,
    data: bytes,
    *,
    narrator: str = "",
    document_date: str = "",
    gazetteer: Any = None,
) -> TextEvents:
    """A text file's bytes -> its source (name, SHA-256, narrator, date) and automatic events.

    Raises ``gazetteer.errors.TextInputError`` (a message naming the file) for empty, binary or
    undecodable input."""
    from gazetteer.text import decode_bytes

    text, _encoding, notes = decode_bytes(data, name=name)
    source = source_for_text(name, data, author=narrator, document_date=document_date)
    result = parse_text(
        text,
        document_date=document_date or None,
        narrator=narrator or None,
        file_name=name,
        gazetteer=gazetteer,
    )
    return TextEvents(source, text, found_in_parse(result, source, narrator=narrator), list(notes), result)
