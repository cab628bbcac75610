"""auth module."""
