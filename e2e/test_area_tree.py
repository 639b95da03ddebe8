"""The area tree opens level by level: 街道 → 社区 → 网格."""

from e2e.helpers import assigned_areas, screenshot


def test_subdistrict_user_opens_the_tree_down_to_the_grids(demo, desktop, log_in, open_page):
    log_in(desktop, "jiedao")
    open_page(desktop, "/areas/")
    (subdistrict,) = assigned_areas("jiedao")
    tree = desktop.locator("main")
    assert subdistrict.name in tree.inner_text()
    assert "沧浪街道" not in tree.inner_text()
    community = subdistrict.children.order_by("code").first()
    # Communities are shown (or loaded with htmx when the subdistrict opens).
    if community.name not in tree.inner_text():
        desktop.locator("details > summary").first.click()
    desktop.get_by_text(community.name, exact=True).first.wait_for()
    grid = community.children.order_by("code").first()
    node = desktop.locator("details", has=desktop.get_by_text(community.name, exact=True)).last
    if grid.name not in tree.inner_text():
        node.locator("summary").first.click()
    desktop.get_by_text(grid.name).first.wait_for()
    screenshot(desktop, "tree_desktop.png", docs=True)
    assert desktop.console_errors == []
