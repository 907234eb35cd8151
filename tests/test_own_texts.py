"""The behaviours the seed-text tests check, checked again on texts we wrote ourselves (tests/data/texts).

They run in every clone. The notebook is dirty on purpose: Windows line ends, backslashes for spaces
(``Soviet\\union``, ``of\\politics\\and``), ``rom`` for ``from``, a no-break space, curly quotes and a
quoted police report whose citation carries its own date. The letters have dated headings, relative
dates and people whose names are also places.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re

import pytest

from gazetteer import parse
from gazetteer.text import clean, layout
from mapapp.corpus import find_names, load_corpus, passage, verify_texts

# --- cleaning with exact offsets ----------------------------------------------------------------------


def test_cleaning_the_notebook_removes_every_artefact_and_keeps_its_length_where_it_can(notebook_text: str):
    ct = clean(notebook_text)
    assert "\\" not in ct.text and "\u00a0" not in ct.text and "\r" not in ct.text
    assert " rom " not in ct.text and "come from Kiev" in ct.text
    assert "Soviet Union was at war" in ct.text and "of politics and weather" in ct.text
    assert len(ct.text) == len(notebook_text) - notebook_text.count("\r\n") + 1  # one "rom" became "from"


def test_every_clean_word_maps_back_to_the_same_word_in_the_dirty_notebook(notebook_text: str):
    ct = clean(notebook_text)
    for m in re.finditer(r"[A-Z][a-z]+", ct.text):
        a, b = ct.span(m.start(), m.end())
        assert notebook_text[a:b].lower() == m.group().lower(), m.group()
    s = ct.text.index("Soviet Union")
    a, b = ct.span(s, s + len("Soviet Union"))
    assert notebook_text[a:b] == "Soviet\\union"


def test_the_quoted_report_has_its_citation_with_its_own_date(notebook_text: str):
    ct = clean(notebook_text)
    quotes = layout(ct.text, notebook_text, ct).quotations
    cited = [q for q in quotes if q.citation_start is not None]
    assert len(cited) == 1
    citation = ct.text[cited[0].citation_start : cited[0].citation_end]
    assert citation == "(Report of the Namyang police station, 9 March 1943)"
    assert ct.text[cited[0].start : cited[0].end].startswith('"A band of about thirty')


# --- parsing: offsets, people, dates ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def notebook(notebook_text: str):
    return parse(notebook_text)


@pytest.fixture(scope="module")
def letters(letters_text: str):
    return parse(letters_text)


def test_every_mention_and_date_offset_points_into_the_dirty_text(
    notebook, notebook_text, letters, letters_text
):
    for result, text in ((notebook, notebook_text), (letters, letters_text)):
        assert result.mentions and result.dates
        for m in result.mentions:
            assert text[m.start : m.end] == m.text
        for d in result.dates:
            assert text[d.start : d.end] == d.text


def test_soviet_backslash_union_and_rom_kiev_resolve_in_the_dirty_text(notebook):
    by_text = {m.text: m.place_id for m in notebook.mentions}
    assert by_text["Soviet\\union"] == "itinera:soviet-union"
    assert by_text["Kiev"] == "itinera:kiev"
    assert by_text["Camp North"] == "itinera:camp-north"
    assert by_text["Khabarovsk"] == "itinera:khabarovsk"


@pytest.mark.parametrize(
    "person", ["Lincoln Hale", "Georgia Bell", "Sydney Clarke", "Florence Hart", "Austin Reed"]
)
def test_a_first_name_that_is_also_a_place_is_not_a_place(
    notebook_text, letters_text, notebook, letters, person
):
    text, result = (notebook_text, notebook) if person in notebook_text else (letters_text, letters)
    start = text.index(person)
    first = person.split()[0]
    assert not [m for m in result.mentions if m.start == start and m.text == first]


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        ("June 1941", "1941-06"),
        ("2 July 1941", "1941-07-02"),
        ("August 14, 1941", "1941-08-14"),
        ("the spring of 1942", "1942-21"),
        ("9 March 1943", "1943-03-09"),
        ("May 1943", "1943-05"),
    ],
)
def test_dates_of_the_notebook_have_their_edtf(notebook, phrase: str, edtf: str):
    assert (phrase, edtf) in {(d.text, d.edtf) for d in notebook.dates}


def test_last_summer_in_the_quoted_report_counts_from_the_reports_own_date(notebook):
    last_summer = next(d for d in notebook.dates if d.text == "last summer")
    assert last_summer.edtf == "1942-22"
    assert last_summer.anchor == "1943-03-09"


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [("3 March 1942", "1942-03-03"), ("19 April 1942", "1942-04-19"), ("summer 1942", "1942-22")],
)
def test_dated_headings_of_the_letters(letters, phrase: str, edtf: str):
    assert (phrase, edtf) in {(d.text, d.edtf) for d in letters.dates}


def test_two_days_later_counts_from_the_letters_heading(letters):
    later = next(d for d in letters.dates if d.text == "Two days later")
    assert later.edtf == "1942-04-21"


def test_left_moscow_then_reached_khabarovsk_are_movements_with_their_roles(notebook):
    """On the Movement contract of the new geoparser (issue 11); skips until it lands."""
    spec = importlib.util.find_spec("gazetteer.geoparse.events")
    if spec is None or not hasattr(importlib.import_module("gazetteer.geoparse.events"), "Movement"):
        pytest.skip("gazetteer.geoparse.events.Movement is not there yet (issue 11)")
    roles = {(e.place_id, e.role) for e in notebook.events}
    assert ("itinera:moscow", "origin") in roles
    assert ("itinera:khabarovsk", "destination") in roles
    back = next(e for e in notebook.events if e.cue and "returned" in e.cue)
    assert back.place_id == "itinera:khabarovsk" and back.origin.place_id == "itinera:camp-south"


# --- the curated corpus over our texts --------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_corpus(own_corpus_dir, own_texts_dir):
    return load_corpus(own_corpus_dir, own_texts_dir)


def test_our_corpus_loads_without_problems_and_its_texts_verify(own_corpus):
    assert own_corpus.problems == []
    assert len(own_corpus.events) == 14
    assert {s: t.status for s, t in own_corpus.texts.items()} == {
        "notebook": "verified",
        "namyang-report-1943": "verified",
        "letters": "verified",
    }


def test_checksums_name_the_bytes_as_stored_crlf_included(own_corpus, own_texts_dir):
    for source in own_corpus.sources.values():
        data = (own_texts_dir / source.text_file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source.sha256, source.id
    assert b"\r\n" in (own_texts_dir / "signaller_notebook.txt").read_bytes()


def test_every_passage_lies_in_its_text_and_names_a_place_of_its_event_unless_implied(own_corpus):
    for event in own_corpus.events:
        text = own_corpus.texts[event.source_id].text
        assert 0 <= event.passage_start < event.passage_end <= len(text), event.id
        sentence = text[event.passage_start : event.passage_end]
        ids = [i for i in (event.place_id, event.from_place_id) if i]
        names = [n.name for i in ids for n in own_corpus.places[i].all_names()]
        assert bool(find_names(sentence, names)) != event.place_implied, event.id


def test_the_quoted_reports_events_lie_inside_its_quotation_and_chain_to_the_notebook(own_corpus):
    report = own_corpus.sources["namyang-report-1943"]
    assert [s.id for s in own_corpus.source_chain(report.id)] == ["namyang-report-1943", "notebook"]
    inside = [e for e in own_corpus.events if e.source_id == report.id]
    assert len(inside) == 2
    for e in inside:
        assert report.quoted_start <= e.passage_start < e.passage_end <= report.quoted_end


def test_a_passage_highlights_its_place_in_the_crlf_text(own_corpus):
    shown = own_corpus.passage(own_corpus.event("nb-march-camp-north"))
    assert [shown.text[s:e] for s, e in shown.highlights] == ["Camp North"]
    assert "<mark>Camp North</mark>" in shown.html()


def test_an_altered_text_is_refused_and_shows_no_passage(own_corpus, own_texts_dir, tmp_path):
    data = (own_texts_dir / "signaller_notebook.txt").read_bytes().replace(b"\r\n", b"\n")
    (tmp_path / "signaller_notebook.txt").write_bytes(data)
    (tmp_path / "letters_far_east.txt").write_bytes((own_texts_dir / "letters_far_east.txt").read_bytes())
    texts = verify_texts(own_corpus.sources.values(), tmp_path)
    assert texts["letters"].verified
    assert texts["notebook"].status == "mismatch" and "SHA-256" in texts["notebook"].message
    assert passage(own_corpus.event("nb-to-camp-south"), texts, own_corpus.places) is None


def test_the_contested_rumour_names_the_event_against_it(own_corpus):
    rumour = own_corpus.event("le-moscow-rumour")
    assert rumour.contested_by == ("nb-stay-khabarovsk-1943",)
    assert own_corpus.event("nb-stay-khabarovsk-1943") is not None
