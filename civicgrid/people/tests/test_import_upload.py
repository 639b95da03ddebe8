"""Uploading a ledger: file checks, header mapping preview, template download."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicgrid.imports.models import ImportJob
from civicgrid.people.tests.import_workbooks import (
    import_media,  # noqa: F401 - fixture
    read_xlsx,
    row,
    upload,
    workbook,
)

pytestmark = pytest.mark.usefixtures("import_media")


def test_preview_shows_detected_mapping_first_rows_and_validation_summary(district, login):
    client = login(district.community_a)
    rows = [row("张三", date(1960, 3, 7), 11, district.grid_a1.code), row("李四", date(1961, 3, 7), 12, "不存在网格")]
    response = client.post(reverse("people:import_upload"), {"file": upload(workbook(rows, title="台账"))}, follow=True)
    page = response.content.decode()
    assert "张三" in page
    assert 'name="col_2"' in page and '<option value="id_number" selected>' in page
    assert "不存在网格" in page  # the error reason for row 4
    assert ImportJob.objects.get().status == "uploaded"


def test_user_can_correct_the_mapping(district, login):
    client = login(district.community_a)
    headers = ["名字?", "身份证号", "人员类型", "网格"]
    rows = [["张三", row("张三", date(1960, 3, 7), 11, "")[2], "户籍", district.grid_a1.code]]
    client.post(reverse("people:import_upload"), {"file": upload(workbook(rows, headers, text_columns=(1,)))})
    job = ImportJob.objects.get()
    page = client.post(
        reverse("people:import_detail", args=[job.pk]),
        {"col_0": "name", "col_1": "id_number", "col_2": "residency_kind", "col_3": "grid"},
    ).content.decode()
    job.refresh_from_db()
    assert job.mapping["0"] == "name"
    assert "errorlist" not in page


def test_non_excel_upload_is_rejected_with_a_chinese_message(district, login):
    client = login(district.community_a)
    response = client.post(reverse("people:import_upload"), {"file": SimpleUploadedFile("a.csv", b"x,y")}, follow=True)
    assert "只能导入 Excel" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_grid_worker_without_import_capability_cannot_upload(district, login):
    assert login(district.worker_a1).get(reverse("people:import_list")).status_code == 403


def test_template_has_the_expected_headers_an_example_and_text_id_column(district, login):
    response = login(district.community_a).get(reverse("people:import_template"))
    rows = read_xlsx(response.content)
    assert rows[0][:3] == ["姓名", "性别", "身份证号"]
    assert rows[1][2] == "320508199003071234"
    assert "低保" in str(read_xlsx(response.content, sheet=1))


def test_progress_of_a_finished_job_refreshes_the_page(district, login):
    client = login(district.community_a)
    client.post(
        reverse("people:import_upload"),
        {"file": upload(workbook([row("张三", date(1960, 3, 7), 11, district.grid_a1.code)]))},
    )
    job = ImportJob.objects.get()
    client.post(reverse("people:import_confirm", args=[job.pk]))
    response = client.get(reverse("people:import_progress", args=[job.pk]))
    assert response["HX-Refresh"] == "true"
