import pytest
from django.core.exceptions import ValidationError

from civicgrid.cases.models import Case, CaseSource
from civicgrid.cases.services import rate_case, report_case, similar_open_cases, transition
from civicgrid.cases.workflow import S
from civicgrid.core.models import TransitionLog
from civicgrid.core.workflow import WorkflowError


def test_report_lands_in_the_grid_of_its_point_with_a_running_clock(district, reported):
    assert reported.area == district.grid_a1
    assert reported.state == S.REPORTED and reported.state_due_at > reported.state_entered_at
    assert len(reported.tracking_code) == 10


def test_point_outside_every_grid_is_refused(district, garbage):
    with pytest.raises(ValidationError, match="不在任何网格"):
        report_case(category=garbage, title="x", source=CaseSource.RESIDENT, lon=121.5, lat=31.2)
    with pytest.raises(ValidationError, match="经"):
        report_case(category=garbage, title="x", source=CaseSource.RESIDENT, lon=31.28, lat=120.6)


def test_grid_worker_cannot_report_in_another_grid(district, garbage):
    with pytest.raises(ValidationError, match="自己的网格"):
        report_case(category=garbage, title="x", source=CaseSource.GRID_WORKER, by=district.worker_a1,
                    lon=120.645, lat=31.285)  # fmt: skip


def test_full_loop_accept_dispatch_handle_check_close(district, reported):
    transition(case=reported, name="accept", by=district.community_a)
    transition(case=reported, name="dispatch", by=district.community_a)
    assert reported.handler_area == district.comm_a  # 权责: garbage is handled by the community
    transition(case=reported, name="handle", by=district.community_a, comment="已清运")
    transition(case=reported, name="close", by=district.worker_a1)
    reported.refresh_from_db()
    assert reported.state == S.CLOSED and reported.closed_at is not None
    assert [log.transition for log in TransitionLog.objects.order_by("id")] == ["accept", "dispatch", "handle", "close"]


def test_failed_check_is_rework_and_counted(district, reported):
    for step in ("accept", "dispatch"):
        transition(case=reported, name=step, by=district.community_a)
    transition(case=reported, name="handle", by=district.community_a, comment="已处理")
    transition(case=reported, name="rework", by=district.worker_a1, comment="现场仍有垃圾")
    reported.refresh_from_db()
    assert reported.state == S.DISPATCHED and reported.reworks == 1


def test_department_category_dispatches_to_the_department(district, lamp):
    case = report_case(category=lamp, title="路灯不亮", source=CaseSource.GRID_WORKER, by=district.worker_a1,
                       lon=120.601, lat=31.281)  # fmt: skip
    transition(case=case, name="accept", by=district.admin)
    transition(case=case, name="dispatch", by=district.admin)
    assert case.department == "区城管局" and case.handler_area == district.district


def test_double_click_fires_once(district, reported):
    first = transition(case=reported, name="accept", by=district.community_a, idempotency_key="form-1")
    again = transition(case=Case.objects.get(pk=reported.pk), name="accept", by=district.community_a,
                       idempotency_key="form-1")  # fmt: skip
    assert first.pk == again.pk and TransitionLog.objects.count() == 1


def test_grid_worker_cannot_accept(district, reported):
    with pytest.raises(WorkflowError, match="没有权限"):
        transition(case=reported, name="accept", by=district.worker_a1)


def test_self_handled_problem_closes_at_once(district, reported):
    transition(case=reported, name="self_handle", by=district.worker_a1, comment="已当场劝导清理")
    reported.refresh_from_db()
    assert reported.state == S.CLOSED and reported.self_handled


def test_dissatisfied_rating_reopens_the_case(district, reported):
    transition(case=reported, name="self_handle", by=district.worker_a1, comment="已清理")
    rate_case(tracking_code=reported.tracking_code.lower(), rating="dissatisfied", comment="又堆起来了")
    reported.refresh_from_db()
    assert reported.state == S.ACCEPTED and reported.rating == "dissatisfied" and reported.closed_at is None


def test_rating_an_open_case_is_refused(district, reported):
    with pytest.raises(ValidationError, match="结案"):
        rate_case(tracking_code=reported.tracking_code, rating="satisfied")


def test_nearby_open_case_of_the_same_family_is_a_duplicate_candidate(district, reported, garbage):
    other = report_case(category=garbage, title="垃圾没人清", source=CaseSource.RESIDENT, lon=120.6052, lat=31.2851,
                        reporter_phone="13812345678")  # fmt: skip
    assert other.reporter_phone_masked == "138****5678"
    assert similar_open_cases(other) == [reported]
    transition(case=other, name="merge", by=district.community_a, into=reported)
    other.refresh_from_db()
    assert other.state == S.MERGED and other.merged_into == reported


def test_hotline_import_keeps_original_number_once(district, garbage):
    report_case(category=garbage, title="12345转办", source=CaseSource.HOTLINE, lon=120.605, lat=31.285,
                external_id="GD2026112400001")  # fmt: skip
    with pytest.raises(ValidationError, match="GD2026112400001"):
        report_case(category=garbage, title="12345转办", source=CaseSource.HOTLINE, lon=120.605, lat=31.285,
                    external_id="GD2026112400001")  # fmt: skip


def test_dispatch_tells_the_handlers_and_closing_tells_the_reporter(district, garbage, settings):
    from civicgrid.core.models import Message
    from civicgrid.core.notifications import OutboxSmsBackend

    settings.SMS_BACKEND = "outbox"
    OutboxSmsBackend.outbox.clear()
    case = report_case(category=garbage, title="垃圾", source=CaseSource.RESIDENT, lon=120.605, lat=31.285,
                       reporter_phone="13812345678")  # fmt: skip
    assert case.state == "verifying"  # a resident's report is checked on site first (核实)
    assert Message.objects.filter(recipient=district.worker_a1, template="case_verify").exists()
    transition(case=case, name="verify_ok", by=district.worker_a1)
    transition(case=case, name="dispatch", by=district.community_a)
    assert Message.objects.filter(recipient=district.community_a, template="case_dispatched").exists()
    transition(case=case, name="handle", by=district.community_a, comment="已清运")
    assert Message.objects.filter(recipient=district.worker_a1, template="case_verify").count() == 2
    transition(case=case, name="close", by=district.worker_a1)
    sms = Message.objects.get(template="case_closed", channel="sms")
    assert sms.phone_masked == "138****5678"


def test_overdue_case_escalates_one_level_once_and_tells_the_level_above(district, reported):
    from django.utils import timezone

    from civicgrid.cases.services import escalate_overdue_cases
    from civicgrid.core.models import Message

    later = reported.state_due_at + timezone.timedelta(minutes=1)
    assert escalate_overdue_cases(now=reported.state_due_at - timezone.timedelta(minutes=1)) == 0
    assert escalate_overdue_cases(now=later) == 1
    assert escalate_overdue_cases(now=later) == 0  # once per state
    reported.refresh_from_db()
    assert reported.escalation_level == 1
    assert Message.objects.filter(recipient=district.community_a, template="case_overdue").exists()


def test_supervision_needs_the_capability_and_a_future_deadline(district, reported):
    from django.utils import timezone

    from civicgrid.cases.services import supervise_case

    with pytest.raises(ValidationError, match="权限"):
        supervise_case(case=reported, by=district.worker_a1, deadline=timezone.now() + timezone.timedelta(days=1))
    with pytest.raises(ValidationError, match="未来"):
        supervise_case(case=reported, by=district.street_a, deadline=timezone.now() - timezone.timedelta(days=1))
    supervise_case(case=reported, by=district.street_a, deadline=timezone.now() + timezone.timedelta(days=2))
    reported.refresh_from_db()
    assert reported.supervised
