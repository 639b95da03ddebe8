"""Cases API: the whole workflow for authorized clients, through the same
services and scope as the pages (OpenAPI at /api/v1/docs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from civicgrid.cases import selectors, services
from civicgrid.cases.models import Case, CaseCategory, CaseSource
from civicgrid.cases.workflow import CASES
from civicgrid.core.scoping import user_can
from civicgrid.core.workflow import ConflictError, WorkflowError, available, history

router = Router(tags=["cases"])
MAX_LIMIT = 200


class CaseOut(Schema):
    id: int
    tracking_code: str
    title: str
    description: str
    category: str
    source: str
    state: str
    state_label: str
    grid_code: str
    lon: float | None
    lat: float | None
    created_at: dt.datetime
    state_due_at: dt.datetime | None
    version: int


class CaseDetailOut(CaseOut):
    actions: list[str] = Field(description="transitions the caller may fire now")
    timeline: list[dict[str, Any]]


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class CaseFilters(Schema):
    tab: str = Field("open", description="open / reported / verifying / accepted / dispatched / handled / closed …")
    q: str | None = None
    category: str | None = None
    area: str | None = Field(None, description="区域代码前缀")
    due: str | None = Field(None, description="overdue / near")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class CaseIn(Schema):
    category: str = Field(description="二级类别代码，如 garbage")
    title: str = Field(min_length=1, max_length=100)
    description: str = ""
    lon: float
    lat: float
    address: str = ""


class TransitionIn(Schema):
    action: str = Field(description="如 accept / dispatch / handle / close …")
    comment: str = ""
    version: int | None = Field(None, description="the version the client saw (optimistic locking)")
    idempotency_key: str = Field("", max_length=64, description="repeat with the same key: fired once")
    merge_into: str | None = Field(None, description="tracking code, for merge")


def _out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "title": case.title,
        "description": case.description,
        "category": case.category.code,
        "source": case.source,
        "state": case.state,
        "state_label": str(CASES.state_label(case.state)),
        "grid_code": case.area.code,
        "lon": case.lon,
        "lat": case.lat,
        "created_at": case.created_at,
        "state_due_at": case.state_due_at,
        "version": case.version,
    }


def _case_or_404(request: HttpRequest, case_id: int) -> Case:
    case = (
        Case.objects.visible_to(request.user, "cases.view")
        .select_related("category", "area")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise HttpError(404, gettext("No such case, or it is outside your areas."))
    return case


@router.get("/", response=CasePage, summary="案卷列表（收件箱，按管辖范围）")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    if not user_can(request.user, "cases.view"):
        raise HttpError(403, gettext("You do not have permission to do this."))
    qs = selectors.inbox(request.user, tab=filters.tab, filters=filters.dict(exclude_none=True))
    return {"count": qs.count(), "items": [_out(c) for c in qs[filters.offset : filters.offset + filters.limit]]}


@router.get("/{case_id}", response=CaseDetailOut, summary="单个案卷，含可办理的操作和办理过程")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case_or_404(request, case_id)
    return {
        **_out(case),
        "actions": [t.name for t in available(CASES, case, request.user)],
        "timeline": [
            {
                "at": log.at.isoformat(),
                "action": log.transition,
                "from": log.from_state,
                "to": log.to_state,
                "comment": log.comment,
            }
            for log in history(case)
        ],
    }


@router.post("/", response={201: CaseOut}, summary="网格员上报问题")
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    category = CaseCategory.objects.filter(code=payload.category, parent__isnull=False, is_active=True).first()
    if category is None:
        raise HttpError(422, gettext("Unknown service_code %(code)s.") % {"code": payload.category})
    if not user_can(request.user, "cases.report"):
        raise HttpError(403, gettext("You do not have permission to do this."))
    try:
        case = services.report_case(
            category=category,
            title=payload.title,
            description=payload.description,
            source=CaseSource.GRID_WORKER,
            by=request.user,
            lon=payload.lon,
            lat=payload.lat,
            address=payload.address,
        )
    except ValidationError as err:
        raise HttpError(422, " ".join(err.messages)) from None
    return Status(201, _out(case))


@router.post("/{case_id}/transitions", response=CaseOut, summary="办理：立案、派遣、处置、核查、结案……")
def fire_transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> dict[str, Any]:
    case = _case_or_404(request, case_id)
    data: dict[str, Any] = {}
    if payload.action == "merge":
        target = (
            Case.objects.visible_to(request.user, "cases.view")
            .filter(tracking_code=(payload.merge_into or "").upper())
            .first()
        )
        if target is None:
            raise HttpError(422, gettext("Enter the tracking code of a case you can see to merge into."))
        data["into"] = target
    try:
        services.transition(
            case=case,
            name=payload.action,
            by=request.user,
            comment=payload.comment,
            idempotency_key=payload.idempotency_key,
            expected_version=payload.version,
            **data,
        )
    except ConflictError as err:
        raise HttpError(409, str(err)) from None
    except WorkflowError as err:
        raise HttpError(422, str(err)) from None
    case.refresh_from_db()
    return _out(case)
