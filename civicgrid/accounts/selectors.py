"""Reads for user management, all scoped to the manager's ``accounts.manage`` areas.

A manager sees a user who holds at least one role inside their scope; users
with no role at all are visible only to district-level managers (deny by
default: an orphan account belongs to nobody's area).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from civicgrid.accounts.models import RoleAssignment, User
from civicgrid.areas.models import Area
from civicgrid.core.scoping import code_q, scope_codes

DISTRICT_CODE_LENGTH = 6


def manage_codes(manager: Any) -> list[str]:
    return scope_codes(manager, "accounts.manage")


def is_district_manager(manager: Any) -> bool:
    return any(len(code) == DISTRICT_CODE_LENGTH for code in manage_codes(manager))


def manageable_users(manager: Any) -> QuerySet[User]:
    """Users the manager may see (see the module docstring)."""
    codes = manage_codes(manager)
    if not codes:
        return User.objects.none()
    in_scope = RoleAssignment.objects.filter(code_q(codes, "area__code")).values("user_id")
    visible = Q(pk__in=in_scope)
    if is_district_manager(manager):
        visible |= Q(role_assignments__isnull=True)
    return User.objects.filter(visible).distinct()


def assignments_in_scope(manager: Any) -> QuerySet[RoleAssignment]:
    """Role assignments inside the manager's scope: what the manager may read and revoke."""
    return RoleAssignment.objects.visible_to(manager, "accounts.manage").select_related("role", "area")


def user_list(*, manager: Any, filters: Mapping[str, str]) -> QuerySet[User]:
    """The user list with its filters; roles shown are only those inside the manager's scope."""
    users = manageable_users(manager)
    q = (filters.get("q") or "").strip()
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    # Role and area filter the same assignment ("grid worker in 320508001"), so one filter() call.
    assignment_filter: dict[str, str] = {}
    if filters.get("role"):
        assignment_filter["role_assignments__role__code"] = filters["role"]
    area = (filters.get("area") or "").strip()
    if area:
        assignment_filter["role_assignments__area__code__startswith"] = area
    if assignment_filter:
        users = users.filter(**assignment_filter)
    status = filters.get("status") or "active"
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    return users.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=assignments_in_scope(manager).order_by("area__code", "role__sort_order"),
            to_attr="scoped_assignments",
        )
    ).order_by("username")


def user_assignments(*, manager: Any, user: User) -> tuple[list[RoleAssignment], int]:
    """The user's assignments inside the manager's scope, and how many others exist elsewhere."""
    rows = list(user.role_assignments.select_related("role", "area").order_by("area__code", "role__sort_order"))
    codes = manage_codes(manager)
    inside = [a for a in rows if any(a.area.code.startswith(c) for c in codes)]
    return inside, len(rows) - len(inside)


def areas_for_picker(*, manager: Any, term: str, limit: int = 20) -> QuerySet[Area]:
    """Autocomplete: active areas inside the manager's scope matching a name or code fragment."""
    term = term.strip().split(" ")[0] if term.strip() else ""
    if not term:
        return Area.objects.none()
    return (
        Area.objects.visible_to(manager, "accounts.manage")
        .filter(is_active=True)
        .filter(Q(name__icontains=term) | Q(code__startswith=term))
        .order_by("code")[:limit]
    )
