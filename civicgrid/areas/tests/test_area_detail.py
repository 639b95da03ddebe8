import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.testing.factories import UserFactory, assign, square


def test_grid_page_explains_its_code(district, login):
    page = login(district.admin).get(f"/areas/{district.grid_a1.code}/").content.decode()
    for part in ("320508", "001", "网格序号"):
        assert part in page


def test_grid_page_lists_its_responsible_people(district, login):
    police = UserFactory(username="police_a1", full_name="王警官")
    assign(police, "police", district.grid_a1)
    page = login(district.admin).get(f"/areas/{district.grid_a1.code}/").content.decode()
    assert "网格员" in page and district.worker_a1.full_name in page
    assert "社区民警" in page and "王警官" in page


def test_expired_responsibility_is_not_listed(district, login):
    from datetime import date, timedelta

    police = UserFactory(username="police_old", full_name="李旧警")
    assignment = assign(police, "police", district.grid_a1)
    assignment.valid_until = date.today() - timedelta(days=1)
    assignment.save()
    page = login(district.admin).get(f"/areas/{district.grid_a1.code}/").content.decode()
    assert "李旧警" not in page


def test_detail_outside_scope_is_404(district, login):
    assert login(district.worker_a1).get(f"/areas/{district.grid_a2.code}/").status_code == 404
    assert login(district.nobody).get(f"/areas/{district.grid_a1.code}/").status_code == 404
    assert login(district.street_a).get(f"/areas/{district.comm_b.code}/").status_code == 404


def test_breadcrumb_links_only_visible_ancestors(district, login):
    page = login(district.street_a).get(f"/areas/{district.grid_a1.code}/").content.decode()
    crumb = page.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert district.district.name in crumb and f'href="/areas/{district.district.code}/"' not in crumb
    assert f'href="/areas/{district.sub_a.code}/"' in crumb


def test_district_page_counts_grids_below_each_subdistrict(district, login):
    Area.objects.create(code="320508001001003", name="第三网格", level=AreaLevel.GRID, parent=district.comm_a)
    page = login(district.admin).get(f"/areas/{district.district.code}/").content.decode()
    rows = page.split("<tbody>")[1]
    row_a = rows.split(f'<td class="mono">{district.sub_a.code}</td>')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in row_a


def test_community_page_shows_its_grids_with_their_people(district, login):
    page = login(district.community_a).get(f"/areas/{district.comm_a.code}/").content.decode()
    table = page.split("<tbody>")[1]
    assert district.grid_a1.name in table and district.worker_a1.full_name in table


def test_outline_map_data_covers_the_area_and_its_children(district, login):
    page = login(district.street_a).get(f"/areas/{district.comm_a.code}/").content.decode()
    assert "areas/area_detail.js" in page and "vendor/leaflet/leaflet.js" in page
    raw = page.split('data-features="')[1].split('"')[0].replace("&quot;", '"')
    codes = [f["properties"]["code"] for f in json.loads(raw)["features"]]
    assert codes == [district.comm_a.code, district.grid_a1.code, district.grid_a2.code]
    assert "<script>" not in page  # no inline scripts (CSP)


def test_edit_buttons_only_for_users_who_may_change(district, login):
    assert "/edit/" in login(district.admin).get(f"/areas/{district.comm_a.code}/").content.decode()
    assert "/edit/" not in login(district.street_a).get(f"/areas/{district.comm_a.code}/").content.decode()


def test_children_table_makes_constant_queries(district, login, django_assert_max_num_queries):
    client = login(district.admin)
    url = f"/areas/{district.comm_a.code}/"
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for n in range(3, 33):
        grid = Area.objects.create(
            code=f"{district.comm_a.code}{n:03d}",
            name=f"加{n}网格",
            level=AreaLevel.GRID,
            parent=district.comm_a,
            boundary=square(120.60 + n * 0.0005, 31.29, 0.0005),
        )
        assign(UserFactory(username=f"w{n}", full_name=f"网格员{n}号"), "grid_worker", grid)
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert "加32网格" in page and "网格员32号" in page
