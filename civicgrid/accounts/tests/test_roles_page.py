from civicgrid.accounts.models import Role
from civicgrid.core.models import AuditEvent


def _post(client, role, **fields):
    data = {"name": role.name, "description": role.description, "capabilities": role.capabilities}
    data.update(fields)
    return client.post(f"/accounts/roles/{role.pk}/", data)


def test_roles_page_lists_roles_with_readable_capabilities(district, login):
    page = login(district.admin).get("/accounts/roles/").content.decode()
    assert "系统管理员" in page and "网格员" in page
    assert "管理用户和角色分配" in page or "accounts.manage" not in page


def test_roles_page_is_for_district_administrators_only(district, login, street_manager):
    role = Role.objects.get(code="grid_worker")
    assert login(street_manager).get("/accounts/roles/").status_code == 403
    assert login(street_manager).get(f"/accounts/roles/{role.pk}/").status_code == 403


def test_community_secretary_gets_403_on_roles(district, login):
    assert login(district.community_a).get("/accounts/roles/").status_code == 403


def test_editing_a_roles_capabilities_is_audited(district, login):
    role = Role.objects.get(code="grid_worker")
    response = _post(login(district.admin), role, capabilities=["areas.view", "audit.view"], description="巡查")
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.capabilities == ["areas.view", "audit.view"] and role.description == "巡查"
    event = AuditEvent.objects.get(object_type="role")
    assert event.changes["capabilities"][1] == ["areas.view", "audit.view"]
    assert event.changes["description"] == ["", "巡查"]


def test_a_name_already_used_by_another_role_is_refused_in_chinese(district, login):
    role = Role.objects.get(code="grid_worker")
    page = _post(login(district.admin), role, name="网格长").content.decode()
    assert "已有名为“网格长”的角色" in page
    role.refresh_from_db()
    assert role.name == "网格员"


def test_admin_cannot_add_capabilities_they_do_not_hold(district, login):
    admin_role = Role.objects.get(code="system_admin")
    admin_role.capabilities = [c for c in admin_role.capabilities if c != "personal.unmask"]
    admin_role.save()
    role = Role.objects.get(code="grid_worker")
    page = _post(login(district.admin), role, capabilities=["areas.view", "personal.unmask"]).content.decode()
    assert "不能给角色添加您自己不具备的权限" in page
    role.refresh_from_db()
    assert "personal.unmask" not in role.capabilities
