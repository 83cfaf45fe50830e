"""The real samples printed in other layouts a crawler, a converter or a copy may give them:
each variant reads the figures the sample reads (none wrong; those listed as partly read
still none wrong).  The layouts these variants exercise have fixtures of the project's own
in the tests of each reading (double-spaced text, pipes, Markdown and HTML without tables,
a section per line); these hold them to real documents."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import opengov
from opengov._locate import cut_line
from opengov._model import cell_values

pytestmark = pytest.mark.samples

Variant = Callable[[str], str]


def _tabbed_markdown(text: str) -> str:
    out = []
    for line in text.split("\n"):
        row = line.strip()
        if row.startswith("|"):
            if not re.fullmatch(r"\|?[\s:|-]+\|?", row):
                out.append("\t".join(cell.strip() for cell in row.strip("|").split("|")))
        else:
            out.append(line)
    return "\n".join(out)


def _no_delimiter_rows(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not re.fullmatch(r"\s*\|?[\s:|-]*-{3,}[\s:|-]*\|?\s*", line))


def _line_per_section(text: str, *, heading_alone: bool = False) -> str:
    headings = [piece for piece in cut_line(text) if piece.kind == "heading"]
    cuts = sorted({0, len(text), *(p.start for p in headings), *((p.end for p in headings) if heading_alone else ())})
    return "\n".join(piece for piece in (text[a:b].strip() for a, b in itertools.pairwise(cuts)) if piece)


def _html_page(text: str, tag: str) -> str:
    return "<html><body>\n" + "\n".join(f"<{tag}>{line}</{tag}>" for line in text.split("\n")) + "\n</body></html>"


def _html_tables(text: str) -> str:
    """The Markdown with each pipe table written as an HTML table on one line, every row's
    cells ``<td>`` (as OCR converters write a table in Markdown)."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            out.append(
                "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
            )
            rows.clear()

    for line in text.split("\n"):
        row = line.strip()
        if row.startswith("|"):
            if not re.fullmatch(r"\|?[\s:|-]+\|?", row):
                rows.append([cell.strip() for cell in row.strip("|").split("|")])
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


VARIANTS: dict[str, tuple[str, Variant]] = {
    "zhapu doubled": ("zhapu-2023.txt", lambda t: t.replace("\n", "\n\n")),
    "zhapu pipes for tabs": ("zhapu-2023.txt", lambda t: t.replace("\t", " | ")),
    "zhapu in <pre>": ("zhapu-2023.txt", lambda t: f"<html><body><pre>\n{t}</pre></body></html>"),
    "zhapu a <p> per line": ("zhapu-2023.txt", lambda t: _html_page(t, "p")),
    "zhapu a <div> per line": ("zhapu-2023.txt", lambda t: _html_page(t, "div")),
    "shuyang tab rows": ("shuyang-2025.md", _tabbed_markdown),
    "shuyang no delimiter rows": ("shuyang-2025.md", _no_delimiter_rows),
    "shuyang doubled": ("shuyang-2025.md", lambda t: t.replace("\n", "\n\n")),
    "shuyang HTML tables": ("shuyang-2025.md", _html_tables),
    "pingtan-2023 a line per section": ("pingtan-2023.txt", _line_per_section),
    "pingtan-2020 a line per section": ("pingtan-2020.txt", _line_per_section),
    "pingtan-2023 headings alone": ("pingtan-2023.txt", lambda t: _line_per_section(t, heading_alone=True)),
    "pingtan-2020 headings alone": ("pingtan-2020.txt", lambda t: _line_per_section(t, heading_alone=True)),
    "pingtan-2023 a line per word": ("pingtan-2023.txt", lambda t: t.replace(" ", "\n")),
}
"""Variants that read every figure the sample reads."""

PARTLY: dict[str, tuple[str, Variant]] = {
    "pingtan-2020 a line per word": ("pingtan-2020.txt", lambda t: t.replace(" ", "\n")),
    "pingtan-2023 wrapped at 80": (
        "pingtan-2023.txt",
        lambda t: "\n".join(t[i : i + 80] for i in range(0, len(t), 80)),
    ),
}
"""Variants read in part (figures left absent), none wrong."""


def _cells(text: str) -> dict[object, object]:
    result = opengov.parse(text)
    return {spec.key: value for spec, value in cell_values(result.report)}


def _sample(samples: Path, name: str) -> tuple[str, dict[object, object]]:
    text = (samples / name).read_text(encoding="utf-8")
    return text, _cells(text)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_variant_reads_every_figure_the_sample_reads(samples: Path, variant: str) -> None:
    name, make = VARIANTS[variant]
    text, expected = _sample(samples, name)
    got = _cells(make(text))
    assert {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v} == {}


@pytest.mark.parametrize("variant", sorted(PARTLY))
def test_a_variant_read_in_part_reads_no_figure_wrong(samples: Path, variant: str) -> None:
    name, make = PARTLY[variant]
    text, expected = _sample(samples, name)
    got = _cells(make(text))
    wrong = {k: (v, got[k]) for k, v in expected.items() if got.get(k) is not None and got[k] != v}
    assert wrong == {}


def test_markdown_with_html_tables_reads_as_the_sample(samples: Path) -> None:
    """Not only its figures: its title, organ, year and prose (read as HTML, the text of such
    Markdown ran into one paragraph)."""
    text = (samples / "shuyang-2025.md").read_text(encoding="utf-8")
    result = opengov.parse(_html_tables(text))
    assert result.form == "markdown"
    assert result.report == opengov.parse(text).report
