"""Browser tests: Playwright for Python driving Debian's Chromium headless (never a download).

Set CHROMIUM=/path to use another binary. Outside CI the tests skip, saying why, when no
Chromium is installed; in CI (CI=true) a missing Chromium is an error.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.base import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; the ORM calls the tests make for setup are still synchronous and safe. The flag is
    # removed afterwards so that it never leaks into later tests or their subprocesses.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    failed: list[str] = []

    def record(request) -> None:
        # A navigation cancels what the previous page was still loading: not a failure.
        if request.failure != "net::ERR_ABORTED":
            failed.append(f"{request.url} ({request.failure})")

    page.on("requestfailed", record)
    yield page
    context.close()
    # Every asset the pages asked for must come from the portal itself and load.
    assert not failed, f"requests failed: {failed}"


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form; return once the next page has loaded (retrying)."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("[data-testid=user-menu]")).to_be_attached()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


WIDTHS = (1366, 390)  # a desktop and a phone


def screenshots(page, name: str, widths: tuple[int, ...] = WIDTHS) -> list[Path]:
    """Save the page at each width (name-1366.png, name-390.png); return to the first width."""
    paths = []
    height = page.viewport_size["height"] if page.viewport_size else 900
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        paths.append(screenshot(page, f"{name}-{width}"))
    page.set_viewport_size({"width": widths[0], "height": height})
    return paths


def fits_the_width(page, width: int = 390) -> bool:
    """Tell whether the page fits a screen this wide without scrolling sideways."""
    previous = page.viewport_size
    page.set_viewport_size({"width": width, "height": previous["height"]})
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size(previous)
    return fits
