"""Build-and-export speed and page size for 1,000 / 10,000 / 100,000 synthetic events, and whether a
100,000-event page stays usable in Chromium (load, a time-window change, a pan), beside the peer:
folium's one-``Marker``-per-event way for 1,000 events, in the same run.

Targets (2 cores): 100,000 events -> GeoJSON < 5 s, HTML < 15 s, HTML < 30 MB, usable in Chromium.
Run: ``.venv/bin/python bench/bench_export.py [--sizes 1000 10000 100000] [--no-browser]``. The sizes
run in one process, smallest first, as an app would: a date the ``edtf`` library must parse (``1942-07~``)
costs milliseconds the first time only, so ``--sizes 100000`` alone adds ~1 s of cold parsing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import folium
from synthetic import random_edtf  # bench/ is on sys.path when a bench runs as a script

from gazetteer.places import Place, read_lpf
from gazetteer.resources import data_dir
from mapapp.export import to_geojson_bytes, to_html_bytes
from mapapp.models import EVENT_KINDS, Event, Source

CHROMIUM = "/usr/bin/chromium"


def synthetic(n: int, seed: int = 7) -> tuple[list[Event], dict[str, Place], dict[str, Source]]:
    """``n`` events at curated places and GeoNames-like random points over East Asia, with random
    EDTF dates of every precision we use (day, month, season, year, interval, approximate)."""
    rnd = random.Random(seed)
    places = {p.id: p for p in read_lpf(data_dir() / "places.lpf.json")}
    for i in range(max(200, n // 20)):
        pid = f"geonames:{9_000_000 + i}"
        places[pid] = Place(
            pid,
            f"Town {i}",
            "settlement",
            round(rnd.uniform(30, 55), 4),
            round(rnd.uniform(100, 145), 4),
            5.0,
        )
    ids = list(places)
    sources = {f"s{i}": Source(id=f"s{i}", title=f"Synthetic source {i}", kind="report") for i in range(8)}
    actors = [f"Actor {i}" for i in range(60)]

    kinds = [k for k in EVENT_KINDS if k != "context"]
    events = [
        Event(
            id=f"ev{i}",
            actors=(rnd.choice(actors),),
            kind=rnd.choice(kinds),
            place_id=rnd.choice(ids),
            edtf=random_edtf(rnd, undated=0.03),
            source_id=rnd.choice(list(sources)),
            certainty=rnd.choice(("high", "medium", "low")),
            summary=f"Synthetic event {i} of the benchmark",
        )
        for i in range(n)
    ]
    return events, places, sources


def timed(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds): CPU time shows the cost when other work shares the cores."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t, time.process_time() - c


def geojson_stages(events: list[Event], places: dict[str, Place], sources: dict[str, Source]) -> str:
    """CPU seconds of the GeoJSON export's stages, run as ``to_geojson_bytes`` runs them (GC paused)."""
    import gc
    import json

    from mapapp.build import _segments
    from mapapp.geojson import event_features, route_features

    gc.disable()
    try:
        feats, c_ev, _ = _cpu(event_features, events, places, sources)
        segs, c_rt, _ = _cpu(_segments, events, places)
        lines, c_lf, _ = _cpu(route_features, segs)
        doc = {"type": "FeatureCollection", "features": feats + lines}
        _, c_js, _ = _cpu(json.dumps, doc, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    finally:
        gc.enable()
    return (
        f"event features {c_ev:.2f}, routes {c_rt:.2f} ({len(segs)} segments), route features {c_lf:.2f}, "
        f"JSON {c_js:.2f}"
    )


def _cpu(fn, *args, **kwargs):
    out, _, cpu = timed(fn, *args, **kwargs)
    return out, cpu, None


def folium_markers(events: list[Event], places: dict[str, Place]) -> int:
    """The peer: one folium Marker with a popup per event (folium issue 1814)."""
    m = folium.Map(location=[45, 125], zoom_start=4, tiles=None)
    for e in events:
        p = places[e.place_id]
        folium.Marker([p.lat, p.lon], popup=e.summary, tooltip=p.name).add_to(m)
    return len(m.get_root().render())


def browser_check(html_path: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"], headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        external: list[str] = []
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("file:", "data:", "about:", "blob:"))
                else (external.append(r.request.url), r.abort())
            ),
        )
        t = time.perf_counter()
        page.goto(html_path.as_uri(), timeout=180_000)
        page.wait_for_function(
            "window.itineraTime && window.itineraTime.shown !== undefined", timeout=180_000
        )
        load_s = time.perf_counter() - t
        n_months = page.evaluate("window.itineraTime.options.months.length")
        window_ms = page.evaluate(
            """(n) => { const t = performance.now(); const shown = window.itineraTime.setWindow(
                   Math.floor(n / 2), Math.floor(n / 2) + 5); return [performance.now() - t, shown]; }""",
            n_months,
        )
        # the canvas redraw happens on the next animation frame: time until two frames have passed
        frame_ms = page.evaluate(
            """() => new Promise((ok) => { const t = performance.now();
                   window.itineraTime.setWindow(0, window.itineraTime.options.months.length - 1);
                   requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t))); })"""
        )
        pan_ms = page.evaluate(
            """() => new Promise((ok) => { const t = performance.now();
                   const map = window.itineraTime._map; map.panBy([300, 200], {animate: false});
                   requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t))); })"""
        )
        browser.close()
    return {
        "load_s": load_s,
        "window_ms": window_ms[0],
        "shown": window_ms[1],
        "all_window_frame_ms": frame_ms,
        "pan_ms": pan_ms,
        "external": len(external),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    out_dir = Path(tempfile.mkdtemp(prefix="itinera-bench-"))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'events':>8} {'GeoJSON s (CPU)':>16} {'GeoJSON MB':>11} {'HTML s (CPU)':>14} {'HTML MB':>8}")
    largest = None
    for n in args.sizes:
        events, places, sources = synthetic(n)
        gj, t_gj, c_gj = timed(to_geojson_bytes, events, places, sources)
        html, t_html, c_html = timed(to_html_bytes, events, places, sources=sources, offline=True)
        print(
            f"{n:>8} {t_gj:>8.2f} ({c_gj:5.2f}) {len(gj) / 1e6:>11.1f} {t_html:>6.2f} ({c_html:5.2f}) "
            f"{len(html) / 1e6:>8.1f}",
            flush=True,
        )
        if n == max(args.sizes):
            print(f"{'':>8} GeoJSON CPU s by stage: {geojson_stages(events, places, sources)}", flush=True)
        path = out_dir / f"map-{n}.html"
        path.write_bytes(html)
        largest = (n, path)
    events, places, _ = synthetic(1000)
    size, t_peer, c_peer = timed(folium_markers, events, places)
    mb = size / 1e6
    print(f"peer, folium Marker per event, 1000 events: {t_peer:.2f} s ({c_peer:.2f} CPU), {mb:.1f} MB")
    _, t_ours, c_ours = timed(to_html_bytes, events, places, offline=True)
    print(f"ours, same 1000 events, whole standalone page: {t_ours:.2f} s ({c_ours:.2f} CPU)")
    if not args.no_browser and largest is not None:
        n, path = largest
        r = browser_check(path)
        print(
            f"Chromium, {n} events: page ready in {r['load_s']:.1f} s; 6-month window change "
            f"{r['window_ms']:.0f} ms ({r['shown']} features shown); back to the full range + redraw "
            f"{r['all_window_frame_ms']:.0f} ms; pan + redraw {r['pan_ms']:.0f} ms; "
            f"requests off the machine: {r['external']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
