"""A check report you can look at: the report's official tables as HTML with every cell a
finding names highlighted, the findings and the reader's diagnostics listed below.

One self-contained page (inline CSS, no script, no external asset), readable on a phone
(tables scroll sideways inside their own box) and printable (colours kept).  Each data cell
carries ``id="cell-<table>-<row>-<column>"`` and ``data-cell="<table>.<row>.<column>"``;
a cell some finding names has the class ``og-flag`` and ``og-<severity>`` of the worst such
finding; the culprit (the cell a ``…-culprit`` finding names as the one to correct) also
``og-culprit``, in its own colour; every flagged cell has a ``title``
tooltip with each finding's rule, printed and expected values.  Numbered markers in the cell
link to the findings below; prose sentences a finding quotes are ``<mark>``ed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import attrs

from opengov import layout
from opengov._checks.finding import Finding
from opengov._codec import cell_text
from opengov._errors import Diagnostic, Severity
from opengov._grid import Grid, GridCell
from opengov._model import Report
from opengov._writers.layout_grid import Places, keyed_table_grid

__all__ = ["render_check_report"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}

_CSS = """\
:root { --error: #fde2e1; --error-edge: #c62828; --warning: #fff2cc; --warning-edge: #b26a00;
        --info: #e3f0fd; --info-edge: #1565c0; --culprit: #f1dcf7; --culprit-edge: #7b1fa2; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 76em; margin: 1em auto; padding: 0 0.8em; line-height: 1.55; color: #222; }
h1 { font-size: 1.35em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
.og-summary { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0.8em 0; padding: 0; list-style: none; }
.og-summary li { padding: 0.25em 0.7em; border-radius: 1em; border: 1px solid #999; }
.og-summary .og-error { background: var(--error); border-color: var(--error-edge); }
.og-summary .og-warning { background: var(--warning); border-color: var(--warning-edge); }
.og-summary .og-info { background: var(--info); border-color: var(--info-edge); }
.og-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table.opengov { border-collapse: collapse; margin: 0.6em 0; }
table.opengov th, table.opengov td { border: 1px solid #555; padding: 0.25em 0.5em; }
table.opengov th { font-weight: normal; background: #f4f4f4; text-align: left; }
table.opengov td { text-align: right; min-width: 2.6em; white-space: nowrap; }
td.og-flag.og-error { background: var(--error); }
td.og-flag.og-warning { background: var(--warning); }
td.og-flag.og-info { background: var(--info); }
td.og-flag.og-culprit { background: var(--culprit); outline: 3px solid var(--culprit-edge); outline-offset: -3px;
                       font-weight: bold; }
td sup a { font-size: 0.7em; color: #333; text-decoration: none; margin-left: 0.15em; }
mark { background: var(--warning); padding: 0 0.1em; }
ol.og-findings > li, ol.og-diagnostics > li { margin: 0.5em 0; padding: 0.4em 0.6em; border-left: 4px solid #999; }
ol.og-findings > li.og-error, ol.og-diagnostics > li.og-error { border-color: var(--error-edge); background: #fff7f7; }
ol.og-findings > li.og-warning, ol.og-diagnostics > li.og-warning { border-color: var(--warning-edge); }
ol.og-findings > li.og-info, ol.og-diagnostics > li.og-info { border-color: var(--info-edge); }
.og-meta { color: #555; font-size: 0.9em; }
code { font-size: 0.9em; }
@media print { body { max-width: none; } .og-scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } a { color: inherit; } }"""


@attrs.frozen
class _Flag:
    number: int
    finding: Finding
    culprit: bool


def _cell_id(key: layout.CellKey) -> str:
    return "cell-" + "-".join(key)


def _flags(findings: Sequence[Finding]) -> dict[layout.CellKey, list[_Flag]]:
    flags: dict[layout.CellKey, list[_Flag]] = {}
    for number, finding in enumerate(findings, 1):
        about = finding.key
        for key in dict.fromkeys((*((about,) if about else ()), *finding.cells, *finding.blanks)):
            culprit = key == about and finding.rule.endswith("culprit")
            flags.setdefault(key, []).append(_Flag(number=number, finding=finding, culprit=culprit))
    return flags


def _tooltip(flags: Sequence[_Flag]) -> str:
    lines = []
    for flag in flags:
        f = flag.finding
        role = "culprit" if flag.culprit else "involved"
        line = f"[{flag.number}] {_ZH[f.severity]} {f.rule} ({role}): {f.message_zh}"
        if flag.culprit and f.expected is not None:
            line += f" — printed {cell_text(f.printed) or '(blank)'}, expected {f.expected}"
        lines.append(line)
    return "\n".join(lines)


def _table_html(grid: Grid, keys: Places, table: str, flags: dict[layout.CellKey, list[_Flag]]) -> str:
    lines = [f'<div class="og-scroll"><table class="opengov" data-table="{table}">']
    for row in grid.rows():
        parts = [_cell_html(cell, keys.get((cell.row, cell.col)), flags) for cell in row]
        lines.append("<tr>" + "".join(parts) + "</tr>")
    lines.append("</table></div>")
    return "\n".join(lines)


def _cell_html(cell: GridCell, key: layout.CellKey | None, flags: dict[layout.CellKey, list[_Flag]]) -> str:
    spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    if cell.header or key is None:
        return f"<th{spans}>{escape(cell.text)}</th>"
    attributes = f' id="{_cell_id(key)}" data-cell="{".".join(key)}"'
    found = flags.get(key)
    if not found:
        return f"<td{attributes}{spans}>{escape(cell.text)}</td>"
    worst = min((flag.finding.severity for flag in found), key=_ORDER.__getitem__)
    classes = ["og-flag", f"og-{worst.value}"]
    if any(flag.culprit for flag in found):
        classes.append("og-culprit")
    markers = "".join(f'<a href="#finding-{flag.number}">{flag.number}</a>' for flag in found)
    return (
        f'<td{attributes}{spans} class="{" ".join(classes)}" title="{escape(_tooltip(found))}">'
        f"{escape(cell.text)}<sup>{markers}</sup></td>"
    )


def _paragraph(text: str, quotes: Sequence[tuple[int, str]]) -> str:
    """A prose paragraph with the sentences findings quote marked."""
    out = escape(text)
    for number, quote in quotes:
        shown = escape(quote)
        if shown and shown in out:
            out = out.replace(shown, f'<mark id="quote-{number}">{shown}</mark>', 1)
    return "<p>" + out.replace("\n", "<br>\n") + "</p>"


def _finding_html(number: int, finding: Finding) -> str:
    parts = [f'<li id="finding-{number}" class="og-{finding.severity.value}">']
    head = f"<strong>[{number}] {_ZH[finding.severity]} · {escape(finding.rule)}</strong>"
    key = finding.key
    if key is not None:
        label = "/".join(x for x in (finding.row_label, finding.column_label) if x)
        head += f' — <a href="#{_cell_id(key)}">{escape(label or ".".join(key))}</a>'
    parts.append(head)
    parts.append(f"<div>{escape(finding.message_zh)}</div>")
    parts.append(f'<div class="og-meta" lang="en">{escape(finding.message_en)}</div>')
    facts = []
    if key is not None and finding.printed is not None:
        facts.append(f"printed 印刷值 {escape(cell_text(finding.printed) or '(blank)')}")
    if finding.expected is not None:
        facts.append(f"expected 应为 {finding.expected}")
    if finding.difference is not None:
        facts.append(f"difference 差额 {finding.difference:+}")
    if finding.location is not None:
        facts.append(f"source 位置 {escape(str(finding.location))}")
    if facts:
        parts.append(f'<div class="og-meta">{" · ".join(facts)}</div>')
    if finding.text:
        parts.append(f'<div class="og-meta">quoted 引文: <a href="#quote-{number}">{escape(finding.text)}</a></div>')
    parts.append("</li>")
    return "".join(parts)


def _diagnostic_html(diagnostic: Diagnostic) -> str:
    return (
        f'<li class="og-{diagnostic.severity.value}"><strong>{_ZH[diagnostic.severity]} · '
        f"<code>{escape(diagnostic.code)}</code></strong> {escape(diagnostic.message)}"
        f' <span class="og-meta">({escape(str(diagnostic.location))})</span></li>'
    )


def _summary(findings: Sequence[Finding], diagnostics: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in _ORDER}
    items = [
        f'<li class="og-{s.value}">{_ZH[s]} {s.value}: {counts[s]}</li>'
        for s in _ORDER
        if counts[s] or s is Severity.ERROR
    ]
    items.append(f"<li>解析诊断 reader diagnostics: {len(diagnostics)}</li>")
    return '<ul class="og-summary">' + "".join(items) + "</ul>"


def render_check_report(report: Report, findings: Iterable[Finding], diagnostics: Iterable[Diagnostic] = ()) -> str:
    """The check report page (see the module documentation)."""
    found = sorted(findings, key=lambda f: _ORDER[f.severity])
    notes = list(diagnostics)
    flags = _flags(found)
    quotes = [(number, f.text) for number, f in enumerate(found, 1) if f.text]
    grids = {table: keyed_table_grid(report, table) for table in layout.TABLES if getattr(report, table) is not None}
    title = report.title or layout.REPORT_TITLE_SUFFIX
    body = [f"<h1>{escape(title)}</h1>", _summary(found, notes)]
    body.append(
        '<p class="og-meta">检查报告 check report · opengov — '
        "高亮的单元格为检查发现所涉及的单元格，紫色粗框为需更正的单元格。"
        " Highlighted cells take part in a finding; the purple outlined cell is the one to correct.</p>"
    )
    body.extend(_paragraph(text, quotes) for text in report.preamble)
    for section in layout.SECTIONS:
        body.append(f"<h2>{escape(section.label)}</h2>")
        if section.table is not None:
            keyed = grids.get(section.table)
            if keyed is not None:
                body.append(_table_html(*keyed, section.table, flags))
        else:
            body.extend(_paragraph(text, quotes) for text in getattr(report, section.key))
    body.append("<h2>检查发现 Findings</h2>")
    if found:
        body.append(
            '<ol class="og-findings">' + "\n".join(_finding_html(n, f) for n, f in enumerate(found, 1)) + "</ol>"
        )
    else:
        body.append("<p>没有发现问题。No findings.</p>")
    body.append("<h2>解析诊断 Reader diagnostics</h2>")
    if notes:
        body.append('<ol class="og-diagnostics">' + "\n".join(_diagnostic_html(d) for d in notes) + "</ol>")
    else:
        body.append("<p>无。None.</p>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — 检查报告</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
