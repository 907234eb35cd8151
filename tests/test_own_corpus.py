"""The dashboard and the exports on our own curated corpus (tests/data/corpus over tests/data/texts), which
every clone has: what the seed-text corpus shows where ../shared exists, shown here everywhere."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "mapapp" / "app.py")
OUR_EVENTS = 14


@pytest.fixture
def our_env(monkeypatch, tmp_path, own_corpus_dir: Path, own_texts_dir: Path) -> dict[str, str]:
    env = {
        "ITINERA_DATA": str(own_corpus_dir),
        "ITINERA_TEXTS": str(own_texts_dir),
        "ITINERA_CORRECTIONS": str(tmp_path / "corrections.json"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("ITINERA_EVENTS", raising=False)
    return env


def test_the_dashboard_opens_on_our_corpus_with_every_event_and_no_problem(our_env):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == []
    table = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
    assert {"nb-march-camp-north", "rep-band-namyang", "le-moscow-rumour"} <= set(table["event_id"])
    (component,) = at.get("component_instance")
    assert "Itinera.eventLayer" in json.loads(component.proto.json_args)["feature_group"]


def test_export_of_our_corpus_writes_every_format_with_highlighted_passages(our_env, tmp_path: Path):
    out = tmp_path / "out"
    outputs = {"--geojson": "e.geojson", "--csv": "e.csv", "--lpf": "p.json", "--html": "m.html"}
    r = subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "export", "--offline"]
        + [x for flag, name in outputs.items() for x in (flag, str(out / name))],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, **our_env},
    )
    assert r.returncode == 0, r.stderr
    assert f"{OUR_EVENTS} events" in r.stdout + r.stderr
    features = json.loads((out / "e.geojson").read_text(encoding="utf-8"))["features"]
    assert {f["properties"].get("event_id") for f in features} >= {"nb-back-to-khabarovsk", "le-july-march"}
    rows = list(csv.DictReader((out / "e.csv").open(encoding="utf-8")))
    assert len(rows) == OUR_EVENTS
    places = {f["@id"] for f in json.loads((out / "p.json").read_text(encoding="utf-8"))["features"]}
    assert {"itinera:khabarovsk", "itinera:camp-north", "itinera:namyang"} <= places
    page = (out / "m.html").read_text(encoding="utf-8")
    assert "<mark>Khabarovsk<\\/mark>" in page  # a passage of our notebook, its place highlighted
