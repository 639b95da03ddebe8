"""The synthetic demo district: areas with boundaries, staff and the 三包
responsibility network — deterministic by seed.

Geometry: the district rectangle is cut into subdistrict quads, each quad
into community quads, each community into grid quads, by lattices whose
interior points are jittered. A child lattice is mapped into its parent quad
bilinearly, so siblings share edges exactly: no overlaps, no gaps, and every
grid lies inside its community. Grids are numbered west→east, north→south.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.geometry import bbox_fields, refresh_map_features, to_shape
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import audit

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the published password of the synthetic demo accounts
DISTRICT_CODE = "320508"
DISTRICT_NAME = "姑苏区"
CENTER = (120.62, 31.31)

# (subdistricts, communities per subdistrict, grids per community as cols × rows)
SCALES: dict[str, tuple[int, int, tuple[int, int]]] = {
    "small": (2, 3, (2, 2)),
    "default": (5, 6, (5, 2)),
    "district": (12, 20, (6, 3)),
}

SUBDISTRICT_NAMES = [
    "平江", "沧浪", "金阊", "双塔", "观前", "虎丘", "留园", "白洋湾", "娄门", "葑门",
    "胥江", "吴门桥", "石路", "桃坞", "彩香", "三元", "南环", "友新", "盘溪", "枫桥",
]  # fmt: skip
SYLLABLES_A = list("桃梅兰竹松柳枫桂荷菊杏李桑梓槐榆栖凤锦绣瑞祥康宁和平新安永福德仁怡春秋晨曦明月清溪")
SYLLABLES_B = list("花园苑坊里巷湾塘桥港浜泾街庭庄林岸湖山亭池")

# Demo accounts: username, role, where (index path), title
DEMO_ACCOUNTS = [
    ("admin", "system_admin", "district", "区网格化服务管理中心"),
    ("minzheng", "department", "district", "区民政局"),
    ("jiedao", "command_center", "subdistrict:0", "街道网格化指挥中心"),
    ("jiedao2", "command_center", "subdistrict:1", "街道网格化指挥中心"),
    ("shuji", "community_secretary", "community:0", "社区党委书记"),
    ("sheqgz", "community_staff", "community:0", "社区工作者"),
    ("wangzhang", "grid_leader", "grid:0", "网格长"),
    ("wanggeyuan", "grid_worker", "grid:0", "专职网格员"),
    ("minjing", "police", "grid:0", "社区民警"),
]


@dataclass
class Quad:
    """Four corners (lon, lat): north-west, north-east, south-east, south-west."""

    nw: tuple[float, float]
    ne: tuple[float, float]
    se: tuple[float, float]
    sw: tuple[float, float]

    def at(self, u: float, v: float) -> tuple[float, float]:
        """Bilinear point: u from west (0) to east (1), v from north (0) to south (1)."""
        top = (self.nw[0] + (self.ne[0] - self.nw[0]) * u, self.nw[1] + (self.ne[1] - self.nw[1]) * u)
        bottom = (self.sw[0] + (self.se[0] - self.sw[0]) * u, self.sw[1] + (self.se[1] - self.sw[1]) * u)
        return (top[0] + (bottom[0] - top[0]) * v, top[1] + (bottom[1] - top[1]) * v)

    def split(self, cols: int, rows: int, rng: random.Random, jitter: float = 0.18) -> list[Quad]:
        """cols × rows child quads, row by row from the north, west to east."""
        lattice = {}
        for r in range(rows + 1):
            for c in range(cols + 1):
                u, v = c / cols, r / rows
                if 0 < c < cols:
                    u += rng.uniform(-jitter, jitter) / cols
                if 0 < r < rows:
                    v += rng.uniform(-jitter, jitter) / rows
                lattice[c, r] = self.at(u, v)
        return [
            Quad(lattice[c, r], lattice[c + 1, r], lattice[c + 1, r + 1], lattice[c, r + 1])
            for r in range(rows)
            for c in range(cols)
        ]

    def geojson(self) -> dict[str, Any]:
        ring = [self.nw, self.ne, self.se, self.sw, self.nw]
        return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def _grid_shape(n: int) -> tuple[int, int]:
    """Columns × rows close to square for n children."""
    cols = max(1, round(n**0.5))
    while n % cols:
        cols -= 1
    return cols, n // cols


def _community_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B) + "社区"
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            names.append(name)
    return names


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


def delete_demo_district() -> None:
    """Remove generated areas, their assignments and the generated users."""
    with transaction.atomic():
        RoleAssignment.objects.filter(area__code__startswith=DISTRICT_CODE).delete()
        User.objects.filter(username__startswith="demo_").delete()
        User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).delete()
        for level in reversed([AreaLevel.DISTRICT, AreaLevel.SUBDISTRICT, AreaLevel.COMMUNITY, AreaLevel.GRID]):
            Area.objects.filter(code__startswith=DISTRICT_CODE, level=level).delete()


@transaction.atomic
def generate_district(*, seed: int = 2026, scale: str = "default") -> GeneratedDistrict:
    n_sub, n_comm, (g_cols, g_rows) = SCALES[scale]
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)

    half_w, half_h = 0.045, 0.04  # about 8.5 km × 9 km
    lon, lat = CENTER
    district_quad = Quad((lon - half_w, lat + half_h), (lon + half_w, lat + half_h),
                         (lon + half_w, lat - half_h), (lon - half_w, lat - half_h))  # fmt: skip
    district = _area(DISTRICT_CODE, DISTRICT_NAME, AreaLevel.DISTRICT, None, district_quad)
    district.save()

    sub_cols, sub_rows = _grid_shape(n_sub) if n_sub > 3 else (n_sub, 1)
    sub_quads = district_quad.split(sub_cols, sub_rows, rng, jitter=0.12)
    sub_names = SUBDISTRICT_NAMES[:n_sub]
    subdistricts = [
        _area(f"{DISTRICT_CODE}{i + 1:03d}", f"{sub_names[i]}街道", AreaLevel.SUBDISTRICT, district, q)
        for i, q in enumerate(sub_quads)
    ]
    Area.objects.bulk_create(subdistricts)
    subdistricts = list(Area.objects.filter(level=AreaLevel.SUBDISTRICT, code__startswith=DISTRICT_CODE))

    comm_names = _community_names(rng, n_sub * n_comm)
    communities = []
    comm_quads: dict[str, Quad] = {}
    c_cols, c_rows = _grid_shape(n_comm)
    for s_index, sub in enumerate(subdistricts):
        for c_index, quad in enumerate(sub_quads[s_index].split(c_cols, c_rows, rng)):
            code = f"{sub.code}{c_index + 1:03d}"
            communities.append(_area(code, comm_names[s_index * n_comm + c_index], AreaLevel.COMMUNITY, sub, quad))
            comm_quads[code] = quad
    Area.objects.bulk_create(communities)
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY, code__startswith=DISTRICT_CODE))

    grids = []
    for community in communities:
        for g_index, quad in enumerate(comm_quads[community.code].split(g_cols, g_rows, rng)):
            code = f"{community.code}{g_index + 1:03d}"
            grids.append(_area(code, f"{community.name}第{g_index + 1}网格", AreaLevel.GRID, community, quad))
    Area.objects.bulk_create(grids, batch_size=1000)
    grids = list(Area.objects.filter(level=AreaLevel.GRID, code__startswith=DISTRICT_CODE))

    users = _generate_people(fake, district, subdistricts, communities, grids)
    refresh_map_features()
    audit.record(
        action="import",
        object_type="demo",
        object_repr=f"演示区 {DISTRICT_NAME}",
        area_code=DISTRICT_CODE,
        changes={
            "seed": seed,
            "scale": scale,
            "subdistricts": len(subdistricts),
            "communities": len(communities),
            "grids": len(grids),
            "users": users,
        },
    )
    return GeneratedDistrict(district, subdistricts, communities, grids, users)


def _phone(rng: random.Random) -> str:
    return rng.choice(["139", "138", "137", "158", "159", "181", "189", "133"]) + f"{rng.randrange(10**8):08d}"


def _generate_people(
    fake: Faker, district: Area, subdistricts: list[Area], communities: list[Area], grids: list[Area]
) -> int:
    rng = random.Random(fake.random.random())
    roles = {r.code: r for r in Role.objects.all()}
    by_level = {"district": [district], "subdistrict": subdistricts, "community": communities, "grid": grids}
    demo_hash = make_password(DEMO_PASSWORD)

    users: list[User] = []
    wanted: list[tuple[str, str, Area]] = []  # username, role code, area
    for username, role, where, title in DEMO_ACCOUNTS:
        level, _sep, index = where.partition(":")
        area = by_level[level][int(index or 0)]
        users.append(User(username=username, full_name=fake.name(), title=title, password=demo_hash,
                          work_phone=_phone(rng)))  # fmt: skip
        wanted.append((username, role, area))
    # The demo grid worker looks after two grids, as many do.
    wanted.append(("wanggeyuan", "grid_worker", grids[1]))

    # The 三包 network for every grid: a grid worker each, a leader and a police officer per community.
    unusable = make_password(None)
    for community in communities:
        leader = f"demo_gl_{community.code}"
        police = f"demo_pol_{community.code}"
        users.append(User(username=leader, full_name=fake.name(), title="网格长", password=unusable,
                          work_phone=_phone(rng)))  # fmt: skip
        users.append(User(username=police, full_name=fake.name(), title="社区民警", password=unusable,
                          work_phone=_phone(rng)))  # fmt: skip
        users.append(User(username=f"demo_cs_{community.code}", full_name=fake.name(), title="社区工作者",
                          password=unusable, work_phone=_phone(rng)))  # fmt: skip
        wanted.append((f"demo_cs_{community.code}", "community_staff", community))
        for grid in (g for g in grids if g.parent_id == community.pk):
            if grid.pk != grids[0].pk:  # the demo accounts wangzhang and minjing cover the first grid
                wanted.append((leader, "grid_leader", grid))
                wanted.append((police, "police", grid))
            if grid.pk in (grids[0].pk, grids[1].pk):
                continue  # wanggeyuan works these two
            worker = f"demo_gw_{grid.code}"
            users.append(User(username=worker, full_name=fake.name(), title="专职网格员", password=unusable,
                              work_phone=_phone(rng)))  # fmt: skip
            wanted.append((worker, "grid_worker", grid))
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    assignments = {
        (ids[username], roles[role].pk, area.pk): RoleAssignment(user_id=ids[username], role=roles[role], area=area)
        for username, role, area in wanted
    }
    RoleAssignment.objects.bulk_create(list(assignments.values()), batch_size=2000)
    return len(users)
