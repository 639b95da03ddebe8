"""The grid map draws exactly the grids a user may see; a click opens the grid card."""

from civicgrid.areas.models import Area
from e2e.helpers import open_map, screenshot, visible_grids

POLYGONS = "#grid-map path.leaflet-interactive"


def _open_card(page, index: int):  # type: ignore[no-untyped-def]
    """Click the polygon ``index`` (in drawing order) and return the grid card's code."""
    page.locator(POLYGONS).nth(index).click(force=True)
    card = page.locator(".leaflet-popup-content .grid-card")
    card.wait_for()
    page.wait_for_timeout(600)  # let Leaflet finish panning the popup into view
    return card.locator(".grid-code").inner_text().strip()


def test_admin_map_draws_every_grid_of_the_district(demo, desktop, log_in, live_server):
    log_in(desktop, "admin")
    open_map(desktop, live_server)
    grids = visible_grids("admin")
    assert len(grids) == Area.objects.filter(level="grid").count() > 0  # the admin sees the whole district
    assert desktop.locator(POLYGONS).count() == len(grids)
    assert desktop.locator("#grid-map").get_attribute("data-grid-count") == str(len(grids))
    assert desktop.console_errors == []


def test_clicking_a_grid_opens_its_card_with_the_grid_code(demo, desktop, log_in, live_server):
    log_in(desktop, "admin")
    open_map(desktop, live_server)
    code = _open_card(desktop, 10)
    assert code in visible_grids("admin")
    card = desktop.locator(".leaflet-popup-content .grid-card").inner_text()
    assert "网格员" in card  # the 三包 network of the grid
    screenshot(desktop, "map_desktop.png", docs=True)
    assert desktop.console_errors == []


def test_grid_worker_map_shows_only_their_grids(demo, desktop, log_in, live_server):
    log_in(desktop, "wanggeyuan")
    open_map(desktop, live_server)
    own = visible_grids("wanggeyuan")
    assert 0 < len(own) < Area.objects.filter(level="grid").count()
    assert desktop.locator(POLYGONS).count() == len(own)
    assert _open_card(desktop, 0) in own


def test_map_fits_a_phone(demo, phone, log_in, live_server):
    log_in(phone, "wanggeyuan")
    open_map(phone, live_server)
    assert phone.locator(POLYGONS).count() == len(visible_grids("wanggeyuan"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "map_phone.png", docs=True)
