from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicgrid.areas.selectors import home_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own areas, their children and headline counts."""
    return render(request, "areas/home.html", {"overview": home_overview(request.user), "nav_active": "home"})


@login_required
def area_tree(request: HttpRequest) -> HttpResponse:
    return render(request, "areas/tree.html", {"nav_active": "areas"})
