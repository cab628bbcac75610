"""plans module."""
