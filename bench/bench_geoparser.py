"""Geoparser quality against our gold annotations, and throughput beside geotext in the same run.

Quality: precision, recall and F1 of place mentions (exact spans; "overlap" counts a found span that
overlaps a gold one), and the share of correctly found mentions resolved within the gold place's
radius (same id, or a point within the gold place's ``uncertainty_km``). geotext is scored on the same
gold (its spans recovered with its own candidate regex); it has no resolution to a place.

Throughput, on two texts of a few MB: the memoir repeated (the issue's benchmark; a repeated paragraph
is found and resolved once per text, so this is the best case) and other English prose that is not
repeated (the seed texts once, then Python's help topics, the licences in /usr/share/common-licenses and
the standard library's docstrings: the honest case, with few places and many capitalised words that
are not). Words per second (CPU time of one call) for ``parse`` (cleaning, dates, mentions,
resolution, candidate events), for ``find_places`` (mentions and resolution only) and for
``geotext.GeoText`` (the peer) on the same text in the same run; what each finds.

Run: ``.venv/bin/python bench/bench_geoparser.py [--mb 3]``
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gazetteer.geocoder import haversine_km  # noqa: E402
from gazetteer.geoparser import default_gazetteer, find_places, parse  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
GOLD = REPO / "bench" / "gold"
FILES = {"memoir": "004_60b91b2e5b986131.txt", "article": "000_9aca23f85ff4d91b.txt"}
GEOTEXT_CANDIDATE = r"[A-ZÀ-Ú]+[a-zà-ú]+[ \-]?(?:d[a-u].)?(?:[A-ZÀ-Ú]+[a-zà-ú]+)*"


def geotext_spans(text: str) -> list[tuple[int, int, str]]:
    """geotext's cities and countries with their offsets (its own candidate regex and index)."""
    from geotext import GeoText

    idx = GeoText.index
    out = []
    for m in re.finditer(GEOTEXT_CANDIDATE, text):
        cand = m.group().strip()
        if cand.lower() in idx.countries or cand.lower() in idx.cities:
            out.append((m.start(), m.start() + len(cand), cand))
    return out


def prf(found: set, gold: set) -> tuple[float, float, float]:
    tp = len(found & gold)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def overlap_prf(found: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float, float]:
    hit_f = sum(1 for a, b in found if any(a < d and c < b for c, d in gold))
    hit_g = sum(1 for c, d in gold if any(a < d and c < b for a, b in found))
    p = hit_f / len(found) if found else 0.0
    r = hit_g / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def quality() -> None:
    gz = default_gazetteer()
    print("QUALITY (gold: bench/gold/*.gold.json, our own annotation)")
    header = f"  {'text':<8} {'system':<9} {'gold':>5} {'found':>6} {'P':>6} {'R':>6} {'F1':>6}"
    print(header + f" {'F1 overlap':>10} {'resolved right':>15} {'role right':>11}")
    for name, fname in FILES.items():
        text = (SEEDS / fname).read_text(encoding="utf-8")
        gold_doc = json.loads((GOLD / f"{name}.gold.json").read_text())
        gold = {(g["start"], g["end"]): g for g in gold_doc["mentions"]}
        result = parse(text)
        found = {(m.start, m.end): m for m in result.mentions}
        p, r, f = prf(set(found), set(gold))
        _, _, fo = overlap_prf(list(found), list(gold))
        both = set(found) & set(gold)
        right = 0
        for k in both:
            g, m = gold[k], found[k]
            gp = gz.get(g["place_id"])
            if m.place_id == g["place_id"] or (
                gp is not None
                and m.lat is not None
                and haversine_km(m.lat, m.lon, gp.lat, gp.lon) <= gp.uncertainty_km
            ):
                right += 1
        roles = sum(
            1 for k in both if (found[k].role == "in_organisation") == bool(gold[k].get("in_organisation"))
        )
        print(
            f"  {name:<8} {'itinera':<9} {len(gold):>5} {len(found):>6} {p:>6.3f} {r:>6.3f} {f:>6.3f}"
            f" {fo:>10.3f} {right / max(1, len(both)):>15.3f} {roles / max(1, len(both)):>11.3f}"
        )
        gt = geotext_spans(text)
        gp_, gr, gf = prf({(a, b) for a, b, _ in gt}, set(gold))
        _, _, gfo = overlap_prf([(a, b) for a, b, _ in gt], list(gold))
        print(
            f"  {name:<8} {'geotext':<9} {len(gold):>5} {len(gt):>6} {gp_:>6.3f} {gr:>6.3f} {gf:>6.3f}"
            f" {gfo:>10.3f} {'n/a':>15} {'n/a':>11}"
        )
        found_gt = {(a, b) for a, b, _ in gt}
        total = collections.Counter(g["place_id"] for g in gold.values())
        missed = collections.Counter(gold[k]["place_id"] for k in set(gold) - found_gt)
        listing = ", ".join(f"{pid.split(':')[1]} {n}/{total[pid]}" for pid, n in sorted(missed.items()))
        print(f"           geotext misses (place: missed/gold mentions): {listing}")
        extra = sorted(
            {found[k].text for k in set(found) - set(gold)}
            | {gold[k]["text"] for k in set(gold) - set(found)}
        )
        if extra:
            print(f"           itinera disagreements with gold: {', '.join(extra)}")


def other_prose(mb: float) -> tuple[str, list[str]]:
    """A few MB of English prose that is not the memoir repeated: the two seed texts, then text files
    installed with Python and Debian (Python's help topics, the common licences, the docstrings of
    the standard library), in a fixed order, up to ``mb`` MB. Returns the text and where it came from."""
    import sysconfig

    parts = [(SEEDS / FILES["memoir"]).read_text(encoding="utf-8")]
    parts.append((SEEDS / FILES["article"]).read_text(encoding="utf-8"))
    sources = ["the memoir and the article (once each)"]
    try:
        import pydoc_data.topics as topics

        parts += [v for _, v in sorted(topics.topics.items())]
        sources.append("Python's help topics (pydoc_data)")
    except ImportError:
        pass
    licences = Path("/usr/share/common-licenses")
    if licences.is_dir():
        parts += [p.read_text(errors="replace") for p in sorted(licences.iterdir()) if p.is_file()]
        sources.append("/usr/share/common-licenses")
    size = sum(len(p) for p in parts)
    docstring = re.compile(r'"""(.{200,}?)"""', re.S)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for f in sorted(stdlib.rglob("*.py")):
        if size >= mb * 1e6:
            break
        if "test" in f.parts or "site-packages" in f.parts:
            continue
        try:
            found = docstring.findall(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        parts += found
        size += sum(len(d) for d in found)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    sources.append(f"docstrings of the Python {version} standard library")
    return "\n\n".join(parts), sources


def _timed(fn, text: str):
    """(CPU seconds, result) of one call: CPU time of this process, steadier than the wall clock on a
    machine shared with other work, and the same measure for every system."""
    t = time.process_time()
    result = fn(text)
    return time.process_time() - t, result


def throughput_on(label: str, text: str) -> None:
    """parse, find_places and geotext on the same text, one call each (find_places first, so it does
    not profit from parse having seen the text)."""
    from geotext import GeoText

    words = len(text.split())
    size = len(text.encode()) / 1e6
    print(f"\nTHROUGHPUT: {label} ({size:.1f} MB, {words:,} words; one process, CPU time)")
    t_places, places = _timed(find_places, text)
    t_parse, result = _timed(parse, text)
    t_geotext, gt = _timed(GeoText, text)
    print(f"  {'system':<34} {'seconds':>8} {'words/s':>12}  found")
    print(
        f"  {'itinera parse (all stages)':<34} {t_parse:>8.3f} {words / t_parse:>12,.0f}  "
        f"{len(result.mentions):,} mentions, {len(result.dates):,} dates, {len(result.events):,} events"
    )
    name = "itinera find_places (mentions)"
    print(f"  {name:<34} {t_places:>8.3f} {words / t_places:>12,.0f}  {len(places):,} mentions")
    print(
        f"  {'geotext GeoText (peer)':<34} {t_geotext:>8.3f} {words / t_geotext:>12,.0f}  "
        f"{len(gt.cities):,} cities + {len(gt.countries):,} countries"
    )
    ours = collections.Counter(m.feature_type for m in places)
    distinct = {m.place_id for m in places if m.place_id}
    theirs = set(gt.cities) | set(gt.countries)
    print(f"  itinera distinct places: {len(distinct)}; by type: {dict(ours.most_common())}")
    listing = ", ".join(sorted(theirs))
    listing = listing if len(listing) < 600 else listing[:600] + "..."
    print(f"  geotext distinct names: {len(theirs)}: {listing}")
    for what, t in (("find_places", t_places), ("parse", t_parse)):
        ratio = t_geotext / t
        print(f"  {what} vs geotext speed: {ratio:.2f}x ({'faster' if ratio > 1 else 'slower'})")


def throughput(mb: float) -> None:
    from geotext import GeoText

    memoir = (SEEDS / FILES["memoir"]).read_text(encoding="utf-8")
    default_gazetteer().has_name("Moscow")  # index loaded before timing, as in a running service
    parse(memoir)  # warm caches the way a second document would find them
    GeoText("warm up")
    copies = max(1, round(mb * 1e6 / len(memoir.encode())))
    throughput_on(f"the memoir x{copies}", "\n\n".join([memoir] * copies))
    text, sources = other_prose(mb)
    throughput_on("other prose, not repeated: " + "; ".join(sources), text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=3.0, help="size of the throughput text in MB")
    args = ap.parse_args()
    quality()
    throughput(args.mb)


if __name__ == "__main__":
    main()
