"""Shared fixtures: the seed texts, our own texts, a real headless Chromium, and the dashboard on 127.0.0.1.

``../shared`` (seed texts, WHG standards, corpora) is not in a user's clone. A test that reads it is
marked ``needs_shared`` (explicitly, or here because it uses a fixture that reads it) and skips with
one reason when it is absent; under ``CI`` with ``../shared`` present, such a skip fails the run.
Our own texts in ``tests/data`` (fiction, dirty on purpose) and the curated events over them
(``tests/data/corpus``) check the same behaviours everywhere.

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


DATA = REPO / "tests" / "data"
OWN_TEXTS = DATA / "texts"
OWN_CORPUS = DATA / "corpus"
SHARED_FIXTURES = frozenset(
    {"seeds_dir", "memoir_path", "article_path", "memoir_text", "article_text", "standards", "validator"}
)
SHARED_MISSING = "needs ../shared (seed texts, WHG standards, corpora), which a clone does not have"


def _seeds_dir() -> Path:
    env = os.environ.get("ITINERA_SEEDS")
    return Path(env) if env else REPO.parent / "shared" / "seeds"


def _standards_dir() -> Path:
    env = os.environ.get("ITINERA_STANDARDS")
    return Path(env) if env else REPO.parent / "shared" / "standards"


def shared_present() -> bool:
    """Whether ``../shared`` (or what ``ITINERA_SEEDS``/``ITINERA_STANDARDS`` name) is there."""
    return _seeds_dir().is_dir() or _standards_dir().is_dir()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that read ../shared through a fixture; skip every marked test when it is absent."""
    present = shared_present()
    skip = pytest.mark.skip(reason=SHARED_MISSING)
    for item in items:
        if SHARED_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.needs_shared)
        if not present and item.get_closest_marker("needs_shared") is not None:
            item.add_marker(skip)


_SKIPPED_SHARED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "needs_shared" in report.keywords:
        _SKIPPED_SHARED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, where ../shared exists, a skipped ``needs_shared`` test means a check did not run: fail."""
    if os.environ.get("CI") and shared_present() and _SKIPPED_SHARED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not shared_present():
        terminalreporter.write_line(
            f"{len(_SKIPPED_SHARED)} test(s) marked needs_shared skipped: {SHARED_MISSING}", yellow=True
        )
    elif os.environ.get("CI") and _SKIPPED_SHARED:
        terminalreporter.write_line(
            f"FAILED: {len(_SKIPPED_SHARED)} needs_shared test(s) skipped although ../shared exists, "
            f"e.g. {_SKIPPED_SHARED[0]}",
            red=True,
        )


@pytest.fixture(scope="session")
def own_texts_dir() -> Path:
    """Our own texts (fiction written for the tests), in every clone."""
    return OWN_TEXTS


@pytest.fixture(scope="session")
def own_corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (``ITINERA_DATA``) holding our sources and events over our own texts, and links to
    everything else of ``data/`` (the curated gazetteer, extracts, lexicons), whatever it grows to hold."""
    folder = tmp_path_factory.mktemp("own-data")
    for entry in (REPO / "data").iterdir():
        if entry.name not in ("sources.yaml", "events.csv", "events.yaml", "events.json"):
            (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    for entry in OWN_CORPUS.iterdir():
        (folder / entry.name).write_bytes(entry.read_bytes())
    return folder


@pytest.fixture(scope="session")
def notebook_text() -> str:
    """A fictional memoir: CRLF, backslashes, ``rom``, a no-break space, curly quotes, a dated quotation."""
    return (OWN_TEXTS / "signaller_notebook.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def letters_text() -> str:
    """Fictional dated letters: headings with dates, people named like places, relative dates."""
    return (OWN_TEXTS / "letters_far_east.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_data_dir(own_corpus_dir: Path) -> Path:
    """The data folder the dashboard and export tests read: ``data/`` when the seed texts are there,
    else ``own_corpus_dir`` (our sources and events from tests/data/corpus, the rest of data/)."""
    return REPO / "data" if _seeds_dir().is_dir() else own_corpus_dir


@pytest.fixture(scope="session")
def corpus_texts_dir() -> Path:
    """The texts ``corpus_data_dir``'s offsets count in: the seeds when present, else ours."""
    return _seeds_dir() if _seeds_dir().is_dir() else OWN_TEXTS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = _seeds_dir()
    if not path.is_dir():
        pytest.skip(f"seed texts not found in {path} (set ITINERA_SEEDS)")
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
    path = _standards_dir()
    if not (path / "whg-lpf-feature-schema-v1.2.2.json").exists():
        pytest.skip(f"WHG standards not found in {path} (set ITINERA_STANDARDS)")
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
