"""Exporting the person list: streamed, masked by default, formula-safe, scoped, audited."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from civicgrid.core.models import AuditEvent
from civicgrid.people import protection
from civicgrid.people.models import Person, PersonTag, Tag
from civicgrid.people.tests.import_workbooks import id_number, read_xlsx
from civicgrid.testing.factories import UserFactory, assign


def _person(area, name, seq, tags=()):
    p = Person.objects.create(
        area=area,
        residency_kind="registered",
        birth_date=date(1970, 1, 1),
        **protection.name_fields(name),
        **protection.id_number_fields(id_number(date(1970, 1, 1), seq)),
        **protection.phone_fields(f"138{seq:08d}"),
    )
    for code in tags:
        PersonTag.objects.create(person=p, tag=Tag.objects.get(code=code))
    return p


def _download(client, **data):
    response = client.post(reverse("people:person_export"), data)
    assert response.status_code == 200
    return read_xlsx(b"".join(response.streaming_content))


def test_export_masks_id_and_phone_by_default(district, login):
    _person(district.grid_a1, "张三", 1)
    rows = _download(login(district.community_a))
    assert rows[1][0] == "张三"
    assert rows[1][2] == "3205**********" + id_number(date(1970, 1, 1), 1)[-4:]
    assert rows[1][6] == "138****0001"


def test_clear_values_need_a_reason_and_are_audited(district, login):
    _person(district.grid_a1, "张三", 1)
    client = login(district.community_a)
    response = client.post(reverse("people:person_export"), {"clear": "1"})
    assert response.status_code == 200
    assert not hasattr(response, "streaming_content")
    rows = _download(client, clear="1", reason="低保复核")
    assert rows[1][2] == id_number(date(1970, 1, 1), 1)
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.reason == "低保复核"
    assert event.changes["clear_values"] is True


def test_export_neutralises_a_formula_in_a_name(district, login):
    _person(district.grid_a1, '=HYPERLINK("http://evil","点我")', 1)
    rows = _download(login(district.community_a))
    assert rows[1][0] == '\'=HYPERLINK("http://evil","点我")'


def test_export_hides_sensitive_tags_without_the_capability(district, login):
    _person(district.grid_a1, "张三", 1, tags=["dibao", "correction"])
    staff = UserFactory(username="staff_a")
    assign(staff, "community_staff", district.comm_a)
    assert _download(login(staff))[1][13] == "低保"
    assert _download(login(district.community_a))[1][13] == "低保,社区矫正"


def test_export_contains_only_the_users_area_and_writes_an_audit_event(district, login):
    _person(district.grid_a1, "本社区", 1)
    _person(district.grid_b1, "别的社区", 2)
    before = AuditEvent.objects.filter(action="export").count()
    rows = _download(login(district.community_a))
    assert [r[0] for r in rows[1:]] == ["本社区"]
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.changes["rows"] == 1


def test_export_needs_the_export_capability(district, login):
    assert login(district.worker_a1).get(reverse("people:person_export")).status_code == 403
