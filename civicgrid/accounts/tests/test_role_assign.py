import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from civicgrid.accounts import services
from civicgrid.accounts.models import Role, RoleAssignment
from civicgrid.core.models import AuditEvent
from civicgrid.core.scoping import user_can


def _add(client, user, role_code, area_code, **extra):
    data = {"form": "role", "role": Role.objects.get(code=role_code).pk, "area": area_code}
    data.update(extra)
    return client.post(f"/accounts/users/{user.pk}/", data)


def test_admin_adds_a_second_role_in_another_area_and_it_takes_effect(district, login):
    worker = district.worker_a1
    assert not user_can(worker, "areas.view", district.grid_b2)
    response = _add(login(district.admin), worker, "grid_leader", f"{district.grid_b2.code} 南门社区第二网格")
    assert response.status_code == 302
    fresh = type(worker).objects.get(pk=worker.pk)  # grants are cached per request/object
    assert user_can(fresh, "areas.view", district.grid_b2)
    assert fresh.role_assignments.count() == 2


def test_adding_a_role_is_audited_in_the_assignments_area(district, login):
    _add(login(district.admin), district.worker_a1, "grid_leader", district.grid_b2.code, valid_from="2026-01-01")
    event = AuditEvent.objects.get(object_type="role_assignment", action="create")
    assert event.area_code == district.grid_b2.code
    assert event.changes["area"] == [None, district.grid_b2.code]
    assert event.changes["role"] == [None, "grid_leader"]
    assert event.changes["valid_from"] == [None, "2026-01-01"]


def test_out_of_scope_area_posted_by_hand_is_refused_in_chinese(district, login, street_manager):
    page = _add(login(street_manager), district.worker_a1, "grid_worker", district.grid_b1.code).content.decode()
    assert "不在您管理的区域范围内" in page
    assert not RoleAssignment.objects.filter(user=district.worker_a1, area=district.grid_b1).exists()


def test_service_refuses_an_out_of_scope_area(district, street_manager):
    with pytest.raises(ValidationError, match="不在您管理的区域范围内"):
        services.role_assign(by=street_manager, user=district.worker_a1,
                             role=Role.objects.get(code="grid_worker"), area=district.grid_b1)  # fmt: skip


def test_escalation_guard_refuses_roles_with_capabilities_the_manager_lacks(district, login, street_manager):
    page = _add(login(street_manager), district.worker_a1, "system_admin", district.sub_a.code).content.decode()
    assert "不具备的权限" in page
    assert RoleAssignment.objects.filter(user=district.worker_a1).count() == 1
    assert not AuditEvent.objects.filter(object_type="role_assignment").exists()


def test_escalation_guard_allows_roles_within_the_managers_capabilities(district, login, street_manager):
    Role.objects.create(code="street_auditor", name="街道审计员", capabilities=["areas.view", "audit.view"])
    response = _add(login(street_manager), district.worker_a1, "street_auditor", district.sub_a.code)
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=district.worker_a1, role__code="street_auditor").exists()


def test_closed_area_is_refused_in_chinese(district, login):
    district.grid_a2.is_active = False
    district.grid_a2.save()
    page = _add(login(district.admin), district.worker_a1, "grid_worker", district.grid_a2.code).content.decode()
    assert "已停用" in page
    assert RoleAssignment.objects.filter(user=district.worker_a1).count() == 1


def test_end_date_before_start_date_is_refused_in_chinese(district, login):
    page = _add(login(district.admin), district.worker_a1, "grid_leader", district.grid_a2.code,
                valid_from="2026-05-01", valid_until="2026-04-01").content.decode()  # fmt: skip
    assert "结束日期早于开始日期" in page
    assert RoleAssignment.objects.filter(user=district.worker_a1).count() == 1


def test_the_same_role_twice_in_one_area_is_refused_in_chinese(district, login):
    page = _add(login(district.admin), district.worker_a1, "grid_worker", district.grid_a1.code).content.decode()
    assert "已在" in page or "已担任" in page
    assert RoleAssignment.objects.filter(user=district.worker_a1).count() == 1


def test_future_assignment_gives_no_access_until_it_starts(district):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    services.role_assign(by=district.admin, user=district.worker_a1, role=Role.objects.get(code="grid_worker"),
                         area=district.grid_b1, valid_from=tomorrow)  # fmt: skip
    fresh = type(district.worker_a1).objects.get(pk=district.worker_a1.pk)
    assert not user_can(fresh, "areas.view", district.grid_b1)


def test_service_escalation_guard_refuses_in_chinese(district, street_manager):
    with pytest.raises(ValidationError, match="不具备的权限"):
        services.role_assign(by=street_manager, user=district.worker_a1,
                             role=Role.objects.get(code="community_secretary"), area=district.comm_a)  # fmt: skip
    assert not RoleAssignment.objects.filter(user=district.worker_a1, area=district.comm_a).exists()


def test_role_picker_offers_only_roles_the_manager_can_grant(district, login, street_manager):
    page = login(street_manager).get(f"/accounts/users/{district.worker_a1.pk}/").content.decode()
    assert ">网格员</option>" in page
    assert ">系统管理员</option>" not in page and ">社区书记</option>" not in page
