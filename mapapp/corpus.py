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
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ConfigDict, ValidationError, ValidationInfo, field_validator

from .highlight import find_names, mark
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
    "automatic",
)
REQUIRED_COLUMNS = ("id", "actors", "kind", "place_id", "source_id")
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
    if suffix in (".json", ".geojson", ".jsonl", ".ndjson"):
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


def _place_checker(places: PlaceCheck) -> Callable[[str], bool] | None:
    if places is None:
        return None
    if callable(places) and not isinstance(places, Mapping):
        return places  # type: ignore[return-value]
    known = set(places.keys() if isinstance(places, Mapping) else places)
    return known.__contains__


# --- one row of events: the one validator ------------------------------------------------------------


class EventRow(Event):
    """One row of an events file, as a spreadsheet writes it, checked field by field.

    The cell conventions (``;``-separated lists, TRUE/yes/1 booleans, "1,250" offsets, blank for
    none) are read here, and the checks that need the rest of the file or the gazetteer come in the
    validation context: ``place_known`` (id -> bool), ``source_ids`` (a set, or None to take any
    source: a reader's own text is a source sources.yaml cannot know) and ``event_ids`` (every id of
    the file, for ``contested_by``). Every error names its field, so a problem names file, row and field.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator(
        "id",
        "place_id",
        "from_place_id",
        "via_place_id",
        "edtf",
        "date_phrase",
        "source_id",
        "attribution",
        "contest_note",
        "summary",
        mode="before",
    )
    @classmethod
    def _text_cell(cls, value: Any) -> str:
        return _as_text(value)

    @field_validator("actors", "contested_by", mode="before")
    @classmethod
    def _list_cell(cls, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, list | tuple):
            return tuple(_as_text(v) for v in value if _as_text(v))
        return tuple(part.strip() for part in str(value).split(";") if part.strip())

    @field_validator("place_implied", "date_implied", "automatic", mode="before")
    @classmethod
    def _bool_cell(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = _as_text(value).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{value!r} is not a yes/no value (use TRUE or FALSE)")

    @field_validator("passage_start", "passage_end", mode="before")
    @classmethod
    def _offset_cell(cls, value: Any) -> int | None:
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a character offset")
        if value is None or isinstance(value, int):
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

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_cell(cls, value: Any) -> str:
        kind = _as_text(value).lower()
        if not kind:
            raise ValueError(f"missing kind (one of {', '.join(EVENT_KINDS)})")
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown kind {kind!r} (one of {', '.join(EVENT_KINDS)})")
        return kind

    @field_validator("certainty", mode="before")
    @classmethod
    def _certainty_cell(cls, value: Any) -> str:
        certainty = _as_text(value).lower() or "medium"
        if certainty not in CERTAINTIES:
            raise ValueError(f"unknown certainty {certainty!r} (one of {', '.join(CERTAINTIES)})")
        return certainty

    @field_validator("id")
    @classmethod
    def _id_given(cls, value: str) -> str:
        if not value:
            raise ValueError("missing event id")
        return value

    @field_validator("actors")
    @classmethod
    def _actor_given(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("missing actor (separate several with ';')")
        return value

    @field_validator("place_id", "from_place_id", "via_place_id")
    @classmethod
    def _place_known(cls, value: str, info: ValidationInfo) -> str:
        if info.field_name == "place_id" and not value:
            raise ValueError("missing place (use a region's id when only the region is known)")
        known = (info.context or {}).get("place_known")
        if value and known is not None and not known(value):
            raise ValueError(f"unknown place id {value!r} (not in the gazetteer)")
        if (
            info.field_name == "from_place_id"
            and value
            and info.data.get("kind") == "move"
            and value == info.data.get("place_id")
        ):
            raise ValueError("a move must start somewhere other than where it ends")
        return value

    @field_validator("edtf")
    @classmethod
    def _edtf_valid(cls, value: str) -> str:
        if value and (message := check_edtf(value)):
            raise ValueError(f"impossible or malformed date: {message}")
        return value

    @field_validator("source_id")
    @classmethod
    def _source_known(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError("missing source (every event needs the source that asserts it)")
        known = (info.context or {}).get("source_ids")
        if known is not None and value not in known and not is_text_source(value):
            raise ValueError(f"unknown source {value!r} (not in sources.yaml)")
        return value

    @field_validator("passage_start")
    @classmethod
    def _start_non_negative(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("offset must not be negative")
        return value

    @field_validator("passage_end")
    @classmethod
    def _end_after_start(cls, value: int | None, info: ValidationInfo) -> int | None:
        if "passage_start" not in info.data:
            return value  # the start is wrong already; one message is enough
        start = info.data["passage_start"]
        if (start is None) != (value is None):
            raise ValueError("passage_start and passage_end go together")
        if start is not None and value is not None and value <= start:
            raise ValueError(f"the passage ends ({value}) before it starts ({start})")
        return value

    @field_validator("contested_by")
    @classmethod
    def _contested_known(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        ids = (info.context or {}).get("event_ids")
        for target in value:
            if target == info.data.get("id"):
                raise ValueError("an event cannot contest itself")
            if ids is not None and target not in ids:
                raise ValueError(f"unknown event {target!r}")
        return value

    def event(self) -> Event:
        """The plain ``Event`` (already valid: no second validation)."""
        return Event.model_construct(**{name: getattr(self, name) for name in Event.model_fields})


def _row_problems(exc: ValidationError, name: str, row: int) -> list[Problem]:
    problems = []
    for err in exc.errors():
        field_name = ".".join(str(p) for p in err["loc"][:1]) or ""
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = f"missing {field_name}"
        problems.append(Problem(name, row, field_name, message))
    return problems


def is_text_source(source_id: str) -> bool:
    """Whether a source id names a text by its checksum (``text:<SHA-256 prefix>``): the source made
    from a text a reader gave (``mapapp.automatic.source_for_text``), valid without sources.yaml."""
    return bool(_TEXT_SOURCE.fullmatch(source_id))


_TEXT_SOURCE = re.compile(r"text:[0-9a-f]{16,64}")


# --- events ----------------------------------------------------------------------------------------


def _records(text: str, name: str, fmt: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """(row number, raw record) pairs from CSV/JSON/YAML, and the file-level problems found.

    JSON may also be what ``itinera parse --json`` (JSON Lines) or ``--geojson`` writes, or a GeoJSON
    export of events: their event records are turned into rows (``mapapp.automatic``)."""
    if fmt == "csv":
        return _csv_records(text, name)
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        if fmt == "json" and _first_line_is_object(text):
            return _json_lines_records(text, name)
        return [], [Problem(name, None, "", f"not valid {fmt.upper()} ({exc})")]
    if isinstance(data, dict) and data.get("type") in ("event", "mention", "date"):
        return _json_lines_records(text, name)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return _geojson_records(data, name)
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


def _first_line_is_object(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def _json_lines_records(text: str, name: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """``itinera parse --json`` output: the ``event`` lines become rows (row = line number)."""
    from .automatic import row_from_parse_record

    records, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, "", f"not a JSON object ({exc.msg})"))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(name, number, "", "a line must be a JSON object"))
        elif item.get("type") == "event" and (row := row_from_parse_record(item, number)) is not None:
            records.append((number, row))
    if not records and not problems:
        problems.append(Problem(name, None, "", "no event lines (type 'event') in these JSON Lines"))
    return _unique_ids(records), problems


def _geojson_records(
    doc: dict[str, Any], name: str
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Event features of a GeoJSON file (row = feature number): our export's features (``event_id``)
    read back as they were written; ``itinera parse --geojson`` event features as automatic events.
    Mention features and route lines are not events and are passed over."""
    from .automatic import row_from_parse_record

    features = doc.get("features")
    if not isinstance(features, list):
        return [], [Problem(name, None, "features", "a FeatureCollection needs a 'features' list")]
    records, problems = [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(Problem(name, number, "properties", "a feature needs an object of properties"))
            continue
        if "event_id" in props:
            record = {k: v for k, v in props.items() if k in EVENT_COLUMNS}
            record["id"] = props["event_id"]
            records.append((number, record))
        elif props.get("type") == "event" and (row := row_from_parse_record(props, number)) is not None:
            records.append((number, row))
    if not records and not problems:
        problems.append(Problem(name, None, "", "no event features in this GeoJSON"))
    return _unique_ids(records), problems


def _unique_ids(records: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Automatic events named by their place's offset: two at one offset get ``.2``, ``.3``..."""
    seen: set[str] = set()
    for _, record in records:
        if not record.get("automatic"):
            continue
        base, n = str(record["id"]), 1
        while record["id"] in seen:
            n += 1
            record["id"] = f"{base}.{n}"
        seen.add(record["id"])
    return records


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


def load_events(
    path: str | Path | bytes,
    *,
    places: PlaceCheck = None,
    sources: Mapping[str, Source] | Iterable[str] | None = None,
    name: str | None = None,
) -> Loaded:
    """Events from a CSV, JSON or YAML file (or its bytes, with ``name`` for messages and format).

    Also reads ``itinera parse --json`` / ``--geojson`` output and our GeoJSON export. ``places``
    checks place ids: a set of known ids, a mapping id -> Place, or a callable ``id -> bool``;
    ``None`` skips the check. ``sources`` does the same for source ids (``text:`` sources made from a
    reader's text always pass). Returns ``(events, problems)``; a row with any problem is left out.
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
    context = {
        "place_known": _place_checker(places),
        "source_ids": None
        if sources is None
        else set(sources.keys() if isinstance(sources, Mapping) else sources),
        "event_ids": {_as_text(record.get("id")) for _, record in records},
    }
    events = []
    first_row: dict[str, int] = {}
    for row, record in records:
        cells = {col: record.get(col) for col in EVENT_COLUMNS}
        row_problems: list[Problem] = []
        eid = _as_text(cells["id"])
        if eid in first_row:
            row_problems.append(
                Problem(label, row, "id", f"duplicate event id {eid!r} (first in row {first_row[eid]})")
            )
        elif eid:
            first_row[eid] = row
        try:
            checked = EventRow.model_validate(cells, context=context)
        except ValidationError as exc:
            row_problems += _row_problems(exc, label, row)
        else:
            if not row_problems:
                events.append(checked.event())
        problems += row_problems
    problems.sort(key=lambda p: p.row or 0)
    return Loaded(events, problems)


def read_events(path: str | Path | bytes, *, places: PlaceCheck, name: str | None = None) -> Loaded:
    """A reader's events file, as both ``itinera export --events`` and the dashboard take it.

    Place ids must be known (curated, GeoNames or the reader's own places); any source id is taken,
    since a reader's own texts and notes are sources sources.yaml does not hold."""
    return load_events(path, places=places, sources=None, name=name)


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
        return mark(self.text, self.highlights)


def _names_of(place: Any) -> list[str]:
    if place is None:
        return []
    names = [place.name] + [alt.name for alt in getattr(place, "alternate_names", ())]
    return sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True)


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
