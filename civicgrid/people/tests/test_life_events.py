from datetime import date, timedelta

from django.utils import timezone

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Person, PersonTag, Residency, Visit
from civicgrid.people.tests.conftest import make_person, tag


def test_moving_out_keeps_the_record_and_closes_the_residency(registry, login):
    p = registry.wang
    response = login(registry.staff_a).post(f"/people/{p.pk}/move-out/", {"on": "2026-01-10", "destination": "上海市"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "moved_out" and p.status_date == date(2026, 1, 10) and p.status_note == "上海市"
    assert Residency.objects.get(person=p).until == date(2026, 1, 10)
    assert AuditEvent.objects.filter(object_type="person", object_id=str(p.pk), action="update").exists()


def test_moved_out_person_leaves_the_default_list_but_stays_findable(registry, login):
    client = login(registry.staff_a)
    client.post(f"/people/{registry.wang.pk}/move-out/", {"on": "2026-01-10"})
    assert "王大明" not in {p.name for p in client.get("/people/").context["page"].object_list}
    everyone = client.get("/people/", {"status": "all"}).context["page"].object_list
    assert "王大明" in {p.name for p in everyone}


def test_recording_a_death_keeps_history(registry, login):
    p = registry.zhang
    login(registry.d.worker_a1).post(f"/people/{p.pk}/death/", {"on": "2026-02-01", "note": "病故"})
    p.refresh_from_db()
    assert p.status == "deceased"
    assert Person.objects.filter(pk=p.pk).exists()
    assert Visit.objects.filter(person=p).exists()
    assert Residency.objects.get(person=p).until == date(2026, 2, 1)


def test_death_date_in_the_future_is_refused(registry, login):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = login(registry.d.worker_a1).post(f"/people/{registry.zhang.pk}/death/", {"on": future}).content.decode()
    assert "不能晚于今天" in page
    registry.zhang.refresh_from_db()
    assert registry.zhang.status == "active"


def test_merge_moves_tags_and_visits_and_audits_both_records(registry, login):
    dup = make_person(name="张三丰", area=registry.d.grid_a1, birth=date(1950, 3, 15), seq=124)
    PersonTag.objects.filter(person=dup).delete()
    # the duplicate has no ID hash clash: give it none
    Person.objects.filter(pk=dup.pk).update(id_number_hash="", id_number_enc="", id_number_masked="", id_number_tail="")
    PersonTag.objects.create(person=dup, tag=tag("living_alone"))
    Visit.objects.create(area=registry.d.grid_a1, person=dup, visited_at=timezone.now(), visitor=registry.d.worker_a1)
    response = login(registry.d.worker_a1).post(
        f"/people/{registry.zhang.pk}/merge/", {"other": dup.pk, "keep": "this"}
    )
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into_id == registry.zhang.pk
    assert set(registry.zhang.person_tags.values_list("tag__code", flat=True)) == {"dibao", "living_alone"}
    assert Visit.objects.filter(person=registry.zhang).count() == 2
    events = AuditEvent.objects.filter(object_type="person", object_id__in=[str(registry.zhang.pk), str(dup.pk)])
    assert {e.object_id for e in events} == {str(registry.zhang.pk), str(dup.pk)}
    survivor_event = events.get(object_id=str(registry.zhang.pk))
    assert survivor_event.changes["merged_from"] == [None, dup.pk]


def test_merging_two_different_id_numbers_is_refused(registry, login):
    page = (
        login(registry.d.worker_a1)
        .post(f"/people/{registry.zhang.pk}/merge/", {"other": registry.li.pk, "keep": "this"})
        .content.decode()
    )
    assert "身份证号不同" in page
    registry.li.refresh_from_db()
    assert registry.li.status == "active"


def test_merge_with_a_person_outside_scope_is_refused(registry, login):
    page = (
        login(registry.d.worker_a1)
        .post(f"/people/{registry.zhang.pk}/merge/", {"other": registry.zhao.pk, "keep": "this"})
        .content.decode()
    )
    assert "没有该编号" in page


def test_moving_a_household_moves_members_and_keeps_residency_history(registry, login):
    hh = registry.household_a1
    response = login(registry.staff_a).post(
        f"/people/households/{hh.pk}/move/", {"dwelling": registry.dwelling_a2.pk, "on": "2026-03-01"}
    )
    assert response.status_code == 302
    hh.refresh_from_db()
    assert hh.dwelling == registry.dwelling_a2 and hh.area == registry.d.grid_a2
    for p in (registry.zhang, registry.li):
        p.refresh_from_db()
        assert p.dwelling == registry.dwelling_a2 and p.area == registry.d.grid_a2
        history = list(Residency.objects.filter(person=p).order_by("since"))
        assert [(r.dwelling_id, r.until) for r in history] == [
            (registry.dwelling_a1.pk, date(2026, 3, 1)),
            (registry.dwelling_a2.pk, None),
        ]
