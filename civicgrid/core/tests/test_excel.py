"""The generic Excel pipeline: header detection, cleaners, safe writing."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from civicgrid.core import excel as xl

SPEC = xl.LedgerSpec(
    "test",
    (
        xl.Column("name", ("姓名",)),
        xl.Column("id_number", ("身份证号", "公民身份号码"), text=True),
        xl.Column("estate", ("小区",)),
        xl.Column("building_no", ("楼栋",)),
        xl.Column("phone", ("联系电话", "手机"), text=True),
    ),
)


def _sheet(build) -> xl.Sheet:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    build(wb.add_worksheet())
    wb.close()
    buffer.seek(0)
    return xl.read_sheet(buffer)


def test_header_below_a_title_row_with_variant_and_full_width_names_is_found():
    def build(ws):
        ws.merge_range(0, 0, 0, 3, "平江路社区实有人口台账")
        ws.write_row(1, 0, ["序号", "姓\u3000名", "公民身份号码（18位）", "*手机"])
        ws.write_row(2, 0, ["1", "张三", "x", "y"])

    header = xl.detect_header(_sheet(build), SPEC)
    assert header.data_start == 2
    assert header.mapping == {1: "name", 2: "id_number", 3: "phone"}


def test_merged_group_header_over_sub_headers_is_combined():
    def build(ws):
        ws.merge_range(0, 0, 1, 0, "姓名")
        ws.merge_range(0, 1, 0, 2, "居住地址")
        ws.write_row(1, 1, ["小区", "楼栋"])
        ws.write_row(2, 0, ["张三", "平江新村", "3"])

    sheet = _sheet(build)
    header = xl.detect_header(sheet, SPEC)
    assert header.mapping == {0: "name", 1: "estate", 2: "building_no"}
    assert header.headers[1] == "居住地址/小区"
    assert [r.values for r in xl.iter_rows(sheet, header)] == [
        {"name": "张三", "estate": "平江新村", "building_no": "3"}
    ]


def test_file_without_a_known_header_is_rejected_with_a_message():
    with pytest.raises(xl.LedgerError):
        xl.detect_header(_sheet(lambda ws: ws.write_row(0, 0, ["a", "b"])), SPEC)


@pytest.mark.parametrize(
    "value",
    [
        "1990-03-07",
        "1990/3/7",
        "1990.3.7",
        "19900307",
        "1990年3月7日",
        "１９９０－０３－０７",
        32939.0,
        date(1990, 3, 7),
        19900307.0,
    ],
)
def test_dates_in_common_ledger_formats_are_understood(value):
    assert xl.clean_date(value) == date(1990, 3, 7)


def test_impossible_date_is_reported():
    with pytest.raises(xl.CellError):
        xl.clean_date("1990-02-30")


@pytest.mark.parametrize(
    ("value", "sex"), [("男", "male"), ("女性", "female"), ("M", "male"), ("f", "female"), ("", "")]
)
def test_sex_variants_are_understood(value, sex):
    assert xl.clean_sex(value) == sex


def test_non_excel_and_large_uploads_are_rejected():
    with pytest.raises(xl.LedgerError):
        xl.check_upload("ledger.csv", 10)
    with pytest.raises(xl.LedgerError):
        xl.check_upload("ledger.xlsx", 21 * 1024 * 1024)


def test_streamed_export_neutralises_formulas_and_keeps_id_numbers_as_text():
    columns = [xl.ExportColumn("姓名"), xl.ExportColumn("身份证号", text=True)]
    data = b"".join(
        xl.stream_xlsx(iter([['=HYPERLINK("http://x")', "320508199003071234"], ["@SUM(A1)", "1"]]), columns)
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1] == ['\'=HYPERLINK("http://x")', "320508199003071234"]
    assert rows[2][0] == "'@SUM(A1)"
