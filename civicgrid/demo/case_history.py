"""A year of synthetic case history for the demo district: cases with their
full transition log, deadlines on the work calendar, reworks, ratings and a
few still open — so the inbox, the case pages and the KPI dashboard have
something true to show."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from faker import Faker
from shapely.geometry import Point

from civicgrid.accounts.models import RoleAssignment
from civicgrid.areas.geometry import to_shape
from civicgrid.areas.models import Area
from civicgrid.cases.models import Case, CaseCategory, CaseSource, new_tracking_code
from civicgrid.cases.workflow import CASES, S
from civicgrid.core.models import TransitionLog
from civicgrid.core.workcalendar import deadline

TITLES = {
    "garbage": ["楼道口垃圾堆积", "垃圾桶满溢未清运", "绿化带内乱扔垃圾"],
    "illegal_ads": ["电线杆上小广告", "单元门口乱张贴"],
    "street_stall": ["路口流动摊贩占道", "早餐摊占用人行道"],
    "manhole": ["窨井盖破损", "雨水井盖缺失"],
    "street_light": ["路灯不亮", "路灯杆倾斜"],
    "road_damage": ["人行道地砖松动", "路面坑洼积水"],
    "fire_passage": ["消防通道堆放杂物", "私家车占用消防通道"],
    "electric_bike": ["电动车楼道内充电", "飞线充电"],
    "building_risk": ["外墙瓷砖脱落", "阳台栏杆锈蚀"],
    "neighbour": ["楼上漏水纠纷", "噪音扰民"],
    "property": ["物业服务纠纷", "停车位纠纷"],
    "wages": ["装修工人欠薪"],
    "elderly_help": ["独居老人需要帮助", "老人行动不便求助"],
    "assistance": ["家庭困难申请救助"],
}


def _point(rng: random.Random, shape) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    min_x, min_y, max_x, max_y = shape.bounds
    for _try in range(50):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shape.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    p = shape.representative_point()
    return p.x, p.y


def _work_time(rng: random.Random, moment: dt.datetime, hours: float) -> dt.datetime:
    return deadline(moment, hours, "work_hours")


def generate_case_history(*, seed: int, grids: list[Area], cases_per_grid: int) -> int:
    if not cases_per_grid:
        return 0
    rng = random.Random(seed * 104729)
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 31)
    now = timezone.now()
    categories = [
        c for c in CaseCategory.objects.filter(parent__isnull=False).select_related("parent") if c.code in TITLES
    ]
    workers = {
        a.area_id: a.user
        for a in RoleAssignment.objects.filter(role__code="grid_worker", area__in=grids).select_related("user")
    }
    staff = {
        a.area_id: a.user for a in RoleAssignment.objects.filter(role__code="community_staff").select_related("user")
    }
    cases: list[Case] = []
    plans: list[list[tuple[str, str, str, dt.datetime, object]]] = []
    for grid in grids:
        shape = to_shape(grid.boundary)
        worker = workers.get(grid.pk)
        desk = staff.get(grid.parent_id)
        for _n in range(cases_per_grid):
            category = rng.choice(categories)
            source = rng.choices(
                [CaseSource.GRID_WORKER, CaseSource.RESIDENT, CaseSource.HOTLINE, CaseSource.VIDEO], [55, 25, 15, 5]
            )[0]
            reported = now - dt.timedelta(days=rng.uniform(0, 365), minutes=rng.randrange(600))
            lon, lat = _point(rng, shape)
            case = Case(
                area=grid,
                category=category,
                title=rng.choice(TITLES[category.code]),
                source=source,
                lon=lon,
                lat=lat,
                address=f"{grid.name}附近",
                tracking_code=new_tracking_code(),
                reporter=worker if source == CaseSource.GRID_WORKER else None,
                reporter_name=worker.full_name if source == CaseSource.GRID_WORKER and worker else fake.name(),
                external_id=f"GD{reported:%Y%m%d}{rng.randrange(10**5):05d}" if source == CaseSource.HOTLINE else "",
                state=S.REPORTED,
                state_entered_at=reported,
            )
            steps: list[tuple[str, str, str, dt.datetime, object]] = []
            t = reported
            age_days = (now - reported).days
            roll = rng.random()
            if source == CaseSource.GRID_WORKER and roll < 0.15:
                steps.append(("self_handle", S.REPORTED, S.CLOSED, t + dt.timedelta(minutes=20), worker))
            elif roll < 0.20:
                steps.append(("reject", S.REPORTED, S.REJECTED, _work_time(rng, t, rng.uniform(0.5, 3)), desk))
            else:
                t = _work_time(rng, t, rng.uniform(0.2, 3))
                steps.append(("accept", S.REPORTED, S.ACCEPTED, t, desk))
                open_at = None
                if age_days < 4:
                    open_at = rng.choice([S.ACCEPTED, S.DISPATCHED, S.HANDLED])
                if open_at != S.ACCEPTED:
                    t = _work_time(rng, t, rng.uniform(0.2, 2))
                    steps.append(("dispatch", S.ACCEPTED, S.DISPATCHED, t, desk))
                    if open_at != S.DISPATCHED:
                        late = rng.random() < 0.12
                        hours = float(category.handle_amount) * (7.5 if category.handle_unit == "work_days" else 1)
                        t = _work_time(rng, t, hours * (rng.uniform(1.1, 1.8) if late else rng.uniform(0.2, 0.9)))
                        steps.append(("handle", S.DISPATCHED, S.HANDLED, t, desk))
                        if rng.random() < 0.08:
                            t = _work_time(rng, t, rng.uniform(1, 6))
                            steps.append(("rework", S.HANDLED, S.DISPATCHED, t, worker))
                            t = _work_time(rng, t, rng.uniform(4, 16))
                            steps.append(("handle", S.DISPATCHED, S.HANDLED, t, desk))
                        if open_at != S.HANDLED:
                            t = _work_time(rng, t, rng.uniform(0.5, 6))
                            steps.append(("close", S.HANDLED, S.CLOSED, t, worker))
            steps = [s for s in steps if s[3] <= now]
            cases.append(case)
            plans.append(steps)
    # Final fields are worked out before inserting (no bulk_update: it builds a CASE per row and field).
    pending_logs = []
    for case, steps in zip(cases, plans, strict=True):
        state, entered, dispatched_due = S.REPORTED, case.state_entered_at, None
        for name, _from, to, at, actor in steps:
            due = _due(case, to, at)
            pending_logs.append((case, name, state, to, actor, at, due))
            if name == "accept":
                case.accepted_at = at
            if name == "dispatch":
                case.handler_level = case.category.handler_level
                case.handler_area = case.area.parent if case.category.handler_level != "grid" else case.area
                case.department = case.category.department
                dispatched_due = due
            if name == "handle":
                case.handled_at = at
                case.handled_on_time = dispatched_due is None or at <= dispatched_due
            if name == "rework":
                case.reworks += 1
            if name in ("close", "self_handle"):
                case.closed_at = at
                case.self_handled = name == "self_handle"
                if name == "self_handle":
                    case.accepted_at, case.handled_at, case.handled_on_time = at, at, True
            state, entered = to, at
        case.state, case.state_entered_at = state, entered
        case.state_due_at = _due(case, state, entered) if state not in (S.CLOSED, S.REJECTED) else None
        case.version = len(steps) + 1
        if state == S.CLOSED and rng.random() < 0.6:
            case.rating = rng.choices(["satisfied", "basically", "dissatisfied"], [80, 15, 5])[0]
    Case.objects.bulk_create(cases, batch_size=1000)
    content_type = ContentType.objects.get_for_model(Case)
    logs = [
        TransitionLog(
            content_type=content_type,
            object_id=case.pk,
            workflow="case",
            transition=name,
            from_state=source,
            to_state=to,
            actor=actor,
            at=at,
            due_at=due,
            comment=str(CASES.by_name[name].label),
        )
        for case, name, source, to, actor, at, due in pending_logs
    ]
    TransitionLog.objects.bulk_create(logs, batch_size=2000)
    return len(cases)


def _due(case: Case, state: str, at: dt.datetime) -> dt.datetime | None:
    from civicgrid.cases.workflow import case_sla

    rule = case_sla(case, state)
    return deadline(at, rule[0], rule[1]) if rule else None
