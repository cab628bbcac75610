"""Fixtures of the page tests: the app behind a real HTTP server (Chromium: tests/browser.py)."""

from tests.live.conftest import live_server  # noqa: F401  (fixture)
