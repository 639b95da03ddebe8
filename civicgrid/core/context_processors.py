from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from civicgrid.core.scoping import user_can


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The sidebar: only the entries the user can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("home", _("Home"), reverse("home"))]
    if user_can(user, "areas.view"):
        items += [
            ("areas", _("Areas and grids"), reverse("areas:tree")),
            ("map", _("Grid map"), reverse("areas:map")),
        ]
    if user_can(user, "accounts.manage"):
        items.append(("users", _("Users and roles"), reverse("accounts:user_list")))
    if user_can(user, "audit.view"):
        items.append(("audit", _("Audit log"), reverse("core:audit_log")))
    return {"nav_items": items, "product_name": _("CivicGrid"), "debug": settings.DEBUG}
