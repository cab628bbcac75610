"""enrollment module."""
