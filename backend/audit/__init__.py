"""Audit trail: who did what, when, to which class."""
