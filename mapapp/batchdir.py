"""A folder written by ``itinera batch`` read back as what the map, the exports and the dashboard take:
one ``Source`` per parsed document, automatic ``Event``s from its events, and its resolved mentions.

The events go through ``mapapp.automatic.event_fields``, the one place that turns the geoparser's
movements into events, so a document mapped from a batch folder gives the same events as the same text
given to ``itinera export --text``. Plans and denials stay off the map, as there.

An archive can be far larger than a map can draw: the mentions are read up to ``MENTION_LIMIT`` and
the texts (for the passages beside the events) up to ``TEXT_BUDGET`` characters; what is left out is
said in ``problems``. Events are all read; the map and the dashboard draw them within their own limits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .automatic import MAP_MODALITIES, event_fields, text_source_id
from .models import Event, Source
from .workspace import Workspace

MENTION_LIMIT = 50_000
TEXT_BUDGET = 50_000_000
"""Characters of text kept in memory for passages (a few hundred books); later documents show
their events without the passage."""
_JSON_FIELDS = ("actors", "origin", "destination", "via")


@dataclass
class BatchFolder:
    """The parsed documents of a batch folder as sources, events, mentions and verified texts."""

    folder: Path
    sources: dict[str, Source] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, Any] = field(default_factory=dict)  # source id -> corpus.SourceText
    problems: list[str] = field(default_factory=list)
    documents: int = 0
    failed: int = 0


def load_batch(
    folder: str | Path, *, mention_limit: int = MENTION_LIMIT, text_budget: int = TEXT_BUDGET
) -> BatchFolder:
    """Read a batch output folder; ``gazetteer.batch.BatchError`` when it is not one."""
    from gazetteer.batch import BatchError, iter_rows

    root = Path(folder)
    if not root.is_dir():
        raise BatchError(f"{root}: no such folder")
    if not (root / "documents.parquet").is_dir():
        raise BatchError(f"{root}: not a batch output folder (no documents.parquet; see itinera batch)")
    out = BatchFolder(root)
    narrators: dict[str, str] = {}
    paths: dict[str, str] = {}
    for row in iter_rows(root, "documents"):
        out.documents += 1
        if row.get("error"):
            out.failed += 1
            out.problems.append(str(row["error"]))
            continue
        source = _source(row)
        if source.id in out.sources:  # the same text twice in the archive: mapped once
            continue
        out.sources[source.id] = source
        narrators[source.id] = row.get("narrator") or ""
        paths[source.id] = row.get("document") or ""
    _read_events(out, narrators, paths)
    _read_mentions(out, mention_limit)
    _read_texts(out, paths, text_budget)
    return out


def _source(row: dict[str, Any]) -> Source:
    from .timespan import check_edtf

    path = Path(row.get("document") or "")
    date = row.get("document_date") or ""
    return Source(
        id=text_source_id(row["sha256"]),
        title=path.name or "a text",
        author=row.get("narrator") or "",
        kind="text",
        date=date if date and not check_edtf(date) else "",
        text_file=path.name,
        sha256=row["sha256"],
        note=f"geoparsed by itinera batch from {path}",
    )


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    """An events row with its JSON columns (actors, origin, destination, via) as values again."""
    for key in _JSON_FIELDS:
        value = row.get(key)
        if isinstance(value, str):
            try:
                row[key] = json.loads(value)
            except ValueError:
                row[key] = None
    return row


def _read_events(out: BatchFolder, narrators: dict[str, str], paths: dict[str, str]) -> None:
    from pydantic import ValidationError

    from gazetteer.batch import iter_rows

    keep = set(MAP_MODALITIES)
    seen: set[str] = set()
    for number, row in enumerate(iter_rows(out.folder, "events"), start=1):
        source_id = text_source_id(row.get("sha256") or "")
        if paths.get(source_id) != row.get("document"):  # a failed document, or a duplicate's copy
            continue
        if str(row.get("modality") or "asserted") not in keep:
            continue
        fields = event_fields(_decoded(row), source_id, narrator=narrators.get(source_id, ""), number=number)
        if fields is None or not fields["place_id"]:
            continue
        base, n = fields["id"], 1
        while fields["id"] in seen:
            n += 1
            fields["id"] = f"{base}.{n}"
        seen.add(fields["id"])
        try:
            out.events.append(Event(**fields))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem.get("loc", ()))
            out.problems.append(
                f"{row.get('document')}: event at {row.get('start')}: {where}: {problem['msg']}"
            )


def _read_mentions(out: BatchFolder, limit: int) -> None:
    from gazetteer.batch import iter_rows

    resolved = 0
    for row in iter_rows(out.folder, "mentions"):
        if row.get("lat") is None or row.get("lon") is None or (row.get("role") or "place") != "place":
            continue
        resolved += 1
        if len(out.mentions) < limit:
            out.mentions.append(
                {
                    "lat": row["lat"],
                    "lon": row["lon"],
                    "text": row.get("text") or "",
                    "name": row.get("place_name") or "",
                    "source_id": text_source_id(row.get("sha256") or ""),
                }
            )
    if resolved > limit:
        out.problems.append(
            f"{out.folder}: {resolved:,} resolved place mentions; the map's mention layer holds the first "
            f"{limit:,} (all are in mentions.parquet)"
        )


def _read_texts(out: BatchFolder, paths: dict[str, str], budget: int) -> None:
    """Each document's text from where the batch read it, used only if its SHA-256 still matches."""
    import hashlib

    from gazetteer.errors import TextInputError
    from gazetteer.text import decode_bytes

    from .corpus import SourceText

    used, left_out = 0, 0
    for source_id, path in paths.items():
        source = out.sources[source_id]
        if used >= budget:
            left_out += 1
            continue
        try:
            data = Path(path).read_bytes()
        except OSError:
            out.texts[source_id] = SourceText(
                source_id, source.text_file, "missing", f"{path} is no longer there; passages not shown"
            )
            continue
        if hashlib.sha256(data).hexdigest() != source.sha256:
            out.texts[source_id] = SourceText(
                source_id,
                source.text_file,
                "mismatch",
                f"{path} changed since the batch read it; its passages are not shown, because the "
                "offsets would point at the wrong words",
            )
            continue
        try:
            text, _encoding, _notes = decode_bytes(data, name=path)
        except TextInputError as exc:
            out.texts[source_id] = SourceText(source_id, source.text_file, "unreadable", str(exc))
            continue
        used += len(text)
        out.texts[source_id] = SourceText(
            source_id,
            source.text_file,
            "verified",
            f"{path} verified (SHA-256 {source.sha256[:12]}...)",
            text,
        )
    if left_out:
        out.problems.append(
            f"{out.folder}: the passages of {left_out:,} document(s) are not shown (their texts would pass "
            f"{budget // 1_000_000} million characters); their events and mentions are"
        )


# --- the dashboard ---------------------------------------------------------------------------------


@dataclass
class BatchWorkspace(Workspace):
    """The dashboard's workspace with a batch folder added: its documents as sources, its events on
    the map and in the table, its mentions on the mentions layer (``batch_mentions``), and the ids of
    its sources, whose texts the dashboard must not geoparse again (``batch_sources``)."""

    batch_mentions: list[dict[str, Any]] = field(default_factory=list)
    batch_sources: frozenset[str] = frozenset()


def with_batch(ws: Workspace, folder: str | Path) -> BatchWorkspace:
    """``ws`` with the batch folder's sources, events, texts, mentions and problems added."""
    batch = load_batch(folder)
    label = f"{ws.events_label} and the batch folder {batch.folder} ({batch.documents:,} documents)"
    return BatchWorkspace(
        sources={**ws.sources, **batch.sources},
        events=list(ws.events) + batch.events,
        places=ws.places,
        texts={**ws.texts, **batch.texts},
        problems=list(ws.problems) + batch.problems,
        events_label=label,
        gazetteer=ws.gazetteer,
        batch_mentions=batch.mentions,
        batch_sources=frozenset(batch.sources),
    )
