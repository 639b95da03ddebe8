from datetime import date

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import PersonTag, Tag
from civicgrid.people.tests.conftest import make_person, tag


def test_district_admin_creates_a_tag(registry, login):
    response = login(registry.d.admin).post(
        "/people/tags/new/",
        {"code": "pregnant", "name": "孕产妇", "category": "卫生", "visit_interval_days": 30},
    )
    assert response.status_code == 302
    assert Tag.objects.get(code="pregnant").visit_interval_days == 30
    assert AuditEvent.objects.filter(object_type="tag", action="create").exists()


def test_community_secretary_cannot_edit_tags(registry, login):
    assert login(registry.d.community_a).get("/people/tags/").status_code == 403


def test_disability_tag_needs_a_grade(registry, login):
    client = login(registry.d.worker_a1)
    disabled = tag("disabled")
    client.post(f"/people/{registry.zhang.pk}/tags/", {"tag": disabled.pk, "grade": ""})
    assert not PersonTag.objects.filter(person=registry.zhang, tag=disabled).exists()
    client.post(f"/people/{registry.zhang.pk}/tags/", {"tag": disabled.pk, "grade": "二级"})
    assert PersonTag.objects.get(person=registry.zhang, tag=disabled).grade == "二级"
    assert "残疾（二级）" in client.get(f"/people/{registry.zhang.pk}/").content.decode()


def test_grid_worker_cannot_add_a_sensitive_tag(registry, login):
    login(registry.d.worker_a1).post(f"/people/{registry.zhang.pk}/tags/", {"tag": tag("drug_user").pk})
    assert not PersonTag.objects.filter(person=registry.zhang, tag__code="drug_user").exists()


def test_removing_a_tag_is_audited(registry, login):
    login(registry.d.worker_a1).post(f"/people/{registry.zhang.pk}/tags/dibao/remove/")
    assert not PersonTag.objects.filter(person=registry.zhang, tag__code="dibao").exists()
    event = AuditEvent.objects.filter(object_id=str(registry.zhang.pk), action="update").latest("id")
    assert event.changes["tags"][0]["tag"] == "dibao"


def test_aged_tag_is_derived_from_birth_date(registry, login):
    make_person(name="钱九十", area=registry.d.grid_a1, birth=date(1930, 1, 1), seq=701)
    client = login(registry.d.worker_a1)
    found = {p.name for p in client.get("/people/", {"tag": "aged90"}).context["page"].object_list}
    assert found == {"钱九十"}
    page = client.get(
        "/people/", {"q": "钱九十"}, headers={"HX-Request": "true", "HX-Target": "person-results"}
    ).content.decode()
    assert "高龄(90+)" in page and "高龄(80+)" not in page
