"""Bytes → text for every text form (plain text, Markdown, HTML …): one decision, shared.

:func:`decode` returns the text, the encoding used and the diagnostics that say so.  The
rule, in order (``docs/parsing.md`` states it for users):

1. **Asked for.**  ``encoding=`` given by the caller: that encoding, strictly (a byte
   sequence that is not valid in it is a :class:`~opengov.ParseError` ``wrong-encoding``
   naming its byte offset and line).  A byte order mark of that encoding is dropped.
2. **Byte order mark** (UTF-8, UTF-32 LE/BE, UTF-16 LE/BE).
3. **UTF-16 without a byte order mark**, told by its NUL bytes: text never holds U+0000,
   while every ASCII character (digits, spaces, line breaks, tags) of UTF-16 text has one
   NUL byte.  Bytes with many NULs are read both ways round, and the byte order whose
   reading holds more line breaks, digits and tags wins.
4. **Declared**: the XML declaration (``<?xml … encoding="…"?>``) or the first
   ``<meta charset>`` / ``<meta http-equiv="Content-Type" content="…; charset=…">`` in
   the first 4 KB.  Only encodings a Chinese report can be written in are taken from a
   declaration: UTF-8, the GB family (GB2312, GBK, GB18030: read as GB18030, their
   superset) and Big5.  A label that is not a text encoding (``rot13``, ``base64``,
   ``hex``, ``zlib``, ``punycode``, ``idna``, ``undefined`` …), an unknown one, or a
   Western single-byte charset (``iso-8859-1`` …) is ignored, and the diagnostic says so.
   ``utf-16`` in an ASCII-readable declaration means UTF-8 (as browsers read it).
5. **Decision** among the declared encoding, UTF-8 and GB18030, each decoded *strictly*:
   the declared one when it decodes, else UTF-8 when it decodes, else GB18030.  (When two
   decode and give different text, the declared one wins, else UTF-8; a warning says the
   reading was ambiguous.)
6. When none decodes strictly: if UTF-8 is a candidate and its invalid byte sequences are
   few (at most :data:`MAX_REPLACED`), each is replaced by U+FFFD, with a warning
   ``undecodable-bytes`` giving their number and the first one's place.  Only UTF-8: it
   resynchronises at the next character, so no ASCII byte (no digit) is ever taken into a
   broken sequence or made out of one.  In GB18030 or UTF-16 a broken byte shifts the
   reading of the bytes after it (GB18030's four-byte characters hold ASCII digit bytes), so
   they must decode strictly.  Otherwise a :class:`~opengov.ParseError` ``unknown-bytes``.

Plain UTF-8 (with or without a byte order mark, nothing declared otherwise) gives no
diagnostic; every other outcome gives one ``encoding`` diagnostic (``info``; ``warning``
when the reading was ambiguous) naming the encoding and why.
"""

from __future__ import annotations

import codecs
import re

import attrs

from opengov._errors import Diagnostic, Location, ParseError, Severity

__all__ = ["Decoded", "decode", "forced_codec", "declared_codec", "MAX_REPLACED", "ENCODING_CODE"]

ENCODING_CODE = "encoding"
"""The code of the diagnostic that says which encoding was used."""

MAX_REPLACED = 16
"""Invalid byte sequences that may be replaced by U+FFFD (with a warning) before the bytes
are refused as not text."""

_PRESCAN_BYTES = 4096
_WINDOW = 1 << 16  # bytes decoded at a time while counting invalid sequences

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts both
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_GB = "gb18030"
_BIG5 = "big5hkscs"

_UTF16_LABELS = ("utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "csunicode", "unicodefffe")

# WHATWG labels (and Python spellings) of the encodings a declaration may name.
_DECLARABLE: dict[str, str] = {
    **dict.fromkeys(
        (
            *("gb2312", "gbk", "gb18030", "chinese", "csgb2312", "csiso58gb231280", "gb_2312", "gb_2312-80"),
            *("iso-ir-58", "x-gbk", "cp936", "windows-936", "euc-cn", "ms936", "936", "gb-18030", "hz-gb-2312"),
        ),
        _GB,
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "big5hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950"), _BIG5),
    **dict.fromkeys(
        ("utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf-8"
    ),
    # a declaration read as ASCII cannot be UTF-16 (browsers read it as UTF-8)
    **dict.fromkeys(_UTF16_LABELS, "utf-8"),
}

# Python codecs that turn bytes into str but are not character encodings of text.
_NOT_TEXT = frozenset(
    {"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "charmap", "mbcs", "oem", "utf-7"}
)

_UTF16_32 = frozenset({"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})

_META_CHARSET_RE = re.compile(rb"<meta[^>]{0,1024}?charset\s*=\s*[\"']?\s*([-\w.:]{1,40})", re.I)
_XML_ENCODING_RE = re.compile(rb"\s{0,64}<\?xml[^>]{0,256}?encoding\s*=\s*[\"']([-\w.:]{1,40})", re.I)


@attrs.frozen(kw_only=True)
class Decoded:
    """The text, the codec used (Python's name) and the diagnostics that say so."""

    text: str
    encoding: str
    diagnostics: tuple[Diagnostic, ...] = ()


def _lookup(label: str) -> codecs.CodecInfo | None:
    try:
        return codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None


def forced_codec(encoding: str) -> str:
    """The Python codec for an ``encoding=`` the caller gives: any real text encoding
    (``gb18030``, ``gbk``, ``utf-16``, ``big5``, ``cp1252`` …; GBK and GB2312 are read as
    GB18030).  ``TypeError`` for a non-str, ``ValueError`` for an unknown name or a codec
    that is not a text encoding (``rot13``, ``base64``, ``hex``, ``zlib``, ``idna`` …)."""
    if not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str such as 'gb18030', got {type(encoding).__name__}")
    label = encoding.strip().lower()
    if label in _UTF16_LABELS:
        return "utf-16-le" if label == "utf-16le" else "utf-16-be" if label in ("utf-16be", "unicodefffe") else "utf-16"
    if label in _DECLARABLE:
        return _DECLARABLE[label]
    info = _lookup(label) if 0 < len(label) <= 40 else None
    if info is None:
        raise ValueError(f"unknown encoding {encoding!r}; use a text encoding such as 'gb18030', 'utf-8' or 'utf-16'")
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        raise ValueError(f"{encoding!r} is not a text encoding; use one such as 'gb18030', 'utf-8' or 'utf-16'")
    if info.name == "utf-8-sig":
        return "utf-8"
    return info.name


def declared_codec(label: str) -> str | None:
    """The codec a declaration's label names, if it is one a declaration may name (see
    the module's rule 4); ``None`` otherwise."""
    return _DECLARABLE.get(label.strip().lower())


def _declaration(data: bytes) -> tuple[str | None, str | None]:
    """(codec, note) from an XML declaration or a ``<meta>`` in the first 4 KB; the note
    says what was declared (and why it was ignored, when it was)."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_ENCODING_RE.match(head)
    where = "the XML declaration"
    if match is None:
        match = _META_CHARSET_RE.search(head)
        where = "<meta charset>"
    if match is None:
        return None, None
    label = match.group(1).decode("ascii", "replace")
    codec = declared_codec(label)
    if codec is not None:
        return codec, f"{where} says {label!r}"
    info = _lookup(label.strip().lower())
    if info is None:
        why = "an unknown encoding"
    elif not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        why = "not a text encoding"
    else:
        why = "not an encoding a Chinese report is written in"
    return None, f"{where} says {label!r}, {why} (ignored)"


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when the NUL bytes say so (rule 3), else None.

    Bytes with many NULs (one in 128 or more) are read both ways; the byte order is the one
    whose reading holds more line breaks, digits 1–9 and ``<`` (every ASCII character of the
    text has its NUL in the high byte; read the wrong way round, these become U+0A00,
    U+3100 … characters no report holds, while the text's few U+xx00 characters — ``─``
    U+2500, ``　`` U+3000, ``一`` U+4E00 — become ``%``, ``0``, ``N``, which are not counted)."""
    sample = data[: 1 << 16]
    if len(data) % 2 or sample.count(0) < max(2, len(sample) // 128):
        return None
    scores = {}
    for codec in ("utf-16-le", "utf-16-be"):
        text = sample.decode(codec, "replace")
        scores[codec] = 0 if "\x00" in text else sum(text.count(c) for c in "\n123456789<")
    little, big = scores["utf-16-le"], scores["utf-16-be"]
    if max(little, big) < 2 or little == big:
        return None
    return "utf-16-le" if little > big else "utf-16-be"


def _line_of(data: bytes, offset: int, codec: str) -> int:
    return data[:offset].decode(codec, "replace").count("\n") + 1


@attrs.frozen(kw_only=True)
class _Lenient:
    text: str
    replaced: int
    first: int


def _lenient(data: bytes, codec: str, window_bytes: int = _WINDOW) -> _Lenient | None:
    """The text with each invalid sequence replaced by U+FFFD, or None beyond
    :data:`MAX_REPLACED` of them.  Decoding resumes right after an invalid sequence's first
    byte (a whole code unit for UTF-16/32; Python's UTF-8 decoder already stops before any
    byte that starts a character), so an ASCII byte is never taken into a replaced sequence.
    Decoded a window at a time (``window_bytes``; the tests compare small windows with one
    window as large as the input): linear in the input however many errors there are."""
    decoder = codecs.getdecoder(codec)
    window_bytes = max(window_bytes, 8)  # twice the longest character: a cut never starts a window
    unit = 4 if codec.startswith("utf-32") else 2 if codec.startswith("utf-16") else 1
    view = memoryview(data)
    parts: list[str] = []
    replaced = 0
    first = -1
    pos = 0
    while pos < len(data):
        window = view[pos : pos + window_bytes]
        last = pos + len(window) >= len(data)
        try:
            parts.append(decoder(window, "strict")[0])
            pos += len(window)
            continue
        except UnicodeDecodeError as error:
            start, end = error.start, error.end
        if start:
            parts.append(decoder(window[:start], "strict")[0])
        if end >= len(window) and not last and start > 0:  # a character cut by the window's end
            pos += start
            continue
        replaced += 1
        if replaced > MAX_REPLACED:
            return None
        if first < 0:
            first = pos + start
        parts.append("\ufffd")
        step = end - start if codec == "utf-8" or unit > 1 else 1
        pos += start + max(step, 1)
    return _Lenient(text="".join(parts), replaced=replaced, first=first)


def _note(severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(severity=severity, code=ENCODING_CODE, message=message, location=Location())


def _unknown(data: bytes, tried: list[str]) -> ParseError:
    details = []
    for codec in tried:
        try:
            data.decode(codec)
        except UnicodeDecodeError as error:
            details.append(f"{codec}: {error.reason} at byte {error.start}")
    message = (
        "the bytes are not text in any encoding opengov detects ("
        + "; ".join(details)
        + ") and not a binary form opengov reads (PDF, Word .docx/.doc)"
    )
    diagnostic = Diagnostic(severity=Severity.ERROR, code="unknown-bytes", message=message, location=Location())
    return ParseError([diagnostic], "the document could not be decoded")


def _forced(data: bytes, codec: str) -> Decoded:
    if codec in ("utf-16", "utf-32"):  # the byte order: the mark, else the NUL bytes, else little-endian
        for mark, name in _BOMS:
            if name.startswith(codec) and data.startswith(mark):
                codec, data = name, data[len(mark) :]
                break
        else:
            codec = (_utf16_by_nuls(data) if codec == "utf-16" else None) or f"{codec}-le"
    else:
        for mark, name in _BOMS:
            if name == codec and data.startswith(mark):
                data = data[len(mark) :]
                break
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start, codec)
        message = (
            f"the bytes are not valid {codec} text ({error.reason} at byte {error.start}, line {line}); "
            "the encoding given does not fit the document: leave encoding out to detect it"
        )
        diagnostic = Diagnostic(
            severity=Severity.ERROR, code="wrong-encoding", message=message, location=Location(line=line)
        )
        raise ParseError([diagnostic], "the document is not in the encoding given") from None
    notes = () if codec == "utf-8" else (_note(Severity.INFO, f"decoded as {codec} (the encoding given)"),)
    return Decoded(text=text, encoding=codec, diagnostics=notes)


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a document's bytes by the module's rule; ``encoding`` forces one (see
    :func:`forced_codec`).  Raises :class:`~opengov.ParseError` (``wrong-encoding`` for a
    forced encoding that does not fit, ``unknown-bytes`` for bytes that are not text)."""
    if encoding is not None:
        return _forced(data, forced_codec(encoding))
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return _decided(data[len(mark) :], codec, "byte order mark", [codec], skipped=len(mark))
    utf16 = _utf16_by_nuls(data)
    if utf16 is not None:
        text = _strict(data, utf16)
        if text is None or "\x00" not in text:  # text holding U+0000 is not UTF-16 text
            try:
                return _decided(data, utf16, "no byte order mark; told by its NUL bytes", [utf16])
            except ParseError:
                pass  # not UTF-16 after all: the other candidates
    if data.isascii():
        return Decoded(text=data.decode("ascii"), encoding="utf-8")
    declared, note = _declaration(data)
    order = list(dict.fromkeys(c for c in (declared, "utf-8", _GB) if c is not None))
    readings: dict[str, str | None] = {}
    chosen = None
    for codec in order:  # the first that decodes; the others only when a note names them
        readings[codec] = _strict(data, codec)
        if readings[codec] is not None:
            chosen = codec
            break
    if chosen is None:
        return _decided(data, None, note, order)
    text = readings[chosen]
    assert text is not None
    if chosen == "utf-8" and declared in (None, "utf-8") and note is None:
        return Decoded(text=text, encoding="utf-8")  # plain UTF-8 (no GB18030 reading made)
    if chosen == "utf-8" and declared == "utf-8":
        return Decoded(text=text, encoding="utf-8")
    readings.update({codec: _strict(data, codec) for codec in order if codec not in readings})
    why = note or "not UTF-8; no encoding declared"
    if declared is not None and chosen != declared:
        why += f", but the bytes are not valid {declared}"
    others = [c for c in order if c != chosen and readings[c] is not None and readings[c] != text]
    if declared is not None and chosen == declared and others:
        message = f"decoded as {chosen} ({why}); the bytes are also valid {', '.join(others)}: the declared one is used"
        return Decoded(text=text, encoding=chosen, diagnostics=(_note(Severity.WARNING, message),))
    return Decoded(text=text, encoding=chosen, diagnostics=(_note(Severity.INFO, f"decoded as {chosen} ({why})"),))


def _decided(data: bytes, codec: str | None, why: str | None, candidates: list[str], skipped: int = 0) -> Decoded:
    """Strictly ``codec`` when it decodes; else UTF-8 with its invalid sequences replaced,
    if UTF-8 is a candidate and they are few (rule 6); else ``unknown-bytes``.  ``skipped``: bytes before ``data``
    (a byte order mark), for the offsets the messages give."""
    if codec is not None:
        text = _strict(data, codec)
        if text is not None:
            notes = () if codec == "utf-8" else (_note(Severity.INFO, f"decoded as {codec} ({why})"),)
            return Decoded(text=text, encoding=codec, diagnostics=notes)
    reading = _lenient(data, "utf-8") if "utf-8" in candidates else None  # rule 6: UTF-8 only
    if reading is None:
        raise _unknown(data, candidates)
    name = "utf-8"
    line = reading.text[: reading.text.find("\ufffd") + 1].count("\n") + 1
    said = f"decoded as {name}" + (f" ({why})" if why else "")
    message = (
        f"{said}: {reading.replaced} byte sequence(s) are not valid {name} and were replaced by U+FFFD "
        f"(the first at byte {reading.first + skipped}, line {line})"
    )
    diagnostic = Diagnostic(
        severity=Severity.WARNING, code="undecodable-bytes", message=message, location=Location(line=line)
    )
    return Decoded(text=reading.text, encoding=name, diagnostics=(diagnostic,))
