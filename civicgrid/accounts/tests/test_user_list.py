def test_list_shows_only_users_with_roles_in_the_managers_scope(district, login, street_manager):
    page = login(street_manager).get("/accounts/users/").content.decode()
    assert district.worker_a1.full_name in page
    assert district.worker_b1.full_name not in page
    assert district.nobody.full_name not in page  # no role: only district managers see them


def test_district_admin_also_sees_users_without_a_role(district, login):
    page = login(district.admin).get("/accounts/users/").content.decode()
    assert district.nobody.full_name in page and "无角色" in page


def test_search_and_role_filter(district, login):
    client = login(district.admin)
    page = client.get("/accounts/users/", {"role": "grid_worker"}).content.decode()
    assert district.worker_a1.full_name in page and district.street_a.full_name not in page


def test_user_list_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(11):
        client.get("/accounts/users/")


def test_area_autocomplete_offers_only_areas_in_scope(district, login, street_manager):
    page = login(street_manager).get("/accounts/area-options/", {"area": "网格"}).content.decode()
    assert district.grid_a1.code in page
    assert district.grid_b1.code not in page
