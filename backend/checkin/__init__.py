"""checkin module."""
