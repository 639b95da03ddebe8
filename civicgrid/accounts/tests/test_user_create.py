import pytest
from django.core.exceptions import ValidationError

from civicgrid.accounts import services
from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.core.models import AuditEvent


def _form(area_code, **extra):
    data = {"full_name": "王小明", "username": "wangxm", "password": "Gr1d-Worker!2026", "title": "网格员",
            "work_phone": "", "role": Role.objects.get(code="grid_worker").pk, "area": area_code}  # fmt: skip
    data.update(extra)
    return data


def test_admin_creates_a_grid_worker_with_a_role(district, login):
    response = login(district.admin).post("/accounts/users/new/", _form(f"{district.grid_a2.code} 第二网格"))
    assert response.status_code == 302
    user = User.objects.get(username="wangxm")
    assert user.check_password("Gr1d-Worker!2026") and user.title == "网格员"
    assert list(user.role_assignments.values_list("area__code", flat=True)) == [district.grid_a2.code]


def test_creating_a_user_is_audited_with_the_new_values(district, login):
    login(district.admin).post("/accounts/users/new/", _form(district.grid_a2.code))
    event = AuditEvent.objects.get(object_type="user", action="create")
    assert event.area_code == district.grid_a2.code and event.actor == district.admin
    assert event.changes["full_name"] == [None, "王小明"]
    assert event.changes["role"][1].startswith("网格员")
    assert "password" not in event.changes


def test_user_without_a_role_is_refused_and_nothing_is_created(district, login):
    page = login(district.admin).post("/accounts/users/new/", _form("", role="")).content.decode()
    assert "每个用户都必须在某个区域担任一个角色" in page
    assert not User.objects.filter(username="wangxm").exists()
    assert not AuditEvent.objects.filter(object_type="user", action="create").exists()


def test_service_refuses_a_user_without_a_role_in_chinese(district):
    with pytest.raises(ValidationError, match="每个用户都必须在某个区域担任一个角色"):
        services.user_create(by=district.admin, username="wangxm", full_name="王小明",
                             password="Gr1d-Worker!2026", role=None, area=None)  # fmt: skip
    assert not User.objects.filter(username="wangxm").exists()


def test_weak_password_is_refused_in_chinese(district, login):
    page = login(district.admin).post("/accounts/users/new/", _form(district.grid_a2.code, password="123")).content
    assert "密码" in page.decode()
    assert not User.objects.filter(username="wangxm").exists()


def test_taken_username_is_refused_case_insensitively(district, login):
    page = login(district.admin).post("/accounts/users/new/", _form(district.grid_a2.code, username="Worker_A1"))
    assert "已被占用" in page.content.decode()
    assert RoleAssignment.objects.filter(area=district.grid_a2).count() == 0


def test_street_manager_cannot_create_users_in_the_next_subdistrict(district, login, street_manager):
    page = login(street_manager).post("/accounts/users/new/", _form(district.grid_b1.code)).content.decode()
    assert "不在您管理的区域范围内" in page
    assert not User.objects.filter(username="wangxm").exists()


def test_street_manager_creates_users_in_their_own_subdistrict(district, login, street_manager):
    response = login(street_manager).post("/accounts/users/new/", _form(district.grid_a1.code))
    assert response.status_code == 302 and User.objects.filter(username="wangxm").exists()


def test_unknown_area_code_is_refused_in_chinese(district, login):
    page = login(district.admin).post("/accounts/users/new/", _form("999999999")).content.decode()
    assert "没有代码为 999999999 的区域" in page
    assert not User.objects.filter(username="wangxm").exists()


def test_manager_cannot_grant_more_than_they_hold(district, login, street_manager):
    role = Role.objects.get(code="community_secretary")  # holds personal.unmask, the street manager does not
    page = login(street_manager).post("/accounts/users/new/", _form(district.grid_a1.code, role=role.pk))
    assert "不具备的权限" in page.content.decode()
    assert not User.objects.filter(username="wangxm").exists()


def test_community_secretary_cannot_open_the_create_page(district, login):
    assert login(district.community_a).get("/accounts/users/new/").status_code == 403
