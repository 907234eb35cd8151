"""``itinera parse``: a readable table, JSON Lines, GeoJSON; folders in two processes; bad files named.

Each behaviour is checked on our own texts (tests/data/texts); the seed-text checks need ../shared."""

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


@pytest.mark.needs_shared
def test_default_output_is_a_readable_table(memoir_path: Path, capsys):
    assert main(["parse", str(memoir_path)]) == 0
    out = capsys.readouterr().out
    assert "PLACES" in out and "DATES" in out and "EVENTS" in out
    assert "itinera:camp-north" in out
    assert "1943-22" in out
    assert "Kwantung Army)" in out  # a place inside an organisation's name, shown with it


@pytest.mark.needs_shared
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


@pytest.mark.needs_shared
def test_geojson_is_one_feature_collection(article_path: Path, capsys):
    assert main(["parse", str(article_path), "--geojson", "--document-date", "2022"]) == 0
    fc = json.loads(capsys.readouterr().out)
    assert fc["type"] == "FeatureCollection"
    ids = {f["properties"]["place_id"] for f in fc["features"]}
    assert {"itinera:manchuria", "itinera:north-korea", "geonames:1581130"} <= ids
    events = [f for f in fc["features"] if f["properties"]["type"] == "event"]
    assert all(f["properties"]["edtf"] for f in events)


def test_a_bad_document_date_is_a_usage_error(own_texts_dir: Path, capsys):
    assert main(["parse", str(own_texts_dir / "letters_far_east.txt"), "--document-date", "1930s"]) == 2
    assert "not an EDTF date" in capsys.readouterr().err


def test_missing_path_is_reported(tmp_path: Path, capsys):
    assert main(["parse", str(tmp_path / "nope.txt")]) == 1
    assert "nope.txt: no such file or folder" in capsys.readouterr().err


def test_the_table_of_our_notebook_has_its_places_and_dates(own_texts_dir: Path, capsys):
    assert main(["parse", str(own_texts_dir / "signaller_notebook.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{own_texts_dir / 'signaller_notebook.txt'}: ")
    assert "PLACES" in out and "DATES" in out and "EVENTS" in out
    assert "itinera:khabarovsk" in out and "Soviet\\union" in out
    assert "the spring of 1942" in out and "1942-21" in out


def test_json_lines_of_our_dirty_notebook_point_into_the_file_as_given(
    own_texts_dir: Path, notebook_text: str, capsys
):
    path = own_texts_dir / "signaller_notebook.txt"
    assert main(["parse", str(path), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {x["type"] for x in lines} >= {"mention", "date"}
    assert all(x["file"] == str(path) for x in lines)
    for x in lines:
        if x["type"] in ("mention", "date"):
            assert notebook_text[x["start"] : x["end"]] == x["text"]
    soviet = next(x for x in lines if x.get("place_id") == "itinera:soviet-union")
    assert soviet["text"] == "Soviet\\union"


def test_geojson_of_our_letters_is_one_feature_collection(own_texts_dir: Path, capsys):
    path = own_texts_dir / "letters_far_east.txt"
    assert main(["parse", str(path), "--geojson", "--document-date", "1942"]) == 0
    fc = json.loads(capsys.readouterr().out)
    assert fc["type"] == "FeatureCollection"
    ids = {f["properties"]["place_id"] for f in fc["features"]}
    assert {"itinera:khabarovsk", "itinera:camp-south", "itinera:manchuria"} <= ids
    assert all(f["geometry"]["type"] == "Point" for f in fc["features"])


def test_input_over_the_size_limit_is_refused_before_any_work_naming_the_option(own_texts_dir: Path):
    r = run(str(own_texts_dir), "--max-size", "1kB")
    assert r.returncode == 1 and r.stdout == ""
    assert "2 files hold 2 kB, over the limit of 1 kB" in r.stderr
    assert "--max-size 3kB raises it" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_size_that_is_not_a_size_is_a_usage_error(own_texts_dir: Path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["parse", str(own_texts_dir), "--max-size", "lots"])
    assert exit_.value.code == 2
    assert "'lots' is not a size" in capsys.readouterr().err


@pytest.fixture
def mixed_folder(tmp_path: Path, letters_text: str) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a_letters.txt").write_text(letters_text, encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "d_utf16.txt").write_bytes("We went to Khabarovsk in July 1942.".encode("utf-16"))
    (folder / "e_cp1252.txt").write_bytes("Caf\u00e9 talk in Kiev \u2013 spring of 1942.".encode("cp1252"))
    return folder


def test_a_folder_is_parsed_file_by_file_and_bad_files_are_named(mixed_folder: Path):
    r = run(str(mixed_folder), "--json", "--progress")
    assert r.returncode == 1
    assert "b_empty.txt: the file is empty" in r.stderr
    assert "c_binary.txt: is a binary file" in r.stderr
    assert "e_cp1252.txt: not valid UTF-8" in r.stderr  # read anyway, with a warning
    assert "2 of 5 file(s) could not be parsed" in r.stderr
    assert "Traceback" not in r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    by_file = {Path(x["file"]).name for x in lines}
    assert by_file == {"a_letters.txt", "d_utf16.txt", "e_cp1252.txt"}
    found = {(Path(x["file"]).name, x.get("place_id")) for x in lines if x["type"] == "mention"}
    assert ("d_utf16.txt", "itinera:khabarovsk") in found
    assert ("e_cp1252.txt", "itinera:kiev") in found
    assert "parsing" in r.stderr  # the progress bar, asked for


def test_no_progress_bar_when_stderr_is_not_a_terminal(own_texts_dir: Path):
    r = run(str(own_texts_dir), "--json")
    assert r.returncode == 0 and "parsing" not in r.stderr


def test_a_folder_without_text_files_is_refused(tmp_path: Path, capsys):
    assert main(["parse", str(tmp_path)]) == 1
    assert "no .txt files" in capsys.readouterr().err


def test_parse_names_the_narrator_as_the_actor(tmp_path):
    import subprocess
    import sys

    diary = tmp_path / "1916-03-03.txt"
    diary.write_text("We embarked at Suez for Basra and passed Aden two days later.\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "parse", str(diary), "--json", "--narrator", "J. Smith"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    events = [r for r in map(json.loads, out.splitlines()) if r["type"] == "event"]
    assert events and all(e["actors"] == ["J. Smith"] for e in events)
    assert all(e["edtf"] and e["edtf"].startswith("1916-03") for e in events)  # dated by the file's name
