"""HTML: the report with real rowspan/colspan tables mirroring the official template.

Tables come from the same Grids as the text rendering (:mod:`.layout_grid`): label cells
are ``<th>``, data cells ``<td>``; every text is escaped with :func:`html.escape`.  A full
page (``<!DOCTYPE html>``, ``<meta charset="utf-8">``, a little CSS for borders) or, with
``fragment=True``, only the body's content.
"""

from __future__ import annotations

from html import escape

from opengov import layout
from opengov._grid import Grid
from opengov._model import Report
from opengov._writers.layout_grid import report_grids

__all__ = ["render_html", "grid_html"]

_CSS = """\
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       max-width: 72em; margin: 2em auto; padding: 0 1em; line-height: 1.6; }
table.opengov { border-collapse: collapse; margin: 1em 0; }
table.opengov th, table.opengov td { border: 1px solid #444; padding: 0.3em 0.6em; }
table.opengov th { font-weight: normal; background: #f4f4f4; text-align: left; }
table.opengov td { text-align: right; min-width: 2.5em; }"""


def _span(name: str, value: int) -> str:
    return f' {name}="{value}"' if value > 1 else ""


def grid_html(grid: Grid, *, table_key: str | None = None) -> str:
    """One grid as a ``<table>``: ``<th>`` for label cells, ``<td>`` for data cells."""
    data_key = f' data-table="{escape(table_key)}"' if table_key else ""
    lines = [f'<table class="opengov"{data_key}>']
    for row in grid.rows():
        parts = []
        for cell in row:
            tag = "th" if cell.header else "td"
            spans = _span("rowspan", cell.rowspan) + _span("colspan", cell.colspan)
            parts.append(f"<{tag}{spans}>{escape(cell.text)}</{tag}>")
        lines.append("<tr>" + "".join(parts) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _paragraph(text: str) -> str:
    return "<p>" + escape(text).replace("\n", "<br>\n") + "</p>"


def render_html(report: Report, *, fragment: bool = False) -> str:
    """The whole report as HTML: a full page, or only the body's content with ``fragment=True``."""
    grids = report_grids(report)
    body: list[str] = []
    if report.title:
        body.append(f"<h1>{escape(report.title)}</h1>")
    body.extend(_paragraph(text) for text in report.preamble)
    for section in layout.SECTIONS:
        body.append(f"<h2>{escape(section.label)}</h2>")
        if section.table is not None:
            grid = grids.get(section.table)
            if grid is not None:
                body.append(grid_html(grid, table_key=section.table))
        else:
            body.extend(_paragraph(text) for text in getattr(report, section.key))
    content = "\n".join(body) + "\n"
    if fragment:
        return content
    title = escape(report.title or layout.REPORT_TITLE_SUFFIX)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{content}</body>\n</html>\n"
    )
