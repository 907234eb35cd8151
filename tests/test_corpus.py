"""The curated corpus: sources with checksums, events with spans into the seed texts, validation of
bad files (every problem, with its row), and the refusal of a text whose checksum differs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from mapapp.corpus import (
    EVENT_COLUMNS,
    Problem,
    find_names,
    load_corpus,
    load_events,
    load_sources,
    passage,
    verify_texts,
)
from mapapp.timespan import edtf_span

DATA = Path(__file__).resolve().parents[1] / "data"
MEMOIR = "004_60b91b2e5b986131.txt"
ARTICLE = "000_9aca23f85ff4d91b.txt"

# Events whose supporting passage does not name their place: the place is implied by the context
# (Apanasenko's headquarters at Khabarovsk, the training base at Camp North, Pyongyang as the seat of
# the new state, Moscow for treaties, the homeland for Korea). Every other event's passage names it.
PLACE_IMPLIED = {
    "art-detention",
    "art-guerrilla-1930s",
    "art-party-leader",
    "art-party-on-arrival",
    "art-party-soviet",
    "art-prime-minister",
    "art-provisional-government",
    "art-soviet-major",
    "ctx-comintern-dissolved",
    "ctx-comintern-founded",
    "ctx-czechoslovak-treaty",
    "ctx-neutrality-pact",
    "ctx-nonaggression-treaty",
    "mem-88th-brigade-named",
    "mem-apanasenko-death",
    "mem-apanasenko-far-east-command",
    "mem-apanasenko-meeting",
    "mem-armoured-train",
    "mem-comintern-news",
    "mem-final-discussion",
    "mem-first-contingent",
    "mem-iaf-founded",
    "mem-iaf-mourning",
    "mem-iaf-parade",
    "mem-independence",
    "mem-korean-comrades-support",
    "mem-najaa-crossings",
    "mem-ranks-lowered",
    "mem-red-flag-order",
    "mem-small-units-korea",
    "mem-small-units-summoned",
    "mem-south-brigade-exercise",
    "mem-training-base",
    "mem-ussuri-crossing",
}
# Forms the texts use that are adjectives rather than names (not gazetteer names, so not highlighted).
TEXT_FORMS = {"itinera:central-asia": ["Central Asian"]}


@pytest.fixture(scope="module")
def corpus(seeds_dir):
    return load_corpus(texts_dir=seeds_dir)


@pytest.fixture(scope="module")
def by_id(corpus):
    return {e.id: e for e in corpus.events}


# --- the curated corpus ----------------------------------------------------------------------------


def test_corpus_loads_without_problems(corpus):
    assert [str(p) for p in corpus.problems] == []
    assert len(corpus.sources) == 8
    assert len(corpus.events) == 85
    assert {t.status for t in corpus.texts.values()} == {"verified"}


def test_specific_events_have_their_date_and_place(by_id):
    camp_south = by_id["mem-camp-south-meeting"]
    assert (camp_south.edtf, camp_south.place_id, camp_south.date_phrase) == (
        "1942-21",
        "itinera:camp-south",
        "in the spring of 1942",
    )
    apanasenko = by_id["mem-apanasenko-meeting"]
    assert apanasenko.edtf == "1942-07-22" and apanasenko.place_id == "itinera:khabarovsk"
    assert apanasenko.place_implied and "Apanasenko" in apanasenko.actors
    trip = by_id["nam-yanan-trip"]
    assert (trip.from_place_id, trip.place_id) == ("itinera:khabarovsk", "itinera:yanan")
    assert trip.edtf == "1943-22"
    assert trip.source_id == "namyang-report-1944" and trip.certainty == "low"
    assert by_id["art-detention"].edtf == "1929/1930"
    assert by_id["art-guerrilla-1930s"].edtf == "193X"
    assert by_id["mem-donganzhen-mutiny"].edtf == "1942?"
    assert by_id["mem-ussuri-crossing"].via_place_id == "itinera:ussuri-river"
    assert by_id["mem-apanasenko-central-asia"].edtf == ""


def test_contested_claims_point_both_ways_with_a_note(by_id):
    assert by_id["dic-stalingrad"].contested_by == ("mem-denial-stalingrad",)
    assert by_id["arts-berlin"].contested_by == ("mem-denial-berlin",)
    assert "mem-ranks-lowered" in by_id["art-soviet-major"].contested_by
    assert "mem-iaf-mourning" in by_id["nam-yanan-trip"].contested_by
    for event in by_id.values():
        for other in event.contested_by:
            assert event.id in by_id[other].contested_by, (event.id, other)
            assert event.contest_note, event.id


def test_quoted_sources_chain_to_the_memoir(corpus):
    chain = corpus.source_chain("namyang-report-1944")
    assert [s.id for s in chain] == ["namyang-report-1944", "memoir"]
    assert chain[0].date == "1944-02-21" and chain[0].text_file == MEMOIR


def test_events_of_a_quoted_source_lie_inside_its_quotation(corpus):
    for event in corpus.events:
        source = corpus.sources[event.source_id]
        if source.quoted_in:
            inside = source.quoted_start <= event.passage_start < event.passage_end <= source.quoted_end
            assert inside, event.id


def test_checksums_match_the_seed_files(corpus, seeds_dir):
    for source in corpus.sources.values():
        digest = hashlib.sha256((seeds_dir / source.text_file).read_bytes()).hexdigest()
        assert digest == source.sha256, source.id


def test_every_span_lies_in_its_text_and_names_its_place(corpus, memoir_text, article_text):
    texts = {MEMOIR: memoir_text, ARTICLE: article_text}
    not_named = set()
    for event in corpus.events:
        text = texts[corpus.sources[event.source_id].text_file]
        assert 0 <= event.passage_start < event.passage_end <= len(text), event.id
        sentence = text[event.passage_start : event.passage_end]
        assert sentence[0].isupper() or sentence[0] in '“"', (event.id, sentence[:20])
        assert sentence.rstrip('”"')[-1] in ".?!)", (event.id, sentence[-20:])
        place = corpus.places[event.place_id]
        names = [n.name for n in place.all_names()] + TEXT_FORMS.get(event.place_id, [])
        if not find_names(sentence, names):
            not_named.add(event.id)
    assert not_named == PLACE_IMPLIED
    assert {e.id for e in corpus.events if e.place_implied} == PLACE_IMPLIED


def test_passage_highlights_the_place_name(corpus, by_id):
    shown = corpus.passage(by_id["nam-yanan-trip"])
    assert shown is not None and shown.source_id == "namyang-report-1944"
    assert [shown.text[s:e] for s, e in shown.highlights] == ["Yanan"]
    assert "<mark>Yanan</mark>" in shown.html()
    shown = corpus.passage(by_id["mem-belizovka-exercise"])
    assert [shown.text[s:e] for s, e in shown.highlights] == ["Belizovka"]


def test_no_run_of_eight_words_from_the_seeds_in_our_data(memoir_text, article_text):
    def words(text):
        return re.findall(r"[a-z0-9']+", text.lower().replace("\\", " ").replace("’", "'"))

    seed_runs = set()
    for text in (memoir_text, article_text):
        w = words(text)
        seed_runs |= {tuple(w[i : i + 8]) for i in range(len(w) - 7)}
    for name in ("events.csv", "sources.yaml", "EVENTS.md"):
        w = words((DATA / name).read_text(encoding="utf-8"))
        copied = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if tuple(w[i : i + 8]) in seed_runs]
        assert copied == [], name


def test_every_event_date_is_valid_edtf(corpus):
    dated = [e for e in corpus.events if e.edtf]
    assert len(dated) == len(corpus.events) - 2  # Apanasenko's old command and the decoration are undated
    for event in dated:
        assert edtf_span(event.edtf) is not None


# --- texts ---------------------------------------------------------------------------------------------


def test_a_text_with_a_different_checksum_is_refused(tmp_path, seeds_dir, corpus, by_id):
    shutil.copy(seeds_dir / ARTICLE, tmp_path / ARTICLE)
    altered = (seeds_dir / MEMOIR).read_text(encoding="utf-8").replace("Khabarovsk", "Habarovsk", 1)
    (tmp_path / MEMOIR).write_text(altered, encoding="utf-8")
    texts = verify_texts(corpus.sources.values(), tmp_path)
    assert texts["article"].verified
    refused = texts["namyang-report-1944"]
    assert refused.status == "mismatch" and refused.text is None
    assert MEMOIR in refused.message and "SHA-256" in refused.message
    assert passage(by_id["nam-yanan-trip"], texts, corpus.places) is None
    assert passage(by_id["art-detention"], texts, corpus.places) is not None


def test_missing_texts_are_reported_not_fatal(tmp_path, corpus, by_id):
    texts = verify_texts(corpus.sources.values(), tmp_path)
    assert texts["memoir"].status == "missing" and MEMOIR in texts["memoir"].message
    assert passage(by_id["mem-camp-south-meeting"], texts) is None


def test_corpus_without_texts_still_loads(tmp_path):
    corpus = load_corpus(texts_dir=tmp_path)
    assert corpus.problems == [] and len(corpus.events) == 85
    assert not any(t.verified for t in corpus.texts.values())


def test_passage_html_escapes_the_text():
    text = "<script>alert(1)</script> at Yanan"
    spans = find_names(text, ["Yanan"])
    from mapapp.corpus import Passage

    html = Passage("e", "s", text, 0, len(text), tuple(spans)).html()
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>Yanan</mark>" in html


def test_names_match_across_the_memoirs_backslashes_and_nbsp():
    text = "the Soviet\\union and the Soviet\u00a0Far East"
    assert find_names(text, ["Soviet Union", "Soviet Far East"]) == [(4, 16), (25, 40)]


# --- validation of bad files -------------------------------------------------------------------------

HEADER = ",".join(EVENT_COLUMNS)


def row(**cells) -> str:
    base = {
        "id": "e1",
        "actors": "Kim Il Sung",
        "kind": "stay",
        "place_id": "itinera:khabarovsk",
        "edtf": "1942-07",
        "source_id": "memoir",
        "certainty": "medium",
    }
    base.update(cells)
    return ",".join(str(base.get(c, "")) for c in EVENT_COLUMNS)


@pytest.fixture(scope="module")
def known(corpus):
    return {"places": set(corpus.places), "sources": corpus.sources}


def test_bad_rows_are_all_reported_with_row_numbers(tmp_path, known):
    path = tmp_path / "events.csv"
    lines = [
        HEADER,
        row(id="ok"),
        row(id="bad-place", place_id="itinera:atlantis"),
        row(id="bad-date", edtf="1942-13"),
        row(id="no-source", source_id=""),
        row(id="bad-kind", kind="picnic", certainty="maybe"),
        row(id="ok", edtf="1942"),
        row(id="bad-contest", contested_by="nope"),
        row(id="backwards", passage_start=500, passage_end=400),
        row(id="unknown-source", source_id="pamphlet"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, problems = load_events(path, **known)
    assert [e.id for e in events] == ["ok"]
    found = {(p.row, p.field) for p in problems}
    assert found == {
        (3, "place_id"),
        (4, "edtf"),
        (5, "source_id"),
        (6, "kind"),
        (6, "certainty"),
        (7, "id"),
        (8, "contested_by"),
        (9, "passage_end"),
        (10, "source_id"),
    }
    assert all(p.file == "events.csv" for p in problems)
    by_row = {p.row: str(p) for p in problems}
    assert "atlantis" in by_row[3] and by_row[3].startswith("events.csv, row 3, place_id")
    assert "1942-13" in by_row[4]
    assert "row 2" in by_row[7]  # the duplicate names where the id was first used
    assert "pamphlet" in by_row[10]


def test_spreadsheet_conventions_are_accepted(tmp_path, known):
    path = tmp_path / "from-excel.csv"
    lines = [
        HEADER.upper().replace("_", " "),
        row(id="a", actors="Kim Il Sung; Apanasenko ;", place_implied="TRUE", date_implied="yes"),
        ",,,,",
        row(id="b", place_implied="1", date_implied="false", summary='"a summary, with a comma\nand a line"'),
        row(id="c", passage_start="1200.0", passage_end='"1,250"', contested_by="a;b"),
    ]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    events, problems = load_events(path, **known)
    assert problems == []
    a, b, c = events
    assert a.actors == ("Kim Il Sung", "Apanasenko") and a.place_implied and a.date_implied
    assert b.place_implied and not b.date_implied and "\n" in b.summary
    assert (c.passage_start, c.passage_end, c.contested_by) == (1200, 1250, ("a", "b"))


def test_row_numbers_count_spreadsheet_rows_across_blank_and_multiline_rows(tmp_path, known):
    path = tmp_path / "events.csv"
    lines = [HEADER, row(id="a", summary='"two\nlines"'), "", row(id="b", edtf="1942-02-30")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = load_events(path, **known)
    assert [(p.row, p.field) for p in problems] == [(4, "edtf")]


def test_places_may_be_checked_by_a_callable(tmp_path, known):
    path = tmp_path / "events.csv"
    path.write_text("\n".join([HEADER, row(place_id="geonames:2022890")]) + "\n", encoding="utf-8")
    events, problems = load_events(path, places=lambda pid: pid.startswith("geonames:"))
    assert problems == [] and events[0].place_id == "geonames:2022890"
    _, problems = load_events(path, places=known["places"])
    assert [(p.row, p.field) for p in problems] == [(2, "place_id")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("id,actors,kind,place_id,source_id\ne1,Kim,stay,itinera:kowon,Köwon\n".encode("latin-1"), "UTF-8"),
        (b"name,year\nKhabarovsk,1942\n", "missing column"),
    ],
)
def test_malformed_files_get_one_clear_message(tmp_path, content, expected):
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    events, problems = load_events(path)
    assert events == []
    assert len(problems) == 1 and expected in problems[0].message
    assert problems[0].file == "events.csv"


def test_too_many_cells_and_unknown_columns_are_reported(tmp_path):
    path = tmp_path / "events.csv"
    lines = [HEADER + ",colour", row(id="a") + ",red", row(id="b") + ",blue,extra"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    events, problems = load_events(path)
    assert [e.id for e in events] == ["a"]
    assert [(p.row, p.field) for p in problems] == [(1, "colour"), (3, "")]


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    events, problems = load_events(tmp_path / "nowhere.csv")
    assert events == [] and problems == [Problem("nowhere.csv", None, "", "file not found")]


def test_json_and_yaml_events_load_like_csv(tmp_path, known):
    items = [
        {
            "id": "j1",
            "actors": ["Kim Il Sung"],
            "kind": "meeting",
            "place_id": "itinera:camp-south",
            "edtf": "1942-21",
            "source_id": "memoir",
            "place_implied": True,
        },
        {"id": "j2", "actors": "Kim Il Sung", "kind": "move", "place_id": "itinera:yanan", "source_id": "x"},
    ]
    (tmp_path / "events.json").write_text(json.dumps({"events": items}), encoding="utf-8")
    events, problems = load_events(tmp_path / "events.json", **known)
    assert [e.id for e in events] == ["j1"] and events[0].place_implied
    assert [(p.row, p.field) for p in problems] == [(2, "source_id")]
    import yaml

    (tmp_path / "events.yaml").write_text(yaml.safe_dump(items), encoding="utf-8")
    events, problems = load_events(tmp_path / "events.yaml", **known)
    assert [e.id for e in events] == ["j1"] and [(p.row, p.field) for p in problems] == [(2, "source_id")]


def test_uploaded_bytes_load_with_the_name_given(known):
    data = ("\n".join([HEADER, row(id="u1", edtf="1942-22")]) + "\n").encode("utf-8")
    events, problems = load_events(data, name="upload.csv", **known)
    assert problems == [] and events[0].edtf == "1942-22"


def test_bad_sources_are_reported_by_entry(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - {id: a, title: A, kind: memoir}\n"
        "  - {id: b, title: B, kind: police report, quoted_in: zzz, date: '1944-02-30'}\n"
        "  - {id: a, title: again, kind: memoir}\n"
        "  - {id: c, kind: memoir, colour: red}\n",
        encoding="utf-8",
    )
    sources, problems = load_sources(path)
    assert [s.id for s in sources] == ["a"]
    assert {(p.row, p.field) for p in problems} == {(2, "date"), (3, "id"), (4, "title"), (4, "colour")}
