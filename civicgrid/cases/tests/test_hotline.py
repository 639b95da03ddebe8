import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.cases.models import Case

HEADERS = ["工单编号", "来电时间", "诉求类别", "诉求内容", "事发地址", "经度", "纬度", "来电人", "联系电话"]


def export(rows, title="12345热线工单导出"):
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, title)
    ws.write_row(1, 0, HEADERS)
    for i, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write_string(i, c, str(value))
    wb.close()
    return SimpleUploadedFile("12345.xlsx", buffer.getvalue())


GOOD = ["GD20261124001", "2026-11-24 09:12", "路灯不亮", "小区门口路灯不亮三天了", "平江路1号", "120.605", "31.285",
        "李女士", "13812345678"]  # fmt: skip


def test_export_is_imported_with_original_numbers_once(district, login):
    client = login(district.admin)
    page = client.post("/cases/hotline/", {"file": export([GOOD])}).content.decode()
    assert "新工单" in page or "已导入" in page
    case = Case.objects.get(external_id="GD20261124001")
    assert case.source == "hotline" and case.area == district.grid_a1 and case.reporter_phone_masked == "138****5678"
    client.post("/cases/hotline/", {"file": export([GOOD])})
    assert Case.objects.filter(external_id="GD20261124001").count() == 1


def test_bad_rows_are_reported_and_nothing_is_imported(district, login):
    client = login(district.admin)
    bad_category = ["GD2", "", "不存在的类别", "内容", "", "120.605", "31.285", "", ""]
    no_point = ["GD3", "", "路灯不亮", "内容", "某地", "", "", "", ""]
    page = client.post("/cases/hotline/", {"file": export([GOOD, bad_category, no_point])}).content.decode()
    assert "未知类别" in page and "经纬度" in page and "未导入" in page
    assert not Case.objects.exists()
    errors = client.get("/cases/hotline/errors.xlsx")
    assert errors.status_code == 200


def test_work_orders_outside_the_users_area_are_refused(district, login):
    page = login(district.street_b).post("/cases/hotline/", {"file": export([GOOD])}).content.decode()
    assert "不在您的管辖范围" in page or "管辖" in page
    assert not Case.objects.exists()
