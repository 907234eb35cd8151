"""``itinera batch`` on Dask: speed-up, Dask's overhead and memory per worker, with a plain loop as peer.

On one corpus folder of ``../shared/corpora`` (GeoVirus by default, 229 texts):

1. **plain loop**: one process parses every text in turn (``gazetteer.batch.parse_document``: read,
   SHA-256, ``gazetteer.parse``), the pipeline loaded beforehand: words per second, no Dask.
2. **Dask, 1 worker** and **Dask, 2 workers**: ``run_batch`` on a ``LocalCluster`` already started and
   warmed (the gazetteer and the model loaded by the worker plugin), so the time is the batch's own:
   parsing, writing GeoParquet, scheduling. The outputs must be identical (parse times aside).
   Speed-up = time(1 worker) / time(2 workers) (target >= 1.5, goal 1.9). Dask's overhead = words/s
   of 1 worker against the plain loop (target: within 15%).
3. **memory per worker** over ``--documents`` documents (10,000 by default): distinct copies of the
   texts of all three corpora (each copy with its own first line, so no two texts are alike and no
   cache can answer for a repeat), or with ``--chunk-words N`` distinct runs of about N words cut
   from them at sentence ends (many documents in little time), written to a temporary folder, run
   on 2 workers while each worker's resident memory is sampled. Prints memory against documents
   done, the growth per 1,000 documents over the second half, the estimate for 10^5 and 10^6
   documents, and the size of the output per document (what an archive costs on disk).

The machine is shared: figures are honest for the load of the run (``os.getloadavg`` is printed).

Run: ``.venv/bin/python bench/bench_batch.py [--corpus DIR] [--documents N] [--chunk-words N]``
(``--skip-speed``, ``--skip-memory`` run one half).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gazetteer.batch import Preload, input_paths, load_pipeline, parse_document, read_table, run_batch  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"


def cluster(workers: int):
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )


WARM_TEXT = "In May 1900 we went from Paris to Lyon, and on 2 June we reached Geneva."


def warm_here() -> None:
    """The pipeline loaded and one short text parsed, so lazy first-use costs are not timed."""
    from gazetteer import parse

    load_pipeline()
    parse(WARM_TEXT)


def warm(client) -> None:
    client.register_plugin(Preload())
    client.run(warm_here)


def plain_loop(paths: list[Path]) -> tuple[int, int, float]:
    """(words of the texts parsed, texts that failed, seconds)."""
    warm_here()
    started = time.perf_counter()
    words = failed = 0
    for p in paths:
        row = parse_document(p).row
        if row.get("error"):
            failed += 1
        else:
            words += row.get("words") or 0
    return words, failed, time.perf_counter() - started


def cpu_seconds() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def dask_run(paths: list[Path], out: Path, workers: int) -> tuple[float, object, float]:
    """(seconds, summary, cores obtained: the workers' CPU seconds over the wall time)."""
    from distributed import Client

    with cluster(workers) as c, Client(c) as client:
        warm(client)
        before = sum(client.run(cpu_seconds).values())
        started = time.perf_counter()
        summary = run_batch(paths, out, scheduler=c.scheduler_address, progress=False)
        wall = time.perf_counter() - started
        used = sum(client.run(cpu_seconds).values()) - before
        return wall, summary, used / wall


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


def speed(corpus: Path, work: Path) -> None:
    paths = input_paths(corpus)
    print(f"corpus {corpus} : {len(paths)} texts; load average {os.getloadavg()[0]:.1f}")
    words, failed, plain = plain_loop(paths)
    print(
        f"plain loop, 1 process      : {words:,} words in {plain:6.1f} s = {words / plain:8,.0f} words/s"
        + (f"  ({failed} texts FAILED: the geoparser raised)" if failed else "")
    )
    t1, s1, c1 = dask_run(paths, work / "w1", 1)
    print(
        f"Dask, 1 worker             : {s1.words:,} words in {t1:6.1f} s = {s1.words / t1:8,.0f} words/s "
        f"({s1.words / t1 / (words / plain):.0%} of the plain loop; target >= 85%); "
        f"the worker got {c1:.2f} of a core"
    )
    t2, s2, c2 = dask_run(paths, work / "w2", 2)
    print(
        f"Dask, 2 workers            : {s2.words:,} words in {t2:6.1f} s = {s2.words / t2:8,.0f} words/s "
        f"({s2.words / t2 / 2:,.0f} per worker); the workers got {c2:.2f} cores together"
    )
    if s1.failed or s2.failed:
        print(
            f"FAILED documents           : {s1.failed} (1 worker), {s2.failed} (2 workers); "
            "see documents.parquet"
        )
    print(
        f"speed-up 2 vs 1 worker     : {t1 / t2:.2f} x (target >= 1.5, goal 1.9); cores obtained "
        f"{c2 / c1:.2f} x, words per CPU-second {s1.words / (c1 * t1):,.0f} (1 worker) "
        f"vs {s2.words / (c2 * t2):,.0f} (2)"
    )
    print(f"identical output 1 vs 2    : {same_output(work / 'w1', work / 'w2')}")
    print(f"parse rate per worker      : {s2.words_per_worker_second:,.0f} words/s (parse time only)")
    per_million = 1e6 / (s1.words / t1)
    print(
        f"cost per million words     : {per_million / 3600:.2f} worker-hours at 1 worker's rate "
        f"({per_million:,.0f} worker-seconds)"
    )
    print(f"load average after         : {os.getloadavg()[0]:.1f}")


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


def cache_fill() -> list[tuple[str, int, int]]:
    """(name, entries, bound) of every bounded cache of the geoparser in this process: module-level
    ``lru_cache`` functions and the default gazetteer's own LRU tables."""
    from gazetteer.geoparser import default_gazetteer

    out, seen = [], set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("gazetteer"):
            continue
        for attr, value in list(vars(module).items()):
            info = getattr(value, "cache_info", None)
            if info is None or id(value) in seen:
                continue
            seen.add(id(value))
            with contextlib.suppress(Exception):
                i = info()
                if i.maxsize:
                    out.append((f"{name}.{attr}", i.currsize, i.maxsize))
    gz = default_gazetteer()
    for attr, value in vars(gz).items() if hasattr(gz, "__dict__") else ():
        if isinstance(getattr(value, "maxsize", None), int) and hasattr(value, "__len__"):
            out.append((f"Gazetteer.{attr}", len(value), value.maxsize))
    return sorted(out)


def memory(documents: int, work: Path, chunk_words: int = 0) -> None:
    from distributed import Client

    paths = distinct_copies(documents, work / "copies", chunk_words)
    out = work / "memory"
    samples: list[tuple[float, int, list[float]]] = []
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

    with cluster(2) as c, Client(c) as client:
        warm(client)
        started = time.perf_counter()

        def sample() -> None:
            while not stop.is_set():
                with contextlib.suppress(Exception):  # a sample lost while parts are renamed
                    samples.append((time.perf_counter() - started, done(), sorted(client.run(rss).values())))
                stop.wait(10)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        summary = run_batch(paths, out, scheduler=c.scheduler_address, progress=False)
        stop.set()
        sampler.join()
        samples.append((time.perf_counter() - started, done(), sorted(client.run(rss).values())))
        fills = next(iter(client.run(cache_fill).values()))
    print(f"memory over {documents:,} distinct documents on 2 workers ({summary})")
    print(f"  {'seconds':>8} {'documents':>10}  worker RSS (MB)")
    step = max(1, len(samples) // 12)
    for t, n, mb in samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else []):
        print(f"  {t:8.0f} {n:10,}  {', '.join(f'{m:.0f}' for m in mb)}")
    half = [s for s in samples if s[1] >= documents / 2]
    if len(half) >= 2 and half[-1][1] > half[0][1]:
        growth = (max(half[-1][2]) - max(half[0][2])) / (half[-1][1] - half[0][1]) * 1000
        last = max(samples[-1][2])
        print(f"  growth over the second half: {growth:+.2f} MB per 1,000 documents (largest worker)")
        for n in (10**5, 10**6):
            mb = last + max(growth, 0.0) * (n - documents) / 1000
            print(f"  estimate at {n:>9,} documents: {mb:,.0f} MB per worker (no growth counted below zero)")
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
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus}: no such folder (the corpora live in ../shared, beside the repository)")
    work = Path(tempfile.mkdtemp(prefix="itinera-bench-batch-"))
    try:
        if not args.skip_speed:
            speed(args.corpus, work)
        if not args.skip_memory:
            memory(args.documents, work, args.chunk_words)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
