"""The whole case loop in the browser: a resident reports on a phone, the
community accepts and dispatches, the handler reports done with a photo, the
grid worker's check closes it, and the resident rates it by tracking code."""

from PIL import Image

from civicgrid.areas.models import Area
from civicgrid.cases.models import Case
from e2e.helpers import screenshot


def _photo(path) -> str:  # type: ignore[no-untyped-def]
    Image.new("RGB", (640, 480), (90, 140, 60)).save(path, format="JPEG")
    return str(path)


def _act(page, live_server, case: Case, action: str, comment: str = "", photo: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    if comment:
        page.fill("textarea[name=comment]", comment)
    if photo:
        page.set_input_files("#case-actions input[name=photos]", photo)
    page.click(f"#case-actions button:has-text('{action}')")
    page.wait_for_load_state("networkidle")


def test_resident_report_to_rating(demo, phone, desktop, log_in, live_server, tmp_path):
    grid = Area.objects.filter(level="grid").order_by("code").first()
    lon, lat = grid.center_lon, grid.center_lat

    # 1. A resident, on a phone, no login. The location comes from the phone's GPS.
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"longitude": lon, "latitude": lat})
    phone.goto(f"{live_server.url}/cases/public/report/")
    phone.select_option("select[name=category]", label="市容环境 / 垃圾暴露、乱堆乱放")
    phone.fill("input[name=title]", "楼下垃圾三天没人清")
    phone.fill("input[name=phone]", "13900001111")
    phone.wait_for_function("document.querySelector('input[name=lon]').value !== ''")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "resident_report_phone.png", docs=True)
    phone.click("button:has-text('提交')")
    phone.wait_for_load_state("networkidle")
    case = Case.objects.get(title="楼下垃圾三天没人清")
    assert case.tracking_code in phone.url and case.area == grid

    # 2. The grid worker verifies it on site (核实), which accepts it (立案).
    assert case.state == "verifying"
    log_in(desktop, "wanggeyuan")
    _act(desktop, live_server, case, "现场核实属实")
    desktop.click("header button:has-text('退出')")
    desktop.wait_for_load_state("networkidle")
    # 3. Community staff dispatch; 4. handle with a photo; 5. the grid worker's check closes it.
    log_in(desktop, "sheqgz")
    _act(desktop, live_server, case, "派遣")
    _act(desktop, live_server, case, "处置完毕", comment="已清运并消杀", photo=_photo(tmp_path / "after.jpg"))
    case.refresh_from_db()
    assert case.state == "handled" and case.photos.count() == 1
    desktop.click("header button:has-text('退出')")
    desktop.wait_for_load_state("networkidle")
    log_in(desktop, "wanggeyuan")
    _act(desktop, live_server, case, "核查通过")
    case.refresh_from_db()
    assert case.state == "closed"
    screenshot(desktop, "case_closed.png", docs=True)

    # 6. The resident rates it by the tracking code, in one tap.
    phone.goto(f"{live_server.url}/cases/public/track/{case.tracking_code}/")
    assert "已结案" in phone.locator("main").inner_text()
    phone.check("input[name=rating][value=satisfied]")
    phone.click("button:has-text('提交评价')")
    phone.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.rating == "satisfied"
    assert phone.console_errors == [] and desktop.console_errors == []
