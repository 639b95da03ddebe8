"""Log-ins, failed log-ins and log-outs go to the audit log (等保: identity events).

Auth events come from Django's auth signals, the one place they all pass."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from civicgrid.core import audit


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(action="login", object_type="user", object_id=user.pk, object_repr=user.username, actor=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(action="login_failed", object_type="user", object_repr=username, changes={"username": username})


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="logout", object_type="user", object_id=user.pk, object_repr=user.username, actor=user)
