"""Geoparser quality and speed on texts no rule was written for, beside its peers in the same run.

Quality, on each corpus of ``../shared/corpora`` (LGL, GeoVirus, GeoWebNews), scored by the shared
``score.py`` (span overlap; accuracy within 161 km): precision, recall, F1 and accuracy@161km for

- ``itinera``: ``gazetteer.parse`` (spaCy NER united with the gazetteer, document-level resolution);
- ``spacy``: spaCy's GPE/LOC/FAC spans alone, each put at the gazetteer's first answer for its name;
- ``geotext``: geotext's cities and countries, put the same way.

Speed: words per second of ``gazetteer.parse`` (all stages: cleaning, dates, NER, toponyms,
resolution, movements) beside spaCy's own ``nlp.pipe`` with every component of the same model, on the
same texts in the same run: the model as ``spacy.load`` gives it, and as Itinera loads it (on numpy's
BLAS, see ``gazetteer.geoparse.nlp``). Our parse reads each text once; the peers come after it, on a
tokenizer that has seen the texts, which can only favour them. A book-length case joins many
distinct corpus texts into one document of ``--book-words`` words.

The first corpus (the two seed texts, gold in ``bench/gold``, our own annotation) keeps its figures:
mention P/R/F1 and the share of found mentions resolved within the gold place's radius.

Run: ``.venv/bin/python bench/bench_geoparser.py [--corpora lgl geovirus gwn] [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gazetteer.distance import distance_km  # noqa: E402
from gazetteer.geoparser import default_gazetteer, parse  # noqa: E402

SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SEEDS = SHARED / "seeds"
GOLD = REPO / "bench" / "gold"
FILES = {"memoir": "004_60b91b2e5b986131.txt", "article": "000_9aca23f85ff4d91b.txt"}
GEOTEXT_CANDIDATE = r"[A-ZÀ-Ú]+[a-zà-ú]+[ \-]?(?:d[a-u].)?(?:[A-ZÀ-Ú]+[a-zà-ú]+)*"
_SCORE_LINE = re.compile(r"precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+); accuracy@161km ([\d.]+)")


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


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


def plain_point(name: str) -> tuple[float | None, float | None]:
    """The gazetteer's first answer for a name, without context: the peers' resolution."""
    found = default_gazetteer().lookup(name)
    return (found[0].place.lat, found[0].place.lon) if found else (None, None)


def spacy_full(texts, *, stock: bool = False):
    """spaCy's own ``nlp.pipe`` with every component the model runs by default (the peer's speed):
    ``stock``, the model as ``spacy.load`` gives it (thinc's blis); else as Itinera loads it (numpy's
    BLAS), so that the comparison does not credit us with the BLAS alone."""
    from gazetteer.geoparse import nlp

    model = _stock_model() if stock else nlp.load()
    with model.select_pipes(disable=["senter"]):
        yield from model.pipe(texts, batch_size=nlp.BATCH_SIZE)


@lru_cache(maxsize=1)
def _stock_model():
    import spacy

    from gazetteer.geoparse import nlp

    return spacy.load(nlp.MODEL)


def spacy_spans(doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]


def score(corpus: Path, pred_dir: Path) -> tuple[float, float, float, float] | None:
    out = subprocess.run(
        [sys.executable, str(CORPORA / "score.py"), str(corpus), str(pred_dir)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    m = _SCORE_LINE.search(out)
    return tuple(float(x) for x in m.groups()) if m else None  # type: ignore[return-value]


def write_preds(pred_dir: Path, name: str, rows: list[dict]) -> None:
    with open(pred_dir / f"{name}.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def subset(corpus: Path, files: list[Path], into: Path) -> Path:
    """A corpus folder holding only ``files`` (links) and their gold, so ``score.py`` scores just them."""
    (into / "texts").mkdir(parents=True)
    names = {f.name for f in files}
    for f in files:
        (into / "texts" / f.name).symlink_to(f)
    with open(corpus / "mentions.jsonl", encoding="utf-8") as src, open(into / "mentions.jsonl", "w") as dst:
        dst.writelines(line for line in src if json.loads(line)["file"] in names)
    (into / "places.json").symlink_to(corpus / "places.json")
    return into


def corpus_run(corpus: Path, limit: int | None, keep: Path | None) -> dict:
    """Each text once through every system; the predictions scored by ``score.py``."""
    files = sorted((corpus / "texts").glob("*.txt"))[:limit]
    texts = [read(f) for f in files]
    words = sum(len(t.split()) for t in texts)
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{corpus.name}-"))
    if limit is not None:
        corpus = subset(corpus, files, tmp / "corpus" / corpus.name)
    dirs = {k: (keep or tmp) / corpus.name / k for k in ("itinera", "spacy", "geotext")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    for f, text in zip(files, texts, strict=True):
        r = parse(text)
        write_preds(
            dirs["itinera"],
            f.name,
            [{"start": m.start, "end": m.end, "lat": m.lat, "lon": m.lon} for m in r.mentions],
        )
    t_ours = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = list(spacy_full(texts))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(spacy_full(texts, stock=True))
    t_stock = time.perf_counter() - t0
    for f, doc in zip(files, docs, strict=True):
        rows = []
        for a, b, name in spacy_spans(doc):
            lat, lon = plain_point(name)
            rows.append({"start": a, "end": b, "lat": lat, "lon": lon})
        write_preds(dirs["spacy"], f.name, rows)
    for f, text in zip(files, texts, strict=True):
        rows = []
        for a, b, name in geotext_spans(text):
            lat, lon = plain_point(name)
            rows.append({"start": a, "end": b, "lat": lat, "lon": lon})
        write_preds(dirs["geotext"], f.name, rows)
    return {
        "texts": len(files),
        "words": words,
        "ours_s": t_ours,
        "spacy_s": t_spacy,
        "stock_s": t_stock,
        "scores": {k: score(corpus, d) for k, d in dirs.items()},
    }


def corpora_quality(names: list[str], limit: int | None, keep: Path | None) -> None:
    print("CORPORA (../shared/corpora, scored by its score.py: P / R / F1 / accuracy@161km)")
    print(f"  {'corpus':<9} {'system':<8} {'P':>6} {'R':>6} {'F1':>6} {'acc161':>7}")
    speed = []
    for name in names:
        corpus = CORPORA / name
        if not corpus.is_dir():
            print(f"  {name}: not found in {CORPORA}")
            continue
        got = corpus_run(corpus, limit, keep)
        for system, s in got["scores"].items():
            if s is None:
                print(f"  {name:<9} {system:<8} (score.py gave no figures)")
                continue
            print(f"  {name:<9} {system:<8} {s[0]:>6.3f} {s[1]:>6.3f} {s[2]:>6.3f} {s[3]:>7.3f}")
        speed.append((name, got))
    print("\nSPEED (each text parsed once; wall clock, one process)")
    print("  (spaCy nlp.pipe, all components: 'stock' as spacy.load gives it, 'same BLAS' as we load it)")
    print(
        f"  {'corpus':<9} {'texts':>5} {'words':>8} {'itinera parse w/s':>18} "
        f"{'stock w/s':>10} {'ratio':>6} {'same BLAS w/s':>14} {'ratio':>6}"
    )
    for name, got in speed:
        ours = got["words"] / got["ours_s"]
        stock = got["words"] / got["stock_s"]
        theirs = got["words"] / got["spacy_s"]
        print(
            f"  {name:<9} {got['texts']:>5} {got['words']:>8,} {ours:>18,.0f} "
            f"{stock:>10,.0f} {ours / stock:>6.2f} {theirs:>14,.0f} {ours / theirs:>6.2f}"
        )


def book(words_wanted: int) -> None:
    """Many distinct corpus texts joined into one book, parsed once, beside spaCy on the same text."""
    parts, words = [], 0
    for name in ("gwn", "geovirus", "lgl"):
        for f in sorted((CORPORA / name / "texts").glob("*.txt")):
            t = read(f)
            parts.append(t)
            words += len(t.split())
            if words >= words_wanted:
                break
        if words >= words_wanted:
            break
    text = "\n\n".join(parts)
    t0 = time.perf_counter()
    r = parse(text)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    pieces = [text[i : i + 100_000] for i in range(0, len(text), 100_000)]
    list(spacy_full(pieces))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(spacy_full(pieces, stock=True))
    t_stock = time.perf_counter() - t0
    print(f"\nBOOK: {len(parts)} distinct texts joined, {words:,} words, {len(text) / 1e6:.2f} MB")
    print(
        f"  itinera parse   {t_ours:7.1f} s  {words / t_ours:9,.0f} words/s  "
        f"({len(r.mentions):,} mentions, {len(r.events):,} events)"
    )
    print(f"  spaCy stock     {t_stock:7.1f} s  {words / t_stock:9,.0f} words/s  (all components)")
    print(f"  spaCy same BLAS {t_spacy:7.1f} s  {words / t_spacy:9,.0f} words/s  (all components)")


def _within(m, gp) -> bool:
    return m.lat is not None and distance_km(m.lat, m.lon, gp.lat, gp.lon) <= gp.uncertainty_km


def first_corpus() -> None:
    """The seed texts against our own gold: mention P/R/F1 (exact spans) and resolved right."""
    gz = default_gazetteer()
    print("\nFIRST CORPUS (../shared/seeds; gold: bench/gold/*.gold.json, our own annotation)")
    print(f"  {'text':<8} {'gold':>5} {'found':>6} {'P':>6} {'R':>6} {'F1':>6} {'resolved right':>15}")
    totals = [0, 0, 0, 0]  # gold, found, true positives, resolved right
    for name, fname in FILES.items():
        path = SEEDS / fname
        if not path.is_file():
            print(f"  {name}: {path} not found")
            continue
        text = path.read_text(encoding="utf-8")
        gold_doc = json.loads((GOLD / f"{name}.gold.json").read_text())
        gold = {(g["start"], g["end"]): g for g in gold_doc["mentions"]}
        found = {(m.start, m.end): m for m in parse(text).mentions}
        tp = set(found) & set(gold)
        p = len(tp) / len(found) if found else 0.0
        r = len(tp) / len(gold) if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        right = 0
        for k in tp:
            g, m = gold[k], found[k]
            gp = gz.get(g["place_id"])
            if m.place_id == g["place_id"] or (gp is not None and _within(m, gp)):
                right += 1
        print(
            f"  {name:<8} {len(gold):>5} {len(found):>6} {p:>6.3f} {r:>6.3f} {f:>6.3f} "
            f"{right / max(1, len(tp)):>15.3f}"
        )
        for i, v in enumerate((len(gold), len(found), len(tp), right)):
            totals[i] += v
        missed = sorted({gold[k]["text"] for k in set(gold) - set(found)})
        extra = sorted({found[k].text for k in set(found) - set(gold)})
        if missed:
            print(f"           missed: {', '.join(missed)}")
        if extra:
            print(f"           not in gold: {', '.join(extra)}")
    g, n, t, right = totals
    if g:
        p, r = t / max(1, n), t / g
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {'both':<8} {g:>5} {n:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f} {right / max(1, t):>15.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", nargs="*", default=["lgl", "geovirus", "gwn"], help="corpora to score")
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts of each corpus")
    ap.add_argument("--book-words", type=int, default=100_000, help="size of the book-length case (0: skip)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the predictions in this folder")
    args = ap.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"bench_geoparser: {CORPORA} not found (the shared corpora sit beside the repository)")
    from gazetteer.geoparse import nlp

    nlp.load()
    _stock_model()
    default_gazetteer().has_name("Moscow")  # the index is open before any timing
    corpora_quality(args.corpora, args.limit, args.keep)
    if args.book_words:
        book(args.book_words)
    first_corpus()


if __name__ == "__main__":
    main()
