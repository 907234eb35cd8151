"""What the reader brings: texts, events files and places, each checked and reported by name.

Each ``take_*`` turns one upload into data in ``state`` (the Streamlit session state, or any dict in
tests) and leaves a report under ``upload_<kind>_report``: ``error`` (the file was refused),
``warnings``, ``problems`` (rows of a table) and ``ok`` (what was taken). The same upload seen again
on a rerun is not processed twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, MutableMapping
from typing import Any

import pandas as pd

from .models import Source
from .review import ReviewStore
from .workspace import Workspace

UPLOAD_LIMIT_MB = 20
"""The one limit on an uploaded file, of any kind: the upload boxes say it (``itinera app`` passes it
to Streamlit as ``server.maxUploadSize``) and ``decode_upload`` enforces it."""
MAX_UPLOAD_BYTES = UPLOAD_LIMIT_MB * 1024 * 1024
MAX_TEXT_BYTES = MAX_DATA_BYTES = MAX_UPLOAD_BYTES


class UploadError(ValueError):
    """An uploaded file cannot be used; the message names the file and says what to do."""


def decode_upload(name: str, data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> tuple[str, list[str]]:
    """(text, warnings) of an uploaded file, read as the geoparser reads files (``gazetteer.text``).

    UTF-8 and UTF-16/32 with a BOM are read as such; other 8-bit text as cp1252 with a warning.
    Empty, too large and binary files are refused with a message naming the file.
    """
    from gazetteer.errors import TextInputError
    from gazetteer.text import decode_bytes

    if len(data) > max_bytes:
        size, limit = len(data) / 1024 / 1024, max_bytes // 1024 // 1024
        raise UploadError(f"{name}: {size:.1f} MB is too large (the limit is {limit} MB)")
    try:
        text, _encoding, notes = decode_bytes(data, name=name)
    except TextInputError as exc:
        raise UploadError(str(exc)) from exc
    return text, list(notes)


def parse_json_upload(name: str, data: bytes) -> Any:
    text, _ = decode_upload(name, data, max_bytes=MAX_DATA_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UploadError(f"{name}: not valid JSON ({where}: {exc.msg})") from exc


def places_from_upload(name: str, data: bytes) -> tuple[list[Any], list[str]]:
    """Places from an uploaded Linked Places (LPF) or plain GeoJSON file, and a problem per bad feature.

    Ids come from the file and the feature (``gazetteer.places.user_place_id``: the feature's own id,
    else ``user:<file>:<number>``), never from the name; a second feature with an id already used is
    reported and left out, so no place silently replaces another.
    """
    from gazetteer.errors import GazetteerDataError
    from gazetteer.places import place_from_lpf, user_place_id

    doc = parse_json_upload(name, data)
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise UploadError(f"{name}: expected a GeoJSON FeatureCollection (or LPF), found no 'type' of one")
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise UploadError(f"{name}: 'features' is not a list")
    places, problems = [], []
    first: dict[str, int] = {}
    for i, feature in enumerate(features, start=1):
        where = f"{name}, feature {i}"
        if not isinstance(feature, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        feature = dict(feature)
        props = dict(feature.get("properties") or {})
        title = props.get("title") or props.get("name") or props.get("toponym")
        if not title:
            problems.append(f"{where}: no name (give properties.name or title)")
            continue
        if not props.get("title"):
            props["title"] = str(title)
        feature["properties"] = props
        feature["@id"] = user_place_id(name, feature, i - 1)
        if feature["@id"] in first:
            problems.append(
                f"{where} ({title}): id {feature['@id']!r} is already feature {first[feature['@id']]}'s; "
                "left out (give each feature its own id)"
            )
            continue
        geom = feature.get("geometry")
        if not geom and not props.get("representative_point"):
            problems.append(f"{where} ({title}): no geometry")
            continue
        try:
            places.append(place_from_lpf(feature, where=where, source="upload"))
        except GazetteerDataError as exc:
            problems.append(str(exc))
            continue
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{where}: malformed feature ({exc})")
            continue
        first[feature["@id"]] = i
    if not places and not problems:
        problems.append(f"{name}: the collection has no features")
    return places, problems


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seen(state: MutableMapping[str, Any], kind: str, name: str, data: bytes) -> bool:
    key = f"{name}:{_digest(data)}"
    if state.get(f"upload_{kind}_key") == key:
        return True
    state[f"upload_{kind}_key"] = key
    return False


def take_text_upload(
    state: MutableMapping[str, Any],
    name: str,
    data: bytes,
    sources: Mapping[str, Source],
    gazetteer: Any = None,
    *,
    review: ReviewStore | None = None,
    narrator: str = "",
    document_date: str = "",
) -> None:
    """A text the reader gave: remembered by checksum (so a corpus text shows its passages) and
    geoparsed; its mentions go to ``state["user_parse"]``. A text of the reader's own becomes a source
    in ``review`` with its automatic events waiting there; the window and the map then fit them
    (``state["fit_months"]``, ``state["fit_events"]``) and ``state["review_announce"]`` says what came."""
    from .automatic import read_text_events, text_source_id
    from .review import announcement, months_of

    if _seen(state, "text", f"{name}|{narrator}|{document_date}", data):
        return
    state.pop("user_parse", None)
    try:
        text, warnings = decode_upload(name, data)
    except UploadError as exc:
        state["upload_text_report"] = {"error": str(exc)}
        return
    digest = _digest(data)
    texts = dict(state.get("user_texts", {}))
    texts[digest] = text
    state["user_texts"] = texts
    notes = list(warnings)
    matched = [s for s in sources.values() if s.sha256 and s.sha256.lower() == digest]
    ok = f"{name}: {len(text):,} characters read."
    if matched:
        outer = [s for s in matched if not s.quoted_in] or matched
        quoted = len(matched) - len(outer)
        ok += f" It is the text of {', '.join(s.title for s in outer)}"
        ok += f" (and of {quoted} source{'s' if quoted != 1 else ''} quoted in it)" if quoted else ""
        ok += ": its passages now show beside the events."
    try:
        if matched or review is None:
            state["user_parse"] = geoparse(name, text, gazetteer, text_id=text_source_id(digest))
            state["user_parse"]["text_sha"] = digest
        else:
            found = read_text_events(
                name, data, narrator=narrator, document_date=document_date, gazetteer=gazetteer
            )
            review.add_text(found.source, data, found.found)
            events = found.events(modalities=("asserted", "reported", "intended", "negated"))
            state["user_parse"] = {
                "name": name,
                "text_sha": digest,
                "text_id": found.source.id,
                "mentions": mentions_frame(found.result, found.source.id),
            }
            state["review_source"] = found.source.id
            state["review_announce"] = announcement(name, events) + ", to review below"
            state["fit_months"] = months_of(events)
            state["fit_events"] = events
    except Exception as exc:  # the geoparser's failure is reported, the text is still kept
        notes.append(f"{name}: the geoparser failed ({exc}); the text is kept for passages")
    else:
        n = len(state["user_parse"]["mentions"])
        ok += f" {n} place mention{'s' if n != 1 else ''} found."
    state["upload_text_report"] = {"warnings": notes, "ok": ok}


def take_events_upload(
    state: MutableMapping[str, Any], name: str, data: bytes, places: Mapping[str, Any], ws: Workspace
) -> None:
    """An events file: every problem listed by row and field; the good rows join the map.

    Sources the corpus does not know are allowed (the reader's own); event ids already in the corpus
    are refused, so an upload never silently replaces a curated event.
    """
    from .corpus import read_events

    if _seen(state, "events", name, data):
        return
    loaded = read_events(data, places=places.__contains__, name=name)  # the validator itinera export uses
    problems = [{"row": p.row, "field": p.field, "problem": p.message} for p in loaded.problems]
    known = {e.id for e in ws.events}
    good = []
    for e in loaded.items:
        if e.id in known:
            problems.append(
                {"row": None, "field": "id", "problem": f"event id {e.id!r} is already in the corpus"}
            )
        else:
            good.append(e)
    state["user_events"] = good
    state["user_events_key"] = _digest(data)
    report: dict[str, Any] = {"problems": problems}
    if good:
        report["ok"] = f"{name}: {len(good)} event{'s' if len(good) != 1 else ''} added to the map and table."
    elif not problems:
        report["error"] = f"{name}: no events in the file"
    state["upload_events_report"] = report


def take_places_upload(state: MutableMapping[str, Any], name: str, data: bytes) -> None:
    """Places from GeoJSON/LPF, added to this session's gazetteer (events may then use their ids)."""
    if _seen(state, "places", name, data):
        return
    try:
        found, problems = places_from_upload(name, data)
    except UploadError as exc:
        state["upload_places_report"] = {"error": str(exc)}
        return
    state["user_places"] = found
    report: dict[str, Any] = {"problems": [{"problem": p} for p in problems]}
    if found:
        ids = ", ".join(p.id for p in found[:5]) + (" …" if len(found) > 5 else "")
        report["ok"] = f"{name}: {len(found)} place{'s' if len(found) != 1 else ''} added ({ids})."
    state["upload_places_report"] = report


MENTION_COLUMNS = [
    "as written",
    "place",
    "type",
    "score",
    "lat",
    "lon",
    "place_id",
    "other candidates",
    "mention",
]


def mentions_frame(result: Any, text_id: str) -> pd.DataFrame:
    """A parse's place mentions as a table, each keyed ``<text id>:<start>-<end>``
    (``corrections.mention_key``), the key a correction of it is saved under."""
    from .corrections import mention_key

    return pd.DataFrame(
        [
            {
                "as written": m.text,
                "place": m.place_name or "(not identified)",
                "type": m.feature_type or "",
                "score": round(m.score, 2),
                "lat": m.lat,
                "lon": m.lon,
                "place_id": m.place_id or "",
                "other candidates": ", ".join(dict.fromkeys(a.name for a in m.alternatives)),
                "mention": mention_key(text_id, m.start, m.end),
            }
            for m in result.mentions
        ],
        columns=MENTION_COLUMNS,
    )


def geoparse(name: str, text: str, gazetteer: Any = None, *, text_id: str | None = None) -> dict[str, Any]:
    """A text's place mentions as a table, via ``gazetteer.parse``; ``text_id`` names the text in
    correction keys (default: from the checksum of its UTF-8 bytes)."""
    from .automatic import parse_text, text_source_id

    text_id = text_id or text_source_id(_digest(text.encode("utf-8")))
    result = parse_text(text, gazetteer=gazetteer)
    return {"name": name, "text_id": text_id, "mentions": mentions_frame(result, text_id)}


def with_mention_fixes(
    mentions: pd.DataFrame, fixes: Mapping[str, Any], places: Mapping[str, Any], text_id: str = ""
) -> pd.DataFrame:
    """The mentions table with the reader's corrections in place (marked in a ``corrected`` column):
    a place given, words that are "not a place" (left without a place), and mentions the geoparser
    missed, added (those saved for ``text_id``)."""
    from .corrections import span_of

    out = mentions.copy()
    out["corrected"] = False
    keys = out["mention"].tolist()
    for i, key in enumerate(keys):
        fix = fixes.get(key)
        if fix is None:
            continue
        if fix.action == "not a place":
            out.iloc[i, out.columns.get_loc("place")] = "(not a place)"
            for col in ("place_id", "type"):
                out.iloc[i, out.columns.get_loc(col)] = ""
            out.iloc[i, out.columns.get_loc("lat")] = None
            out.iloc[i, out.columns.get_loc("lon")] = None
            out.iloc[i, out.columns.get_loc("corrected")] = True
            continue
        place = places.get(fix.place_id)
        if place is None:
            continue
        out.iloc[i, out.columns.get_loc("place")] = place.name
        out.iloc[i, out.columns.get_loc("place_id")] = place.id
        out.iloc[i, out.columns.get_loc("type")] = place.feature_type
        out.iloc[i, out.columns.get_loc("lat")] = place.lat
        out.iloc[i, out.columns.get_loc("lon")] = place.lon
        out.iloc[i, out.columns.get_loc("corrected")] = True
    added = []
    for key, fix in fixes.items():
        parts = span_of(key)
        if fix.action != "add" or parts is None or parts[0] != text_id or key in keys:
            continue
        place = places.get(fix.place_id)
        if place is None:
            continue
        added.append(
            {
                "as written": fix.text,
                "place": place.name,
                "type": place.feature_type,
                "score": 1.0,
                "lat": place.lat,
                "lon": place.lon,
                "place_id": place.id,
                "other candidates": "",
                "mention": key,
                "corrected": True,
            }
        )
    if added:
        out = pd.concat([out, pd.DataFrame(added)], ignore_index=True)
    return out


def add_mention_key(text: str, text_id: str, words: str, occurrence: int = 1) -> tuple[str, str] | None:
    """The mention key of the ``occurrence``-th (from 1) appearance of ``words`` in ``text``, for a
    mention the geoparser missed; None when the words are not there that often."""
    words = words.strip()
    if not words:
        return None
    start = -1
    for _ in range(max(occurrence, 1)):
        start = text.find(words, start + 1)
        if start < 0:
            return None
    from .corrections import mention_key

    return mention_key(text_id, start, start + len(words)), text[start : start + len(words)]


def map_mentions(mentions: pd.DataFrame) -> list[dict[str, Any]]:
    """Resolved mentions as ``build_map(mentions=...)`` takes them."""
    rows = mentions.dropna(subset=["lat", "lon"])
    return [
        {"lat": float(r.lat), "lon": float(r.lon), "text": r[0], "name": r.place}
        for r in rows[["as written", "lat", "lon", "place"]].itertuples(index=False)
    ]


UPLOAD_KEYS = {
    "text": ("user_parse",),
    "events": ("user_events", "user_events_key"),
    "places": ("user_places",),
}


def forget_upload(state: MutableMapping[str, Any], kind: str) -> None:
    """The reader removed an upload: its data and report go too (a text stays known by checksum)."""
    for key in (f"upload_{kind}_key", f"upload_{kind}_report", *UPLOAD_KEYS[kind]):
        state.pop(key, None)
