import pytest

from civicgrid.accounts.models import Role
from civicgrid.testing.factories import UserFactory, assign


@pytest.fixture
def street_manager(district):
    """A subdistrict-level account manager (a role that does not exist by default)."""
    role = Role.objects.create(
        code="street_admin", name="街道管理员", capabilities=["areas.view", "accounts.manage", "audit.view"]
    )
    user = UserFactory(username="street_admin", full_name="街道管理员甲")
    assign(user, role.code, district.sub_a)
    return user
