"""Files and folders for the geoparser: listing them safely, refusing what is not text, parsing in a stream
on the machine's cores, and the readable report ``itinera parse`` prints.

A text is read in chunks of about ``CHUNK_CHARS`` characters cut at a paragraph break (else a sentence
end, else a space), and each chunk is parsed with the last sentence of the one before it in front, so a
relative date ("two days later") still has what it counts from. What is found in that overlap belongs
to the chunk before and is dropped. Offsets are shifted to index the whole file as given, and the
results come out in file order as soon as they are ready: memory holds a few chunks, never the file.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import GazetteerError, TextInputError

CHUNK_CHARS = 100_000
OVERLAP_CHARS = 2_000
"""At most this much of a chunk's end is parsed again in front of the next (its last sentence)."""
DEFAULT_MAX_BYTES = 4_000_000
"""What ``itinera parse`` takes without ``--max-size``: half of what two idle cores parse in two minutes
(bench/bench_bigtext.py: 2 MB of news prose cost 60 CPU seconds, 2026-12-01), leaving room for a
loaded machine and a slower geoparser."""

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\r?\n")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")


class TooLarge(GazetteerError):
    """The input is larger than the limit; the message names it and the option that raises it."""


@dataclass(frozen=True, slots=True)
class Listing:
    """The text files of a folder, and what could not be looked into (named, one line each)."""

    paths: list[Path]
    problems: list[str] = field(default_factory=list)


def text_files(folder: str | Path) -> Listing:
    """The ``.txt`` entries under ``folder`` that are not folders, in path order.

    Linked folders are followed once each (a link loop is reported, never walked forever). Entries that
    are not regular files (a FIFO, a broken link) are listed too, so that reading them names the problem.
    """
    root = Path(folder)
    paths: list[Path] = []
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot be listed ({exc.strerror or exc})")

    for here, dirs, files in os.walk(root, onerror=onerror, followlinks=True):
        try:
            st = os.stat(here)
        except OSError as exc:
            onerror(exc)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            problems.append(f"{here}: a link back to a folder already read (a loop); skipped")
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in files:
            if name.lower().endswith(".txt"):
                paths.append(Path(here) / name)
    paths.sort()
    return Listing(paths, problems)


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of the outcome for one file, in order: records (JSON-ready dicts, offsets into the whole file),
    or the reason the file was refused or stopped (``error``); ``last`` marks the file's last piece."""

    path: str
    records: tuple[dict[str, Any], ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()
    last: bool = False


def check_size(paths: list[Path], max_bytes: int, *, option: str = "--max-size") -> int:
    """The total size of ``paths``; ``TooLarge`` naming it and ``option`` when it is over ``max_bytes``."""
    total = sum(_size(p) for p in paths)
    if total > max_bytes:
        what = f"{len(paths)} files hold" if len(paths) > 1 else "the text is"
        raise TooLarge(
            f"{what} {_size_text(total)}, over the limit of {_size_text(max_bytes)} (about what two cores "
            f"parse in two minutes); {option} {_size_text(total, up=True).replace(' ', '')} raises it"
        )
    return total


def _size_text(n: float, *, up: bool = False) -> str:
    """``20.3 MB`` or ``850 kB``; rounded up (``up``) it is a limit that admits ``n``."""
    import math

    if n >= 1e6:
        return f"{math.ceil(n / 1e5) / 10:.1f} MB" if up else f"{n / 1e6:.1f} MB"
    return f"{math.ceil(n / 1e3)} kB" if up else f"{n / 1e3:.0f} kB"


def parse_files(
    paths: list[Path],
    *,
    document_date: str | None = None,
    narrator: str | None = None,
    workers: int = 2,
    progress: bool = False,
    chunk_chars: int = CHUNK_CHARS,
) -> Iterator[Piece]:
    """Parse files chunk by chunk in up to ``workers`` processes (each loads the gazetteer once), yielding
    each file's pieces in the order of ``paths``; a tqdm bar (in MB) on stderr when ``progress``.

    At most ``2 * workers`` chunks are in flight, so memory stays bounded whatever the input's size.
    """
    from tqdm import tqdm

    sizes = {p: _size(p) for p in paths}
    bar = tqdm(
        total=sum(sizes.values()),
        desc="parsing",
        unit="B",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress,
    )
    kept = 0  # mentions of the current file already yielded: events' mention indexes count from there
    try:
        for piece in _pieces(
            _tasks(paths, document_date, narrator, chunk_chars),
            workers,
            sum(sizes.values()) > chunk_chars,
            bar,
        ):
            if kept and piece.records:
                piece = replace(piece, records=tuple(_indexes_moved(r, kept) for r in piece.records))
            kept = 0 if piece.last else kept + sum(1 for r in piece.records if r.get("type") == "mention")
            yield piece
    finally:
        bar.close()


def _pieces(tasks: Iterator[_Task], workers: int, pool_pays: bool, bar) -> Iterator[Piece]:
    """The tasks' pieces in order: in this process, or in a pool with at most ``2 * workers`` in flight."""
    if workers <= 1 or not pool_pays:
        for task in tasks:
            piece = _run(task)
            bar.update(task.done_bytes)
            yield piece
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        window: deque = deque()
        for task in tasks:
            window.append((task, pool.submit(_run, task) if task.text is not None else None))
            while len(window) > 2 * workers or (window and window[0][1] is None):
                yield _collected(*window.popleft(), bar)
        while window:
            yield _collected(*window.popleft(), bar)


def _collected(task: _Task, future, bar) -> Piece:
    from concurrent.futures.process import BrokenProcessPool

    try:
        piece = _run(task) if future is None else future.result()
    except BrokenProcessPool:
        piece = Piece(task.path, error=f"{task.path}: a parsing process died (out of memory?)")
    bar.update(task.done_bytes)
    return piece


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size if os.path.isfile(path) else 0
    except OSError:
        return 0


@dataclass(frozen=True, slots=True)
class _Task:
    """One chunk to parse (``text``), or a file's refusal (``error``) or closing piece."""

    path: str
    text: str | None = None
    base: int = 0  # the chunk's offset in the file's text
    keep_from: int = 0  # results starting before this (the overlap) belong to the chunk before
    document_date: str | None = None
    narrator: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    last: bool = False
    done_bytes: int = 0


def _tasks(
    paths: list[Path], document_date: str | None, narrator: str | None, chunk_chars: int
) -> Iterator[_Task]:
    """The chunks of every file in order, read lazily; a file that fails mid-way ends with its error."""
    from .text import stream_encoding

    for path in paths:
        name = str(path)
        try:
            encoding, notes = stream_encoding(path)
        except TextInputError as exc:
            yield _Task(name, error=str(exc), last=True, done_bytes=_size(path))
            continue
        warnings, read_chars = tuple(notes), 0
        try:
            for base, text, keep_from in _chunks(path, encoding, chunk_chars):
                new = len(text) - keep_from
                yield _Task(
                    name, text, base, keep_from, document_date, narrator, warnings=warnings, done_bytes=new
                )
                warnings = ()
                read_chars += new
        except (OSError, UnicodeDecodeError) as exc:
            msg = exc.strerror if isinstance(exc, OSError) else f"undecodable as {encoding} ({exc.reason})"
            yield _Task(name, error=f"{path}: stopped after {read_chars} characters: {msg}", last=True)
            continue
        yield _Task(name, warnings=warnings, last=True, done_bytes=max(0, _size(path) - read_chars))


def _chunks(path: Path, encoding: str, chunk_chars: int) -> Iterator[tuple[int, str, int]]:
    """(offset in the file's text, chunk text, where its new part starts) for the whole file, in order.

    ``newline=""`` keeps ``\\r\\n`` as two characters: offsets count the text exactly as given.
    """
    with open(path, encoding=encoding, newline="") as f:
        buf, base, overlap, eof = "", 0, 0, False
        while True:
            while not eof and len(buf) - overlap < chunk_chars:
                block = f.read(chunk_chars)
                eof = not block
                buf += block
            if len(buf) == overlap:
                return
            cut = len(buf) if eof and len(buf) - overlap <= chunk_chars else _cut(buf, overlap, chunk_chars)
            if buf[overlap:cut].strip():
                yield base, buf[:cut], overlap
            ctx = _context_start(buf, overlap, cut)
            base += ctx
            buf = buf[ctx:]
            overlap = cut - ctx


def _cut(buf: str, lo: int, size: int) -> int:
    """Where to end a chunk starting at ``lo``: the last paragraph break in its second half, else the last
    sentence end, else the last space, else ``lo + size`` (a text with no space at all)."""
    lo_cut, hi = lo + size // 2, min(len(buf), lo + size)
    for pattern in (_PARAGRAPH_BREAK, _SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(buf, lo_cut, hi):  # noqa: B007 - the last match is the one wanted
            pass
        if last is not None:
            return last.end()
    return hi


def _context_start(buf: str, lo: int, cut: int) -> int:
    """Where the last sentence before ``cut`` starts (at most ``OVERLAP_CHARS`` back), or ``cut``."""
    start = max(lo, cut - OVERLAP_CHARS)
    end = len(buf[:cut].rstrip())
    last = None
    for last in _SENTENCE_END.finditer(buf, start, max(start, end - 1)):  # noqa: B007
        pass
    return last.end() if last is not None else cut


_INDEX_KEYS = ("mention", "from_mention")


def _run(task: _Task) -> Piece:
    """Parse one chunk (in a worker process) into records with offsets into the whole file."""
    if task.text is None:
        return Piece(task.path, error=task.error, warnings=task.warnings, last=task.last)
    from .geoparser import parse

    try:
        result = parse(
            task.text,
            document_date=task.document_date,
            narrator=task.narrator,
            file_name=Path(task.path).name,
        )
    except TextInputError as exc:
        return Piece(task.path, error=f"{task.path}: {exc}", warnings=task.warnings)
    except Exception as exc:  # a geoparser bug: name the file and the place, keep going with the others
        where = f"characters {task.base + task.keep_from}-{task.base + len(task.text)}"
        msg = f"{task.path}: the geoparser failed on {where} ({type(exc).__name__}: {exc})"
        return Piece(task.path, error=msg, warnings=task.warnings)
    dropped = sum(1 for m in result.mentions if m.start < task.keep_from)
    records = []
    for record in result.records():
        if isinstance(record.get("start"), int) and record["start"] < task.keep_from:
            continue
        records.append(_shifted(record, task.base, dropped))
    return Piece(task.path, tuple(records), warnings=task.warnings, last=task.last)


def _shifted(value: Any, base: int, dropped: int, key: str = "") -> Any:
    """``value`` with every offset (``start``, ``end``, ``*_start``, ``*_end``) moved by ``base`` and every
    mention index moved back by the ``dropped`` mentions of the overlap (None when it pointed into it)."""
    if isinstance(value, dict):
        return {k: _shifted(v, base, dropped, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, base, dropped, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        if key in ("start", "end") or key.endswith(("_start", "_end")):
            return value + base
        if key in _INDEX_KEYS:
            return value - dropped if value >= dropped else None
    return value


def _indexes_moved(value: Any, by: int, key: str = "") -> Any:
    """``value`` with every mention index moved on ``by`` (the mentions of the file's earlier chunks)."""
    if isinstance(value, dict):
        return {k: _indexes_moved(v, by, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_indexes_moved(v, by, key) for v in value]
    if key in _INDEX_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return value + by
    return value


# --- the readable report -------------------------------------------------------------------------------


def format_table(path: str, records: Iterable[dict[str, Any]]) -> str:
    """A readable report of one file's records: places, dates, events."""
    mentions, dates, events = [], [], []
    for r in records:
        {"mention": mentions, "date": dates, "event": events}.get(r.get("type"), []).append(r)

    def cut(s: Any, n: int) -> str:
        s = str(s or "").replace("\n", " ").replace("\r", " ")
        return s if len(s) <= n else s[: n - 1] + "…"

    lines = [
        f"{path}: {len(mentions)} place mentions, {len(dates)} dates, {len(events)} events",
        "",
        "PLACES",
        f"  {'span':>13}  {'text':<28} {'place':<34} {'type':<14} {'±km':>6} {'score':>5}",
    ]
    for m in mentions:
        alts = ", ".join(a["place_id"] for a in m.get("alternatives", [])[:2])
        place = m.get("place_id") or "unresolved: " + alts
        note = f"  (in {m['organisation']})" if m.get("role") == "in_organisation" else ""
        km = f"{m['uncertainty_km']:g}" if m.get("uncertainty_km") is not None else "-"
        lines.append(
            f"  {m['start']:>6}-{m['end']:<6} {cut(m['text'], 28):<28} {cut(place, 34):<34} "
            f"{cut(m.get('feature_type'), 14):<14} {km:>6} {m.get('score') or 0:>5.2f}{note}"
        )
    lines += ["", "DATES", f"  {'span':>13}  {'text':<34} {'edtf':<26} {'precision':<15} anchored to"]
    for d in dates:
        anchor = f"{d['anchor']} ({d.get('anchor_source')})" if d.get("anchor") else ""
        lines.append(
            f"  {d['start']:>6}-{d['end']:<6} {cut(d['text'], 34):<34} {cut(d.get('edtf') or '?', 26):<26} "
            f"{cut(d.get('precision'), 15):<15} {anchor}"
        )
    lines += [
        "",
        "EVENTS",
        f"  {'date':<24} {'kind':<8} {'role':<12} {'who':<20} {'place':<28} {'cue':<22} from",
    ]
    for e in events:
        origin = e.get("origin") or {}
        came_from = origin.get("place_id") if isinstance(origin, dict) else None
        lines.append(
            f"  {cut(e.get('edtf') or '-', 24):<24} {cut(e.get('kind'), 8):<8} "
            f"{cut(e.get('role'), 12):<12} {cut(', '.join(e.get('actors') or []), 20):<20} "
            f"{cut(e.get('place_name') or e.get('text'), 28):<28} {cut(e.get('cue'), 22):<22} "
            f"{came_from or ''}"
        )
    return "\n".join(lines) + "\n"
