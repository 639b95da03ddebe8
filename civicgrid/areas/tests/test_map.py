import json

import pytest
from django.test import override_settings

from civicgrid.areas.geometry import refresh_map_features
from civicgrid.areas.models import Area


@pytest.fixture
def features(district):
    refresh_map_features()
    return district


@pytest.mark.parametrize(("who", "count"), [("admin", 4), ("street_a", 2), ("worker_a1", 1), ("nobody", 0)])
def test_map_shows_exactly_the_grids_a_user_may_see(features, login, who, count):
    data = login(getattr(features, who)).get("/areas/map/features.geojson").json()
    assert len(data["features"]) == count


def test_features_make_constant_queries(features, login, django_assert_max_num_queries):
    client = login(features.admin)
    with django_assert_max_num_queries(8):
        client.get("/areas/map/features.geojson")


def test_unchanged_features_answer_304(features, login):
    client = login(features.admin)
    first = client.get("/areas/map/features.geojson")
    again = client.get("/areas/map/features.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_feature_without_cache_is_built_on_the_fly(features, login):
    Area.objects.filter(pk=features.grid_a1.pk).update(map_feature="")
    data = login(features.worker_a1).get("/areas/map/features.geojson").json()
    assert data["features"][0]["properties"]["code"] == features.grid_a1.code


@override_settings(MAP_TILE_CRS="gcj02")
def test_gcj02_tiles_get_shifted_coordinates_without_changing_stored_data(features, login):
    data = login(features.worker_a1).get("/areas/map/features.geojson").json()
    lon, _lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert lon != pytest.approx(120.60, abs=1e-4) and lon == pytest.approx(120.60, abs=0.01)
    stored = Area.objects.get(pk=features.grid_a1.pk).boundary["coordinates"][0][0]
    assert stored == [120.60, 31.28]


def test_map_page_has_no_outside_urls_without_tiles(features, login):
    page = login(features.admin).get("/areas/map/").content.decode()
    assert 'id="grid-map"' in page and 'data-tile-url=""' in page
    assert "http://" not in page and "https://" not in page


def test_grid_card_shows_responsible_people_and_hides_other_grids(features, login):
    client = login(features.worker_a1)
    card = client.get(f"/areas/{features.grid_a1.code}/card/").content.decode()
    assert features.grid_a1.code in card and features.worker_a1.full_name in card and "平江街道" in card
    assert client.get(f"/areas/{features.grid_b1.code}/card/").status_code == 404


def test_feature_properties_carry_the_community_colour(features, login):
    data = login(features.admin).get("/areas/map/features.geojson").json()
    colours = {f["properties"]["community"]: f["properties"]["colour"] for f in data["features"]}
    assert len(set(colours.values())) == 2
    assert json.dumps(data)
