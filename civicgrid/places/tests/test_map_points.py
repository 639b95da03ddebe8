from civicgrid.places import selectors
from civicgrid.places.models import Dwelling
from civicgrid.places.tests.conftest import IN_A1


def test_map_points_are_scoped(places, district, login):
    data = login(district.worker_a1).get("/places/map/points.geojson").json()
    labels = {f["properties"]["label"] for f in data["features"]}
    assert "平江小吃店" in labels and "南门五金店" not in labels


def test_map_points_filter_by_layer_and_grid(places, district, login):
    data = (
        login(district.admin)
        .get("/places/map/points.geojson", {"layers": "facilities", "grid": district.grid_b1.code})
        .json()
    )
    assert [f["properties"]["label"] for f in data["features"]] == ["南门摄像头"]


def test_map_points_are_capped(district, login, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_CAP", 5)
    Dwelling.objects.bulk_create(
        Dwelling(area=district.grid_a1, lon=IN_A1[0], lat=IN_A1[1], address=f"桃花苑{i}室") for i in range(8)
    )
    data = login(district.admin).get("/places/map/points.geojson", {"layers": "dwellings"}).json()
    assert len(data["features"]) == 5 and data["truncated"] == ["dwellings"]


def test_bad_bbox_is_explained(district, login):
    response = login(district.admin).get("/places/map/points.geojson", {"bbox": "1,2,3"})
    assert response.status_code == 400
    assert "bbox" in response.json()["detail"]


def test_map_points_use_constant_queries(places, district, login, django_assert_max_num_queries):
    client = login(district.admin)
    with django_assert_max_num_queries(10):
        client.get("/places/map/points.geojson")
