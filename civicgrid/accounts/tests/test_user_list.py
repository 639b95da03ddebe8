from civicgrid.accounts.models import RoleAssignment
from civicgrid.testing.factories import UserFactory, assign


def test_community_secretary_without_accounts_manage_gets_403(district, login):
    assert login(district.community_a).get("/accounts/users/").status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(district, client):
    response = client.get("/accounts/users/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_street_manager_sees_only_users_with_roles_in_their_subdistrict(district, login, street_manager):
    page = login(street_manager).get("/accounts/users/").content.decode()
    assert district.worker_a1.full_name in page
    assert district.worker_b1.full_name not in page
    assert district.admin.full_name not in page  # district role: above the street manager


def test_users_without_any_role_are_hidden_from_street_managers(district, login, street_manager):
    page = login(street_manager).get("/accounts/users/").content.decode()
    assert district.nobody.full_name not in page


def test_district_admin_also_sees_users_without_a_role(district, login):
    page = login(district.admin).get("/accounts/users/").content.decode()
    assert district.nobody.full_name in page and "无角色" in page


def test_badges_show_only_roles_inside_the_managers_scope(district, login, street_manager):
    assign(district.worker_a1, "grid_worker", district.grid_b2)
    page = login(street_manager).get("/accounts/users/").content.decode()
    assert district.grid_a1.name in page
    assert district.grid_b2.name not in page


def test_search_by_name_or_username(district, login):
    page = login(district.admin).get("/accounts/users/", {"q": "worker_a"}).content.decode()
    assert district.worker_a1.full_name in page and district.worker_b1.full_name not in page


def test_role_filter(district, login):
    page = login(district.admin).get("/accounts/users/", {"role": "grid_worker"}).content.decode()
    assert district.worker_a1.full_name in page and district.street_a.full_name not in page


def test_area_prefix_filter(district, login):
    page = login(district.admin).get("/accounts/users/", {"area": district.sub_b.code}).content.decode()
    assert district.worker_b1.full_name in page and district.worker_a1.full_name not in page


def test_role_and_area_filters_apply_to_the_same_assignment(district, login):
    assign(district.street_b, "grid_worker", district.grid_a1)  # a grid worker in A, command centre in B
    page = (
        login(district.admin)
        .get("/accounts/users/", {"role": "command_center", "area": district.sub_a.code})
        .content.decode()
    )
    assert district.street_a.full_name in page and district.street_b.full_name not in page


def test_deactivated_users_are_listed_under_their_own_filter(district, login):
    district.worker_a1.is_active = False
    district.worker_a1.save()
    client = login(district.admin)
    assert district.worker_a1.full_name not in client.get("/accounts/users/").content.decode()
    page = client.get("/accounts/users/", {"status": "inactive"}).content.decode()
    assert district.worker_a1.full_name in page and "已停用" in page


def test_htmx_filter_returns_only_the_rows(district, login):
    response = login(district.admin).get("/accounts/users/", {"q": "worker"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and district.worker_a1.full_name in response.content.decode()


def test_user_list_makes_constant_queries(district, login, django_assert_max_num_queries):
    for n in range(30):
        user = UserFactory(username=f"extra{n}")
        assign(user, "grid_worker", district.grid_a1 if n % 2 else district.grid_b1)
        assign(user, "grid_leader", district.grid_a2)
    assert RoleAssignment.objects.count() > 60
    client = login(district.admin)
    with django_assert_max_num_queries(11):  # 8 reads + the session save (3)
        response = client.get("/accounts/users/", {"status": "all"})
    assert "extra29" in response.content.decode()
