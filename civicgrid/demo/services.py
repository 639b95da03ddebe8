"""The synthetic demo district: areas with boundaries, staff and the 三包
responsibility network — deterministic by seed.

Geometry: the district rectangle is cut into rows of subdistrict quads by
straight dividers, each subdistrict into a lattice of community quads, each
community into a lattice of grid quads. Only interior lattice points are
jittered, and a child lattice is mapped into its parent quad bilinearly, so
siblings share edges exactly (no overlaps, no gaps) and every child lies
exactly inside its parent. Children are numbered row by row from the north,
west to east in each row — the 单元网格 numbering rule.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import PROTECT, ProtectedError
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils.translation import gettext as _
from faker import Faker

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.geometry import bbox_fields, refresh_map_features, to_shape
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit
from civicgrid.demo.case_history import generate_case_history
from civicgrid.demo.registry import delete_registry_and_cases, generate_registry

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the published password of the synthetic demo accounts
DISTRICT_CODE = "320508"  # GB/T 2260: 江苏省苏州市姑苏区
DISTRICT_NAME = "姑苏区"
CENTER = (120.62, 31.31)
# Half the district's width and height in degrees: about 8 km × 8 km at 31.3°N.
HALF_WIDTH, HALF_HEIGHT = 0.042, 0.036
# Coordinates are stored to 1e-10 degree (about 0.01 mm): a vertex on a parent's
# edge stays within 1e-9 degree of it.
PLACES = 10


@dataclass(frozen=True)
class Scale:
    subdistricts: int
    communities_per_subdistrict: int
    grids_per_community: tuple[int, ...]  # one is drawn per community

    def describe(self) -> str:
        grids = self.grids_per_community
        expected = self.subdistricts * self.communities_per_subdistrict * sum(grids) / len(grids)
        return f"{self.subdistricts} × {self.communities_per_subdistrict} × ~{expected:.0f}"


SCALES: dict[str, Scale] = {
    "small": Scale(2, 3, (4,)),  # 24 grids, for tests
    "default": Scale(5, 6, (10,)),  # 300 grids
    "district": Scale(12, 20, (14, 15, 16, 18, 20)),  # about 4,000 grids, for benchmarks
}

# Registry and case history density per scale (the benchmarks bring their own millions).
PERSONS_PER_GRID = {"small": 20, "default": 100, "district": 25}
CASES_PER_GRID = {"small": 6, "default": 25, "district": 6}

SUBDISTRICT_NAMES = [
    "平江", "沧浪", "金阊", "双塔", "虎丘", "吴门桥", "葑门", "娄门", "城北", "白洋湾",
    "留园", "观前", "胥江", "石路", "桃坞", "彩香",
]  # fmt: skip
COMMUNITY_STEMS = [
    "桃花", "梅花", "杏花", "桂花", "荷花", "兰亭", "竹林", "松鹤", "枫桥", "柳岸", "锦绣", "吉祥",
    "康乐", "安居", "和平", "幸福", "新民", "友谊", "东园", "西园", "南湖", "北塔", "青石", "白塔",
    "金鸡", "银杏", "双桥", "三元", "五福", "平安", "瑞云", "春晖", "晨光", "明月", "清风", "凤凰",
    "锦华", "香樟", "玉兰", "朝阳", "虹桥", "长春", "文昌", "府前", "书院", "仓街", "盘门", "水巷",
]  # fmt: skip
COMMUNITY_SUFFIXES = ["坞", "巷", "里", "苑", "坊", "桥", "塘", "浜", "园", "弄", "新村", "花园"]

# The demo accounts: username, role code, where (level and index), job title.
DEMO_ACCOUNTS: list[tuple[str, str, tuple[str, int], str]] = [
    ("admin", "system_admin", ("district", 0), "区网格化服务管理中心"),
    ("minzheng", "department", ("district", 0), "区民政局"),
    ("jiedao", "command_center", ("subdistrict", 0), "街道综合指挥中心"),
    ("jiedao2", "command_center", ("subdistrict", 1), "街道综合指挥中心"),
    ("shuji", "community_secretary", ("community", 0), "社区党委书记"),
    ("sheqgz", "community_staff", ("community", 0), "社区工作者"),
    ("wangzhang", "grid_leader", ("grid", 0), "网格长"),
    ("wanggeyuan", "grid_worker", ("grid", 0), "专职网格员"),
    ("minjing", "police", ("grid", 0), "社区民警"),
]
DEMO_USERNAMES = [account[0] for account in DEMO_ACCOUNTS]
# Generated staff of the 三包 network; they have no usable password.
GENERATED_PREFIX = "demo_"


class DemoError(Exception):
    """The demo district cannot be generated or removed; the message says why and what to do."""


Point = tuple[float, float]


@dataclass(frozen=True)
class Quad:
    """Four corners (lon, lat): north-west, north-east, south-east, south-west."""

    nw: Point
    ne: Point
    se: Point
    sw: Point

    def at(self, u: float, v: float) -> Point:
        """The bilinear point: u from west (0) to east (1), v from north (0) to south (1)."""
        top = _lerp(self.nw, self.ne, u)
        bottom = _lerp(self.sw, self.se, u)
        return _lerp(top, bottom, v)

    def size_m(self) -> tuple[float, float]:
        """Approximate width and height in metres."""
        metres_lon = 111_320.0 * math.cos(math.radians(self.nw[1]))
        width = (_dist(self.nw, self.ne, metres_lon) + _dist(self.sw, self.se, metres_lon)) / 2
        height = (_dist(self.nw, self.sw, metres_lon) + _dist(self.ne, self.se, metres_lon)) / 2
        return width, height

    def split(self, count: int, rng: random.Random, jitter: float = 0.2) -> list[Quad]:
        """``count`` child quads in a lattice shaped like the parent, north row first, west to east."""
        cols, rows = lattice_shape(count, *self.size_m())
        lattice = {}
        for r in range(rows + 1):
            for c in range(cols + 1):
                u, v = c / cols, r / rows
                if 0 < c < cols:
                    u += rng.uniform(-jitter, jitter) / cols
                if 0 < r < rows:
                    v += rng.uniform(-jitter, jitter) / rows
                lattice[c, r] = _rounded(self.at(u, v))
        return [
            Quad(lattice[c, r], lattice[c + 1, r], lattice[c + 1, r + 1], lattice[c, r + 1])
            for r in range(rows)
            for c in range(cols)
        ]

    def geojson(self) -> dict[str, Any]:
        ring = [self.nw, self.ne, self.se, self.sw, self.nw]
        return {"type": "Polygon", "coordinates": [[[x, y] for x, y in ring]]}


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _dist(a: Point, b: Point, metres_lon: float) -> float:
    return math.hypot((b[0] - a[0]) * metres_lon, (b[1] - a[1]) * 111_320.0)


def _rounded(point: Point) -> Point:
    return (round(point[0], PLACES), round(point[1], PLACES))


def lattice_shape(count: int, width: float, height: float) -> tuple[int, int]:
    """Columns × rows (a factor pair of ``count``) whose cells are closest to square."""
    pairs = [(c, count // c) for c in range(1, count + 1) if count % c == 0]
    return min(pairs, key=lambda p: (abs(math.log((width / p[0]) / (height / p[1]))), -p[0]))


def district_quads(count: int, rng: random.Random) -> tuple[Quad, list[Quad]]:
    """The district rectangle and its subdistricts: rows cut by straight dividers.

    Rows may hold different numbers of subdistricts (5 = 3 + 2); a divider is
    one straight line, so quads above and below it meet without gaps.
    """
    lon, lat = CENTER
    west, east, north, south = lon - HALF_WIDTH, lon + HALF_WIDTH, lat + HALF_HEIGHT, lat - HALF_HEIGHT
    district = Quad((west, north), (east, north), (east, south), (west, south))
    rows = 1 if count <= 3 else round(math.sqrt(count))
    per_row = [count // rows + (1 if r < count % rows else 0) for r in range(rows)]
    # Dividers from west to east; the outer ones are the district's own edges.
    dividers: list[tuple[Point, Point]] = [((west, north), (east, north))]
    for r in range(1, rows):
        v_west = r / rows + rng.uniform(-0.12, 0.12) / rows
        v_east = r / rows + rng.uniform(-0.12, 0.12) / rows
        dividers.append((_rounded(district.at(0, v_west)), _rounded(district.at(1, v_east))))
    dividers.append(((west, south), (east, south)))
    quads = []
    for r, cols in enumerate(per_row):
        (top_w, top_e), (bottom_w, bottom_e) = dividers[r], dividers[r + 1]
        breaks_top, breaks_bottom = [0.0], [0.0]
        for c in range(1, cols):
            breaks_top.append(c / cols + rng.uniform(-0.12, 0.12) / cols)
            breaks_bottom.append(c / cols + rng.uniform(-0.12, 0.12) / cols)
        breaks_top.append(1.0)
        breaks_bottom.append(1.0)
        top = [_rounded(_lerp(top_w, top_e, u)) for u in breaks_top]
        bottom = [_rounded(_lerp(bottom_w, bottom_e, u)) for u in breaks_bottom]
        quads.extend(Quad(top[c], top[c + 1], bottom[c + 1], bottom[c]) for c in range(cols))
    return district, quads


def community_names(rng: random.Random, count: int) -> list[str]:
    """Unique names like 桃花坞社区 or 锦绣花园社区, composed from a stem and a place word."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        stem, suffix = rng.choice(COMMUNITY_STEMS), rng.choice(COMMUNITY_SUFFIXES)
        name = f"{stem}{suffix}社区"
        if stem[-1] != suffix[0] and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _phone(rng: random.Random) -> str:
    return (
        rng.choice(["139", "138", "137", "136", "158", "159", "187", "181", "189", "133"])
        + f"{rng.randrange(10**8):08d}"
    )


def _area(code: str, name: str, level: str, parent: Area | None, quad: Quad) -> Area:
    boundary = quad.geojson()
    return Area(code=code, name=name, level=level, parent=parent, boundary=boundary, **bbox_fields(to_shape(boundary)))


@dataclass
class GeneratedDistrict:
    district: Area
    subdistricts: list[Area]
    communities: list[Area]
    grids: list[Area]
    users: int
    assignments: int


def delete_demo_district() -> None:
    """Remove the generated areas, their role assignments and the generated users.

    Users the append-only audit log refers to (everyone who ever logged in)
    cannot be deleted; they are kept and reused by the next generation.
    """
    try:
        with transaction.atomic():
            delete_registry_and_cases(DISTRICT_CODE)
            RoleAssignment.objects.filter(area__code__startswith=DISTRICT_CODE).delete()
            usernames = User.objects.filter(username__startswith=GENERATED_PREFIX) | User.objects.filter(
                username__in=DEMO_USERNAMES
            )
            ids = set(usernames.values_list("id", flat=True))
            User.objects.filter(id__in=ids - _protected_user_ids(ids)).delete()
            for level in (AreaLevel.GRID, AreaLevel.COMMUNITY, AreaLevel.SUBDISTRICT, AreaLevel.DISTRICT):
                Area.objects.filter(code__startswith=DISTRICT_CODE, level=level).delete()
    except ProtectedError as error:
        kinds = sorted({str(obj._meta.verbose_name) for obj in error.protected_objects})
        raise DemoError(
            _(
                "The demo district cannot be removed: other records (%(kinds)s) belong to its areas. "
                "Delete the database and generate again (DEMO_RESET=1 ./scripts/demo)."
            )
            % {"kinds": "、".join(kinds)}
        ) from error


def _protected_user_ids(ids: set[int]) -> set[int]:
    """Those of ``ids`` that a PROTECT foreign key refers to."""
    protected: set[int] = set()
    for relation in get_candidate_relations_to_delete(User._meta):  # hidden relations too, as delete() sees them
        if relation.on_delete is not PROTECT:
            continue
        field = relation.field
        protected.update(
            relation.related_model._default_manager.filter(**{f"{field.name}__in": ids})
            .values_list(field.attname, flat=True)
            .distinct()
        )
    return protected


@transaction.atomic
def generate_demo_district(*, seed: int = 2026, scale: str = "default") -> GeneratedDistrict:
    """Create the district, its areas with boundaries, staff and the 三包 network."""
    if scale not in SCALES:
        raise DemoError(
            _("Unknown scale %(scale)s: use one of %(choices)s.") % {"scale": scale, "choices": ", ".join(SCALES)}
        )
    if Area.objects.filter(code__startswith=DISTRICT_CODE).exists():
        raise DemoError(
            _("The demo district %(code)s already exists: use --reset to replace it.") % {"code": DISTRICT_CODE}
        )
    spec = SCALES[scale]
    rng = random.Random(seed)

    district_quad, sub_quads = district_quads(spec.subdistricts, rng)
    district = _area(DISTRICT_CODE, DISTRICT_NAME, AreaLevel.DISTRICT, None, district_quad)
    district.save()

    subdistricts = [
        _area(f"{DISTRICT_CODE}{i + 1:03d}", f"{SUBDISTRICT_NAMES[i]}街道", AreaLevel.SUBDISTRICT, district, quad)
        for i, quad in enumerate(sub_quads)
    ]
    _save(subdistricts)

    names = iter(community_names(rng, spec.subdistricts * spec.communities_per_subdistrict))
    communities, community_quads = [], []
    for sub, sub_quad in zip(subdistricts, sub_quads, strict=True):
        for index, quad in enumerate(sub_quad.split(spec.communities_per_subdistrict, rng)):
            communities.append(_area(f"{sub.code}{index + 1:03d}", next(names), AreaLevel.COMMUNITY, sub, quad))
            community_quads.append(quad)
    _save(communities)

    grids = []
    for community, community_quad in zip(communities, community_quads, strict=True):
        count = rng.choice(spec.grids_per_community)
        for index, quad in enumerate(community_quad.split(count, rng)):
            code = f"{community.code}{index + 1:03d}"
            grids.append(_area(code, f"{community.name}第{index + 1}网格", AreaLevel.GRID, community, quad))
    _save(grids)

    users, assignments = _generate_staff(seed, district, subdistricts, communities, grids)
    visitors = {
        a.area_id: a.user
        for a in RoleAssignment.objects.filter(role__code="grid_worker", area__in=grids).select_related("user")
    }
    registry = generate_registry(seed=seed, grids=grids, persons_per_grid=PERSONS_PER_GRID[scale], visitors=visitors)
    case_count = generate_case_history(seed=seed, grids=grids, cases_per_grid=CASES_PER_GRID[scale])
    refresh_map_features(
        Area.objects.filter(code__startswith=DISTRICT_CODE).only("id", "code", "name", "level", "boundary")
    )
    audit.record(
        action="import",
        object_type="demo",
        object_id=DISTRICT_CODE,
        object_repr=f"演示数据 · {DISTRICT_NAME}",
        area_code=DISTRICT_CODE,
        changes={
            "seed": seed,
            "scale": scale,
            "subdistricts": len(subdistricts),
            "communities": len(communities),
            "grids": len(grids),
            "users": users,
            "role_assignments": assignments,
            "persons": registry.persons,
            "households": registry.households,
            "dwellings": registry.dwellings,
            "organizations": registry.organizations,
            "cases": case_count,
        },
    )
    return GeneratedDistrict(district, subdistricts, communities, grids, users, assignments)


def _save(areas: list[Area]) -> None:
    """bulk_create, then set the primary keys where the database does not return them."""
    Area.objects.bulk_create(areas, batch_size=500)
    if any(area.pk is None for area in areas):
        ids = dict(Area.objects.filter(code__in=[a.code for a in areas]).values_list("code", "id"))
        for area in areas:
            area.pk = ids[area.code]


def _generate_staff(
    seed: int, district: Area, subdistricts: list[Area], communities: list[Area], grids: list[Area]
) -> tuple[int, int]:
    """The demo accounts and, for every grid, its grid leader, grid worker and police officer."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed * 7919 + 1)
    by_level = {"district": [district], "subdistrict": subdistricts, "community": communities, "grid": grids}
    demo_hash = make_password(DEMO_PASSWORD)
    unusable = make_password(None)

    people: dict[str, User] = {}
    wanted: list[tuple[str, str, Area]] = []  # username, role code, area

    def person(username: str, title: str, password: str) -> None:
        people[username] = User(
            username=username, full_name=fake.name(), title=title, password=password, work_phone=_phone(rng)
        )

    for username, role, (level, index), title in DEMO_ACCOUNTS:
        area = by_level[level][index]
        if level == "subdistrict":
            title = f"{area.name}综合指挥中心"
        person(username, title, demo_hash)
        wanted.append((username, role, area))
    # The demo grid worker looks after two grids, as many do.
    wanted.append(("wanggeyuan", "grid_worker", grids[1]))

    first, second = grids[0].pk, grids[1].pk
    grids_of: dict[int, list[Area]] = {}
    for grid in grids:
        grids_of.setdefault(grid.parent_id, []).append(grid)
    for community in communities:
        leader, police = f"demo_gl_{community.code}", f"demo_pol_{community.code}"
        person(leader, "网格长", unusable)
        person(police, "社区民警", unusable)
        for grid in grids_of[community.pk]:
            # The demo accounts wangzhang, wanggeyuan and minjing cover the first grid.
            if grid.pk != first:
                wanted.append((leader, "grid_leader", grid))
                wanted.append((police, "police", grid))
            if grid.pk not in (first, second):
                worker = f"demo_gw_{grid.code}"
                person(worker, "专职网格员", unusable)
                wanted.append((worker, "grid_worker", grid))

    _save_users(list(people.values()))
    roles = dict(Role.objects.values_list("code", "id"))
    ids = dict(User.objects.filter(username__in=list(people)).values_list("username", "id"))
    missing = sorted({role for _username, role, _area in wanted} - set(roles))
    if missing:
        raise DemoError(_("Roles %(roles)s are missing: run manage.py migrate first.") % {"roles": ", ".join(missing)})
    assignments = [
        RoleAssignment(user_id=ids[username], role_id=roles[role], area=area) for username, role, area in wanted
    ]
    RoleAssignment.objects.bulk_create(assignments, batch_size=1000)
    return len(people), len(assignments)


def _save_users(users: list[User]) -> None:
    """Create the users; those kept from an earlier run (see delete_demo_district) are updated instead."""
    existing = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    for user in users:
        user.pk = existing.get(user.username)
    User.objects.bulk_create([u for u in users if u.pk is None], batch_size=1000)
    kept = [u for u in users if u.username in existing]
    if kept:
        for user in kept:
            user.is_active = True
        User.objects.bulk_update(kept, ["full_name", "title", "password", "work_phone", "is_active"], batch_size=500)
