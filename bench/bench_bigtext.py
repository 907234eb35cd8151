"""``itinera parse`` on one big text: wall time and peak memory for 2 / 20 / 200 MB.

The text is never one text repeated. It is made of distinct texts: the development corpora's news
texts (../shared/corpora/*/texts) and the seed texts, joined, then, when more is needed, the same
texts with their sentences in a new order each round (a permutation seeded by the round and the
text), each a paragraph of its own. It is written to a temporary file a text at a time.

``itinera parse FILE --json --max-size ...`` runs as a child process, its output thrown away; the
memory figure is the peak of the summed RSS of that process and its workers, sampled every 0.1 s
(psutil, which dask's ``distributed`` installs), beside the largest single process's peak. CPU seconds
(the process and its workers, from ``getrusage``) say what the time would be on two idle cores, as the
wall time on a shared machine does not.

Run: ``.venv/bin/python bench/bench_bigtext.py [--sizes 2,20,200] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def source_texts() -> list[str]:
    """The distinct texts the big text is made of (corpora and seeds; our own test texts without them)."""
    files = sorted(SHARED.glob("corpora/*/texts/*.txt")) + sorted(SHARED.glob("seeds/*.txt"))
    files = files or sorted((REPO / "tests" / "data" / "texts").glob("*.txt"))
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def big_text(texts: list[str], size: int) -> Iterator[str]:
    """Paragraphs adding up to about ``size`` characters: the texts once, then permutations of them."""
    written = 0
    round_ = 0
    while True:
        for i, text in enumerate(texts):
            if round_:
                sentences = _SENTENCE.split(text.replace("\n", " "))
                random.Random(round_ * 100_003 + i).shuffle(sentences)
                text = " ".join(sentences)
            piece = text.strip() + "\n\n"
            yield piece
            written += len(piece)
            if written >= size:
                return
        round_ += 1


def measure(path: Path, size: int) -> tuple[float, float, float, float, int]:
    """(seconds, CPU seconds, peak summed RSS and peak single-process RSS in MB, exit code) of a parse."""
    cmd = [
        sys.executable,
        "-m",
        "mapapp.cli",
        "parse",
        str(path),
        "--json",
        "--no-progress",
        f"--max-size={size * 2}",
    ]
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    top = psutil.Process(proc.pid)
    peak_sum = peak_one = 0
    while proc.poll() is None:
        try:
            rss = [p.memory_info().rss for p in [top, *top.children(recursive=True)]]
        except psutil.Error:
            rss = []
        if rss:
            peak_sum = max(peak_sum, sum(rss))
            peak_one = max(peak_one, max(rss))
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode:
        print(f"  exit {proc.returncode}: {err.strip()[-300:]}")
    return seconds, cpu, peak_sum / 1e6, peak_one / 1e6, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2,20,200", help="sizes in MB, comma-separated (default 2,20,200)")
    ap.add_argument("--keep", type=Path, help="write the texts in this folder and keep them")
    args = ap.parse_args()
    texts = source_texts()
    print(f"made of {len(texts)} distinct texts ({sum(map(len, texts)) / 1e6:.1f} MB), then permutations")
    print(
        f"{'size':>8} {'words':>11} {'seconds':>9} {'CPU s':>8} {'MB/CPU-min':>10} {'peak RSS (sum)':>15} "
        f"{'(largest)':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for mb in (float(s) for s in args.sizes.split(",")):
            size = int(mb * 1e6)
            path = folder / f"big_{mb:g}MB.txt"
            words = 0
            with open(path, "w", encoding="utf-8") as f:
                for piece in big_text(texts, size):
                    f.write(piece)
                    words += len(piece.split())
            real = path.stat().st_size
            seconds, cpu, peak_sum, peak_one, code = measure(path, real)
            rate = real / 1e6 / cpu * 60 if cpu else 0.0
            print(
                f"{real / 1e6:>6.1f}MB {words:>11,} {seconds:>9.1f} {cpu:>8.1f} {rate:>10.2f} "
                f"{peak_sum:>12.0f} MB {peak_one:>7.0f} MB" + ("" if code == 0 else f"  (exit {code})")
            )


if __name__ == "__main__":
    main()
