"""Reporting, routing and moving cases. Transitions go through core.workflow.fire."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F as models_F
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point

from civicgrid.areas.geometry import to_shape
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.cases.models import Case, CaseCategory, CaseSource, HandlerLevel, Rating
from civicgrid.cases.workflow import CASES, OPEN_STATES, S
from civicgrid.core import audit
from civicgrid.core import personal_data as pd
from civicgrid.core.models import TransitionLog
from civicgrid.core.scoping import user_can
from civicgrid.core.workflow import WorkflowError, fire, start_clock

PHONE_CONTEXT = "case.reporter_phone"
# Reports from the public are verified on site by the grid worker before 立案.
PUBLIC_SOURCES = (CaseSource.RESIDENT, CaseSource.HOTLINE)
LON_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)


def grid_at(lon: float, lat: float) -> Area | None:
    """The active grid whose boundary contains the point (bbox prefilter in SQL, then shapely)."""
    candidates = Area.objects.filter(
        level=AreaLevel.GRID, is_active=True, min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat
    ).exclude(boundary=None)
    point = Point(lon, lat)
    inside = [a for a in candidates if to_shape(a.boundary).covers(point)]
    return min(inside, key=lambda a: to_shape(a.boundary).area) if inside else None


def _check_point(lon: float | None, lat: float | None) -> None:
    if lon is None or lat is None:
        return
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise ValidationError(_("The location is not a place in China: check the longitude and latitude."))


@transaction.atomic
def report_case(
    *,
    category: CaseCategory,
    title: str,
    description: str = "",
    source: str,
    by: Any = None,
    area: Area | None = None,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    external_id: str = "",
) -> Case:
    """上报: a new case in the grid of its location. Staff reports start their clock;
    a resident's report goes to the grid worker for on-site verification (核实)."""
    _check_point(lon, lat)
    if area is None and lon is not None and lat is not None:
        area = grid_at(lon, lat)
    if area is None:
        raise ValidationError(_("The location is outside every grid: pick a point inside the district."))
    if by is not None and source == CaseSource.GRID_WORKER and not user_can(by, "cases.report", area):
        raise ValidationError(_("You can report only inside your own grids."))
    if not title.strip():
        raise ValidationError(_("Please describe the problem in a short title."))
    if external_id and Case.objects.filter(source=source, external_id=external_id).exists():
        raise ValidationError(_("A case with the original number %(id)s already exists.") % {"id": external_id})
    phone = pd.parse_mobile(reporter_phone) if reporter_phone else ""
    phone_fields = pd.protected_columns("reporter_phone", phone, context=PHONE_CONTEXT, mask=pd.mask_mobile)
    case = Case(
        area=area,
        category=category,
        title=title.strip(),
        description=description.strip(),
        source=source,
        external_id=external_id,
        lon=lon,
        lat=lat,
        address=address,
        reporter=by if getattr(by, "is_authenticated", False) else None,
        reporter_name=reporter_name or (by.get_full_name() if getattr(by, "is_authenticated", False) else ""),
        state=S.VERIFYING if source in PUBLIC_SOURCES else S.REPORTED,
        **phone_fields,
    )
    now = timezone.now()
    case.state_entered_at = now
    case.state_due_at = start_clock(CASES, case, case.state, now)
    case.save()
    audit.record(
        action="create",
        object_type="case",
        object_id=case.pk,
        object_repr=str(case),
        area_code=area.code,
        changes={"title": [None, case.title], "category": [None, category.code], "source": [None, source]},
        actor=by,
    )
    if case.state == S.VERIFYING:  # 核实: the grid worker checks a public report on site before 立案
        from civicgrid.core.notifications import notify
        from civicgrid.core.scoping import holders_of

        due = timezone.localtime(case.state_due_at).strftime("%m-%d %H:%M") if case.state_due_at else "—"
        notify(
            template="case_verify",
            users=holders_of("cases.verify", area),
            key=f"case:{case.pk}:verify",
            context={"code": case.tracking_code, "title": case.title, "due": due, "reason": ""},
            link=f"/cases/{case.pk}/",
            area_code=area.code,
        )
    return case


def default_handler(case: Case) -> dict[str, Any]:
    """The 权责 mapping: who handles a case of this category in this grid."""
    category = case.category
    ancestors = {a.level: a for a in case.area.ancestors()}
    if category.handler_level == HandlerLevel.GRID:
        return {"handler_area": case.area}
    if category.handler_level == HandlerLevel.COMMUNITY:
        return {"handler_area": ancestors.get(AreaLevel.COMMUNITY)}
    if category.handler_level == HandlerLevel.SUBDISTRICT:
        return {"handler_area": ancestors.get(AreaLevel.SUBDISTRICT)}
    return {"handler_area": ancestors.get(AreaLevel.DISTRICT), "department": category.department}


def transition(
    *,
    case: Case,
    name: str,
    by: Any,
    comment: str = "",
    idempotency_key: str = "",
    expected_version: int | None = None,
    **data: Any,
) -> TransitionLog:
    """Fire a case transition and apply its side effects (assignment, merge, counters)."""
    by_resident = bool(data.pop("_resident", False))
    previous_due = case.state_due_at
    with transaction.atomic():
        if name == "dispatch" and not any(data.get(k) for k in ("handler_area", "handler_user", "department")):
            data.update(default_handler(case))
        if name == "merge":
            target = data.get("into")
            if isinstance(target, Case) and (target.pk == case.pk or target.state not in OPEN_STATES):
                raise WorkflowError(_("A case can only be merged into another open case."))
        log = fire(
            workflow=CASES,
            obj=case,
            transition=name,
            by=by,
            comment=comment,
            data={k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()},
            idempotency_key=idempotency_key,
            expected_version=expected_version,
            check_permission=not by_resident,
        )
        updates: dict[str, Any] = {}
        if name == "dispatch":
            updates = {k: data.get(k) for k in ("handler_area", "handler_user", "department") if data.get(k)}
            updates.setdefault("handler_level", case.category.handler_level)
        elif name in ("accept", "verify_ok") and case.accepted_at is None:
            updates["accepted_at"] = log.at
        elif name in ("close", "self_handle"):
            updates["closed_at"] = log.at
            updates["self_handled"] = name == "self_handle"
            if name == "self_handle":
                updates.update(handled_at=log.at, handled_on_time=True, accepted_at=case.accepted_at or log.at)
        elif name == "handle":
            updates["handled_at"] = log.at
            updates["handled_on_time"] = previous_due is None or log.at <= previous_due
        elif name == "rework":
            updates["reworks"] = case.reworks + 1
        elif name == "merge":
            updates["merged_into"] = data["into"]
        elif name == "reopen":
            updates["closed_at"] = None
        if updates:
            Case.objects.filter(pk=case.pk).update(**updates)
            for key, value in updates.items():
                setattr(case, key, value)
        _notify_after(case, name, log, data)
    return log


def _reporter_targets(case: Case) -> dict[str, Any]:
    phones = [pd.decrypt(case.reporter_phone_enc, context=PHONE_CONTEXT)] if case.reporter_phone_enc else []
    return {"users": [case.reporter] if case.reporter_id else [], "phones": phones}


def _notify_after(case: Case, name: str, log: TransitionLog, data: dict[str, Any]) -> None:
    """Tell whoever the step concerns: handlers, on-site checkers, reporters."""
    from civicgrid.core.notifications import notify
    from civicgrid.core.scoping import holders_of

    due = timezone.localtime(case.state_due_at).strftime("%m-%d %H:%M") if case.state_due_at else "—"
    context = {"code": case.tracking_code, "title": case.title, "due": due, "reason": log.comment}
    common = {
        "context": context,
        "key": f"case:{case.pk}:{log.pk}",
        "link": f"/cases/{case.pk}/",
        "area_code": case.area.code,
    }
    if name == "dispatch":
        users = [case.handler_user] if case.handler_user_id else []
        if case.handler_area_id:
            users += holders_of("cases.handle", case.handler_area)
        notify(template="case_dispatched", users=users, **common)
    elif name in ("handle", "send_to_verify"):
        notify(template="case_verify", users=holders_of("cases.verify", case.area), **common)
    elif name in ("close", "self_handle"):
        notify(template="case_closed", **_reporter_targets(case), **common)
    elif name == "merge":
        target = data["into"]
        context["target"] = target.tracking_code if isinstance(target, Case) else target
        notify(template="case_merged", **_reporter_targets(case), **common)
    elif name == "reopen" and case.handler_area_id:
        notify(template="case_reopened", users=holders_of("cases.handle", case.handler_area), **common)


@transaction.atomic
def rate_case(*, tracking_code: str, rating: str, comment: str = "") -> Case:
    """A reporter rates a closed case by its tracking code; 不满意 reopens it for review."""
    case = Case.objects.select_for_update().filter(tracking_code=tracking_code.strip().upper()).first()
    if case is None:
        raise ValidationError(_("No case has this tracking code."))
    if case.state != S.CLOSED:
        raise ValidationError(_("The case can be rated once it is closed."))
    if rating not in Rating.values:
        raise ValidationError(_("Choose satisfied, basically satisfied or dissatisfied."))
    Case.objects.filter(pk=case.pk).update(rating=rating, rating_comment=comment[:500])
    case.rating, case.rating_comment = rating, comment[:500]
    audit.record(
        action="update",
        object_type="case",
        object_id=case.pk,
        object_repr=str(case),
        area_code=case.area.code,
        changes={"rating": [None, rating]},
    )
    if rating == Rating.DISSATISFIED:
        transition(
            case=case, name="reopen", by=None, comment=comment or _("The reporter is not satisfied."), _resident=True
        )
    return case


def similar_open_cases(case: Case, *, radius_m: float = 300, days: int = 30, limit: int = 10) -> list[Case]:
    """Open cases nearby in the same category family and time window: duplicate candidates."""
    if case.lon is None or case.lat is None:
        return []
    d_lat = radius_m / 111_320
    d_lon = d_lat / max(0.2, math.cos(math.radians(case.lat)))
    since = case.created_at - timezone.timedelta(days=days)
    family = case.category.parent_id or case.category_id
    return list(
        Case.objects.filter(
            state__in=OPEN_STATES,
            created_at__gte=since,
            lon__range=(case.lon - d_lon, case.lon + d_lon),
            lat__range=(case.lat - d_lat, case.lat + d_lat),
        )
        .filter(Q(category_id=family) | Q(category__parent_id=family))
        .exclude(pk=case.pk)
        .select_related("category")
        .order_by("-created_at")[:limit]
    )


ESCALATION_LEVELS = [AreaLevel.COMMUNITY, AreaLevel.SUBDISTRICT, AreaLevel.DISTRICT]


def escalate_overdue_cases(now: Any = None) -> int:
    """Overdue cases go one level up (grid → community → subdistrict → district),
    once per state they are overdue in; the new level is told. Returns how many moved."""
    from civicgrid.core.notifications import notify
    from civicgrid.core.scoping import holders_of

    now = now or timezone.now()
    overdue = (
        Case.objects.filter(state__in=OPEN_STATES, state_due_at__lt=now)
        .exclude(state=S.SUSPENDED)
        .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lt=models_F("state_entered_at")))
        .select_related("area")
    )
    moved = 0
    for case in overdue.iterator(500):
        if case.escalation_level >= len(ESCALATION_LEVELS):
            continue
        level = ESCALATION_LEVELS[case.escalation_level]
        target = next((a for a in case.area.ancestors() if a.level == level), None)
        if target is None:
            continue
        with transaction.atomic():
            changed = Case.objects.filter(pk=case.pk, version=case.version).update(
                escalation_level=case.escalation_level + 1, escalated_at=now
            )
            if not changed:
                continue  # someone acted on it meanwhile
            audit.record(
                action="update",
                object_type="case",
                object_id=case.pk,
                object_repr=str(case),
                area_code=case.area.code,
                reason="overdue",
                changes={
                    "escalation_level": [case.escalation_level, case.escalation_level + 1],
                    "escalated_to": [None, target.code],
                },
            )
            notify(
                template="case_overdue",
                users=holders_of("cases.dispatch", target),
                context={"code": case.tracking_code, "title": case.title, "area": target.name},
                key=f"case:{case.pk}:escalate:{case.escalation_level + 1}:{case.state_entered_at:%s}",
                link=f"/cases/{case.pk}/",
                area_code=case.area.code,
            )
        moved += 1
    return moved


@transaction.atomic
def supervise_case(*, case: Case, by: Any, deadline: Any, comment: str = "") -> Case:
    """督办: put a case under supervision with a deadline; its handlers are told."""
    from civicgrid.core.notifications import notify
    from civicgrid.core.scoping import holders_of

    if not user_can(by, "cases.supervise", case.area):
        raise ValidationError(_("You do not have permission to supervise this case."))
    if case.state not in OPEN_STATES:
        raise ValidationError(_("Only open cases can be put under supervision."))
    if deadline <= timezone.now():
        raise ValidationError(_("The supervision deadline must be in the future."))
    Case.objects.filter(pk=case.pk).update(supervised=True, supervision_deadline=deadline)
    case.supervised, case.supervision_deadline = True, deadline
    audit.record(
        action="update",
        object_type="case",
        object_id=case.pk,
        object_repr=str(case),
        area_code=case.area.code,
        reason=comment,
        actor=by,
        changes={"supervised": [False, True], "supervision_deadline": [None, deadline]},
    )
    users = [case.handler_user] if case.handler_user_id else []
    if case.handler_area_id:
        users += holders_of("cases.handle", case.handler_area)
    notify(
        template="case_supervised",
        users=users,
        context={
            "code": case.tracking_code,
            "title": case.title,
            "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        },
        key=f"case:{case.pk}:supervise:{deadline:%s}",
        link=f"/cases/{case.pk}/",
        area_code=case.area.code,
    )
    return case


def attach_photos(*, case: Case, photos: list[tuple[Any, int, int]], stage: str, by: Any = None) -> list[Any]:
    """Store photos already cleaned by core.uploads.clean_photo."""
    from civicgrid.cases.models import CasePhoto

    saved = []
    for content, width, height in photos:
        photo = CasePhoto(
            case=case,
            stage=stage,
            width=width,
            height=height,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        photo.image.save(f"{case.tracking_code}-{stage}.jpg", content, save=False)
        photo.save()
        saved.append(photo)
    return saved
