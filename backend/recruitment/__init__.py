"""Recruitment (招生报名): a class's call for applications, the applications and decisions."""
