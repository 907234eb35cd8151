"""The map builder: offline assets, escaped popups, the period basemap, layers and time windows."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date

import folium
import pytest
from shapely.geometry import Point

from gazetteer.places import Place, read_lpf
from gazetteer.resources import data_dir
from mapapp import assets, basemap
from mapapp.build import DEFAULT_LAYERS, build_map, great_circle, passage_html
from mapapp.models import Event, Source


@pytest.fixture(scope="session")
def places() -> dict[str, Place]:
    return {p.id: p for p in read_lpf(data_dir() / "places.lpf.json")}


@pytest.fixture(scope="session")
def sources() -> dict[str, Source]:
    return {
        "memoir": Source(id="memoir", title="A memoir", kind="memoir", text_file="004_60b91b2e5b986131.txt")
    }


def ev(eid: str, kind: str, place: str, edtf: str, **kw) -> Event:
    kw.setdefault("summary", f"synthetic {kind} at {place}")
    return Event(id=eid, actors=("Brigade",), kind=kind, place_id=place, edtf=edtf, source_id="memoir", **kw)


@pytest.fixture(scope="session")
def events() -> list[Event]:
    return [
        ev("base-north", "base", "itinera:camp-north", "1942-07"),
        ev("stay-khab", "stay", "itinera:khabarovsk", "1942-22"),
        ev("move-yanan", "move", "itinera:yanan", "1944", from_place_id="itinera:khabarovsk"),
        ev("claim-berlin", "claim", "itinera:berlin", "1945-05", contest_note="the narrator denies it"),
        ev("meet-south", "meeting", "itinera:camp-south", "1942-21"),
        ev("undated-seoul", "stay", "itinera:seoul", ""),
    ]


def render(m: folium.Map) -> str:
    return m.get_root().render()


def layer_payloads(html: str, factory: str) -> list[dict]:
    """The JSON data of every ``Itinera.<factory>(...)`` layer in a rendered page."""
    out = []
    for match in re.finditer(rf"Itinera\.{factory}\((\{{.*?\}}|\[.*?\]), \{{", html):
        out.append(json.loads(match.group(1)))
    return out


def test_rendered_map_references_nothing_off_the_machine(events, places, sources):
    m = build_map(events, places, sources=sources, time_control=True, mentions=[])
    html = render(m)
    assert assets.remote_references(html) == []
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "netdna.bootstrapcdn.com"):
        assert host not in html
    # Leaflet 1.9.3 itself is inlined from the XStatic package
    assert assets.data_uri("leaflet") in html
    assert "bootstrap" not in html.lower()


def test_every_element_uses_local_assets_including_the_marker_cluster(events, places):
    mentions = [{"lat": 48.48, "lon": 135.07, "text": "Khabarovsk", "name": "Khabarovsk"}]
    m = build_map(events, places, mentions=mentions, asset_mode="file")
    urls = [
        url
        for el in assets.walk(m)
        for _, url in getattr(el, "default_js", []) + getattr(el, "default_css", [])
    ]
    assert urls and all(u.startswith("file://") for u in urls)
    assert any(u.endswith("leaflet.markercluster.js") for u in urls)


def test_an_unknown_remote_asset_is_refused():
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(assets.OfflineAssetError, match="Fullscreen"):
        assets.localize(m)


def test_leaflet_css_images_are_inlined_into_its_data_uri():
    css = assets.asset_bytes("leaflet_css").decode()
    assert "images/layers.png" not in css
    assert 'url("data:image/png;base64,' in css


def test_without_tiles_the_map_has_its_own_max_zoom(events, places):
    m = build_map(events, places)
    assert m.options["maxZoom"] == 10
    assert not [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert "maxZoom" in render(m)


def test_osm_tiles_are_an_option_not_the_default(events, places):
    online = render(build_map(events, places, tiles="osm"))
    assert "tile.openstreetmap.org" in online
    assert "tile.openstreetmap.org" not in render(build_map(events, places))


def test_script_in_a_summary_and_markup_in_a_place_name_show_as_text(places):
    evil = dict(places)
    evil["itinera:khabarovsk"] = Place(
        "itinera:khabarovsk", "Khabarovsk <b>bold</b>", "settlement", 48.48, 135.07
    )
    bad = ev(
        "x", "stay", "itinera:khabarovsk", "1942", summary="<script>alert(1)</script>", contest_note="<i>"
    )
    html = render(build_map([bad], evil, time_control=True))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold" not in html


def test_layers_split_bases_other_events_contested_and_undated(events, places):
    m = build_map(events, places)
    assert m.itinera.shown["bases"] == 2
    assert m.itinera.shown["events"] == 2  # the move and the meeting
    assert m.itinera.shown["contested"] == 1  # the Berlin claim
    assert m.itinera.undated == ["undated-seoul"]
    assert m.itinera.shown["undated"] == 1


def test_summer_1942_event_is_kept_by_a_july_window_and_1944_is_not(events, places):
    m = build_map(events, places, window=("1942-07", "1942-07"))
    payload = layer_payloads(render(m), "eventLayer")
    ids = {row[11] for p in payload for row in p["rows"]}
    assert {"base-north", "stay-khab"} <= ids
    assert "move-yanan" not in ids
    assert "meet-south" not in ids  # spring 1942 ends in May


def test_event_rows_carry_lon_lat_and_day_spans(events, places):
    html = render(build_map(events, places, layers={"bases"}))
    (payload,) = layer_payloads(html, "eventLayer")
    row = next(r for r in payload["rows"] if r[11] == "stay-khab")
    lon, lat, t0, t1 = row[0], row[1], row[3], row[4]
    assert 134.5 < lon < 135.5 and 48.0 < lat < 49.0
    assert t0 == basemap.day_number(date(1942, 6, 1)) and t1 == basemap.day_number(date(1942, 8, 31))


def test_unknown_layer_name_is_rejected(events, places):
    with pytest.raises(ValueError, match="unknown layers"):
        build_map(events, places, layers={"bases", "roads"})


def test_polities_follow_the_time_window(places):
    in_1942 = basemap.polity_layer(places, (100, 30, 150, 60), date(1942, 1, 1), date(1942, 12, 31))
    in_1950 = basemap.polity_layer(places, (100, 30, 150, 60), date(1950, 1, 1), date(1950, 12, 31))
    ids_1942 = {f["properties"]["id"] for f in in_1942["features"]}
    ids_1950 = {f["properties"]["id"] for f in in_1950["features"]}
    assert {"itinera:manchukuo", "itinera:chosen", "itinera:soviet-union"} <= ids_1942
    assert "itinera:manchukuo" not in ids_1950 and "itinera:chosen" not in ids_1950
    assert "itinera:soviet-union" in ids_1950


def test_land_is_decoded_from_topojson_and_has_no_modern_borders():
    land = basemap._land()
    assert land.contains(Point(135.07, 48.48))  # Khabarovsk
    assert not land.contains(Point(134.0, 40.0))  # the Sea of Japan
    layers = basemap.physical_layers((100.0, 30.0, 150.0, 60.0))
    assert len(layers["land"]["features"]) == 1  # one land mass feature, no countries
    assert any(f["properties"]["name"] == "Amur" for f in layers["rivers"]["features"])
    assert len(json.dumps(layers)) < 300_000


def test_long_route_follows_a_great_circle_and_never_jumps_the_antimeridian():
    path = great_circle(135.07, 48.48, -157.97, 21.37)  # Khabarovsk -> Pearl Harbor
    assert len(path) > 10
    assert all(abs(b[0] - a[0]) < 10 for a, b in itertools.pairwise(path))
    assert path[-1][0] == pytest.approx(-157.97 + 360, abs=1e-6)


def test_passage_is_escaped_and_marks_the_place_name(memoir_text):
    i = memoir_text.index("Khabarovsk")
    html = passage_html(memoir_text, i - 40, i + 40, ["Khabarovsk"])
    assert "<mark>Khabarovsk</mark>" in html
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


def test_popup_has_the_passage_when_the_text_is_given(places, sources, memoir_text):
    i = memoir_text.index("Khabarovsk")
    e = ev("p", "stay", "itinera:khabarovsk", "1941", passage_start=i - 30, passage_end=i + 30)
    with_text = render(build_map([e], places, sources=sources, texts={"memoir": memoir_text}))
    without = render(build_map([e], places, sources=sources))
    assert "<mark>Khabarovsk<\\/mark>" in with_text  # "</" is written "<\/" inside a script
    assert "<mark>" not in without


def test_mentions_are_clustered_with_circle_markers(places, events):
    mentions = [{"lat": 48.48, "lon": 135.07, "text": "Khabarovsk"}, {"lat": None, "lon": None, "text": "x"}]
    m = build_map(events, places, mentions=mentions)
    assert m.itinera.shown["mentions"] == 1
    html = render(m)
    assert "L.markerClusterGroup" in html and "itinera-mention" in html


def test_default_layers_leave_uncertainty_off():
    assert "uncertainty" not in DEFAULT_LAYERS


def test_template_syntax_in_data_is_not_evaluated(places):
    tricky = ev("t", "stay", "itinera:khabarovsk", "1942", summary="{{ 7*7 }} {% if x %} {# c #}")
    html = render(build_map([tricky], places, time_control=True))
    assert "&#123;&#123; 7*7 &#125;&#125;" in html
    assert "49" not in html.split("Itinera.eventLayer(")[1].split("\n")[0]


def test_font_awesome_solid_is_available_with_its_font_inlined():
    css = assets.asset_bytes("fontawesome_solid_css").decode()
    assert 'url("data:font/woff2;base64,' in css
    assert ".ttf" not in css
