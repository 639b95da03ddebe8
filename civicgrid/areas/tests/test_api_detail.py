"""GET /api/v1/areas/{code} — one area with its GeoJSON boundary."""

from civicgrid.testing.factories import UserFactory, assign


def url(area):
    return f"/api/v1/areas/{area.code}"


def test_one_area_carries_its_geojson_and_parent(district, login):
    data = login(district.community_a).get(url(district.grid_a1)).json()
    assert data["boundary"] == district.grid_a1.boundary
    assert data["parent_code"] == district.comm_a.code
    assert data["level"] == "grid" and data["name"] == district.grid_a1.name


def test_one_area_lists_its_children(district, login):
    data = login(district.street_a).get(url(district.comm_a)).json()
    assert data["children"] == [district.grid_a1.code, district.grid_a2.code]


def test_one_area_lists_its_responsible_people(district, login):
    leader = UserFactory(username="leader_a1", full_name="王网格长", work_phone="0512-65550001")
    assign(leader, "grid_leader", district.grid_a1)
    people = login(district.admin).get(url(district.grid_a1)).json()["responsible_people"]
    assert {(p["role_code"], p["name"]) for p in people} == {
        ("grid_leader", "王网格长"),
        ("grid_worker", "worker_a1姓名"),
    }
    assert {p["work_phone"] for p in people} >= {"0512-65550001"}


def test_area_outside_scope_is_404_with_chinese_detail(district, login):
    response = login(district.worker_a1).get(url(district.grid_b1))
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


def test_unknown_area_is_404(district, login):
    assert login(district.admin).get("/api/v1/areas/320508009009009").status_code == 404


def test_user_without_role_gets_404(district, login):
    assert login(district.nobody).get(url(district.district)).status_code == 404
