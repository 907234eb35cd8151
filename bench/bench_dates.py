"""Speed of the date finders on a book, and the cost of reading an EDTF date.

- ``find_dates`` and ``find_times`` on a book of ``--words`` words joined from distinct texts of
  ``../shared/corpora`` (news from LGL, GeoVirus and GeoWebNews: every sentence distinct, dates in
  every form news uses), each text once, never repeated; with the counts of what was found.
- ``gazetteer.timespan.span`` on the distinct dates of ``bench/synthetic.py``'s 100,000 events, cold
  (each date parsed by the ``edtf`` library once) and warm (from the bounded cache).

Run: ``.venv/bin/python bench/bench_dates.py [--words 100000]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from synthetic import random_edtf  # noqa: E402

from gazetteer.dates import find_dates  # noqa: E402
from gazetteer.times import find_times  # noqa: E402
from gazetteer.timespan import _single, span  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"


def book(words: int) -> str:
    """Distinct corpus texts, in a fixed order, until ``words`` words."""
    texts, count = [], 0
    files = sorted(
        p for corpus in ("lgl", "geovirus", "gwn") for p in (CORPORA / corpus / "texts").glob("*.txt")
    )
    for path in files:
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        count += len(text.split())
        if count >= words:
            break
    if count < words:
        sys.exit(f"only {count} words in {CORPORA}: ask for fewer with --words")
    return "\n\n".join(texts)


def timed(fn, *args, **kwargs):
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=100_000)
    args = ap.parse_args(argv)
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found in {CORPORA}")
    text = book(args.words)
    n_words = len(text.split())
    dates, wall, cpu = timed(find_dates, text)
    kinds = Counter(d.basis or "none" for d in dates)
    print(
        f"find_dates: {n_words} words, {len(text)} characters: {wall:.2f} s ({cpu:.2f} CPU), "
        f"{len(dates)} dates"
    )
    print(f"  by basis: {dict(kinds)}")
    times, wall, cpu = timed(find_times, text)
    print(f"find_times: {wall:.2f} s ({cpu:.2f} CPU), {len(times)} times")

    rnd = random.Random(7)
    values = list(dict.fromkeys(v for v in (random_edtf(rnd) for _ in range(100_000)) if v))
    _single.cache_clear()
    _, wall, cpu = timed(lambda: [span(v) for v in values])
    print(
        f"span, cold: {len(values)} distinct dates of 100,000 events: {wall:.2f} s ({cpu:.2f} CPU), "
        f"{cpu / len(values) * 1e3:.2f} ms CPU a date"
    )
    _, wall, cpu = timed(lambda: [span(v) for v in values])
    print(f"span, warm: {wall * 1e6 / len(values):.2f} us a date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
