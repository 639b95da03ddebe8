"""At 390 px a phone user can read every main page without scrolling sideways,
and the ☰ button opens the menu."""

import subprocess

import pytest

from civicgrid.areas.models import Area
from e2e.helpers import PHONE_WIDTH, assigned_areas, page_width, screenshot

SIDEBAR = "nav.sidebar"


def _sidebar_shown(page) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(SIDEBAR).bounding_box()
    return page.locator(SIDEBAR).is_visible() and box is not None and box["x"] >= 0


def test_home_fits_a_phone_and_the_menu_button_opens_the_sidebar(demo, phone, log_in):
    page = log_in(phone, "wanggeyuan")
    assert page_width(page) <= PHONE_WIDTH
    assert not _sidebar_shown(page)
    screenshot(page, "home_phone.png", docs=True)
    page.click("label.nav-button")
    page.wait_for_timeout(400)  # the slide-in transition
    assert _sidebar_shown(page)
    assert "网格地图" in page.locator(SIDEBAR).inner_text()
    screenshot(page, "menu_phone.png")


@pytest.mark.parametrize("username", ["admin", "jiedao"])
def test_area_pages_fit_a_phone(demo, phone, log_in, open_page, username):
    log_in(phone, username)
    community = Area.objects.filter(level="community").order_by("code").first()
    grid = Area.objects.filter(level="grid").order_by("code").first()
    for path in ("/", "/areas/", f"/areas/{community.code}/", f"/areas/{grid.code}/"):
        open_page(phone, path)
        assert page_width(phone) <= PHONE_WIDTH, path
    assert phone.console_errors == []


def test_admin_pages_fit_a_phone(demo, phone, log_in, open_page):
    log_in(phone, "admin")
    for path in ("/accounts/users/", "/audit/"):
        open_page(phone, path)
        assert page_width(phone) <= PHONE_WIDTH, path


def test_grid_worker_area_page_fits_a_phone(demo, phone, log_in, open_page):
    log_in(phone, "wanggeyuan")
    grid = assigned_areas("wanggeyuan")[0]
    open_page(phone, f"/areas/{grid.code}/")
    assert grid.name in phone.locator("main").inner_text()
    assert page_width(phone) <= PHONE_WIDTH


def test_chinese_fonts_are_installed_for_the_browser():
    """Without a CJK font chromium draws every Chinese character as a box."""
    families = subprocess.run(
        ["fc-list", ":lang=zh", "family"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert families.strip(), "No Chinese font for chromium: apt-get install fonts-noto-cjk (scripts/test does it)"
