"""Authentication and docs of the areas API."""

import re
from datetime import timedelta

from django.utils import timezone

from civicgrid.accounts.api_auth import issue_token


def test_anonymous_caller_gets_401_in_chinese(client, district):
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_anonymous_caller_cannot_read_one_area(client, district):
    assert client.get(f"/api/v1/areas/{district.grid_a1.code}").status_code == 401


def test_bearer_token_authenticates_and_is_scoped(client, district):
    _token, plain = issue_token(user=district.street_b, name="测试")
    data = client.get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Bearer {plain}").json()
    assert data["count"] == 4
    assert {a["code"][:9] for a in data["items"]} == {district.sub_b.code}


def test_bearer_token_cannot_read_outside_scope(client, district):
    _token, plain = issue_token(user=district.street_b, name="测试")
    response = client.get(f"/api/v1/areas/{district.grid_a1.code}", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 404


def test_wrong_token_gets_401(client, district):
    assert client.get("/api/v1/areas/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_expired_token_gets_401(client, district):
    _token, plain = issue_token(user=district.admin, name="过期", expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/areas/tree", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401


def test_openapi_docs_load_from_local_static_files(district, login):
    page = login(district.admin).get("/api/v1/docs").content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower() and "http://" not in page and "https://" not in page
    assert all(src.startswith("/") for src in re.findall(r'(?:src|href)="([^"]+)"', page))


def test_openapi_schema_documents_the_area_endpoints(district, login):
    schema = login(district.admin).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/areas/", "/api/v1/areas/tree", "/api/v1/areas/{code}"} <= set(paths)
    assert paths["/api/v1/areas/{code}"]["get"]["summary"] == "单个区域及其边界 GeoJSON"
