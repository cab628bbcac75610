"""classes module."""
