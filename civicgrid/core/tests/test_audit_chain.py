"""Tamper evidence: the verify button, ``manage.py verify_audit_chain`` and the
PostgreSQL trigger that makes the log append-only."""

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent

on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL trigger")


@pytest.fixture
def events(district):
    audit.record(action="update", object_type="area", object_repr="甲网格", area_code=district.grid_a1.code,
                 changes={"name": ["旧", "新"]}, actor=district.admin)  # fmt: skip
    audit.record(action="update", object_type="area", object_repr="乙网格", area_code=district.grid_b1.code,
                 actor=district.admin)  # fmt: skip
    return AuditEvent.objects.order_by("id").first()


def _tamper(event):
    """Edit a row behind the application's back. On PostgreSQL that takes a
    superuser switching the append-only trigger off first; the chain still tells."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["篡改", event.pk])


def test_verify_command_passes_on_an_intact_chain(events, capsys):
    call_command("verify_audit_chain")
    assert "审计日志哈希链完好：已校验 2 条记录" in capsys.readouterr().out


def test_verify_command_detects_an_edited_row(events, capsys):
    _tamper(events)
    with pytest.raises(CommandError, match="审计日志哈希链校验失败"):
        call_command("verify_audit_chain")
    assert f"第 #{events.pk} 条记录" in capsys.readouterr().err


def test_verify_command_exits_1_on_an_edited_row(events):
    _tamper(events)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_audit_chain"]).execute()
    assert exit_info.value.code == 1


@on_postgresql
def test_postgresql_refuses_to_update_an_audit_row(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["篡改", events.pk])
    events.refresh_from_db()
    assert events.object_repr == "甲网格"


@on_postgresql
def test_postgresql_refuses_to_delete_an_audit_row(events):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events.pk])
    assert AuditEvent.objects.filter(pk=events.pk).exists()


def test_model_refuses_updates_and_deletes(events):
    with pytest.raises(Exception, match="append-only"):
        events.save()
    with pytest.raises(Exception, match="append-only"):
        events.delete()


def test_district_admin_verifies_the_whole_chain_from_the_page(events, district, login):
    page = login(district.admin).post("/audit/verify/", follow=True).content.decode()
    assert "审计日志哈希链完好" in page
    assert "最近一次完整校验" in page
    check = AuditEvent.objects.get(object_type="audit_chain")
    assert check.actor == district.admin and check.changes["result"] == [None, "intact"]


def test_verify_button_reports_tampering_in_chinese(events, district, login):
    _tamper(events)
    page = login(district.admin).post("/audit/verify/", follow=True).content.decode()
    assert "审计日志已被篡改" in page and "报告安全管理员" in page


def test_page_flags_a_tampered_recent_entry_without_a_full_walk(events, district, login):
    _tamper(events)
    page = login(district.admin).get("/audit/").content.decode()
    assert "哈希链断裂" in page


def test_street_auditor_cannot_run_the_full_verification(events, district, login):
    assert login(district.street_a).post("/audit/verify/").status_code == 403
    assert "完整校验哈希链" not in login(district.street_a).get("/audit/").content.decode()


def test_verification_needs_audit_view(events, district, login):
    assert login(district.worker_a1).post("/audit/verify/").status_code == 403
