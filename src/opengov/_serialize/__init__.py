"""Serializers: exact JSON (:mod:`.json`, :mod:`.schema`) and CSV in two layouts — what the
layouts hold (:mod:`.csv_specs`), the writer (:mod:`.csv_write`) and the reader
(:mod:`.csv_read`).  Cell states are written and read by :mod:`opengov._codec`."""
