"""The current request's user and client address, for services that audit.

Set by ``RequestContextMiddleware``; jobs and commands run with neither and
pass ``actor=`` explicitly where there is one.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass
class RequestInfo:
    request: Any = None
    ip: str | None = None

    @property
    def user(self) -> Any:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: ContextVar[RequestInfo | None] = ContextVar("civicgrid_request", default=None)


def current_request_info() -> RequestInfo:
    info = _current.get()
    return info if info is not None else RequestInfo()


def client_ip(request: Any) -> str | None:
    # Behind the reverse proxy the operator sets CIVICGRID_TRUSTED_PROXY; see docs/operations.md.
    return request.META.get("REMOTE_ADDR") or None


def set_request_info(info: RequestInfo | None) -> Any:
    return _current.set(info)


def reset_request_info(token: Any) -> None:
    _current.reset(token)
