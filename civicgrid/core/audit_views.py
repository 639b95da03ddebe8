"""The audit log viewer: admins read and filter the log of their areas."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.audit import verify_chain
from civicgrid.core.models import AuditAction, AuditEvent
from civicgrid.core.scoping import scope_codes


def visible_events(user) -> tuple:  # type: ignore[no-untyped-def]
    """Events in the user's audit scope; area-less events (log-ins, user changes
    filed above any area) only for district-level auditors."""
    codes = scope_codes(user, "audit.view")
    if not codes:
        raise PermissionDenied
    events = AuditEvent.objects.visible_to(user, "audit.view")
    district_level = any(len(c) == 6 for c in codes)
    if district_level:
        events = AuditEvent.objects.filter(Q(pk__in=events.values("pk")) | Q(area_code=""))
    return events, district_level


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events, district_level = visible_events(request.user)
    f = request.GET
    if f.get("actor"):
        events = events.filter(Q(actor_name__icontains=f["actor"]) | Q(actor__username__iexact=f["actor"]))
    if f.get("action"):
        events = events.filter(action=f["action"])
    if f.get("object_type"):
        events = events.filter(object_type=f["object_type"])
    if f.get("area"):
        events = events.filter(area_code__startswith=f["area"].strip())
    if f.get("text"):
        events = events.filter(object_repr__icontains=f["text"])
    start, end = _date(f.get("from", "")), _date(f.get("to", ""))
    if start:
        events = events.filter(at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        events = events.filter(at__lt=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))
    page = Paginator(events.order_by("-id"), 50).get_page(f.get("page"))
    context = {
        "page": page,
        "filters": f,
        "actions": AuditAction.choices,
        "object_types": sorted(set(AuditEvent.objects.values_list("object_type", flat=True).distinct()[:100])),
        "can_verify": district_level,
        "nav_active": "audit",
    }
    return render(request, "core/audit_log.html", context)


@require_POST
@login_required
def audit_verify(request: HttpRequest) -> HttpResponse:
    _events, district_level = visible_events(request.user)
    if not district_level:
        raise PermissionDenied
    count, problems = verify_chain()
    if problems:
        messages.error(
            request, _("The audit log chain is BROKEN: %(problems)s") % {"problems": "；".join(problems[:5])}
        )
    else:
        messages.success(request, _("The audit log chain is intact: %(n)d entries verified.") % {"n": count})
    return redirect("core:audit_log")
