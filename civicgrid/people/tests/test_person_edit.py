from datetime import date

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Person, Residency
from civicgrid.people.tests.conftest import make_id_number


def form_data(registry, **overrides):
    data = {
        "name": "孙悟空",
        "id_number": make_id_number(date(1985, 6, 18), 111),
        "phone": "13700002222",
        "residency_kind": "resident",
        "dwelling": registry.dwelling_a1.pk,
        "household": "",
        "relation": "",
    }
    data.update(overrides)
    return data


def test_grid_worker_creates_a_person_with_derived_birth_date_and_sex(registry, login):
    response = login(registry.d.worker_a1).post("/people/new/", form_data(registry))
    assert response.status_code == 302
    person = Person.objects.get(name="孙悟空")
    assert person.birth_date == date(1985, 6, 18) and person.sex == "male"
    assert person.name_initials == "swk" and person.area == registry.d.grid_a1
    assert person.id_number_masked.endswith(form_data(registry)["id_number"][-4:])
    assert Residency.objects.filter(person=person, until__isnull=True).exists()
    assert AuditEvent.objects.filter(action="create", object_type="person", object_id=str(person.pk)).exists()


def test_bad_id_number_is_explained_and_nothing_saved(registry, login):
    number = make_id_number(date(1985, 6, 18), 111)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    page = login(registry.d.worker_a1).post("/people/new/", form_data(registry, id_number=bad)).content.decode()
    assert "校验位不正确" in page
    assert not Person.objects.filter(name="孙悟空").exists()


def test_duplicate_id_number_is_refused_with_a_link_to_the_existing_person(registry, login):
    page = (
        login(registry.d.worker_a1)
        .post("/people/new/", form_data(registry, id_number=registry.zhang_id))
        .content.decode()
    )
    assert f"/people/{registry.zhang.pk}/" in page
    assert not Person.objects.filter(name="孙悟空").exists()


def test_same_name_birth_date_and_address_warns_and_needs_confirmation(registry, login):
    client = login(registry.d.worker_a1)
    data = form_data(registry, name="张三丰", id_number="", birth_date="1950-03-15", sex="male")
    page = client.post("/people/new/", data).content.decode()
    assert "同名" in page or "相同" in page
    assert Person.objects.filter(name="张三丰").count() == 1
    response = client.post("/people/new/", {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name="张三丰").count() == 2


def test_grid_worker_cannot_create_in_another_grid(registry, login):
    response = login(registry.d.worker_a1).post("/people/new/", form_data(registry, dwelling=registry.dwelling_b1.pk))
    assert response.status_code == 200  # the dwelling is not a valid choice
    assert not Person.objects.filter(name="孙悟空").exists()


def test_edit_saves_and_bumps_version(registry, login):
    p = registry.wang
    response = login(registry.d.community_a).post(
        f"/people/{p.pk}/edit/",
        {
            "version": p.version,
            "name": "王大明",
            "residency_kind": "tenant",
            "dwelling": p.dwelling_id,
            "workplace": "苏大",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.workplace == "苏大" and p.version == 2 and p.residency_kind == "tenant"
    assert registry.wang_phone[-4:] == p.phone_tail  # empty phone field keeps the stored number
    assert Residency.objects.filter(person=p, until__isnull=False).count() == 1


def test_stale_edit_is_refused_with_a_chinese_conflict_message(registry, login):
    p = registry.wang
    Person.objects.filter(pk=p.pk).update(version=3, workplace="别人改的")
    page = (
        login(registry.d.community_a)
        .post(
            f"/people/{p.pk}/edit/",
            {"version": 2, "name": "王小明", "residency_kind": "tenant", "dwelling": p.dwelling_id},
        )
        .content.decode()
    )
    assert "其他人" in page
    p.refresh_from_db()
    assert p.name == "王大明" and p.workplace == "别人改的"


def test_edit_out_of_scope_is_404(registry, login):
    assert login(registry.d.worker_a1).get(f"/people/{registry.zhao.pk}/edit/").status_code == 404


def test_id_check_shows_derived_birth_date(registry, login):
    page = login(registry.d.worker_a1).get("/people/id-check/", {"id_number": registry.zhang_id}).content.decode()
    assert "1950-03-15" in page


def test_new_member_chosen_as_head_becomes_the_households_head(registry, login):
    from civicgrid.people.models import Household

    hh = Household.objects.create(area=registry.d.grid_a2, dwelling=registry.dwelling_a2, number="H0200")
    data = form_data(registry, dwelling=registry.dwelling_a2.pk, household=hh.pk, relation="head")
    assert login(registry.d.community_a).post("/people/new/", data).status_code == 302
    hh.refresh_from_db()
    assert hh.head.name == "孙悟空"
