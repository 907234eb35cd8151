"""The reader's work on their own texts: each text a source, its automatic events reviewed one by one.

A text the reader gives becomes a source (file name, SHA-256, narrator, date) and its automatic events
(``mapapp.automatic``) wait in a review table: accepted, rejected or edited there. Accepted events are
ordinary events (map, timeline, comparison, downloads). Everything is saved at once to a folder on disk
(``ITINERA_WORKSPACE``, else ``workspace`` in the user's data folder): ``work.json`` holds the sources
and the review, ``texts/<SHA-256>.txt`` the texts as given (their passages are shown after a restart).
Files are written atomically, so a crash leaves the last good state.

A correction of a mention (``mapapp.corrections``) reaches the events at that mention: its place
becomes the event's place (or origin), and "not a place" takes the event out, unless the reader edited
the event's place by hand, which wins.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from gazetteer.storage import write_atomic

from .automatic import Found
from .corpus import EventRow, Problem
from .corrections import Correction, mention_key
from .models import Event, Source
from .timespan import EDTFError, span

Status = Literal["pending", "accepted", "rejected"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
FORMAT = "itinera-workspace/1"
EDITABLE = ("actors", "kind", "place_id", "from_place_id", "edtf", "certainty")


class ReviewItem(BaseModel):
    """One automatic event and what the reviewer decided about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Event
    status: Status = "pending"
    confidence: float = 0.5
    modality: str = "asserted"
    cue: str = ""
    place_text: str = ""
    mention: str = ""  # mention_key of the event's place
    origin_mention: str = ""
    edited: tuple[str, ...] = ()  # the fields the reviewer changed by hand


class WorkFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str = FORMAT
    sources: list[Source] = []
    items: list[ReviewItem] = []


def default_folder() -> Path:
    env = os.environ.get("ITINERA_WORKSPACE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("itinera")) / "workspace"


def item_from_found(found: Found, source_id: str) -> ReviewItem:
    return ReviewItem(
        event=found.event,
        confidence=round(found.confidence, 3),
        modality=found.modality,
        cue=found.cue,
        place_text=found.place_text,
        mention=mention_key(source_id, *found.span) if found.span else "",
        origin_mention=mention_key(source_id, *found.origin_span) if found.origin_span else "",
    )


class ReviewStore:
    """The sources, texts and reviewed events of one workspace folder, loaded on start."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()
        self.sources: dict[str, Source] = {}
        self.items: dict[str, ReviewItem] = {}
        self.problems: list[str] = []
        self.revision = ""
        self._texts: dict[str, str] = {}
        self.reload()

    @property
    def path(self) -> Path:
        return self.folder / "work.json"

    def reload(self) -> None:
        """Read ``work.json`` again; a damaged file is reported and set aside, never overwritten."""
        self.sources, self.items, self.problems = {}, {}, []
        if not self.path.exists():
            return
        try:
            raw = self.path.read_bytes()
            work = WorkFile.model_validate_json(raw)
        except (OSError, ValidationError) as exc:
            kept = self.path.with_name("work.damaged.json")
            try:
                os.replace(self.path, kept)
            except OSError:
                kept = self.path
            first = str(exc).splitlines()[0]
            self.problems.append(f"{self.path}: unreadable ({first}); kept as {kept.name}, a new one started")
            return
        self.sources = {s.id: s for s in work.sources}
        self.items = {i.event.id: i for i in work.items}
        self.revision = str(hash(raw))

    def save(self) -> None:
        work = WorkFile(sources=list(self.sources.values()), items=list(self.items.values()))
        data = (json.dumps(work.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        write_atomic(self.path, data)
        self.revision = str(hash(data))

    # --- texts ----------------------------------------------------------------------------------

    def add_text(self, source: Source, data: bytes, found: Iterable[Found]) -> list[ReviewItem]:
        """A text and its automatic events. Read again (another narrator, another date), its source is
        updated, decisions already taken are kept, and pending events it no longer yields go."""
        write_atomic(self.folder / "texts" / f"{source.sha256}.txt", data)
        self.sources[source.id] = source
        fresh = [item_from_found(f, source.id) for f in found]
        fresh_ids = {i.event.id for i in fresh}
        for eid, item in list(self.items.items()):
            if item.event.source_id == source.id and item.status == "pending" and eid not in fresh_ids:
                del self.items[eid]
        added = []
        for item in fresh:
            old = self.items.get(item.event.id)
            if old is None or (old.status == "pending" and not old.edited):
                self.items[item.event.id] = item
                added.append(item)
        self.save()
        return [self.items[i.event.id] for i in fresh]

    def remove_text(self, source_id: str) -> None:
        self.sources.pop(source_id, None)
        self.items = {k: v for k, v in self.items.items() if v.event.source_id != source_id}
        self.save()

    def text(self, source_id: str) -> str | None:
        source = self.sources.get(source_id)
        if source is None:
            return None
        if source.sha256 not in self._texts:
            try:
                self._texts[source.sha256] = (
                    (self.folder / "texts" / f"{source.sha256}.txt")
                    .read_bytes()
                    .decode("utf-8", errors="replace")
                )
            except OSError:
                return None
        return self._texts[source.sha256]

    def texts(self) -> dict[str, str]:
        """SHA-256 -> text of every text in the workspace (what ``passages.known_texts`` takes)."""
        out = {}
        for sid, source in self.sources.items():
            text = self.text(sid)
            if text is not None:
                out[source.sha256] = text
        return out

    # --- decisions ------------------------------------------------------------------------------

    def for_source(self, source_id: str) -> list[ReviewItem]:
        return [i for i in self.items.values() if i.event.source_id == source_id]

    def set_status(self, event_ids: Iterable[str], status: Status) -> int:
        n = 0
        for eid in event_ids:
            item = self.items.get(eid)
            if item is not None and item.status != status:
                self.items[eid] = item.model_copy(update={"status": status})
                n += 1
        if n:
            self.save()
        return n

    def accept_above(self, source_id: str, threshold: float) -> int:
        """Accept every pending event of a text whose confidence is at least ``threshold``."""
        ids = [
            i.event.id
            for i in self.for_source(source_id)
            if i.status == "pending" and i.confidence >= threshold
        ]
        return self.set_status(ids, "accepted")

    def edit(self, event_id: str, changes: Mapping[str, Any], places: Any) -> list[Problem]:
        """Change an event's actor, kind, place, origin, date or certainty, checked by the events
        validator (``corpus.EventRow``: the same rules as an events file); an edited event is accepted.
        Returns the problems; nothing is saved when there is one."""
        item = self.items.get(event_id)
        if item is None:
            return [Problem("review", None, "id", f"no event {event_id!r} to edit")]
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            return [Problem("review", None, ", ".join(sorted(unknown)), "not an editable field")]
        cells = {**item.event.model_dump(), **changes}
        try:
            row = EventRow.model_validate(cells, context={"place_known": places.__contains__})
        except ValidationError as exc:
            return [
                Problem(
                    f"event {event_id}",
                    None,
                    str(err["loc"][0]) if err["loc"] else "",
                    err["msg"].removeprefix("Value error, "),
                )
                for err in exc.errors()
            ]
        event = row.event()
        changed = tuple(
            sorted({*item.edited, *(k for k in changes if getattr(event, k) != getattr(item.event, k))})
        )
        self.items[event_id] = item.model_copy(
            update={"event": event, "status": "accepted", "edited": changed}
        )
        self.save()
        return []

    # --- what the map shows -------------------------------------------------------------------------

    def corrected(self, item: ReviewItem, fixes: Mapping[str, Correction]) -> Event | None:
        """The item's event with the reader's mention corrections applied; None for "not a place"."""
        event = item.event
        update: dict[str, str] = {}
        fix = fixes.get(item.mention) if item.mention else None
        if fix is not None and "place_id" not in item.edited:
            if fix.action == "not a place":
                return None
            update["place_id"] = fix.place_id
        ofix = fixes.get(item.origin_mention) if item.origin_mention else None
        if ofix is not None and "from_place_id" not in item.edited:
            update["from_place_id"] = "" if ofix.action == "not a place" else ofix.place_id
        if update.get("from_place_id") and update["from_place_id"] == update.get("place_id", event.place_id):
            update["from_place_id"] = ""
        return event.model_copy(update=update) if update else event

    def accepted(self, fixes: Mapping[str, Correction] | None = None) -> list[Event]:
        """The accepted events, ordinary events from here on, with mention corrections applied."""
        out = []
        for item in self.items.values():
            if item.status != "accepted":
                continue
            event = self.corrected(item, fixes or {})
            if event is not None:
                out.append(event)
        return out


# --- the review table ---------------------------------------------------------------------------------

REVIEW_COLUMNS = [
    "status",
    "confidence",
    "actors",
    "kind",
    "place",
    "origin",
    "date (EDTF)",
    "certainty",
    "cue",
    "modality",
    "as written",
    "passage",
    "event_id",
]


def place_label(place_id: str, places: Mapping[str, Any]) -> str:
    """``Name [id]``: what the review table shows and its place fields take back."""
    if not place_id:
        return ""
    place = places.get(place_id)
    return f"{place.name} [{place_id}]" if place is not None else place_id


def review_frame(
    items: Iterable[ReviewItem],
    store: ReviewStore,
    places: Mapping[str, Any],
    fixes: Mapping[str, Correction] | None = None,
    show: Iterable[str] = STATUSES,
) -> pd.DataFrame:
    """One row per automatic event, in text order, with the reader's mention corrections in place."""
    chosen = set(show)
    rows = []
    for item in items:
        if item.status not in chosen:
            continue
        event = store.corrected(item, fixes or {})
        text = store.text(item.event.source_id) or ""
        e = event or item.event
        passage = ""
        if e.passage_start is not None and e.passage_end is not None and e.passage_end <= len(text):
            passage = " ".join(text[e.passage_start : e.passage_end].split())[:160]
        rows.append(
            {
                "status": item.status if event is not None else "not a place",
                "confidence": item.confidence,
                "actors": "; ".join(e.actors),
                "kind": e.kind,
                "place": place_label(e.place_id, places),
                "origin": place_label(e.from_place_id, places),
                "date (EDTF)": e.edtf,
                "certainty": e.certainty,
                "cue": item.cue,
                "modality": item.modality,
                "as written": item.place_text,
                "passage": passage,
                "event_id": e.id,
                "_start": e.passage_start if e.passage_start is not None else -1,
            }
        )
    frame = pd.DataFrame(rows, columns=[*REVIEW_COLUMNS, "_start"])
    return frame.sort_values("_start", kind="stable")[REVIEW_COLUMNS].reset_index(drop=True)


def place_id_of(value: str, places: Mapping[str, Any], gazetteer: Any = None, when: str = "") -> str:
    """What a reviewer typed for a place: an id, a label ``Name [id]``, or a name the gazetteer knows
    (its best candidate, at the event's date). Returns the text unchanged when nothing matches, so the
    validator names it."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.endswith("]") and "[" in value:
        value = value[value.rindex("[") + 1 : -1].strip()
    if value in places:
        return value
    if gazetteer is not None:
        try:
            found = gazetteer.candidates(value, when=when or None, limit=1)
        except Exception:  # an odd name is simply one without candidates
            found = []
        if found:
            return found[0].place.id
    return value


def months_of(events: Iterable[Event]) -> tuple[str, str] | None:
    """First and last month ("YYYY-MM") of the dated events: what the window fits after an upload."""
    lows, highs = [], []
    for e in events:
        if not e.edtf:
            continue
        try:
            s = span(e.edtf)
        except EDTFError:
            continue
        if not s.open_start:
            lows.append(s.start)
        if not s.open_end:
            highs.append(s.end)
    if not lows or not highs:
        return None
    return min(lows).strftime("%Y-%m"), max(highs).strftime("%Y-%m")


def announcement(name: str, events: list[Event]) -> str:
    """ "34 events from diary.txt, 1916-03 to 1916-05": what an upload brought, said once."""
    n = len(events)
    text = f"{n} event{'s' if n != 1 else ''} from {name}"
    months = months_of(events)
    if months:
        text += f", {months[0]}" + (f" to {months[1]}" if months[1] != months[0] else "")
    return text
