"""opengov — China's Open Government Information annual reports (政府信息公开工作年度报告) as data.

The public API (everything else is private)::

    import opengov

    result = opengov.parse(source)          # text, Markdown, HTML (str or bytes), PDF, .docx → ParseResult
    report = opengov.read("report.docx").report
    findings = opengov.check(result, previous=last_year)   # 勾稽关系: [opengov.Finding]
    opengov.render(result, to="html", findings=findings)   # the check report page
    report = opengov.loads(text)            # JSON → Report (exact)
    text = opengov.dumps(report)            # Report → JSON
    opengov.render(report, to="text")       # the official layout; also "markdown", "html"
    opengov.render(report, to="docx")       # bytes of a Word file (extra opengov[docx])
    for cell in report.cells(): ...         # every table cell in layout order
    text = opengov.to_csv(reports, shape="long")   # or "wide"; from_csv reads either
    lines = opengov.csv_lines(report, 7)    # one report's long-CSV lines, its id 7
    rows = opengov.document_rows(data, path="a.pdf")   # one document → its rows (pure)
    tables = opengov.to_arrow(reports)      # reports, cells, prose, findings, diagnostics (extra opengov[parquet])

Public modules: ``opengov`` (this), :mod:`opengov.layout` (both official layouts as data, and
the cell index with the tables' identities), :mod:`opengov.testing` (hypothesis strategies) and
:mod:`opengov.dask` (the batch on a Dask cluster; extra opengov[dask]).
Every other module is private (its name starts with ``_``) and may change without notice.
See the documentation in ``docs/`` (``docs/architecture.md`` maps the modules).
"""

from opengov import layout
from opengov._checks import RULES, Finding, Rule, check
from opengov._columnar import ArrowTables, to_arrow
from opengov._errors import Diagnostic, LoadError, Location, MissingExtraError, OpengovError, ParseError, Severity
from opengov._limits import DEFAULT_LIMITS, Limits
from opengov._model import (
    BLANK,
    Amount,
    AppealOutcomes,
    Appeals,
    ApplicantCounts,
    Applications2019,
    Applications2021,
    Blank,
    CellValue,
    CompleteReport,
    Documents2019,
    Documents2021,
    Fees2019,
    Items2019,
    Placeholder,
    ProactiveDisclosure2019,
    ProactiveDisclosure2021,
    Procurement2019,
    Report,
    TableCell,
    number_of,
)
from opengov._parse import parse, read
from opengov._render import render, render_to
from opengov._result import ParseResult
from opengov._rows import DocumentRows, document_rows
from opengov._serialize.csv_read import from_csv
from opengov._serialize.csv_write import csv_lines, to_csv, to_dataframe
from opengov._serialize.json import dump, dumps, load, loads
from opengov._serialize.schema import json_schema
from opengov.layout import Format

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "layout",
    "Format",
    # model
    "Report",
    "CompleteReport",
    "ProactiveDisclosure2021",
    "ProactiveDisclosure2019",
    "Documents2021",
    "Documents2019",
    "Items2019",
    "Fees2019",
    "Procurement2019",
    "Applications2021",
    "Applications2019",
    "ApplicantCounts",
    "Appeals",
    "AppealOutcomes",
    "TableCell",
    # cell states
    "CellValue",
    "Amount",
    "Blank",
    "BLANK",
    "Placeholder",
    "number_of",
    # parsing
    "parse",
    "read",
    "Limits",
    "DEFAULT_LIMITS",
    "ParseResult",
    # checks
    "check",
    "Finding",
    "Rule",
    "RULES",
    # JSON
    "dumps",
    "loads",
    "dump",
    "load",
    "json_schema",
    # rendering
    "render",
    "render_to",
    # CSV
    "to_csv",
    "from_csv",
    "csv_lines",
    "to_dataframe",
    # columnar
    "document_rows",
    "DocumentRows",
    "to_arrow",
    "ArrowTables",
    # errors
    "OpengovError",
    "ParseError",
    "LoadError",
    "MissingExtraError",
    "Diagnostic",
    "Location",
    "Severity",
]
