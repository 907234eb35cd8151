"""``itinera batch``: an archive geoparsed on Dask into GeoParquet, the same whatever the cluster.

The texts are our own, a few sentences each, written into a temporary folder; the clusters are real
``distributed`` clusters of worker processes on 127.0.0.1.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from gazetteer.batch import (
    BatchError,
    PartJob,
    input_paths,
    part_path,
    prepare_output,
    read_table,
    run_batch,
    run_part,
)
from mapapp.cli import main

TEXTS = {
    "01_letter.txt": "In June 1942 we left Moscow for Stalingrad by train. On 3 July we reached Kazan, "
    "where the regiment stayed until the autumn.\n",
    "02_diary.txt": "March 1915. The battalion marched from Paris to Lyon. A week later it crossed to "
    "Marseille and embarked for Alexandria.\n",
    "03_report.txt": "The mission sailed from Lisbon in May 1851 and arrived at Luanda in August. "
    "From there the fathers went inland.\n",
    "04_notes.txt": "No place is named in this short note, only the weather, which was cold and wet.\n",
    "05_memoir.txt": "After the war I went back to Vienna, and in 1947 I moved to Berlin with my family.\n",
}


def write_archive(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "06_scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return folder


def comparable(out: Path, table: str) -> pd.DataFrame:
    """A dataset as plain values: geometry as WKT, the parse times (which always differ) left out."""
    frame = read_table(out, table)
    frame = pd.DataFrame(frame.drop(columns=["geometry"])).assign(geometry=frame.geometry.to_wkt())
    return frame.drop(columns=["seconds"], errors="ignore")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return write_archive(tmp_path_factory.mktemp("batch") / "archive")


@pytest.fixture(scope="module")
def cluster():
    """A cluster of two worker processes listening on TCP on 127.0.0.1, as a remote one would."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    ) as c:
        assert c.scheduler_address.startswith("tcp://127.0.0.1:")
        yield c


@pytest.fixture(scope="module")
def runs(archive, cluster, tmp_path_factory) -> dict[str, Path]:
    """The same archive through one local worker, two local workers, and the TCP cluster with one
    document per part."""
    base = tmp_path_factory.mktemp("runs")
    paths = input_paths(archive)
    outs = {"one": base / "one", "two": base / "two", "tcp": base / "tcp"}
    run_batch(paths, outs["one"], workers=1, progress=False)
    run_batch(paths, outs["two"], workers=2, progress=False)
    run_batch(paths, outs["tcp"], scheduler=cluster.scheduler_address, size=1, progress=False)
    return outs


@pytest.mark.parametrize("table", ["documents", "mentions", "events"])
def test_one_worker_two_workers_and_a_tcp_cluster_write_the_same_rows_in_the_same_order(runs, table):
    one = comparable(runs["one"], table)
    pd.testing.assert_frame_equal(one, comparable(runs["two"], table))
    pd.testing.assert_frame_equal(one, comparable(runs["tcp"], table))


def test_rows_follow_the_input_order_document_by_document(runs, archive):
    docs = read_table(runs["two"], "documents")
    assert [Path(p).name for p in docs["document"]] == sorted(p.name for p in archive.iterdir())
    mentions = read_table(runs["two"], "mentions")
    first = mentions[mentions["document"].str.endswith("01_letter.txt")]
    assert list(first["text"][:3]) == ["Moscow", "Stalingrad", "Kazan"]
    assert list(first["position"]) == list(range(len(first)))


def test_parts_follow_the_part_size_and_not_the_cluster(runs):
    assert len(list((runs["tcp"] / "documents.parquet").glob("part.*.parquet"))) == 6
    assert part_path(runs["tcp"], "mentions", 5).exists()


def test_a_png_named_txt_is_recorded_as_failed_and_the_others_are_parsed(runs):
    docs = read_table(runs["one"], "documents").set_index(
        read_table(runs["one"], "documents")["document"].map(lambda p: Path(p).name)
    )
    assert "is a PNG image, not a text file" in docs.loc["06_scan.txt", "error"]
    assert docs["error"].isna().sum() == 5
    assert docs.loc["02_diary.txt", "words"] == len(TEXTS["02_diary.txt"].split())
    assert docs.loc["01_letter.txt", "mentions"] >= 3
    assert len(docs.loc["02_diary.txt", "sha256"]) == 64
    assert docs["mentions"].sum() == len(read_table(runs["one"], "mentions"))
    assert docs["events"].sum() == len(read_table(runs["one"], "events"))


def test_geoparquet_reads_back_in_wgs84_with_points_at_the_places(runs):
    import dask_geopandas
    import geopandas as gpd

    mentions = gpd.read_parquet(runs["two"] / "mentions.parquet")
    assert mentions.crs.to_epsg() == 4326
    paris = mentions[mentions["text"] == "Paris"].iloc[0]
    assert paris.geometry.x == pytest.approx(2.35, abs=0.05)
    assert paris.geometry.y == pytest.approx(48.86, abs=0.05)
    lazy = dask_geopandas.read_parquet(runs["two"] / "events.parquet")
    assert lazy.crs.to_epsg() == 4326
    events = lazy.compute()
    assert len(events) == len(read_table(runs["two"], "events"))
    assert {"kind", "role", "actors", "edtf", "passage_start", "geometry"} <= set(events.columns)
    located = events.dropna(subset=["lat"])
    assert (located.geometry.x == located["lon"]).all() and (located.geometry.y == located["lat"]).all()


def test_the_gazetteer_is_loaded_once_per_worker(runs, cluster):
    from distributed import Client

    def loads() -> int:
        from gazetteer.geoparser import default_gazetteer

        return default_gazetteer.cache_info().misses

    with Client(cluster.scheduler_address) as client:
        assert set(client.run(loads).values()) == {1}


def test_a_second_run_skips_the_documents_already_done_and_adds_the_new_one(archive, cluster, tmp_path):
    out = tmp_path / "out"
    first = run_batch(input_paths(archive), out, scheduler=cluster.scheduler_address, progress=False)
    assert (first.parsed, first.failed, first.skipped) == (5, 1, 0)
    (archive / "07_postcard.txt").write_text("Greetings from Naples, where we arrived in May 1960.\n")
    try:
        second = run_batch(input_paths(archive), out, scheduler=cluster.scheduler_address, progress=False)
    finally:
        (archive / "07_postcard.txt").unlink()
    assert (second.parsed, second.failed, second.skipped) == (1, 0, 6)
    docs = read_table(out, "documents")
    assert [Path(p).name for p in docs["document"]][-1] == "07_postcard.txt"
    assert docs["sha256"].is_unique
    assert "Naples" in set(read_table(out, "mentions")["text"])


def test_a_worker_killed_mid_run_costs_only_its_part_and_the_output_is_whole(archive, runs, tmp_path):
    import os
    import signal
    import threading
    import time

    from distributed import Client

    from gazetteer.batch import local_cluster

    out, finished = tmp_path / "out", {}
    with local_cluster(2) as c, Client(c) as client:

        def batch() -> None:
            finished["summary"] = run_batch(
                input_paths(archive), out, scheduler=c.scheduler_address, size=1, progress=False
            )

        runner = threading.Thread(target=batch)
        runner.start()
        deadline = time.monotonic() + 300
        while not part_path(out, "documents", 0).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        victim = next(iter(client.run(os.getpid).values()))
        os.kill(victim, signal.SIGKILL)  # its nanny starts a new worker; Dask runs the lost part again
        runner.join(600)
    assert (finished["summary"].parsed, finished["summary"].failed) == (5, 1)
    for table in ("documents", "mentions", "events"):
        pd.testing.assert_frame_equal(comparable(out, table), comparable(runs["one"], table))


def test_an_interrupted_part_is_removed_and_parsed_again(archive, tmp_path):
    out = tmp_path / "out"
    prepare_output(out)
    run_part(PartJob(0, (str(archive / "01_letter.txt"),), str(out)))
    part_path(out, "documents", 0).unlink()  # killed after the mentions, before the documents
    done, next_part = prepare_output(out)
    assert (done, next_part) == (set(), 0)
    assert not part_path(out, "mentions", 0).exists()


def test_inputs_are_a_folder_a_glob_a_text_or_a_list_of_paths(archive, tmp_path):
    folder = input_paths(archive)
    assert [p.name for p in folder] == sorted(p.name for p in archive.iterdir())
    assert input_paths(str(archive / "0[12]_*.txt")) == folder[:2]
    assert input_paths(archive / "03_report.txt") == [folder[2]]
    listing = tmp_path / "inputs.lst"
    listing.write_text(
        f"# two texts, in this order\n{archive / '05_memoir.txt'}\n\n{archive / '01_letter.txt'}\n"
    )
    assert input_paths(listing) == [folder[4], folder[0]]
    with pytest.raises(BatchError, match="no such folder, file or pattern"):
        input_paths(tmp_path / "nowhere")
    with pytest.raises(BatchError, match="matches no files"):
        input_paths(str(tmp_path / "*.txt"))


def test_itinera_batch_on_a_cluster_prints_a_summary_and_exits_1_for_the_failed_file(
    archive, cluster, tmp_path, capsys
):
    out = tmp_path / "out"
    code = main(["batch", str(archive), "--out", str(out), "--scheduler", cluster.scheduler_address])
    err = capsys.readouterr().err
    assert code == 1
    assert "6 documents: 5 parsed, 0 already done, 1 failed" in err
    assert "words/s" in err
    assert "documents.parquet (column error)" in err
    assert len(read_table(out, "documents")) == 6


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["--workers", "0"], 2, "--workers 0: must be 1 or more"),
        (["--scheduler", "localhost"], 2, "give an address such as tcp://HOST:8786"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], 2, "do not go together"),
        (["--document-date", "summer"], 2, "--document-date 'summer': not an EDTF date"),
    ],
)
def test_itinera_batch_refuses_bad_usage_in_one_line(archive, tmp_path, capsys, argv, code, message):
    assert main(["batch", str(archive), "--out", str(tmp_path / "o"), *argv]) == code
    assert message in capsys.readouterr().err


def test_itinera_batch_names_a_missing_input(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 1
    assert "nowhere: no such folder, file or pattern" in capsys.readouterr().err


def test_an_out_that_is_a_file_is_refused(archive, tmp_path, capsys):
    (tmp_path / "o").write_text("not a folder")
    assert main(["batch", str(archive), "--out", str(tmp_path / "o"), "--workers", "1"]) == 1
    assert "exists and is not a folder" in capsys.readouterr().err


# --- reading a batch folder back: export and dashboard ---------------------------------------------


def test_a_batch_folder_reads_back_as_one_source_per_parsed_document(runs, archive):
    from mapapp.batchdir import load_batch

    batch = load_batch(runs["two"])
    assert (batch.documents, batch.failed) == (6, 1)
    assert sorted(s.title for s in batch.sources.values()) == sorted(TEXTS)
    assert any("06_scan.txt: is a PNG image" in p for p in batch.problems)
    assert all(t.verified for t in batch.texts.values())
    letter = next(s for s in batch.sources.values() if s.title == "01_letter.txt")
    assert batch.texts[letter.id].text == TEXTS["01_letter.txt"]
    assert {"Moscow", "Stalingrad", "Kazan"} <= {
        m["text"] for m in batch.mentions if m["source_id"] == letter.id
    }


def test_a_batch_folder_gives_the_same_events_as_itinera_export_text(runs, archive):
    from mapapp.automatic import read_text_events
    from mapapp.batchdir import load_batch

    batch = load_batch(runs["two"])
    for name in TEXTS:
        direct = read_text_events(name, (archive / name).read_bytes())
        assert [e for e in batch.events if e.source_id == direct.source.id] == direct.events()


def test_a_text_changed_since_the_batch_keeps_its_events_but_not_its_passages(runs, archive):
    from mapapp.batchdir import load_batch

    before = load_batch(runs["two"])
    letter = archive / "01_letter.txt"
    letter.write_text("Rewritten since the batch read it.\n", encoding="utf-8")
    try:
        after = load_batch(runs["two"])
    finally:
        letter.write_text(TEXTS["01_letter.txt"], encoding="utf-8")
    source = next(s.id for s in after.sources.values() if s.title == "01_letter.txt")
    assert after.texts[source].status == "mismatch"
    assert "changed since the batch read it" in after.texts[source].message
    assert after.events == before.events


def test_itinera_export_batch_writes_its_events_and_names_the_failed_document(runs, tmp_path, capsys):
    import json

    from mapapp.batchdir import load_batch

    geojson, html = tmp_path / "events.geojson", tmp_path / "map.html"
    code = main(
        ["export", "--batch", str(runs["two"]), "--geojson", str(geojson), "--html", str(html), "--offline"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "06_scan.txt: is a PNG image" in captured.err
    features = json.loads(geojson.read_text())["features"]
    points = [f for f in features if f["geometry"]["type"] == "Point"]  # routes are LineStrings
    assert {f["properties"]["event_id"] for f in points} == {e.id for e in load_batch(runs["two"]).events}
    assert "Kazan" in html.read_text(encoding="utf-8")  # the mentions layer


def test_itinera_export_and_app_refuse_a_folder_that_is_not_a_batch(archive, tmp_path, capsys):
    assert main(["export", "--batch", str(archive), "--csv", str(tmp_path / "e.csv")]) == 1
    assert "not a batch output folder" in capsys.readouterr().err
    assert main(["app", "--batch", str(archive)]) == 1
    assert "not a batch output folder" in capsys.readouterr().err


def test_the_dashboard_shows_a_batch_folder_as_sources_events_and_mentions(runs, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from mapapp.batchdir import load_batch

    monkeypatch.setenv("ITINERA_BATCH", str(runs["two"]))
    monkeypatch.setenv("ITINERA_CORRECTIONS", str(tmp_path / "corrections.json"))
    monkeypatch.delenv("ITINERA_EVENTS", raising=False)
    monkeypatch.delenv("ITINERA_TEXTS", raising=False)
    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[1] / "mapapp" / "app.py"), default_timeout=180
    )
    at.run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
    assert {e.id for e in load_batch(runs["two"]).events} <= set(table["event_id"])
    at.checkbox(key="layer_mentions").check()
    at.run()
    assert not at.exception, at.exception
    (component,) = at.get("component_instance")
    assert "Kazan" in component.proto.json_args


WORKER_ENVIRONMENT = """
import json, os, sys
from distributed import Client
from gazetteer.batch import local_cluster

def environment():
    import dask

    found = {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}
    return {**found, "profiler": dask.config.get("distributed.worker.profile.enabled")}

if __name__ == "__main__":
    with local_cluster(1) as cluster, Client(cluster) as client:
        print(json.dumps(list(client.run(environment).values())))
"""


def test_local_workers_keep_glibcs_malloc_thresholds_one_blas_thread_and_no_profiler(tmp_path):
    """Dask's nanny would set MALLOC_TRIM_THRESHOLD_, which turns off glibc's dynamic mmap threshold
    and makes every parse pay for page faults, and its profiler would keep a quarter hour of stacks
    that no dashboard shows; the workers of ``itinera batch`` run without either. A fresh process,
    because a nanny started with Dask's defaults leaves the variable in its parent's environment."""
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "worker_environment.py"
    script.write_text(WORKER_ENVIRONMENT)
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1", "profiler": False}
    ]
