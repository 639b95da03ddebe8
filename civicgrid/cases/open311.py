"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), mounted at /open311/v2/.

Mapped onto our model so that existing Open311 clients work unchanged:
- services = the active, public second-level case categories (service_code =
  category code, group = the first-level category);
- a service request = a case; service_request_id = its public tracking code;
  status "open" for every open state, "closed" for closed, rejected or merged;
- POST needs an ``api_key`` of an Open311Client; the report enters our
  workflow as a resident report (核实 by the grid worker before 立案);
- XML is the default format, JSON optional; dates carry +08:00; an empty
  parameter is treated as absent; errors are a list of {code, description};
- the ``servicerequestupdates`` extension lists status changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civicgrid.cases.models import Case, CaseCategory, CaseSource, Open311Client
from civicgrid.cases.services import report_case
from civicgrid.cases.workflow import OPEN_STATES
from civicgrid.core.models import TransitionLog

MAX_REQUESTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)


def key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def issue_client_key(name: str) -> tuple[Open311Client, str]:
    plain = secrets.token_urlsafe(24)
    return Open311Client.objects.create(name=name, key_hash=key_hash(plain)), plain


# --- rendering ---------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape("" if value is None else str(value))


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> str:
    body = "".join(
        f"<{item}>" + "".join(f"<{k}>{_xml_value(v)}</{k}>" for k, v in row.items()) + f"</{item}>" for row in rows
    )
    return f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'


def _respond(fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(_xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status)


def _error(fmt: str, code: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", "error", [{"code": code, "description": description}], status=code)


def _param(request: HttpRequest, name: str) -> str:
    """An empty parameter means absent (GeoReport v2)."""
    data = request.POST if request.method == "POST" else request.GET
    return (data.get(name) or "").strip()


def open311_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if fmt not in ("xml", "json"):
            return _error("xml", 404, _("Unknown format: use .xml or .json."))
        jurisdiction = _param(request, "jurisdiction_id")
        if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
            return _error(fmt, 404, _("Unknown jurisdiction_id %(id)s.") % {"id": jurisdiction})
        return func(request, fmt, *args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return csrf_exempt(wrapper)


def _services() -> list[CaseCategory]:
    return list(
        CaseCategory.objects.filter(parent__isnull=False, is_active=True, is_public=True)
        .select_related("parent")
        .order_by("sort_order")
    )


def _service_row(category: CaseCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.accept_criteria or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.parent.name if category.parent_id else "",
        "group": category.parent.name if category.parent_id else "",
    }


def _status(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def _request_row(case: Case) -> dict[str, Any]:
    from civicgrid.cases.workflow import CASES

    return {
        "service_request_id": case.tracking_code,
        "status": _status(case),
        "status_notes": str(CASES.state_label(case.state)),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description or case.title,
        "agency_responsible": case.department or (case.handler_area.name if case.handler_area_id else ""),
        "service_notice": "",
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(case.state_entered_at or case.created_at),
        "expected_datetime": _iso(case.state_due_at) if case.state in OPEN_STATES else "",
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": case.lat if case.lat is not None else "",
        "long": case.lon if case.lon is not None else "",
        "media_url": "",
    }


# --- endpoints -----------------------------------------------------------------------------


@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return _respond(fmt, "services", "service", [_service_row(c) for c in _services()])


@open311_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = next((c for c in _services() if c.code == code), None)
    if category is None:
        return _error(fmt, 404, _("Unknown service_code %(code)s.") % {"code": code})
    if fmt == "json":
        return JsonResponse({"service_code": code, "attributes": []})
    return HttpResponse(
        f'<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>{escape(code)}</service_code>'
        "<attributes></attributes></service_definition>",
        content_type="text/xml; charset=utf-8",
    )


def _parse_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@open311_view
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    ids = [i.strip().upper() for i in _param(request, "service_request_id").split(",") if i.strip()]
    qs = Case.objects.select_related("category", "handler_area").filter(category__is_public=True)
    if ids:  # overrides every other filter
        cases = qs.filter(tracking_code__in=ids)
    else:
        try:
            start, end = _parse_date(_param(request, "start_date")), _parse_date(_param(request, "end_date"))
        except ValueError as err:
            return _error(
                fmt, 400, _("Dates must be ISO 8601 (w3c), e.g. 2026-11-24T09:00:00+08:00: %(v)s") % {"v": err}
            )
        end = end or timezone.now()
        start = start or end - DEFAULT_WINDOW
        cases = qs.filter(created_at__gte=start, created_at__lte=end)
        code = _param(request, "service_code")
        if code:
            codes = [c.strip() for c in code.split(",") if c.strip()]
            unknown = sorted(set(codes) - {c.code for c in _services()})
            if unknown:
                return _error(fmt, 404, _("Unknown service_code %(code)s.") % {"code": ",".join(unknown)})
            cases = cases.filter(category__code__in=codes)
        status = _param(request, "status")
        if status == "open":
            cases = cases.filter(state__in=OPEN_STATES)
        elif status == "closed":
            cases = cases.exclude(state__in=OPEN_STATES)
        elif status:
            return _error(fmt, 400, _("status must be open or closed."))
    rows = [_request_row(c) for c in cases.order_by("-created_at")[:MAX_REQUESTS]]
    return _respond(fmt, "service_requests", "request", rows)


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = _param(request, "api_key")
    if not api_key or not Open311Client.objects.filter(key_hash=key_hash(api_key), is_active=True).exists():
        return _error(fmt, 403, _("A valid api_key is required to submit requests."))
    code = _param(request, "service_code")
    category = next((c for c in _services() if c.code == code), None)
    if category is None:
        return _error(fmt, 404, _("Unknown service_code %(code)s.") % {"code": code})
    try:
        lat, lon = float(_param(request, "lat")), float(_param(request, "long"))
    except ValueError:
        return _error(fmt, 400, _("lat and long are required, in WGS84 decimal degrees."))
    description = _param(request, "description")
    name = " ".join(filter(None, [_param(request, "last_name"), _param(request, "first_name")]))
    try:
        case = report_case(
            category=category,
            title=(description or category.name)[:100],
            description=description,
            source=CaseSource.RESIDENT,
            lon=lon,
            lat=lat,
            address=_param(request, "address_string"),
            reporter_name=name,
            reporter_phone=_param(request, "phone"),
        )
    except ValidationError as err:
        return _error(fmt, 400, " ".join(err.messages))
    return _respond(fmt, "service_requests", "request", [{"service_request_id": case.tracking_code,
                    "service_notice": "", "account_id": ""}])  # fmt: skip


@open311_view
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    case = (
        Case.objects.select_related("category", "handler_area")
        .filter(tracking_code=request_id.upper(), category__is_public=True)
        .first()
    )
    if case is None:
        return _error(fmt, 404, _("Unknown service_request_id %(id)s.") % {"id": request_id})
    return _respond(fmt, "service_requests", "request", [_request_row(case)])


@open311_view
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """We answer POST with the id at once, so a token is the request id itself."""
    case = Case.objects.filter(tracking_code=token.upper()).first()
    if case is None:
        return _error(fmt, 404, _("Unknown token %(id)s.") % {"id": token})
    return _respond(fmt, "service_requests", "request", [{"service_request_id": case.tracking_code, "token": token}])


@open311_view
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """The servicerequestupdates extension: status changes in a time window."""
    try:
        start, end = _parse_date(_param(request, "start_date")), _parse_date(_param(request, "end_date"))
    except ValueError as err:
        return _error(fmt, 400, _("Dates must be ISO 8601 (w3c), e.g. 2026-11-24T09:00:00+08:00: %(v)s") % {"v": err})
    end = end or timezone.now()
    start = start or end - dt.timedelta(days=1)
    logs = TransitionLog.objects.filter(workflow="case", at__gte=start, at__lte=end).order_by("at")[:MAX_REQUESTS]
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=[log.object_id for log in logs], category__is_public=True).select_related(
            "category"
        )
    }
    from civicgrid.cases.workflow import CASES

    rows = [
        {
            "update_id": log.pk,
            "service_request_id": cases[log.object_id].tracking_code,
            "status": "open" if log.to_state in OPEN_STATES else "closed",
            "updated_datetime": _iso(log.at),
            "description": str(CASES.state_label(log.to_state)),
            "media_url": "",
        }
        for log in logs
        if log.object_id in cases
    ]
    return _respond(fmt, "service_request_updates", "request_update", rows)
