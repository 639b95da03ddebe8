import pytest
from django.core.management import CommandError, call_command

from civicgrid.accounts.models import User
from civicgrid.areas.models import Area
from civicgrid.core.scoping import user_can


def test_bootstrap_creates_the_district_and_its_administrator(db, monkeypatch):
    monkeypatch.setenv("CIVICGRID_ADMIN_PASSWORD", "Gusu-Admin!2026")
    call_command("bootstrap_district", code="320508", name="姑苏区", username="root", full_name="张明")
    user = User.objects.get(username="root")
    assert user.check_password("Gusu-Admin!2026")
    assert user_can(user, "accounts.manage", Area.objects.get(code="320508"))
    call_command("bootstrap_district", code="320508", name="姑苏区", username="root", full_name="张明")  # again: no-op
    assert User.objects.count() == 1


def test_bootstrap_refuses_a_bad_code_and_a_weak_password(db, monkeypatch):
    with pytest.raises(CommandError, match="6"):
        call_command("bootstrap_district", code="3205", name="x", username="root", full_name="张明")
    monkeypatch.setenv("CIVICGRID_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="密码"):
        call_command("bootstrap_district", code="320508", name="姑苏区", username="root", full_name="张明")
    assert not Area.objects.exists()
