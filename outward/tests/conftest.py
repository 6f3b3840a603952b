"""Session-wide browser fixtures for the real-browser tests (one Chromium per test run)."""

import pytest

from outward.tests.browsing import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"OUTWARD_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread, and Django keeps a thread's connections
    # per asyncio context: one opened before the loop starts (or while it runs) is out of
    # reach after, and stays open. Closed at both edges, none is left to hold the test
    # database when it is dropped (PostgreSQL refused: "being accessed by other users").
    connections.close_all()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
