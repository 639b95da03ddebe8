"""A community secretary imports a ledger, fixes the row the import rejected,
then finds the new resident by pinyin initials and opens the household file."""

from datetime import date

from civicgrid.areas.models import Area
from civicgrid.people.models import Person
from civicgrid.people.tests.import_workbooks import id_number, workbook
from e2e.helpers import screenshot

NAME = "闻人语嫣"  # pinyin initials wryy


def _ledger(path, grid_code: str, id_text: str) -> str:
    row = [NAME, "女", id_text, "1988-05-12", "汉族", "13912345678", "户主", "H9000001",
           "平江路12号", "户籍", grid_code, "", ""]  # fmt: skip
    path.write_bytes(workbook([row], title="实有人口台账"))
    return str(path)


def _upload_and_confirm(page, live_server, file_path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#import-file", file_path)
    page.click("button[type=submit]:has-text('上传')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('确认导入')")
    page.wait_for_load_state("networkidle")


def test_import_fix_search_and_open_the_household_file(demo, desktop, log_in, live_server, tmp_path):
    grid = Area.objects.filter(level="grid").order_by("code").first()
    page = log_in(desktop, "shuji")
    good_id = id_number(date(1988, 5, 12), 124)
    bad_id = good_id[:-1] + ("1" if good_id[-1] != "1" else "2")

    _upload_and_confirm(page, live_server, _ledger(tmp_path / "bad.xlsx", grid.code, bad_id))
    assert "未导入任何" in page.locator("main").inner_text() or "没有导入" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('错误')")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not Person.objects.filter(name=NAME).exists()

    _upload_and_confirm(page, live_server, _ledger(tmp_path / "good.xlsx", grid.code, good_id))
    assert Person.objects.filter(name=NAME).count() == 1
    screenshot(page, "import_done.png", docs=True)

    page.goto(f"{live_server.url}/people/")
    page.fill("#person-q", "wryy")
    page.press("#person-q", "Enter")
    page.wait_for_load_state("networkidle")
    page.click(f"#person-results a:has-text('{NAME}')")
    page.wait_for_load_state("networkidle")
    assert "3205" in page.locator("main").inner_text()  # the ID shows masked
    page.click("main dd a[href*='/people/households/']")
    page.wait_for_load_state("networkidle")
    household_file = page.locator("main").inner_text()
    assert NAME in household_file and "H9000001" in household_file and "平江路12号" in household_file
    assert "/people/households/" in page.url and not page.url.endswith("/people/households/")
    screenshot(page, "household_file.png", docs=True)
    assert page.console_errors == []
