"""Take the README's screenshot: ``itinera app`` on the first corpus, in Debian's headless Chromium.

Starts the dashboard on a free 127.0.0.1 port, blocks every request that leaves the machine, opens an
event beside the map and saves ``docs/screenshot.png`` (1400x1000). The seed texts are not ours, so by
default the app gets no texts folder and the picture shows no passage of them (``--texts DIR`` for a
private picture with passages).
Run: ``.venv/bin/python scripts/screenshot.py [--out docs/screenshot.png] [--pick 1942-07-22]``
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ITINERA_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout}s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    ap.add_argument("--texts", type=Path, default=None, help="texts folder (default: none, no passages)")
    ap.add_argument("--pick", default="1942-07-22", help="text that picks the event to open beside the map")
    ap.add_argument("--window", nargs=2, default=("1941-06", "1943-12"), metavar=("FROM", "TO"))
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    env = dict(os.environ, ITINERA_CORRECTIONS=str(Path(tempfile.mkdtemp()) / "corrections.json"))
    env.pop("ITINERA_TEXTS", None)
    if args.texts:
        env["ITINERA_TEXTS"] = str(args.texts)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mapapp.cli", "app", "--port", str(port), "--headless"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_stcore/health", proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            external: list[str] = []

            def guard(route):
                host = urlparse(route.request.url).hostname
                if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.goto(url)
            page.get_by_role("heading", name="Itinera").wait_for(timeout=120_000)
            frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
            frame.locator("path.itinera-event").first.wait_for(state="attached", timeout=120_000)
            _set_window(page, *args.window)
            page.get_by_text("Nothing chosen yet").wait_for(timeout=30_000)
            page.get_by_role("combobox", name="Event", exact=True).click()
            page.keyboard.type(args.pick)
            page.get_by_role("option").first.click()
            page.get_by_text("Who says so:").wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.mouse.move(5, 5)  # no hover tooltip in the picture
            page.wait_for_timeout(2000)  # the chosen event's popup opens and the map pans to it
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
            if external:
                raise SystemExit(f"requests left the machine: {external[:3]}")
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"saved {args.out}")
    return 0


def _set_window(page, start: str, end: str) -> None:
    """Move the slider's thumbs with the keyboard until they show ``start`` and ``end``."""
    thumbs = page.locator('input[type="range"]')
    for thumb, target in ((thumbs.nth(0), start), (thumbs.nth(1), end)):
        for _ in range(600):
            value = thumb.get_attribute("aria-valuetext") or ""
            if value == target:
                break
            thumb.focus()
            page.keyboard.press("ArrowRight" if value < target else "ArrowLeft")
            page.wait_for_timeout(15)
    page.get_by_text(f"between {_month_name(start)}").wait_for(timeout=60_000)


def _month_name(label: str) -> str:
    from datetime import date

    year, month = map(int, label.split("-"))
    return f"{date(year, month, 1):%B %Y}"


if __name__ == "__main__":
    sys.exit(main())
