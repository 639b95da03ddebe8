"""Area scoping: the one place that decides what a user may see and do.

A user holds roles in areas (accounts.RoleAssignment). An assignment in an
area covers that area and everything below it. Area codes are hierarchical
(district 6 digits, subdistrict 9, community 12, grid 15 — each starts with
its parent's code), so "below" is a code prefix and needs no recursive query.

Scoping is denied by default: a user with no active assignment sees nothing,
and a model that belongs to a place must say which field holds its area.
Every page, API endpoint, export, report and job filters through
``ScopedQuerySet.visible_to`` or ``user_can``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from civicgrid.accounts.models import User


@dataclass(frozen=True)
class Grant:
    """One active role assignment, reduced to what scoping needs."""

    area_id: int
    area_code: str
    role_code: str
    capabilities: frozenset[str]


def grants_for(user: User | AnonymousUser | None) -> list[Grant]:
    """The user's active grants, cached on the user object for one request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_civicgrid_grants", None)
    if cached is not None:
        return cached
    grants = [
        Grant(
            area_id=a.area_id,
            area_code=a.area.code,
            role_code=a.role.code,
            capabilities=frozenset(a.role.capabilities),
        )
        for a in user.role_assignments.active().select_related("area", "role")  # type: ignore[union-attr]
    ]
    user._civicgrid_grants = grants  # type: ignore[union-attr]
    return grants


def forget_grants(user: Any) -> None:
    """Drop the per-request cache after assignments change."""
    if hasattr(user, "_civicgrid_grants"):
        del user._civicgrid_grants


def _covering_codes(codes: list[str]) -> list[str]:
    """Drop codes already covered by a shorter prefix in the list."""
    kept: list[str] = []
    for code in sorted(set(codes), key=len):
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return kept


def scope_codes(user: Any, capability: str = "areas.view") -> list[str]:
    """Area-code prefixes under which the user holds ``capability``."""
    return _covering_codes([g.area_code for g in grants_for(user) if capability in g.capabilities])


def code_q(codes: list[str], field: str) -> Q:
    """A filter matching rows whose ``field`` (an area code) lies under any of ``codes``."""
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(**{f"{field}__startswith": code})
    return q


def user_can(user: Any, capability: str, area: Any | None = None) -> bool:
    """Whether the user holds ``capability`` in ``area`` (or anywhere, if None)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    codes = scope_codes(user, capability)
    if area is None:
        return bool(codes)
    return any(area.code.startswith(code) for code in codes)


class ScopedQuerySet(models.QuerySet):
    """Base queryset for every model that belongs to a place.

    Subclasses set ``area_code_lookup``: the lookup path from the model to an
    area code, e.g. ``"area__code"`` for a row with an ``area`` foreign key,
    or ``"code"`` for ``Area`` itself.
    """

    area_code_lookup: str = "area__code"

    def visible_to(self, user: Any, capability: str = "areas.view") -> ScopedQuerySet:
        codes = scope_codes(user, capability)
        if not codes:
            return self.none()
        return self.filter(code_q(codes, self.area_code_lookup))


def holders_of(capability: str, area: Any) -> list[Any]:
    """Active users holding ``capability`` through a role assigned exactly in ``area``
    (who to notify about work there). Filtered in Python: JSON containment differs by database."""
    from civicgrid.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.active().filter(area=area).select_related("user", "role")
    return list({r.user_id: r.user for r in rows if capability in r.role.capabilities}.values())
