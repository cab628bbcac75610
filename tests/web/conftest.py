"""Fixtures of the page tests: headless Chromium and the app behind a real HTTP server."""

from tests.browser import browser  # noqa: F401  (fixture)
from tests.live.conftest import live_server  # noqa: F401  (fixture)
