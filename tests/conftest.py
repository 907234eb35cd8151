"""Shared fixtures: the seed texts, a real headless Chromium, and the dashboard on 127.0.0.1.

The browser is Debian's /usr/bin/chromium driven by Playwright (never ``playwright install``: it
downloads a browser and fails here). Every request that leaves loopback is blocked and recorded;
a test that caused one fails at teardown.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ITINERA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _seeds_dir() -> Path:
    env = os.environ.get("ITINERA_SEEDS")
    return Path(env) if env else REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = _seeds_dir()
    if not path.is_dir():
        pytest.fail(f"seed texts not found in {path} (set ITINERA_SEEDS)")
    return path


@pytest.fixture(scope="session")
def memoir_path(seeds_dir: Path) -> Path:
    return seeds_dir / "004_60b91b2e5b986131.txt"


@pytest.fixture(scope="session")
def article_path(seeds_dir: Path) -> Path:
    return seeds_dir / "000_9aca23f85ff4d91b.txt"


@pytest.fixture(scope="session")
def memoir_text(memoir_path: Path) -> str:
    return memoir_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article_text(article_path: Path) -> str:
    return article_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def standards() -> Path:
    """The WHG Linked Places schema and example (``ITINERA_STANDARDS`` overrides)."""
    env = os.environ.get("ITINERA_STANDARDS")
    path = Path(env) if env else REPO.parent / "shared" / "standards"
    if not (path / "whg-lpf-feature-schema-v1.2.2.json").exists():
        pytest.fail(f"WHG standards not found in {path} (set ITINERA_STANDARDS)")
    return path


@pytest.fixture(scope="session")
def validator(standards: Path):
    """A validator of one LPF feature against the WHG schema v1.2.2."""
    import jsonschema

    schema = json.loads((standards / "whg-lpf-feature-schema-v1.2.2.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests build their own gazetteer index and corrections, never touching the user's."""
    os.environ.setdefault("ITINERA_CACHE", str(tmp_path_factory.mktemp("itinera-cache")))
    os.environ.setdefault(
        "ITINERA_CORRECTIONS", str(tmp_path_factory.mktemp("corrections") / "corrections.json")
    )


# --- real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: scripts/test.sh should have installed it")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


class OfflinePage:
    """A page whose requests off loopback are blocked and remembered in ``external``."""

    def __init__(self, context, page):
        self.context = context
        self.page = page
        self.external: list[str] = []
        self.console_errors: list[str] = []


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    holder = OfflinePage(context, None)

    def guard(route):
        url = route.request.url
        parsed = urlparse(url)
        if (
            parsed.scheme in ("data", "blob", "about")
            or parsed.hostname in LOOPBACK
            or parsed.scheme == "file"
        ):
            route.continue_()
        else:
            holder.external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and holder.console_errors.append(m.text))
    holder.page = page
    yield holder
    context.close()
    assert not holder.external, f"requests left the machine: {holder.external[:5]}"


# --- the dashboard on 127.0.0.1 -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout}s")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path):
    """``itinera app`` on a free loopback port, with the seeds as its texts folder."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    env = dict(os.environ, ITINERA_TEXTS=str(seeds_dir), PYTHONUNBUFFERED="1")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mapapp.cli", "app", "--port", str(port), "--headless"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_stcore/health", proc=proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
