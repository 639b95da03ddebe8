"""Users and role assignments. Every change is audited in the same transaction;
managers act only inside their own ``accounts.manage`` scope and never grant
more than they hold.

Two guards, both raising a Chinese ``ValidationError`` and changing nothing:

- *scope*: the area of a role granted or removed lies inside the manager's scope;
- *escalation*: a manager grants a role only if they hold each of its
  capabilities in that area, and may change an account (password, status,
  details) only if they could have granted every role it holds — otherwise a
  street manager could reset a district administrator's password and log in
  as them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.accounts.selectors import DISTRICT_CODE_LENGTH, is_district_manager, manage_codes
from civicgrid.areas.models import Area
from civicgrid.core import audit
from civicgrid.core.permissions import is_capability
from civicgrid.core.scoping import forget_grants, grants_for, user_can

USER_FIELDS = ["username", "full_name", "title", "work_phone", "is_active"]
EDITABLE_USER_FIELDS = {"full_name", "title", "work_phone"}
ROLE_FIELDS = ["name", "description", "capabilities"]


def manager_scope_code(manager: Any) -> str:
    """The widest area code the manager manages: where user-level events are filed."""
    codes = manage_codes(manager)
    return min(codes, key=len) if codes else ""


def _user_repr(user: User) -> str:
    return f"{user.full_name} ({user.username})"


def capabilities_held_in(user: Any, area: Area) -> set[str]:
    """Every capability ``user`` holds in ``area`` through any of their active roles."""
    held: set[str] = set()
    for grant in grants_for(user):
        if area.code.startswith(grant.area_code):
            held |= grant.capabilities
    return held


def check_can_grant(*, by: Any, role: Role | None, area: Area | None) -> None:
    """Refuse a missing role or area, an out-of-scope or closed area, or a role
    with capabilities the manager lacks there."""
    if role is None or area is None:
        raise ValidationError(_("Every user needs a role in an area: choose both a role and an area."))
    if not user_can(by, "accounts.manage", area):
        raise ValidationError(_("%(area)s is outside the areas you manage.") % {"area": area.name})
    if not area.is_active:
        raise ValidationError(_("%(area)s has been closed; choose an area that is still in use.") % {"area": area.name})
    if set(role.capabilities) - capabilities_held_in(by, area):
        raise ValidationError(
            _("You cannot grant the role %(role)s in %(area)s: it has permissions you do not hold there.")
            % {"role": role.name, "area": area.name}
        )


def check_can_change_account(*, by: Any, user: User) -> None:
    """A manager may change an account only if every role it holds is one they could grant.

    Accounts with no role at all belong to district-level managers only."""
    if not manage_codes(by):
        raise ValidationError(_("This user is outside the areas you manage."))
    assignments = list(user.role_assignments.select_related("role", "area"))
    if not assignments:
        if not is_district_manager(by):
            raise ValidationError(_("This user is outside the areas you manage."))
        return
    for assignment in assignments:
        if not user_can(by, "accounts.manage", assignment.area) or set(
            assignment.role.capabilities
        ) - capabilities_held_in(by, assignment.area):
            raise ValidationError(
                _(
                    "%(user)s also holds %(role)s in %(area)s, which you do not manage: "
                    "ask a district administrator to change this account."
                )
                % {"user": user.full_name, "role": assignment.role.name, "area": assignment.area.name}
            )


@transaction.atomic
def user_create(
    *,
    by: Any,
    username: str,
    full_name: str,
    password: str,
    role: Role | None,
    area: Area | None,
    title: str = "",
    work_phone: str = "",
) -> User:
    """A new account always comes with its first role: a user without one could do nothing."""
    check_can_grant(by=by, role=role, area=area)
    assert role is not None and area is not None  # checked above; for the type checker
    username = username.strip()
    full_name = full_name.strip()
    if not username or not full_name:
        raise ValidationError(_("Enter both the full name and the username."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(name)s is already taken; choose another one.") % {"name": username})
    user = User(username=username, full_name=full_name, title=title.strip(), work_phone=work_phone.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, area=area)
    audit.record(
        action="create",
        object_type="user",
        object_id=user.pk,
        object_repr=_user_repr(user),
        area_code=area.code,
        changes={
            **audit.diff({}, audit.snapshot(user, USER_FIELDS)),
            "role": [None, f"{role.name} @ {area.name} ({area.code})"],
        },
        actor=by,
    )
    return user


@transaction.atomic
def user_update(*, by: Any, user: User, full_name: str, title: str = "", work_phone: str = "") -> User:
    """Change an account's details (the username never changes: the audit log refers to it)."""
    check_can_change_account(by=by, user=user)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError(_("Enter the full name."))
    before = audit.snapshot(user, USER_FIELDS)
    user.full_name, user.title, user.work_phone = full_name, title.strip(), work_phone.strip()
    changes = audit.diff(before, audit.snapshot(user, USER_FIELDS))
    if not changes:
        return user
    user.save(update_fields=["full_name", "title", "work_phone"])
    audit.record(
        action="update",
        object_type="user",
        object_id=user.pk,
        object_repr=_user_repr(user),
        area_code=manager_scope_code(by),
        changes=changes,
        actor=by,
    )
    return user


@transaction.atomic
def user_set_active(*, by: Any, user: User, active: bool, reason: str = "") -> User:
    """Deactivate or reactivate an account. A deactivated user's sessions and API
    tokens stop working at their next request (both check ``is_active``)."""
    check_can_change_account(by=by, user=user)
    if not active and user.pk == getattr(by, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    before = audit.snapshot(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        action="update",
        object_type="user",
        object_id=user.pk,
        object_repr=_user_repr(user),
        area_code=manager_scope_code(by),
        changes=audit.diff(before, audit.snapshot(user, USER_FIELDS)),
        reason=reason,
        actor=by,
    )
    forget_grants(user)
    return user


@transaction.atomic
def user_set_password(*, by: Any, user: User, password: str) -> None:
    """Reset a password. The audit entry says that it changed, never what to."""
    check_can_change_account(by=by, user=user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        action="update",
        object_type="user",
        object_id=user.pk,
        object_repr=_user_repr(user),
        area_code=manager_scope_code(by),
        changes={"password": ["***", "*** (reset)"]},
        actor=by,
    )


@transaction.atomic
def role_assign(
    *,
    by: Any,
    user: User,
    role: Role | None,
    area: Area | None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> RoleAssignment:
    check_can_grant(by=by, role=role, area=area)
    assert role is not None and area is not None
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(_("The end date is before the start date; correct one of them."))
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
        raise ValidationError(_("You cannot remove your own administrator role; ask another administrator to do it."))
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
            "valid_from": [assignment.valid_from, None],
            "valid_until": [assignment.valid_until, None],
        },
        actor=by,
    )
    assignment.delete()
    forget_grants(assignment.user)


@transaction.atomic
def role_update(*, by: Any, role: Role, name: str, description: str, capabilities: list[str]) -> Role:
    """Change what a role may do: district-level administrators only, and only
    with capabilities they hold themselves."""
    if not is_district_manager(by):
        raise ValidationError(_("Only district administrators can change roles."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter the role's name."))
    if Role.objects.filter(name=name).exclude(pk=role.pk).exists():
        raise ValidationError(_("Another role is already called %(name)s; choose another name.") % {"name": name})
    unknown = sorted(c for c in capabilities if not is_capability(c))
    if unknown:
        raise ValidationError(_("Unknown permissions: %(codes)s.") % {"codes": ", ".join(unknown)})
    held: set[str] = set()
    for grant in grants_for(by):
        if len(grant.area_code) == DISTRICT_CODE_LENGTH:
            held |= grant.capabilities
    added = set(capabilities) - set(role.capabilities)
    if added - held:
        raise ValidationError(_("You cannot add permissions to a role that you do not hold yourself."))
    before = audit.snapshot(role, ROLE_FIELDS)
    role.name, role.description, role.capabilities = name, description.strip(), sorted(set(capabilities))
    role.save(update_fields=ROLE_FIELDS)
    audit.record(
        action="update",
        object_type="role",
        object_id=role.pk,
        object_repr=role.name,
        area_code=manager_scope_code(by),
        changes=audit.diff(before, audit.snapshot(role, ROLE_FIELDS)),
        actor=by,
    )
    return role
