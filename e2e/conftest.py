"""Browser tests: Playwright (sync API) driving Debian's chromium against the
pytest-django live server, with the small demo district loaded.

Never `playwright install`: tools cannot download browsers here; scripts/test
installs Debian's chromium and the CJK fonts with apt.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from e2e.helpers import PHONE_WIDTH

CHROMIUM = os.environ.get("CIVICGRID_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Demo@2026"


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(seeded_transactional_db):
    """The small demo district, committed so the live server sees it.

    The live server needs a transactional database, flushed after each test
    along with the rows the data migrations seeded (roles…):
    ``seeded_transactional_db`` (civicgrid/testing/fixtures.py) replays them.
    """
    call_command("generate_demo", scale="small", seed=7, verbosity=0)


def _page(browser, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(20_000)  # generous: CI machines are busy
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return context, page


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, viewport={"width": 1366, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = _page(
        browser,
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    context.close()


@pytest.fixture
def log_in(live_server):
    """Log in through the real login form; returns the page on whatever it lands on."""

    def _log_in(page, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _log_in


@pytest.fixture
def open_page(live_server):
    def _open(page, path: str):  # type: ignore[no-untyped-def]
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        return page

    return _open
