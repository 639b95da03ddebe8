from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse


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
