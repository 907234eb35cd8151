"""Files and folders for the geoparser: reading, refusing, parsing several on the machine's cores, and the
readable report ``itinera parse`` prints."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .geoparser import ParseResult, parse


@dataclass(frozen=True, slots=True)
class FileParse:
    """The outcome for one file: a result, or the reason it was refused (``error``), and warnings."""

    path: str
    result: ParseResult | None
    error: str | None = None
    warnings: tuple[str, ...] = ()


def parse_file(path: str | Path, *, document_date: str | None = None) -> FileParse:
    """Read (``text.read_text``: encodings, binary and empty files refused) and parse one file."""
    import warnings

    from .errors import TextInputError
    from .text import read_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # encoding doubts come back in ``FileParse.warnings``
        try:
            tf = read_text(path)
        except TextInputError as exc:
            return FileParse(str(path), None, str(exc))
    try:
        result = parse(tf.text, document_date=document_date)
    except TextInputError as exc:
        return FileParse(str(path), None, f"{path}: {exc}")
    return FileParse(str(path), result, None, tf.warnings)


def text_files(folder: str | Path) -> list[Path]:
    """The ``.txt`` files of a folder (and its subfolders), in name order."""
    return sorted(p for p in Path(folder).rglob("*.txt") if p.is_file())


def parse_files(
    paths: list[Path], *, document_date: str | None = None, workers: int = 2, progress: bool = True
) -> Iterator[FileParse]:
    """Parse files in up to ``workers`` processes (each loads the gazetteer once), yielding results in
    the order of ``paths``, with a tqdm bar on stderr."""
    import sys

    from tqdm import tqdm

    bar = tqdm(total=len(paths), desc="parsing", unit=" files", file=sys.stderr, disable=not progress)
    try:
        if workers <= 1 or len(paths) <= 1:
            for p in paths:
                out = parse_file(p, document_date=document_date)
                bar.update()
                yield out
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
            futures = [pool.submit(parse_file, p, document_date=document_date) for p in paths]
            for fut in futures:
                out = fut.result()
                bar.update()
                yield out
    finally:
        bar.close()


def format_table(fp: FileParse) -> str:
    """A readable report of one file's parse: places, dates, candidate events."""
    r = fp.result
    if r is None:
        return ""

    def cut(s: str | None, n: int) -> str:
        s = (s or "").replace("\n", " ")
        return s if len(s) <= n else s[: n - 1] + "…"

    lines = [
        f"{fp.path}: {len(r.mentions)} place mentions, {len(r.dates)} dates, "
        f"{len(r.events)} candidate events",
        "",
        "PLACES",
        f"  {'span':>13}  {'text':<28} {'place':<34} {'type':<14} {'±km':>6} {'score':>5}",
    ]
    for m in r.mentions:
        place = m.place_id or "unresolved: " + ", ".join(a.place_id for a in m.alternatives[:2])
        note = f"  (in {m.organisation})" if m.role == "in_organisation" else ""
        km = f"{m.uncertainty_km:g}" if m.uncertainty_km is not None else "-"
        lines.append(
            f"  {m.start:>6}-{m.end:<6} {cut(m.text, 28):<28} {cut(place, 34):<34} "
            f"{cut(m.feature_type, 14):<14} {km:>6} {m.score:>5.2f}{note}"
        )
    lines += ["", "DATES", f"  {'span':>13}  {'text':<34} {'edtf':<26} {'precision':<15} anchored to"]
    for d in r.dates:
        anchor = f"{d.anchor} ({d.anchor_source})" if d.anchor else ""
        lines.append(
            f"  {d.start:>6}-{d.end:<6} {cut(d.text, 34):<34} {cut(d.edtf or '?', 26):<26} "
            f"{d.precision:<15} {anchor}"
        )
    lines += [
        "",
        "CANDIDATE EVENTS",
        f"  {'date':<24} {'kind':<8} {'role':<12} {'place':<28} {'cue':<22} from",
    ]
    for e in r.events:
        lines.append(
            f"  {cut(e.edtf or '-', 24):<24} {e.kind:<8} {e.place_role:<12} "
            f"{cut(e.place_name or e.text, 28):<28} {cut(e.cue or '', 22):<22} {e.from_place_id or ''}"
        )
    return "\n".join(lines) + "\n"
