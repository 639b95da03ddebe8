"""GET /api/v1/areas/ — the list of areas a caller may see."""

import pytest

URL = "/api/v1/areas/"


@pytest.mark.parametrize(("who", "count"), [("admin", 9), ("street_a", 4), ("worker_a1", 1), ("nobody", 0)])
def test_area_list_is_scoped(district, login, who, count):
    data = login(getattr(district, who)).get(URL).json()
    assert data["count"] == count and len(data["items"]) == count


def test_street_user_never_sees_the_next_subdistrict(district, login):
    items = login(district.street_a).get(URL).json()["items"]
    assert all(a["code"].startswith(district.sub_a.code) for a in items)


def test_area_list_filters_by_level_and_parent(district, login):
    grids = login(district.admin).get(URL, {"level": "grid", "parent": district.comm_a.code}).json()
    assert [a["code"] for a in grids["items"]] == [district.grid_a1.code, district.grid_a2.code]
    assert all(a["parent_code"] == district.comm_a.code for a in grids["items"])


def test_area_list_searches_name_fragment(district, login):
    data = login(district.admin).get(URL, {"q": "南门"}).json()
    assert {a["code"] for a in data["items"]} == {district.comm_b.code, district.grid_b1.code, district.grid_b2.code}


def test_area_list_searches_code_prefix(district, login):
    data = login(district.admin).get(URL, {"q": district.comm_a.code}).json()
    assert data["count"] == 3


def test_search_does_not_reach_outside_scope(district, login):
    assert login(district.street_a).get(URL, {"q": "南门"}).json()["count"] == 0


def test_area_list_pages_with_limit_and_offset(district, login):
    client = login(district.admin)
    first = client.get(URL, {"limit": 4}).json()
    second = client.get(URL, {"limit": 4, "offset": 4}).json()
    assert first["count"] == second["count"] == 9
    assert len(first["items"]) == 4 and len(second["items"]) == 4
    assert not {a["code"] for a in first["items"]} & {a["code"] for a in second["items"]}


def test_limit_above_the_maximum_is_explained(district, login):
    response = login(district.admin).get(URL, {"limit": 100000})
    assert response.status_code == 422
    assert "参数" in response.json()["detail"]


def test_unknown_level_is_explained(district, login):
    response = login(district.admin).get(URL, {"level": "planet"})
    assert response.status_code == 422


def test_area_list_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(8):  # session, user, grants, count, page, session save (3)
        client.get(URL)
