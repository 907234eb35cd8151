"""What the reader brings: texts, events files and places, each checked and reported by name.

Each ``take_*`` turns one upload into data in ``state`` (the Streamlit session state, or any dict in
tests) and leaves a report under ``upload_<kind>_report``: ``error`` (the file was refused),
``warnings``, ``problems`` (rows of a table) and ``ok`` (what was taken). The same upload seen again
on a rerun is not processed twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, MutableMapping
from typing import Any

import pandas as pd

from .models import Source
from .workspace import Workspace

MAX_TEXT_BYTES = 5_000_000


MAX_DATA_BYTES = 20_000_000


class UploadError(ValueError):
    """An uploaded file cannot be used; the message names the file and says what to do."""


def _size(n: int) -> str:
    if n < 10_000:
        return f"{n:,} bytes"
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"


def decode_upload(name: str, data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> tuple[str, list[str]]:
    """(text, warnings) of an uploaded file, read as the geoparser reads files (``gazetteer.text``).

    UTF-8 and UTF-16/32 with a BOM are read as such; other 8-bit text as cp1252 with a warning.
    Empty, too large and binary files are refused with a message naming the file.
    """
    from gazetteer.errors import TextInputError
    from gazetteer.text import decode_bytes

    if len(data) > max_bytes:
        raise UploadError(f"{name}: {_size(len(data))} is too large (the limit is {_size(max_bytes)})")
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

    Plain GeoJSON has no ``@id`` or ``title``: a feature's ``id`` or ``properties.name`` stands in, and
    its id becomes ``upload:<name>`` so it never shadows a curated place.
    """
    from gazetteer.errors import GazetteerDataError
    from gazetteer.places import place_from_lpf

    doc = parse_json_upload(name, data)
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        raise UploadError(f"{name}: expected a GeoJSON FeatureCollection (or LPF), found no 'type' of one")
    features = doc.get("features") if doc["type"] == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise UploadError(f"{name}: 'features' is not a list")
    places, problems = [], []
    for i, feature in enumerate(features, start=1):
        where = f"{name}, feature {i}"
        if not isinstance(feature, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        feature = dict(feature)
        props = dict(feature.get("properties") or {})
        title = props.get("title") or props.get("name") or props.get("toponym")
        if title and not props.get("title"):
            props["title"] = str(title)
        feature["properties"] = props
        if not (feature.get("@id") or feature.get("id")):
            if not title:
                problems.append(f"{where}: no id and no name (give properties.name)")
                continue
            feature["@id"] = "upload:" + re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")
        geom = feature.get("geometry")
        if not geom and not props.get("representative_point"):
            problems.append(f"{where} ({title}): no geometry")
            continue
        try:
            places.append(place_from_lpf(feature, where=where, source="upload"))
        except GazetteerDataError as exc:
            problems.append(str(exc))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{where}: malformed feature ({exc})")
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
) -> None:
    """A text the reader gave: remembered by checksum (so a corpus text shows its passages) and
    geoparsed; its mentions and candidate events go to ``state["user_parse"]``."""
    if _seen(state, "text", name, data):
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
        state["user_parse"] = geoparse(name, text, gazetteer)
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
    from .corpus import load_events

    if _seen(state, "events", name, data):
        return
    loaded = load_events(data, places=places.__contains__, sources=None, name=name)
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


def geoparse(name: str, text: str, gazetteer: Any = None) -> dict[str, Any]:
    """A text's place mentions and candidate events as tables, via ``gazetteer.parse``.

    Each mention is keyed ``<name>:<start>-<end>`` (``corrections.mention_key``), the key a
    correction of its place is saved under.
    """
    from gazetteer.geoparser import parse

    from .corrections import mention_key

    result = parse(text, gazetteer=gazetteer)
    mentions = pd.DataFrame(
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
                "mention": mention_key(name, m.start, m.end),
            }
            for m in result.mentions
        ],
        columns=[
            "as written",
            "place",
            "type",
            "score",
            "lat",
            "lon",
            "place_id",
            "other candidates",
            "mention",
        ],
    )
    candidates = pd.DataFrame(
        [
            {
                "place": e.place_name or e.text,
                "kind": e.kind,
                "cue": e.cue or "",
                "date (EDTF)": e.edtf or "",
                "as dated": e.date_phrase or "",
                "from": e.from_place_id or "",
                "in a quotation": e.in_quotation,
                "passage": f"{e.passage_start}-{e.passage_end}",
            }
            for e in result.events
        ],
        columns=["place", "kind", "cue", "date (EDTF)", "as dated", "from", "in a quotation", "passage"],
    )
    return {"name": name, "mentions": mentions, "candidates": candidates}


def with_mention_fixes(
    mentions: pd.DataFrame, fixes: Mapping[str, Any], places: Mapping[str, Any]
) -> pd.DataFrame:
    """The mentions table with the reader's corrections in place (marked in a ``corrected`` column)."""
    out = mentions.copy()
    out["corrected"] = False
    for i, key in enumerate(out["mention"].tolist()):
        fix = fixes.get(key)
        place = places.get(fix.place_id) if fix is not None else None
        if place is None:
            continue
        out.iloc[i, out.columns.get_loc("place")] = place.name
        out.iloc[i, out.columns.get_loc("place_id")] = place.id
        out.iloc[i, out.columns.get_loc("type")] = place.feature_type
        out.iloc[i, out.columns.get_loc("lat")] = place.lat
        out.iloc[i, out.columns.get_loc("lon")] = place.lon
        out.iloc[i, out.columns.get_loc("corrected")] = True
    return out


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
