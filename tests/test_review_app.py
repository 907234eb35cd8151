"""The review flow in the dashboard (AppTest): a diary of our own uploaded, its automatic events reviewed
with every control of the review table, saved at once and there after a restart.

The diary is tests/data/workbench_diary.txt (our own words); its events come from the real geoparser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mapapp.corpus import read_events
from mapapp.review import ReviewStore, months_of

APP = str(Path(__file__).resolve().parents[1] / "mapapp" / "app.py")
DIARY = Path(__file__).parent / "data" / "workbench_diary.txt"


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    return rerun(at)


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ITINERA_CORRECTIONS", str(tmp_path / "corrections.json"))
    monkeypatch.setenv("ITINERA_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("ITINERA_TEXTS", raising=False)
    monkeypatch.delenv("ITINERA_EVENTS", raising=False)
    return tmp_path / "workspace"


@pytest.fixture
def uploaded(work) -> AppTest:
    at = start()
    at.text_input(key="text_narrator").set_value("the surveyor")
    at.file_uploader(key="text_upload").set_value(("diary.txt", DIARY.read_bytes(), "text/plain"))
    return rerun(at)


def review_table(at: AppTest):
    return next(d.value for d in at.dataframe if "confidence" in d.value.columns and "cue" in d.value.columns)


def events_table(at: AppTest):
    return next(
        d.value for d in at.dataframe if "event_id" in d.value.columns and "summary" in d.value.columns
    )


def saved(work: Path) -> dict:
    return json.loads((work / "work.json").read_text(encoding="utf-8"))


def pick(at: AppTest, *ids: str) -> AppTest:
    at.multiselect(key="review_pick").set_value(list(ids))
    return rerun(at)


def test_an_uploaded_diary_becomes_a_source_with_events_waiting_for_review(uploaded, work):
    at = uploaded
    (message,) = [s.value for s in at.success if "events from diary.txt" in s.value]
    frame = review_table(at)
    first, last = months_of(i.event for i in ReviewStore(work).items.values())
    assert message.startswith(f"{len(frame)} events from diary.txt, {first} to {last}")
    assert first == "1916-03" and last >= "1916-04"
    assert len(frame) >= 5 and set(frame["status"]) == {"pending"}
    assert set(frame["actors"]) == {"the surveyor"}
    (source,) = saved(work)["sources"]
    assert source["title"] == "diary.txt" and source["author"] == "the surveyor"
    assert (work / "texts" / f"{source['sha256']}.txt").read_bytes() == DIARY.read_bytes()
    # nothing is on the map before it is accepted
    assert not any(i.startswith("text:") for i in events_table(at)["event_id"])


def test_the_window_and_the_slider_follow_the_new_events(uploaded, work):
    at = uploaded
    slider = at.select_slider[0]
    assert "1916-03" in slider.options  # the corpus alone starts in the 1920s
    assert slider.value == months_of(i.event for i in ReviewStore(work).items.values())
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    lat, lon = args["center"]
    assert 15 < lat < 40 and 40 < lon < 75  # the map looks at the diary's Arabian Sea and Iraq


def test_accept_reject_and_back_to_pending_act_on_the_chosen_rows(uploaded, work):
    at = uploaded
    ids = review_table(at)["event_id"].tolist()
    pick(at, ids[0], ids[1])
    at.button(key="review_accept").click()
    rerun(at)
    statuses = dict(zip(review_table(at)["event_id"], review_table(at)["status"], strict=True))
    assert statuses[ids[0]] == statuses[ids[1]] == "accepted"
    assert {ids[0], ids[1]} <= set(events_table(at)["event_id"])  # ordinary events now
    assert {i["event"]["id"] for i in saved(work)["items"] if i["status"] == "accepted"} == {ids[0], ids[1]}

    pick(at, ids[1])
    at.button(key="review_reject").click()
    rerun(at)
    assert ids[1] not in set(events_table(at)["event_id"])
    pick(at, ids[1])
    at.button(key="review_reset").click()
    rerun(at)
    statuses = dict(zip(review_table(at)["event_id"], review_table(at)["status"], strict=True))
    assert statuses[ids[1]] == "pending"


def test_accept_all_above_a_confidence_is_one_click(uploaded):
    at = uploaded
    frame = review_table(at)
    at.slider(key="review_threshold").set_value(0.0)
    rerun(at)
    at.button(key="review_accept_above").click()
    rerun(at)
    assert set(review_table(at)["status"]) == {"accepted"}
    assert set(frame["event_id"]) <= set(events_table(at)["event_id"])
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "Itinera.lineLayer" in args["feature_group"]  # the diary's route is drawn


def test_the_show_filter_lists_only_the_chosen_statuses(uploaded):
    at = uploaded
    first = review_table(at)["event_id"].iloc[0]
    pick(at, first)
    at.button(key="review_reject").click()
    rerun(at)
    at.multiselect(key="review_show").set_value(["rejected"])
    rerun(at)
    assert review_table(at)["event_id"].tolist() == [first]


def test_an_event_is_corrected_by_name_and_the_validator_refuses_a_bad_date(uploaded, work):
    at = uploaded
    target = review_table(at)["event_id"].iloc[0]
    at.selectbox(key="review_edit").set_value(target)
    rerun(at)
    assert at.text_input(key="review_actor").value == "the surveyor"  # the form holds the event
    at.text_input(key="review_actor").set_value("the surveyor; his orderly")
    at.selectbox(key="review_kind").set_value("move")
    at.text_input(key="review_place").set_value("Baghdad")
    at.text_input(key="review_origin").set_value("geonames:99608")
    at.selectbox(key="review_certainty").set_value("low")
    at.text_input(key="review_date").set_value("1916-13")
    rerun(at)
    at.button(key="review_save").click()
    rerun(at)
    assert any("review_date" in e.value or "edtf" in e.value for e in at.error)
    assert all(i["status"] == "pending" for i in saved(work)["items"])

    at.text_input(key="review_date").set_value("1916-03-04")
    rerun(at)
    at.button(key="review_save").click()
    rerun(at)
    item = next(i for i in saved(work)["items"] if i["event"]["id"] == target)
    event = item["event"]
    assert item["status"] == "accepted"
    assert event["actors"] == ["the surveyor", "his orderly"] and event["kind"] == "move"
    assert (event["place_id"], event["from_place_id"]) == ("geonames:98182", "geonames:99608")
    assert (event["edtf"], event["certainty"]) == ("1916-03-04", "low")


def test_accepted_events_download_as_a_csv_that_export_reads_unchanged(uploaded, work, tmp_path):
    from mapapp.cli import main
    from mapapp.export import to_csv_bytes
    from mapapp.review import ReviewStore

    at = uploaded
    at.slider(key="review_threshold").set_value(0.0)
    rerun(at)
    at.button(key="review_accept_above").click()
    rerun(at)
    n = len(review_table(at))
    (button,) = [b for b in at.get("download_button") if b.proto.label.startswith("Accepted events")]
    assert button.proto.label == f"Accepted events ({n}) as CSV" and not button.proto.disabled
    path = tmp_path / "reviewed.csv"
    path.write_bytes(to_csv_bytes(ReviewStore(work).accepted()))  # what the button's callable returns
    assert main(["export", "--events", str(path), "--csv", str(tmp_path / "again.csv")]) == 0
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()
    events, problems = read_events(path, places=lambda pid: True)
    assert problems == [] and len(events) == n and all(e.automatic for e in events)


def test_the_work_is_there_after_a_restart_and_a_text_can_be_removed(uploaded, work):
    at = uploaded
    ids = review_table(at)["event_id"].tolist()
    pick(at, ids[0])
    at.button(key="review_accept").click()
    rerun(at)

    st.cache_resource.clear()  # a new process: everything from disk
    again = start()
    frame = review_table(again)
    assert dict(zip(frame["event_id"], frame["status"], strict=True))[ids[0]] == "accepted"
    assert ids[0] in set(events_table(again)["event_id"])
    again.selectbox(key="event_id").set_value(ids[0])
    rerun(again)
    assert any("itinera-passage" in h.proto.body for h in again.get("html"))  # the saved text's passage

    again.button(key="review_remove").click()
    rerun(again)
    assert saved(work)["sources"] == [] and saved(work)["items"] == []
    assert ids[0] not in set(events_table(again)["event_id"])


def test_a_mention_marked_not_a_place_takes_its_event_out(uploaded, work):
    at = uploaded
    mentions = next(
        d.value for d in at.dataframe if "as written" in d.value.columns and "mention" in d.value.columns
    )
    key = mentions.loc[mentions["as written"] == "Bombay", "mention"].iloc[0]
    assert key.startswith("text:")  # keyed by the text's checksum, not its name
    at.slider(key="review_threshold").set_value(0.0)
    rerun(at)
    at.button(key="review_accept_above").click()
    rerun(at)
    before = set(events_table(at)["event_id"])
    at.selectbox(key="fix_mention").set_value(key)
    at.toggle(key="fix_mention_not_place").set_value(True)
    rerun(at)
    at.button(key="fix_mention_save").click()
    rerun(at)
    frame = review_table(at)
    assert "not a place" in set(frame["status"])
    gone = set(frame.loc[frame["status"] == "not a place", "event_id"])
    assert gone and gone <= before and not gone & set(events_table(at)["event_id"])


def test_a_mention_correction_reaches_the_events_at_that_mention(uploaded):
    at = uploaded
    mentions = next(
        d.value for d in at.dataframe if "as written" in d.value.columns and "mention" in d.value.columns
    )
    key = mentions.loc[mentions["as written"] == "Bombay", "mention"].iloc[0]
    at.selectbox(key="fix_mention").set_value(key)
    at.text_input(key="fix_mention_query").set_value("Khabarovsk")
    rerun(at)
    at.selectbox(key="fix_mention_place").set_value("itinera:khabarovsk")
    rerun(at)
    at.button(key="fix_mention_save").click()
    rerun(at)
    frame = review_table(at)
    row = frame[frame["as written"] == "Bombay"].iloc[0]
    assert row["place"].endswith("[itinera:khabarovsk]")


def test_a_missed_mention_is_added_with_its_place(uploaded, work):
    at = uploaded
    at.text_input(key="fix_add_words").set_value("reed country")
    at.number_input(key="fix_add_occurrence").set_value(1)
    at.text_input(key="fix_add_query").set_value("Khabarovsk")
    rerun(at)
    at.selectbox(key="fix_add_place").set_value("itinera:khabarovsk")
    rerun(at)
    at.button(key="fix_add_save").click()
    rerun(at)
    mentions = next(
        d.value for d in at.dataframe if "as written" in d.value.columns and "mention" in d.value.columns
    )
    added = mentions[mentions["as written"] == "reed country"]
    assert len(added) == 1 and bool(added["corrected"].iloc[0])
    assert added["place_id"].iloc[0] == "itinera:khabarovsk"
    corrections = json.loads((work.parent / "corrections.json").read_text())["corrections"]
    assert corrections[0]["action"] == "add" and corrections[0]["text"] == "reed country"


def test_the_same_file_name_with_another_text_shares_no_correction(work):
    at = start()
    at.text_area(key="pasted_text").set_value("In 1942 the unit moved to Khabarovsk.")
    rerun(at)
    first = next(d.value for d in at.dataframe if "as written" in d.value.columns)["mention"].iloc[0]
    at.text_area(key="pasted_text").set_value("In 1943 the unit moved to Khabarovsk.")
    rerun(at)
    second = next(d.value for d in at.dataframe if "as written" in d.value.columns)["mention"].iloc[0]
    assert first.rpartition(":")[2] == second.rpartition(":")[2]  # the same offsets
    assert first != second  # but two texts


def test_a_second_text_with_its_date_is_chosen_in_the_text_menu(uploaded, work):
    at = uploaded
    diary_rows = len(review_table(at))
    at.text_input(key="text_narrator").set_value("")
    at.text_input(key="text_date").set_value("1917-06")
    at.text_area(key="pasted_text").set_value("We marched from Basra to Baghdad and stayed there a week.")
    at.file_uploader(key="text_upload").set_value(None)
    rerun(at)
    sources = {s["title"]: s for s in saved(work)["sources"]}
    assert sources["pasted text"]["date"] == "1917-06" and sources["diary.txt"]["author"] == "the surveyor"
    menu = at.selectbox(key="review_source")
    assert len(menu.options) == 2 and menu.value == sources["pasted text"]["id"]
    pasted_rows = review_table(at)
    assert len(pasted_rows) >= 1 and set(pasted_rows["actors"]) == {"the narrator"}
    menu.set_value(sources["diary.txt"]["id"])
    rerun(at)
    assert len(review_table(at)) == diary_rows


def test_the_event_read_in_the_side_panel_opens_its_popup_on_the_map(uploaded):
    at = uploaded
    at.slider(key="review_threshold").set_value(0.0)
    rerun(at)
    at.button(key="review_accept_above").click()
    rerun(at)
    chosen = review_table(at)["event_id"].iloc[0]
    at.selectbox(key="event_id").set_value(chosen)
    rerun(at)
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert '"open":' + json.dumps(chosen) in args["feature_group"]
