"""pytest fixtures: a small district with two subdistricts, each with a
community of two grids, and one user per role, shared by every app's tests.

    320508 district
      320508001 subdistrict A      320508002 subdistrict B
        320508001001 community A1    320508002001 community B1
          ...001 grid A1-1, ...002 grid A1-2   ...001 grid B1-1, ...002 grid B1-2
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from civicgrid.accounts.models import User
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.testing.factories import UserFactory, assign, square

PASSWORD = "Passw0rd!2026"


@dataclass
class District:
    district: Area
    sub_a: Area
    sub_b: Area
    comm_a: Area
    comm_b: Area
    grid_a1: Area
    grid_a2: Area
    grid_b1: Area
    grid_b2: Area
    admin: User
    street_a: User
    street_b: User
    community_a: User
    worker_a1: User
    worker_b1: User
    nobody: User


def _area(code: str, name: str, level: str, parent: Area | None, boundary: dict | None = None) -> Area:
    area = Area.objects.create(code=code, name=name, level=level, parent=parent, boundary=boundary)
    if boundary:
        xs = [p[0] for p in boundary["coordinates"][0]]
        ys = [p[1] for p in boundary["coordinates"][0]]
        Area.objects.filter(pk=area.pk).update(
            min_lon=min(xs),
            max_lon=max(xs),
            min_lat=min(ys),
            max_lat=max(ys),
            center_lon=(min(xs) + max(xs)) / 2,
            center_lat=(min(ys) + max(ys)) / 2,
        )
        area.refresh_from_db()
    return area


@pytest.fixture
def district(db) -> District:
    d = _area("320508", "姑苏区", AreaLevel.DISTRICT, None, square(120.60, 31.28, 0.08))
    sa = _area("320508001", "平江街道", AreaLevel.SUBDISTRICT, d, square(120.60, 31.28, 0.04))
    sb = _area("320508002", "沧浪街道", AreaLevel.SUBDISTRICT, d, square(120.64, 31.28, 0.04))
    ca = _area("320508001001", "平江路社区", AreaLevel.COMMUNITY, sa, square(120.60, 31.28, 0.02))
    cb = _area("320508002001", "南门社区", AreaLevel.COMMUNITY, sb, square(120.64, 31.28, 0.02))
    ga1 = _area("320508001001001", "平江路社区第一网格", AreaLevel.GRID, ca, square(120.60, 31.28, 0.01))
    ga2 = _area("320508001001002", "平江路社区第二网格", AreaLevel.GRID, ca, square(120.61, 31.28, 0.01))
    gb1 = _area("320508002001001", "南门社区第一网格", AreaLevel.GRID, cb, square(120.64, 31.28, 0.01))
    gb2 = _area("320508002001002", "南门社区第二网格", AreaLevel.GRID, cb, square(120.65, 31.28, 0.01))
    users = {}
    for username, role, area in [
        ("admin", "system_admin", d),
        ("street_a", "command_center", sa),
        ("street_b", "command_center", sb),
        ("community_a", "community_secretary", ca),
        ("worker_a1", "grid_worker", ga1),
        ("worker_b1", "grid_worker", gb1),
        ("nobody", None, None),
    ]:
        user = UserFactory(username=username, full_name=f"{username}姓名")
        if role:
            assign(user, role, area)
        users[username] = user
    return District(d, sa, sb, ca, cb, ga1, ga2, gb1, gb2, **users)


@pytest.fixture
def login(client: Client):
    """``login(user)`` returns a Django test client logged in as that user."""

    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


@functools.cache
def _seed_steps() -> list[tuple[Any, Any]]:
    """The data-seeding RunPython steps of the migrations, with the model state each was written for."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    steps = []
    for node in plan:
        if "seed" in node[1]:
            state_apps = loader.project_state(node, at_end=False).apps
            steps += [(op.code, state_apps) for op in loader.graph.nodes[node].operations if isinstance(op, RunPython)]
    return steps


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """A committed (live-server-visible) database with the migrations' seed data
    replayed: transactional tests flush the tables after each test, seeds included."""
    from types import SimpleNamespace

    from django.db import connection

    for code, state_apps in _seed_steps():
        code(state_apps, SimpleNamespace(connection=connection))
