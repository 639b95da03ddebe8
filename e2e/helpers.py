"""Shared helpers of the browser tests: what the demo district lets a user
see (read through the one scoping method), the map, screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from civicgrid.accounts.models import User
from civicgrid.areas.models import Area

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PHONE_WIDTH = 390


def user(username: str) -> User:
    return User.objects.get(username=username)


def visible_grids(username: str) -> list[str]:
    """Codes of the grids the user may see, through the one scoping method."""
    return list(
        Area.objects.visible_to(user(username)).filter(level="grid", is_active=True).values_list("code", flat=True)
    )


def assigned_areas(username: str) -> list[Area]:
    """The areas the user holds an active role in."""
    return [a.area for a in user(username).role_assignments.active().select_related("area").order_by("area__code")]


def open_map(page, live_server):  # type: ignore[no-untyped-def]
    """Open the grid map and wait until map.js has drawn the features."""
    page.goto(f"{live_server.url}/areas/map/")
    page.wait_for_selector("#grid-map.map-ready", timeout=15_000)
    return page


def page_width(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth")


def screenshot(page, name: str, docs: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Always into e2e/artifacts/ (gitignored). With docs=True also into the
    committed docs/screenshots/ when it is missing there or when
    CIVICGRID_DOCS_SCREENSHOTS=1, so a test run does not dirty the tree."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if docs and (os.environ.get("CIVICGRID_DOCS_SCREENSHOTS") == "1" or not (SCREENSHOTS / name).exists()):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, SCREENSHOTS / name)
