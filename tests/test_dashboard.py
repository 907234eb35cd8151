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
    assert list(table.columns) == ["memoir", "article", "police-1944 (police report)"]
    assert "Fought at Stalingrad [contested]" in table.loc["1942–1943", "article"]
    assert table.loc["1944", "police-1944 (police report)"] == "Trip to Yanan"


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


# --- uploads, places, the map's pieces (on the real corpus and the seed texts) ---------------------------


@pytest.fixture(scope="module")
def workspace(seeds_dir) -> db.Workspace:
    return db.load_workspace(texts_dir=str(seeds_dir))


def test_the_workspace_is_the_first_corpus_with_its_texts_verified(workspace):
    assert workspace.problems == []
    assert len(workspace.events) >= 60
    assert workspace.texts["memoir"].verified
    assert "itinera:khabarovsk" in workspace.places


def test_text_for_an_event_comes_from_the_folder_or_from_an_upload(workspace, memoir_path):
    event = next(e for e in workspace.events if e.source_id == "memoir" and e.passage_start is not None)
    given = db.text_for(event, workspace.sources, workspace.texts, {})
    assert given["text"] is not None and given["text_problem"] is None
    missing = db.text_for(event, workspace.sources, {}, {})
    assert missing["text"] is None and "--texts" in missing["text_problem"]
    digest = __import__("hashlib").sha256(memoir_path.read_bytes()).hexdigest()
    uploaded = db.text_for(event, workspace.sources, {}, {digest: "the text"})
    assert uploaded["text"] == "the text"


def test_taking_the_memoir_upload_geoparses_it_and_knows_it_as_a_corpus_text(workspace, memoir_path):
    state: dict = {}
    data = memoir_path.read_bytes()
    db.take_text_upload(state, "memoir.txt", data, workspace.sources)
    report = state["upload_text_report"]
    assert "passages now show" in report["ok"] and report["warnings"] == []
    mentions = state["user_parse"]["mentions"]
    khabarovsk = mentions[mentions["place_id"] == "itinera:khabarovsk"]
    assert len(khabarovsk) >= 3
    start, end = map(int, khabarovsk["mention"].iloc[0].rsplit(":", 1)[1].split("-"))
    assert data.decode("utf-8")[start:end] == "Khabarovsk"
    assert "Khabarovsk" in db.places_summary(mentions)
    parsed = state["user_parse"]
    db.take_text_upload(state, "memoir.txt", data, workspace.sources)  # the same upload on a rerun
    assert state["user_parse"] is parsed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04 zipped", "ZIP archive"),
        (b"\x00\x01\x02\x03" * 50, "binary"),
        (b"x" * (db.MAX_TEXT_BYTES + 1), "too large"),
    ],
)
def test_a_bad_text_upload_is_refused_with_the_files_name(data, message):
    state: dict = {}
    db.take_text_upload(state, "upload.bin", data, {})
    assert state["upload_text_report"]["error"].startswith("upload.bin")
    assert message in state["upload_text_report"]["error"]
    assert "user_parse" not in state


def test_an_events_upload_lists_problems_by_row_and_refuses_corpus_ids(workspace):
    state: dict = {}
    data = (
        b"id,actors,kind,place_id,edtf,source_id\n"
        b"u1,Someone,stay,itinera:seoul,1944-03,my-notes\n"
        b"u2,Someone,stay,itinera:atlantis,1944-03,my-notes\n"
        b"mem-iaf-founded,Someone,stay,itinera:seoul,1944,my-notes\n"
    )
    db.take_events_upload(state, "mine.csv", data, workspace.places, workspace)
    assert [e.id for e in state["user_events"]] == ["u1"]
    problems = db.problems_frame(state["upload_events_report"]["problems"])
    assert problems.loc[problems["field"] == "place_id", "row"].tolist() == [3]
    assert str(problems["row"].dtype) == "Int64"
    assert any("already in the corpus" in p for p in problems["problem"])
    db.forget_upload(state, "events")
    assert "user_events" not in state and "upload_events_report" not in state


def test_places_upload_reads_geojson_and_lpf_and_names_bad_features():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Sea Camp"},
                "geometry": {"type": "Point", "coordinates": [131, 43]},
            },
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
            {
                "type": "Feature",
                "properties": {"name": "Far"},
                "geometry": {"type": "Point", "coordinates": [500, 2]},
            },
        ],
    }
    places, problems = db.places_from_upload("add.geojson", json.dumps(geojson).encode())
    assert [(p.id, p.name, p.lat, p.lon) for p in places] == [("user:add:1", "Sea Camp", 43, 131)]
    assert problems[0] == "add.geojson, feature 2: no name (give properties.name or title)"
    assert "out of range" in problems[1]
    with pytest.raises(db.UploadError, match="not valid JSON"):
        db.places_from_upload("add.geojson", b"{")
    with pytest.raises(db.UploadError, match="FeatureCollection"):
        db.places_from_upload("add.geojson", b"[1, 2]")


def test_uploaded_places_named_alike_or_in_another_script_keep_their_own_ids():
    def point(name: str, lon: float, **extra) -> dict:
        return {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Point", "coordinates": [lon, 40]},
            **extra,
        }

    features = [
        point("Хабаровск", 135),
        point("Мукден", 123),
        point("Springfield", -89),
        point("Springfield", -72),
    ]
    features += [point("Camp A", 131, id="camp-1"), point("Camp B", 132, id="camp-1")]
    doc = {"type": "FeatureCollection", "features": features}
    places, problems = db.places_from_upload("mine.geojson", json.dumps(doc).encode())
    assert [p.id for p in places] == ["user:mine:1", "user:mine:2", "user:mine:3", "user:mine:4", "camp-1"]
    assert problems == [
        "mine.geojson, feature 6 (Camp B): id 'camp-1' is already feature 5's; "
        "left out (give each feature its own id)"
    ]


def test_place_lookup_adds_the_readers_places_and_asks_the_gazetteer_one_id_at_a_time(workspace):
    from gazetteer.places import Place

    extra = workspace.places.with_extra([Place("upload:x", "X", "settlement", 1.0, 2.0)])
    assert extra["upload:x"].name == "X" and "upload:x" not in workspace.places
    assert extra["itinera:seoul"].name
    with pytest.raises(KeyError):
        extra["itinera:atlantis"]


def test_place_choices_search_the_gazetteer_and_list_curated_places(workspace):
    everything = db.place_choices("", workspace.places)
    assert len(everything) == len(workspace.places.curated)
    found = dict(db.place_choices("camp north", workspace.places))
    assert "itinera:camp-north" in found


def test_events_near_a_click_are_those_at_that_place(workspace):
    seoul = workspace.places["itinera:khabarovsk"]
    near = db.events_near(seoul.lat, seoul.lon, workspace.events, workspace.places)
    assert near and all(e.place_id == "itinera:khabarovsk" for e in near)
    assert db.events_near(0.0, 0.0, workspace.events, workspace.places) == []


def test_the_base_map_keeps_no_event_layers_and_the_overlays_go_into_one_group(workspace):
    from mapapp.build import build_map

    base = db.base_map(workspace.events, workspace.places, workspace.sources)
    html = base.get_root().render()
    assert "Itinera.eventLayer" not in html and "Itinera.legend" in html
    group = db.overlay_group()
    full = build_map(
        workspace.events,
        db.places_for(workspace.events, workspace.places),
        layers={"bases", "routes"},
        overlays_into=group,
    )
    assert len(group._children) == 2  # routes and bases, composed into the group
    assert not [c for c in full._children.values() if getattr(c, "overlay", False)]
    assert "Itinera.legend" in full.get_root().render()


def test_build_layers_follow_the_contested_toggle():
    assert db.build_layers(["bases", "routes"], True) == {"bases", "routes", "contested"}
    assert db.build_layers(["bases", "routes"], False) == {"bases", "routes"}
    assert db.build_layers(["routes"], True) == {"routes"}


def test_the_home_view_looks_at_the_middle_of_the_corpus(workspace):
    (lat, lon), zoom = db.home_view(workspace.events, workspace.places)
    assert 35 < lat < 60 and 60 < lon < 135 and 2 <= zoom <= 5


def test_the_map_limit_keeps_the_earliest_events():
    index = db.EventIndex.build(EVENTS)
    kept = db.map_events(index, db.filter_mask(index, db.Filters()), limit=2)
    assert [e.id for e in kept] == ["khabarovsk-1941", "stalingrad-claim"]


def test_markdown_escaping_keeps_names_as_text():
    assert db.md_escape("*bold* <b>") == "\\*bold\\* \\<b\\>"


def test_timeline_counts_match_the_events_drawn_one_by_one(index):
    window = db.window_from_months("1941-01", "1944-12")
    mask = db.filter_mask(index, db.Filters(*window))
    counts = db.timeline_counts(index, mask, window)
    assert int(counts["size"].sum()) == int(mask.sum())
    july = counts[(counts.month == "1942-07-01") & (counts.kind == "founding")]
    assert int(july["size"].item()) == 1
    spec = db.timeline_chart(counts, window).to_dict()
    assert spec["encoding"]["y"]["field"] == "size"


def test_every_upload_kind_is_refused_over_the_one_limit_with_that_limit_named():
    big = b"a" * (db.UPLOAD_LIMIT_MB * 1024 * 1024 + 1)
    with pytest.raises(
        db.UploadError, match=rf"big.txt: 20.0 MB is too large \(the limit is {db.UPLOAD_LIMIT_MB} MB\)"
    ):
        db.decode_upload("big.txt", big)
    with pytest.raises(db.UploadError, match=f"the limit is {db.UPLOAD_LIMIT_MB} MB"):
        db.parse_json_upload("big.geojson", big)
    assert db.MAX_TEXT_BYTES == db.MAX_DATA_BYTES
