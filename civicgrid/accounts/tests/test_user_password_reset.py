from civicgrid.core.models import AuditEvent
from civicgrid.testing.factories import assign


def _reset(client, user, password):
    return client.post(f"/accounts/users/{user.pk}/", {"form": "password", "password": password})


def test_admin_resets_a_password_and_the_log_never_holds_it(district, login):
    response = _reset(login(district.admin), district.worker_a1, "N3w-Grid-Pass!")
    assert response.status_code == 302
    district.worker_a1.refresh_from_db()
    assert district.worker_a1.check_password("N3w-Grid-Pass!")
    event = AuditEvent.objects.get(object_type="user", action="update")
    assert "N3w-Grid-Pass!" not in str(event.changes) and "password" in event.changes


def test_weak_password_is_refused_in_chinese_and_nothing_changes(district, login):
    page = _reset(login(district.admin), district.worker_a1, "12345678").content.decode()
    assert "密码" in page and "常见" in page
    district.worker_a1.refresh_from_db()
    assert district.worker_a1.check_password("Passw0rd!2026")
    assert not AuditEvent.objects.filter(object_type="user", action="update").exists()


def test_street_manager_cannot_reset_a_district_admins_password(district, login, street_manager):
    assign(district.admin, "grid_worker", district.grid_a1)  # visible to the street manager through this role
    page = _reset(login(street_manager), district.admin, "N3w-Grid-Pass!").content.decode()
    assert "请联系区级管理员处理" in page
    district.admin.refresh_from_db()
    assert district.admin.check_password("Passw0rd!2026")


def test_manager_resetting_their_own_password_stays_logged_in(district, login):
    client = login(district.admin)
    _reset(client, district.admin, "N3w-Admin-Pass!")
    assert client.get("/accounts/users/").status_code == 200
