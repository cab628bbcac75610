"""Headless Chromium for the page tests (Playwright with the system's /usr/bin/chromium)."""

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def browser():
    """Debian's Chromium (`make test` installs it), shared by every page test via conftest.py."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.conftest import PATIENCE

    # Every expect() waits as long as the other tests' waits: a loaded machine is slow to paint.
    sync_api.expect.set_options(timeout=PATIENCE * 1000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
