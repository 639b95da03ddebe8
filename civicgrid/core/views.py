from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from civicgrid.core.models import Message, MessageChannel


def ping(request: HttpRequest) -> HttpResponse:
    """Liveness: answers without touching the database (also the benchmarks' no-database baseline)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and the fault tests: is the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "database unavailable"}, status=503)


@login_required
def message_inbox(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications; opening the page marks them read."""
    messages_qs = Message.objects.filter(recipient=request.user, channel=MessageChannel.IN_APP)
    page = Paginator(messages_qs.order_by("-created_at"), 30).get_page(request.GET.get("page"))
    unread = [m.pk for m in page if m.read_at is None]
    if unread:
        Message.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "core/messages.html", {"page": page, "unread": set(unread), "nav_active": "messages"})
