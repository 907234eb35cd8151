"""The ``--offline`` HTML export in a real headless Chromium with the network off: the map renders,
the time control changes what is shown (by EDTF spans, as ``mapapp.timespan`` computes them), popups
show data as text, and no request leaves the machine."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from mapapp.cli import main
from mapapp.corpus import load_corpus
from mapapp.timespan import in_window, undated

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def corpus(seeds_dir: Path):
    return load_corpus(texts_dir=seeds_dir)


@pytest.fixture(scope="session")
def offline_html(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("export") / "map.html"
    assert main(["export", "--offline", "--texts", str(seeds_dir), "--html", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def served(offline_html: Path):
    """The export's folder on a local http.server, 127.0.0.1 only."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(offline_html.parent))

    class Quiet(handler.func):  # type: ignore[name-defined]
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, **handler.keywords))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{offline_html.name}"
    server.shutdown()
    server.server_close()


def open_map(offline_page, url: str):
    page = offline_page.page
    page.goto(url)
    page.wait_for_function("window.itineraTime && window.itineraTime.shown !== undefined", timeout=30_000)
    return page


def month_index(page, label: str) -> int:
    return page.evaluate("(l) => window.itineraTime.options.months.findIndex((m) => m[0] === l)", label)


def set_slider(page, selector: str, value: int) -> None:
    """Move a range input as a user would: set its value and fire ``input``."""
    page.eval_on_selector(
        selector, "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", value
    )


def test_offline_export_renders_its_map_and_markers_from_file_url(offline_page, offline_html, corpus):
    page = open_map(offline_page, offline_html.as_uri())
    assert page.locator(".leaflet-container").count() == 1
    located = [e for e in corpus.events if e.place_id in corpus.places]
    assert page.locator("path.itinera-event").count() == len(located)
    assert page.locator("path.itinera-route").count() >= 1
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    # the place mentions of the seed texts, clustered, off until ticked (without maxZoom: an error here)
    assert page.locator(".marker-cluster").count() == 0
    page.locator(".leaflet-control-layers-overlays label", has_text="All place mentions").locator(
        "input"
    ).check()
    assert page.locator(".marker-cluster").count() >= 1
    assert offline_page.console_errors == []
    assert not [e for e in offline_page.console_errors if "is not defined" in e]
    assert offline_page.console_errors == []


def test_time_slider_shows_an_event_iff_its_span_overlaps_the_window(offline_page, served, corpus):
    page = open_map(offline_page, served)
    before = page.locator("path.itinera-event").count()
    set_slider(page, ".itinera-to", month_index(page, "1942-08"))
    set_slider(page, ".itinera-from", month_index(page, "1942-06"))
    assert page.locator(".itinera-time-label").inner_text() == "1942-06 \u2013 1942-08"
    located = [e for e in corpus.events if e.place_id in corpus.places]
    expected = len(in_window(located, "1942-06", "1942-08")) + len(undated(located))
    after = page.locator("path.itinera-event").count()
    assert after == expected
    assert 0 < after < before
    # summer 1942 (1942-22) overlaps the window; summer 1943 does not; undated events stay listed
    assert page.locator("path.ev-mem-ed-iaf-summer").count() == 1
    assert page.locator("path.ev-nam-yanan-trip").count() == 0
    assert page.locator(".itinera-undated summary").inner_text() == f"undated: {len(undated(located))}"
    # a window of one month later in 1943 shows the Yan'an trip (summer 1943) again
    july43 = month_index(page, "1943-07")
    set_slider(page, ".itinera-to", july43)
    set_slider(page, ".itinera-from", july43)
    assert page.locator("path.ev-nam-yanan-trip").count() == 1
    assert page.locator("path.ev-mem-ed-iaf-summer").count() == 0


def test_the_count_is_of_events_as_the_dashboard_counts_them(offline_page, served, corpus):
    """Routes and polities are drawn too, but the count names events only: the dashboard's number."""
    page = open_map(offline_page, served)
    located = [e for e in corpus.events if e.place_id in corpus.places]
    dated = [e for e in located if e not in undated(located)]
    assert page.locator(".itinera-time-count").inner_text() == f"({len(dated)} events shown)"
    set_slider(page, ".itinera-to", month_index(page, "1942-08"))
    set_slider(page, ".itinera-from", month_index(page, "1942-06"))
    in_summer = in_window(located, "1942-06", "1942-08")
    assert page.locator(".itinera-time-count").inner_text() == f"({len(in_summer)} events shown)"
    assert page.evaluate("window.itineraTime.shown") == len(in_summer)


def test_play_button_steps_the_window_forward(offline_page, offline_html):
    page = open_map(offline_page, offline_html.as_uri())
    set_slider(page, ".itinera-to", 0)
    first = page.locator(".itinera-time-label").inner_text()
    page.locator(".itinera-play").click()
    page.wait_for_function(f"document.querySelector('.itinera-time-label').textContent !== {first!r}")
    page.locator(".itinera-play").click()
    assert page.locator(".itinera-time-label").inner_text() != first


def test_popup_shows_a_script_summary_as_text_and_runs_nothing(offline_page, tmp_path, seeds_dir):
    events = tmp_path / "events.csv"
    events.write_text(
        "id,actors,kind,place_id,source_id,edtf,summary\n"
        "evil,Someone,stay,itinera:khabarovsk,memoir,1942-07,"
        '"<script>alert(1)</script><img src=x onerror=alert(2)>"\n',
        encoding="utf-8",
    )
    out = tmp_path / "evil.html"
    assert main(["export", "--offline", "--events", str(events), "--html", str(out)]) == 0
    dialogs: list[str] = []
    offline_page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page = open_map(offline_page, out.as_uri())
    page.locator("path.ev-evil").dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<script>alert(1)</script>" in popup.inner_text()
    assert popup.locator("script, img").count() == 0
    assert dialogs == []


def test_passage_from_the_seed_text_is_shown_with_its_place_marked(offline_page, offline_html):
    page = open_map(offline_page, offline_html.as_uri())
    # an event whose passage names its place; the click goes to the marker itself, since a click at its
    # centre lands on whichever of Khabarovsk's markers is drawn on top (or on none while the map moves)
    page.locator("path.ev-mem-khabarovsk-talks").dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("blockquote.itinera-passage").count() == 1
    assert popup.locator("mark").first.inner_text().lower() == "khabarovsk"


@pytest.fixture(scope="session")
def many_events_html(tmp_path_factory: pytest.TempPathFactory, corpus) -> tuple[Path, list]:
    """6,000 synthetic events over 1942 at curated places (enough for the one-canvas layers), and one
    stay of May 1943 (a small layer of its own)."""
    from mapapp.export import to_html_bytes, write_atomic
    from mapapp.models import Event

    ids = sorted(pid for pid, p in corpus.places.items() if p.feature_type in ("settlement", "military base"))
    kinds = ("meeting", "exercise", "founding")

    def event(i: int, kind: str, place: str, edtf: str, summary: str) -> Event:
        return Event(
            id=f"n{i}",
            actors=("Unit",),
            kind=kind,
            place_id=place,
            edtf=edtf,
            source_id="memoir",
            summary=summary,
        )

    events = [
        event(i, kinds[i % 3], ids[i % len(ids)], f"1942-{1 + i % 12:02d}", f"numbered event {i}")
        for i in range(6000)
    ]
    events.append(event(6000, "stay", "itinera:seoul", "1943-05", "the one event of 1943"))
    out = tmp_path_factory.mktemp("many") / "many.html"
    write_atomic(out, to_html_bytes(events, corpus.places, sources=corpus.sources))
    return out, events


CANVAS_POINTS_SHOWN = """(i) => { window.itineraTime.setWindow(i, i);
    return window.itineraTime.options.layers.filter((l) => l._x)
        .reduce((n, l) => n + l.visibleCount(), 0); }"""
SMALL_LAYER_EVENTS_SHOWN = """() => window.itineraTime.options.layers.filter((l) => l.getLayers)
    .reduce((n, l) => n + l.getLayers().filter((s) => s.feature && s.feature.properties.event_id)
        .length, 0)"""


def test_thousands_of_events_draw_on_one_canvas_and_filter_by_span(offline_page, many_events_html):
    path, events = many_events_html
    page = open_map(offline_page, path.as_uri())
    assert page.locator("canvas.itinera-big").count() == 2  # the 6,000 points and their routes
    in_march = in_window(events[:6000], "1942-03", "1942-03")
    assert len(in_march) == 500
    assert page.evaluate(CANVAS_POINTS_SHOWN, month_index(page, "1942-03")) == len(in_march)
    assert page.evaluate(CANVAS_POINTS_SHOWN, month_index(page, "1943-05")) == 0
    assert page.evaluate(SMALL_LAYER_EVENTS_SHOWN) == 1  # the stay of May 1943, in a layer of its own
    assert offline_page.console_errors == []


def test_a_click_on_a_canvas_point_opens_its_popup(offline_page, many_events_html, corpus):
    path, events = many_events_html
    page = open_map(offline_page, path.as_uri())
    place = corpus.places[events[0].place_id]
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.itineraTime._map.latLngToContainerPoint([lat, lon]); "
        "return [p.x, p.y]; }",
        [place.lat, place.lon],
    )
    box = page.locator(".leaflet-container").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert place.name in popup.inner_text()
    assert "numbered event" in popup.inner_text()


@pytest.fixture(scope="module")
def diary_html(tmp_path_factory) -> Path:
    """Our own diary's movements (tests/data, no ../shared needed) as a standalone page."""
    out = tmp_path_factory.mktemp("diary") / "diary.html"
    movements = Path(__file__).parent / "data" / "workbench_diary.movements.jsonl"
    assert main(["export", "--events", str(movements), "--offline", "--html", str(out)]) == 0
    return out


def the_map(page):
    return "Object.values(window).find((v) => v instanceof L.Map)"


def test_events_stacked_on_one_place_are_listed_in_its_popup(offline_page, diary_html):
    page = open_map(offline_page, diary_html.as_uri())
    page.evaluate(
        f"""() => {{
            const map = {the_map(page)};
            map.eachLayer((l) => {{
                const p = l.feature && l.feature.properties;
                if (p && p.event_id && p.event_id.endsWith('@338') && l.getLatLng) {{
                    l.fire('click', {{latlng: l.getLatLng()}}, true);
                }}
            }});
        }}"""
    )
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "2 events at this place" in popup.inner_text()
    assert page.locator(".itinera-here li.itinera-this").count() == 1
    box = page.locator(".leaflet-popup-content").bounding_box()
    assert box["height"] <= page.locator(".leaflet-container").bounding_box()["height"]
    assert offline_page.console_errors == []


def test_place_labels_and_the_legend_name_who_travelled(offline_page, diary_html):
    page = open_map(offline_page, diary_html.as_uri())
    page.locator(".itinera-label").first.wait_for(timeout=10_000)  # five places: labelled at any zoom
    labels = set(page.locator(".itinera-label").all_inner_texts())
    assert {"Basrah", "Baghdad"} <= labels
    page.get_by_text("routes → by actor (1)").click()  # folded until asked
    assert page.get_by_text("the surveyor →").is_visible()
    assert offline_page.console_errors == []


def test_over_decades_a_year_is_picked_first_then_the_months(offline_page, served, corpus):
    page = open_map(offline_page, served)
    page.select_option(".itinera-year-to", "1942")
    page.select_option(".itinera-year-from", "1942")
    assert page.locator(".itinera-time-label").inner_text() == "1942-01 \u2013 1942-12"
    located = [e for e in corpus.events if e.place_id in corpus.places]
    expected = len(in_window(located, "1942-01", "1942-12"))
    assert page.locator(".itinera-time-count").inner_text() == f"({expected} events shown)"
    set_slider(page, ".itinera-from", month_index(page, "1942-06"))  # then the months
    assert page.locator(".itinera-time-label").inner_text() == "1942-06 \u2013 1942-12"
    assert page.locator(".itinera-year-from").input_value() == "1942"
