"""Serializers: exact JSON (and, later, CSV)."""
