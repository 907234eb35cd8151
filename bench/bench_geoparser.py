"""Geoparser quality against our gold annotations, and throughput beside geotext in the same run.

Quality: precision, recall and F1 of place mentions (exact spans; "overlap" counts a found span that
overlaps a gold one), and the share of correctly found mentions resolved within the gold place's
radius (same id, or a point within the gold place's ``uncertainty_km``). geotext is scored on the same
gold (its spans recovered with its own candidate regex); it has no resolution to a place.

Throughput: the memoir repeated to a few MB; words per second for ``parse`` (cleaning, dates,
mentions, resolution, candidate events), for ``find_places`` (mentions and resolution only) and for
``geotext.GeoText`` on the same text; what each finds.

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


def throughput(mb: float) -> None:
    from geotext import GeoText

    memoir = (SEEDS / FILES["memoir"]).read_text(encoding="utf-8")
    copies = max(1, round(mb * 1e6 / len(memoir.encode())))
    big = "\n\n".join([memoir] * copies)
    words = len(big.split())
    size = len(big.encode()) / 1e6
    print(f"\nTHROUGHPUT (the memoir x{copies}: {size:.1f} MB, {words:,} words; one process)")
    default_gazetteer().has_name("Moscow")  # index loaded before timing, as in a running service
    parse(memoir)  # warm caches the way a second document would find them
    GeoText("warm up")

    t = time.perf_counter()
    result = parse(big)
    t_parse = time.perf_counter() - t
    t = time.perf_counter()
    places = find_places(big)
    t_places = time.perf_counter() - t
    t = time.perf_counter()
    gt = GeoText(big)
    t_geotext = time.perf_counter() - t

    print(f"  {'system':<34} {'seconds':>8} {'words/s':>12}  found")
    print(
        f"  {'itinera parse (all stages)':<34} {t_parse:>8.2f} {words / t_parse:>12,.0f}  "
        f"{len(result.mentions):,} mentions, {len(result.dates):,} dates, {len(result.events):,} events"
    )
    label = "itinera find_places (mentions)"
    print(f"  {label:<34} {t_places:>8.2f} {words / t_places:>12,.0f}  {len(places):,} mentions")
    print(
        f"  {'geotext GeoText':<34} {t_geotext:>8.2f} {words / t_geotext:>12,.0f}  "
        f"{len(gt.cities):,} cities + {len(gt.countries):,} countries"
    )
    ours = collections.Counter(m.feature_type for m in result.mentions)
    distinct = {m.place_id for m in result.mentions if m.place_id}
    theirs = set(gt.cities) | set(gt.countries)
    print(f"  itinera distinct places: {len(distinct)}; by type: {dict(ours.most_common())}")
    print(f"  geotext distinct names: {len(theirs)}: {', '.join(sorted(theirs))}")
    ratio = t_geotext / t_places
    print(f"  find_places vs geotext speed: {ratio:.2f}x ({'faster' if ratio > 1 else 'slower'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=3.0, help="size of the throughput text in MB")
    args = ap.parse_args()
    quality()
    throughput(args.mb)


if __name__ == "__main__":
    main()
