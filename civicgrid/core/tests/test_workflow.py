import threading

import pytest
from django.db import connection

from civicgrid.core.models import AuditEvent, TransitionLog
from civicgrid.core.workflow import ConflictError, Transition, Workflow, WorkflowError, available, fire, history
from civicgrid.testing.models import Ticket

TICKETS = Workflow(
    name="ticket",
    states={"new": "新建", "open": "处理中", "closed": "已办结"},
    initial="new",
    transitions=[
        Transition("accept", "受理", ("new",), "open", "areas.view"),
        Transition("close", "办结", ("open",), "closed", "areas.view", requires_comment=True),
        Transition(
            "reopen",
            "重新办理",
            ("closed",),
            "open",
            "areas.change",
            guard=lambda obj, user, data: None if data.get("why") else "请说明重新办理的原因。",
        ),
    ],
    sla=lambda obj, state: (2, "work_days") if state == "open" else None,
)


@pytest.fixture
def ticket(district):
    return Ticket.objects.create(area=district.grid_a1, title="路灯不亮", state="new")


def test_transition_moves_state_starts_clock_and_logs(district, ticket):
    log = fire(workflow=TICKETS, obj=ticket, transition="accept", by=district.worker_a1)
    ticket.refresh_from_db()
    assert ticket.state == "open"
    assert ticket.version == 2
    assert ticket.state_due_at is not None and ticket.state_due_at > ticket.state_entered_at
    assert log.from_state == "new" and log.to_state == "open" and log.actor == district.worker_a1
    assert AuditEvent.objects.filter(object_type="ticket", object_id=str(ticket.pk)).count() == 1
    assert list(history(ticket)) == [log]


def test_user_outside_the_area_cannot_fire(district, ticket):
    with pytest.raises(WorkflowError, match="没有权限"):
        fire(workflow=TICKETS, obj=ticket, transition="accept", by=district.worker_b1)
    ticket.refresh_from_db()
    assert ticket.state == "new"


def test_transition_from_the_wrong_state_is_refused_in_chinese(district, ticket):
    with pytest.raises(WorkflowError, match="新建"):
        fire(workflow=TICKETS, obj=ticket, transition="close", by=district.worker_a1, comment="好了")


def test_required_reason_and_guard_messages(district, ticket):
    fire(workflow=TICKETS, obj=ticket, transition="accept", by=district.worker_a1)
    with pytest.raises(WorkflowError, match="原因"):
        fire(workflow=TICKETS, obj=ticket, transition="close", by=district.worker_a1)
    fire(workflow=TICKETS, obj=ticket, transition="close", by=district.worker_a1, comment="已修复")
    with pytest.raises(WorkflowError, match="重新办理的原因"):
        fire(workflow=TICKETS, obj=ticket, transition="reopen", by=district.admin)


def test_double_submission_with_the_same_key_fires_once(district, ticket):
    first = fire(workflow=TICKETS, obj=ticket, transition="accept", by=district.worker_a1, idempotency_key="k-1")
    again = fire(workflow=TICKETS, obj=Ticket.objects.get(pk=ticket.pk), transition="accept",
                 by=district.worker_a1, idempotency_key="k-1")  # fmt: skip
    assert again.pk == first.pk
    assert TransitionLog.objects.count() == 1


def test_stale_version_is_a_conflict_and_changes_nothing(district, ticket):
    stale = Ticket.objects.get(pk=ticket.pk)
    fire(workflow=TICKETS, obj=ticket, transition="accept", by=district.worker_a1)
    with pytest.raises(ConflictError, match="其他人"):
        fire(workflow=TICKETS, obj=stale, transition="accept", by=district.community_a, expected_version=1)
    assert TransitionLog.objects.count() == 1


def test_available_lists_only_what_the_user_may_do(district, ticket):
    assert [t.name for t in available(TICKETS, ticket, district.worker_a1)] == ["accept"]
    ticket.state = "closed"
    assert available(TICKETS, ticket, district.worker_a1) == []  # reopen needs areas.change
    assert [t.name for t in available(TICKETS, ticket, district.admin)] == ["reopen"]
    assert available(TICKETS, ticket, district.worker_b1) == []


def test_two_people_acting_at_once_only_one_wins(seeded_transactional_db, district):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test database is not shared between threads")
    ticket = Ticket.objects.create(area=district.grid_a1, title="井盖缺失", state="new")
    results: list[str] = []

    def act(user):
        try:
            fire(workflow=TICKETS, obj=Ticket.objects.get(pk=ticket.pk), transition="accept", by=user)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (district.worker_a1, district.community_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert TransitionLog.objects.filter(object_id=ticket.pk).count() == 1
