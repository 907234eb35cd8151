"""Movements: quality on our own five texts, the first corpus's figures, and the time events add.

Quality, on ``tests/data/movements`` (a diary, a purser's log, a biography, letters, a memoir, each with
a hand-made gold itinerary): a gold movement is found when an event has its actor, place, role, EDTF
date, modality and attribution. Printed per text and overall, twice:

- ``marked``: the places as a reader marks them (the gold names, resolved by the gazetteer): the
  movement step alone;
- ``found``: the mentions ``gazetteer.parse`` finds: the whole pipeline as a user meets it.

``recall`` (actor, place, role, date), ``recall-no-role`` (actor, place, date: the issue's target),
``precision`` (events that are gold movements), ``end-of-day`` (the place each actor is at when each
day-dated day ends, against the gold's).

The first corpus (needs ``../shared/seeds``): of the curated events whose place is named, the share
with an event at that place in their passage, the share of those with an actor, and with one of the
curated actors (the memoir's narrator is Kim Il Sung); and the share of our events with confidence
>= 0.5 that fall in a curated event's passage at its place.

Speed, run first so that no text has been read before: ``gazetteer.parse`` runs its events step
(``extract_events`` and the times it reads) itself; the events' share is timed inside that one call,
and the mention step is the rest of ``parse``, so no text is read twice (an earlier version ran the
events again on the parsed text, which flattered them). Over our texts, the first ``--limit`` news
texts of each development corpus (``../shared/corpora``) and a book of ``--book-words`` words joined
from other texts of the same corpora.

Run: ``.venv/bin/python bench/bench_movements.py [--limit 100] [--book-words 100000]``
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from movement_gold import NAMES, found, gold, marked, movements, score  # noqa: E402

from gazetteer import geoparser  # noqa: E402
from gazetteer.dates import find_dates  # noqa: E402
from gazetteer.geoparse.events import extract_events  # noqa: E402
from gazetteer.geoparser import parse  # noqa: E402
from gazetteer.text import clean, layout  # noqa: E402

SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CORPORA = SHARED / "corpora"


def quality() -> None:
    print("== our texts (tests/data/movements)")
    print(
        f"{'text':12} {'mode':7} {'gold':>5} {'events':>6} {'recall':>7} {'no-role':>8} {'prec':>6} "
        f"{'eod':>9}"
    )
    for mode, places in (("marked", marked), ("found", found)):
        tot = [0, 0, 0, 0, 0, 0]
        for name in NAMES:
            g = gold(name)
            s = score(g, movements(g, places(g)))
            tot = [
                a + b
                for a, b in zip(
                    tot, (s.gold, s.predicted, s.right, s.right_no_role, s.eod_days, s.eod_right), strict=True
                )
            ]
            print(
                f"{name:12} {mode:7} {s.gold:5d} {s.predicted:6d} {s.recall:7.2f} {s.recall_no_role:8.2f} "
                f"{s.precision:6.2f} {s.end_of_day:5.2f} ({s.eod_right}/{s.eod_days})"
            )
        g_, p_, r_, rn_, ed_, er_ = tot
        print(
            f"{'ALL':12} {mode:7} {g_:5d} {p_:6d} {r_ / g_:7.2f} {rn_ / g_:8.2f} {r_ / max(p_, 1):6.2f} "
            f"{er_ / max(ed_, 1):5.2f} ({er_}/{ed_})"
        )


def first_corpus() -> None:
    if not SEEDS.is_dir():
        print("== first corpus: skipped (no ../shared/seeds)")
        return
    import yaml

    sources = {s["id"]: s for s in yaml.safe_load((REPO / "data" / "sources.yaml").read_text())["sources"]}
    rows = list(csv.DictReader((REPO / "data" / "events.csv").open(encoding="utf-8")))
    narrators = {"memoir": "Kim Il Sung"}
    print("== first corpus (data/events.csv without its events; place named, not context)")
    for sid in ("memoir", "article"):
        # the pipeline's order: clean the text, find everything in the clean copy, map spans back
        ct = clean(_read(SEEDS / sources[sid]["text_file"]))
        text = ct.text
        result = parse(text)
        structure = layout(text)
        events = extract_events(
            text,
            result.mentions,
            find_dates(text, structure=structure),
            [],
            sentences=structure.sentences,
            narrator=narrators.get(sid),
            quotations=structure.quotations,
        )
        for ev in events:
            ev.start, ev.end = ct.span(ev.start, ev.end)
        text_of = {sid}
        for s in sources.values():
            if s.get("quoted_in") == sid:
                text_of.add(s["id"])
        wanted = [
            r
            for r in rows
            if r["source_id"] in text_of and r["place_implied"].upper() == "FALSE" and r["kind"] != "context"
        ]
        hit = with_actor = right_actor = 0
        for r in wanted:
            a, b = int(r["passage_start"]), int(r["passage_end"])
            here = [ev for ev in events if a <= ev.start < b and ev.place_id == r["place_id"]]
            if here:
                hit += 1
                with_actor += any(ev.actors for ev in here)
                curated = {_person(x) for x in r["actors"].split(";")}
                right_actor += any(_same_person(x, curated) for ev in here for x in ev.actors)
        confident = [ev for ev in events if ev.confidence >= 0.5]
        right = sum(
            1
            for ev in confident
            if any(
                int(r["passage_start"]) <= ev.start < int(r["passage_end"]) and ev.place_id == r["place_id"]
                for r in rows
                if r["source_id"] in text_of
            )
        )
        n = max(len(wanted), 1)
        print(
            f"{sid:8} named events {len(wanted):3d}: found {hit / n:.2f}, "
            f"with an actor {with_actor / n:.2f}, "
            f"with a curated actor {right_actor / n:.2f}; our events (conf >= 0.5) {len(confident)}, "
            f"in a curated passage at its place {right / max(len(confident), 1):.2f}"
        )


def _read(path: Path) -> str:
    """A text as its offsets count it: UTF-8, line ends as stored."""
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def _person(name: str) -> str:
    """A name compared without case, hyphens or spacing ("Kim Il-sung" is "Kim Il Sung")."""
    return " ".join(name.replace("-", " ").split()).casefold()


def _same_person(actor: str, curated: set[str]) -> bool:
    """The actor is one of the curated ones, or a part of one's name ("Kim" of "Kim Il Sung")."""
    words = _person(actor).split()
    return any(_person(actor) == c or (words and set(words) <= set(c.split())) for c in curated)


def _corpus_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for corpus in ("lgl", "geovirus", "gwn"):
        folder = CORPORA / corpus / "texts"
        if folder.is_dir():
            texts.extend(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[:limit])
    return texts


def _timed(text: str) -> tuple[float, float, int]:
    """(the parse without its events, the events, words) for one text, from one ``parse`` call: the
    events step (``gazetteer.geoparser._events``) is timed where ``parse`` runs it, so that neither
    step sees its text a second time."""
    spent = [0.0]
    step = geoparser._events

    def timed_step(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    geoparser._events = timed_step
    try:
        t0 = time.perf_counter()
        parse(text)
        total = time.perf_counter() - t0
    finally:
        geoparser._events = step
    return total - spent[0], spent[0], len(text.split())


def speed(limit: int, book_words: int) -> None:
    print("== time events add over the mention step (each text parsed once, before anything else)")
    parse("Warm-up: we left Basra for Kut.")
    cases = [("our texts", [gold(n).text for n in NAMES])]
    news = _corpus_texts(limit)
    if news:
        cases.append((f"news ({len(news)} texts)", news))
        book, parts = _book(limit, book_words)
        cases.append((f"book ({len(book.split()):,} words, {parts} texts)", [book]))
    for label, texts in cases:
        tp = te = 0.0
        words = 0
        for t in texts:
            a, b, w = _timed(t)
            tp, te, words = tp + a, te + b, words + w
        print(
            f"{label:34} mentions {tp:7.2f} s  events {te:6.2f} s  (+{100 * te / tp:5.1f}%)  "
            f"{words / (tp + te):,.0f} words/s with events"
        )


def _book(skip: int, book_words: int) -> tuple[str, int]:
    """One document of about ``book_words`` words joined from distinct corpus texts, none of them among
    the first ``skip`` of its corpus (the news case has read those)."""
    parts: list[str] = []
    words = 0
    for corpus in ("lgl", "geovirus", "gwn"):
        for path in sorted((CORPORA / corpus / "texts").glob("*.txt"))[skip:]:
            if words >= book_words:
                break
            parts.append(_read(path))
            words += len(parts[-1].split())
    return "\n\n".join(parts), len(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=50, help="news texts per corpus for the speed figures")
    ap.add_argument("--book-words", type=int, default=100_000)
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    if not args.no_speed:
        speed(args.limit, args.book_words)  # first: no text of it has been read before
    quality()
    first_corpus()


if __name__ == "__main__":
    main()
