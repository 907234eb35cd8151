"""The dashboard in a real headless Chromium, every request off loopback blocked (``offline_page``).

Streamlit's first run loads the gazetteer and the corpus: timeouts are generous, and every wait is for
an element or a condition, never a fixed sleep.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKERS = "path.itinera-event"


def open_dashboard(page, app_url):
    page.goto(app_url)
    page.get_by_role("heading", name="Itinera").wait_for(timeout=120_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKERS).first.wait_for(state="attached", timeout=120_000)
    return frame


def wait_until(condition, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def visible_marker_centre(page) -> tuple[float, float]:
    """Page coordinates of a circle marker nothing covers (not the legend, not another marker)."""
    box = page.locator(MAP_FRAME).bounding_box()
    frame = next(f for f in page.frames if "st_folium" in f.url)
    point = frame.evaluate(
        """(sel) => {
            for (const p of document.querySelectorAll(sel)) {
                const r = p.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (x < 40 || y < 80 || x > innerWidth - 10 || y > innerHeight - 10) continue;
                if (document.elementFromPoint(x, y) === p) return [x, y];
            }
            return null;
        }""",
        MARKERS,
    )
    assert point, "no uncovered marker on the map"
    return box["x"] + point[0], box["y"] + point[1]


def test_the_map_draws_the_corpus_and_the_time_window_changes_the_markers(app_url, offline_page):
    page = offline_page.page
    frame = open_dashboard(page, app_url)
    markers = frame.locator(MARKERS)
    everything = wait_until(lambda: markers.count(), what="markers")
    assert everything >= 50  # the first corpus has some 80 dated events with a place

    # The window's end thumb to its first month: January 1919 to January 1919.
    page.get_by_role("slider").nth(1).focus()
    page.keyboard.press("Home")
    narrowed = wait_until(lambda: (n := markers.count()) != everything and n, what="the markers to change")
    assert 0 < narrowed < everything // 4
    page.get_by_text("in January 1919").wait_for(timeout=30_000)
    assert offline_page.console_errors == []


def test_clicking_a_marker_reads_its_event(app_url, offline_page):
    page = offline_page.page
    open_dashboard(page, app_url)
    page.get_by_text("Nothing chosen yet").wait_for(timeout=30_000)
    x, y = visible_marker_centre(page)
    page.mouse.click(x, y)
    page.get_by_text("Who says so:").wait_for(timeout=30_000)
    assert page.locator("h4").count() >= 1


def test_the_geojson_download_is_a_feature_collection(app_url, offline_page):
    page = offline_page.page
    open_dashboard(page, app_url)
    page.get_by_role("tab", name="Download").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="GeoJSON").click()
    doc = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    points = [f for f in doc["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]
    assert len(points) >= 50
    assert {"event_id", "edtf", "source_id", "contested_by"} <= set(points[0]["properties"])


def test_uploading_the_memoir_shows_its_places(app_url, offline_page, memoir_path):
    page = offline_page.page
    open_dashboard(page, app_url)
    page.get_by_role("tab", name="Your material").click()
    page.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(memoir_path))
    outcome = page.get_by_text("place mentions found").or_(page.get_by_text("the geoparser failed"))
    outcome.first.wait_for(timeout=120_000)
    assert "place mentions found" in outcome.first.inner_text(), outcome.first.inner_text()
    named = page.get_by_text("Places named:").locator("..")
    assert "Khabarovsk" in named.inner_text()
    assert not page.locator('[data-testid="stException"]').count()


def test_clicking_a_row_of_the_table_reads_its_event(app_url, offline_page):
    page = offline_page.page
    open_dashboard(page, app_url)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    page.get_by_text("Nothing chosen yet").wait_for(timeout=30_000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 52)  # the first row's selection box
    page.get_by_text("Who says so:").wait_for(timeout=30_000)


def test_the_play_button_steps_the_window_month_by_month(app_url, offline_page):
    page = offline_page.page
    open_dashboard(page, app_url)
    page.locator('input[type="range"]').nth(1).focus()
    page.keyboard.press("Home")
    page.get_by_text("in January 1919").wait_for(timeout=30_000)
    play = page.get_by_role("switch", name="Play")
    # a click landing during a rerun can be lost: click until the switch says it is on
    wait_until(lambda: play.is_checked() or play.click(force=True) or play.is_checked(), what="play on")
    page.get_by_text("in February 1919").wait_for(timeout=60_000)
    page.get_by_text("in March 1919").wait_for(timeout=60_000)
    play.click(force=True)
