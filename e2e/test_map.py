from civicgrid.areas.models import Area
from e2e.conftest import screenshot


def _open_map(page, live_server):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/areas/map/")
    page.wait_for_selector("#grid-map.map-ready", timeout=15000)


def test_admin_map_draws_every_grid_and_a_click_opens_the_grid_card(demo, desktop, log_in, live_server):
    log_in(desktop, "admin")
    _open_map(desktop, live_server)
    grids = Area.objects.filter(level="grid").count()
    assert desktop.locator("#grid-map path.leaflet-interactive").count() == grids
    desktop.locator("#grid-map path.leaflet-interactive").first.click(force=True)
    card = desktop.locator(".leaflet-popup-content .grid-card")
    card.wait_for(timeout=10000)
    assert Area.objects.filter(level="grid", code__in=[card.locator(".grid-code").inner_text().strip()]).exists()
    screenshot(desktop, "map_desktop.png", docs=True)
    assert desktop.console_errors == []


def test_grid_worker_map_shows_only_their_grids(demo, phone, log_in, live_server):
    log_in(phone, "wanggeyuan")
    _open_map(phone, live_server)
    assert phone.locator("#grid-map path.leaflet-interactive").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "map_phone.png", docs=True)


def test_area_tree_opens_children_and_fits_a_phone(demo, phone, desktop, log_in, live_server):
    log_in(desktop, "jiedao")
    desktop.goto(f"{live_server.url}/areas/")
    desktop.locator("details > summary").first.click()
    desktop.wait_for_selector(".tree-children a", timeout=10000)
    assert "社区" in desktop.locator(".tree-children").first.inner_text()
    screenshot(desktop, "tree_desktop.png", docs=True)
    log_in(phone, "jiedao")
    for path in ("/areas/", f"/areas/{Area.objects.filter(level='community').first().code}/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
