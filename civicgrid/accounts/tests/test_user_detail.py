from civicgrid.accounts.models import Role, RoleAssignment
from civicgrid.core.models import AuditEvent
from civicgrid.core.scoping import user_can


def test_admin_adds_a_second_role_in_another_area_and_it_takes_effect(district, login):
    worker = district.worker_a1
    assert not user_can(worker, "areas.view", district.grid_b2)
    response = login(district.admin).post(
        f"/accounts/users/{worker.pk}/",
        {"form": "role", "role": Role.objects.get(code="grid_worker").pk, "area": district.grid_b2.code},
    )
    assert response.status_code == 302
    fresh = type(worker).objects.get(pk=worker.pk)  # grants are cached per request/object
    assert user_can(fresh, "areas.view", district.grid_b2)
    event = AuditEvent.objects.get(object_type="role_assignment", action="create")
    assert event.changes["area"] == [None, district.grid_b2.code]


def test_revoking_a_role_is_audited(district, login):
    assignment = RoleAssignment.objects.get(user=district.worker_b1)
    response = login(district.admin).post(f"/accounts/assignments/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(object_type="role_assignment", action="delete").count() == 1


def test_street_manager_cannot_open_users_of_the_next_subdistrict(district, login, street_manager):
    assert login(street_manager).get(f"/accounts/users/{district.worker_b1.pk}/").status_code == 404


def test_deactivating_a_user_is_audited_with_before_and_after(district, login):
    login(district.admin).post(
        f"/accounts/users/{district.worker_a1.pk}/",
        {"form": "edit", "full_name": district.worker_a1.full_name, "title": "", "work_phone": ""},
    )
    district.worker_a1.refresh_from_db()
    assert not district.worker_a1.is_active
    event = AuditEvent.objects.get(object_type="user", action="update")
    assert event.changes["is_active"] == [True, False]


def test_admin_cannot_remove_their_own_admin_role(district, login):
    own = RoleAssignment.objects.get(user=district.admin)
    login(district.admin).post(f"/accounts/assignments/{own.pk}/revoke/", follow=True)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_role_capabilities_are_edited_by_district_admins_only(district, login, street_manager):
    role = Role.objects.get(code="grid_worker")
    assert login(street_manager).get(f"/accounts/roles/{role.pk}/").status_code == 403
    login(district.admin).post(
        f"/accounts/roles/{role.pk}/",
        {"name": "网格员", "description": "", "capabilities": ["areas.view", "audit.view"]},
    )
    role.refresh_from_db()
    assert role.capabilities == ["areas.view", "audit.view"]
    assert AuditEvent.objects.filter(object_type="role").exists()
