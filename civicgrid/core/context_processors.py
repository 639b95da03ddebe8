from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.core.scoping import user_can

# Registry entries of the sidebar: (key, label, url name, capability).
REGISTRY_NAV = [
    ("cases", gettext_lazy("Cases"), "cases:inbox", "cases.view"),
    ("case_dashboard", gettext_lazy("Case statistics"), "cases:dashboard", "cases.view"),
    ("people", gettext_lazy("People"), "people:person_list", "people.view"),
    ("households", gettext_lazy("Households"), "people:household_list", "people.view"),
    ("places", gettext_lazy("Buildings and dwellings"), "places:dwelling_list", "people.view"),
    ("organizations", gettext_lazy("Organizations"), "places:organization_list", "people.view"),
    ("facilities", gettext_lazy("Facilities"), "places:facility_list", "people.view"),
    ("imports", gettext_lazy("Excel imports"), "people:import_list", "people.import"),
]


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
    for key, label, url_name, capability in REGISTRY_NAV:
        if user_can(user, capability):
            with contextlib.suppress(NoReverseMatch):  # a registry page not built yet
                items.append((key, label, reverse(url_name)))
    if user_can(user, "accounts.manage"):
        items.append(("users", _("Users and roles"), reverse("accounts:user_list")))
    if user_can(user, "audit.view"):
        items.append(("audit", _("Audit log"), reverse("core:audit_log")))
    from civicgrid.core.notifications import unread_count

    return {
        "nav_items": items,
        "product_name": _("CivicGrid"),
        "debug": settings.DEBUG,
        "unread_messages": unread_count(user),
    }
