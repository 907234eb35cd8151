"""Reading sources and events from files, validated once at the edge, every problem reported.

Events come from a spreadsheet-friendly CSV (one row an event; a BOM, ``;``-separated lists,
TRUE/true/1/yes booleans and blank cells are all fine), or from JSON/YAML (a list of objects, or an
object with an ``events`` list). Validation does not stop at the first problem: each one becomes a
``Problem`` naming the file, the row (the spreadsheet's row number, the header being row 1; for JSON
and YAML the entry's number, from 1) and the field, and a row with a problem is left out of the events.

Texts are verified before use: character offsets are only valid against the exact text a source's
SHA-256 names (the checksum of the file's bytes as stored, which for these UTF-8 files without BOM is
also the checksum of the text read with UTF-8 and encoded back). A text whose checksum differs is
refused with a clear message and never used for highlighting.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError

from .models import CERTAINTIES, EVENT_KINDS, Event, Source
from .timespan import check_edtf

EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "actors",
    "kind",
    "place_id",
    "from_place_id",
    "via_place_id",
    "edtf",
    "date_phrase",
    "source_id",
    "passage_start",
    "passage_end",
    "attribution",
    "certainty",
    "place_implied",
    "date_implied",
    "contested_by",
    "contest_note",
    "summary",
)
REQUIRED_COLUMNS = ("id", "actors", "kind", "place_id", "source_id")
LIST_FIELDS = ("actors", "contested_by")
BOOL_FIELDS = ("place_implied", "date_implied")
INT_FIELDS = ("passage_start", "passage_end")
PLACE_FIELDS = ("place_id", "from_place_id", "via_place_id")
TRUE_WORDS = {"true", "1", "yes", "y", "x", "t", "on"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "off", ""}
MAX_FILE_BYTES = 20_000_000

PlaceCheck = Iterable[str] | Mapping[str, Any] | Callable[[str], bool] | None


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file. ``row`` is ``None`` for a problem with the whole file."""

    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


class Loaded(NamedTuple):
    items: list[Any]
    problems: list[Problem]


# --- reading files ---------------------------------------------------------------------------------


def _read_bytes(source: str | Path | bytes, name: str) -> tuple[bytes | None, Problem | None]:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            return None, Problem(name, None, "", "file not found")
        except OSError as exc:
            return None, Problem(name, None, "", f"cannot be read ({exc.strerror or exc})")
    if not data.strip():
        return None, Problem(name, None, "", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        return None, Problem(name, None, "", f"the file is too large ({len(data):,} bytes)")
    if b"\x00" in data[:8192]:
        return None, Problem(name, None, "", "this is a binary file, not text (CSV, JSON or YAML)")
    return data, None


def _decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, Problem(
            name,
            None,
            "",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        )


def _format_of(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".json", ".geojson"):
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    return "json" if text.lstrip()[:1] in "[{" else "csv"


# --- cell conversion -------------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [_as_text(v) for v in value if _as_text(v)]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not a yes/no value (use TRUE or FALSE)")


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a character offset")
        return None
    if isinstance(value, int):
        return value
    text = _as_text(value).replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _place_checker(places: PlaceCheck) -> Callable[[str], bool] | None:
    if places is None:
        return None
    if callable(places) and not isinstance(places, Mapping):
        return places  # type: ignore[return-value]
    known = set(places.keys() if isinstance(places, Mapping) else places)
    return known.__contains__


# --- events ----------------------------------------------------------------------------------------


def _records(text: str, name: str, fmt: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """(row number, raw record) pairs from CSV/JSON/YAML, and the file-level problems found."""
    if fmt == "csv":
        return _csv_records(text, name)
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        return [], [Problem(name, None, "", f"not valid {fmt.upper()} ({exc})")]
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
    if not isinstance(data, list):
        return [], [Problem(name, None, "", "expected a list of events (or an object with an 'events' list)")]
    records, problems = [], []
    for i, item in enumerate(data, start=1):
        if isinstance(item, dict):
            records.append((i, {str(k).strip().lower(): v for k, v in item.items()}))
        else:
            problems.append(Problem(name, i, "", "an event must be an object of fields"))
    return records, problems


def _csv_records(text: str, name: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else (";" if ";" in first_line else ",")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        return [], [Problem(name, None, "", f"not readable as CSV ({exc})")]
    if not rows:
        return [], [Problem(name, None, "", "the file is empty")]
    header = [re.sub(r"\s+", "_", h.strip().lower()) for h in rows[0]]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                ", ".join(missing),
                f"missing column(s) {', '.join(missing)}; the header is row 1 and needs: "
                + ", ".join(EVENT_COLUMNS),
            )
        )
        return [], problems
    for col in header:
        if col and col not in EVENT_COLUMNS:
            problems.append(Problem(name, 1, col, "unknown column (ignored)"))
    seen = set()
    for col in header:
        if col and col in seen:
            problems.append(Problem(name, 1, col, "column appears twice"))
        seen.add(col)
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            problems.append(
                Problem(name, number, "", f"{len(row)} cells but the header has {len(header)} columns")
            )
            continue
        records.append((number, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}))
    return records, problems


def _event_from_record(record: dict[str, Any], name: str, row: int) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for col in EVENT_COLUMNS:
        raw = record.get(col)
        try:
            if col in LIST_FIELDS:
                values[col] = tuple(_as_list(raw))
            elif col in BOOL_FIELDS:
                values[col] = _as_bool(raw)
            elif col in INT_FIELDS:
                values[col] = _as_int(raw)
            else:
                values[col] = _as_text(raw)
        except ValueError as exc:
            problems.append(Problem(name, row, col, str(exc)))
    return values, problems


def _check_event(
    values: dict[str, Any],
    name: str,
    row: int,
    place_known: Callable[[str], bool] | None,
    source_ids: set[str] | None,
) -> list[Problem]:
    problems = []

    def bad(col: str, message: str) -> None:
        problems.append(Problem(name, row, col, message))

    if not values.get("id"):
        bad("id", "missing event id")
    if not values.get("actors"):
        bad("actors", "missing actor (separate several with ';')")
    kind = str(values.get("kind", "")).lower()
    values["kind"] = kind
    if not kind:
        bad("kind", f"missing kind (one of {', '.join(EVENT_KINDS)})")
    elif kind not in EVENT_KINDS:
        bad("kind", f"unknown kind {kind!r} (one of {', '.join(EVENT_KINDS)})")
    certainty = str(values.get("certainty", "")).lower() or "medium"
    values["certainty"] = certainty
    if certainty not in CERTAINTIES:
        bad("certainty", f"unknown certainty {certainty!r} (one of {', '.join(CERTAINTIES)})")
    if not values.get("place_id"):
        bad("place_id", "missing place (use a region's id when only the region is known)")
    for col in PLACE_FIELDS:
        pid = values.get(col)
        if pid and place_known is not None and not place_known(pid):
            bad(col, f"unknown place id {pid!r} (not in the gazetteer)")
    if values.get("kind") == "move" and values.get("from_place_id") == values.get("place_id"):
        bad("from_place_id", "a move must start somewhere other than where it ends")
    edtf_value = values.get("edtf", "")
    if edtf_value:
        message = check_edtf(edtf_value)
        if message:
            bad("edtf", f"impossible or malformed date: {message}")
    source_id = values.get("source_id")
    if not source_id:
        bad("source_id", "missing source (every event needs the source that asserts it)")
    elif source_ids is not None and source_id not in source_ids:
        bad("source_id", f"unknown source {source_id!r} (not in sources.yaml)")
    start, end = values.get("passage_start"), values.get("passage_end")
    if start is not None and start < 0:
        bad("passage_start", "offset must not be negative")
    if (start is None) != (end is None) and "passage_start" not in {p.field for p in problems}:
        bad("passage_end" if end is None else "passage_start", "passage_start and passage_end go together")
    if start is not None and end is not None and end <= start:
        bad("passage_end", f"the passage ends ({end}) before it starts ({start})")
    return problems


def load_events(
    path: str | Path | bytes,
    *,
    places: PlaceCheck = None,
    sources: Mapping[str, Source] | Iterable[str] | None = None,
    name: str | None = None,
) -> Loaded:
    """Events from a CSV, JSON or YAML file (or its bytes, with ``name`` for messages and format).

    ``places`` checks place ids: a set of known ids, a mapping id -> Place, or a callable
    ``id -> bool`` (``Gazetteer.get`` wrapped); ``None`` skips the check. ``sources`` does the same
    for source ids. Returns ``(events, problems)``; a row with any problem is left out.
    """
    label = name or (Path(path).name if not isinstance(path, bytes | bytearray) else "uploaded events")
    data, problem = _read_bytes(path, label)
    if problem:
        return Loaded([], [problem])
    text, problem = _decode(data, label)  # type: ignore[arg-type]
    if problem:
        return Loaded([], [problem])
    records, problems = _records(text, label, _format_of(label, text))  # type: ignore[arg-type]
    if not records and not problems:
        problems.append(Problem(label, None, "", "no events in the file"))
    place_known = _place_checker(places)
    source_ids = None if sources is None else set(sources.keys() if isinstance(sources, Mapping) else sources)

    parsed: list[tuple[int, dict[str, Any], bool]] = []
    first_row: dict[str, int] = {}
    for row, record in records:
        values, row_problems = _event_from_record(record, label, row)
        row_problems += _check_event(values, label, row, place_known, source_ids)
        eid = values.get("id")
        if eid:
            if eid in first_row:
                row_problems.append(
                    Problem(label, row, "id", f"duplicate event id {eid!r} (first in row {first_row[eid]})")
                )
            else:
                first_row[eid] = row
        problems += row_problems
        parsed.append((row, values, not row_problems))

    events = []
    for row, values, ok in parsed:
        for target in values.get("contested_by", ()):
            if target not in first_row:
                problems.append(Problem(label, row, "contested_by", f"unknown event {target!r}"))
                ok = False
            elif target == values.get("id"):
                problems.append(Problem(label, row, "contested_by", "an event cannot contest itself"))
                ok = False
        if not ok:
            continue
        try:
            events.append(Event(**values))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or ""
                problems.append(Problem(label, row, loc, err["msg"]))
    problems.sort(key=lambda p: p.row or 0)
    return Loaded(events, problems)


# --- sources ---------------------------------------------------------------------------------------


def load_sources(path: str | Path | bytes, *, name: str | None = None) -> Loaded:
    """Sources from YAML or JSON (a list, or an object with a ``sources`` list): ``(sources, problems)``."""
    label = name or (Path(path).name if not isinstance(path, bytes | bytearray) else "uploaded sources")
    data, problem = _read_bytes(path, label)
    if problem:
        return Loaded([], [problem])
    text, problem = _decode(data, label)  # type: ignore[arg-type]
    if problem:
        return Loaded([], [problem])
    try:
        raw = json.loads(text) if _format_of(label, text) == "json" else yaml.safe_load(text)  # type: ignore[arg-type]
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        return Loaded([], [Problem(label, None, "", f"not valid YAML/JSON ({exc})")])
    if isinstance(raw, dict) and "sources" in raw:
        raw = raw["sources"]
    if not isinstance(raw, list):
        return Loaded([], [Problem(label, None, "", "expected a list of sources")])
    sources: list[Source] = []
    problems: list[Problem] = []
    rows: dict[str, int] = {}
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(label, i, "", "a source must be an object of fields"))
            continue
        item = {k: ("" if v is None else v) for k, v in item.items()}
        for key in ("quoted_start", "quoted_end"):
            if item.get(key) == "":
                item[key] = None
        if "date" in item:
            item["date"] = str(item["date"])
        try:
            source = Source(**item)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(Problem(label, i, ".".join(str(p) for p in err["loc"]), err["msg"]))
            continue
        if source.id in rows:
            problems.append(Problem(label, i, "id", f"duplicate id (first in entry {rows[source.id]})"))
            continue
        if source.date and (message := check_edtf(source.date)):
            problems.append(Problem(label, i, "date", message))
            continue
        qs, qe = source.quoted_start, source.quoted_end
        if qs is not None and qe is not None and qe <= qs:
            problems.append(Problem(label, i, "quoted_end", "the quotation ends before it starts"))
            continue
        rows[source.id] = i
        sources.append(source)
    for source in sources:
        if source.quoted_in and source.quoted_in not in rows:
            problems.append(
                Problem(label, rows[source.id], "quoted_in", f"unknown source {source.quoted_in!r}")
            )
    return Loaded(sources, problems)


# --- texts -----------------------------------------------------------------------------------------


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source's text as found on disk: ``text`` is set only when its SHA-256 matched."""

    source_id: str
    text_file: str
    status: str  # verified | missing | mismatch | unreadable | no text
    message: str
    text: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def verify_text(source: Source, data: bytes | None, *, where: str = "") -> SourceText:
    """Check one text (its bytes) against ``source.sha256``; a mismatch is refused, never used."""
    name = source.text_file
    if not name:
        return SourceText(source.id, "", "no text", f"source {source.id!r} names no text file")
    if data is None:
        return SourceText(source.id, name, "missing", f"{name} not found{' in ' + where if where else ''}")
    digest = sha256_of(data)
    if source.sha256 and digest != source.sha256.lower():
        return SourceText(
            source.id,
            name,
            "mismatch",
            f"{name} is not the text source {source.id!r} cites (its SHA-256 is {digest[:12]}..., "
            f"expected {source.sha256[:12]}...); its passages will not be shown or highlighted, "
            "because the offsets would point at the wrong words",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceText(source.id, name, "unreadable", f"{name} is not UTF-8 text ({exc.reason})")
    return SourceText(source.id, name, "verified", f"{name} verified (SHA-256 {digest[:12]}...)", text)


def verify_texts(sources: Iterable[Source], texts_dir: str | Path | None) -> dict[str, SourceText]:
    """Each source's text from ``texts_dir``, verified by checksum (sources sharing a file share it)."""
    results: dict[str, SourceText] = {}
    cache: dict[str, bytes | None] = {}
    folder = Path(texts_dir) if texts_dir else None
    for source in sources:
        if not source.text_file or folder is None:
            results[source.id] = (
                verify_text(source, None, where="(no texts folder given)")
                if source.text_file
                else verify_text(source, None)
            )
            continue
        if source.text_file not in cache:
            path = folder / Path(source.text_file).name
            try:
                cache[source.text_file] = path.read_bytes()
            except OSError:
                cache[source.text_file] = None
        results[source.id] = verify_text(source, cache[source.text_file], where=str(folder))
    return results


@dataclass(frozen=True, slots=True)
class Passage:
    """The supporting passage of an event, with where its place's name occurs in it.

    ``highlights`` are (start, end) offsets into ``text`` (the passage, not the whole source)."""

    event_id: str
    source_id: str
    text: str
    start: int
    end: int
    highlights: tuple[tuple[int, int], ...] = ()

    def html(self) -> str:
        """The passage HTML-escaped, its place names in ``<mark>``: safe to put in a page."""
        out, pos = [], 0
        for s, e in self.highlights:
            out.append(html.escape(self.text[pos:s]))
            out.append(f"<mark>{html.escape(self.text[s:e])}</mark>")
            pos = e
        out.append(html.escape(self.text[pos:]))
        return "".join(out)


def _names_of(place: Any) -> list[str]:
    if place is None:
        return []
    names = [place.name] + [alt.name for alt in getattr(place, "alternate_names", ())]
    return sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True)


def find_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of any of ``names`` in ``text``, case-insensitive, whole words.

    The memoir's stray backslashes (``Soviet\\union``) count as spaces."""
    spans: list[tuple[int, int]] = []
    for name in sorted(set(names), key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"[\s\\]+", name.strip()) if w]
        if not words:
            continue
        pattern = re.compile(r"(?<!\w)" + r"[\s\\\u00a0]+".join(words) + r"(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def passage(
    event: Event,
    texts: Mapping[str, SourceText],
    places: Mapping[str, Any] | None = None,
) -> Passage | None:
    """The passage an event cites, for display; ``None`` unless its source text is present and verified."""
    if event.passage_start is None or event.passage_end is None:
        return None
    found = texts.get(event.source_id)
    if found is None or not found.verified or found.text is None:
        return None
    if event.passage_end > len(found.text):
        return None
    text = found.text[event.passage_start : event.passage_end]
    place = (places or {}).get(event.place_id)
    return Passage(
        event.id,
        event.source_id,
        text,
        event.passage_start,
        event.passage_end,
        tuple(find_names(text, _names_of(place))),
    )


# --- the corpus ------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """Sources, events and places of one curated corpus, the problems found, and the verified texts."""

    sources: dict[str, Source]
    events: list[Event]
    problems: list[Problem]
    places: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, SourceText] = field(default_factory=dict)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def passage(self, event: Event) -> Passage | None:
        return passage(event, self.texts, self.places)

    def source_chain(self, source_id: str) -> list[Source]:
        """The source, then the source that quotes it, and so on (the memoir quoting a police report)."""
        chain: list[Source] = []
        current = self.sources.get(source_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.sources.get(current.quoted_in) if current.quoted_in else None
        return chain


def load_places(data_dir: str | Path) -> tuple[dict[str, Any], list[Problem]]:
    """The curated places by id (``places.lpf.json``), or a problem saying why they are missing."""
    from gazetteer.errors import GazetteerError
    from gazetteer.places import read_lpf

    path = Path(data_dir) / "places.lpf.json"
    if not path.exists():
        return {}, [Problem(path.name, None, "", "the curated gazetteer is missing: place ids not checked")]
    try:
        return {p.id: p for p in read_lpf(path)}, []
    except GazetteerError as exc:
        return {}, [Problem(path.name, None, "", str(exc))]


def load_corpus(data_dir: str | Path | None = None, texts_dir: str | Path | None = None) -> Corpus:
    """The curated corpus of ``data_dir`` (default: the repo's ``data/``), checked against the curated
    gazetteer, with the texts of ``texts_dir`` (default: ``ITINERA_TEXTS``; ``""`` for none) verified by
    checksum."""
    from gazetteer.resources import data_dir as default_data_dir
    from gazetteer.resources import texts_dir as default_texts_dir

    folder = Path(data_dir) if data_dir else default_data_dir()
    sources_list, problems = load_sources(folder / "sources.yaml")
    sources = {s.id: s for s in sources_list}
    places, place_problems = load_places(folder)
    problems += place_problems
    events_path = next(
        (folder / n for n in ("events.csv", "events.yaml", "events.json") if (folder / n).exists()),
        folder / "events.csv",
    )
    events, event_problems = load_events(events_path, places=places or None, sources=sources)
    problems += event_problems
    texts_folder = texts_dir if texts_dir is not None else default_texts_dir()
    texts = verify_texts(sources.values(), texts_folder) if texts_folder else {}
    for event in events:
        found = texts.get(event.source_id)
        text = found.text if found is not None and found.verified else None
        if text is not None and event.passage_end is not None and event.passage_end > len(text):
            problems.append(
                Problem(
                    events_path.name,
                    None,
                    "passage_end",
                    f"event {event.id!r}: offset {event.passage_end} is past the end of "
                    f"{found.text_file} ({len(text)} characters)",  # type: ignore[union-attr]
                )
            )
    return Corpus(sources, events, problems, places, texts)
