from civicgrid.core.models import AuditEvent
from civicgrid.people.models import Household


def test_api_search_is_scoped_and_masked(registry, login):
    data = login(registry.d.worker_a1).get("/api/v1/people/persons", {"q": "zs"}).json()
    assert [p["name"] for p in data["items"]] == ["张三丰"]
    assert data["items"][0]["id_number_masked"] == registry.zhang.id_number_masked
    assert registry.zhang_id not in str(data)


def test_api_search_by_id_tail_does_not_reach_other_grids(registry, login):
    data = login(registry.d.worker_a1).get("/api/v1/people/persons", {"q": registry.zhao.id_number_tail}).json()
    assert data["count"] == 0


def test_api_person_outside_scope_is_404(registry, login):
    response = login(registry.d.worker_a1).get(f"/api/v1/people/persons/{registry.zhao.pk}")
    assert response.status_code == 404
    assert "不在您的管辖范围" in response.json()["detail"]


def test_api_hides_sensitive_tags_without_the_capability(registry, login):
    data = login(registry.d.worker_a1).get(f"/api/v1/people/persons/{registry.li.pk}").json()
    assert data["tags"] == []
    listing = login(registry.d.worker_a1).get("/api/v1/people/persons", {"tag": "correction"}).json()
    assert listing["count"] == 0


def test_api_shows_sensitive_tags_to_holders_and_audits_the_view(registry, login):
    data = login(registry.d.community_a).get(f"/api/v1/people/persons/{registry.li.pk}").json()
    assert [t["code"] for t in data["tags"]] == ["correction"]
    assert AuditEvent.objects.filter(action="view", object_id=str(registry.li.pk)).exists()


def test_api_household_lists_masked_members(registry, login):
    data = login(registry.d.worker_a1).get(f"/api/v1/people/households/{registry.household_a1.pk}").json()
    assert {m["name"] for m in data["members"]} == {"张三丰", "李小红"}
    assert all("*" in m["id_number_masked"] for m in data["members"])


def test_api_household_outside_scope_is_404(registry, login):
    hh = Household.objects.create(area=registry.d.grid_b1, number="H0009")
    assert login(registry.d.worker_a1).get(f"/api/v1/people/households/{hh.pk}").status_code == 404


def test_api_without_registry_capability_is_403(registry, login):
    assert login(registry.d.nobody).get("/api/v1/people/persons").status_code == 403


def test_api_household_list_is_scoped(registry, login):
    Household.objects.create(area=registry.d.grid_b1, number="H0009")
    data = login(registry.d.worker_a1).get("/api/v1/people/households").json()
    assert [h["number"] for h in data["items"]] == ["H0001"]
    assert data["items"][0]["head_name"] == "张三丰" and data["items"][0]["members"] == 2
