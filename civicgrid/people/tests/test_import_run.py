"""Running a person-ledger import: all or nothing, idempotent, scoped, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from civicgrid.core.models import AuditEvent
from civicgrid.imports.models import ImportChange, ImportJob
from civicgrid.people.models import Household, Person, PersonTag
from civicgrid.people.tests.import_workbooks import (
    HEADERS,
    id_number,
    import_media,  # noqa: F401 - fixture
    read_xlsx,
    row,
    upload,
    workbook,
)
from civicgrid.places.models import Dwelling

pytestmark = pytest.mark.usefixtures("import_media")


def _import(client, content: bytes, name: str = "台账.xlsx") -> ImportJob:
    response = client.post(reverse("people:import_upload"), {"file": upload(content, name)})
    assert response.status_code == 302, response.content
    job = ImportJob.objects.latest("pk")
    client.post(reverse("people:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


def _clean_rows(d):
    g1, g2 = d.grid_a1.code, d.grid_a2.code
    return [
        row("张三", date(1960, 3, 7), 11, g1, 标签="低保,独居老人"),
        row("李梅", date(1962, 5, 1), 12, g1, 与户主关系="配偶", 户号="H0011", 居住地址="平江路11号"),
        row("王五", date(1990, 1, 2), 13, g2, 人员类型="流动"),
    ]


def test_clean_file_imports_every_row_with_households_dwellings_and_tags(district, login):
    client = login(district.community_a)
    job = _import(client, workbook(_clean_rows(district)))
    assert job.status == "done", job.message
    assert job.counts["created"] == 3
    zhang = Person.objects.get(name="张三")
    assert zhang.area == district.grid_a1
    assert zhang.dwelling.address == "平江路11号"
    assert zhang.household.number == "H0011"
    assert zhang.household.head == zhang
    assert Person.objects.get(name="李梅").household == zhang.household
    assert sorted(PersonTag.objects.filter(person=zhang).values_list("tag__name", flat=True)) == ["低保", "独居老人"]
    assert zhang.id_number_masked.startswith("3205") and "*" in zhang.id_number_masked
    assert zhang.name_initials == "zs"
    assert Dwelling.objects.filter(area=district.grid_a1, address="平江路11号").count() == 1


def test_reimporting_the_same_file_changes_nothing(district, login):
    client = login(district.community_a)
    content = workbook(_clean_rows(district))
    _import(client, content)
    versions = dict(Person.objects.values_list("pk", "version"))
    job = _import(client, content)
    assert job.status == "done"
    assert (job.counts["created"], job.counts["updated"], job.counts["unchanged"]) == (0, 0, 3)
    assert Person.objects.count() == 3
    assert Household.objects.count() == 2
    assert Dwelling.objects.count() == 2
    assert dict(Person.objects.values_list("pk", "version")) == versions


def test_changed_row_updates_the_person_and_records_the_change_on_the_job(district, login):
    client = login(district.community_a)
    _import(client, workbook(_clean_rows(district)))
    rows = _clean_rows(district)
    rows[2] = row("王五", date(1990, 1, 2), 13, district.grid_a2.code, 人员类型="租住", 联系电话="13900000000")
    job = _import(client, workbook(rows))
    assert (job.counts["created"], job.counts["updated"], job.counts["unchanged"]) == (0, 1, 2)
    wang = Person.objects.get(name="王五")
    assert wang.residency_kind == "tenant"
    assert wang.phone_masked == "139****0000"
    change = ImportChange.objects.get(job=job)
    assert change.object_id == str(wang.pk)
    assert change.changes["residency_kind"] == ["floating", "tenant"]
    assert "13900000000" not in str(change.changes)


def test_import_writes_one_summary_audit_event(district, login):
    client = login(district.community_a)
    before = AuditEvent.objects.count()
    job = _import(client, workbook(_clean_rows(district), title="平江路社区实有人口台账"), name="平江路.xlsx")
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [e.action for e in events] == ["import"]
    assert events[0].changes["created"] == 3
    assert events[0].changes["file"] == "平江路.xlsx"
    assert events[0].object_id == str(job.pk)


def test_one_bad_row_writes_nothing_and_reports_it_in_the_error_workbook(district, login):
    client = login(district.community_a)
    rows = _clean_rows(district)
    bad_id = id_number(date(1970, 1, 1), 21)
    rows.append(
        row(
            "赵六",
            date(1970, 1, 1),
            21,
            district.grid_a1.code,
            身份证号=bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1"),
        )
    )
    job = _import(client, workbook(rows))
    assert job.status == "invalid"
    assert Person.objects.count() == 0
    assert Dwelling.objects.count() == 0
    sheet = read_xlsx(job.error_file.read())
    assert sheet[0][: len(HEADERS)] == HEADERS
    assert sheet[0][-2:] == ["错误原因", "原行号"]
    assert len(sheet) == 2
    assert "校验位" in sheet[1][-2]
    assert sheet[1][-1] == 5.0  # header on row 1, the fourth data row
    assert sheet[1][2] == rows[3][2]  # the ID comes back as text, digits intact


def test_messy_workbook_reports_each_bad_row_with_its_row_number_and_reason(district, login):
    client = login(district.community_a)
    g = district.grid_a1.code
    full_width_id = id_number(date(1980, 2, 3), 31).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = [
        row("全角", date(1980, 2, 3), 31, g, 身份证号=full_width_id, 出生日期="1980年2月3日"),  # ok
        row("数字", date(1981, 2, 3), 32, g, 身份证号=320508198102030321),  # numeric ID cell
        row("电话", date(1982, 2, 3), 33, g, 联系电话="12345"),  # bad phone
        [None] * len(HEADERS),  # empty row: skipped
        row("类型", date(1983, 2, 3), 34, g, 人员类型="外来"),  # unknown residency kind
        row("网格外", date(1984, 2, 3), 35, district.grid_b1.code),  # grid outside scope
        row("", date(1985, 2, 3), 36, g),  # missing name
        row("标签", date(1986, 2, 3), 37, g, 标签="低保,不存在的标签"),  # unknown tag
        row("全角", date(1980, 2, 3), 31, g),  # duplicate of the first row
        row("日期", date(1987, 2, 3), 38, g, 出生日期="1987.2.3"),  # ok
    ]
    job = _import(client, workbook(rows, title="姑苏区平江路社区实有人口台账"))
    assert job.status == "invalid"
    assert Person.objects.count() == 0
    sheet = read_xlsx(job.error_file.read())
    reasons = {int(r[-1]): r[-2] for r in sheet[1:]}
    # title on row 1, header on row 2, data from row 3; the empty row is row 6
    assert sorted(reasons) == [4, 5, 7, 8, 9, 10, 11]
    assert "数字" in reasons[4] and "文本" in reasons[4]
    assert "手机号" in reasons[5]
    assert "外来" in reasons[7]
    assert "网格" in reasons[8]
    assert "姓名" in reasons[9]
    assert "不存在的标签" in reasons[10]
    assert "第 3 行" in reasons[11] or "第3行" in reasons[11]


def test_grid_outside_the_importers_area_is_rejected(district, login):
    client = login(district.community_a)
    job = _import(client, workbook([row("外区", date(1990, 1, 1), 41, district.grid_b1.code)]))
    assert job.status == "invalid"
    assert not Person.objects.exists()


def test_id_registered_in_another_area_is_held_for_review_without_revealing_it(district, login):
    from civicgrid.people import protection

    number = id_number(date(1975, 6, 6), 51)
    Person.objects.create(
        area=district.grid_b1,
        residency_kind="registered",
        **protection.name_fields("别处"),
        **protection.id_number_fields(number),
    )
    client = login(district.community_a)
    job = _import(client, workbook([row("本地", date(1975, 6, 6), 51, district.grid_a1.code)]))
    assert job.status == "done"
    assert job.counts["review"] == 1
    assert Person.objects.count() == 1
    assert Person.objects.get().name == "别处"
    assert job.review[0]["person_id"] is None
    page = client.get(reverse("people:import_detail", args=[job.pk])).content.decode()
    assert "南门" not in page and "别处" not in page


def test_same_name_birth_and_address_with_another_id_is_held_for_review(district, login):
    client = login(district.community_a)
    g = district.grid_a1.code
    _import(client, workbook([row("张三", date(1960, 3, 7), 11, g)]))
    job = _import(client, workbook([row("张三", date(1960, 3, 7), 12, g, 居住地址="平江路11号", 性别="女")]))
    assert job.counts["review"] == 1
    assert Person.objects.count() == 1
    assert job.review[0]["person_id"] == Person.objects.get().pk


def test_sensitive_tag_needs_the_sensitive_capability(district, login):
    from civicgrid.testing.factories import UserFactory, assign

    staff = UserFactory(username="staff_a")
    assign(staff, "community_staff", district.comm_a)
    client = login(staff)
    job = _import(client, workbook([row("矫正", date(1980, 1, 1), 61, district.grid_a1.code, 标签="社区矫正")]))
    assert job.status == "invalid"
    assert "社区矫正" in read_xlsx(job.error_file.read())[1][-2]


def test_import_of_another_areas_job_is_not_found(district, login):
    job = _import(login(district.community_a), workbook(_clean_rows(district)))
    from civicgrid.testing.factories import UserFactory, assign

    other = UserFactory(username="staff_b")
    assign(other, "community_staff", district.comm_b)
    client = login(other)
    assert client.get(reverse("people:import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("people:import_errors", args=[job.pk])).status_code == 404
