"""签退: an optional check-out at the end of a session (off unless the class turns it on)."""
