from civicgrid.accounts.models import RoleAssignment
from civicgrid.core.models import AuditEvent
from civicgrid.core.scoping import user_can
from civicgrid.testing.factories import assign


def test_revoking_a_role_is_audited_and_takes_effect(district, login):
    assignment = RoleAssignment.objects.get(user=district.worker_b1)
    response = login(district.admin).post(f"/accounts/assignments/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(object_type="role_assignment", action="delete")
    assert event.changes["area"] == [district.grid_b1.code, None] and event.area_code == district.grid_b1.code
    fresh = type(district.worker_b1).objects.get(pk=district.worker_b1.pk)
    assert not user_can(fresh, "areas.view", district.grid_b1)


def test_admin_cannot_remove_their_own_admin_role(district, login):
    own = RoleAssignment.objects.get(user=district.admin)
    page = login(district.admin).post(f"/accounts/assignments/{own.pk}/revoke/", follow=True).content.decode()
    assert "不能移除您自己的管理员角色" in page
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_street_manager_cannot_revoke_roles_in_the_next_subdistrict(district, login, street_manager):
    other = assign(district.worker_a1, "grid_worker", district.grid_b1)
    response = login(street_manager).post(f"/accounts/assignments/{other.pk}/revoke/")
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_community_secretary_cannot_revoke_roles(district, login):
    assignment = RoleAssignment.objects.get(user=district.worker_a1)
    assert login(district.community_a).post(f"/accounts/assignments/{assignment.pk}/revoke/").status_code == 403
