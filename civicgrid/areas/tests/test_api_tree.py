"""GET /api/v1/areas/tree — the nested tree of the caller's areas."""

URL = "/api/v1/areas/tree"


def depth_of(nodes):
    return 0 if not nodes else 1 + max(depth_of(n["children"]) for n in nodes)


def test_tree_starts_at_the_users_own_area(district, login):
    tree = login(district.street_a).get(URL, {"depth": 2}).json()
    assert [n["code"] for n in tree] == [district.sub_a.code]
    assert [g["code"] for g in tree[0]["children"][0]["children"]] == [district.grid_a1.code, district.grid_a2.code]


def test_admin_tree_reaches_the_grids_at_depth_three(district, login):
    tree = login(district.admin).get(URL, {"depth": 3}).json()
    assert depth_of(tree) == 4
    assert [s["code"] for s in tree[0]["children"]] == [district.sub_a.code, district.sub_b.code]


def test_depth_limits_the_tree(district, login):
    tree = login(district.admin).get(URL, {"depth": 1}).json()
    assert depth_of(tree) == 2
    assert all(s["children"] == [] for s in tree[0]["children"])


def test_depth_zero_returns_only_the_top(district, login):
    tree = login(district.admin).get(URL, {"depth": 0}).json()
    assert [n["code"] for n in tree] == [district.district.code] and tree[0]["children"] == []


def test_grid_worker_tree_is_their_grid(district, login):
    tree = login(district.worker_a1).get(URL).json()
    assert tree == [{"code": district.grid_a1.code, "name": district.grid_a1.name, "level": "grid", "children": []}]


def test_user_without_role_gets_an_empty_tree(district, login):
    assert login(district.nobody).get(URL).json() == []


def test_depth_out_of_range_is_explained(district, login):
    response = login(district.admin).get(URL, {"depth": 9})
    assert response.status_code == 422 and "参数" in response.json()["detail"]


def test_tree_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(9):  # session, user, grants, tops, rows, session save (3)
        client.get(URL, {"depth": 3})
