"""Users and role assignments. Every change is audited; managers can act only
inside their own ``accounts.manage`` scope and never grant more than they hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.models import Area
from civicgrid.core import audit
from civicgrid.core.scoping import forget_grants, grants_for, scope_codes, user_can

USER_FIELDS = ["username", "full_name", "title", "work_phone", "is_active"]


def manager_scope_code(manager: Any) -> str:
    """The widest area code the manager manages: where user-level events are filed."""
    codes = scope_codes(manager, "accounts.manage")
    return min(codes, key=len) if codes else ""


def check_can_grant(*, by: Any, role: Role, area: Area) -> None:
    """Refuse an out-of-scope area or a role with capabilities the manager lacks there."""
    if not user_can(by, "accounts.manage", area):
        raise ValidationError(_("%(area)s is outside the areas you manage.") % {"area": area.name})
    held = set()
    for grant in grants_for(by):
        if area.code.startswith(grant.area_code):
            held |= grant.capabilities
    missing = set(role.capabilities) - held
    if missing:
        raise ValidationError(
            _("You cannot grant the role %(role)s in %(area)s: it has permissions you do not hold there.")
            % {"role": role.name, "area": area.name}
        )


@transaction.atomic
def user_create(*, by: Any, username: str, full_name: str, password: str, role: Role, area: Area, **extra: Any) -> User:
    """A new account always comes with its first role: a user without one could do nothing."""
    check_can_grant(by=by, role=role, area=area)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(name)s is already taken.") % {"name": username})
    user = User(username=username, full_name=full_name.strip(), **extra)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, area=area)
    audit.record(
        action="create",
        object_type="user",
        object_id=user.pk,
        object_repr=f"{user.full_name} ({user.username})",
        area_code=area.code,
        changes={
            "username": [None, user.username],
            "full_name": [None, user.full_name],
            "role": [None, f"{role.name}@{area.code}"],
        },
        actor=by,
    )
    return user


def manageable_user(*, by: Any, user: User) -> bool:
    """A manager may edit a user who holds a role inside their scope, or (district level) one with none."""
    codes = scope_codes(by, "accounts.manage")
    if not codes:
        return False
    areas = list(user.role_assignments.values_list("area__code", flat=True))
    if not areas:
        return any(len(c) == 6 for c in codes)
    return any(a.startswith(c) for a in areas for c in codes)


@transaction.atomic
def user_update(*, by: Any, user: User, **fields: Any) -> User:
    if not manageable_user(by=by, user=user):
        raise ValidationError(_("This user is outside the areas you manage."))
    before = audit.snapshot(user, USER_FIELDS)
    for key, value in fields.items():
        if key not in USER_FIELDS or key == "username":
            raise ValueError(f"not editable: {key}")
        setattr(user, key, value)
    if user.pk == getattr(by, "pk", None) and fields.get("is_active") is False:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.save()
    audit.record(
        action="update",
        object_type="user",
        object_id=user.pk,
        object_repr=f"{user.full_name} ({user.username})",
        area_code=manager_scope_code(by),
        changes=audit.diff(before, audit.snapshot(user, USER_FIELDS)),
        actor=by,
    )
    return user


@transaction.atomic
def user_set_password(*, by: Any, user: User, password: str) -> None:
    if not manageable_user(by=by, user=user):
        raise ValidationError(_("This user is outside the areas you manage."))
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        action="update",
        object_type="user",
        object_id=user.pk,
        object_repr=f"{user.full_name} ({user.username})",
        area_code=manager_scope_code(by),
        changes={"password": ["***", "*** (reset)"]},
        actor=by,
    )


@transaction.atomic
def role_assign(
    *,
    by: Any,
    user: User,
    role: Role,
    area: Area,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> RoleAssignment:
    check_can_grant(by=by, role=role, area=area)
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(_("The end date is before the start date."))
    if RoleAssignment.objects.filter(user=user, role=role, area=area).exists():
        raise ValidationError(
            _("%(user)s already holds %(role)s in %(area)s.") % {"user": user, "role": role.name, "area": area.name}
        )
    assignment = RoleAssignment.objects.create(
        user=user, role=role, area=area, valid_from=valid_from, valid_until=valid_until
    )
    audit.record(
        action="create",
        object_type="role_assignment",
        object_id=assignment.pk,
        object_repr=f"{user.full_name}: {role.name} @ {area.name}",
        area_code=area.code,
        changes={
            "user": [None, user.username],
            "role": [None, role.code],
            "area": [None, area.code],
            "valid_from": [None, valid_from],
            "valid_until": [None, valid_until],
        },
        actor=by,
    )
    forget_grants(user)
    return assignment


@transaction.atomic
def role_revoke(*, by: Any, assignment: RoleAssignment) -> None:
    if not user_can(by, "accounts.manage", assignment.area):
        raise ValidationError(_("%(area)s is outside the areas you manage.") % {"area": assignment.area.name})
    if assignment.user_id == getattr(by, "pk", None) and "accounts.manage" in assignment.role.capabilities:
        raise ValidationError(_("You cannot remove your own administrator role."))
    audit.record(
        action="delete",
        object_type="role_assignment",
        object_id=assignment.pk,
        object_repr=f"{assignment.user.full_name}: {assignment.role.name} @ {assignment.area.name}",
        area_code=assignment.area.code,
        changes={
            "user": [assignment.user.username, None],
            "role": [assignment.role.code, None],
            "area": [assignment.area.code, None],
        },
        actor=by,
    )
    assignment.delete()
    forget_grants(assignment.user)


@transaction.atomic
def role_update(*, by: Any, role: Role, name: str, description: str, capabilities: list[str]) -> Role:
    """Change what a role may do: district-level administrators only."""
    if not any(len(c) == 6 for c in scope_codes(by, "accounts.manage")):
        raise ValidationError(_("Only district administrators can change roles."))
    fields = ["name", "description", "capabilities"]
    before = audit.snapshot(role, fields)
    role.name, role.description, role.capabilities = name.strip(), description.strip(), sorted(set(capabilities))
    role.save()
    audit.record(
        action="update",
        object_type="role",
        object_id=role.pk,
        object_repr=role.name,
        area_code=manager_scope_code(by),
        changes=audit.diff(before, audit.snapshot(role, fields)),
        actor=by,
    )
    return role
