def test_api_lists_only_visible_dwellings(places, district, login):
    data = login(district.worker_a1).get("/api/v1/places/dwellings/").json()
    assert data["count"] == 1 and data["items"][0]["id"] == places["d1"].pk


def test_api_dwelling_out_of_scope_is_404(places, district, login):
    response = login(district.worker_a1).get(f"/api/v1/places/dwellings/{places['d2'].pk}/")
    assert response.status_code == 404
    assert "范围" in response.json()["detail"]


def test_api_organizations_and_facilities_are_scoped(places, district, login):
    client = login(district.worker_a1)
    assert [o["name"] for o in client.get("/api/v1/places/organizations/").json()["items"]] == ["平江小吃店"]
    assert [f["name"] for f in client.get("/api/v1/places/facilities/").json()["items"]] == ["平江避难所"]
    assert client.get(f"/api/v1/places/organizations/{places['org_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/places/facilities/{places['fac_b'].pk}/").status_code == 404


def test_api_without_registry_role_is_403(places, district, login):
    assert login(district.nobody).get("/api/v1/places/dwellings/").status_code == 403
