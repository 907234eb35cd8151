"""``itinera parse``: a readable table, JSON Lines, GeoJSON; folders in two processes; bad files named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.cli import main

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "parse", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env=dict(os.environ),
    )


def test_default_output_is_a_readable_table(memoir_path: Path, capsys):
    assert main(["parse", str(memoir_path)]) == 0
    out = capsys.readouterr().out
    assert "PLACES" in out and "DATES" in out and "CANDIDATE EVENTS" in out
    assert "itinera:camp-north" in out
    assert "1943-22" in out
    assert "(in Kwantung Army)" in out


def test_json_lines_follow_the_contract(memoir_path: Path, memoir_text: str, capsys):
    assert main(["parse", str(memoir_path), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mentions = [x for x in lines if x["type"] == "mention"]
    dates = [x for x in lines if x["type"] == "date"]
    events = [x for x in lines if x["type"] == "event"]
    assert mentions and dates and events
    keys = {
        "start",
        "end",
        "text",
        "place_id",
        "name",
        "lat",
        "lon",
        "feature_type",
        "uncertainty_km",
        "score",
    }
    for m in mentions:
        assert keys <= m.keys()
        assert memoir_text[m["start"] : m["end"]] == m["text"]
    for d in dates:
        assert {"start", "end", "text", "edtf"} <= d.keys()
        assert memoir_text[d["start"] : d["end"]] == d["text"]
    soviet = next(m for m in mentions if m["place_id"] == "itinera:soviet-union")
    assert soviet["text"] == "Soviet\\union"


def test_geojson_is_one_feature_collection(article_path: Path, capsys):
    assert main(["parse", str(article_path), "--geojson", "--document-date", "2022"]) == 0
    fc = json.loads(capsys.readouterr().out)
    assert fc["type"] == "FeatureCollection"
    ids = {f["properties"]["place_id"] for f in fc["features"]}
    assert {"itinera:manchuria", "itinera:north-korea", "geonames:1581130"} <= ids
    events = [f for f in fc["features"] if f["properties"]["type"] == "event"]
    assert all(f["properties"]["edtf"] for f in events)


def test_a_bad_document_date_is_a_usage_error(article_path: Path, capsys):
    assert main(["parse", str(article_path), "--document-date", "1930s"]) == 2
    assert "not an EDTF date" in capsys.readouterr().err


def test_missing_path_is_reported(tmp_path: Path, capsys):
    assert main(["parse", str(tmp_path / "nope.txt")]) == 1
    assert "nope.txt: no such file or folder" in capsys.readouterr().err


@pytest.fixture
def mixed_folder(tmp_path: Path, article_text: str) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a_article.txt").write_text(article_text, encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "d_utf16.txt").write_bytes("We went to Khabarovsk in July 1942.".encode("utf-16"))
    (folder / "e_cp1252.txt").write_bytes("Caf\u00e9 talk in Kiev \u2013 spring of 1942.".encode("cp1252"))
    return folder


def test_a_folder_is_parsed_file_by_file_and_bad_files_are_named(mixed_folder: Path):
    r = run(str(mixed_folder), "--json")
    assert r.returncode == 1
    assert "b_empty.txt: the file is empty" in r.stderr
    assert "c_binary.txt: is a binary file" in r.stderr
    assert "e_cp1252.txt: not valid UTF-8" in r.stderr  # read anyway, with a warning
    assert "2 of 5 file(s) could not be parsed" in r.stderr
    assert "Traceback" not in r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    by_file = {Path(x["file"]).name for x in lines}
    assert by_file == {"a_article.txt", "d_utf16.txt", "e_cp1252.txt"}
    found = {(Path(x["file"]).name, x.get("place_id")) for x in lines if x["type"] == "mention"}
    assert ("d_utf16.txt", "itinera:khabarovsk") in found
    assert ("e_cp1252.txt", "itinera:kiev") in found
    assert "parsing" in r.stderr  # the progress bar


def test_a_folder_without_text_files_is_refused(tmp_path: Path, capsys):
    assert main(["parse", str(tmp_path)]) == 1
    assert "no .txt files" in capsys.readouterr().err
