"""Fixtures of the recruitment tests: the app behind a real HTTP server for the pages."""

from tests.live.conftest import live_server  # noqa: F401  (fixture)
