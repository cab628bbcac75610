"""Server-rendered pages for staff (projector, dashboards, lecturer view): log-in with a
session cookie, a shared layout, security headers."""
