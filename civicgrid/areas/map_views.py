"""The grid map: Leaflet page, the GeoJSON of visible grids, the grid card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    return render(request, "areas/map.html", {"nav_active": "map"})
