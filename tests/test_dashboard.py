"""The dashboard's logic without its widgets: filters, the window, tables, the timeline, corrections."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mapapp import dashboard as db
from mapapp.corrections import CorrectionsError, CorrectionStore, mention_key, parse_corrections
from mapapp.models import Event, Source


def ev(id, edtf, kind="stay", actors=("Kim",), source="memoir", **kw) -> Event:
    return Event(id=id, actors=actors, kind=kind, edtf=edtf, source_id=source, **kw)


SOURCES = {
    "memoir": Source(id="memoir", title="The memoir", kind="memoir", reliability="written decades later"),
    "article": Source(id="article", title="The article", kind="article"),
    "police-1944": Source(id="police-1944", title="Police report", kind="police report", quoted_in="memoir"),
}

EVENTS = [
    ev("khabarovsk-1941", "1941-08", summary="Goes to Khabarovsk", place_id="itinera:khabarovsk"),
    ev("camp-south-1942", "1942-21", kind="meeting", summary="Meeting at Camp South"),
    ev("iaf-1942", "1942-07", kind="founding", actors=("Kim", "Zhou"), summary="IAF formed"),
    ev("exercise-1942", "1942-11-15", kind="exercise", actors=("Zhou",), certainty="high"),
    ev(
        "stalingrad-claim",
        "1942/1943",
        kind="claim",
        source="article",
        attribution="others",
        contested_by=("stalingrad-denial",),
        contest_note="the narrator denies it",
        summary="Fought at Stalingrad",
    ),
    ev("stalingrad-denial", "1942", kind="claim", attribution="the narrator", summary="Never went there"),
    ev("yanan-report", "1944", kind="move", source="police-1944", certainty="low", summary="Trip to Yanan"),
    ev("undated-one", "", kind="stay", summary="Some time in Siberia"),
]


@pytest.fixture(scope="module")
def index() -> db.EventIndex:
    return db.EventIndex.build(EVENTS)


def ids(events) -> list[str]:
    return [e.id for e in events]


def test_window_of_july_1942_keeps_events_whose_span_overlaps_it(index):
    start, end = db.window_from_months("1942-07", "1942-07")
    assert (start, end) == (date(1942, 7, 1), date(1942, 7, 31))
    kept = ids(db.apply_filters(index, db.Filters(start=start, end=end)))
    # summer-1942 meeting? spring (21) is March-May: out; the IAF (July) and the 1942 claims are in
    assert kept == ["iaf-1942", "stalingrad-claim", "stalingrad-denial"]


def test_a_spring_meeting_is_in_an_april_window_and_out_of_june(index):
    apr = db.window_from_months("1942-04", "1942-04")
    jun = db.window_from_months("1942-06", "1942-06")
    assert "camp-south-1942" in ids(db.apply_filters(index, db.Filters(*apr)))
    assert "camp-south-1942" not in ids(db.apply_filters(index, db.Filters(*jun)))


def test_undated_events_only_pass_when_asked_for(index):
    assert "undated-one" not in ids(db.apply_filters(index, db.Filters()))
    assert "undated-one" in ids(db.apply_filters(index, db.Filters(include_undated=True)))
    assert ids(db.undated_events(index)) == ["undated-one"]


def test_actor_filter_keeps_events_naming_any_chosen_actor(index):
    kept = ids(db.apply_filters(index, db.Filters(actors=frozenset({"Zhou"}))))
    assert kept == ["iaf-1942", "exercise-1942"]


def test_kind_source_attribution_and_certainty_filters_combine(index):
    assert ids(db.apply_filters(index, db.Filters(kinds=frozenset({"claim"})))) == [
        "stalingrad-claim",
        "stalingrad-denial",
    ]
    assert ids(db.apply_filters(index, db.Filters(sources=frozenset({"police-1944"})))) == ["yanan-report"]
    assert ids(db.apply_filters(index, db.Filters(attributions=frozenset({"others"})))) == [
        "stalingrad-claim"
    ]
    assert ids(db.apply_filters(index, db.Filters(certainties=frozenset({"high"})))) == ["exercise-1942"]
    assert ids(
        db.apply_filters(index, db.Filters(kinds=frozenset({"claim"}), sources=frozenset({"memoir"})))
    ) == ["stalingrad-denial"]


def test_hiding_contested_claims_drops_the_claim_but_keeps_its_denial(index):
    kept = ids(db.apply_filters(index, db.Filters(show_contested=False)))
    assert "stalingrad-claim" not in kept
    assert "stalingrad-denial" in kept


def test_facets_list_every_value_once(index):
    f = db.facet_values(index)
    assert f["actors"] == ["Kim", "Zhou"]
    assert f["sources"] == ["article", "memoir", "police-1944"]
    assert f["kinds"] == ["stay", "move", "meeting", "founding", "exercise", "claim"]
    assert f["certainties"] == ["high", "medium", "low"]


def test_month_options_cover_the_corpus_and_the_play_step_wraps(index):
    first, last = index.date_range()
    assert (first, last) == (date(1941, 8, 1), date(1944, 12, 31))
    opts = db.month_options(first, last)
    assert opts[0] == "1941-08" and opts[-1] == "1944-12" and len(opts) == 41
    assert db.step_window(opts, ("1941-08", "1941-10")) == ("1941-09", "1941-11")
    assert db.step_window(opts, ("1944-10", "1944-12")) == ("1941-08", "1941-10")


def test_events_table_is_in_time_order_and_marks_implied_places(index):
    places = {}
    frame = db.events_frame(index, places, SOURCES)
    view, total = db.table_view(frame, db.filter_mask(index, db.Filters()))
    assert total == 7
    assert view["event_id"].iloc[0] == "khabarovsk-1941"
    assert view.loc[view.event_id == "yanan-report", "source"].item() == "Police report (police report)"
    assert bool(view.loc[view.event_id == "stalingrad-claim", "contested"].item())


def test_timeline_draws_a_point_for_a_day_and_bars_for_coarser_dates(index):
    mask = db.filter_mask(index, db.Filters())
    frame = db.timeline_frame(index, mask, None)
    rows = frame.set_index(["event_id", "actor"])
    assert bool(rows.loc[("exercise-1942", "Zhou"), "day"])
    assert not bool(rows.loc[("iaf-1942", "Kim"), "day"])
    assert rows.loc[("iaf-1942", "Kim"), "start"] == "1942-07-01"
    assert rows.loc[("iaf-1942", "Kim"), "end"] == "1942-08-01"  # bar runs to the end of July 31
    assert len(frame[frame.event_id == "iaf-1942"]) == 2  # one row per actor
    spec = db.timeline_chart(frame).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "point"]


def test_timeline_clips_bars_to_the_window_and_counts_when_huge(index):
    window = db.window_from_months("1942-06", "1942-08")
    frame = db.timeline_frame(index, db.filter_mask(index, db.Filters(*window)), window)
    claim = frame[frame.event_id == "stalingrad-claim"].iloc[0]
    assert (claim.start, claim.end) == ("1942-06-01", "1942-09-01")
    spec = db.timeline_chart(frame, window, max_rows=1).to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["y"]["field"] == "size"


def test_compare_sources_puts_each_source_in_its_own_column(index):
    table = db.compare_sources(db.apply_filters(index, db.Filters()), SOURCES, {})
    assert list(table.columns) == [
        "The memoir (memoir)",
        "The article (article)",
        "Police report (police report)",
    ]
    assert "Fought at Stalingrad [contested]" in table.loc["1942–1943", "The article (article)"]
    assert table.loc["1944", "Police report (police report)"] == "Trip to Yanan"


def test_disagreements_pair_each_claim_with_what_contradicts_it(index):
    table = db.disagreements(db.apply_filters(index, db.Filters()), index, SOURCES, {})
    assert len(table) == 1
    row = table.iloc[0]
    assert row["claim"] == "Fought at Stalingrad"
    assert row["contradicted by"] == "Never went there"
    assert row["according to"] == "the narrator in The memoir (memoir)"
    assert row["note"] == "the narrator denies it"


def test_event_detail_follows_the_quotation_chain_and_both_directions_of_contest(index):
    d = db.event_detail(index.event("yanan-report"), index, SOURCES, {})
    assert d.says_so == ["Police report (police report)", "quoted in The memoir (memoir)"]
    denial = db.event_detail(index.event("stalingrad-denial"), index, SOURCES, {})
    assert denial.contradicts == [("stalingrad-claim", "Fought at Stalingrad")]
    claim = db.event_detail(index.event("stalingrad-claim"), index, SOURCES, {})
    assert claim.contradicted_by == [("stalingrad-denial", "Never went there")]


def test_passage_marks_the_place_name_across_a_stray_backslash_and_escapes_html():
    text = "Before. We went to the Soviet\\union <b>then</b> on to Khabarovsk by train. After."
    start = text.index("We")
    end = text.index(" After")
    out = db.passage_html(text, start, end, ["Soviet Union", "Khabarovsk"], context=3)
    assert "<mark>Soviet\\union</mark>" in out
    assert "<mark>Khabarovsk</mark>" in out
    assert "&lt;b&gt;then&lt;/b&gt;" in out and "<b>" not in out


def test_passage_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside the text"):
        db.passage_html("short", 2, 50)


def test_passage_from_the_memoir_highlights_khabarovsk(memoir_text):
    start = memoir_text.index("Khabarovsk")
    out = db.passage_html(memoir_text, max(0, start - 40), start + 30, ["Khabarovsk"])
    assert "<mark>Khabarovsk</mark>" in out


# --- corrections ---------------------------------------------------------------------------------------


def test_a_correction_is_on_disk_at_once_and_survives_a_restart(tmp_path):
    path = tmp_path / "sub" / "corrections.json"
    store = CorrectionStore(path)
    store.set("event", "khabarovsk-1941", "itinera:camp-north", place_name="Camp North", was_place_id="x")
    store.set("mention", mention_key("memoir.txt", 10, 20), "itinera:seoul")
    assert json.loads(path.read_text())["corrections"][0]["place_id"] == "itinera:camp-north"
    again = CorrectionStore(path)
    assert len(again) == 2
    assert again.get("mention", "memoir.txt:10-20").place_id == "itinera:seoul"
    assert [p.name for p in path.parent.iterdir()] == ["corrections.json"]  # no temp file left


def test_corrections_apply_to_events_and_can_be_removed(tmp_path):
    store = CorrectionStore(tmp_path / "c.json")
    store.set("event", "khabarovsk-1941", "itinera:camp-north")
    fixed = {e.id: e for e in store.apply(EVENTS)}
    assert fixed["khabarovsk-1941"].place_id == "itinera:camp-north"
    assert fixed["iaf-1942"] is EVENTS[2]
    assert store.remove("event", "khabarovsk-1941")
    assert len(CorrectionStore(tmp_path / "c.json")) == 0


def test_two_sessions_writing_one_file_keep_each_others_corrections(tmp_path):
    a = CorrectionStore(tmp_path / "c.json")
    b = CorrectionStore(tmp_path / "c.json")
    a.set("event", "e1", "itinera:seoul")
    b.set("event", "e2", "itinera:kiev")
    assert {c.target_id for c in CorrectionStore(tmp_path / "c.json")} == {"e1", "e2"}


def test_a_damaged_corrections_file_is_set_aside_not_overwritten(tmp_path):
    path = tmp_path / "c.json"
    path.write_text("{not json")
    store = CorrectionStore(path)
    assert len(store) == 0 and "kept as" in store.problems[0]
    kept = [p for p in tmp_path.iterdir() if "damaged" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{not json"


def test_a_downloaded_corrections_file_uploads_again_and_bad_entries_are_named(tmp_path):
    store = CorrectionStore(tmp_path / "a.json")
    store.set("event", "e1", "itinera:seoul")
    found, problems = parse_corrections(store.to_json_bytes(), "upload.json")
    assert [c.target_id for c in found] == ["e1"] and problems == []
    bad = json.dumps({"corrections": [{"target": "planet", "target_id": "x", "place_id": "y"}]})
    found, problems = parse_corrections(bad, "upload.json")
    assert found == [] and problems[0].startswith("upload.json, correction 1: target")
    with pytest.raises(CorrectionsError, match=r"upload\.json"):
        parse_corrections(b"\xff\xfe", "upload.json")
