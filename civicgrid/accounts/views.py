"""User and role management pages. Scope: ``accounts.manage`` (missing → 403,
a user or assignment outside the manager's areas → 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import selectors, services
from civicgrid.accounts.forms import PasswordResetForm, RoleAssignmentForm, RoleForm, UserCreateForm, UserEditForm
from civicgrid.accounts.models import Role, User
from civicgrid.core.permissions import CAPABILITIES

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    if not selectors.manage_codes(request.user):
        raise PermissionDenied


def _require_district_manager(request: HttpRequest) -> None:
    _require_manager(request)
    if not selectors.is_district_manager(request.user):
        raise PermissionDenied


def _visible_user_or_404(request: HttpRequest, pk: int) -> User:
    _require_manager(request)
    user = selectors.manageable_users(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404(_("No such user in the areas you manage."))
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    users = selectors.user_list(manager=request.user, filters=request.GET)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "roles": Role.objects.all(),
        "filters": request.GET,
        "status": request.GET.get("status") or "active",
        "can_edit_roles": selectors.is_district_manager(request.user),
        "nav_active": "users",
    }
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(by=request.user, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Created the account %(name)s.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "nav_active": "users"})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its roles in areas, its details, its password. Each form posts
    a hidden ``form`` name so one page carries the three actions."""
    user = _visible_user_or_404(request, pk)
    posted = request.POST.get("form") if request.method == "POST" else None
    edit_form = UserEditForm(
        request.POST if posted == "edit" else None,
        initial={"full_name": user.full_name, "title": user.title, "work_phone": user.work_phone},
    )
    role_form = RoleAssignmentForm(request.POST if posted == "role" else None, manager=request.user)
    password_form = PasswordResetForm(request.POST if posted == "password" else None)
    forms = {"edit": edit_form, "role": role_form, "password": password_form}
    if posted in forms and forms[posted].is_valid():
        data = forms[posted].cleaned_data
        try:
            if posted == "edit":
                services.user_update(by=request.user, user=user, **data)
                messages.success(request, _("Saved."))
            elif posted == "role":
                services.role_assign(by=request.user, user=user, **data)
                messages.success(request, _("Role added."))
            else:
                services.user_set_password(by=request.user, user=user, password=data["password"])
                if user.pk == request.user.pk:  # keep the manager's own session after resetting their password
                    update_session_auth_hash(request, user)
                messages.success(request, _("Password reset."))
        except ValidationError as err:
            forms[posted].add_error(None, err)
        else:
            return redirect("accounts:user_detail", pk=user.pk)
    assignments, elsewhere = selectors.user_assignments(manager=request.user, user=user)
    try:
        services.check_can_change_account(by=request.user, user=user)
        account_locked_reason = ""
    except ValidationError as err:
        account_locked_reason = " ".join(err.messages)
    context = {
        "subject": user,
        "assignments": assignments,
        "elsewhere": elsewhere,
        "account_locked_reason": account_locked_reason,
        "is_self": user.pk == request.user.pk,
        "edit_form": edit_form,
        "role_form": role_form,
        "password_form": password_form,
        "nav_active": "users",
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@login_required
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _visible_user_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(by=request.user, user=user, active=active)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@login_required
def assignment_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    assignment = get_object_or_404(selectors.assignments_in_scope(request.user).select_related("user"), pk=pk)
    try:
        services.role_revoke(by=request.user, assignment=assignment)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@login_required
def area_options(request: HttpRequest) -> HttpResponse:
    """Autocomplete for area pickers: only areas inside the manager's scope."""
    _require_manager(request)
    term = request.GET.get("area", "") or request.GET.get("q", "")
    areas = selectors.areas_for_picker(manager=request.user, term=term)
    return render(request, "accounts/_area_options.html", {"areas": areas})


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    _require_district_manager(request)
    roles = [(r, [CAPABILITIES.get(c, c) for c in r.capabilities]) for r in Role.objects.all()]
    return render(request, "accounts/role_list.html", {"roles": roles, "nav_active": "users"})


@login_required
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_district_manager(request)
    role = get_object_or_404(Role, pk=pk)
    form = RoleForm(
        request.POST or None,
        initial={"name": role.name, "description": role.description, "capabilities": role.capabilities},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(by=request.user, role=role, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:role_list")
    return render(request, "accounts/role_edit.html", {"role": role, "form": form, "nav_active": "users"})
