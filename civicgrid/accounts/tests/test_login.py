from civicgrid.core.models import AuditEvent


def test_login_and_failed_login_are_audited(district, client):
    page = client.post("/accounts/login/", {"username": "worker_a1", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in page or "不正确" in page
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.changes == {"username": "worker_a1"} and failed.actor is None
    response = client.post("/accounts/login/", {"username": "worker_a1", "password": "Passw0rd!2026"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=district.worker_a1).count() == 1


def test_user_without_a_role_logs_in_to_a_clear_message(district, client):
    client.post("/accounts/login/", {"username": "nobody", "password": "Passw0rd!2026"})
    page = client.get("/").content.decode()
    assert "您的账号尚未分配角色" in page
