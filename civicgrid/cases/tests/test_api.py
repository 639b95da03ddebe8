import json

from civicgrid.cases.models import Case
from civicgrid.core.models import TransitionLog


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_grid_worker_reports_through_the_api(district, login):
    response = _post(login(district.worker_a1), "/api/v1/cases/",
                     {"category": "garbage", "title": "垃圾", "lon": 120.605, "lat": 31.285})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["grid_code"] == district.grid_a1.code and response.json()["state"] == "reported"


def test_workflow_through_the_api_with_conflict_and_retry(district, login, reported):
    client = login(district.community_a)
    detail = client.get(f"/api/v1/cases/{reported.pk}").json()
    assert "accept" in detail["actions"]
    url = f"/api/v1/cases/{reported.pk}/transitions"
    ok = _post(client, url, {"action": "accept", "version": detail["version"], "idempotency_key": "k1"})
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    again = _post(client, url, {"action": "accept", "version": detail["version"], "idempotency_key": "k1"})
    assert again.status_code == 200 and TransitionLog.objects.filter(transition="accept").count() == 1
    stale = _post(client, url, {"action": "dispatch", "version": detail["version"]})
    assert stale.status_code == 409 and "其他人" in stale.json()["detail"]


def test_api_is_scoped_and_explains_refusals(district, login, reported):
    assert login(district.worker_b1).get(f"/api/v1/cases/{reported.pk}").status_code == 404
    refused = _post(login(district.worker_a1), f"/api/v1/cases/{reported.pk}/transitions", {"action": "accept"})
    assert refused.status_code == 422 and "没有权限" in refused.json()["detail"]
    listing = login(district.street_b).get("/api/v1/cases/").json()
    assert listing["count"] == 0
    assert Case.objects.count() == 1
