"""Helpers for the Excel import tests: messy ledgers written with XlsxWriter,
valid ID numbers, and uploaded files kept in a temporary media folder."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "民族",
    "联系电话",
    "与户主关系",
    "户号",
    "居住地址",
    "人员类型",
    "网格",
    "标签",
    "备注",
]


def id_number(birth: date, seq: int, region: str = "320508") -> str:
    prefix = f"{region}{birth:%Y%m%d}{seq:03d}"
    return prefix + ric.calc_check_digit(prefix + "0")


def workbook(
    rows: list[list[Any]],
    headers: list[str] | None = None,
    *,
    title: str | None = None,
    text_columns: tuple[int, ...] = (2, 5),
) -> bytes:
    """An .xlsx with an optional merged title row above the header."""
    headers = headers or HEADERS
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("台账")
    text = wb.add_format({"num_format": "@"})
    r = 0
    if title:
        ws.merge_range(0, 0, 0, len(headers) - 1, title)
        r = 1
    for c, h in enumerate(headers):
        ws.write_string(r, c, h)
    for i, row in enumerate(rows, start=r + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                ws.write_number(i, c, value)
            elif isinstance(value, date):
                ws.write_datetime(i, c, value, wb.add_format({"num_format": "yyyy-mm-dd"}))
            else:
                ws.write_string(i, c, value, text if c in text_columns else None)
    wb.close()
    return buffer.getvalue()


def upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def read_xlsx(content: bytes, sheet: int = 0) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(sheet).to_python()


def row(name: str, birth: date, seq: int, grid: str, **overrides: Any) -> list[Any]:
    values = {
        "姓名": name,
        "性别": "男" if seq % 2 else "女",
        "身份证号": id_number(birth, seq),
        "出生日期": birth.isoformat(),
        "民族": "汉族",
        "联系电话": f"138{seq:08d}",
        "与户主关系": "户主",
        "户号": f"H{seq:04d}",
        "居住地址": f"平江路{seq}号",
        "人员类型": "户籍",
        "网格": grid,
        "标签": "",
        "备注": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


@pytest.fixture
def import_media(settings, tmp_path):
    """Uploaded ledgers and error workbooks go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
