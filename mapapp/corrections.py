"""User corrections: the place a reader says a mention or an event really refers to.

The machine (the geoparser, or our own curation) is sometimes wrong about a place. A correction
records the reader's fix; it is saved to a JSON file on disk on every change, atomically (a temporary
file in the same folder, then ``os.replace``), so closing the app or a crash mid-write never loses or
half-writes what the reader entered. The file lives at ``ITINERA_CORRECTIONS`` or in the user's data
folder, is reloaded on start, and can be downloaded and uploaded again to move it elsewhere.

Each write re-reads the file first, so two browser tabs on one app add to each other's corrections
instead of overwriting them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gazetteer.storage import write_atomic

from .models import Event

Target = Literal["event", "mention"]
Action = Literal["place", "not a place", "add"]
FORMAT = "itinera-corrections/1"


class CorrectionsError(Exception):
    """A corrections file cannot be read or written; the message names the file and the problem."""


class Correction(BaseModel):
    """``target_id`` is an event id, or for a mention ``mention_key(...)`` (the text's checksum id and
    offsets). ``action`` says what the reader did: gave the right ``place``, said the words are ``not a
    place``, or ``add``-ed a mention the geoparser missed (``text`` holds its words as written)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: Target
    target_id: str = Field(min_length=1)
    place_id: str = ""
    place_name: str = ""
    was_place_id: str = ""
    note: str = ""
    saved_at: str = ""
    action: Action = "place"
    text: str = ""

    @model_validator(mode="after")
    def _place_given(self) -> Correction:
        if self.action != "not a place" and not self.place_id:
            raise ValueError("place_id: a correction needs the right place (or action 'not a place')")
        if self.action != "place" and self.target != "mention":
            raise ValueError(f"action {self.action!r} is for mentions only")
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.target, self.target_id)


def mention_key(text_id: str, start: int, end: int) -> str:
    """A mention is named by the text it is in and its character span. The text is named by its
    checksum (``text:<SHA-256 prefix>``, ``mapapp.automatic.text_source_id``), never by its file name:
    two texts called "diary.txt", or two pasted texts, never share a correction."""
    return f"{text_id}:{start}-{end}"


def span_of(key: str) -> tuple[str, int, int] | None:
    """``mention_key``'s parts back: (text id, start, end), or None for a key not of that shape."""
    text_id, _, span = key.rpartition(":")
    start, _, end = span.partition("-")
    if not (text_id and start.isdigit() and end.isdigit()):
        return None
    return text_id, int(start), int(end)


def default_path() -> Path:
    """``ITINERA_CORRECTIONS`` when set, else ``corrections.json`` in the user's data folder."""
    env = os.environ.get("ITINERA_CORRECTIONS")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("itinera")) / "corrections.json"


def parse_corrections(data: bytes | str, where: str) -> tuple[list[Correction], list[str]]:
    """Corrections from a file's content; problems name the file and the entry, the rest still load."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorrectionsError(f"{where}: not a JSON corrections file ({exc})") from exc
    items = doc.get("corrections") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise CorrectionsError(f"{where}: expected an object with a 'corrections' list")
    found: list[Correction] = []
    problems: list[str] = []
    for i, item in enumerate(items, start=1):
        try:
            found.append(Correction.model_validate(item))
        except ValidationError as exc:
            fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
            problems.append(f"{where}, correction {i}: {fields}")
    return found, problems


class CorrectionStore:
    """The corrections of one file, kept in memory in the order they were made."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._items: dict[tuple[str, str], Correction] = {}
        self.problems: list[str] = []
        self.reload()

    # --- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the file again. A damaged file is set aside (renamed), never overwritten."""
        self.problems = []
        if not self.path.exists():
            self._items = {}
            return
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise CorrectionsError(f"{self.path}: cannot read ({exc.strerror or exc})") from exc
        try:
            found, self.problems = parse_corrections(raw, str(self.path))
        except CorrectionsError as exc:
            kept = self.path.with_name(
                f"{self.path.stem}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S}{self.path.suffix}"
            )
            os.replace(self.path, kept)
            self.problems = [f"{exc}; the file was kept as {kept.name} and a new one started"]
            found = []
        self._items = {c.key: c for c in found}

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items.values())

    def get(self, target: Target, target_id: str) -> Correction | None:
        return self._items.get((target, target_id))

    def for_target(self, target: Target) -> dict[str, Correction]:
        return {c.target_id: c for c in self._items.values() if c.target == target}

    # --- changing (each change is saved at once) -----------------------------------------------

    def set(
        self,
        target: Target,
        target_id: str,
        place_id: str,
        *,
        place_name: str = "",
        was_place_id: str = "",
        note: str = "",
        action: Action = "place",
        text: str = "",
    ) -> Correction:
        """Record (or replace) the correction of one mention or event and save it to disk."""
        correction = Correction(
            target=target,
            target_id=target_id,
            place_id=place_id,
            place_name=place_name,
            was_place_id=was_place_id,
            note=note,
            saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            action=action,
            text=text,
        )
        self._merge_from_disk()
        self._items.pop(correction.key, None)
        self._items[correction.key] = correction
        self.save()
        return correction

    def remove(self, target: Target, target_id: str) -> bool:
        self._merge_from_disk()
        removed = self._items.pop((target, target_id), None) is not None
        if removed:
            self.save()
        return removed

    def merge(self, corrections: Iterable[Correction]) -> int:
        """Add corrections from an uploaded file (newer entries replace older); saved at once."""
        self._merge_from_disk()
        n = 0
        for c in corrections:
            self._items.pop(c.key, None)
            self._items[c.key] = c
            n += 1
        if n:
            self.save()
        return n

    def _merge_from_disk(self) -> None:
        """Fold in what another session saved meanwhile, so a write never drops its corrections."""
        if not self.path.exists():
            return
        try:
            found, _ = parse_corrections(self.path.read_bytes(), str(self.path))
        except (OSError, CorrectionsError):
            return
        mine = self._items
        self._items = {c.key: c for c in found}
        for key, c in mine.items():
            if key not in self._items or c.saved_at >= self._items[key].saved_at:
                self._items.pop(key, None)
                self._items[key] = c

    def to_json_bytes(self) -> bytes:
        doc = {"format": FORMAT, "corrections": [c.model_dump() for c in self._items.values()]}
        return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def save(self) -> None:
        """Write atomically: a crash leaves either the old file or the new one, never a torn one."""
        data = self.to_json_bytes()
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            raise CorrectionsError(f"{self.path}: cannot save corrections ({exc.strerror or exc})") from exc

    # --- applying ------------------------------------------------------------------------------

    def apply(self, events: Iterable[Event]) -> list[Event]:
        """The events with the reader's places in place of ours (the rest returned unchanged)."""
        fixes = self.for_target("event")
        if not fixes:
            return list(events)
        return [
            e.model_copy(update={"place_id": fixes[e.id].place_id}) if e.id in fixes else e for e in events
        ]
