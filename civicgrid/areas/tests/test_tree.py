def test_grid_worker_tree_starts_at_their_grid(district, login):
    page = login(district.worker_a1).get("/areas/").content.decode()
    assert district.grid_a1.name in page
    assert district.grid_a2.name not in page
    assert district.sub_a.name not in page.split("<main")[1]


def test_subdistrict_user_opens_children_but_not_the_next_subdistrict(district, login):
    client = login(district.street_a)
    children = client.get(f"/areas/{district.comm_a.code}/children/").content.decode()
    assert district.grid_a1.name in children and district.grid_a2.name in children
    assert client.get(f"/areas/{district.comm_b.code}/children/").status_code == 404


def test_search_finds_only_areas_in_scope(district, login):
    client = login(district.street_a)
    page = client.get("/areas/", {"q": "网格"}).content.decode()
    assert district.grid_a1.name in page
    assert district.grid_b1.name not in page
    assert district.comm_b.name not in client.get("/areas/", {"q": "南门"}).content.decode()


def test_children_partial_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(9):
        client.get(f"/areas/{district.district.code}/children/")


def test_detail_shows_code_parts_and_responsible_people(district, login):
    page = login(district.admin).get(f"/areas/{district.grid_a1.code}/").content.decode()
    assert "320508" in page and "网格序号" in page
    assert "网格员" in page and district.worker_a1.full_name in page


def test_detail_outside_scope_is_404(district, login):
    assert login(district.worker_a1).get(f"/areas/{district.grid_a2.code}/").status_code == 404
    assert login(district.nobody).get(f"/areas/{district.grid_a1.code}/").status_code == 404
