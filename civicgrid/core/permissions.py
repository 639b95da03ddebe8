"""The capabilities a role can grant, declared in one place.

A role (accounts.Role) is a named set of these codes; a user holds roles *in*
areas, so every capability is checked against an area (see core.scoping).
Later apps add their capabilities here, next to their neighbours, so an admin
editing a role sees the whole list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CAPABILITIES: dict[str, object] = {
    "areas.view": _("View areas, grids and the map"),
    "areas.change": _("Edit areas and grid boundaries"),
    "accounts.manage": _("Manage users and role assignments"),
    "audit.view": _("View the audit log"),
    "jobs.view": _("View background jobs"),
    "personal.unmask": _("See unmasked ID numbers and phone numbers"),
    "people.view": _("View the registry of people, dwellings and organizations"),
    "people.change": _("Edit the registry"),
    "people.sensitive": _("See sensitive key-group tags (community correction, drug use, mental illness…)"),
    "people.import": _("Import registry ledgers from Excel"),
    "people.export": _("Export registry lists to Excel"),
    "cases.view": _("View cases"),
    "cases.report": _("Report problems as a grid worker"),
    "cases.accept": _("Accept, reject and merge reports"),
    "cases.dispatch": _("Dispatch cases"),
    "cases.handle": _("Handle dispatched cases"),
    "cases.verify": _("Verify reports and check handled cases on site"),
    "cases.approve": _("Approve suspensions and extensions"),
    "cases.supervise": _("Put cases under supervision (督办)"),
    "cases.configure": _("Configure case categories and their time limits"),
}


def capability_choices() -> list[tuple[str, object]]:
    return list(CAPABILITIES.items())


def is_capability(code: str) -> bool:
    return code in CAPABILITIES
