"""``itinera batch`` on Dask: speed-up, Dask's overhead and memory per worker, with a plain loop as peer.

On one corpus folder of ``../shared/corpora`` (GeoVirus by default, 229 texts):

1. **plain loops**, each in a fresh process started for it (so each parses every text once, with
   cold caches like a fresh worker), with the BLAS/OpenMP threads at one as Dask's nanny sets them
   for its workers, and glibc's malloc left at its defaults as ``itinera batch`` leaves its workers:
   *parse only* (``gazetteer.batch.parse_document`` per text: read, SHA-256, ``gazetteer.parse``)
   and *same work as a task* (``gazetteer.batch.run_part`` over the parts a 1-worker batch makes:
   the same parse, the rows, and the GeoParquet files written), the pipeline loaded beforehand.
2. **Dask, 1 worker** and **Dask, 2 workers**: ``run_batch`` on a ``gazetteer.batch.local_cluster``
   already started and warmed (the gazetteer and the model loaded by the worker plugin), so the
   time is the batch's own: connecting, parsing, writing GeoParquet, scheduling. The outputs must be
   identical (parse times aside). Speed-up = time(1 worker) / time(2 workers) (target >= 1.5, goal
   1.9). Dask's overhead = words/s of 1 worker against each plain loop (target: within 15% of the
   parse-only loop). ``--rounds N`` repeats the four runs (fresh processes each time) and prints
   each round and the median: the machine is shared, so a single round can mislead.
3. **memory per worker** over ``--documents`` documents (10,000 by default): distinct copies of the
   texts of all three corpora (each copy with its own first line, so no two texts are alike and no
   cache can answer for a repeat), or with ``--chunk-words N`` distinct runs of about N words cut
   from them at sentence ends (many documents in little time), written to a temporary folder, run
   on 2 workers while each worker's resident memory is sampled. Prints memory against documents
   done, the growth per 1,000 documents over the second half, the estimate for 10^5 and 10^6
   documents, and the size of the output per document (what an archive costs on disk).

The machine is shared: figures are honest for the load of the run (``os.getloadavg`` is printed).

Run: ``.venv/bin/python bench/bench_batch.py [--corpus DIR] [--rounds N] [--documents N] [--chunk-words N]``
(``--skip-speed``, ``--skip-memory`` run one half).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gazetteer.batch import (  # noqa: E402
    Preload,
    input_paths,
    load_pipeline,
    local_cluster,
    parse_document,
    read_table,
    run_batch,
)

CORPORA = REPO.parent / "shared" / "corpora"


WARM_TEXT = "In May 1900 we went from Paris to Lyon, and on 2 June we reached Geneva."
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
"""What Dask's nanny sets for its workers (``distributed.nanny.pre-spawn-environ``), so the plain loop
runs its numerical libraries as the worker does. With OpenBLAS's own threads the plain loop spends
about 10% more CPU per word on this machine, which would flatter Dask."""


def warm_here() -> None:
    """The pipeline loaded and one short text parsed, so lazy first-use costs are not timed."""
    from gazetteer import parse

    load_pipeline()
    parse(WARM_TEXT)


def warm(client) -> None:
    client.register_plugin(Preload())
    client.run(warm_here)


def cpu_seconds() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def plain_loop_here(corpus: Path, mode: str, out: Path) -> dict:
    """In this process: every text of ``corpus`` once, by ``parse_document`` (``mode`` "parse") or by
    ``run_part`` over a 1-worker batch's parts ("write"). Words, failures, wall and CPU seconds."""
    from gazetteer.batch import part_size, plan, prepare_output, run_part

    paths = input_paths(corpus)
    if mode == "write":
        prepare_output(out)
    warm_here()
    started, cpu = time.perf_counter(), cpu_seconds()
    words = failed = 0
    if mode == "parse":
        for p in paths:
            row = parse_document(p).row
            if row.get("error"):
                failed += 1
            else:
                words += row.get("words") or 0
    else:
        for job in plan(paths, out, 0, part_size(len(paths), 1)):
            counts = run_part(job)
            words += counts["words"]
            failed += counts["failed"]
    return {
        "words": words,
        "failed": failed,
        "seconds": time.perf_counter() - started,
        "cpu": cpu_seconds() - cpu,
    }


def plain_loop(corpus: Path, mode: str, out: Path) -> dict:
    """``plain_loop_here`` in a fresh Python process with ``ONE_THREAD`` set before it starts."""
    import json
    import subprocess

    proc = subprocess.run(
        [sys.executable, __file__, "--plain-loop", mode, "--corpus", str(corpus), "--out", str(out)],
        env={**os.environ, **ONE_THREAD},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def dask_run(paths: list[Path], out: Path, workers: int) -> tuple[float, object, float]:
    """(seconds, summary, CPU seconds the workers used)."""
    from distributed import Client

    with local_cluster(workers) as c, Client(c) as client:
        warm(client)
        before = sum(client.run(cpu_seconds).values())
        started = time.perf_counter()
        summary = run_batch(paths, out, scheduler=c.scheduler_address, progress=False)
        wall = time.perf_counter() - started
        used = sum(client.run(cpu_seconds).values()) - before
        return wall, summary, used


def same_output(a: Path, b: Path) -> bool:
    import pandas as pd

    for table in ("documents", "mentions", "events"):
        fa, fb = read_table(a, table), read_table(b, table)
        fa = pd.DataFrame(fa.drop(columns=["geometry"])).assign(g=fa.geometry.to_wkt())
        fb = pd.DataFrame(fb.drop(columns=["geometry"])).assign(g=fb.geometry.to_wkt())
        fa, fb = fa.drop(columns=["seconds"], errors="ignore"), fb.drop(columns=["seconds"], errors="ignore")
        try:
            pd.testing.assert_frame_equal(fa, fb)
        except AssertionError as exc:
            print(f"  {table} differ: {str(exc)[:300]}")
            return False
    return True


def speed_round(corpus: Path, work: Path) -> dict[str, float]:
    """One round: the two plain loops, then 1 and 2 Dask workers. Prints it, returns its ratios."""
    paths = input_paths(corpus)
    print(f"corpus {corpus} : {len(paths)} texts; load average {os.getloadavg()[0]:.1f}")
    runs = {}
    for mode, label in (("parse", "parse only"), ("write", "same work as a task")):
        r = plain_loop(corpus, mode, work / f"plain-{mode}")
        runs[mode] = r
        print(
            f"plain loop, {label:<19}: {r['words']:,} words in {r['seconds']:6.1f} s = "
            f"{r['words'] / r['seconds']:8,.0f} words/s, {r['words'] / r['cpu']:7,.0f} per CPU-second"
            + (f"  ({r['failed']} texts FAILED: the geoparser raised)" if r["failed"] else "")
        )
    t1, s1, c1 = dask_run(paths, work / "w1", 1)
    parse_rate = runs["parse"]["words"] / runs["parse"]["seconds"]
    write_rate = runs["write"]["words"] / runs["write"]["seconds"]
    print(
        f"Dask, 1 worker                 : {s1.words:,} words in {t1:6.1f} s = "
        f"{s1.words / t1:8,.0f} words/s, {s1.words / c1:7,.0f} per CPU-second "
        f"({s1.words / t1 / parse_rate:.0%} of the parse-only loop, "
        f"target >= 85%; {s1.words / t1 / write_rate:.0%} of the same-work loop); the worker got "
        f"{c1 / t1:.2f} of a core"
    )
    t2, s2, c2 = dask_run(paths, work / "w2", 2)
    print(
        f"Dask, 2 workers                : {s2.words:,} words in {t2:6.1f} s = "
        f"{s2.words / t2:8,.0f} words/s, {s2.words / c2:7,.0f} per CPU-second "
        f"({s2.words / t2 / 2:,.0f} words/s per worker); the "
        f"workers got {c2 / t2:.2f} cores together"
    )
    if s1.failed or s2.failed:
        print(
            f"FAILED documents               : {s1.failed} (1 worker), {s2.failed} (2 workers); "
            "see documents.parquet"
        )
    print(
        f"speed-up 2 vs 1 worker         : {t1 / t2:.2f} x (target >= 1.5, goal 1.9); cores obtained "
        f"{(c2 / t2) / (c1 / t1):.2f} x"
    )
    print(
        f"identical output             : {same_output(work / 'w1', work / 'w2')} (1 vs 2 workers), "
        f"{same_output(work / 'w1', work / 'plain-write')} (1 worker vs the same-work loop)"
    )
    print(f"parse rate per worker          : {s2.words_per_worker_second:,.0f} words/s (parse time only)")
    per_million = 1e6 / (s1.words / t1)
    print(
        f"cost per million words         : {per_million / 3600:.2f} worker-hours at 1 worker's rate "
        f"({per_million:,.0f} worker-seconds)"
    )
    print(f"load average after             : {os.getloadavg()[0]:.1f}")
    for name in ("w1", "w2", "plain-write"):
        shutil.rmtree(work / name, ignore_errors=True)
    return {
        "1 worker / parse-only loop, words/s": s1.words / t1 / parse_rate,
        "1 worker / parse-only loop, words per CPU-second": (s1.words / c1)
        / (runs["parse"]["words"] / runs["parse"]["cpu"]),
        "1 worker / same-work loop, words/s": s1.words / t1 / write_rate,
        "speed-up 2 vs 1 worker": t1 / t2,
    }


def speed(corpus: Path, work: Path, rounds: int) -> None:
    import statistics

    results = []
    for i in range(rounds):
        if rounds > 1:
            print(f"--- round {i + 1} of {rounds}")
        results.append(speed_round(corpus, work))
    if rounds > 1:
        print(f"--- over {rounds} rounds (median, and each round)")
        for key in results[0]:
            values = [r[key] for r in results]
            fmt = "{:.2f} x" if key.startswith("speed-up") else "{:.0%}"
            print(
                f"  {key:<50} {fmt.format(statistics.median(values))}  "
                f"({', '.join(fmt.format(v) for v in values)})"
            )


def distinct_copies(n: int, folder: Path, chunk_words: int = 0) -> list[Path]:
    """``n`` distinct texts from the corpora: whole texts in turn, each copy with its own first line;
    or, with ``chunk_words``, consecutive runs of about that many words cut at sentence ends (short
    documents: many documents through a worker in little time, none repeated while the corpora last)."""
    import re

    sources = [p for name in ("lgl", "geovirus", "gwn") for p in input_paths(CORPORA / name / "texts")]
    folder.mkdir(parents=True, exist_ok=True)
    pieces: list[tuple[str, str]] = []
    if chunk_words:
        for src in sources:
            run: list[str] = []
            for sentence in re.split(r"(?<=[.!?])\s+", src.read_text(encoding="utf-8")):
                run.append(sentence)
                if sum(len(x.split()) for x in run) >= chunk_words:
                    pieces.append((src.name, " ".join(run)))
                    run = []
    if chunk_words and n > len(pieces):
        print(
            f"{len(pieces):,} distinct runs of about {chunk_words} words in the corpora: the documents "
            "after them repeat a run under their own first line (the caches then grow little)"
        )
    out = []
    for i in range(n):
        if chunk_words:
            name, text = pieces[i % len(pieces)]
            text = text if i < len(pieces) else f"Copy {i} of a part of {name}.\n\n{text}"
        else:
            src = sources[i % len(sources)]
            text = f"Copy {i} of {src.name}.\n\n" + src.read_text(encoding="utf-8")
        dst = folder / f"{i:07d}.txt"
        dst.write_text(text, encoding="utf-8")
        out.append(dst)
    return out


def _bounded_caches() -> list[tuple[str, object]]:
    """(name, cache) of every bounded cache of the geoparser in this process: module-level
    ``lru_cache`` functions, the default gazetteer's own LRU tables and its sources' ``lru_cache``
    methods (the GeoNames places, the layers' places)."""
    from gazetteer.geoparser import default_gazetteer

    found, seen = [], set()

    def add(name: str, value: object) -> None:
        bounded = getattr(value, "maxsize", None) or getattr(value, "cache_parameters", dict)().get("maxsize")
        if isinstance(bounded, int) and id(value) not in seen:
            seen.add(id(value))
            found.append((name, value))

    for name, module in list(sys.modules.items()):
        if name.startswith("gazetteer"):
            for attr, value in list(vars(module).items()):
                if hasattr(value, "cache_info"):
                    add(f"{name}.{attr}", value)
    gz = default_gazetteer()
    for attr, value in vars(gz).items():
        if isinstance(getattr(value, "maxsize", None), int) and hasattr(value, "__len__"):
            add(f"Gazetteer.{attr}", value)
    for source in [gz.geonames, *gz.layers]:
        for attr, value in vars(source).items() if source is not None else ():
            if hasattr(value, "cache_info"):
                add(f"{type(source).__name__}.{attr}", value)
    return found


def cache_fill() -> list[tuple[str, int, int]]:
    """(name, entries, bound) of every bounded cache of the geoparser in this process."""
    out = []
    for name, cache in _bounded_caches():
        if hasattr(cache, "cache_info"):
            info = cache.cache_info()
            out.append((name, info.currsize, info.maxsize))
        else:
            out.append((name, len(cache), cache.maxsize))
    return sorted(out)


def cache_entries() -> int:
    return sum(n for _, n, _ in cache_fill())


def fill_caches() -> int:
    """Fill the geoparser's bounded caches as a long archive would, before a memory run: the layers'
    places and the GeoNames places row by row, and every name and alternate of those places asked of
    the gazetteer (``has_name``, ``lookup`` in years that vary and with a context, the name helpers),
    until each cache is at its bound or the names run out. From then on a cache only replaces
    entries, so memory that still grows is not the caches. Returns the entries added."""
    from gazetteer.geoparser import default_gazetteer
    from gazetteer.names import bare_key, normalize, skeleton, split_generic, words

    gz = default_gazetteer()
    gn = gz.geonames
    before = cache_entries()
    for layer in gz.layers:
        bound = layer._place.cache_info().maxsize
        for i in range(min(len(layer), bound)):
            layer._place(i)
    full = {name: False for name, _, _ in cache_fill()}
    previous = "Paris"
    for row in range(len(gn) if gn is not None else 0):
        for i, name in enumerate(gn.row_names(row)):
            gz.has_name(name)
            for helper in (normalize, words, split_generic, bare_key, skeleton):
                helper(name)
            if i == 0 and not full.get("Gazetteer._lookup_memo"):
                gz.lookup(name, when=1800 + row % 200)
            if i == 0 and not full.get("Gazetteer._context_cache"):
                gz.lookup(name, context=[previous])
                previous = name
        if row % 1000 == 0:
            full = {name: n >= bound for name, n, bound in cache_fill()}
            if all(v for k, v in full.items() if not k.startswith("gazetteer.timespan")):
                break
    return cache_entries() - before


def memory(documents: int, work: Path, chunk_words: int = 0, full_caches: bool = False) -> None:
    from distributed import Client

    paths = distinct_copies(documents, work / "copies", chunk_words)
    out = work / "memory"
    samples: list[tuple[float, int, list[float], int]] = []
    stop = threading.Event()

    def rss() -> float:
        import psutil

        return psutil.Process().memory_info().rss / 1e6

    def done() -> int:
        from gazetteer.batch import iter_rows

        folder = out / "documents.parquet"
        if not folder.is_dir():
            return 0
        return sum(1 for _ in iter_rows(out, "documents"))

    def sample(client) -> tuple[float, int, list[float], int]:
        entries = max(client.run(cache_entries).values())
        return time.perf_counter() - started, done(), sorted(client.run(rss).values()), entries

    with local_cluster(2) as c, Client(c) as client:
        warm(client)
        if full_caches:
            filled = time.perf_counter()
            added = max(client.run(fill_caches).values())
            after = ", ".join(f"{m:.0f}" for m in sorted(client.run(rss).values()))
            print(
                f"bounded caches filled first on each worker: {added:,} entries in "
                f"{time.perf_counter() - filled:.0f} s; worker RSS then {after} MB"
            )
        started = time.perf_counter()

        def sampler_loop() -> None:
            while not stop.is_set():
                with contextlib.suppress(Exception):  # a sample lost while parts are renamed
                    samples.append(sample(client))
                stop.wait(10)

        sampler = threading.Thread(target=sampler_loop, daemon=True)
        sampler.start()
        summary = run_batch(paths, out, scheduler=c.scheduler_address, progress=False)
        stop.set()
        sampler.join()
        samples.append(sample(client))
        fills = next(iter(client.run(cache_fill).values()))
    caches = "filled to their bounds first" if full_caches else "empty at the start"
    print(f"memory over {documents:,} distinct documents on 2 workers, bounded caches {caches} ({summary})")
    print(f"  load average {os.getloadavg()[0]:.1f}")
    print(f"  {'seconds':>8} {'documents':>10}  {'cache entries':>13}  worker RSS (MB)")
    step = max(1, len(samples) // 12)
    for t, n, mb, entries in samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else []):
        print(f"  {t:8.0f} {n:10,}  {entries:13,}  {', '.join(f'{m:.0f}' for m in mb)}")
    half = [s for s in samples if s[1] >= documents / 2]
    if len(half) >= 2 and half[-1][1] > half[0][1]:
        span = half[-1][1] - half[0][1]
        growth = (max(half[-1][2]) - max(half[0][2])) / span * 1000
        cache_growth = (half[-1][3] - half[0][3]) / span * 1000
        last = max(samples[-1][2])
        print(
            f"  growth over the second half: {growth:+.2f} MB per 1,000 documents (largest worker); "
            f"{cache_growth:+,.0f} bounded-cache entries per 1,000 documents (one worker)"
        )
        if not full_caches and cache_growth > 0:
            print(
                "  (the caches were still filling: a straight line overstates, run with --full-caches "
                "for the growth once they are full)"
            )
        for n in (10**5, 10**6):
            mb = last + max(growth, 0.0) * (n - documents) / 1000
            print(
                f"  estimate at {n:>9,} documents: {mb:,.0f} MB per worker (straight line, none below zero)"
            )
    print("  the geoparser's bounded caches on one worker at the end (entries / bound):")
    for name, n, bound in fills:
        print(f"    {name:<50} {n:>9,} / {bound:>9,} ({n / bound:.0%})")
    size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    print(
        f"  output: {size / 1e6:.1f} MB for {documents:,} documents = {size / documents / 1e3:.1f} kB each; "
        f"10^6 documents ~ {size / documents * 1e6 / 1e9:.1f} GB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPORA / "geovirus" / "texts")
    parser.add_argument("--documents", type=int, default=10_000, help="documents for the memory run")
    parser.add_argument(
        "--chunk-words",
        type=int,
        default=0,
        metavar="N",
        help="memory run on short documents of about N words cut from the corpora (0: whole texts)",
    )
    parser.add_argument(
        "--full-caches",
        action="store_true",
        help="memory run with the geoparser's bounded caches filled to their bounds first",
    )
    parser.add_argument("--rounds", type=int, default=1, help="speed runs, each in fresh processes")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--plain-loop", choices=("parse", "write"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus}: no such folder (the corpora live in ../shared, beside the repository)")
    if args.plain_loop:  # the child process of ``plain_loop``
        import json

        print(json.dumps(plain_loop_here(args.corpus, args.plain_loop, args.out)))
        return
    work = Path(tempfile.mkdtemp(prefix="itinera-bench-batch-"))
    try:
        if not args.skip_speed:
            speed(args.corpus, work, args.rounds)
        if not args.skip_memory:
            memory(args.documents, work, args.chunk_words, args.full_caches)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
