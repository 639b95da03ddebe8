import time

from django.test import override_settings

from civicgrid.core.security import IdleTimeoutMiddleware, content_security_policy


def test_every_page_carries_a_strict_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"


@override_settings(MAP_TILE_URL="https://t{s}.tianditu.gov.cn/vec_w/{z}/{x}/{y}.png")
def test_configured_tile_server_is_the_only_outside_image_origin():
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn" in content_security_policy()


def _pretend_last_request_was(client, minutes_ago: int) -> None:
    session = client.session
    session[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time()) - minutes_ago * 60
    session.save()


def test_idle_session_is_logged_out_with_a_chinese_message(district, client):
    client.force_login(district.admin)
    assert client.get("/").status_code == 200
    _pretend_last_request_was(client, 31)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "长时间未操作" in response.content.decode()
    assert client.get("/").status_code == 302  # really logged out


def test_active_session_survives_short_pauses(district, client):
    client.force_login(district.admin)
    assert client.get("/").status_code == 200
    _pretend_last_request_was(client, 29)
    assert client.get("/").status_code == 200
