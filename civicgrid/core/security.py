"""Web hardening shared by every page: a strict Content-Security-Policy and
an idle-session timeout.

The CSP is strict because it can be: every script, style, font and image is
served by the app itself (no CDN), and templates never inline scripts or
styles. The only outside origin allowed is the configured map tile server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def _tile_origin() -> str:
    url = getattr(settings, "MAP_TILE_URL", "")
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url:  # Leaflet subdomains a/b/c: allow the parent domain's subdomains
        host = "*." + parts.netloc.split(".", 1)[1] if "." in parts.netloc else parts.netloc
    return f"{parts.scheme}://{host}" if parts.scheme else ""


def content_security_policy() -> str:
    tiles = _tile_origin()
    img = " ".join(filter(None, ["'self'", "data:", "blob:", tiles]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class IdleTimeoutMiddleware:
    """Logs a user out after ``CIVICGRID_IDLE_MINUTES`` without a request (等保: idle timeout)."""

    SESSION_KEY = "_last_activity"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            idle_limit = settings.IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - int(last) > idle_limit:
                logout(request)
                messages.warning(request, _("You were logged out after a period of inactivity. Please log in again."))
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = settings.LOGIN_URL_PATH
                    return response
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.get_full_path()}")
            # Write at most once a minute: a session save per request costs a database write.
            if last is None or now - int(last) >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
