"""The opt-in online fallback, against a fake Nominatim on 127.0.0.1 (no real network).

The fake answers by query: a Nominatim-shaped JSON list for a known name, a 429 for "Ratelimitville",
a body that is not JSON for "Garbageburg", JSON of the wrong shape for "Wrongshapeton", an error
object for "Errorhaven", and a reply
slower than the client's timeout for "Slowgrad". Every failure must leave the offline answer standing
with a warning saying what went wrong.
"""

from __future__ import annotations

import json
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from gazetteer import Gazetteer, OnlineServiceWarning, ServiceUnavailable
from gazetteer.sources.online import OnlineSource

GOOD = [
    {
        "place_id": 1234,
        "osm_type": "node",
        "osm_id": 987654,
        "lat": "44.2",
        "lon": "133.5",
        "class": "place",
        "type": "village",
        "addresstype": "village",
        "name": "Zelyonyy Kut",
        "display_name": "Zelyonyy Kut, Primorsky Krai, Russia",
        "boundingbox": ["44.19", "44.21", "133.49", "133.51"],
    }
]


class FakeNominatim(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        q = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        type(self).hits.append(q)
        agent = self.headers.get("User-Agent", "")
        if q == "Slowgrad":
            time.sleep(2.0)
        if q == "Ratelimitville":
            self._send(429, b"Too Many Requests", "text/plain")
        elif q == "Garbageburg":
            self._send(200, b"<html>this is not json", "text/html")
        elif q == "Wrongshapeton":
            self._send(200, b'[{"name": "no coordinates here"}]', "application/json")
        elif q == "Errorhaven":
            self._send(200, b'{"error": {"code": 7, "message": "broken"}}', "application/json")
        elif q == "Agentcheck":
            body = [dict(GOOD[0], name=agent, osm_id=1)]
            self._send(200, json.dumps(body).encode(), "application/json")
        elif q in ("Zelyonyy Kut", "Slowgrad"):
            self._send(200, json.dumps(GOOD).encode(), "application/json")
        else:
            self._send(200, b"[]", "application/json")

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


@pytest.fixture(scope="module")
def fake_nominatim():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def gz_online(fake_nominatim, tmp_path):
    return Gazetteer(
        online=True,
        timeout=0.5,
        min_delay_seconds=0.0,
        service_options={"domain": fake_nominatim, "scheme": "http", "cache_dir": tmp_path},
    )


def test_good_answer_becomes_an_online_place_and_is_cached(gz_online):
    FakeNominatim.hits.clear()
    loc = gz_online.geocode("Zelyonyy Kut")
    assert loc is not None
    place = loc.raw["place"]
    assert place.source == "online"
    assert place.id == "online:nominatim:node/987654"
    assert place.feature_type == "settlement"
    assert (round(place.lat, 1), round(place.lon, 1)) == (44.2, 133.5)
    assert "OpenStreetMap" in place.citation
    assert "online geocoder" in loc.raw["reasons"]
    again = gz_online.geocode("Zelyonyy Kut")
    assert again.raw["place"] == place
    assert FakeNominatim.hits == ["Zelyonyy Kut"]  # the second answer came from the cache


def test_cache_survives_a_new_gazetteer(fake_nominatim, tmp_path):
    opts = {"domain": fake_nominatim, "scheme": "http", "cache_dir": tmp_path}
    first = Gazetteer(online=True, min_delay_seconds=0, service_options=opts)
    assert first.geocode("Zelyonyy Kut") is not None
    FakeNominatim.hits.clear()
    second = Gazetteer(online=True, min_delay_seconds=0, service_options=opts)
    assert second.geocode("Zelyonyy Kut").raw["place"].id == "online:nominatim:node/987654"
    assert FakeNominatim.hits == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("Ratelimitville", "rate-limiting"),
        ("Garbageburg", "not a geocoding result"),
        ("Wrongshapeton", "not a geocoding result"),
        ("Errorhaven", "reported an error"),
        ("Slowgrad", "did not answer within 0.5 s"),
    ],
)
def test_failing_service_warns_and_keeps_the_offline_answer(gz_online, query, says):
    with pytest.warns(OnlineServiceWarning, match=says):
        loc = gz_online.geocode(query)
    # Nothing online; at most an offline fuzzy guess ("Slowgrad" is close to a real town name).
    assert loc is None or (loc.raw["fuzzy"] and loc.raw["place"].source != "online")
    assert any(says in w for w in gz_online.last_warnings)


def test_failing_service_keeps_the_offline_fuzzy_answer(gz_online):
    # "Khabarovks" is nobody's exact name: online is asked (and fails), the fuzzy offline answer stands.
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        found = gz_online.candidates("Khabarovks", limit=3)
    assert found and found[0].fuzzy
    assert found[0].place.name == "Khabarovsk"


def test_service_that_is_down_is_reported(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = OnlineSource(cache_dir=tmp_path, domain=f"127.0.0.1:{port}", scheme="http", min_delay_seconds=0)
    with pytest.raises(ServiceUnavailable, match="unreachable or down"):
        src.search("Anywhere")


def test_offline_names_never_go_online(gz_online):
    FakeNominatim.hits.clear()
    assert gz_online.geocode("Vladivostok").raw["place"].source == "geonames"
    assert FakeNominatim.hits == []


def test_user_agent_names_itinera(gz_online):
    loc = gz_online.geocode("Agentcheck")
    assert loc.raw["place"].name.startswith("itinera/")


def test_endpoint_from_environment(fake_nominatim, tmp_path, monkeypatch):
    monkeypatch.setenv("ITINERA_NOMINATIM_URL", f"http://{fake_nominatim}")
    src = OnlineSource(cache_dir=tmp_path, min_delay_seconds=0)
    assert src.endpoint == f"http://{fake_nominatim}"
    assert src.search("Zelyonyy Kut")[0].place.name == "Zelyonyy Kut"


def test_unknown_service_is_a_clear_error(tmp_path):
    src = OnlineSource("no-such-service", cache_dir=tmp_path)
    with pytest.raises(ServiceUnavailable, match="unknown geocoding service"):
        src.search("Moscow")


def test_online_is_off_unless_asked():
    gz = Gazetteer()
    assert gz.online_source is None
    assert gz.geocode("Zelyonyy Kut") is None
