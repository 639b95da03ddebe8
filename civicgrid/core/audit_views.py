"""The audit log viewer: admins read and filter the log of their areas."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicgrid.core.models import AuditEvent
from civicgrid.core.scoping import user_can


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "audit.view"):
        raise PermissionDenied
    events = AuditEvent.objects.visible_to(request.user, "audit.view")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})
