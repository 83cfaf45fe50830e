"""Culprits: exact finding sets for one mutation of a consistent report — a changed cell, two
swapped cells, a transposition of digits, a blank — worked out here by brute force (every
identity summed again with a cell changed or two cells exchanged), not with the library's
coefficient arithmetic; and the table 2 stock against last year's report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from budget import examples
from opengov import BLANK, Placeholder, Report, Severity, check
from opengov.testing import reports

Key = tuple[str, str, str]
Identity = tuple[str, Key, list[Key], list[Key]]
"""(rule, about, cells added, cells subtracted): Σ added = Σ subtracted."""

ARITHMETIC = {"t3-row-total", "t3-outcomes", "t3-balance", "t4-block"}
CULPRITS = {"t3-culprit", "t4-culprit", "swapped-culprit", "transposed-culprit"}


def quiet(report: Report) -> Report:
    """No prose figures: the culprits are decided by the tables alone."""
    return attrs.evolve(report, overview=("无。",), other_matters=("本年度未收取信息处理费。",))


def identities(report: Report) -> list[Identity]:
    """Every table 3 and 4 identity, spelled out here."""
    lay = report.layout
    out: list[Identity] = []
    columns = [c.key for c in lay.table3.columns]
    parts = [c for c in columns if c != "total"]
    for row in lay.table3.rows:
        total = ("table3", row.key, "total")
        out.append(("t3-row-total", total, [total], [("table3", row.key, c) for c in parts]))
    for c in columns:
        handled = ("table3", "total_handled", c)
        out.append(("t3-outcomes", handled, [handled], [("table3", r, c) for r in lay.table3.outcome_rows]))
        forward = ("table3", "carried_forward", c)
        out.append(
            ("t3-balance", forward, [forward, handled], [("table3", "new_received", c), ("table3", "carried_over", c)])
        )
    for block in lay.table4.blocks:
        total = ("table4", block.key, "total")
        out.append(
            ("t4-block", total, [total], [("table4", block.key, c.key) for c in lay.table4.columns if c.key != "total"])
        )
    return out


def _holds(values: dict[Key, int], identity: Identity) -> bool:
    _, _, plus, minus = identity
    return sum(values[k] for k in plus) == sum(values[k] for k in minus)


def _cells(identity: Identity) -> list[Key]:
    return [*identity[2], *identity[3]]


def transposition(printed: int, needed: int) -> bool:
    """Two adjacent digits swapped, checked on the digits themselves."""
    a, b = str(printed), str(needed)
    if printed < 0 or needed < 0 or len(a) != len(b):
        return False
    for i in range(len(a) - 1):
        swapped = a[:i] + a[i + 1] + a[i] + a[i + 2 :]
        if swapped == b and a != b:
            return True
    return False


def culprits(report: Report, ids: list[Identity] | None = None) -> set[tuple[Any, ...]]:
    """The culprit findings the report must give, found by brute force."""
    ids = identities(report) if ids is None else ids
    values = {key: v for key in {k for i in ids for k in _cells(i)} if type(v := report.cell(*key)) is int}
    decided = [i for i in ids if all(k in values for k in _cells(i))]
    broken = [i for i in decided if not _holds(values, i)]

    def containing(key: Key) -> list[Identity]:
        return [i for i in decided if key in _cells(i)]

    def solve(key: Key) -> int | None:
        """The one value of ``key`` that makes every decided identity it is in hold."""
        mine = containing(key)
        if not mine:
            return None
        _, _, plus, minus = mine[0]
        rest = dict(values)
        rest[key] = 0
        others = sum(rest[k] for k in plus) - sum(rest[k] for k in minus)
        needed = -others if key in plus else others
        if needed < 0 or needed == values[key]:
            return None
        trial = dict(values)
        trial[key] = needed
        return needed if all(_holds(trial, i) for i in mine) else None

    fixes = {k: v for k in {k for i in broken for k in _cells(i)} if (v := solve(k)) is not None}
    every = {id(i) for i in broken}
    explains = {k: {id(i) for i in containing(k)} for k in fixes}

    def rule_of(key: Key) -> str:
        return {"table3": "t3-culprit", "table4": "t4-culprit", "table2": "t2-culprit"}[key[0]]

    def single(key: Key) -> set[tuple[Any, ...]]:
        printed, needed = values[key], fixes[key]
        rule = "transposed-culprit" if transposition(printed, needed) else rule_of(key)
        return {(rule, key, needed, printed - needed)}

    def swap(a: Key, b: Key) -> set[tuple[Any, ...]]:
        return {
            ("swapped-culprit", a, values[b], values[a] - values[b]),
            ("swapped-culprit", b, values[a], values[b] - values[a]),
        }

    def same_line(a: Key, b: Key) -> bool:
        return a[0] == b[0] and (a[1] == b[1] or a[2] == b[2])

    # one cell that explains every broken identity
    alone = [k for k in fixes if explains[k] == every]
    if len(alone) == 1:
        return single(alone[0])
    if len(every) >= 2:
        # one swap: exchanged back, every identity either cell is in holds, all broken ones touched
        pool = sorted({k for i in broken for k in _cells(i) if k in values})
        valid = []
        for n, a in enumerate(pool):
            for b in pool[n + 1 :]:
                if not same_line(a, b) or values[a] == values[b]:
                    continue
                trial = dict(values)
                trial[a], trial[b] = values[b], values[a]
                touched = [i for i in decided if a in _cells(i) or b in _cells(i)]
                if {id(i) for i in touched if i in broken} == every and all(_holds(trial, i) for i in touched):
                    valid.append((a, b))
        if len(valid) == 1:
            return swap(*valid[0])
        # two cells whose explanations split the broken identities between them
        keys = sorted(fixes)
        two = [
            (a, b)
            for n, a in enumerate(keys)
            for b in keys[n + 1 :]
            if not explains[a] & explains[b] and explains[a] | explains[b] == every
        ]
        if len(two) == 1:
            a, b = two[0]
            if same_line(a, b) and fixes[a] == values[b] and fixes[b] == values[a]:
                return swap(a, b)
            return single(a) | single(b)
    # every broken identity on its own, when each of its fixes explains it alone
    out: set[tuple[Any, ...]] = set()
    for i in broken:
        options = [k for k in _cells(i) if k in fixes]
        if not options or any(explains[k] != {id(i)} for k in options):
            return set()
    for i in broken:
        options = [k for k in _cells(i) if k in fixes]
        transposed = [k for k in options if transposition(values[k], fixes[k])]
        if len(options) == 1:
            out |= single(options[0])
        elif len(transposed) == 1:
            out |= single(transposed[0])
        else:
            out.add((rule_of(options[0]), None, frozenset((k, fixes[k]) for k in options), None))
    return out


def got_culprits(findings: Iterable[Any]) -> set[tuple[Any, ...]]:
    out: set[tuple[Any, ...]] = set()
    for f in findings:
        if f.rule not in CULPRITS and f.rule != "t2-culprit":
            continue
        if f.candidates:
            out.add((f.rule, None, frozenset(f.candidates), None))
            assert f.key is None
            assert set(f.cells) == {k for k, _ in f.candidates}
        else:
            out.add((f.rule, f.key, f.expected, f.difference))
            assert f.cells[0] == f.key
    return out


def arithmetic(report: Report) -> set[tuple[Any, ...]]:
    """The broken identities, summed here: (rule, about, difference)."""
    values = {k: v for k in {k for i in identities(report) for k in _cells(i)} if type(v := report.cell(*k)) is int}
    out = set()
    for rule, about, plus, minus in identities(report):
        if all(k in values for k in plus + minus):
            difference = sum(values[k] for k in plus) - sum(values[k] for k in minus)
            if difference:
                out.add((rule, about, difference))
    return out


def _int_cells(report: Report) -> list[Any]:
    return [c for c in report.cells() if c.table in ("table3", "table4") and type(c.value) is int]


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@given(reports())
def test_a_consistent_report_has_no_error_warning_or_culprit(report: Report) -> None:
    findings = check(quiet(report))
    assert [f for f in findings if f.severity is not Severity.INFO] == []
    assert [f for f in findings if f.rule in CULPRITS or f.rule == "blank-total"] == []


def _check_exact(report: Report) -> list[Any]:
    findings = check(report)
    errors = {(f.rule, f.key, f.difference) for f in findings if f.severity is Severity.ERROR}
    assert errors == arithmetic(report)
    assert {f.rule for f in findings if f.severity is Severity.WARNING} == set()
    assert got_culprits(findings) == culprits(report)
    return findings


@settings(max_examples=examples(100))
@given(reports(), st.data())
def test_one_changed_cell_gives_exactly_its_findings_and_names_it(report: Report, data: st.DataObject) -> None:
    report = quiet(report)
    cell = data.draw(st.sampled_from(_int_cells(report)))
    after = data.draw(st.integers(0, cell.value + 40).filter(lambda v: v != cell.value))
    mutated = report.with_cell(cell.table, cell.row, cell.column, after)
    findings = _check_exact(mutated)
    named = [f for f in findings if f.rule in CULPRITS]
    if cell.table == "table3":  # a table 3 cell is in a row and a column identity: always found
        rule = "transposed-culprit" if transposition(after, cell.value) else "t3-culprit"
        assert [(f.rule, f.key, f.expected, f.difference) for f in named] == [
            (rule, cell.key, cell.value, after - cell.value)
        ]
    else:  # table 4: the mutated cell is the culprit or one of the candidates, with its value
        (finding,) = named
        if finding.rule == "transposed-culprit" and finding.key != cell.key:
            # the changed figure happened to make another cell of the block a transposition of
            # what it needs (total 36 when the parts now sum to 63): that cell is named instead
            assert finding.key[:2] == cell.key[:2]
            assert transposition(finding.printed, finding.expected)
            assert not transposition(after, cell.value)
        else:
            assert (cell.key, cell.value) in (finding.candidates or ((finding.key, finding.expected),))


@settings(max_examples=examples(100))
@given(reports(), st.data())
def test_two_swapped_cells_are_named_as_such(report: Report, data: st.DataObject) -> None:
    report = quiet(report)
    cells = _int_cells(report)
    a = data.draw(st.sampled_from(cells))
    line = [
        c
        for c in cells
        if c.key != a.key and c.table == a.table and (c.row == a.row or c.column == a.column) and c.value != a.value
    ]
    assume(line)
    b = data.draw(st.sampled_from(line))
    swapped = report.with_cell(a.table, a.row, a.column, b.value).with_cell(b.table, b.row, b.column, a.value)
    findings = _check_exact(swapped)
    named = {(f.key, f.expected) for f in findings if f.rule == "swapped-culprit"}
    if a.table == "table3" and "total" not in (a.column, b.column) and named:
        assert named == {(a.key, a.value), (b.key, b.value)}


def _transposable(value: int) -> list[int]:
    digits = str(value)
    out = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1] and not (i == 0 and digits[i + 1] == "0"):
            out.append(int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]))
    return out


@settings(max_examples=examples(100))
@given(reports(), st.data())
def test_a_transposition_of_digits_is_named_as_such(report: Report, data: st.DataObject) -> None:
    report = quiet(report)
    cells = [c for c in _int_cells(report) if _transposable(c.value)]
    assume(cells)
    cell = data.draw(st.sampled_from(cells))
    after = data.draw(st.sampled_from(_transposable(cell.value)))
    findings = _check_exact(report.with_cell(cell.table, cell.row, cell.column, after))
    named = [(f.key, f.expected) for f in findings if f.rule == "transposed-culprit"]
    if cell.table == "table3":
        assert named == [(cell.key, cell.value)]
    else:
        assert named in ([(cell.key, cell.value)], [])  # another candidate may be a transposition too


def _totals(report: Report) -> set[Key]:
    """The cells an identity is about, listed here: table 3's 总计 column, its （七）总计 and
    四、结转下年度 rows, table 4's 总计 column."""
    lay = report.layout
    out: set[Key] = set()
    for row in lay.table3.rows:
        out.add(("table3", row.key, "total"))
    for c in lay.table3.columns:
        out |= {("table3", "total_handled", c.key), ("table3", "carried_forward", c.key)}
    out |= {("table4", b.key, "total") for b in lay.table4.blocks}
    return out


@given(reports(), st.data())
def test_a_blank_total_gives_the_value_it_should_hold(report: Report, data: st.DataObject) -> None:
    report = quiet(report)
    cell = data.draw(st.sampled_from(_int_cells(report)))
    glyph = data.draw(st.sampled_from([BLANK, Placeholder(glyph="/"), Placeholder(glyph="—")]))
    findings = check(report.with_cell(cell.table, cell.row, cell.column, glyph))
    assert [(f.rule, f.key) for f in findings if f.severity is not Severity.INFO] == [("blank", cell.key)]
    totals = [(f.key, f.expected, f.blanks) for f in findings if f.rule == "blank-total"]
    if cell.key in _totals(report):
        assert totals == [(cell.key, cell.value, (cell.key,))]
    else:
        assert totals == []
    assert [f for f in findings if f.rule in CULPRITS] == []


# ---------------------------------------------------------------------------------------
# Table 2 against last year
# ---------------------------------------------------------------------------------------


def _stock(report: Report, previous: Report) -> list[tuple[Key, list[Key], list[Key], int]]:
    """(about, cells added, cells subtracted, last year's contribution to the subtracted side)."""
    out = []
    if report.format == "2021":
        for row in ("rules", "normative_documents"):
            about = ("table2", row, "in_force")
            before = previous.cell(*about)
            assert type(before) is int
            out.append((about, [about, ("table2", row, "repealed")], [("table2", row, "issued")], before))
    else:
        for row in ("rules", "normative_documents"):
            about = ("table2", row, "total_published")
            before = previous.cell(*about)
            assert type(before) is int
            out.append((about, [about], [("table2", row, "new_published")], before))
        for row in ("licensing", "other_services", "punishment", "enforcement", "fees"):
            about = ("table2", row, "previous_count")
            count, change = previous.cell(*about), previous.cell("table2", row, "change")
            assert type(count) is int
            assert type(change) is int
            out.append((about, [about], [], count + change))
    return out


def _stock_culprits(report: Report, previous: Report) -> set[tuple[Any, ...]]:
    """Brute force over the stock identities (each cell of this year is in one of them)."""
    out: set[tuple[Any, ...]] = set()
    rows = _stock(report, previous)
    values = {k: report.cell(*k) for about, plus, minus, _ in rows for k in plus + minus}

    def holds(trial: dict[Key, Any], row: tuple[Key, list[Key], list[Key], int]) -> bool:
        _, plus, minus, constant = row
        return sum(trial[k] for k in plus) == sum(trial[k] for k in minus) + constant

    broken = [r for r in rows if not holds(values, r)]
    for row in broken:
        _, plus, minus, constant = row
        options = []
        for key in plus + minus:
            rest = sum(values[k] for k in plus if k != key) - sum(values[k] for k in minus if k != key) - constant
            needed = -rest if key in plus else rest
            if needed >= 0 and needed != values[key]:
                options.append((key, needed))
        if len(options) == 1:
            key, needed = options[0]
            rule = "transposed-culprit" if transposition(values[key], needed) else "t2-culprit"
            out.add((rule, key, needed, values[key] - needed))
        elif options:
            transposed = [(k, n) for k, n in options if transposition(values[k], n)]
            if len(transposed) == 1:
                key, needed = transposed[0]
                out.add(("transposed-culprit", key, needed, values[key] - needed))
            else:
                out.add(("t2-culprit", None, frozenset(options), None))
    return out


@settings(max_examples=examples(80))
@given(reports(), st.data())
def test_one_changed_stock_cell_against_last_year(report: Report, data: st.DataObject) -> None:
    assert report.year is not None
    # last year's report made consistent with this one's stock, then one cell of this year changed
    previous = attrs.evolve(report, year=report.year - 1)
    for about, *_ in _stock(report, report):
        if report.format == "2021":
            row = about[1]
            now, issued, repealed = (report.cell("table2", row, c) for c in ("in_force", "issued", "repealed"))
            previous = previous.with_cell(*about, now - issued + repealed)  # type: ignore[operator]
        elif about[2] == "total_published":
            new = report.cell("table2", about[1], "new_published")
            previous = previous.with_cell(*about, report.cell(*about) - new)  # type: ignore[operator]
        else:
            previous = previous.with_cell("table2", about[1], "change", report.cell(*about) - previous.cell(*about))  # type: ignore[operator]
    rows = _stock(report, previous)
    previous = attrs.evolve(previous, table3=report.table3)  # no carry-over finding to mind
    assume(all(previous.cell(*a) is not None for a, *_ in rows))
    assume(all(type(v) is int and v >= 0 for a, _, _, _ in rows if (v := previous.cell(*a)) is not None))
    same = [f for f in check(report, previous) if f.rule in ("t2-stock", "t2-culprit")]
    assert same == []
    key = data.draw(st.sampled_from([k for _, plus, minus, _ in rows for k in plus + minus]))
    before = report.cell(*key)
    assert type(before) is int
    after = data.draw(st.integers(0, before + 30).filter(lambda v: v != before))
    mutated = report.with_cell(*key, after)
    findings = [f for f in check(mutated, previous) if f.rule in ("t2-stock", "t2-culprit") or f.rule in CULPRITS]
    stock = [(f.rule, f.key, f.difference) for f in findings if f.rule == "t2-stock"]
    (about,) = [a for a, plus, minus, _ in rows if key in plus + minus]
    sign = 1 if key in next(p for a, p, _, _ in rows if a == about) else -1
    assert stock == [("t2-stock", about, sign * (after - before))]
    assert got_culprits(findings) == _stock_culprits(mutated, previous)
