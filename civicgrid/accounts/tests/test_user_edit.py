from civicgrid.accounts.models import Role
from civicgrid.core.models import AuditEvent
from civicgrid.testing.factories import assign


def _edit(client, user, **fields):
    data = {"form": "edit", "full_name": user.full_name, "title": "", "work_phone": ""}
    data.update(fields)
    return client.post(f"/accounts/users/{user.pk}/", data)


def test_user_page_shows_roles_in_areas(district, login):
    page = login(district.admin).get(f"/accounts/users/{district.worker_a1.pk}/").content.decode()
    assert "网格员" in page and district.grid_a1.code in page


def test_editing_details_is_audited_with_before_and_after(district, login):
    response = _edit(login(district.admin), district.worker_a1, full_name="李网格", work_phone="0512-1234567")
    assert response.status_code == 302
    district.worker_a1.refresh_from_db()
    assert district.worker_a1.full_name == "李网格"
    event = AuditEvent.objects.get(object_type="user", action="update")
    assert event.changes["full_name"] == ["worker_a1姓名", "李网格"]
    assert event.changes["work_phone"] == ["", "0512-1234567"]
    assert event.area_code == district.district.code  # the admin's widest scope


def test_saving_without_changes_records_nothing(district, login):
    _edit(login(district.admin), district.worker_a1)
    assert not AuditEvent.objects.filter(object_type="user", action="update").exists()


def test_empty_full_name_is_refused_in_chinese(district, login):
    page = _edit(login(district.admin), district.worker_a1, full_name="").content.decode()
    assert "这个字段是必填项" in page
    district.worker_a1.refresh_from_db()
    assert district.worker_a1.full_name == "worker_a1姓名"


def test_street_manager_cannot_open_users_of_the_next_subdistrict(district, login, street_manager):
    assert login(street_manager).get(f"/accounts/users/{district.worker_b1.pk}/").status_code == 404


def test_street_manager_cannot_open_users_without_a_role(district, login, street_manager):
    assert login(street_manager).get(f"/accounts/users/{district.nobody.pk}/").status_code == 404


def test_street_manager_cannot_change_an_account_that_also_holds_roles_elsewhere(district, login, street_manager):
    """Otherwise a street manager could take over a district administrator who also works in a grid."""
    assign(district.admin, "grid_worker", district.grid_a1)
    client = login(street_manager)
    page = client.get(f"/accounts/users/{district.admin.pk}/").content.decode()
    assert "请联系区级管理员处理" in page
    _edit(client, district.admin, full_name="篡改")
    district.admin.refresh_from_db()
    assert district.admin.full_name == "admin姓名"


def test_user_page_hides_roles_outside_the_managers_scope(district, login, street_manager):
    role = Role.objects.get(code="grid_worker")
    assign(district.worker_a1, role.code, district.grid_b2)
    page = login(street_manager).get(f"/accounts/users/{district.worker_a1.pk}/").content.decode()
    assert district.grid_b2.code not in page and "您不管理的区域担任 1 个角色" in page
