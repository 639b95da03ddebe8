"""The demo accounts: one per role, usable with the published password, each seeing its own area."""

from __future__ import annotations

import pytest

from civicgrid.accounts.models import RoleAssignment, User
from civicgrid.areas.models import Area
from civicgrid.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "admin": ("system_admin", "320508"),
    "minzheng": ("department", "320508"),
    "jiedao": ("command_center", "320508001"),
    "jiedao2": ("command_center", "320508002"),
    "shuji": ("community_secretary", "320508001001"),
    "sheqgz": ("community_staff", "320508001001"),
    "wangzhang": ("grid_leader", "320508001001001"),
    "wanggeyuan": ("grid_worker", "320508001001001"),
    "minjing": ("police", "320508001001001"),
}


def test_every_demo_role_account_exists_with_its_role_and_area(demo):
    for username, (role, code) in EXPECTED_ROLES.items():
        assert RoleAssignment.objects.filter(user__username=username, role__code=role, area__code=code).exists(), (
            username
        )
    assert User.objects.get(username="minzheng").title == "区民政局"


def test_demo_grid_worker_looks_after_two_grids(demo):
    codes = set(RoleAssignment.objects.filter(user__username="wanggeyuan").values_list("area__code", flat=True))
    assert codes == {"320508001001001", "320508001001002"}


@pytest.mark.parametrize("username", [account[0] for account in DEMO_ACCOUNTS])
def test_demo_account_logs_in_with_the_printed_password_and_sees_its_area(demo, client, username):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    area = Area.objects.get(code=EXPECTED_ROLES[username][1])
    assert area.name in home.content.decode()


def test_every_grid_has_a_grid_leader_a_grid_worker_and_a_police_officer(demo):
    for grid in Area.objects.filter(level="grid"):
        roles = set(RoleAssignment.objects.filter(area=grid).values_list("role__code", flat=True))
        assert {"grid_leader", "grid_worker", "police"} <= roles, grid.code


def test_generated_staff_have_chinese_names_and_mobile_work_phones_but_cannot_log_in(demo, client):
    staff = User.objects.filter(username__startswith="demo_")
    assert staff.count() > 24
    for user in staff:
        assert 2 <= len(user.full_name) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in user.full_name)
        assert len(user.work_phone) == 11 and user.work_phone.startswith("1")
        assert not user.has_usable_password()
