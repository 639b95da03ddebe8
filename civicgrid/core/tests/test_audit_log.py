import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from civicgrid.core import audit
from civicgrid.core.models import AuditEvent


def _events(district):
    audit.record(action="update", object_type="area", object_repr="甲网格", area_code=district.grid_a1.code,
                 changes={"name": ["旧", "新"]}, actor=district.admin)  # fmt: skip
    audit.record(action="update", object_type="area", object_repr="乙网格", area_code=district.grid_b1.code,
                 actor=district.admin)  # fmt: skip


def test_street_auditor_sees_their_subdistrict_only(district, login):
    _events(district)
    page = login(district.street_a).get("/audit/").content.decode()
    assert "甲网格" in page and "乙网格" not in page


def test_audit_log_filters_and_shows_before_after(district, login):
    _events(district)
    page = login(district.admin).get("/audit/", {"text": "甲"}).content.decode()
    assert "甲网格" in page and "乙网格" not in page and "旧" in page and "新" in page


def test_users_without_audit_capability_are_refused(district, login):
    assert login(district.worker_a1).get("/audit/").status_code == 403


def test_verify_command_passes_on_an_intact_chain(district, capsys):
    _events(district)
    call_command("verify_audit_chain")
    assert "完好" in capsys.readouterr().out


def test_edited_entry_breaks_the_chain_or_is_refused(district):
    _events(district)
    event = AuditEvent.objects.order_by("id").first()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET object_repr = 'x' WHERE id = %s", [event.pk])
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = '篡改' WHERE id = %s", [event.pk])
    with pytest.raises(Exception, match="校验失败"):
        call_command("verify_audit_chain")


def test_model_refuses_updates_and_deletes(district):
    _events(district)
    event = AuditEvent.objects.first()
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()
