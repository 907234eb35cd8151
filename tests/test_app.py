"""Every control of the dashboard, driven through Streamlit's AppTest on the first corpus.

AppTest does not render ``st_folium``: the map is an element whose ``proto.json_args`` holds the map's
script (the steady base) and ``feature_group`` (the layers of the window), which these tests read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "mapapp" / "app.py")


def start(timeout: float = 180) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def corrections_file(tmp_path, monkeypatch) -> Path:
    """The corrections file, and the workspace folder beside it: each test starts with no saved work."""
    path = tmp_path / "corrections.json"
    monkeypatch.setenv("ITINERA_CORRECTIONS", str(path))
    monkeypatch.setenv("ITINERA_WORKSPACE", str(tmp_path / "workspace"))
    return path


@pytest.fixture
def app(monkeypatch, seeds_dir, corrections_file) -> AppTest:
    monkeypatch.setenv("ITINERA_TEXTS", str(seeds_dir))
    monkeypatch.delenv("ITINERA_EVENTS", raising=False)
    return start()


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest):
    return next(d.value for d in at.dataframe if "event_id" in d.value.columns)


def shown_ids(at: AppTest) -> set[str]:
    return set(table(at)["event_id"])


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def set_window(at: AppTest, start_month: str, end_month: str) -> AppTest:
    at.select_slider[0].set_value((start_month, end_month))
    return rerun(at)


# --- opening ------------------------------------------------------------------------------------------


def test_opens_on_the_first_corpus_with_map_table_and_timeline(app):
    assert errors(app) == []
    assert app.select_slider[0].value == (app.select_slider[0].options[0], app.select_slider[0].options[-1])
    ids = shown_ids(app)
    assert {"mem-iaf-founded", "art-prime-minister", "nam-yanan-trip"} <= ids
    args = map_args(app)
    assert "Itinera" in args["script"]  # the offline basemap and legend
    assert "Itinera.eventLayer" in args["feature_group"]
    assert "Itinera.lineLayer" in args["feature_group"]  # routes on by default
    assert args["returned_objects"] == ["last_object_clicked"]
    assert not [u for u in args["js_links"] + args["css_links"] if not u.startswith("data:")]
    assert len(app.get("vega_lite_chart")) == 1


# --- the time window ----------------------------------------------------------------------------------


def test_a_window_of_july_1942_narrows_table_and_map_to_that_month(app):
    set_window(app, "1942-07", "1942-07")
    ids = shown_ids(app)
    assert {"mem-iaf-founded", "mem-apanasenko-meeting", "mem-camp-north-gathering"} <= ids
    assert not {"art-prime-minister", "ctx-pearl-harbor", "mem-apanasenko-death"} & ids
    layers = map_args(app)["feature_group"]
    assert "mem-iaf-founded" in layers and "art-prime-minister" not in layers
    assert "in July 1942" in app.markdown[0].value


def test_moving_the_window_keeps_the_base_map_and_swaps_only_its_layers(app):
    before = map_args(app)
    set_window(app, "1943-05", "1943-08")
    after = map_args(app)
    assert after["script"] == before["script"]  # the iframe is not rebuilt
    assert after["feature_group"] != before["feature_group"]
    assert "mem-comintern-news" in after["feature_group"]


def test_step_buttons_move_the_window_one_month(app):
    set_window(app, "1942-07", "1942-07")
    app.button(key="forward").click()
    rerun(app)
    assert app.select_slider[0].value == ("1942-08", "1942-08")
    ids = shown_ids(app)
    assert "mem-iaf-founded" not in ids  # July only
    assert "mem-apanasenko-camp-north" in ids  # July-December
    app.button(key="back").click()
    rerun(app)
    assert "mem-iaf-founded" in shown_ids(app)


def test_over_decades_the_window_steps_a_year_at_a_time(app):
    set_window(app, "1942-07", "1942-09")
    app.button(key="forward_year").click()
    rerun(app)
    assert app.select_slider[0].value == ("1943-07", "1943-09")
    app.button(key="back_year").click()
    rerun(app)
    assert app.select_slider[0].value == ("1942-07", "1942-09")


def test_the_play_toggle_starts_without_error(app):
    set_window(app, "1942-01", "1942-03")
    app.toggle(key="playing").set_value(True)
    rerun(app)
    assert errors(app) == []


# --- filters ------------------------------------------------------------------------------------------


def test_actor_filter_keeps_only_events_naming_the_actor(app):
    app.multiselect(key="actors").set_value(["Apanasenko"])
    frame = table(rerun(app))
    assert len(frame) and all("Apanasenko" in a for a in frame["actors"])
    assert {"mem-apanasenko-death", "mem-apanasenko-meeting"} <= set(frame["event_id"])


def test_kind_filter_keeps_battles(app):
    app.multiselect(key="kinds").set_value(["battle"])
    frame = table(rerun(app))
    assert set(frame["kind"]) == {"battle"}
    assert "dic-stalingrad" in set(frame["event_id"])


def test_source_filter_keeps_one_police_report(app):
    app.multiselect(key="sources").set_value(["namyang-report-1944"])
    ids = shown_ids(rerun(app))
    assert ids and all(i.startswith("nam-") for i in ids)
    assert "nam-yanan-trip" in ids


def test_attribution_and_certainty_filters(app):
    app.multiselect(key="certainties").set_value(["low"])
    frame = table(rerun(app))
    assert set(frame["certainty"]) == {"low"}
    app.multiselect(key="certainties").set_value([])
    app.multiselect(key="attributions").set_value(["biographical dictionaries cited by narrator"])
    assert shown_ids(rerun(app)) == {"dic-stalingrad"}


def test_hiding_contested_claims_removes_them_from_table_and_map(app):
    assert "dic-stalingrad" in shown_ids(app)
    app.toggle(key="show_contested").set_value(False)
    rerun(app)
    ids = shown_ids(app)
    assert "dic-stalingrad" not in ids and "nam-yanan-trip" not in ids
    assert "mem-apanasenko-death" in ids
    assert "dic-stalingrad" not in map_args(app)["feature_group"]


def test_an_empty_selection_says_what_to_do(app):
    app.multiselect(key="kinds").set_value(["death"])
    set_window(app, "1920-01", "1920-02")
    assert any("Widen the time window" in i.value for i in app.info)


# --- layers -------------------------------------------------------------------------------------------


def test_layer_toggles_change_the_maps_script(app):
    assert "Itinera.lineLayer" in map_args(app)["feature_group"]
    assert "radius_m" not in map_args(app)["feature_group"]
    app.checkbox(key="layer_routes").uncheck()
    app.checkbox(key="layer_uncertainty").check()
    layers = map_args(rerun(app))["feature_group"]
    assert "Itinera.lineLayer" not in layers
    assert "radius_m" in layers or "within ~" in layers
    app.checkbox(key="layer_bases").uncheck()
    app.checkbox(key="layer_events").uncheck()
    assert "Itinera.eventLayer" not in map_args(rerun(app))["feature_group"]


def test_openstreetmap_tiles_are_off_until_the_reader_asks(app):
    assert "tile.openstreetmap.org" not in map_args(app)["script"]
    app.toggle(key="osm_tiles").set_value(True)
    assert "tile.openstreetmap.org" in map_args(rerun(app))["script"]
    app.toggle(key="osm_tiles").set_value(False)
    assert "tile.openstreetmap.org" not in map_args(rerun(app))["script"]


def test_the_mentions_layer_draws_the_texts_place_names(app):
    app.checkbox(key="layer_mentions").check()
    layers = map_args(rerun(app))["feature_group"]
    assert "itinera-mention" in layers and "Khabarovsk" in layers


# --- reading an event -----------------------------------------------------------------------------------


def test_reading_a_contested_claim_shows_who_says_so_what_contradicts_it_and_the_passage(app):
    app.selectbox(key="event_id").set_value("dic-stalingrad")
    rerun(app)
    text = " ".join(m.value for m in app.markdown)
    assert "biographical dictionaries" in text.lower()
    assert any("mem-denial-stalingrad" in w.value for w in app.warning)
    (passage,) = [h for h in app.get("html") if "itinera-passage" in h.proto.body]
    assert "<mark>Stalingrad</mark>" in passage.proto.body


def test_without_the_texts_the_event_says_how_to_give_them(monkeypatch, corrections_file):
    monkeypatch.delenv("ITINERA_TEXTS", raising=False)
    at = start()
    at.selectbox(key="event_id").set_value("mem-iaf-founded")
    rerun(at)
    assert any("--texts" in c.value for c in at.caption)
    assert not [h for h in at.get("html") if "itinera-passage" in h.proto.body]


# --- comparing sources ------------------------------------------------------------------------------------


def test_compare_sources_shows_each_source_and_the_disagreements(app):
    set_window(app, "1942-07", "1943-12")
    frames = [d.value for d in app.dataframe]
    compare = next(f for f in frames if f.index.name == "period")
    assert {"memoir", "article"} <= set(compare.columns)
    assert any("police report" in c for c in compare.columns)
    disagreements = next(f for f in frames if "contradicted by" in f.columns)
    assert len(disagreements) >= 2


# --- bringing one's own material ------------------------------------------------------------------------


def test_uploading_the_memoir_lists_its_places_and_makes_its_passages_appear(
    monkeypatch, corrections_file, memoir_path
):
    monkeypatch.delenv("ITINERA_TEXTS", raising=False)
    at = start()
    before = map_args(at)["feature_group"]
    assert "<mark>" not in before
    at.file_uploader(key="text_upload").set_value(("memoir.txt", memoir_path.read_bytes(), "text/plain"))
    rerun(at)
    assert errors(at) == []
    assert any("passages now show" in s.value for s in at.success)
    mentions = next(d.value for d in at.dataframe if "as written" in d.value.columns)
    assert "Khabarovsk" in set(mentions["place"])
    at.selectbox(key="event_id").set_value("mem-apanasenko-meeting")
    rerun(at)
    (passage,) = [h.proto.body for h in at.get("html") if "itinera-passage" in h.proto.body]
    assert "Apanasenko" in passage
    assert len(map_args(at)["feature_group"]) > len(before) + 5000  # the popups carry the passages too


def test_a_pasted_text_is_geoparsed(app):
    app.text_area(key="pasted_text").set_value("In July 1942 we travelled from Khabarovsk to Moscow.")
    rerun(app)
    mentions = next(d.value for d in app.dataframe if "as written" in d.value.columns)
    assert {"Khabarovsk", "Moscow"} <= set(mentions["place"])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", b"%PDF-1.4\n%binary", "scan.pdf: is a PDF document"),
        ("blob.txt", bytes(range(256)) * 4, "blob.txt"),
        ("empty.txt", b"", "empty.txt: the file is empty"),
    ],
)
def test_a_bad_text_upload_gets_a_message_naming_the_file(app, name, data, message):
    app.file_uploader(key="text_upload").set_value((name, data, "application/octet-stream"))
    rerun(app)
    assert any(message in e for e in errors(app))


def test_a_latin1_text_is_read_with_a_warning(app):
    data = "Kim went to Khabarovsk in 1942 \u2014 caf\xe9.".replace("\u2014", "-").encode("latin-1")
    app.file_uploader(key="text_upload").set_value(("old.txt", data, "text/plain"))
    rerun(app)
    assert any("cp1252" in w.value for w in app.warning)


def test_an_events_csv_is_validated_by_row_and_its_good_rows_join_the_table(app):
    csv = (
        b"id,actors,kind,place_id,edtf,source_id,summary\n"
        b"up-1,Kim Il Sung,stay,itinera:khabarovsk,1942-08,memoir,An uploaded stay\n"
        b"up-2,Kim Il Sung,walk,itinera:nowhere,1942-13,memoir,Bad row\n"
        b"mem-iaf-founded,Kim Il Sung,stay,itinera:khabarovsk,1942,memoir,Clash\n"
    )
    app.file_uploader(key="events_upload").set_value(("mine.csv", csv, "text/csv"))
    rerun(app)
    problems = next(
        d.value for d in app.dataframe if "problem" in d.value.columns and "row" in d.value.columns
    )
    rows = problems[problems["row"].fillna(0) == 3]
    assert {"kind", "place_id", "edtf"} <= set(rows["field"])
    assert any("already in the corpus" in p for p in problems["problem"])
    assert "up-1" in shown_ids(app)
    app.file_uploader(key="events_upload").set_value(None)
    assert "up-1" not in shown_ids(rerun(app))


def test_a_malformed_events_file_is_refused_with_a_message(app):
    app.file_uploader(key="events_upload").set_value(("mine.json", b'{"events": [1, 2', "application/json"))
    rerun(app)
    problems = next(
        d.value for d in app.dataframe if "problem" in d.value.columns and "row" in d.value.columns
    )
    assert "not valid JSON" in problems["problem"].iloc[0]


def test_a_gazetteer_addition_lets_uploaded_events_use_its_places(app):
    places = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Testville"},
                "geometry": {"type": "Point", "coordinates": [130.5, 44.2]},
            },
            {"type": "Feature", "properties": {"name": "Nowhere"}, "geometry": None},
        ],
    }
    app.file_uploader(key="places_upload").set_value(
        ("places.geojson", json.dumps(places).encode(), "application/json")
    )
    rerun(app)
    assert any("1 place added" in s.value for s in app.success)
    assert any(
        "feature 2 (Nowhere): no geometry" in str(p)
        for d in app.dataframe
        for p in d.value.get("problem", [])
    )
    csv = b"id,actors,kind,place_id,edtf,source_id\nt-1,Someone,stay,user:places:1,1942-07,my-notes\n"
    app.file_uploader(key="events_upload").set_value(("t.csv", csv, "text/csv"))
    rerun(app)
    frame = table(app)
    assert frame.loc[frame.event_id == "t-1", "place"].item() == "Testville"
    assert "Testville" in map_args(app)["feature_group"]


def test_malformed_geojson_gets_a_message(app):
    app.file_uploader(key="places_upload").set_value(
        ("p.geojson", b'{"type": "FeatureCollection", "features": [', "application/json")
    )
    rerun(app)
    assert any("p.geojson: not valid JSON" in e for e in errors(app))


# --- correcting the machine -------------------------------------------------------------------------------


def fix_event(at: AppTest, event_id: str, query: str, place_id: str) -> AppTest:
    at.selectbox(key="fix_event").set_value(event_id)
    at.text_input(key="fix_event_query").set_value(query)
    rerun(at)
    at.selectbox(key="fix_event_place").set_value(place_id)
    rerun(at)
    at.button(key="fix_event_save").click()
    return rerun(at)


def test_an_event_correction_is_saved_to_disk_applied_and_survives_a_restart(app, corrections_file):
    fix_event(app, "mem-khabarovsk-trip", "Camp North", "itinera:camp-north")
    saved = json.loads(corrections_file.read_text())["corrections"]
    assert [(c["target_id"], c["place_id"], c["was_place_id"]) for c in saved] == [
        ("mem-khabarovsk-trip", "itinera:camp-north", "itinera:khabarovsk")
    ]
    frame = table(app)
    assert frame.loc[frame.event_id == "mem-khabarovsk-trip", "place"].item().startswith("Camp North")

    st.cache_resource.clear()  # a new process: everything reloaded from disk
    again = start()
    frame = table(again)
    assert frame.loc[frame.event_id == "mem-khabarovsk-trip", "place"].item().startswith("Camp North")

    again.selectbox(key="fix_remove").set_value("event|mem-khabarovsk-trip")
    rerun(again)
    again.button(key="fix_remove_go").click()
    rerun(again)
    assert json.loads(corrections_file.read_text())["corrections"] == []


def test_a_mention_correction_is_saved_and_shown(app, corrections_file):
    app.text_area(key="pasted_text").set_value("In 1942 the unit moved to Khabarovsk.")
    rerun(app)
    mentions = next(d.value for d in app.dataframe if "as written" in d.value.columns)
    key = mentions.loc[mentions["as written"] == "Khabarovsk", "mention"].item()
    app.selectbox(key="fix_mention").set_value(key)
    app.text_input(key="fix_mention_query").set_value("Camp North")
    rerun(app)
    app.selectbox(key="fix_mention_place").set_value("itinera:camp-north")
    rerun(app)
    app.button(key="fix_mention_save").click()
    rerun(app)
    saved = json.loads(corrections_file.read_text())["corrections"]
    assert saved[0]["target"] == "mention" and saved[0]["target_id"] == key
    mentions = next(d.value for d in app.dataframe if "as written" in d.value.columns)
    row = mentions[mentions["mention"] == key].iloc[0]
    assert row["place"].startswith("Camp North") and row["place_id"] == "itinera:camp-north"
    assert bool(row["corrected"])


# --- downloads and other events files ----------------------------------------------------------------------


def test_download_buttons_offer_every_format(app):
    labels = {b.proto.label for b in app.get("download_button")}
    assert {
        "GeoJSON",
        "CSV",
        "HTML map",
        "Places (LPF)",
        "GeoPackage",
        "Download corrections (JSON)",
    } <= labels


def test_an_events_file_from_the_environment_replaces_the_corpus(monkeypatch, tmp_path, corrections_file):
    events = tmp_path / "events.csv"
    events.write_text(
        "id,actors,kind,place_id,edtf,source_id,summary\n"
        "e-1,Someone,stay,geonames:2022890,1950-03,memoir,One\n"
        "e-2,Someone,move,itinera:moscow,1951-04,memoir,Two\n"
    )
    monkeypatch.setenv("ITINERA_EVENTS", str(events))
    at = start()
    assert shown_ids(at) == {"e-1", "e-2"}
    assert at.select_slider[0].options[0] == "1950-03"
    frame = table(at)
    assert frame.loc[frame.event_id == "e-1", "place"].item() == "Khabarovsk"  # a GeoNames id
    assert "e-1" in map_args(at)["feature_group"]


def test_a_missing_events_file_is_a_message_not_a_traceback(monkeypatch, tmp_path, corrections_file):
    monkeypatch.setenv("ITINERA_EVENTS", str(tmp_path / "nope.csv"))
    at = start()
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "nope.csv: file not found" in text
    assert "No dated events" in text


def test_undated_events_are_listed_apart(app):
    undated = next(
        d.value
        for d in app.dataframe
        if "event_id" in d.value.columns and (d.value["date"] == "undated").all()
    )
    assert "mem-red-flag-order" in set(undated["event_id"])
    assert "mem-red-flag-order" not in shown_ids(app)


def test_a_filter_choice_from_a_removed_upload_is_dropped_quietly(app):
    csv = b"id,actors,kind,place_id,edtf,source_id\nq-1,Newcomer,stay,itinera:seoul,1944,memoir\n"
    app.file_uploader(key="events_upload").set_value(("q.csv", csv, "text/csv"))
    rerun(app)
    app.multiselect(key="actors").set_value(["Newcomer"])
    assert shown_ids(rerun(app)) == {"q-1"}
    app.file_uploader(key="events_upload").set_value(None)
    rerun(app)
    assert app.multiselect(key="actors").value == []
    assert "mem-iaf-founded" in shown_ids(app)


def test_several_events_at_a_clicked_point_can_each_be_read(app):
    # what a click on Khabarovsk leaves behind (AppTest cannot click inside the map's iframe)
    here = ["mem-khabarovsk-trip", "mem-apanasenko-meeting"]
    app.session_state["here_ids"] = here
    app.selectbox(key="event_id").set_value(here[0])
    rerun(app)
    (radio,) = [r for r in app.radio if r.key == "here_pick"]
    assert radio.options and len(radio.options) == 2
    radio.set_value(here[1])
    rerun(app)
    assert app.selectbox(key="event_id").value == here[1]
