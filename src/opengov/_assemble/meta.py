"""A report's meta and sections: the title (organ and year), the format, section headings.

The format is detected by the layout's marker labels (labels only one format has); a
document without any is taken by its year when it has tables (or its reader found none),
and refused otherwise (:class:`~opengov._errors.ParseError`).
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Sequence

from opengov import layout
from opengov._assemble.sink import Sink
from opengov._assemble.vocab import loose, loose_normalized, normalize, short
from opengov._codec import has_digit
from opengov._errors import Diagnostic, ParseError, Severity
from opengov._grid import Block, Document, Paragraph
from opengov.layout import Format

__all__ = ["detect_format", "find_title", "read_title", "section_heading"]

_FIELD_PREFIX = re.compile(r"^[^:：\s]{1,6}[:：]\s*")
_DATE = re.compile(
    r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}"
    r"|(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}\s*年\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
)
"""A date as a signature prints it (``2024年1月20日``, ``2024-01-20``, ``二〇二四年一月二十日``)."""
_STOPS = "，。；：:,;、！？!?|>《》"
_ALIAS = re.compile(r"[（(][^（）()]*[）)]$")
_SPACES = re.compile(r"\s+")


# ---------------------------------------------------------------------------------------
# Section headings
# ---------------------------------------------------------------------------------------


@functools.cache
def _section_labels() -> tuple[tuple[str, str, str], ...]:
    """``(normalised label, section key, printed label)`` longest first."""
    pairs = [(normalize(label), s.key, label) for s in layout.SECTIONS for label in (s.label, *s.variants)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def section_heading(text: str, current: int) -> tuple[str, str] | None:
    """``(section key, text after the heading)`` when the paragraph starts with a section
    heading; ``current`` is the index of the section read so far (-1 before the first):
    a short heading worded differently counts only when it is numbered as a later one."""
    stripped = text.strip()
    norm = normalize(stripped)
    for nl, key, label in _section_labels():
        if norm.startswith(nl):
            rest = stripped[len(label) :].strip() if stripped.startswith(label) else ""
            if not stripped.startswith(label) and len(norm) > len(nl) + 2:
                rest = ""
            return key, rest
    # A short heading worded differently, numbered as a later section.
    if len(norm) <= 40:
        for index, section in enumerate(layout.SECTIONS):
            if index <= current or not norm.startswith(section.number):
                continue
            body = set(loose(section.label)[1:])
            mine = set(loose(norm)[1:])
            if body and mine and len(body & mine) / len(body | mine) >= 0.6:
                return section.key, ""
        return _numbered_otherwise(norm, current)
    return None


_NUMBERING = re.compile(
    r"(?:第(?P<part>[一二三四五六])部分|（(?P<paren>[一二三四五六])）|(?P<cn>[一二三四五六])[、.．，,]?|(?P<digit>[1-6])[.、．，,])"
)
_NUMBER_VALUES = {ch: n for n, ch in enumerate("一二三四五六", 1)} | {str(n): n for n in range(1, 7)}
_BRACKETS = re.compile(r"^[【\[〔](.*)[】\]〕]$")


@functools.cache
def _section_bodies() -> dict[str, tuple[int, str]]:
    """A section's label and variants without their number (normalised) → ``(its number,
    from 1; its key)``."""
    bodies: dict[str, tuple[int, str]] = {}
    for number, section in enumerate(layout.SECTIONS, 1):
        for label in (section.label, *section.variants):
            bodies[normalize(label)[len(section.number) :]] = (number, section.key)
    return bodies


def _numbered_otherwise(norm: str, current: int) -> tuple[str, str] | None:
    """A heading alone on its paragraph (``norm``, normalised) that is a section's label
    numbered otherwise (``第一部分总体情况``, ``一.总体情况``, ``1.总体情况``, ``（一）总体情况``),
    in brackets (``【一、总体情况】``) or not numbered (``总体情况``): its number, when it has
    one, must be the section's, and a heading without one must come after the section read
    so far (``current``)."""
    bracketed = _BRACKETS.match(norm)
    text = (bracketed[1] if bracketed else norm).rstrip("：。")
    numbering = _NUMBERING.match(text)
    number = None
    if numbering is not None:
        number = _NUMBER_VALUES[next(g for g in numbering.groups() if g is not None)]
        text = text[numbering.end() :]
    found = _section_bodies().get(text)
    if found is None:
        return None
    ordinal, key = found
    if number is None and ordinal - 1 <= current:
        return None
    if number is not None and number != ordinal:
        return None
    return key, ""


# ---------------------------------------------------------------------------------------
# Titles and organs
# ---------------------------------------------------------------------------------------


def _spaced(word: str) -> str:
    """A pattern for ``word`` with white space allowed between its characters (PDFs)."""
    return r"\s*".join(re.escape(ch) for ch in word)


_MARKED = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\x00\x01\x02"), "\x03"),
        **{ord(ch): "\x00" for ch in _STOPS if ord(ch) > 0xFF and ch != "《"},
        ord("《"): "\x01",
        ord("“"): "\x02",
    }
)
"""What the title patterns are matched against: the text with every character of their
classes beyond Latin-1 as a control character (the stops as ``\x00``, ``《`` — a stop that
may also open a title — as ``\x01``, ``“`` as ``\x02``; those three, where a text holds
them, as ``\x03``, which is none of these).  One for one, so every position stays: the
classes of the patterns are then Latin-1 ones, which compile at once, where each class of
CJK characters took ~0.2 ms on a fresh interpreter (three in a pattern)."""


@functools.cache
def _title_pattern(year_after: bool, plain: bool = False) -> re.Pattern[str]:
    """A title with its year before the ``政府信息公开…报告`` words (``<机关><YYYY>年度…报告``,
    ``<YYYY>年<机关>…报告``) or, with ``year_after``, in brackets after them; each compiled
    when first needed (most titles are of the first kind).  It matches text made by
    :data:`_MARKED`; with ``plain``, the text itself (the definition the marked pattern is
    tested against)."""
    if plain:
        stops, opening = _STOPS, "《“"
    else:
        stops = "".join(dict.fromkeys(ch.translate(_MARKED) for ch in _STOPS))
        opening = "《“".translate(_MARKED)
    stop = "[^" + "".join(re.escape(ch) for ch in stops) + "]"
    year = r"(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?"
    endings = "|".join(_spaced(e) for e in layout.REPORT_TITLE_ENDINGS)
    suffix = rf"{_spaced(layout.REPORT_TITLE_CORE)}{stop}{{0,12}}?(?:{endings})"
    start = "^[" + r"\s" + re.escape(opening) + r"\"" + "]*"
    if year_after:
        return re.compile(rf"{start}(?P<pre>{stop}*?)\s*{suffix}\s*[（(]\s*{year}[）)]")
    return re.compile(rf"{start}(?P<pre>{stop}*?)\s*{year}(?P<post>{stop}*?)\s*{suffix}")


_NUMERAL_DIGITS = str.maketrans("〇○零一二三四五六七八九０１２３４５６７８９", "000123456789" + "0123456789")
_NUMERAL_YEAR = re.compile(r"(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}(?=\s*年)|[０-９]{4}")


def _ascii_years(text: str) -> str:
    """The text with a year written in Chinese numerals (``二〇二三年``, ``二○二三年``) or
    full-width digits (``２０２３``) in ASCII digits, one character for one (every position
    stays)."""
    if text.isascii():
        return text
    return _NUMERAL_YEAR.sub(lambda m: m[0].translate(_NUMERAL_DIGITS), text)


_ABOUT = "关于"
"""A word a title may put before or after its organ (``关于…``, ``<机关>关于<年>年度…报告``):
no part of the organ's name."""


def read_title(text: str, *, plain: bool = False) -> tuple[str, int] | None:
    """``(organ, year)`` of a title line (organ ``""`` when it names none), or None.  The
    year may be written in ASCII or full-width digits or in Chinese numerals (``二〇二三``)."""
    source = _ascii_years(text)
    marked = source if plain else source.translate(_MARKED)
    for year_after in (False, True):
        match = _title_pattern(year_after, plain).match(marked)
        if match is not None:
            organ = text[match.start("pre") : match.end("pre")]
            if not year_after:
                organ += text[match.start("post") : match.end("post")]
            organ = _squeeze(organ)
            organ = organ.removeprefix(_ABOUT).removesuffix(_ABOUT)
            return organ, int(match["year"])
    return None


def _squeeze(text: str) -> str:
    return _SPACES.sub("", text)


def _organ_like(text: str) -> bool:
    """Whether a whole line or phrase reads as an organ's name (no digits or sentence
    punctuation, ends like one)."""
    name = _squeeze(text)
    if not 2 <= len(name) <= 40 or has_digit(name) or any(ch in _STOPS for ch in name):
        return False
    bare = _ALIAS.sub("", name)
    return len(bare) >= 2 and bare.endswith(layout.ORGAN_NAME_ENDINGS)


@functools.cache
def _organ_sentences() -> tuple[re.Pattern[str], ...]:
    words = "|".join(re.escape(w) for w in layout.ORGAN_SENTENCE_WORDS)
    authors = "|".join(re.escape(w) for w in layout.ORGAN_AUTHOR_WORDS)
    return (
        re.compile(rf"由\s*(?P<organ>[^{_STOPS}由\s]{{2,40}}?)\s*(?:负责|组织|牵头)?\s*(?:{authors})"),
        re.compile(rf"^\s*(?:(?:19|20)\d\d\s*年度?\s*[，,]?\s*)?(?P<organ>[^{_STOPS}\s]{{2,40}}?)(?:{words})"),
    )


def find_title(blocks: Sequence[Block], sink: Sink) -> tuple[str, str, int | None, frozenset[int]]:
    """``(title, organ, year, indices of the title's paragraphs)``: a title in either order
    (``<机关><YYYY>年度…报告``, ``<YYYY>年<机关>…报告``, ``<机关>…报告（<YYYY>年度）``), printed
    on one paragraph or two; the organ, when the title names none, from the line above or
    under it when that line is an organ's name, else from the signature or a sentence of
    the preamble."""
    texts: list[str] = []
    for block in blocks[:12]:
        if not isinstance(block, Paragraph):
            break
        text = _FIELD_PREFIX.sub("", block.text.strip())
        if section_heading(text, -1) is not None:
            break
        texts.append(text)
    for n, text in enumerate(texts):
        found = read_title(text) if len(text) <= 120 else None
        used = [n]
        if found is None and n + 1 < len(texts) and len(text) <= 60 and len(texts[n + 1]) <= 60:
            found = read_title(text + texts[n + 1])
            used = [n, n + 1]
        if found is None:
            continue
        organ, year = found
        under = used[-1] + 1
        if not organ and n > 0 and _organ_like(texts[n - 1]):
            organ = _squeeze(texts[n - 1])
            used.insert(0, n - 1)
        title = "".join(texts[i] for i in used)
        if not organ and under < len(texts) and _organ_like(texts[under]):
            organ = _squeeze(texts[under])  # the organ on the line under the title: not part of it
            used.append(under)
        if not organ:
            organ = organ_from_text(blocks, title, sink)
        return title, organ, year, frozenset(used)
    sink.add(Severity.WARNING, "missing-title", "no title line naming the organ and the year was found")
    return "", "", None, frozenset()


def organ_from_text(blocks: Sequence[Block], title: str, sink: Sink) -> str:
    """The organ named by the signature (a name line next to a date line at the end) or by
    a preamble or overview sentence, for a title that names none."""
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    tail = paragraphs[-8:]
    for i, block in enumerate(tail):
        near = [tail[j].text for j in (i - 1, i + 1) if 0 <= j < len(tail)]
        if _organ_like(block.text) and any(_DATE.search(t) for t in near):
            organ = _squeeze(block.text)
            sink.add(
                Severity.INFO,
                "organ-from-text",
                f"the title {title!r} names no organ; {organ!r} taken from the signature",
                block.location,
            )
            return organ
    for block in paragraphs[:30]:
        for pattern in _organ_sentences():
            match = pattern.search(block.text)
            if match and _organ_like(match["organ"]):
                organ = _squeeze(match["organ"])
                sink.add(
                    Severity.INFO,
                    "organ-from-text",
                    f"the title {title!r} names no organ; {organ!r} taken from the sentence {short(block.text)}",
                    block.location,
                )
                return organ
    sink.add(Severity.WARNING, "missing-organ", f"the title {title!r} names no organ and no signature does")
    return ""


# ---------------------------------------------------------------------------------------
# The format
# ---------------------------------------------------------------------------------------


def detect_format(
    document: Document, year: int | None, grid_texts: Sequence[collections.Counter[str]], sink: Sink
) -> Format:
    """The document's format, by the marker labels found in its paragraphs and in its
    grids' distinct texts (``grid_texts``, one counter per grid), else by its year.

    Raises :class:`ParseError` for a report before 2019 and for a document that names no
    label of either format and no year (or a year and no tables)."""
    texts = [loose_normalized(b.text) for b in document.paragraphs()]
    # A figure (ASCII digits) cannot hold a marker (none has a digit; tested), and no
    # marker spans two texts (none has a line break), so figures are left out.
    texts += [loose(text) for counts in grid_texts for text in counts if not (text.isdigit() and text.isascii())]
    blob = "\n".join(texts)
    hits = {
        lay.format: sum(1 for m in lay.markers if loose(m) in blob) for lay in (layout.LAYOUT_2019, layout.LAYOUT_2021)
    }
    if year is not None and year < 2019:
        raise ParseError(
            [
                Diagnostic(
                    severity=Severity.ERROR,
                    code="older-layout",
                    message=f"a {year} report uses an older layout (before the 2019 national format); "
                    "only the 2019 and 2021 formats can be read",
                )
            ],
            "the document is an older annual report layout",
        )
    best = max(hits, key=lambda f: hits[f])
    if hits[best] == 0:
        has_tables = bool(grid_texts) or any(loose(r.label) in blob for r in layout.LAYOUT_2021.table3.rows)
        # A page the reader found without tables (only headings, or tables as images)
        # is still the report it is titled: read its meta and prose, tables missing.
        if year is not None and (has_tables or document.tables_missing):
            guess = Format.V2021 if year >= 2021 else Format.V2019
            sink.add(
                Severity.WARNING,
                "format-guessed",
                f"no label marks the format; the {guess} format was taken from the year {year}",
            )
            return guess
        if year is not None and not has_tables:
            raise ParseError(
                [
                    Diagnostic(
                        severity=Severity.ERROR,
                        code="older-layout" if year < 2019 else "unknown-format",
                        message="no table label of the 2019 or 2021 format was found: "
                        "the document is not an annual report in a national format (an older layout?)",
                    )
                ]
            )
        raise ParseError(
            [
                *document.diagnostics,
                Diagnostic(
                    severity=Severity.ERROR,
                    code="unknown-format",
                    message="no label of the 2019 or 2021 format and no report year were found: "
                    "this is not a 政府信息公开工作年度报告 in a national format",
                ),
            ]
        )
    other = Format.V2019 if best is Format.V2021 else Format.V2021
    if hits[other]:
        sink.add(
            Severity.WARNING,
            "mixed-format",
            f"labels of both formats found ({hits[best]} of {best}, {hits[other]} of {other}); read as {best}",
        )
    return best
