"""Shared test setup: hypothesis profiles, the location of the real samples and their marker.

The real published reports live outside the project (``../shared/samples`` beside the project
root by default; set ``OPENGOV_SAMPLES`` to point elsewhere).  A test that reads them takes
the ``samples`` fixture, which skips (naming the variable and the folder it looked at) when
they are absent, and carries ``@pytest.mark.samples`` so that ``-m "not samples"`` leaves it
out.  Every quirk of a real sample that such a test relies on also has a fixture of the
project's own in ``tests/data/quirks`` (see its README), tested without the samples.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Profiles (choose with HYPOTHESIS_PROFILE): "quick" (the default: the README's test command),
# "ci" (more examples, for .ci/run) and "explore" (fresh random examples on every run, for
# development: run it often, it finds what the fixed draws do not).  "quick" and "ci" draw
# the same examples every time (derived from each test), so a run's result never depends
# on the draw; a failure "explore" finds becomes an @example or a fixture of its own.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("quick", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("ci", max_examples=150, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("explore", max_examples=60, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES_VARIABLE = "OPENGOV_SAMPLES"
DEFAULT_SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLES = Path(os.environ.get(SAMPLES_VARIABLE) or DEFAULT_SAMPLES)
"""Where the real samples are looked for: ``$OPENGOV_SAMPLES``, else ``../shared/samples``."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"samples: needs the real published samples (${SAMPLES_VARIABLE}, default ../shared/samples); "
        "skips when they are absent; deselect with -m 'not samples'",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that takes the ``samples`` fixture must carry the ``samples`` marker, so that
    ``-m "not samples"`` deselects exactly the tests that need the real samples."""
    unmarked = [
        item.nodeid
        for item in items
        if "samples" in getattr(item, "fixturenames", ()) and item.get_closest_marker("samples") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests read the real samples but are not marked @pytest.mark.samples: " + ", ".join(unmarked)
        )


@pytest.fixture
def samples() -> Path:
    """The real published reports (``$OPENGOV_SAMPLES``, default ``../shared/samples``); skips when absent."""
    if not SAMPLES.is_dir():
        given = os.environ.get(SAMPLES_VARIABLE)
        why = f"{SAMPLES_VARIABLE}={given}" if given else f"{SAMPLES_VARIABLE} is unset; default ../shared/samples"
        pytest.skip(
            f"real samples not found at {SAMPLES} ({why}); set {SAMPLES_VARIABLE}=/path/to/samples to run this test"
        )
    return SAMPLES
