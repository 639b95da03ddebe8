import pytest

from civicgrid.cases.models import CaseCategory, CaseSource
from civicgrid.cases.services import report_case


@pytest.fixture
def lamp():
    return CaseCategory.objects.get(code="street_light")


@pytest.fixture
def garbage():
    return CaseCategory.objects.get(code="garbage")


@pytest.fixture
def reported(district, garbage):
    """A grid worker's report in grid A1 (a 0.01° square at 120.60E 31.28N)."""
    return report_case(category=garbage, title="小区门口垃圾堆积", source=CaseSource.GRID_WORKER,
                       by=district.worker_a1, lon=120.605, lat=31.285)  # fmt: skip
