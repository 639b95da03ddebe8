from __future__ import annotations

import pytest
from django.core.management import call_command

from civicgrid.areas.models import Area


@pytest.fixture
def demo(db):
    """The small demo district (seed 7), as the browser tests use it."""
    call_command("generate_demo", scale="small", seed=7, verbosity=0)
    return Area.objects.get(code="320508")


def grids_by_community() -> dict[str, list[Area]]:
    grouped: dict[str, list[Area]] = {}
    for grid in Area.objects.filter(level="grid").order_by("code"):
        grouped.setdefault(grid.code[:12], []).append(grid)
    return grouped
