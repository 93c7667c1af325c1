"""Reading a CRM export: which encoding it is in, and its rows with the line each starts on.

Excel in Japan saves CSV in Shift_JIS (Windows code page 932); Salesforce and HubSpot export
UTF-8, often with a byte-order mark. The text is parsed by tablib; a subclass of its Dataset
notes, as each record arrives, how many lines of the file have been read, so an error names the
line a person sees in their editor even when a quoted cell spans several lines.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import charset_normalizer
import tablib  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
_BREAK = re.compile(r"\r\n|\r|\n")

# What each encoding is called on the pages (codec name → label).
ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-8": "UTF-8",
    "cp932": "Shift_JIS (CP932)",
    "utf-16": "UTF-16",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    # Records that do not fit the header (more cells than columns): line → cell count.
    misshapen: dict[int, int]


def encoding_label(codec: str) -> str:
    return ENCODING_LABELS.get(codec, codec)


def decode(raw: bytes) -> Decoded:
    """The file as text: UTF-8 with or without BOM, UTF-16 with BOM, Shift_JIS, else a guess."""
    if raw.startswith(codecs.BOM_UTF8):
        return Decoded(raw.decode("utf-8-sig"), "utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(raw.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    for codec in ("utf-8", "cp932"):
        try:
            return Decoded(raw.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise ValidationError(
            _(
                "The file could not be read as text. Save it from your CRM or Excel as CSV "
                "(UTF-8 or Shift_JIS) and upload it again."
            ),
            code="encoding",
        )
    return Decoded(str(best), best.encoding)


class _LineCountingStream:
    """The file's lines for csv.reader, counting how many it has handed out."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.lines_read = 0

    def __iter__(self) -> "_LineCountingStream":
        return self

    def __next__(self) -> str:
        line = self._lines.readline()
        if not line:
            raise StopIteration
        self.lines_read += 1
        return line


class _LinedDataset(tablib.Dataset):
    """tablib's Dataset, noting the line each record starts on as the CSV reader hands it over."""

    def __init__(self, stream: _LineCountingStream) -> None:
        super().__init__()
        self._stream = stream
        self.lines: list[int] = []
        self.misshapen: dict[int, int] = {}

    def append(self, row: Any, tags: Any = ()) -> None:
        cells = [str(cell) for cell in row]
        breaks = sum(len(_BREAK.findall(cell)) for cell in cells)
        line = self._stream.lines_read - breaks
        if len(self.lines) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"},
                code="too_many_rows",
            )
        if len(cells) > self.width:
            self.misshapen[line] = len(cells)
            cells = cells[: self.width]
        self.lines.append(line)
        super().append(cells, tags)


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def parse(text: str, delimiter: str | None = None) -> tuple[Table, str]:
    """The header and the records of a CSV (or tab-separated) text, and the delimiter used."""
    if "\x00" in text:
        raise ValidationError(
            _(
                "The file contains NUL characters, so it is not a CSV file. Save it as CSV "
                "(UTF-8 or Shift_JIS) and upload it again."
            ),
            code="nul",
        )
    delimiter = delimiter or _delimiter(text)
    stream = _LineCountingStream(text)
    dataset = _LinedDataset(stream)
    try:
        dataset.load(stream, format="csv", delimiter=delimiter)
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)s cannot be read as CSV (%(reason)s).")
            % {"line": stream.lines_read, "reason": error},
            code="csv",
        ) from error
    headers = [str(header or "").strip() for header in (dataset.headers or [])]
    if not any(headers):
        raise ValidationError(
            _("The file is empty: its first line must name the columns."), code="empty"
        )
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(
            _("The file has more than %(limit)s columns.") % {"limit": MAX_COLUMNS},
            code="too_many_columns",
        )
    headers = [
        header or _("Column %(number)s") % {"number": index + 1}
        for index, header in enumerate(headers)
    ]
    rows = [
        Row(line=line, cells=list(cells))
        for line, cells in zip(dataset.lines, dataset, strict=True)
        if any(str(cell).strip() for cell in cells)
    ]
    return Table(headers=headers, rows=rows, misshapen=dataset.misshapen), delimiter


def read(raw: bytes) -> tuple[Table, Decoded, str]:
    decoded = decode(raw)
    table, delimiter = parse(decoded.text)
    return table, decoded, delimiter


def read_stored(raw: bytes, encoding: str, delimiter: str) -> Table:
    """A stored file again, read the way it was read when it was uploaded."""
    text = raw.decode(encoding)
    return parse(text, delimiter)[0]
