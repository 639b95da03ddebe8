from civicgrid.areas.models import Area
from civicgrid.core.models import AuditEvent


def test_admin_renames_an_area_and_it_is_audited(district, login):
    grid = district.grid_a1
    response = login(district.admin).post(
        f"/areas/{grid.code}/edit/", {"name": "平江路第一网格", "note": "", "is_active": "on", "version": grid.version}
    )
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.name == "平江路第一网格" and grid.version == 2
    event = AuditEvent.objects.get(object_type="area", object_id=str(grid.pk))
    assert event.changes["name"] == ["平江路社区第一网格", "平江路第一网格"]
    assert event.actor == district.admin


def test_stale_edit_is_refused_and_changes_nothing(district, login):
    grid = district.grid_a1
    Area.objects.filter(pk=grid.pk).update(version=5)
    response = login(district.admin).post(
        f"/areas/{grid.code}/edit/", {"name": "改名", "note": "", "is_active": "on", "version": 4}
    )
    assert "其他人刚刚修改了该区域" in response.content.decode()
    grid.refresh_from_db()
    assert grid.name == "平江路社区第一网格"


def test_user_without_edit_capability_gets_403(district, login):
    assert login(district.street_a).get(f"/areas/{district.grid_a1.code}/edit/").status_code == 403


def test_child_code_errors_are_explained_and_nothing_is_created(district, login):
    client = login(district.admin)
    url = f"/areas/{district.comm_a.code}/new-child/"
    cases = {
        "32050800100100A": "只能由数字组成",
        "3205080010010031": "应为15位",
        "320508002001003": "必须以平江路社区的代码",
        district.grid_a2.code: "已被",
    }
    for code, message in cases.items():
        page = client.post(url, {"code": code, "name": "新网格"}).content.decode()
        assert message in page, code
    assert not Area.objects.filter(name="新网格").exists()


def test_admin_creates_a_grid_under_a_community(district, login):
    response = login(district.admin).post(
        f"/areas/{district.comm_a.code}/new-child/", {"code": "320508001001003", "name": "第三网格"}
    )
    assert response.status_code == 302
    grid = Area.objects.get(code="320508001001003")
    assert grid.level == "grid" and grid.parent == district.comm_a
