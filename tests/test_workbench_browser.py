"""The whole way in a real Chromium: a diary of our own uploaded, its events accepted, the route on the
map in the fitted window, the work still there after a restart, the CSV and the HTML downloaded, the
CSV loaded back with ``itinera export --events``, and the HTML's count the dashboard's.

Every request off loopback is blocked (``offline_page``); the app runs with its own workspace folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, free_port, wait_http

from mapapp.cli import main
from mapapp.corpus import read_events

pytestmark = pytest.mark.browser

DIARY = Path(__file__).parent / "data" / "workbench_diary.txt"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@contextmanager
def dashboard(folder: Path):
    """``itinera app`` with its workspace and corrections in ``folder``, no texts folder."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("ITINERA_TEXTS", None)
    env.update(ITINERA_WORKSPACE=str(folder / "workspace"), ITINERA_CORRECTIONS=str(folder / "fixes.json"))
    with open(folder / f"streamlit-{port}.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mapapp.cli", "app", "--port", str(port), "--headless"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_stcore/health", proc=proc, timeout=120)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def open_dashboard(page, url: str):
    page.goto(url)
    page.get_by_role("heading", name="Itinera").wait_for(timeout=180_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.itinera-event").first.wait_for(state="attached", timeout=180_000)
    return frame


def shown_count(page) -> int:
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ events (in|between) ")).first
    caption.wait_for(timeout=60_000)
    return int(caption.inner_text().split()[0])


def test_a_diary_goes_the_whole_way_from_upload_to_a_reviewed_map_and_back(offline_page, tmp_path):
    page = offline_page.page
    with dashboard(tmp_path) as url:
        frame = open_dashboard(page, url)
        page.get_by_role("tab", name="Your material").click()
        narrator = page.get_by_role("textbox", name="Narrator or author (optional)")
        narrator.fill("the surveyor")
        narrator.press("Enter")
        page.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(DIARY))
        announced = page.get_by_text(re.compile(r"\d+ events from workbench_diary\.txt, 1916-03 to 1916-0\d"))
        outcome = announced.or_(page.get_by_text("the geoparser failed")).first
        outcome.wait_for(timeout=180_000)
        assert "events from" in outcome.inner_text(), outcome.inner_text()
        page.get_by_text(re.compile(r"events between March 1916 and (April|May) 1916")).wait_for(
            timeout=60_000
        )

        page.get_by_role("tab", name="Review").click()
        slider = page.get_by_role("tabpanel").get_by_role("slider").first
        slider.focus()
        page.keyboard.press("Home")  # confidence at least 0: every event
        page.get_by_role("tabpanel").get_by_text("0.00", exact=True).first.wait_for(timeout=60_000)
        page.get_by_role("button", name=re.compile(r"Accept all \d+ above")).click()
        page.get_by_role("button", name="Accept all 0 above").wait_for(timeout=120_000)  # none left
        csv_button = page.get_by_role("button", name=re.compile(r"Accepted events \([1-9]\d*\) as CSV"))
        csv_button.wait_for(timeout=60_000)
        accepted = int(re.findall(r"\d+", csv_button.inner_text())[0])
        assert accepted >= 3

        # the route is drawn, and the fitted view holds it
        page.wait_for_function(f"document.querySelectorAll('{MAP_FRAME}').length === 1", timeout=60_000)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.itinera-route").first.wait_for(state="attached", timeout=60_000)
        inside = next(f for f in page.frames if "st_folium" in f.url).evaluate(
            """() => {
                const map = document.querySelector('.leaflet-container').getBoundingClientRect();
                const legs = [...document.querySelectorAll('path.itinera-route')]
                    .map((p) => p.getBoundingClientRect());
                const long = legs.filter((r) => r.width + r.height > 20);
                return long.length > 0 && long.every((r) => r.left >= map.left && r.right <= map.right
                    && r.top >= map.top && r.bottom <= map.bottom);
            }"""
        )
        assert inside, "the diary's route lies inside the map's fitted view"

        # all place mentions over the uploaded text: clustered markers, no script error
        page.get_by_text("All place mentions").click()
        page.wait_for_timeout(500)
        page.wait_for_function(f"document.querySelectorAll('{MAP_FRAME}').length === 1", timeout=60_000)
        frame.locator(".marker-cluster, path.itinera-mention").first.wait_for(
            state="attached", timeout=60_000
        )
        assert not [e for e in offline_page.console_errors if "markerClusterGroup" in e]

    with dashboard(tmp_path) as url:  # a restart: the work is on disk
        open_dashboard(page, url)
        page.get_by_role("tab", name="Review").click()
        page.get_by_role("button", name="Accept all 0 above").wait_for(timeout=120_000)
        page.get_by_role("button", name=f"Accepted events ({accepted}) as CSV").wait_for(timeout=60_000)

        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name=f"Accepted events ({accepted}) as CSV").click()
        csv = tmp_path / "reviewed.csv"
        download.value.save_as(csv)

        # the whole time range, then the diary's months only: the dashboard's count, the HTML's count
        page.get_by_role("tab", name="Download").click()
        window_count = shown_count(page)
        with page.expect_download(timeout=180_000) as download:
            page.get_by_role("button", name="HTML map").click()
        html = tmp_path / "dashboard.html"
        download.value.save_as(html)

    events, problems = read_events(csv, places=lambda pid: True)
    assert problems == [] and len(events) == accepted and all(e.automatic for e in events)
    exported = tmp_path / "from-csv.html"
    assert main(["export", "--events", str(csv), "--offline", "--html", str(exported)]) == 0

    for path, expected in ((html, window_count), (exported, accepted)):
        page.goto(path.as_uri())
        page.wait_for_function("window.itineraTime && window.itineraTime.shown !== undefined", timeout=60_000)
        assert page.locator(".itinera-time-count").inner_text() == f"({expected} events shown)"
    # the first app's page tries to reconnect while it is stopped for the restart: nothing else may fail
    assert [e for e in offline_page.console_errors if "ERR_CONNECTION_REFUSED" not in e] == []
