"""An admin finds the demo staff in user management and the changes in the audit log."""

from playwright.sync_api import expect

from e2e.helpers import screenshot


def test_admin_sees_demo_users_and_their_roles(demo, desktop, log_in, open_page):
    log_in(desktop, "admin")
    open_page(desktop, "/accounts/users/")
    main = desktop.locator("main").inner_text()
    assert "jiedao" in main
    assert "街道指挥中心" in main
    assert desktop.console_errors == []


def test_admin_sees_the_audit_log_and_the_chain_verifies(demo, desktop, log_in, open_page):
    log_in(desktop, "admin")
    open_page(desktop, "/audit/")
    assert desktop.locator("main table tbody tr").count() > 0
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="校验哈希链").click()
    expect(desktop.locator(".messages")).to_contain_text("哈希链完好")
    screenshot(desktop, "audit_desktop.png")
    assert desktop.console_errors == []


def test_grid_worker_cannot_open_user_management(demo, desktop, log_in, live_server):
    log_in(desktop, "wanggeyuan")
    response = desktop.goto(f"{live_server.url}/accounts/users/")
    assert response.status == 403
