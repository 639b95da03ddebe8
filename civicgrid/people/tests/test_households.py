from datetime import date

from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Household, Person, RentalContract
from civicgrid.people.tests.conftest import make_person


def test_household_file_shows_members_tags_and_overdue_visit(registry, login):
    page = login(registry.d.worker_a1).get(f"/people/households/{registry.household_a1.pk}/").content.decode()
    assert "一户一档" in page
    assert "张三丰" in page and "李小红" in page
    assert "平江路88号3幢201室" in page
    assert "低保" in page
    assert "走访逾期" in page
    assert "社区矫正" not in page  # grid worker has no people.sensitive


def test_household_file_shows_rental_for_rented_dwelling(registry, login):
    rental = RentalContract.objects.create(
        area=registry.d.grid_a1, dwelling=registry.dwelling_a1, landlord_name="周房东", starts_on=date(2025, 9, 1)
    )
    rental.tenants.add(registry.li)
    page = login(registry.d.worker_a1).get(f"/people/households/{registry.household_a1.pk}/").content.decode()
    assert "周房东" in page


def test_household_outside_scope_is_404(registry, login):
    hh = Household.objects.create(area=registry.d.grid_b1, dwelling=registry.dwelling_b1, number="H0009")
    assert login(registry.d.worker_a1).get(f"/people/households/{hh.pk}/").status_code == 404


def test_household_list_is_scoped_and_searchable(registry, login):
    Household.objects.create(area=registry.d.grid_b1, dwelling=registry.dwelling_b1, number="H0009")
    client = login(registry.d.worker_a1)
    numbers = {h.number for h in client.get("/people/households/").context["page"].object_list}
    assert numbers == {"H0001"}
    found = client.get("/people/households/", {"q": "zsf"}).context["page"].object_list
    assert [h.number for h in found] == ["H0001"]


def test_household_list_makes_a_constant_number_of_queries(registry, login, django_assert_max_num_queries):
    for i in range(20):
        Household.objects.create(area=registry.d.grid_a1, number=f"H1{i:03d}")
    client = login(registry.d.admin)
    with django_assert_max_num_queries(12):
        response = client.get("/people/households/")
    assert len(response.context["page"].object_list) == 21


def test_household_page_makes_a_bounded_number_of_queries(registry, login, django_assert_max_num_queries):
    for i in range(10):
        make_person(
            name=f"成员{i}", area=registry.d.grid_a1, birth=date(2000, 1, 1), seq=600 + i,
            dwelling=registry.dwelling_a1, household=registry.household_a1, relation="child",
        )  # fmt: skip
    client = login(registry.d.worker_a1)
    with django_assert_max_num_queries(14):
        response = client.get(f"/people/households/{registry.household_a1.pk}/")
    assert "成员9" in response.content.decode()


def test_create_household_and_add_and_remove_a_member(registry, login):
    client = login(registry.d.community_a)
    response = client.post("/people/households/new/", {"dwelling": registry.dwelling_a2.pk, "number": "H0100"})
    hh = Household.objects.get(number="H0100")
    assert response.status_code == 302 and hh.area == registry.d.grid_a2
    client.post(f"/people/households/{hh.pk}/members/", {"person": registry.wang.pk, "relation": "head"})
    hh.refresh_from_db()
    assert hh.head == registry.wang
    registry.wang.refresh_from_db()
    assert registry.wang.household == hh
    client.post(f"/people/households/{hh.pk}/members/{registry.wang.pk}/remove/")
    registry.wang.refresh_from_db()
    hh.refresh_from_db()
    assert registry.wang.household is None and hh.head is None
    assert AuditEvent.objects.filter(object_type="household", object_id=str(hh.pk)).count() >= 3


def test_duplicate_household_number_is_refused(registry, login):
    page = (
        login(registry.d.community_a)
        .post("/people/households/new/", {"dwelling": registry.dwelling_a2.pk, "number": "H0001"})
        .content.decode()
    )
    assert "已被使用" in page
    assert Household.objects.filter(number="H0001").count() == 1


def test_adding_a_member_from_another_grid_scope_is_refused(registry, login):
    login(registry.d.worker_a1).post(
        f"/people/households/{registry.household_a1.pk}/members/", {"person": registry.zhao.pk, "relation": "child"}
    )
    assert Person.objects.get(pk=registry.zhao.pk).household is None
