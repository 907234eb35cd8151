"""Archives on Dask: the geoparser run over many text files on a ``dask.distributed`` cluster, written
as GeoParquet (WGS84) that ``geopandas.read_parquet`` and ``dask_geopandas.read_parquet`` read back.

An output folder holds three datasets, each a folder of parts numbered in input order:

    OUT/documents.parquet/part.000000.parquet   one row per input: path, SHA-256, words, seconds, error
    OUT/mentions.parquet/part.000000.parquet    one row per place mention (a Point, or none if unresolved)
    OUT/events.parquet/part.000000.parquet      one row per event (``ParseResult.events``)

A part is a run of consecutive documents; each task parses one part and writes its three files, the
documents file last, each in one rename. So a part is either wholly there or not at all (a worker
killed mid-part loses that part only, and Dask runs it again), rows keep the input's order whatever
the number of workers or parts, and a second run over the same folder skips every document whose
SHA-256 ``documents.parquet`` already holds.

Workers must see the input paths and ``OUT`` under the same names (one machine, or a shared
filesystem): they read the texts and write the parts themselves, so nothing large goes through the
client and its memory stays flat however long the archive.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import re
import time
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from types import NoneType, UnionType
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from .errors import GazetteerError

TABLES = ("mentions", "events", "documents")
PART_SIZE_MAX = 64
"""Documents per part at most: small enough that a lost part costs little, large enough that a
million documents make ~16,000 tasks, which the scheduler handles easily."""
PARTS_PER_WORKER = 4
_PART = re.compile(r"^part\.(\d{6})\.parquet$")
CRS = "EPSG:4326"


class BatchError(GazetteerError):
    """A batch cannot start: no inputs, an unusable output folder, an unreachable scheduler."""


# --- inputs --------------------------------------------------------------------------------------


def input_paths(spec: str | Path) -> list[Path]:
    """The ``.txt`` files ``spec`` names, absolute, in a stable order.

    ``spec`` is a folder (its ``.txt`` files, subfolders included, in name order), a glob
    (``archive/**/*.txt``, in name order), a ``.txt`` file (that one text) or any other file, read as a
    list of paths, one per line (blank lines and ``#`` comments skipped; relative paths count from the
    list's folder; the list's order is kept).
    """
    text = str(spec)
    path = Path(text)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.txt") if p.is_file())
        if not found:
            raise BatchError(f"{path}: no .txt files in this folder")
        return [p.resolve() for p in found]
    if path.is_file() and path.suffix.lower() == ".txt":
        return [path.resolve()]
    if path.is_file():
        return _listed_paths(path)
    if glob.has_magic(text):
        found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not found:
            raise BatchError(f"{text}: the pattern matches no files")
        return [p.resolve() for p in found]
    raise BatchError(f"{text}: no such folder, file or pattern")


def _listed_paths(listing: Path) -> list[Path]:
    try:
        raw = listing.read_bytes()
    except OSError as exc:
        raise BatchError(f"{listing}: cannot be read ({exc.strerror or exc})") from exc
    if b"\x00" in raw[:8192]:
        raise BatchError(f"{listing}: is a binary file, not a list of paths (one per line)")
    try:
        lines = raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise BatchError(
            f"{listing}: a list of paths must be UTF-8 (byte {exc.start}: {exc.reason})"
        ) from exc
    paths = []
    for line in lines:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            p = Path(entry)
            paths.append((p if p.is_absolute() else listing.parent / p).resolve())
    if not paths:
        raise BatchError(f"{listing}: lists no paths (one per line expected)")
    return paths


def sha256_file(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


# --- typed columns -------------------------------------------------------------------------------
# Every part of a dataset must have the same schema, even a part with no events or only unresolved
# mentions. Columns and types therefore come from the record class's annotations, never from the
# values of one part; anything that is not a plain scalar is stored as a JSON string.

_DTYPES = {bool: "boolean", int: "Int64", float: "Float64", str: "string"}


def _column_types(cls: type) -> dict[str, str]:
    """Column name -> pandas dtype for each field of a dataclass or named tuple."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)] if is_dataclass(cls) else list(cls._fields)
    out = {}
    for name in names:
        hint = hints.get(name, Any)
        if typing.get_origin(hint) in (typing.Union, UnionType):
            args = [a for a in typing.get_args(hint) if a is not NoneType]
            hint = args[0] if len(args) == 1 else Any
        out[name] = _DTYPES.get(hint, "json")  # type: ignore[arg-type]
    return out


def event_class() -> type | None:
    """The class of ``ParseResult.events``: as the geoparser declares it, else the movements' class
    (``gazetteer.geoparse.events.Movement``), else the older candidate events, so the events schema
    follows the parser without parsing a probe text. None when none of them can be imported."""
    from . import geoparser

    try:
        hint = typing.get_type_hints(geoparser.ParseResult)["events"]
        (cls,) = typing.get_args(hint)
    except Exception:  # an annotation that cannot be resolved at run time
        cls = None
    if isinstance(cls, type) and cls is not Any:
        return cls
    try:
        from .geoparse.events import Movement
    except Exception:  # the movements module missing or broken: fall back, never stop the batch
        return getattr(geoparser, "EventCandidate", None)
    return Movement


def event_columns() -> dict[str, str]:
    cls = event_class()
    return _column_types(cls) if cls is not None else {}


def _plain(value: Any, kind: str) -> Any:
    if kind != "json":
        return value
    if value is None:
        return None
    if is_dataclass(value) and not isinstance(value, type):
        from dataclasses import asdict

        value = asdict(value)
    elif hasattr(value, "_asdict"):
        value = value._asdict()
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        from dataclasses import asdict

        return asdict(value)
    if hasattr(value, "_asdict"):
        return value._asdict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


DOCUMENT_COLUMNS = {
    "document": "string",
    "sha256": "string",
    "bytes": "Int64",
    "characters": "Int64",
    "words": "Int64",
    "encoding": "string",
    "narrator": "string",
    "document_date": "string",
    "mentions": "Int64",
    "resolved": "Int64",
    "events": "Int64",
    "seconds": "Float64",
    "error": "string",
    "warnings": "json",
}
"""``seconds`` is the parse time of the document (the only column that differs between two runs)."""

_KEYS = {"document": "string", "sha256": "string", "position": "Int64"}


# --- one document, one part (run on the workers) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartJob:
    """One task: parse ``paths`` and write them as part ``number`` of each dataset under ``out``."""

    number: int
    paths: tuple[str, ...]
    out: str
    narrator: str | None = None
    document_date: str | None = None


@dataclass(slots=True)
class DocumentOutcome:
    row: dict[str, Any]
    mentions: list[dict[str, Any]]
    events: list[dict[str, Any]]


def load_pipeline() -> None:
    """Load the gazetteer and the spaCy model into this process (each is cached per process), and
    import what writes the parts (geopandas, pyarrow: half a second, paid once per worker rather than
    by its first part)."""
    import geopandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from .geoparse import nlp
    from .geoparser import default_gazetteer

    default_gazetteer()
    nlp.load()


class Preload(WorkerPlugin):
    """Loads the pipeline once when a worker starts (or joins later), before its first document."""

    name = "itinera-preload"

    def setup(self, worker: Any) -> None:
        load_pipeline()


def _parse_options() -> frozenset[str]:
    import inspect

    from .geoparser import parse

    return frozenset(inspect.signature(parse).parameters)


def parse_document(
    path: str | Path,
    *,
    narrator: str | None = None,
    document_date: str | None = None,
    events_schema: dict[str, str] | None = None,
) -> DocumentOutcome:
    """Read and parse one file; any failure becomes the ``error`` of its row, never an exception."""
    from .errors import TextInputError
    from .geoparser import parse
    from .text import MAX_BYTES, decode_bytes

    path = Path(path)
    row: dict[str, Any] = {
        "document": str(path),
        "narrator": narrator,
        "document_date": document_date,
        "warnings": [],
    }
    try:
        size = path.stat().st_size
        row["bytes"] = size
        if size > MAX_BYTES:
            row["sha256"] = sha256_file(path)
            raise TextInputError(
                f"{path}: {size / 1e6:.1f} MB is too large for a text (limit {MAX_BYTES / 1e6:.0f} MB)"
            )
        data = path.read_bytes()
        row["sha256"] = hashlib.sha256(data).hexdigest()
        text, encoding, notes = decode_bytes(data, name=str(path))
    except OSError as exc:
        row["error"] = f"{path}: cannot be read ({exc.strerror or exc})"
        return DocumentOutcome(row, [], [])
    except TextInputError as exc:
        row["error"] = str(exc)
        return DocumentOutcome(row, [], [])
    row.update(characters=len(text), words=len(text.split()), encoding=encoding, warnings=notes)
    options = {"document_date": document_date}
    accepted = _parse_options()
    if narrator is not None and "narrator" in accepted:
        options["narrator"] = narrator
    if "file_name" in accepted:
        options["file_name"] = path.name
    # spaCy adds every new word of a document to the model's vocabulary, so a worker's memory would
    # grow with each document of an archive; a memory zone (spaCy >= 3.8) drops what one document
    # added once its rows are made (they hold plain values only).
    with _memory_zone():
        started = time.perf_counter()
        try:
            result = parse(text, **options)
        except TextInputError as exc:
            row["error"] = f"{path}: {exc}"
            return DocumentOutcome(row, [], [])
        except Exception as exc:  # one document's failure is recorded; the batch goes on
            row["error"] = f"{path}: the geoparser failed ({type(exc).__name__}: {exc})"
            return DocumentOutcome(row, [], [])
        row["seconds"] = time.perf_counter() - started
        mentions, events = _records(result, str(path), row["sha256"], events_schema)
    row.update(
        mentions=len(mentions),
        resolved=sum(1 for m in mentions if m["place_id"] is not None),
        events=len(events),
    )
    return DocumentOutcome(row, mentions, events)


def _memory_zone() -> Any:
    from contextlib import nullcontext

    from .geoparse import nlp

    model = nlp.load()
    return model.memory_zone() if hasattr(model, "memory_zone") else nullcontext()


def _records(
    result: Any, document: str, sha256: str, events_schema: dict[str, str] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A parse's mentions and events as rows of plain values, in the parser's order."""
    from .geoparser import PlaceMention

    keys = {"document": document, "sha256": sha256}
    mention_types = _column_types(PlaceMention)
    mentions = [
        {**keys, "position": i, **{k: _plain(getattr(m, k), t) for k, t in mention_types.items()}}
        for i, m in enumerate(result.mentions)
    ]
    events = []
    event_types = event_columns() if events_schema is None else events_schema
    for i, e in enumerate(result.events):
        record = e.to_json()
        events.append(
            {
                **keys,
                "position": i,
                **{k: _plain(record.get(k, getattr(e, k, None)), t) for k, t in event_types.items()},
            }
        )
    return mentions, events


def _frame(rows: list[dict[str, Any]], columns: dict[str, str], geometry: list[Any]):
    """A GeoDataFrame with exactly ``columns`` in their dtypes (JSON columns dumped to strings)."""
    import geopandas as gpd
    import pandas as pd

    data = {}
    for name, kind in columns.items():
        values = [r.get(name) for r in rows]
        if kind == "json":
            values = [_plain(v, "json") if not isinstance(v, str) else v for v in values]
            kind = "string"
        data[name] = pd.array(values, dtype=kind)
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _points(rows: list[dict[str, Any]]) -> list[Any]:
    from shapely.geometry import Point

    return [
        Point(r["lon"], r["lat"]) if r.get("lat") is not None and r.get("lon") is not None else None
        for r in rows
    ]


def _extent(points: list[Any]) -> Any:
    """A document's footprint: the envelope of its resolved mentions (a Point when it names one place)."""
    from shapely.geometry import MultiPoint

    found = [p for p in points if p is not None]
    return MultiPoint(found).envelope if found else None


def part_path(out: str | Path, table: str, number: int) -> Path:
    return Path(out) / f"{table}.parquet" / f"part.{number:06d}.parquet"


def _write(frame: Any, path: Path) -> None:
    from .storage import atomic_writer

    with atomic_writer(path) as fh:
        frame.to_parquet(fh, index=False)


def run_part(job: PartJob) -> dict[str, Any]:
    """Parse one part's documents and write its three files (documents last, so its presence means
    the part is complete). Returns the part's counts for the summary."""
    from .geoparser import PlaceMention

    schema = event_columns()
    outcomes = [
        parse_document(p, narrator=job.narrator, document_date=job.document_date, events_schema=schema)
        for p in job.paths
    ]
    mentions = [m for o in outcomes for m in o.mentions]
    events = [e for o in outcomes for e in o.events]
    mention_cols = {**_KEYS, **_column_types(PlaceMention)}
    event_cols = {**_KEYS, **schema}
    _write(_frame(mentions, mention_cols, _points(mentions)), part_path(job.out, "mentions", job.number))
    _write(_frame(events, event_cols, _points(events)), part_path(job.out, "events", job.number))
    extents = [_extent(_points(o.mentions)) for o in outcomes]
    rows = [o.row for o in outcomes]
    _write(_frame(rows, DOCUMENT_COLUMNS, extents), part_path(job.out, "documents", job.number))
    return {
        "documents": len(rows),
        "failed": sum(1 for r in rows if r.get("error")),
        "words": sum(r.get("words") or 0 for r in rows if not r.get("error")),
        "seconds": sum(r.get("seconds") or 0.0 for r in rows),
        "mentions": len(mentions),
        "events": len(events),
    }


# --- the output folder ---------------------------------------------------------------------------


def _parts(out: Path, table: str) -> dict[int, Path]:
    folder = out / f"{table}.parquet"
    if not folder.is_dir():
        return {}
    found = {}
    for p in folder.iterdir():
        m = _PART.match(p.name)
        if m:
            found[int(m.group(1))] = p
    return found


def prepare_output(out: str | Path) -> tuple[set[str], int]:
    """Make ``out`` ready for a run: remove what an interrupted part left (files of a part without its
    documents file, temporary files), and return (the SHA-256 of every recorded document, next part number).

    A document whose SHA-256 is recorded is done, failed or not: a binary or empty file fails the same
    way again. Only a file that could not be read at all (no SHA-256) is tried again next run.
    """
    import pyarrow.parquet as pq

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out}: exists and is not a folder")
    try:
        for table in TABLES:
            (out / f"{table}.parquet").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(f"--out {out}: cannot be created ({exc.strerror or exc})") from exc
    documents = _parts(out, "documents")
    for table in ("mentions", "events"):
        for number, path in _parts(out, table).items():
            if number not in documents:
                path.unlink()
    for table in TABLES:
        for tmp in (out / f"{table}.parquet").glob(".part.*.tmp"):
            tmp.unlink(missing_ok=True)
    done: set[str] = set()
    for _, path in sorted(documents.items()):
        try:
            shas = pq.read_table(path, columns=["sha256"]).column("sha256").to_pylist()
        except Exception as exc:
            raise BatchError(
                f"{path}: not a documents part this tool wrote ({exc}); remove it or pick another --out"
            ) from exc
        done.update(sha for sha in shas if sha)
    return done, max(documents, default=-1) + 1


def part_size(documents: int, workers: int) -> int:
    """Documents per part: about ``PARTS_PER_WORKER`` parts per worker (so a slow part does not leave
    the others idle at the end), at most ``PART_SIZE_MAX``."""
    return max(1, min(PART_SIZE_MAX, math.ceil(documents / max(1, workers * PARTS_PER_WORKER))))


def plan(paths: Sequence[Path], out: str | Path, first: int, size: int, **options: Any) -> list[PartJob]:
    return [
        PartJob(first + i, tuple(str(p) for p in paths[start : start + size]), str(out), **options)
        for i, start in enumerate(range(0, len(paths), size))
    ]


# --- the run -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did. ``words`` and ``failed`` count this run's documents; ``skipped`` were done before."""

    inputs: int
    parsed: int
    skipped: int
    failed: int
    words: int
    mentions: int
    events: int
    seconds: float
    parse_seconds: float
    workers: int
    out: str

    @property
    def words_per_second(self) -> float:
        """Words per second of the whole run, start-up of the cluster included."""
        return self.words / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_worker_second(self) -> float:
        """Words per second of parsing on one worker: what sizes a cluster for an archive."""
        return self.words / self.parse_seconds if self.parse_seconds > 0 else 0.0

    def __str__(self) -> str:
        return (
            f"{self.inputs:,} documents: {self.parsed:,} parsed, {self.skipped:,} already done, "
            f"{self.failed:,} failed; {self.words:,} words in {self.seconds:.1f} s "
            f"({self.words_per_second:,.0f} words/s on {self.workers} worker(s), "
            f"{self.words_per_worker_second:,.0f} words/s per worker parsing); "
            f"{self.mentions:,} place mentions, {self.events:,} events -> {self.out}"
        )


def run_batch(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    narrator: str | None = None,
    document_date: str | None = None,
    size: int | None = None,
    progress: bool = True,
    retries: int = 2,
) -> BatchSummary:
    """Geoparse ``paths`` into GeoParquet under ``out`` on a Dask cluster: a local one with ``workers``
    processes (default: the cores), or the one at ``scheduler`` (``tcp://host:port``).

    Documents already recorded under ``out`` (by SHA-256) are skipped. ``size`` is documents per part
    (default: ``part_size``); it changes the files, never the rows or their order.
    """
    import os

    if document_date is not None:
        from .dates import edtf_value

        if edtf_value(document_date) is None:
            raise BatchError(f"document date {document_date!r} is not an EDTF date (e.g. 1944-02-21, 1944)")
    if size is not None and size < 1:
        raise BatchError(f"part size {size}: must be 1 or more")
    if workers is not None and workers < 1:
        raise BatchError(f"workers {workers}: must be 1 or more")
    out = Path(out).resolve()
    started = time.perf_counter()
    done, first = prepare_output(out)
    todo = [Path(p) for p in paths]
    if done:
        todo = [p for p in todo if sha256_file(p) not in done]
    skipped = len(paths) - len(todo)
    with _client(workers or os.cpu_count() or 1, scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        jobs = plan(
            todo,
            out,
            first,
            size or part_size(len(todo), n_workers),
            narrator=narrator,
            document_date=document_date,
        )
        counts = _run(client, jobs, progress=progress, retries=retries)
    return BatchSummary(
        inputs=len(paths),
        parsed=sum(c["documents"] for c in counts) - sum(c["failed"] for c in counts),
        skipped=skipped,
        failed=sum(c["failed"] for c in counts),
        words=sum(c["words"] for c in counts),
        mentions=sum(c["mentions"] for c in counts),
        events=sum(c["events"] for c in counts),
        seconds=time.perf_counter() - started,
        parse_seconds=sum(c["seconds"] for c in counts),
        workers=n_workers,
        out=str(out),
    )


def _run(client: Any, jobs: list[PartJob], *, progress: bool, retries: int) -> list[dict[str, Any]]:
    if not jobs:
        return []
    import uuid

    from distributed import progress as dask_progress

    client.register_plugin(Preload())
    run = uuid.uuid4().hex[:8]
    futures = client.map(
        run_part, jobs, key=[f"itinera-part-{run}-{j.number}" for j in jobs], retries=retries, pure=False
    )
    if progress:
        dask_progress(futures, notebook=False)
    try:
        return client.gather(futures)
    finally:
        for f in futures:
            f.release()


WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
"""Two of Dask's defaults that cost a geoparsing worker, turned off for the local cluster:

- the nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``. Setting any glibc malloc
  threshold by hand turns off glibc's dynamic mmap threshold, so every allocation of 128 KiB or more
  (the arrays spaCy's model makes for each document) is mapped and unmapped again: about 30 times
  the page faults and 10-15% more CPU per document than the same parse in a plain process. The
  workers keep glibc's defaults, as a plain process has them (the nanny still sets the BLAS and
  OpenMP threads to one).
- the statistical profiler samples the worker's stack every 10 ms and keeps one profile per second
  for the last 1,000 seconds: the geoparser's deep, varied stacks make that about 0.3 MB a second,
  so a worker's memory grew by some 6 MB per 1,000 short documents for its first quarter hour. Only
  the dashboard shows those profiles, and the local cluster has none.

``bench/bench_batch.py`` measures both."""


def local_cluster(workers: int) -> Any:
    """A ``LocalCluster`` of ``workers`` processes with one thread each (the geoparser is CPU-bound
    Python), bound to loopback, no dashboard, with ``WORKER_CONFIG``."""
    import logging

    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # no dashboard; the scheduler's small HTTP server (health checks) on loopback, any free port
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )


class _client:
    """A ``distributed.Client`` on the cluster at ``scheduler``, or on a ``local_cluster`` started (and
    closed) here."""

    def __init__(self, workers: int, scheduler: str | None):
        self.workers = workers
        self.scheduler = scheduler
        self.cluster = None
        self.client = None

    def __enter__(self) -> Any:
        from distributed import Client

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise BatchError(f"no Dask scheduler answers at {self.scheduler} ({exc})") from exc
            return self.client
        self.cluster = local_cluster(self.workers)
        self.client = Client(self.cluster)
        return self.client

    def __exit__(self, *exc: Any) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# --- reading back --------------------------------------------------------------------------------


def read_table(out: str | Path, table: str):
    """One dataset of a batch folder as a GeoDataFrame, rows in input order (parts in number order)."""
    import geopandas as gpd
    import pandas as pd

    if table not in TABLES:
        raise BatchError(f"{table!r}: a batch folder holds {', '.join(TABLES)}")
    parts = [p for _, p in sorted(_parts(Path(out), table).items())]
    if not parts:
        raise BatchError(f"{Path(out) / (table + '.parquet')}: no parts (not a batch output folder?)")
    frames = [gpd.read_parquet(p) for p in parts]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)


def iter_rows(out: str | Path, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one dataset as dicts, part by part (geometry left out), without holding them all."""
    import pyarrow.parquet as pq

    for _, path in sorted(_parts(Path(out), table).items()):
        for batch in pq.ParquetFile(path).iter_batches():
            for row in batch.to_pylist():
                row.pop("geometry", None)
                yield row
