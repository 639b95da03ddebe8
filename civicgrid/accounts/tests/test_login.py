from civicgrid.core.models import AuditEvent


def test_wrong_password_shows_djangos_chinese_error(district, client):
    page = client.post("/accounts/login/", {"username": "worker_a1", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in page and 'role="alert"' in page
    assert 'value="worker_a1"' in page  # the username stays filled in


def test_failed_login_is_audited_with_the_attempted_username(district, client):
    client.post("/accounts/login/", {"username": "no_such_user", "password": "wrong"})
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.changes == {"username": "no_such_user"} and failed.actor is None


def test_login_is_audited(district, client):
    response = client.post("/accounts/login/", {"username": "worker_a1", "password": "Passw0rd!2026"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert event.actor == district.worker_a1 and event.object_repr == "worker_a1"


def test_logout_is_audited(district, login):
    client = login(district.worker_a1)
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="logout", actor=district.worker_a1).count() == 1


def test_user_without_a_role_logs_in_to_a_clear_message(district, client):
    client.post("/accounts/login/", {"username": "nobody", "password": "Passw0rd!2026"})
    page = client.get("/").content.decode()
    assert "您的账号尚未分配角色" in page
