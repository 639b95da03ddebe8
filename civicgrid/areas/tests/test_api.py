import pytest

from civicgrid.accounts.api_auth import issue_token


@pytest.mark.parametrize(("who", "count"), [("admin", 9), ("street_a", 4), ("worker_a1", 1), ("nobody", 0)])
def test_area_list_is_scoped(district, login, who, count):
    data = login(getattr(district, who)).get("/api/v1/areas/").json()
    assert data["count"] == count


def test_area_list_filters_by_level_and_parent(district, login):
    client = login(district.admin)
    grids = client.get("/api/v1/areas/", {"level": "grid", "parent": district.comm_a.code}).json()
    assert [a["code"] for a in grids["items"]] == [district.grid_a1.code, district.grid_a2.code]


def test_tree_nests_children(district, login):
    tree = login(district.street_a).get("/api/v1/areas/tree", {"depth": 2}).json()
    assert tree[0]["code"] == district.sub_a.code
    assert [g["code"] for g in tree[0]["children"][0]["children"]] == [district.grid_a1.code, district.grid_a2.code]


def test_one_area_carries_its_geojson_and_people(district, login):
    data = login(district.community_a).get(f"/api/v1/areas/{district.grid_a1.code}").json()
    assert data["boundary"]["type"] == "Polygon"
    assert data["parent_code"] == district.comm_a.code


def test_area_outside_scope_is_404_with_chinese_detail(district, login):
    response = login(district.worker_a1).get(f"/api/v1/areas/{district.grid_b1.code}")
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


def test_anonymous_caller_gets_401_in_chinese(client, district):
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_bearer_token_authenticates_and_is_scoped(client, district):
    _token, plain = issue_token(user=district.street_b, name="测试")
    data = client.get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Bearer {plain}").json()
    assert {a["code"][:9] for a in data["items"]} == {district.sub_b.code}
    assert client.get("/api/v1/areas/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_invalid_parameter_is_explained(district, login):
    response = login(district.admin).get("/api/v1/areas/", {"limit": 100000})
    assert response.status_code == 422
    assert "参数" in response.json()["detail"]


def test_openapi_docs_load_from_local_static_files(district, login):
    page = login(district.admin).get("/api/v1/docs").content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower() and "https://" not in page
