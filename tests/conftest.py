"""Shared test setup: hypothesis profiles and the location of the real samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# "quick" for local runs, "ci" (more examples) for .ci/run; choose with HYPOTHESIS_PROFILE.
settings.register_profile(
    "quick",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def samples() -> Path:
    """The real published reports in ../shared/samples (skips when absent)."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not found at {SAMPLES} (they live beside the project, in ../shared/samples)")
    return SAMPLES
