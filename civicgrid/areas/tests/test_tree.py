from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.testing.factories import UserFactory, assign, square


def _add_grids(community, count, start=3):
    grids = [
        Area(
            code=f"{community.code}{n:03d}",
            name=f"{community.name}加{n}网格",
            level=AreaLevel.GRID,
            parent=community,
            boundary=square(120.60 + n * 0.001, 31.30, 0.001),
        )
        for n in range(start, start + count)
    ]
    return Area.objects.bulk_create(grids)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_grid_worker_tree_starts_at_their_grid(district, login):
    page = login(district.worker_a1).get("/areas/").content.decode()
    assert district.grid_a1.name in page
    assert district.grid_a2.name not in page
    assert district.sub_a.name not in page.split("<main")[1]


def test_tree_shows_level_code_and_number_of_children(district, login):
    page = login(district.street_a).get("/areas/").content.decode()
    assert "平江街道" in page and '<span class="badge">街道（镇）</span>' in page
    assert '<span class="mono muted small">320508001</span>' in page
    assert "下级 1 个" in page


def test_user_without_role_sees_an_empty_tree(district, login):
    page = login(district.nobody).get("/areas/").content.decode()
    assert district.district.name not in page.split("<main")[1]


def test_subdistrict_user_opens_children_but_not_the_next_subdistrict(district, login):
    client = login(district.street_a)
    children = client.get(f"/areas/{district.comm_a.code}/children/").content.decode()
    assert district.grid_a1.name in children and district.grid_a2.name in children
    assert client.get(f"/areas/{district.comm_b.code}/children/").status_code == 404
    assert client.get(f"/areas/{district.sub_b.code}/children/").status_code == 404


def test_grid_worker_cannot_open_their_community_in_the_tree(district, login):
    assert login(district.worker_a1).get(f"/areas/{district.comm_a.code}/children/").status_code == 404


def test_district_children_partial_does_not_leak_other_subdistricts(district, login):
    page = login(district.street_a).get(f"/areas/{district.district.code}/children/")
    assert page.status_code == 404


def test_search_finds_only_areas_in_scope(district, login):
    client = login(district.street_a)
    page = client.get("/areas/", {"q": "网格"}).content.decode()
    assert district.grid_a1.name in page
    assert district.grid_b1.name not in page
    assert district.comm_b.name not in client.get("/areas/", {"q": "南门"}).content.decode()


def test_search_by_code_fragment_stays_in_scope(district, login):
    page = login(district.street_a).get("/areas/", {"q": "001002"}).content.decode()
    assert district.grid_a2.code in page  # 320508001001002
    assert district.grid_b2.code not in page  # 320508002001002 also contains the fragment


def test_search_by_user_without_role_finds_nothing(district, login):
    page = login(district.nobody).get("/areas/", {"q": "网格"}).content.decode()
    assert district.grid_a1.name not in page
    assert "您的管辖范围内没有匹配的区域" in page


def test_children_partial_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    url = f"/areas/{district.comm_a.code}/children/"
    few = _queries(client, url)
    _add_grids(district.comm_a, 40)
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert "平江路社区加42网格" in page


def test_tree_page_loads_only_the_top_level(district, login):
    _add_grids(district.comm_a, 40)
    page = login(district.admin).get("/areas/").content.decode()
    assert "平江路社区加3网格" not in page
    assert f'hx-get="/areas/{district.district.code}/children/"' in page


def test_partial_for_an_area_in_a_second_assignment_is_visible(district, login):
    user = UserFactory(username="two_grids")
    assign(user, "grid_worker", district.grid_a1)
    assign(user, "grid_worker", district.grid_b1)
    page = login(user).get("/areas/").content.decode()
    assert district.grid_a1.name in page and district.grid_b1.name in page
    assert district.grid_a2.name not in page
