"""The one place that knows every cache of opengov: :func:`clear`.

opengov keeps no module-level memo tables: pure functions may be ``functools.lru_cache``d
(or ``functools.cache``d over a small closed set, such as the two formats).  A benchmark that
measures a cold run calls :func:`clear` first; results never depend on what is cached.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["clear", "caches"]


def caches() -> Iterator[Any]:
    """Every functools cache of the opengov modules imported so far (functions, and
    functions kept as attributes of classes)."""
    seen: set[Any] = set()
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "opengov" or name.startswith("opengov.")):
            continue
        for value in list(vars(module).values()):
            for candidate in (value, *(vars(value).values() if isinstance(value, type) else ())):
                function = getattr(candidate, "__func__", candidate)  # staticmethod/classmethod
                if (
                    callable(getattr(function, "cache_clear", None))
                    and str(getattr(function, "__module__", "")).startswith("opengov")
                    and function not in seen
                ):
                    seen.add(function)
                    yield function


def clear() -> int:
    """Clear every cache (see :func:`caches`); returns how many there were."""
    count = 0
    for function in caches():
        function.cache_clear()
        count += 1
    return count
