"""The check report (``render(..., to="html", findings=...)``), as HTML and in a real browser.

The browser tests drive Debian's headless Chromium through chromedriver (selenium); they
carry the ``browser`` marker and skip, saying why, when either is missing (CI installs them).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import opengov
from opengov.testing import broken_reports

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = opengov.read(DATA / "zhapu-2023.txt")


class _Cells(HTMLParser):
    """Every data cell of a page: its id, classes and title."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.findings: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-cell" in found:
            self.cells[found["data-cell"]] = found
        if tag == "li" and found.get("id", "").startswith("finding-"):
            self.findings.append(found["id"])
        if tag in ("script", "link", "img", "iframe") or any(
            v.startswith(("http:", "https:", "//")) for v in found.values()
        ):
            self.external.append(tag)


def _page(report: opengov.Report, findings: list[opengov.Finding]) -> _Cells:
    parser = _Cells()
    parser.feed(opengov.render(report, to="html", findings=findings))
    return parser


def _flagged(parser: _Cells) -> set[str]:
    return {name for name, cell in parser.cells.items() if "og-flag" in cell.get("class", "")}


@settings(max_examples=30)
@given(broken_reports())
def test_every_cell_a_finding_names_is_flagged_and_no_other(case: tuple[opengov.Report, Any]) -> None:
    report, mutation = case
    findings = opengov.check(report)
    page = _page(report, findings)
    expected = {".".join(key) for f in findings for key in (*((f.key,) if f.key else ()), *f.cells, *f.blanks)}
    assert _flagged(page) == expected
    assert len(page.findings) == len(findings)
    assert not page.external
    changed = f"{mutation.table}.{mutation.row}.{mutation.column}"
    assert changed in _flagged(page)
    culprits = {name for name, cell in page.cells.items() if "og-culprit" in cell.get("class", "")}
    named = {".".join(f.key) for f in findings if f.rule.endswith("culprit") and f.key}
    assert culprits == named


def test_a_consistent_report_flags_nothing() -> None:
    page = _page(REFERENCE.report, opengov.check(REFERENCE))
    assert not _flagged(page)
    assert len(page.cells) == len(list(REFERENCE.report.cells()))
    assert "没有发现问题" in opengov.render(REFERENCE, to="html", findings=[])


def test_tooltips_give_printed_and_expected_values() -> None:
    printed = REFERENCE.report.cell("table3", "granted", "natural_person")
    assert isinstance(printed, int)
    report = REFERENCE.report.with_cell("table3", "granted", "natural_person", printed + 21)
    page = _page(report, opengov.check(report))
    title = page.cells["table3.granted.natural_person"]["title"]
    assert "t3-culprit" in title
    assert f"printed {printed + 21}" in title
    assert f"expected {printed}" in title


def test_quoted_prose_is_marked_and_diagnostics_listed() -> None:
    report = REFERENCE.report.with_cell("table3", "new_received", "total", 99)
    findings = [f for f in opengov.check(report) if f.text]
    html = opengov.render(REFERENCE, to="html", findings=findings)
    for number, finding in enumerate(findings, 1):
        assert f'<mark id="quote-{number}">' in html or finding.text not in "".join(report.overview)
    for diagnostic in REFERENCE.diagnostics:
        assert diagnostic.code in html


def test_findings_only_for_html() -> None:
    with pytest.raises(ValueError, match="html only"):
        opengov.render(REFERENCE, to="text", findings=[])
    with pytest.raises(ValueError, match="whole page"):
        opengov.render(REFERENCE, to="html", findings=[], fragment=True)


def test_render_to_follows_the_extension(tmp_path: Path) -> None:
    opengov.render_to(REFERENCE.report, tmp_path / "r.md")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == opengov.render(REFERENCE.report, to="markdown")
    opengov.render_to(REFERENCE, tmp_path / "c.html", findings=[])
    assert "检查发现" in (tmp_path / "c.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="contradicts"):
        opengov.render_to(REFERENCE.report, tmp_path / "r.docx", to="html")


# ---------------------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip(
            "headless Chromium and chromedriver are not on PATH (Debian: apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,2000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _rgb(css: str) -> tuple[int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", css)[:3]]
    return numbers[0], numbers[1], numbers[2]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_browser_shows_the_culprit_where_the_findings_say(browser: Any, tmp_path: Path, width: int) -> None:
    from selenium.webdriver.common.by import By

    report = REFERENCE.report.with_cell("table3", "granted", "natural_person", 40)
    findings = opengov.check(report)
    page = tmp_path / "check.html"
    opengov.render_to(report, page, findings=findings, diagnostics=REFERENCE.diagnostics)
    browser.set_window_size(width, 2000)
    browser.get(page.as_uri())
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    culprit = browser.find_element(By.CSS_SELECTOR, "td.og-culprit")
    assert culprit.get_attribute("data-cell") == "table3.granted.natural_person"
    table = browser.find_element(By.CSS_SELECTOR, 'table[data-table="table3"]')
    inside = culprit.rect
    outer = table.rect
    assert outer["x"] <= inside["x"]
    assert inside["x"] + inside["width"] <= outer["x"] + outer["width"] + 1
    assert outer["y"] <= inside["y"]
    assert inside["y"] + inside["height"] <= outer["y"] + outer["height"] + 1
    # the culprit's own colour, and the row total flagged as an error
    assert _rgb(culprit.value_of_css_property("background-color")) == (0xF1, 0xDC, 0xF7)
    total = browser.find_element(By.ID, "cell-table3-granted-total")
    assert _rgb(total.value_of_css_property("background-color")) == (0xFD, 0xE2, 0xE1)
    plain = browser.find_element(By.ID, "cell-table3-new_received-total")
    assert _rgb(plain.value_of_css_property("background-color")) != (0xFD, 0xE2, 0xE1)
    flagged = {e.get_attribute("data-cell") for e in browser.find_elements(By.CSS_SELECTOR, "td.og-flag")}
    expected = {".".join(key) for f in findings for key in (*((f.key,) if f.key else ()), *f.cells, *f.blanks)}
    assert flagged == expected
    # on a narrow screen the table scrolls in its own box: the page itself does not
    body_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert body_width <= width + 1
    browser.save_screenshot(str(tmp_path / f"check-{width}.png"))
