import datetime as dt

from django.utils import timezone

from civicgrid.cases.kpis import kpis
from civicgrid.cases.models import Case, CaseSource
from civicgrid.cases.services import rate_case, report_case, transition


def _case(district, garbage, title, lon):
    return report_case(category=garbage, title=title, source=CaseSource.GRID_WORKER, by=district.worker_a1,
                       lon=lon, lat=31.285)  # fmt: skip


def test_kpis_follow_the_definitions(district, garbage):
    a = _case(district, garbage, "甲", 120.601)
    b = _case(district, garbage, "乙", 120.602)
    c = _case(district, garbage, "丙", 120.603)
    for case in (a, b, c):
        transition(case=case, name="accept", by=district.community_a)
        transition(case=case, name="dispatch", by=district.community_a)
    transition(case=a, name="handle", by=district.community_a, comment="好")
    transition(case=a, name="close", by=district.worker_a1)
    rate_case(tracking_code=a.tracking_code, rating="satisfied")
    transition(case=b, name="handle", by=district.community_a, comment="好")
    transition(case=b, name="rework", by=district.worker_a1, comment="不行")
    Case.objects.filter(pk=c.pk).update(state_due_at=timezone.now() - dt.timedelta(hours=1))

    today = timezone.localdate()
    [row] = kpis(district.admin, group="community", start=today, end=today)
    assert row.label == district.comm_a.name
    assert (row.due, row.closed, row.handled, row.reworked, row.rated, row.satisfied) == (3, 1, 2, 1, 1, 1)
    assert row.close_rate == 33.3 and row.rework_rate == 33.3 and row.satisfaction_rate == 100.0
    assert row.on_time_handling_rate == 100.0 and row.overdue == 1


def test_dashboard_is_scoped_and_renders_a_chart(district, garbage, login):
    case = _case(district, garbage, "甲", 120.601)
    transition(case=case, name="accept", by=district.community_a)
    page = login(district.street_b).get("/cases/dashboard/").content.decode()
    assert district.comm_a.name not in page
    page = login(district.street_a).get("/cases/dashboard/", {"group": "grid"}).content.decode()
    assert district.grid_a1.name in page and 'id="kpi-data"' in page and "echarts" in page
