"""GET /areas/map/features.geojson — the grids a user may see, as GeoJSON for the map."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from civicgrid.areas.geometry import refresh_map_features
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.testing.factories import square

URL = "/areas/map/features.geojson"


@pytest.fixture
def features(district):
    refresh_map_features()
    return district


def codes(response):
    return [f["properties"]["code"] for f in response.json()["features"]]


@pytest.mark.parametrize(("who", "count"), [("admin", 4), ("street_a", 2), ("worker_a1", 1), ("nobody", 0)])
def test_map_shows_exactly_the_grids_a_user_may_see(features, login, who, count):
    data = login(getattr(features, who)).get(URL).json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == count


def test_street_user_sees_only_their_subdistrict_grids(features, login):
    response = login(features.street_a).get(URL)
    assert codes(response) == [features.grid_a1.code, features.grid_a2.code]


def test_anonymous_visitor_is_sent_to_login(client, features):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_features_make_constant_queries_whatever_the_number_of_grids(features, login, django_assert_max_num_queries):
    client = login(features.admin)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3, 23):
        code = f"{features.comm_a.code}{n:03d}"
        Area.objects.create(
            code=code, name=f"网格{n}", level=AreaLevel.GRID, parent=features.comm_a, boundary=square(120.6, 31.3)
        )
    refresh_map_features()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.json()["features"]) == 24


def test_features_without_cache_make_constant_queries(features, login, django_assert_max_num_queries):
    Area.objects.update(map_feature="")
    client = login(features.admin)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.json()["features"]) == 4


def test_feature_without_cache_is_built_on_the_fly(features, login):
    Area.objects.filter(pk=features.grid_a1.pk).update(map_feature="")
    data = login(features.worker_a1).get(URL).json()
    assert data["features"][0]["properties"]["code"] == features.grid_a1.code
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_grid_without_boundary_is_left_off_the_map(features, login):
    Area.objects.filter(pk=features.grid_a2.pk).update(boundary=None, map_feature="")
    assert codes(login(features.street_a).get(URL)) == [features.grid_a1.code]


def test_inactive_grid_is_left_off_the_map(features, login):
    Area.objects.filter(pk=features.grid_a2.pk).update(is_active=False)
    assert codes(login(features.street_a).get(URL)) == [features.grid_a1.code]


def test_community_filter_limits_the_grids(features, login):
    response = login(features.admin).get(URL, {"community": features.comm_b.code})
    assert codes(response) == [features.grid_b1.code, features.grid_b2.code]


def test_community_filter_cannot_widen_the_scope(features, login):
    response = login(features.street_a).get(URL, {"community": features.comm_b.code})
    assert codes(response) == []


def test_malformed_community_filter_is_explained_in_chinese(features, login):
    response = login(features.admin).get(URL, {"community": "abc"})
    assert response.status_code == 400
    assert "社区代码" in response.json()["detail"]


def test_community_level_returns_community_outlines(features, login):
    response = login(features.street_a).get(URL, {"level": "community"})
    assert codes(response) == [features.comm_a.code]


def test_unknown_level_is_explained_in_chinese(features, login):
    response = login(features.admin).get(URL, {"level": "planet"})
    assert response.status_code == 400
    assert "层级" in response.json()["detail"]


def test_feature_properties_carry_the_community_colour(features, login):
    data = login(features.admin).get(URL).json()
    colours = {f["properties"]["community"]: f["properties"]["colour"] for f in data["features"]}
    assert len(colours) == 2 and len(set(colours.values())) == 2


def test_response_is_private_and_carries_an_etag(features, login):
    response = login(features.admin).get(URL)
    assert "private" in response["Cache-Control"]
    assert response["ETag"].startswith('"')


def test_unchanged_features_answer_304(features, login):
    client = login(features.admin)
    first = client.get(URL)
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_changed_grid_gets_a_new_etag(features, login):
    client = login(features.admin)
    first = client.get(URL)
    grid = Area.objects.get(pk=features.grid_a1.pk)
    grid.name = "改名网格"
    grid.save()
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_rebuilt_cache_gets_a_new_etag(features, login):
    client = login(features.admin)
    first = client.get(URL)
    Area.objects.filter(pk=features.grid_a1.pk).update(boundary=square(120.60, 31.28, 0.0123))
    refresh_map_features(Area.objects.filter(pk=features.grid_a1.pk))
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_etag_differs_between_users_with_different_scopes(features, client):
    client.force_login(features.street_a)
    street_a = client.get(URL)["ETag"]
    client.force_login(features.street_b)
    assert client.get(URL, HTTP_IF_NONE_MATCH=street_a).status_code == 200


@override_settings(MAP_TILE_CRS="gcj02")
def test_gcj02_tiles_get_shifted_coordinates_without_changing_stored_data(features, login):
    data = login(features.worker_a1).get(URL).json()
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    # GCJ-02 moves Suzhou a few hundred metres: shifted, but not far.
    assert (lon, lat) != (pytest.approx(120.60, abs=1e-4), pytest.approx(31.28, abs=1e-4))
    assert lon == pytest.approx(120.60, abs=0.01) and lat == pytest.approx(31.28, abs=0.01)
    assert Area.objects.get(pk=features.grid_a1.pk).boundary["coordinates"][0][0] == [120.60, 31.28]


@override_settings(MAP_TILE_CRS="gcj02")
def test_gcj02_matches_the_maintained_converter(features, login):
    import prcoords

    data = login(features.worker_a1).get(URL).json()
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    expected = prcoords.wgs_gcj((31.28, 120.60))
    assert lon == pytest.approx(expected.lon, abs=1e-6) and lat == pytest.approx(expected.lat, abs=1e-6)


def test_gcj02_setting_changes_the_etag(features, login):
    client = login(features.admin)
    wgs = client.get(URL)["ETag"]
    with override_settings(MAP_TILE_CRS="gcj02"):
        assert client.get(URL, HTTP_IF_NONE_MATCH=wgs).status_code == 200
