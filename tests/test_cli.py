"""The one console command: help, version, and usage errors with non-zero exit codes."""

import subprocess
import sys

import pytest

from mapapp import __version__
from mapapp.cli import app_command, main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mapapp.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_version_names_the_package():
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"itinera {__version__}"


@pytest.mark.parametrize("command", ["geocode", "parse", "export", "app"])
def test_every_subcommand_has_help(command):
    r = run(command, "--help")
    assert r.returncode == 0
    assert f"usage: itinera {command}" in r.stdout


def test_no_subcommand_is_a_usage_error():
    r = run()
    assert r.returncode == 2
    assert "COMMAND" in r.stderr


def test_unknown_subcommand_is_a_usage_error():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_app_rejects_a_bad_port(capsys):
    assert main(["app", "--port", "70000"]) == 2
    assert "not a port number" in capsys.readouterr().err


def test_app_binds_loopback_and_never_phones_home():
    cmd = app_command(8765, headless=True)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    assert cmd[cmd.index("--server.port") + 1] == "8765"


def test_public_surface_offers_the_verbs():
    import mapapp

    for name in mapapp.__all__:
        assert getattr(mapapp, name) is not None
    corpus = mapapp.load_corpus()
    assert len(corpus.events) > 50
    assert mapapp.in_window(corpus.events, "1942-07-01", "1942-07-31")


def test_the_app_passes_streamlit_the_one_upload_limit_the_dashboard_states():
    from mapapp.uploads import UPLOAD_LIMIT_MB

    cmd = app_command(8765, headless=True)
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == str(UPLOAD_LIMIT_MB) == "20"
