"""GET /areas/map/ — the Leaflet page with the legend of communities."""

import re

from django.test import override_settings

URL = "/areas/map/"


def sources(page):
    return re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page)


def test_map_page_renders_the_map_with_its_data_urls(district, login):
    page = login(district.admin).get(URL).content.decode()
    assert 'id="grid-map"' in page and 'class="map"' in page
    assert 'data-features-url="/areas/map/features.geojson"' in page
    assert 'data-card-url="/areas/CODE/card/"' in page


def test_map_page_loads_leaflet_from_our_own_static_files(district, login):
    page = login(district.admin).get(URL).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in page and "/static/vendor/leaflet/leaflet.css" in page
    assert all(src.startswith("/") for src in sources(page)), sources(page)


def test_map_page_has_no_outside_urls_without_tiles(district, login):
    page = login(district.admin).get(URL).content.decode()
    assert 'data-tile-url=""' in page
    assert "http://" not in page and "https://" not in page


def test_map_page_has_no_inline_scripts(district, login):
    page = login(district.admin).get(URL).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))


@override_settings(
    MAP_TILE_URL="https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}",
    MAP_TILE_ATTRIBUTION="天地图",
)
def test_configured_tiles_reach_the_page_only_as_data_attributes(district, login):
    page = login(district.admin).get(URL).content.decode()
    assert 'data-tile-url="https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&amp;x={x}&amp;y={y}&amp;l={z}"' in page
    assert 'data-tile-attribution="天地图"' in page
    assert all(src.startswith("/") for src in sources(page))
    assert page.count("https://") == 1


def test_legend_lists_the_users_communities(district, login):
    page = login(district.street_a).get(URL).content.decode()
    assert "平江路社区" in page and "南门社区" not in page


def test_grid_worker_legend_shows_the_community_of_their_grid(district, login):
    page = login(district.worker_a1).get(URL).content.decode()
    assert "平江路社区" in page and "南门社区" not in page


def test_map_page_is_marked_in_the_navigation(district, login):
    response = login(district.admin).get(URL)
    assert response.context["nav_active"] == "map"


def test_anonymous_visitor_is_sent_to_login(client, district):
    assert client.get(URL).status_code == 302
