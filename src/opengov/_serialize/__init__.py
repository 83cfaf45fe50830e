"""Serializers: exact JSON and CSV (long and wide layouts)."""
