from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import services
from civicgrid.accounts.forms import PasswordResetForm, RoleAssignmentForm, RoleForm, UserCreateForm, UserEditForm
from civicgrid.accounts.models import Role, RoleAssignment, User
from civicgrid.areas.models import Area
from civicgrid.core.permissions import CAPABILITIES
from civicgrid.core.scoping import code_q, scope_codes, user_can


def _require_manager(request: HttpRequest) -> list[str]:
    codes = scope_codes(request.user, "accounts.manage")
    if not codes:
        raise PermissionDenied
    return codes


def _manageable_users(codes: list[str]):  # type: ignore[no-untyped-def]
    in_scope = User.objects.filter(code_q(codes, "role_assignments__area__code"))
    if any(len(c) == 6 for c in codes):  # district managers also see users with no role at all
        in_scope = User.objects.filter(Q(pk__in=in_scope.values("pk")) | Q(role_assignments__isnull=True))
    return User.objects.filter(pk__in=in_scope.values("pk"))


def _visible_user_or_404(request: HttpRequest, pk: int) -> User:
    codes = _require_manager(request)
    user = _manageable_users(codes).filter(pk=pk).first()
    if user is None:
        raise Http404(_("No such user in the areas you manage."))
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    codes = _require_manager(request)
    users = _manageable_users(codes).prefetch_related(
        Prefetch(
            "role_assignments", queryset=RoleAssignment.objects.select_related("role", "area").order_by("area__code")
        )
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q))
    role = request.GET.get("role", "")
    if role:
        users = users.filter(role_assignments__role__code=role)
    area = request.GET.get("area", "").strip()
    if area:
        users = users.filter(role_assignments__area__code__startswith=area)
    status = request.GET.get("status", "active")
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    page = Paginator(users.distinct().order_by("username"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "roles": Role.objects.all(),
        "filters": request.GET,
        "nav_active": "users",
        "status": status,
    }
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                by=request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                role=data["role"],
                area=data["area"],
                title=data["title"],
                work_phone=data["work_phone"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Created the account %(name)s.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "nav_active": "users"})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _visible_user_or_404(request, pk)
    edit_form = UserEditForm(
        request.POST if request.POST.get("form") == "edit" else None,
        initial={
            "full_name": user.full_name,
            "title": user.title,
            "work_phone": user.work_phone,
            "is_active": user.is_active,
        },
    )
    role_form = RoleAssignmentForm(request.POST if request.POST.get("form") == "role" else None, manager=request.user)
    password_form = PasswordResetForm(request.POST if request.POST.get("form") == "password" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "edit" and edit_form.is_valid():
                services.user_update(by=request.user, user=user, **edit_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=user.pk)
            if request.POST.get("form") == "role" and role_form.is_valid():
                services.role_assign(by=request.user, user=user, **role_form.cleaned_data)
                messages.success(request, _("Role added."))
                return redirect("accounts:user_detail", pk=user.pk)
            if request.POST.get("form") == "password" and password_form.is_valid():
                services.user_set_password(by=request.user, user=user, password=password_form.cleaned_data["password"])
                messages.success(request, _("Password reset."))
                return redirect("accounts:user_detail", pk=user.pk)
        except ValidationError as err:
            target = {"edit": edit_form, "role": role_form, "password": password_form}[request.POST["form"]]
            target.add_error(None, err)
    assignments = user.role_assignments.select_related("role", "area").order_by("area__code")
    context = {
        "subject": user,
        "assignments": [(a, user_can(request.user, "accounts.manage", a.area)) for a in assignments],
        "edit_form": edit_form,
        "role_form": role_form,
        "password_form": password_form,
        "nav_active": "users",
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@login_required
def assignment_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "role", "area"), pk=pk)
    if not user_can(request.user, "accounts.manage", assignment.area):
        raise Http404
    try:
        services.role_revoke(by=request.user, assignment=assignment)
        messages.success(request, _("Role removed."))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@login_required
def area_options(request: HttpRequest) -> HttpResponse:
    """Autocomplete for area pickers: only areas inside the manager's scope."""
    codes = _require_manager(request)
    q = request.GET.get("area", "").strip() or request.GET.get("q", "").strip()
    areas = Area.objects.none()
    if q:
        areas = (
            Area.objects.filter(code_q(codes, "code"))
            .filter(Q(name__icontains=q) | Q(code__startswith=q))
            .order_by("code")[:20]
        )
    return render(request, "accounts/_area_options.html", {"areas": areas})


def _require_district_manager(request: HttpRequest) -> None:
    if not any(len(c) == 6 for c in _require_manager(request)):
        raise PermissionDenied


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
