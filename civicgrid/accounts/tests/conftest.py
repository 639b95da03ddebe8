import pytest

from civicgrid.accounts.models import Role
from civicgrid.core.permissions import CAPABILITIES
from civicgrid.testing.factories import UserFactory, assign


@pytest.fixture
def street_manager(district):
    """A subdistrict-level account manager for subdistrict A (no seeded role has
    accounts.manage below district level, so the tests make one)."""
    # Everything but unmasking personal data, so the escalation guard has something to refuse.
    capabilities = sorted(c for c in CAPABILITIES if c != "personal.unmask")
    role = Role.objects.create(code="street_admin", name="街道管理员", capabilities=capabilities)
    user = UserFactory(username="street_admin", full_name="街道管理员甲")
    assign(user, role.code, district.sub_a)
    return user
