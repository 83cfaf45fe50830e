"""The project's fixtures stay faithful to the real samples they stand in for.

Run with the real samples (``OPENGOV_SAMPLES``): each fixture in ``tests/data/quirks`` must
have the figures of its sample and be read as its sample is read — the same tables, the
same diagnostics, the same findings — so that the tests on the fixtures keep testing what
the real documents need.  Without the samples these skip; the fixtures' own tests still run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import opengov
from expected_report import load_expected
from test_fixtures_docx import word_cells

pytestmark = pytest.mark.samples

DATA = Path(__file__).resolve().parent / "data"
QUIRKS = DATA / "quirks"
PAIRS = [  # fixture, the real sample it stands in for
    ("oneline-2020.txt", "pingtan-2020.txt"),
    ("oneline-2023.txt", "pingtan-2023.txt"),
    ("ocr-2025.md", "shuyang-2025.md"),
    ("spans-2019.html", "shanghai-office-2019.html"),
    ("wrapped-2024.pdf", "huaian-2024.pdf"),
    ("template-2021.docx", "template-2021.docx"),
]
FIGURES = ("year", "format_version", "table2_columns", "table2", "table3", "table4")


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


@pytest.mark.parametrize(
    ("fixture", "sample"),
    [(QUIRKS / f"{_stem(f)}.json", _stem(s)) for f, s in PAIRS if not f.endswith(".docx")]
    + [(DATA / "zhapu-2023.json", "zhapu-2023")],
    ids=lambda v: getattr(v, "stem", v),
)
def test_fixture_figures_are_the_samples(samples: Path, fixture: Path, sample: str) -> None:
    ours = load_expected(fixture)
    theirs = load_expected(samples / "expected" / f"{sample}.json")
    assert {k: ours.get(k) for k in FIGURES} == {k: theirs.get(k) for k in FIGURES}


@pytest.mark.parametrize(("fixture", "sample"), PAIRS, ids=[f for f, _ in PAIRS])
def test_fixture_reads_as_its_sample_reads(samples: Path, fixture: str, sample: str) -> None:
    ours, theirs = opengov.read(QUIRKS / fixture), opengov.read(samples / sample)
    assert ours.form == theirs.form
    for table in ("table2", "table3", "table4"):
        assert getattr(ours.report, table) == getattr(theirs.report, table), table
    assert [(d.code, d.severity, d.message) for d in ours.diagnostics] == [
        (d.code, d.severity, d.message) for d in theirs.diagnostics
    ]
    assert [(f.rule, f.key, f.printed, f.expected) for f in opengov.check(ours)] == [
        (f.rule, f.key, f.printed, f.expected) for f in opengov.check(theirs)
    ]


def test_html_fixture_cells_are_where_the_samples_are(samples: Path) -> None:
    ours = opengov.read(QUIRKS / "spans-2019.html")
    theirs = opengov.read(samples / "shanghai-office-2019.html")
    assert ours.locations == theirs.locations


def test_docx_fixture_has_the_templates_cells(samples: Path) -> None:
    """Every gridSpan, vMerge and label of the official template's three tables."""
    ours = word_cells((QUIRKS / "template-2021.docx").read_bytes())
    assert ours == word_cells((samples / "template-2021.docx").read_bytes())
