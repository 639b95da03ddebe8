from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from civicgrid.core.request_context import RequestInfo, client_ip, reset_request_info, set_request_info


class RequestContextMiddleware:
    """Makes the request's user and IP available to the audit service."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_info(RequestInfo(request=request, ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            reset_request_info(token)
