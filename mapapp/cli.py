"""``itinera``: geocode a name, parse a text, export maps and data, start the dashboard.

Each subcommand's handler is a small function that turns arguments into calls on the library and
exit codes: 0 done, 1 nothing found / input rejected, 2 bad usage (argparse's own code).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import __version__


class CLIError(Exception):
    """A problem to report in one line on stderr, with an exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# --- geocode -----------------------------------------------------------------------------------


def _add_geocode(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "geocode",
        help="resolve a place name with the offline historical gazetteer",
        description="Resolve a place name: best match with its uncertainty and citation, "
        "alternatives below. Exits 1 when nothing matches.",
    )
    p.add_argument("name", help='a place name as a text writes it, e.g. "Stalingrad"')
    p.add_argument("--when", metavar="YEAR", help="a year (or EDTF date) the text speaks of")
    p.add_argument("--json", action="store_true", help="print JSON instead of a readable answer")
    p.add_argument("--online", action="store_true", help="fall back to an online geocoder")
    p.add_argument("--service", default="nominatim", help="online service (default: nominatim)")
    p.add_argument("--limit", type=int, default=5, help="how many alternatives to list")
    p.set_defaults(handler=_run_geocode)


def _run_geocode(args: argparse.Namespace) -> int:
    import json
    import warnings

    from gazetteer import Gazetteer, GazetteerError
    from gazetteer.geocoder import year_span

    if args.when is not None and year_span(args.when) is None:
        raise CLIError(f"--when {args.when!r}: not a year or EDTF date (e.g. 1942, 1942-07, 1941/1945)", 2)
    if args.limit < 1:
        raise CLIError(f"--limit {args.limit}: must be 1 or more", 2)
    try:
        gz = Gazetteer(online=args.online, service=args.service)
        with warnings.catch_warnings(record=True):  # reported below in our own words
            warnings.simplefilter("always")
            found = gz.candidates(args.name, when=args.when, limit=args.limit + 1)
        suggestions = [] if found else gz.suggest(args.name)
    except GazetteerError as exc:
        raise CLIError(str(exc)) from exc
    for msg in gz.last_warnings:
        print(f"itinera geocode: warning: {msg}", file=sys.stderr)
    if args.json:
        out = {
            "query": args.name,
            "when": args.when,
            "found": bool(found),
            "best": found[0].to_dict() if found else None,
            "alternatives": [c.to_dict() for c in found[1:]],
            "suggestions": suggestions,
            "warnings": gz.last_warnings,
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        if not found:
            print(f"itinera geocode: {args.name!r} not found", file=sys.stderr)
        return 0 if found else 1
    if not found:
        near = f" Nearest names: {', '.join(suggestions)}." if suggestions else ""
        raise CLIError(f"{args.name!r} not found.{near}")
    print(_geocode_text(found[0], found[1:]))
    return 0


def _geocode_text(best, alternatives) -> str:
    p = best.place
    fuzzy = "  (FUZZY: a near spelling, check it)" if best.fuzzy else ""
    lines = [
        f"{p.name}  [{p.id}]  score {best.score:.2f}{fuzzy}",
        f"  {p.feature_type} at {p.lat:.5f}, {p.lon:.5f}  (within {p.uncertainty_km:g} km)",
    ]
    if best.matched_name and best.matched_name != p.name:
        lines.append(f"  matched name: {best.matched_name}")
    lines.append(f"  valid: {p.when or 'not limited'}")
    if p.links:
        lines.append(f"  links: {', '.join(p.links)}")
    lines.append(f"  source: {p.source}; citation: {p.citation or '(none)'}")
    if p.note:
        lines.append(f"  identification: {p.note}")
    lines.append(f"  why: {'; '.join(best.reasons)}")
    if alternatives:
        lines.append("alternatives:")
        for i, c in enumerate(alternatives, 2):
            a = c.place
            tag = ", fuzzy" if c.fuzzy else ""
            lines.append(
                f"  {i}. {a.name} [{a.id}] {a.feature_type}, {a.lat:.4f}, {a.lon:.4f} "
                f"(within {a.uncertainty_km:g} km), score {c.score:.2f}{tag}: {'; '.join(c.reasons)}"
            )
    return "\n".join(lines)


# --- parse -------------------------------------------------------------------------------------


def _add_parse(sub: argparse._SubParsersAction) -> None:
    from gazetteer.files import DEFAULT_MAX_BYTES

    p = sub.add_parser(
        "parse",
        help="find place mentions, dates and movements in a text file or folder",
        description="Geoparse a text file, or every .txt file of a folder, in a stream (chunks of the "
        "text on two processes; JSON Lines are written as they are found). Offsets count characters of "
        "the file as given. Exits 1 when a file is refused (empty, binary, unreadable, not a regular "
        "file); the other files are still parsed. Input over --max-size is refused before any work.",
    )
    p.add_argument("path", type=Path, help="a text file or a folder of .txt files")
    p.add_argument("--narrator", metavar="NAME", help='who "I" and "we" are in these texts')
    p.add_argument("--document-date", metavar="EDTF", help="date relative expressions anchor to")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON Lines, one object per line, as found")
    fmt.add_argument("--geojson", action="store_true", help="a GeoJSON FeatureCollection")
    p.add_argument(
        "--max-size",
        type=_size_arg,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help=f"refuse input larger than this in all, e.g. 500kB, 20MB (default {DEFAULT_MAX_BYTES / 1e6:g}MB:"
        " about what two cores parse in two minutes)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: only when stderr is a terminal)",
    )
    p.set_defaults(handler=_run_parse)


def _size_arg(value: str) -> int:
    """``20MB``, ``500kB``, ``1.5GB`` or a number of bytes."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", value)
    if not m:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size (e.g. 500kB, 20MB, 2000000)")
    return int(float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2).lower()])


def _run_parse(args: argparse.Namespace) -> int:
    import json

    from gazetteer.dates import edtf_value
    from gazetteer.files import TooLarge, check_size, format_table, parse_files, text_files

    if args.document_date is not None and edtf_value(args.document_date) is None:
        raise CLIError(f"--document-date {args.document_date!r}: not an EDTF date (e.g. 1944-02-21, 1944)", 2)
    if args.path.is_dir():
        listing = text_files(args.path)
        for problem in listing.problems:
            print(f"itinera parse: warning: {problem}", file=sys.stderr)
        paths = listing.paths
        if not paths:
            raise CLIError(f"{args.path}: no .txt files in this folder")
    elif args.path.exists() or args.path.is_symlink():
        paths = [args.path]
    else:
        raise CLIError(f"{args.path}: no such file or folder")
    try:
        check_size(paths, args.max_size)
    except TooLarge as exc:
        raise CLIError(f"{args.path}: {exc}") from None
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    failed: set[str] = set()
    records: list[dict] = []
    first_feature = True
    if args.geojson:
        sys.stdout.write('{"type": "FeatureCollection", "features": [\n')
    pieces = parse_files(paths, document_date=args.document_date, narrator=args.narrator, progress=progress)
    for piece in pieces:
        for w in piece.warnings:
            print(f"itinera parse: warning: {w}", file=sys.stderr)
        if piece.error is not None:
            failed.add(piece.path)
            print(f"itinera parse: {piece.error}", file=sys.stderr)
        if args.json:
            sys.stdout.writelines(
                json.dumps({**r, "file": piece.path}, ensure_ascii=False) + "\n" for r in piece.records
            )
        elif args.geojson:
            for r in piece.records:
                if r.get("lat") is None or r.get("lon") is None:
                    continue
                props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
                feature = {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                    "properties": {**props, "file": piece.path},
                }
                sys.stdout.write(("" if first_feature else ",\n") + json.dumps(feature, ensure_ascii=False))
                first_feature = False
        else:
            records.extend(piece.records)
            if piece.last:
                if piece.path not in failed or records:
                    sys.stdout.write(format_table(piece.path, records) + ("\n" if len(paths) > 1 else ""))
                records = []
        sys.stdout.flush()
    if args.geojson:
        sys.stdout.write("\n]}\n")
    if failed:
        print(f"itinera parse: {len(failed)} of {len(paths)} file(s) could not be parsed", file=sys.stderr)
        return 1
    return 0


# --- export ------------------------------------------------------------------------------------


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export events as GeoJSON, Linked Places, CSV or a standalone HTML map",
        description="Export events in a time window: the embedded corpus by default, or an events "
        "file (CSV, JSON, YAML, or what `itinera parse --json/--geojson` writes), or the movements "
        "found in texts (--text; marked automatic). Exits 1 when an input is rejected, with every "
        "problem named by file, row and field.",
        allow_abbrev=False,
    )
    p.add_argument("--events", type=Path, help="events file (CSV, JSON, YAML, JSON Lines or GeoJSON)")
    p.add_argument(
        "--text",
        type=Path,
        action="append",
        metavar="FILE",
        help="a text to map straight away (repeat for several): it becomes a source with its SHA-256, "
        "and the movements found in it become automatic events",
    )
    p.add_argument("--narrator", metavar="NAME", help="who 'I' and 'we' are in the --text files")
    p.add_argument("--document-date", metavar="EDTF", help="the date of the --text files (anchors dates)")
    p.add_argument("--texts", type=Path, help="folder of source texts (for passages)")
    p.add_argument(
        "--batch",
        type=Path,
        metavar="DIR",
        help="an `itinera batch` output folder: its documents become sources, its movements automatic events",
    )
    p.add_argument("--from", dest="start", metavar="EDTF", help="window start")
    p.add_argument("--to", dest="end", metavar="EDTF", help="window end")
    p.add_argument("--geojson", type=Path, metavar="OUT")
    p.add_argument("--html", type=Path, metavar="OUT")
    p.add_argument("--lpf", type=Path, metavar="OUT")
    p.add_argument("--csv", type=Path, metavar="OUT")
    p.add_argument("--gpkg", type=Path, metavar="OUT", help="GeoPackage (layers events, routes) for GIS")
    p.add_argument("--offline", action="store_true", help="inline every asset; no CDN, no tiles")
    p.set_defaults(handler=_run_export)


def _check_export_args(args: argparse.Namespace) -> dict[str, Path]:
    from .timespan import check_edtf, edtf_span

    outputs = {k: getattr(args, k) for k in ("geojson", "html", "lpf", "csv", "gpkg") if getattr(args, k)}
    if not outputs:
        raise CLIError(
            "nothing to write: give at least one of --geojson, --html, --lpf, --csv, --gpkg OUT", 2
        )
    for flag, value in (("--from", args.start), ("--to", args.end), ("--document-date", args.document_date)):
        if value is not None:
            problem = check_edtf(value) if value.strip() else "empty"
            if problem:
                raise CLIError(f"{flag} {value!r}: {problem} (e.g. 1942, 1942-07, 1942-21)", 2)
    if args.start and args.end and edtf_span(args.start)[0] > edtf_span(args.end)[1]:  # type: ignore[index]
        raise CLIError(f"--from {args.start} is after --to {args.end}", 2)
    if args.texts is not None and not args.texts.is_dir():
        raise CLIError(f"--texts {args.texts}: no such folder")
    if (args.narrator or args.document_date) and not args.text:
        raise CLIError("--narrator and --document-date describe --text files: give --text FILE", 2)
    return outputs


def _run_export(args: argparse.Namespace) -> int:
    from .corpus import SourceText, load_corpus, read_events, verify_texts
    from .export import (
        export_csv,
        export_geojson,
        export_gpkg,
        export_html,
        export_lpf,
        places_used,
        text_mentions,
    )
    from .timespan import in_window
    from .workspace import PlaceLookup, places_for

    outputs = _check_export_args(args)
    corpus = load_corpus(texts_dir=args.texts)
    sources = dict(corpus.sources)
    texts = dict(corpus.texts if args.texts is None else verify_texts(corpus.sources.values(), args.texts))
    events = corpus.events
    places: Any = corpus.places
    if args.events is not None or args.text or args.batch is not None:
        from gazetteer import Gazetteer

        places = PlaceLookup(corpus.places, Gazetteer())
        events = []
    if args.events is not None:
        if not args.events.is_file():
            raise CLIError(f"--events {args.events}: no such file")
        loaded = read_events(args.events, places=places.__contains__)
        if loaded.problems:
            for problem in loaded.problems:
                print(f"itinera export: {problem}", file=sys.stderr)
            raise CLIError(f"{args.events}: {len(loaded.problems)} problem(s); nothing written")
        events = list(loaded.items)
        if args.texts is not None:
            _texts_by_checksum(events, args.texts, sources, texts)
    for path in args.text or ():
        source, text, found = _text_events(path, args, places)
        sources[source.id] = source
        texts[source.id] = SourceText(source.id, source.text_file, "verified", f"{path} read", text)
        known = {e.id for e in events}  # a reviewed events file keeps its own version of an event
        events += [e for e in found if e.id not in known]
        print(f"{path}: {len(found)} automatic event(s)", file=sys.stderr)
    batch = _batch_folder(args.batch) if args.batch is not None else None
    if batch is not None:
        sources.update(batch.sources)
        known = {e.id for e in events}
        events += [e for e in batch.events if e.id not in known]
    window = (args.start, args.end) if (args.start or args.end) else None
    chosen = in_window(events, args.start, args.end) if window else list(events)
    if not isinstance(places, dict):
        places = places_for(events, places)

    written = []
    if "geojson" in outputs:
        written.append(export_geojson(chosen, places, sources, outputs["geojson"]))
    if "csv" in outputs:
        written.append(export_csv(chosen, outputs["csv"]))
    if "gpkg" in outputs:
        written.append(export_gpkg(chosen, places, sources, outputs["gpkg"]))
    if "lpf" in outputs:
        written.append(export_lpf(places_used(chosen, places), outputs["lpf"]))
    if "html" in outputs:
        written.append(
            export_html(
                events,
                places,
                outputs["html"],
                window=window,
                offline=args.offline,
                sources=sources,
                texts={**texts, **batch.texts} if batch is not None else texts,
                mentions=text_mentions(texts) + (batch.mentions if batch is not None else []),
            )
        )
    undated = len(events) - len(chosen) if window else 0
    note = f" ({undated} outside the window or undated left out)" if undated else ""
    print(f"{len(chosen)} events{note}")
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


def _texts_by_checksum(events: list[Any], folder: Path, sources: dict, texts: dict) -> None:
    """Sources made from texts (``text:<SHA-256 prefix>``) that sources.yaml does not hold, found in
    ``folder`` by checksum: their passages are shown, never those of another text with the same name."""
    from .automatic import source_for_text
    from .corpus import SourceText, is_text_source

    wanted = {e.source_id for e in events if is_text_source(e.source_id) and e.source_id not in sources}
    for path in sorted(folder.glob("*.txt")) if wanted else ():
        try:
            data = path.read_bytes()
        except OSError:
            continue
        source = source_for_text(path.name, data)
        if source.id in wanted:
            sources[source.id] = source
            text = data.decode("utf-8", errors="replace")
            texts[source.id] = SourceText(source.id, path.name, "verified", f"{path} by checksum", text)


def _text_events(path: Path, args: argparse.Namespace, places: Any) -> tuple[Any, str, list[Any]]:
    """One --text file read, parsed and turned into automatic events (``mapapp.automatic``)."""
    from gazetteer.errors import GazetteerError

    from .automatic import read_text_events

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CLIError(f"--text {path}: no such file") from None
    except IsADirectoryError:
        raise CLIError(f"--text {path}: a folder, not a text file (give each file with --text)") from None
    except OSError as exc:
        raise CLIError(f"--text {path}: cannot be read ({exc.strerror or exc})") from None
    try:
        found = read_text_events(
            path.name,
            data,
            narrator=args.narrator or "",
            document_date=args.document_date or "",
            gazetteer=getattr(places, "gazetteer", None),
        )
    except (GazetteerError, ValueError) as exc:
        raise CLIError(f"--text {path}: {exc}") from None
    for note in found.warnings:
        print(f"itinera export: warning: {note}", file=sys.stderr)
    return found.source, found.text, found.events()


# --- batch -------------------------------------------------------------------------------------


def _add_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="geoparse an archive of .txt files on a Dask cluster into GeoParquet",
        description="Geoparse every text of INPUT on a Dask cluster (local worker processes, or an "
        "existing cluster with --scheduler) and write documents.parquet, mentions.parquet and "
        "events.parquet (GeoParquet, WGS84) under --out. A second run over the same --out skips the "
        "documents already done (by SHA-256). Files that cannot be parsed are recorded in "
        "documents.parquet and the batch goes on. Exits 1 when some documents failed.",
        allow_abbrev=False,
    )
    p.add_argument(
        "input",
        help="a folder of .txt files, a glob (quote it: 'archive/**/*.txt'), a .txt file, "
        "or a file listing paths one per line",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created)")
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: the cores)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="an existing cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--narrator", metavar="NAME", help='who "I" and "we" are in these texts')
    p.add_argument("--document-date", metavar="EDTF", help="date relative expressions anchor to")
    p.add_argument(
        "--part-size",
        type=int,
        metavar="N",
        help="documents per part (default: automatic; changes files, not rows)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from gazetteer.batch import BatchError, input_paths, run_batch

    if args.workers is not None and args.workers < 1:
        raise CLIError(f"--workers {args.workers}: must be 1 or more", 2)
    if args.part_size is not None and args.part_size < 1:
        raise CLIError(f"--part-size {args.part_size}: must be 1 or more", 2)
    if args.workers is not None and args.scheduler:
        raise CLIError("--workers and --scheduler do not go together (the cluster has its own workers)", 2)
    if args.scheduler and "://" not in args.scheduler:
        raise CLIError(f"--scheduler {args.scheduler!r}: give an address such as tcp://HOST:8786", 2)
    if args.document_date is not None:
        from gazetteer.dates import edtf_value

        if edtf_value(args.document_date) is None:
            raise CLIError(
                f"--document-date {args.document_date!r}: not an EDTF date (e.g. 1944-02-21, 1944)", 2
            )
    try:
        paths = input_paths(args.input)
        summary = run_batch(
            paths,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            narrator=args.narrator,
            document_date=args.document_date,
            size=args.part_size,
            progress=not args.no_progress,
        )
    except BatchError as exc:
        raise CLIError(str(exc)) from exc
    print(file=sys.stderr)
    print(f"itinera batch: {summary}", file=sys.stderr)
    if summary.failed:
        print(
            f"itinera batch: {summary.failed} document(s) failed; their errors are in "
            f"{Path(summary.out) / 'documents.parquet'} (column error)",
            file=sys.stderr,
        )
        return 1
    return 0


def _batch_folder(folder: Path) -> Any:
    """An ``itinera batch`` output folder read back (``mapapp.batchdir``) for export and the dashboard."""
    from gazetteer.batch import BatchError

    from .batchdir import load_batch

    try:
        batch = load_batch(folder)
    except BatchError as exc:
        raise CLIError(f"--batch {exc}") from None
    for problem in batch.problems:
        print(f"itinera: {problem}", file=sys.stderr)
    print(
        f"{folder}: {batch.documents - batch.failed:,} document(s), {len(batch.events):,} automatic event(s)",
        file=sys.stderr,
    )
    return batch


# --- app ---------------------------------------------------------------------------------------


def _add_app(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "app",
        help="start the dashboard on 127.0.0.1",
        description="Start the Streamlit dashboard, bound to 127.0.0.1. Streamlit's own "
        "STREAMLIT_* settings still apply.",
    )
    p.add_argument("--port", type=int, default=None, help="port (default: 8501 or STREAMLIT_SERVER_PORT)")
    p.add_argument("--texts", type=Path, help="folder of source texts to show passages from")
    p.add_argument("--batch", type=Path, metavar="DIR", help="an `itinera batch` output folder to show too")
    p.add_argument("--headless", action="store_true", help="do not try to open a browser")
    p.set_defaults(handler=_run_app)


def app_command(port: int | None = None, headless: bool = False) -> list[str]:
    """The streamlit command line; no network look-ups (address given, usage stats off)."""
    from .uploads import UPLOAD_LIMIT_MB

    script = Path(__file__).with_name("app.py")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        os.environ.get("STREAMLIT_SERVER_ADDRESS", "127.0.0.1"),
        "--browser.gatherUsageStats",
        "false",
        "--server.showEmailPrompt",
        "false",
        "--client.toolbarMode",
        os.environ.get("STREAMLIT_CLIENT_TOOLBAR_MODE", "viewer"),
        "--server.maxUploadSize",  # the one upload limit the dashboard states and enforces
        os.environ.get("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", str(UPLOAD_LIMIT_MB)),
    ]
    if port is not None:
        cmd += ["--server.port", str(port)]
    if headless:
        cmd += ["--server.headless", "true"]
    return cmd


def _run_app(args: argparse.Namespace) -> int:
    if args.port is not None and not (1 <= args.port <= 65535):
        raise CLIError(f"--port {args.port}: not a port number (1-65535)", 2)
    if args.port is not None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", args.port)) == 0:
                raise CLIError(f"port {args.port} is already in use on 127.0.0.1; pick another")
    env = dict(os.environ)
    if args.texts:
        if not args.texts.is_dir():
            raise CLIError(f"--texts {args.texts}: no such folder")
        env["ITINERA_TEXTS"] = str(args.texts.resolve())
    if args.batch:
        if not (args.batch / "documents.parquet").is_dir():
            raise CLIError(f"--batch {args.batch}: not a batch output folder (no documents.parquet)")
        env["ITINERA_BATCH"] = str(args.batch.resolve())
    # Streamlit runs as a child; a SIGTERM to ``itinera app`` (a test fixture, a service manager) must
    # stop it too, or it lives on as an orphan holding its port.
    proc = subprocess.Popen(app_command(args.port, args.headless), env=env)
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(10)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- main --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="itinera",
        description="Turn historical narrative texts into a sourced map of places and routes.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"itinera {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in (_add_geocode, _add_parse, _add_export, _add_batch, _add_app):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CLIError as exc:
        print(f"itinera {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
