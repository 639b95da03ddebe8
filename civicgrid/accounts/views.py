from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicgrid.core.scoping import user_can


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "accounts.manage"):
        raise PermissionDenied
    return render(request, "accounts/user_list.html", {"nav_active": "users"})
