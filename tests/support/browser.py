"""Debian's Chromium driven by Playwright (no browser download), the app served on 127.0.0.1, and screenshots to look at.

Each page is shot at a desk's width and a phone's into screenshots/ (git-ignored). Without /usr/bin/chromium or
Playwright the browser tests skip; .ci/run installs Chromium and says loudly when it cannot.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.config import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-default-apps", "--metrics-recording-only"]
SCREENSHOTS = ROOT / "screenshots"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
WECOM_PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22"


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser, or the test skipped when this machine has none."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: the browser tests did not run (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serving(app, port: int) -> Iterator[str]:
    """The Flask app on a real HTTP server at 127.0.0.1:port, in a thread; its base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def shoot(page, name: str) -> Path:
    """The whole page as a PNG in screenshots/, named for the page and the window's width."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def overflows(page) -> bool:
    """Whether the page is wider than the window (cut off on a phone); a table scrolling in its own box does not count."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "element => getComputedStyle(element).backgroundColor")


def printed_pages(page, name: str) -> int:
    """Print the page to A4 PDF as Ctrl-P would; its number of pages (and page images in screenshots/ when pdftoppm is here)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / f"{name}-print")], check=True, timeout=60)
    return pdf.read_bytes().count(b"/Type /Page") - pdf.read_bytes().count(b"/Type /Pages")
