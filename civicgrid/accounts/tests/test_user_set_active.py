from django.test import Client

from civicgrid.core.models import AuditEvent


def test_deactivating_a_user_is_audited_with_before_and_after(district, login):
    response = login(district.admin).post(f"/accounts/users/{district.worker_a1.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    district.worker_a1.refresh_from_db()
    assert not district.worker_a1.is_active
    event = AuditEvent.objects.get(object_type="user", action="update")
    assert event.changes == {"is_active": [True, False]}


def test_deactivated_user_can_no_longer_log_in(district, login, client):
    login(district.admin).post(f"/accounts/users/{district.worker_a1.pk}/active/", {"active": "0"})
    client.logout()
    page = client.post("/accounts/login/", {"username": "worker_a1", "password": "Passw0rd!2026"})
    assert page.status_code == 200 and "请输入一个正确的" in page.content.decode()


def test_reactivating_a_user_is_audited(district, login):
    district.worker_a1.is_active = False
    district.worker_a1.save()
    login(district.admin).post(f"/accounts/users/{district.worker_a1.pk}/active/", {"active": "1"})
    district.worker_a1.refresh_from_db()
    assert district.worker_a1.is_active
    assert AuditEvent.objects.get(object_type="user", action="update").changes == {"is_active": [False, True]}


def test_admin_cannot_deactivate_their_own_account(district, login):
    page = login(district.admin).post(f"/accounts/users/{district.admin.pk}/active/", {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in page.content.decode()
    district.admin.refresh_from_db()
    assert district.admin.is_active


def test_street_manager_cannot_deactivate_users_of_the_next_subdistrict(district, login, street_manager):
    response = login(street_manager).post(f"/accounts/users/{district.worker_b1.pk}/active/", {"active": "0"})
    assert response.status_code == 404
    district.worker_b1.refresh_from_db()
    assert district.worker_b1.is_active


def test_deactivation_needs_a_post(district, login):
    assert login(district.admin).get(f"/accounts/users/{district.worker_a1.pk}/active/").status_code == 405


def test_a_deactivated_users_open_session_ends_at_the_next_request(district, client):
    client.force_login(district.worker_a1)
    admin = Client()
    admin.force_login(district.admin)
    admin.post(f"/accounts/users/{district.worker_a1.pk}/active/", {"active": "0"})
    response = client.get("/areas/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
