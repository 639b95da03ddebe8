"""Excel ledgers (台账) in and out: the one pipeline every module uses.

Reading: python-calamine (xlsx/xlsm/xls/ods) → ``read_sheet`` → ``detect_header``
finds the header row under any title rows, forward-fills merged header cells
and combines a two-row header, and maps columns to fields through a
``LedgerSpec`` (field → accepted Chinese header variants) → ``iter_rows``
yields ``LedgerRow`` objects that a module's validator fills with cleaned
``data`` and Chinese ``errors``. Cleaners here handle what real ledgers
contain: full-width characters, 男/女/M/F, dates in many shapes, Excel serial
numbers, and ID numbers typed as numbers (already corrupted: rejected).

Writing: XlsxWriter. ``write_error_workbook`` returns the bad rows with their
reasons; ``stream_xlsx`` builds an export in constant memory and streams it;
every string cell goes through ``safe_text`` (formula-injection guard).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 30
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheet programs treat a cell starting with these as a formula (CSV/DDE injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ERROR_REASON_HEADER = "错误原因"  # a column name in the ledger itself, not UI text
ROW_NUMBER_HEADER = "原行号"
EXCEL_EPOCH = date(1899, 12, 30)


class LedgerError(ValueError):
    """The file as a whole cannot be read as a ledger (message in Chinese)."""


class CellError(ValueError):
    """One cell's value is unusable (message in Chinese, says how to fix it)."""


# --- the header-mapping spec ------------------------------------------------------------------------
def normalize_header(value: Any) -> str:
    """Header text as compared: half-width, no spaces, no "*" markers, no (notes)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    text = re.sub(r"[\s*:]", "", text)
    return text


@dataclass(frozen=True)
class Column:
    """One field of a ledger. ``variants`` are header texts as found in real
    ledgers (data, not UI text: they must match whatever the UI language);
    the first variant is what templates and exports write."""

    field: str
    variants: tuple[str, ...]
    required: bool = False
    text: bool = False  # ID/phone: text-formatted in templates and error workbooks
    width: int = 12

    @property
    def header(self) -> str:
        return self.variants[0]


@dataclass(frozen=True)
class LedgerSpec:
    name: str
    columns: tuple[Column, ...]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def match(self, header: Any) -> tuple[str, int] | None:
        """(field, priority) for a header text; lower priority wins when two columns claim a field."""
        text = normalize_header(header)
        if not text:
            return None
        for col in self.columns:
            for i, variant in enumerate(col.variants):
                if normalize_header(variant) == text:
                    return col.field, i
        return None


# --- reading ---------------------------------------------------------------------------------------------
@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # absolute positions: rows[0] is Excel row 1, column 0 is A
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)


def check_upload(name: str, size: int) -> None:
    """Reject what is not an Excel workbook or too large, before reading it."""
    if not name.lower().endswith(EXCEL_EXTENSIONS):
        raise LedgerError(
            _("Only Excel workbooks (.xlsx, .xls) or OpenDocument spreadsheets (.ods) can be imported; got %(name)s.")
            % {"name": name}
        )
    if size > MAX_UPLOAD_BYTES:
        raise LedgerError(
            _("The file is %(mb).1f MB; the limit is 20 MB. Split the ledger into several files.")
            % {"mb": size / 1024 / 1024}
        )


def read_sheet(source: str | Path | IO[bytes], sheet: str | None = None) -> Sheet:
    """Read one sheet (the first by default) fully into memory, positions kept."""
    try:
        if isinstance(source, (str, Path)):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        names = list(workbook.sheet_names)
        if not names:
            raise LedgerError(_("The workbook has no sheets."))
        ws = workbook.get_sheet_by_name(sheet) if sheet and sheet in names else workbook.get_sheet_by_index(0)
        rows = ws.to_python(skip_empty_area=False)
        merged = list(ws.merged_cell_ranges or [])
    except LedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types for a bad file
        raise LedgerError(
            _("The file could not be read as a spreadsheet (%(error)s). Save it again from Excel as .xlsx and retry.")
            % {"error": str(exc)[:120]}
        ) from None
    return Sheet(name=ws.name, rows=rows, merged=merged, sheet_names=names)


@dataclass
class HeaderInfo:
    row_index: int  # the (last) header row, 0-based
    data_start: int  # the first data row, 0-based
    headers: list[str]  # display text per column (merged cells filled, two-row headers joined)
    mapping: dict[int, str]  # column index → field

    def columns_for(self, field_name: str) -> list[int]:
        return [c for c, f in self.mapping.items() if f == field_name]


def _row_texts(row: Sequence[Any]) -> list[str]:
    return [clean_text(v) for v in row]


def _fill_merged(texts: list[str], row_index: int, sheet: Sheet) -> list[str]:
    """calamine gives a merged cell's value in its first cell only: copy it across."""
    filled = list(texts)
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= row_index <= r1 and (c1 > c0 or r1 > r0):
            value = clean_text(sheet.rows[r0][c0]) if r0 < len(sheet.rows) and c0 < len(sheet.rows[r0]) else ""
            for c in range(c0, min(c1 + 1, len(filled))):
                filled[c] = filled[c] or value
    return filled


def _map_headers(headers: list[str], spec: LedgerSpec) -> dict[int, str]:
    best: dict[str, tuple[int, int]] = {}  # field → (priority, column)
    for c, text in enumerate(headers):
        found = spec.match(text.split("/")[-1]) or spec.match(text)
        if found:
            name, priority = found
            if name not in best or priority < best[name][0]:
                best[name] = (priority, c)
    return {c: name for name, (_p, c) in sorted(best.items(), key=lambda kv: kv[1][1])}


def detect_header(sheet: Sheet, spec: LedgerSpec) -> HeaderInfo:
    """The first row with ≥2 cells naming known fields is the header; title rows above are skipped."""
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        top = _fill_merged(_row_texts(row), r, sheet)
        if sum(1 for t in top if spec.match(t)) < 2:
            continue
        headers = top
        data_start = r + 1
        # A two-row header: a merged group title (居住地址) above its parts (小区, 楼栋…).
        if r + 1 < len(sheet.rows):
            sub = _row_texts(sheet.rows[r + 1])
            nonempty = [t for t in sub if t]
            matched = [t for t in nonempty if spec.match(t)]
            if matched and len(matched) * 2 >= len(nonempty):
                width = max(len(top), len(sub))
                top += [""] * (width - len(top))
                sub += [""] * (width - len(sub))
                last = ""
                headers = []
                for t, s in zip(top, sub, strict=True):
                    last = t or (last if s else "")
                    if s and (spec.match(s) or not t):
                        headers.append(f"{last}/{s}" if last and last != s and not spec.match(last) else s)
                    else:
                        headers.append(t)
                data_start = r + 2
        # A group title merged across the row above (居住地址 over 小区/楼栋) prefixes its parts.
        for (r0, c0), (r1, c1) in sheet.merged:
            if r0 == r1 == data_start - 2 and c1 > c0:
                group = clean_text(sheet.rows[r0][c0])
                for c in range(c0, min(c1 + 1, len(headers))):
                    if group and headers[c] and "/" not in headers[c] and headers[c] != group:
                        headers[c] = f"{group}/{headers[c]}"
        return HeaderInfo(
            row_index=data_start - 1, data_start=data_start, headers=headers, mapping=_map_headers(headers, spec)
        )
    raise LedgerError(
        _(
            "No header row was found in the first %(n)d rows: the header must name at least two known columns, "
            "such as 姓名 and 身份证号. Download the import template to see the expected headers."
        )
        % {"n": HEADER_SCAN_ROWS}
    )


@dataclass
class LedgerRow:
    number: int  # the Excel row number the user sees (1-based)
    cells: list[Any]  # the original cells
    values: dict[str, Any]  # raw cell value per mapped field
    data: dict[str, Any] = field(default_factory=dict)  # cleaned values, filled by the module's validator
    errors: list[str] = field(default_factory=list)  # Chinese reasons

    @property
    def ok(self) -> bool:
        return not self.errors


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def iter_rows(sheet: Sheet, header: HeaderInfo, *, limit: int | None = None) -> Iterator[LedgerRow]:
    """Data rows below the header; rows with no value at all are skipped."""
    count = 0
    for r in range(header.data_start, len(sheet.rows)):
        cells = sheet.rows[r]
        if all(is_empty(v) for v in cells):
            continue
        values = {name: (cells[c] if c < len(cells) else None) for c, name in header.mapping.items()}
        yield LedgerRow(number=r + 1, cells=list(cells), values=values)
        count += 1
        if limit is not None and count >= limit:
            return


def count_rows(sheet: Sheet, header: HeaderInfo) -> int:
    return sum(1 for r in range(header.data_start, len(sheet.rows)) if not all(is_empty(v) for v in sheet.rows[r]))


# --- cleaners ---------------------------------------------------------------------------------------------
def half_width(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to their half-width forms."""
    return unicodedata.normalize("NFKC", text)


def is_number_cell(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def clean_text(value: Any) -> str:
    """Any cell as trimmed half-width text; whole-number floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    text = half_width(str(value)).replace("\u200b", "").replace("\ufeff", "")
    return text.strip()


SEX_VALUES = {
    "男": "male",
    "男性": "male",
    "m": "male",
    "male": "male",
    "1": "male",
    "女": "female",
    "女性": "female",
    "f": "female",
    "female": "female",
    "2": "female",
}


def clean_sex(value: Any) -> str:
    """male / female / "" (empty cell)."""
    text = clean_text(value).lower()
    if not text:
        return ""
    if text in SEX_VALUES:
        return SEX_VALUES[text]
    raise CellError(_("Sex “%(value)s” is not understood: write 男 or 女.") % {"value": clean_text(value)})


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
MONTH_PATTERNS = [re.compile(r"^(\d{4})[-/.](\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月?$")]


def parse_date_cell(value: Any) -> tuple[date, bool] | None:
    """(date, exact) — ``exact`` is False for a year-and-month value (出生年月: 1990.03)."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    if is_number_cell(value):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            value = str(int(number))  # 19900307 typed as a number
        elif 1 <= number < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(number)), True  # an Excel serial date
    text = clean_text(value)
    for pattern in DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3])), True
            except ValueError:
                raise CellError(_("The date “%(value)s” does not exist.") % {"value": text}) from None
    for pattern in MONTH_PATTERNS:
        m = pattern.match(text)
        if m and 1 <= int(m[2]) <= 12:
            return date(int(m[1]), int(m[2]), 1), False
    raise CellError(
        _("The date “%(value)s” is not understood: write it like 1990-03-07 or 1990年3月7日.") % {"value": text}
    )


def clean_date(value: Any) -> date | None:
    parsed = parse_date_cell(value)
    return parsed[0] if parsed else None


def split_list(value: Any) -> list[str]:
    """低保,独居老人 / 低保、独居老人 / 低保；独居老人 → ["低保", "独居老人"]."""
    text = clean_text(value)
    return [part.strip() for part in re.split(r"[,，、;；/\s]+", text) if part.strip()]


# --- writing ---------------------------------------------------------------------------------------------------
def safe_text(value: str) -> str:
    """Neutralise spreadsheet formulas: a leading quote makes =HYPERLINK(…) plain text everywhere."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


@dataclass(frozen=True)
class ExportColumn:
    header: str
    width: int = 12
    text: bool = False  # keep as text (ID and phone numbers, codes)


class _Writer:
    """A worksheet writer that applies the formula guard to every string."""

    def __init__(self, workbook: xlsxwriter.Workbook, worksheet: Any, columns: Sequence[ExportColumn]) -> None:
        self.ws = worksheet
        self.header_fmt = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
        self.text_fmt = workbook.add_format({"num_format": "@"})
        self.date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.columns = columns
        for c, col in enumerate(columns):
            worksheet.set_column(c, c, col.width, self.text_fmt if col.text else None)

    def header(self, row: int = 0) -> None:
        for c, col in enumerate(self.columns):
            self.ws.write_string(row, c, safe_text(col.header), self.header_fmt)

    def cell(self, row: int, col: int, value: Any) -> None:
        text_col = col < len(self.columns) and self.columns[col].text
        if value is None or value == "":
            return
        if isinstance(value, bool):
            self.ws.write_string(row, col, "是" if value else "否")
        elif isinstance(value, (int, float, Decimal)) and not text_col:
            self.ws.write_number(row, col, float(value))
        elif isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            self.ws.write_datetime(row, col, value, self.datetime_fmt)
        elif isinstance(value, date) and not text_col:
            self.ws.write_datetime(row, col, datetime.combine(value, time()), self.date_fmt)
        else:
            self.ws.write_string(row, col, safe_text(clean_text(value) if text_col else str(value)), self.text_fmt)

    def row(self, row: int, values: Sequence[Any]) -> None:
        for c, value in enumerate(values):
            self.cell(row, c, value)


def write_workbook(
    target: str | IO[bytes],
    columns: Sequence[ExportColumn],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Sheet1",
    constant_memory: bool = False,
    notes: Sequence[tuple[str, str]] = (),
) -> int:
    """A one-sheet workbook (plus an optional 说明 sheet of notes); returns the data row count."""
    options: dict[str, Any] = {"constant_memory": constant_memory, "strings_to_formulas": False}
    if not isinstance(target, str):
        options["in_memory"] = True
    workbook = xlsxwriter.Workbook(target, options)
    ws = workbook.add_worksheet(sheet_name[:31])
    writer = _Writer(workbook, ws, columns)
    writer.header()
    ws.freeze_panes(1, 0)
    n = 0
    for n, values in enumerate(rows, start=1):
        writer.row(n, values)
    if notes:
        notes_ws = workbook.add_worksheet("说明")
        note_writer = _Writer(workbook, notes_ws, [ExportColumn("", 24), ExportColumn("", 80)])
        for r, (key, text) in enumerate(notes):
            note_writer.row(r, [key, text])
    workbook.close()
    return n


def write_error_workbook(
    target: str | IO[bytes], *, headers: Sequence[str], text_columns: Iterable[int], rows: Iterable[LedgerRow]
) -> int:
    """The bad rows as the user wrote them, each with its reasons and original row number.

    The original headers come first, so the fixed rows can be uploaded again as they are.
    """
    text_set = set(text_columns)
    columns = [ExportColumn(h or "", 14, c in text_set) for c, h in enumerate(headers)]
    columns += [ExportColumn(ERROR_REASON_HEADER, 60), ExportColumn(ROW_NUMBER_HEADER, 8)]

    def values() -> Iterator[list[Any]]:
        for row in rows:
            cells = [_original_cell(v, c in text_set) for c, v in enumerate(row.cells[: len(headers)])]
            cells += [None] * (len(headers) - len(cells))
            yield [*cells, "；".join(row.errors), row.number]

    return write_workbook(target, columns, values(), sheet_name="错误行")


def _original_cell(value: Any, text: bool) -> Any:
    if text and isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return value


def stream_xlsx(
    rows: Iterable[Sequence[Any]],
    columns: Sequence[ExportColumn],
    *,
    sheet_name: str = "Sheet1",
    chunk_size: int = 64 * 1024,
) -> Iterator[bytes]:
    """Build the workbook in constant memory in a temporary file, then yield it in chunks.

    ``rows`` is consumed lazily (pass a queryset ``.iterator()``), so memory stays flat
    whatever the row count; the temporary file is removed when streaming ends.
    """
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="civicgrid-export-")
    os.close(fd)
    try:
        write_workbook(path, columns, rows, sheet_name=sheet_name, constant_memory=True)
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk
    finally:
        Path(path).unlink(missing_ok=True)


def content_disposition(filename: str) -> str:
    """attachment with an ASCII fallback and the UTF-8 name (RFC 6266/5987) for Chinese names."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "export.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_response(chunks: Iterable[bytes], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


def workbook_bytes(columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]], **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, columns, rows, **kwargs)
    return buffer.getvalue()
