"""``itinera geocode``: a readable best match with its evidence, JSON on request, exit 1 when unknown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mapapp.cli import main


def test_historical_name_in_its_year(capsys):
    assert main(["geocode", "Stalingrad", "--when", "1942"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("Volgograd  [itinera:stalingrad]")
    assert "settlement at 48.7" in out
    assert "within 25 km" in out
    assert "matched name: Stalingrad" in out
    assert "citation: " in out
    assert "1925/1961, covering 1942" in out


def test_alternatives_are_listed_below(capsys):
    assert main(["geocode", "Moscow", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Moscow  [itinera:moscow]")
    alternatives = out.split("alternatives:\n", 1)[1].splitlines()
    assert len(alternatives) == 3
    assert alternatives[0].startswith("  2. Moscow [")  # the oblast, then the Moscows of GeoNames
    assert any("Moscow [geonames:" in line for line in alternatives)


def test_identification_note_and_validity_are_shown(capsys):
    assert main(["geocode", "Camp North"]) == 0
    out = capsys.readouterr().out
    assert "military base" in out
    assert "valid: 1942/1945" in out
    assert "identification: " in out


def test_json_output_is_machine_readable(capsys):
    assert main(["geocode", "Kharkov", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is True
    best = data["best"]
    assert best["id"] == "itinera:kharkov"
    assert best["name"] == "Kharkiv"
    assert best["matched_name"] == "Kharkov"
    assert abs(best["lat"] - 49.99) < 0.1 and abs(best["lon"] - 36.23) < 0.1
    assert best["uncertainty_km"] > 0 and best["reasons"] and best["fuzzy"] is False


def test_fuzzy_answer_says_so(capsys):
    assert main(["geocode", "Khabarovks"]) == 0
    assert "FUZZY" in capsys.readouterr().out


def test_unknown_name_exits_1_with_nearest_names():
    r = subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "geocode", "Khqbqrqvsk"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "not found" in r.stderr
    assert "Nearest names: Khabarovsk" in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_name_in_json_exits_1(capsys):
    assert main(["geocode", "Qxzvbnmor", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["found"] is False
    assert "not found" in captured.err


@pytest.mark.parametrize("when", ["soon", "19x2y"])
def test_bad_year_is_a_usage_error(capsys, when):
    assert main(["geocode", "Moscow", "--when", when]) == 2
    assert "not a year or EDTF date" in capsys.readouterr().err


class _RateLimited(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(429)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_online_failure_warns_and_prints_the_offline_answer(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = dict(os.environ, ITINERA_NOMINATIM_URL=f"http://127.0.0.1:{server.server_address[1]}")
        r = subprocess.run(
            [sys.executable, "-m", "mapapp.cli", "geocode", "Khabarovks", "--online"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 0
    assert "warning: online geocoder unavailable" in r.stderr
    assert "rate-limiting" in r.stderr
    assert r.stdout.startswith("Khabarovsk  [itinera:khabarovsk]")
