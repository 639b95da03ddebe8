from datetime import date, timedelta

from django.utils import timezone

from civicgrid.people.models import PersonTag, Visit
from civicgrid.people.tests.conftest import make_person, tag


def test_visits_due_lists_overdue_people_most_overdue_first(registry, login):
    never = make_person(name="孙独居", area=registry.d.grid_a1, birth=date(1945, 1, 1), seq=801)
    PersonTag.objects.create(person=never, tag=tag("living_alone"))
    fresh = make_person(name="周刚走访", area=registry.d.grid_a1, birth=date(1945, 1, 1), seq=802)
    PersonTag.objects.create(person=fresh, tag=tag("living_alone"))
    Visit.objects.create(area=registry.d.grid_a1, person=fresh, visited_at=timezone.now(), visitor=registry.d.worker_a1)
    response = login(registry.d.worker_a1).get("/people/visits/due/")
    names = [p.name for p in response.context["rows"]]
    assert names == ["孙独居", "张三丰"]  # 李小红's 社区矫正 visits are not shown without people.sensitive


def test_sensitive_visit_duty_is_shown_to_holders(registry, login):
    names = [p.name for p in login(registry.d.community_a).get("/people/visits/due/").context["rows"]]
    assert names == ["李小红", "张三丰"]


def test_visits_due_is_scoped(registry, login):
    names = [p.name for p in login(registry.d.admin).get("/people/visits/due/").context["rows"]]
    assert "赵四" in names  # admin sees the other subdistrict (社区矫正, never visited)
    names = [p.name for p in login(registry.d.worker_a1).get("/people/visits/due/").context["rows"]]
    assert "赵四" not in names


def test_a_household_visit_counts_for_its_members(registry, login):
    Visit.objects.create(
        area=registry.d.grid_a1,
        household=registry.household_a1,
        visited_at=timezone.now() - timedelta(days=1),
        visitor=registry.d.worker_a1,
    )
    names = [p.name for p in login(registry.d.worker_a1).get("/people/visits/due/").context["rows"]]
    assert "张三丰" not in names


def test_visits_due_makes_a_constant_number_of_queries(registry, login, django_assert_max_num_queries):
    for i in range(15):
        p = make_person(name=f"独居{i}", area=registry.d.grid_a1, birth=date(1940, 1, 1), seq=900 + i)
        PersonTag.objects.create(person=p, tag=tag("living_alone"))
    client = login(registry.d.admin)
    with django_assert_max_num_queries(14):
        response = client.get("/people/visits/due/")
    assert len(response.context["rows"]) >= 15
