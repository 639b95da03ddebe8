import pytest

from civicgrid.accounts.models import Role
from civicgrid.areas.models import Area
from civicgrid.core.models import AuditEvent
from civicgrid.testing.factories import UserFactory, assign


@pytest.fixture
def street_editor(district):
    """A subdistrict-A user who may change areas there (the seeded roles keep areas.change for admins)."""
    Role.objects.create(
        code="area_editor", name="区划维护员", level="subdistrict", capabilities=["areas.view", "areas.change"]
    )
    user = UserFactory(username="editor_a", full_name="编辑甲")
    assign(user, "area_editor", district.sub_a)
    return user


def _edit(client, area, **overrides):
    data = {"name": area.name, "note": area.note, "is_active": "on", "version": area.version, **overrides}
    return client.post(f"/areas/{area.code}/edit/", data)


def test_admin_renames_an_area_and_it_is_audited(district, login):
    grid = district.grid_a1
    response = _edit(login(district.admin), grid, name="平江路第一网格")
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.name == "平江路第一网格" and grid.version == 2
    event = AuditEvent.objects.get(object_type="area", object_id=str(grid.pk))
    assert event.changes["name"] == ["平江路社区第一网格", "平江路第一网格"]
    assert event.actor == district.admin and event.area_code == grid.code


def test_stale_edit_is_refused_and_changes_nothing(district, login):
    grid = district.grid_a1
    Area.objects.filter(pk=grid.pk).update(version=5)
    response = _edit(login(district.admin), grid, name="改名", version=4)
    assert "其他人刚刚修改了该区域" in response.content.decode()
    grid.refresh_from_db()
    assert grid.name == "平江路社区第一网格" and grid.version == 5
    assert not AuditEvent.objects.filter(object_type="area").exists()


def test_saving_without_changes_writes_no_audit_event(district, login):
    assert _edit(login(district.admin), district.grid_a1).status_code == 302
    assert not AuditEvent.objects.filter(object_type="area").exists()


def test_user_without_edit_capability_gets_403(district, login):
    client = login(district.street_a)
    assert client.get(f"/areas/{district.grid_a1.code}/edit/").status_code == 403
    assert _edit(client, district.grid_a1, name="改名").status_code == 403
    assert client.get(f"/areas/{district.comm_a.code}/new-child/").status_code == 403
    assert Area.objects.get(pk=district.grid_a1.pk).name == "平江路社区第一网格"


def test_editor_of_one_subdistrict_gets_404_for_the_next(district, login, street_editor):
    client = login(street_editor)
    assert client.get(f"/areas/{district.comm_a.code}/edit/").status_code == 200
    assert client.get(f"/areas/{district.comm_b.code}/edit/").status_code == 404
    assert client.get(f"/areas/{district.comm_b.code}/new-child/").status_code == 404
    assert client.get(f"/areas/{district.comm_b.code}/boundaries/").status_code == 404


CHILD_CODE_ERRORS = {
    "letters": ("32050800100100A", "只能由数字组成"),
    "too_long": ("3205080010010031", "应为15位"),
    "too_short": ("32050800100", "应为15位"),
    "wrong_prefix": ("320508002001003", "必须以平江路社区的代码"),
    "zero_sequence": ("320508001001000", "000"),
    "duplicate": ("320508001001002", "已被"),
}


@pytest.mark.parametrize(("code", "message"), CHILD_CODE_ERRORS.values(), ids=CHILD_CODE_ERRORS.keys())
def test_child_code_errors_are_explained_and_nothing_is_created(district, login, code, message):
    count = Area.objects.count()
    page = login(district.admin).post(f"/areas/{district.comm_a.code}/new-child/", {"code": code, "name": "新网格"})
    assert message in page.content.decode()
    assert Area.objects.count() == count
    assert not AuditEvent.objects.filter(object_type="area").exists()


def test_admin_creates_a_grid_under_a_community_and_it_is_audited(district, login):
    response = login(district.admin).post(
        f"/areas/{district.comm_a.code}/new-child/", {"code": "320508001001003", "name": "第三网格"}
    )
    assert response.status_code == 302
    grid = Area.objects.get(code="320508001001003")
    assert grid.level == "grid" and grid.parent == district.comm_a
    event = AuditEvent.objects.get(object_type="area", action="create")
    assert event.area_code == grid.code and event.changes["name"] == [None, "第三网格"]


def test_subdistrict_editor_creates_a_community(district, login, street_editor):
    response = login(street_editor).post(
        f"/areas/{district.sub_a.code}/new-child/", {"code": "320508001002", "name": "新社区"}
    )
    assert response.status_code == 302
    assert Area.objects.get(code="320508001002").level == "community"


def test_a_grid_cannot_have_children(district, login):
    assert login(district.admin).get(f"/areas/{district.grid_a1.code}/new-child/").status_code == 404
