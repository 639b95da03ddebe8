import pytest

from civicgrid.areas.models import Area
from e2e.conftest import screenshot


@pytest.mark.parametrize(
    ("username", "own_area", "hidden"),
    [
        ("admin", "姑苏区", None),
        ("jiedao", "平江街道", "沧浪街道"),
        ("shuji", None, "沧浪街道"),
        ("wanggeyuan", None, "沧浪街道"),
    ],
)
def test_each_role_logs_in_and_sees_their_own_area(demo, desktop, log_in, username, own_area, hidden):
    page = log_in(desktop, username)
    main = page.locator("main").inner_text()
    if own_area is None:  # community / grid: the first community and its grid
        community = Area.objects.filter(level="community").order_by("code").first()
        own_area = community.name
    assert own_area in main
    if hidden:
        assert hidden not in main
    assert "网格" in main
    assert page.console_errors == []


def test_wrong_password_shows_a_chinese_error(demo, desktop, log_in):
    page = log_in(desktop, "admin", "wrong-password")
    assert "/accounts/login/" in page.url
    assert "密码" in page.locator(".form-errors").inner_text()


def test_home_at_phone_width_has_no_horizontal_scroll_and_a_working_menu(demo, phone, log_in):
    page = log_in(phone, "wanggeyuan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("nav.sidebar").is_visible() or page.locator("nav.sidebar").bounding_box()["x"] < 0
    page.click("label.nav-button")
    page.wait_for_timeout(300)
    assert page.locator("nav.sidebar").bounding_box()["x"] >= 0
    screenshot(page, "home_phone.png", docs=True)
