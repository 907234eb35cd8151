"""Big and hostile input for ``itinera parse`` and ``gazetteer.files``: each gets a result or a message
naming the file, never a traceback, in bounded time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer.errors import TextInputError
from gazetteer.files import CHUNK_CHARS, OVERLAP_CHARS, _chunks, check_size, parse_files, text_files
from gazetteer.text import read_text, stream_encoding

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapapp.cli", "parse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
    )


def records(path: Path, **kw) -> list[dict]:
    out = []
    for piece in parse_files([path], **kw):
        assert piece.error is None, piece.error
        out.extend(piece.records)
    return out


# --- size -----------------------------------------------------------------------------------------------


def test_a_20_mb_file_is_refused_up_front_with_the_limit_and_the_option(tmp_path: Path):
    big = tmp_path / "dump.txt"
    with open(big, "wb") as f:
        f.truncate(20_000_000)  # sparse: the refusal must come from the size alone, before any reading
    r = run(str(big), "--json", timeout=60)
    assert r.returncode == 1 and r.stdout == ""
    assert "the text is 20.0 MB, over the limit of 4.0 MB" in r.stderr
    assert "--max-size 20.0MB raises it" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_limit_counts_every_file_of_a_folder(tmp_path: Path):
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text("We went to Khabarovsk. " * 100)
    assert check_size(paths, 10_000) == 6_900
    with pytest.raises(Exception, match="3 files hold 7 kB, over the limit of 5 kB"):
        check_size(paths, 5_000)


# --- chunks: offsets into the whole file ----------------------------------------------------------------


def test_a_2_mb_single_line_is_cut_at_sentence_ends_into_chunks_that_cover_it(tmp_path: Path):
    sentence = "In July 1942 we went from Khabarovsk to Camp North, then crossed the Ussuri. "
    line = tmp_path / "line.txt"
    line.write_text(sentence * (2_000_000 // len(sentence)), encoding="utf-8")
    text = line.read_text(encoding="utf-8")
    covered = 0
    for base, chunk, keep_from in _chunks(line, "utf-8", CHUNK_CHARS):
        assert text[base : base + len(chunk)] == chunk
        assert base + keep_from == covered  # no gap, no double count
        assert keep_from <= OVERLAP_CHARS and len(chunk) - keep_from <= CHUNK_CHARS
        assert chunk.endswith(". ") or base + len(chunk) == len(text)
        covered = base + len(chunk)
    assert covered == len(text)


def test_a_line_without_any_space_is_cut_where_it_must(tmp_path: Path):
    blob = tmp_path / "blob.txt"
    blob.write_text("Khabarovsk" * 25_000, encoding="utf-8")
    pieces = list(_chunks(blob, "utf-8", CHUNK_CHARS))
    assert [len(c) - k for _, c, k in pieces] == [CHUNK_CHARS, CHUNK_CHARS, 50_000]


def test_crlf_is_kept_so_offsets_count_the_text_as_given(tmp_path: Path, notebook_text: str):
    path = tmp_path / "notebook.txt"
    path.write_bytes(notebook_text.encode("utf-8"))
    ((base, chunk, keep_from),) = _chunks(path, "utf-8", CHUNK_CHARS)
    assert (base, keep_from) == (0, 0) and chunk == notebook_text


def test_parsing_in_small_chunks_finds_what_one_parse_finds(tmp_path: Path, notebook_text: str):
    path = tmp_path / "notebook.txt"
    path.write_bytes(notebook_text.encode("utf-8"))
    whole = records(path, workers=1)
    chunked = records(path, workers=1, chunk_chars=400)
    assert len({r.get("start") for r in chunked if r["type"] == "mention"}) > 5

    def spans(rs, kind):
        return [(r["start"], r["end"], r.get("place_id")) for r in rs if r["type"] == kind]

    # the same spans; a place's reading may differ where a small chunk sees fewer of the text's places
    assert [s[:2] for s in spans(chunked, "mention")] == [s[:2] for s in spans(whole, "mention")]
    same = sum(a == b for a, b in zip(spans(chunked, "mention"), spans(whole, "mention"), strict=True))
    assert same >= 0.85 * len(spans(whole, "mention"))
    assert [s[:2] for s in spans(chunked, "date")] == [s[:2] for s in spans(whole, "date")]
    for r in chunked:
        if r["type"] in ("mention", "date"):
            assert notebook_text[r["start"] : r["end"]] == r["text"]


def test_ten_thousand_mentions_of_one_place_in_chunks_on_two_processes(tmp_path: Path):
    path = tmp_path / "khabarovsk.txt"
    path.write_text("We went to Khabarovsk. " * 10_000, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    found = [r for r in records(path, workers=2) if r["type"] == "mention"]
    assert len(found) == 10_000
    assert {r["place_id"] for r in found} == {"itinera:khabarovsk"}
    assert all(text[r["start"] : r["end"]] == "Khabarovsk" for r in found)
    assert len({r["start"] for r in found}) == 10_000


# --- folders and files that are not what they seem ------------------------------------------------------


def test_a_folder_of_two_thousand_small_files_is_parsed_file_by_file(tmp_path: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    places = ["Khabarovsk", "Moscow", "Kiev", "Seoul", "Yanan"]
    for i in range(2_000):
        (folder / f"note_{i:04d}.txt").write_text(f"Note {i}: we reached {places[i % 5]} that week.\n")
    listing = text_files(folder)
    assert len(listing.paths) == 2_000 and listing.problems == []
    r = run(str(folder), "--json")
    assert r.returncode == 0, r.stderr[-500:]
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    files = {x["file"] for x in lines if x["type"] == "mention"}
    assert len(files) == 2_000
    first = next(x for x in lines if x["file"].endswith("note_0003.txt") and x["type"] == "mention")
    assert first["place_id"] == "itinera:seoul"


def test_a_file_that_vanishes_after_listing_is_named_and_the_rest_parsed(tmp_path: Path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("We went to Khabarovsk in July 1942.\n")
    paths = text_files(tmp_path).paths
    (tmp_path / "a.txt").unlink()
    pieces = list(parse_files(paths, workers=1))
    errors = [p.error for p in pieces if p.error]
    assert errors == [f"{tmp_path / 'a.txt'}: no such file (it may have been removed while being read)"]
    assert any(r.get("place_id") == "itinera:khabarovsk" for p in pieces for r in p.records)


def test_a_fifo_named_txt_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text("We went to Moscow.\n")
    r = run(str(tmp_path), "--json", timeout=120)
    assert r.returncode == 1
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in r.stderr
    assert "itinera:moscow" in r.stdout and "Traceback" not in r.stderr
    with pytest.raises(TextInputError, match="FIFO"):
        read_text(fifo)


def test_a_folder_named_like_a_text_is_walked_into_not_read(tmp_path: Path):
    inner = tmp_path / "chapter.txt"
    inner.mkdir()
    (inner / "page.txt").write_text("We went to Kiev.\n")
    assert text_files(tmp_path).paths == [inner / "page.txt"]
    with pytest.raises(TextInputError, match="is a folder, not a text file"):
        stream_encoding(inner)


def test_symlink_loops_and_broken_links_are_named_not_followed_forever(tmp_path: Path):
    (tmp_path / "real.txt").write_text("We went to Seoul.\n")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    listing = text_files(tmp_path)
    assert listing.paths == [tmp_path / "gone.txt", tmp_path / "real.txt", tmp_path / "self.txt"]
    assert any("a loop" in p for p in listing.problems)
    r = run(str(tmp_path), "--json", timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{tmp_path / 'self.txt'}: is a loop of symbolic links" in r.stderr
    assert f"{tmp_path / 'gone.txt'}: is a broken link (its target does not exist)" in r.stderr
    assert "itinera:seoul" in r.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_named(tmp_path: Path):
    locked = tmp_path / "locked.txt"
    locked.write_text("We went to Kiev.\n")
    locked.chmod(0)
    with pytest.raises(TextInputError, match=r"locked\.txt: cannot be read \(permission denied\)"):
        stream_encoding(locked)


def test_a_folder_that_cannot_be_listed_is_named(tmp_path: Path):
    listing = text_files(tmp_path / "gone")
    assert listing.paths == []
    assert listing.problems == [f"{tmp_path / 'gone'}: cannot be listed (No such file or directory)"]
