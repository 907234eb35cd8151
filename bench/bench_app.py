"""The dashboard's rerun time after the reader moves the time window, and after they accept or reject
events of their own text in the review table, measured with Streamlit's AppTest on the first corpus and
on 1,000 / 10,000 / 100,000 synthetic events (``ITINERA_EVENTS``).

Beside it, in the same run, the peer: the plain way of putting a folium map in Streamlit (the whole
map rebuilt and handed to ``st_folium`` on every rerun, events filtered with ``timespan.in_window``).

Targets (2 cores): the first corpus well under 1 s; at 10,000 events a rerun after a window change or a
review decision under 0.5 s (median).
Run: ``.venv/bin/python bench/bench_app.py [--sizes 1000 10000 100000] [--no-peer]``
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest
from synthetic import random_edtf  # bench/ is on sys.path when a bench runs as a script

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "mapapp" / "app.py")
SEEDS = Path(os.environ.get("ITINERA_SEEDS", REPO.parent / "shared" / "seeds"))

PEER = """
import os
import streamlit as st
from streamlit_folium import st_folium
from mapapp.build import build_map
from mapapp.corpus import load_corpus, load_events
from mapapp.timespan import in_window

@st.cache_resource
def data(path):
    c = load_corpus()
    events = load_events(path, sources=c.sources).items if path else c.events
    return c, events

c, events = data(os.environ.get("ITINERA_EVENTS"))
months = sorted({e.edtf[:7] for e in events if e.edtf[:4].isdigit() and e.edtf[4:5] in ("", "-")})
win = st.select_slider("window", options=months, value=(months[0], months[-1]))
shown = in_window(events, win[0], win[1])
st.write(f"{len(shown)} of {len(events)}")
st_folium(build_map(shown, c.places, window=win, sources=c.sources), returned_objects=["last_object_clicked"])
"""


def synthetic_csv(n: int, path: Path, seed: int = 11) -> None:
    """``n`` events at curated places, of every kind, by 40 actors, dated at every precision we use
    (day, month, season, year, interval, approximate), 5% contested."""
    from gazetteer.places import read_lpf
    from gazetteer.resources import data_dir
    from mapapp.models import EVENT_KINDS

    rnd = random.Random(seed)
    places = [p.id for p in read_lpf(data_dir() / "places.lpf.json")]
    actors = [f"Actor {i}" for i in range(40)]

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "actors", "kind", "place_id", "edtf", "source_id", "certainty", "contested_by", "summary"]
        )
        for i in range(n):
            contested = f"s{i - 1}" if i and rnd.random() < 0.05 else ""
            w.writerow(
                [
                    f"s{i}",
                    "; ".join(rnd.sample(actors, rnd.choice((1, 1, 2)))),
                    rnd.choice(EVENT_KINDS),
                    rnd.choice(places),
                    random_edtf(rnd),
                    rnd.choice(("memoir", "article")),
                    rnd.choice(("high", "medium", "low")),
                    contested,
                    f"Synthetic event {i}",
                ]
            )


def windows(options: list[str], k: int = 6) -> list[tuple[str, str]]:
    """``k`` windows a reader might pick: a year, a season, a month, and the whole range."""
    rnd = random.Random(3)
    out = [(options[0], options[-1])]
    for width in (12, 3, 1, 12, 3):
        i = rnd.randrange(0, max(1, len(options) - width))
        out.append((options[i], options[min(i + width - 1, len(options) - 1)]))
    return out[:k]


def measure(at: AppTest, label: str) -> dict[str, float]:
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    if at.exception:
        raise SystemExit(f"{label}: the app failed: {at.exception[0].message}")
    slider = at.select_slider[0]
    wins = windows(list(slider.options))
    times = []
    for _ in range(2):  # second pass: what a reader sees going back and forth
        for w in wins:
            at.select_slider[0].set_value(w)
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
            if at.exception:
                raise SystemExit(f"{label}: the app failed on {w}: {at.exception[0].message}")
    return {
        "first": first,
        "median": statistics.median(times),
        "max": max(times),
        "steady_max": max(times[len(wins) :]),
    }


DIARY = REPO / "tests" / "data" / "workbench_diary.txt"


def measure_review(at: AppTest, label: str) -> dict[str, float]:
    """Upload our diary (not timed), then time the reruns after each review decision: accept one event,
    reject it, accept it again, and accept all above a confidence."""
    at.text_input(key="text_narrator").set_value("the surveyor")
    at.file_uploader(key="text_upload").set_value(("diary.txt", DIARY.read_bytes(), "text/plain"))
    at.run()
    table = next(d.value for d in at.dataframe if {"confidence", "cue"} <= set(d.value.columns))
    ids = table["event_id"].tolist()
    if not ids:
        raise SystemExit(f"{label}: the diary gave no events to review")
    times = []

    def timed(key: str) -> None:
        at.button(key=key).click()
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        if at.exception:
            raise SystemExit(f"{label}: the app failed on {key}: {at.exception[0].message}")

    at.multiselect(key="review_pick").set_value(ids[:1])
    at.run()
    for i in range(6):
        timed("review_accept" if i % 2 == 0 else "review_reject")
    at.slider(key="review_threshold").set_value(0.0)
    at.run()
    timed("review_accept_above")
    return {"median": statistics.median(times), "max": max(times)}


def run(label: str, events_path: Path | None, peer: bool) -> None:
    if events_path is None:
        os.environ.pop("ITINERA_EVENTS", None)
    else:
        os.environ["ITINERA_EVENTS"] = str(events_path)
    at = AppTest.from_file(APP, default_timeout=900)
    ours = measure(at, label)
    work = tempfile.mkdtemp(prefix="itinera-bench-work-")
    os.environ["ITINERA_WORKSPACE"] = work
    review = measure_review(at, label)
    line = (
        f"{label:>16}  first run {ours['first']:6.2f} s   window change: median {ours['median']:5.2f} s, "
        f"max {ours['max']:5.2f} s (max once warm {ours['steady_max']:5.2f} s)   "
        f"review decision: median {review['median']:5.2f} s, max {review['max']:5.2f} s"
    )
    if peer:
        theirs = measure(AppTest.from_string(PEER, default_timeout=900), label)
        line += f"   | peer (whole map rebuilt): median {theirs['median']:5.2f} s, max {theirs['max']:5.2f} s"
    print(line, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    ap.add_argument("--no-peer", action="store_true", help="skip the plain st_folium peer")
    args = ap.parse_args()
    os.environ.setdefault("ITINERA_TEXTS", str(SEEDS))
    tmp = Path(tempfile.mkdtemp(prefix="itinera-bench-app-"))
    os.environ.setdefault("ITINERA_CACHE", str(tmp / "cache"))
    os.environ["ITINERA_CORRECTIONS"] = str(tmp / "corrections.json")
    print(f"itinera app rerun after a time-window change (AppTest, {os.cpu_count()} cores)", flush=True)
    run("first corpus", None, not args.no_peer)
    for n in args.sizes:
        path = tmp / f"events_{n}.csv"
        synthetic_csv(n, path)
        run(f"{n:,} events", path, not args.no_peer and n <= 10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
