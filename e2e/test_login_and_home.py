"""Each role logs in through the real form and lands on a home page about its own area."""

import pytest

from civicgrid.areas.models import Area
from e2e.helpers import assigned_areas, visible_grids

SECOND_SUBDISTRICT = "沧浪街道"  # jiedao2's subdistrict in the demo


def _headline(page, label: str) -> int:  # type: ignore[no-untyped-def]
    """The number above ``label`` in the first area card's headline counts."""
    stat = page.locator("main .card").first.locator(".stat", has=page.locator(".label", has_text=label))
    return int(stat.locator(".value").inner_text().replace(",", ""))


@pytest.mark.parametrize("username", ["admin", "jiedao", "shuji"])
def test_staff_home_shows_their_area_and_its_grid_count(demo, desktop, log_in, live_server, username):
    page = log_in(desktop, username)
    assert page.url == f"{live_server.url}/"
    (area,) = assigned_areas(username)
    main = page.locator("main").inner_text()
    assert area.name in main
    assert area.code in main
    assert _headline(page, "网格") == len(visible_grids(username))
    # the areas right below are listed by name
    for child in Area.objects.filter(parent=area):
        assert child.name in main
    assert page.console_errors == []


@pytest.mark.parametrize("username", ["jiedao", "shuji", "wanggeyuan"])
def test_home_does_not_mention_the_next_subdistrict(demo, desktop, log_in, username):
    page = log_in(desktop, username)
    assert page.locator("main .card").count() >= 1
    assert SECOND_SUBDISTRICT not in page.locator("main").inner_text()


def test_grid_worker_home_lists_each_of_their_grids(demo, desktop, log_in):
    page = log_in(desktop, "wanggeyuan")
    main = page.locator("main").inner_text()
    grids = assigned_areas("wanggeyuan")
    assert grids and all(a.level == "grid" for a in grids)
    for grid in grids:
        assert grid.name in main
        assert grid.code in main
    assert page.console_errors == []


def test_wrong_password_shows_a_chinese_error_and_stays_on_the_login_page(demo, desktop, log_in):
    page = log_in(desktop, "admin", "wrong-password")
    assert "/accounts/login/" in page.url
    error = page.locator(".form-errors").inner_text()
    assert "密码" in error
    assert page.locator("input[name=username]").input_value() == "admin"
