"""Organisations, people and roles; the access helper every view and endpoint uses."""
