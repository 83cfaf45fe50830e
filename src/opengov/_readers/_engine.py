"""The text recogniser of the ``ocr`` extra: PP-OCRv4's Chinese recognition model, as shipped
inside the ``rapidocr-onnxruntime`` wheel, run by onnxruntime on the CPU.

Only the model file and its character list are taken from the wheel; nothing is downloaded.
The model reads one line of text (a crop of the page, scaled to 48 pixels high) and gives, for
each step of 8 pixels across, a probability for each of its 6 623 characters and for *blank*
(CTC).  From those this module makes:

* the most probable text (best path: steps' most probable symbols, repeats and blanks
  removed) with each character's probability — for labels and prose;
* for a *figure* (a text of digits), its **readings**: the digit strings the steps can spell,
  each with its probability summed over every way of spelling it (a prefix beam search over
  the digits, the decimal point, the comma and the minus sign; look-alikes such as ``O`` for
  ``0`` count for the digit).  A confusable digit (``3``/``8``) or a digit that is only half
  seen (lost, or extra) gives a second reading with a real probability, which
  :mod:`opengov._alternatives` holds against the tables' identities.

Crops are recognised in batches of similar width (each batch is padded to its widest crop),
one onnxruntime thread per call: pages are recognised in parallel by the caller instead.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import cv2
import numpy as np
import numpy.typing as npt

from opengov._errors import MissingExtraError
from opengov._readers._available import INSTALL_HINT, PURPOSE, check_available, unavailable

__all__ = [
    "Engine",
    "Recognised",
    "engine",
    "FIGURE_SYMBOLS",
    "fold",
]

HEIGHT = 48
"""The model's input height (pixels)."""
STEP = 8
"""Pixels of input per output step."""
_BATCH = 16
"""Crops per model call (at most)."""
_SPREAD = 1.3
"""The widest crop of a batch is at most this much wider than its narrowest (plus a step)."""
_PRUNE = 1e-4
"""Symbols less probable than this at a step are not followed by the beam search."""
_BEAM = 12
"""Prefixes kept by the beam search."""
_KEPT = 6
"""Readings kept per figure."""
_FLOOR = 1e-3
"""Readings less probable than this are not kept."""

FIGURE_SYMBOLS = "0123456789.,-"
"""What a figure is spelled with."""

_LOOK_ALIKES: dict[str, str] = {
    "０": "0", "１": "1", "２": "2", "３": "3", "４": "4", "５": "5", "６": "6", "７": "7", "８": "8", "９": "9",
    "O": "0", "o": "0", "〇": "0", "Ｏ": "0", "D": "0",
    "l": "1", "I": "1", "|": "1", "丨": "1", "Ｉ": "1", "!": "1", "！": "1", "i": "1", "]": "1", "[": "1",
    "．": ".", "·": ".", "。": ".",
    "，": ",",
    "－": "-", "—": "-", "–": "-",
}  # fmt: skip
"""Symbols the model may give for a figure's symbols (their probability counts for it)."""


@attrs.frozen(kw_only=True)
class Recognised:
    """One crop as recognised: the best text, each character's probability, the step each
    character was read at (for its position), and the crop's number of steps."""

    text: str
    probabilities: tuple[float, ...]
    steps: tuple[int, ...]
    n_steps: int
    readings: tuple[tuple[str, float], ...] = ()
    """When asked for: the crop read as a figure, ``(text, probability)``, most probable
    first (empty when no figure is probable at all)."""

    @property
    def confidence(self) -> float:
        """The least probable character's probability (1 for an empty text)."""
        return min(self.probabilities, default=1.0)


def _model_directory() -> Path:
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("ocr", "rapidocr-onnxruntime", PURPOSE)
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class Engine:
    """The loaded recognition model and its character list (made once per process by
    :func:`engine`; onnxruntime sessions may be called from several threads at once)."""

    def __init__(self) -> None:
        import onnxruntime

        path = _model_directory() / "ch_PP-OCRv4_rec_infer.onnx"
        if not path.is_file():
            raise unavailable("ocr-extra-missing", f"{INSTALL_HINT} (the recognition model {path.name} is missing)")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 4
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session: Any = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input_name: str = self.session.get_inputs()[0].name
        meta = self.session.get_modelmeta().custom_metadata_map
        self.characters: tuple[str, ...] = ("", *meta["character"].splitlines(), " ")
        """Index 0 is CTC blank; the last is the space."""
        index: dict[str, list[int]] = {symbol: [] for symbol in FIGURE_SYMBOLS}
        for i, char in enumerate(self.characters):
            target = char if char in index else _LOOK_ALIKES.get(char)
            if target is not None:
                index[target].append(i)
        self.figure_columns: tuple[tuple[str, tuple[int, ...]], ...] = tuple(
            (symbol, tuple(columns)) for symbol, columns in index.items()
        )
        self.version: str = describe()

    def recognise(
        self,
        crops: Sequence[npt.NDArray[np.uint8]],
        *,
        height: int = HEIGHT,
        squeeze: float = 1.0,
        readings: bool = True,
    ) -> list[Recognised]:
        """Each grey crop (one line of text, any size) as recognised, in order: scaled to
        ``height`` pixels (the model was trained at 48; less is faster and still reads large
        clear print) and its width by ``squeeze`` more; with ``readings``, its readings as a
        figure too."""
        if not crops:
            return []
        widths = [_scaled_width(crop, height, squeeze) for crop in crops]
        order = sorted(range(len(crops)), key=lambda i: widths[i])
        batches: list[list[int]] = []
        for i in order:  # similar widths together: a batch is padded to its widest crop
            if batches and len(batches[-1]) < _BATCH and widths[i] <= _SPREAD * widths[batches[-1][0]] + STEP:
                batches[-1].append(i)
            else:
                batches.append([i])
        out: list[Recognised | None] = [None] * len(crops)
        for batch in batches:
            width = max(widths[i] for i in batch)
            tensor = np.zeros((len(batch), 3, height, width), dtype=np.float32)
            for row, i in enumerate(batch):
                shrink = crops[i].shape[0] > height
                scaled = cv2.resize(
                    crops[i], (widths[i], height), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
                )
                tensor[row, :, :, : widths[i]] = scaled.astype(np.float32) / 127.5 - 1.0
            probabilities = self.session.run(None, {self.input_name: tensor})[0]
            for row, i in enumerate(batch):
                n_steps = min(probabilities.shape[1], math.ceil(widths[i] / STEP) + 1)
                out[i] = self._decode(probabilities[row, :n_steps], readings)
        return [r for r in out if r is not None]

    def _decode(self, probabilities: npt.NDArray[np.float32], with_readings: bool) -> Recognised:
        best = probabilities.argmax(axis=1)
        chars: list[str] = []
        probs: list[float] = []
        steps: list[int] = []
        previous = 0
        for t, k in enumerate(best.tolist()):
            if k != 0 and k != previous:
                chars.append(self.characters[k])
                probs.append(float(probabilities[t, k]))
                steps.append(t)
            elif k != 0 and k == previous:
                probs[-1] = max(probs[-1], float(probabilities[t, k]))
            previous = k
        text = "".join(chars)
        readings: tuple[tuple[str, float], ...] = ()
        if with_readings:
            readings = self._figure_readings(probabilities)
        return Recognised(
            text=text, probabilities=tuple(probs), steps=tuple(steps), n_steps=len(best), readings=readings
        )

    def _figure_readings(self, probabilities: npt.NDArray[np.float32]) -> tuple[tuple[str, float], ...]:
        """The figure's readings: a CTC prefix beam search over the figure's symbols."""
        symbols = [symbol for symbol, _ in self.figure_columns]
        columns = [list(cols) for _, cols in self.figure_columns]
        per_symbol = np.stack([probabilities[:, cols].sum(axis=1) for cols in columns], axis=1)
        blank = probabilities[:, 0].astype(np.float64)
        # beams: prefix -> (probability ending in blank, probability ending in its last symbol)
        beams: dict[str, tuple[float, float]] = {"": (1.0, 0.0)}
        for t in range(per_symbol.shape[0]):
            row = per_symbol[t]
            live = [(s, float(row[s])) for s in np.flatnonzero(row >= _PRUNE).tolist()]
            p_blank = float(blank[t])
            grown: dict[str, list[float]] = {}
            for prefix, (pb, pnb) in beams.items():
                total = pb + pnb
                entry = grown.setdefault(prefix, [0.0, 0.0])
                entry[0] += total * p_blank
                last = prefix[-1] if prefix else None
                for s, p in live:
                    symbol = symbols[s]
                    if symbol == last:
                        entry[1] += pnb * p  # the same symbol again, not separated by blank
                        extended = grown.setdefault(prefix + symbol, [0.0, 0.0])
                        extended[1] += pb * p
                    else:
                        extended = grown.setdefault(prefix + symbol, [0.0, 0.0])
                        extended[1] += total * p
            ranked = sorted(grown.items(), key=lambda item: item[1][0] + item[1][1], reverse=True)[:_BEAM]
            beams = {prefix: (pb, pnb) for prefix, (pb, pnb) in ranked}
        final = sorted(((prefix, pb + pnb) for prefix, (pb, pnb) in beams.items() if prefix), key=lambda x: -x[1])
        return tuple((prefix, p) for prefix, p in final[:_KEPT] if p >= _FLOOR)


def fold(text: str) -> str:
    """A text with the look-alikes of a figure's symbols (``O`` for ``0``) folded to them."""
    return "".join(_LOOK_ALIKES.get(c, c) for c in text)


def _scaled_width(crop: npt.NDArray[np.uint8], height: int, squeeze: float) -> int:
    rows, columns = (int(n) for n in crop.shape[:2])
    return max(STEP * 2, min(height * 60, math.ceil(height * squeeze * columns / max(rows, 1))))


def describe() -> str:
    """The engine and its versions, for the ``ocr`` diagnostic."""
    versions = []
    for package in ("rapidocr-onnxruntime", "onnxruntime"):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - checked before loading
            versions.append(f"{package} (version unknown)")
    return f"RapidOCR PP-OCRv4 recognition model ({', '.join(versions)})"


@functools.cache
def engine() -> Engine:
    """The recogniser, loaded once per process (a pure function of the installed model)."""
    check_available()
    return Engine()
