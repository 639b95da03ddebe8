"""manage.py generate_demo: a deterministic synthetic district."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicgrid.accounts.models import RoleAssignment, User
from civicgrid.areas.models import Area
from civicgrid.core.audit import verify_chain
from civicgrid.core.models import AuditEvent
from civicgrid.demo.services import DEMO_PASSWORD, DEMO_USERNAMES

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    areas = {
        a.code: (a.name, a.level, a.parent.code if a.parent else None, a.boundary)
        for a in Area.objects.select_related("parent")
    }
    users = {u.username: (u.full_name, u.title, u.work_phone) for u in User.objects.all()}
    roles = sorted(RoleAssignment.objects.values_list("user__username", "role__code", "area__code"))
    return {"areas": areas, "users": users, "roles": roles}


def test_same_seed_gives_the_same_district():
    call_command("generate_demo", scale="small", seed=7, verbosity=0)
    first = _snapshot()
    call_command("generate_demo", scale="small", seed=7, reset=True, verbosity=0)
    assert _snapshot() == first


def test_another_seed_gives_other_names_and_boundaries():
    call_command("generate_demo", scale="small", seed=7, verbosity=0)
    first = _snapshot()["areas"]
    call_command("generate_demo", scale="small", seed=8, reset=True, verbosity=0)
    second = _snapshot()["areas"]
    assert first.keys() == second.keys()
    assert first != second


def test_small_scale_has_two_subdistricts_three_communities_each_and_four_grids_each(demo):
    counts = {
        level: Area.objects.filter(level=level).count() for level in ("district", "subdistrict", "community", "grid")
    }
    assert counts == {"district": 1, "subdistrict": 2, "community": 6, "grid": 24}
    assert demo.name == "姑苏区"


def test_default_scale_has_five_subdistricts_thirty_communities_and_three_hundred_grids():
    out = StringIO()
    call_command("generate_demo", seed=2026, stdout=out)
    assert Area.objects.filter(level="subdistrict").count() == 5
    assert Area.objects.filter(level="community").count() == 30
    assert Area.objects.filter(level="grid").count() == 300
    assert "300 个网格" in out.getvalue()


def test_codes_are_hierarchical_with_fifteen_digit_grids(demo):
    lengths = {"district": 6, "subdistrict": 9, "community": 12, "grid": 15}
    for area in Area.objects.select_related("parent"):
        assert area.code.isdigit() and len(area.code) == lengths[area.level]
        if area.parent:
            assert area.code.startswith(area.parent.code)
            assert len(area.code) == len(area.parent.code) + 3
    assert Area.objects.get(code="320508001").name == "平江街道"
    assert Area.objects.get(code="320508002").name == "沧浪街道"


def test_names_are_unique_chinese_community_and_grid_names(demo):
    communities = list(Area.objects.filter(level="community"))
    names = [c.name for c in communities]
    assert len(set(names)) == len(names)
    assert all(name.endswith("社区") and 4 <= len(name) <= 8 for name in names)
    for grid in Area.objects.filter(level="grid").select_related("parent"):
        assert grid.name == f"{grid.parent.name}第{int(grid.code[-3:])}网格"


def test_if_empty_does_not_duplicate_an_existing_district(demo):
    before = (Area.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    out = StringIO()
    call_command("generate_demo", scale="small", seed=99, if_empty=True, stdout=out)
    assert (Area.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == before
    assert "已有区域数据" in out.getvalue()


def test_generating_over_existing_areas_without_a_flag_is_refused_with_a_clear_message(demo):
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_demo", scale="small", seed=7, verbosity=0)
    assert Area.objects.filter(level="grid").count() == 24


def test_reset_replaces_the_district_even_after_demo_users_logged_in(demo, client):
    assert client.post("/accounts/login/", {"username": "wanggeyuan", "password": DEMO_PASSWORD}).status_code == 302
    call_command("generate_demo", scale="default", seed=7, reset=True, verbosity=0)
    assert Area.objects.filter(level="grid").count() == 300
    assert User.objects.filter(username="wanggeyuan").count() == 1
    client.logout()
    assert client.post("/accounts/login/", {"username": "wanggeyuan", "password": DEMO_PASSWORD}).status_code == 302


def test_every_area_has_its_map_feature_and_bbox(demo):
    for area in Area.objects.all():
        feature = json.loads(area.map_feature)
        assert feature["properties"]["code"] == area.code
        assert area.min_lon < area.center_lon < area.max_lon
        assert area.min_lat < area.center_lat < area.max_lat


def test_one_summary_audit_event_records_the_generation(demo):
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.area_code) == ("import", "demo", "320508")
    assert event.changes["grids"] == 24 and event.changes["seed"] == 7
    assert event.changes["users"] == User.objects.count()
    assert verify_chain()[1] == []


def test_the_command_prints_the_demo_accounts_and_password():
    out = StringIO()
    call_command("generate_demo", scale="small", seed=7, stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for username in DEMO_USERNAMES:
        assert username in printed
    assert "街道指挥中心" in printed and "平江街道" in printed
