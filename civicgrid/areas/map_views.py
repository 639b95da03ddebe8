"""The grid map: Leaflet page, the GeoJSON of visible grids, the grid card."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render

from civicgrid.areas import selectors
from civicgrid.areas.geometry import build_map_feature, community_colour, to_gcj02_feature
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.areas.views import visible_area_or_404
from civicgrid.core.scoping import scope_codes


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    communities = list(
        Area.objects.visible_to(request.user).filter(level=AreaLevel.COMMUNITY).order_by("code").values("code", "name")
    )
    if not communities:  # a grid worker: the communities of their grids, for the legend
        codes = {c[:12] for c in scope_codes(request.user) if len(c) == 15}
        communities = list(Area.objects.filter(code__in=codes).order_by("code").values("code", "name"))
    all_codes = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code").values_list("code", flat=True))
    for community in communities:
        community["colour"] = community_colour(community["code"], all_codes)
    context = {
        "nav_active": "map",
        "legend": communities[:40],
        "legend_more": max(len(communities) - 40, 0),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "areas/map.html", context)


@login_required
def map_features(request: HttpRequest) -> HttpResponse:
    """A FeatureCollection of the visible grids, joined from cached feature text."""
    areas = Area.objects.visible_to(request.user).filter(level=AreaLevel.GRID, is_active=True)
    community = request.GET.get("community", "").strip()
    if community:
        areas = areas.filter(code__startswith=community)
    stamp = areas.aggregate(n=Count("id"), latest=Max("updated_at"))
    etag = '"{}"'.format(
        hashlib.sha256(
            f"{stamp['n']}|{stamp['latest']}|{'|'.join(scope_codes(request.user))}|{community}|"
            f"{settings.MAP_TILE_CRS}".encode()
        ).hexdigest()[:32]
    )
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    pieces = []
    community_codes: list[str] | None = None
    for area in areas.order_by("code").only("id", "code", "name", "level", "boundary", "map_feature").iterator(2000):
        feature = area.map_feature
        if not feature and area.boundary:
            if community_codes is None:
                community_codes = list(
                    Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code").values_list("code", flat=True)
                )
            feature = build_map_feature(area, community_colour(area.code[:12], community_codes))
        if feature:
            pieces.append(to_gcj02_feature(feature) if settings.MAP_TILE_CRS == "gcj02" else feature)
    body = '{"type":"FeatureCollection","features":[' + ",".join(pieces) + "]}"
    response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def grid_card(request: HttpRequest, code: str) -> HttpResponse:
    area = visible_area_or_404(request.user, code)
    ancestors = {a.level: a for a in area.ancestors()}
    context = {
        "area": area,
        "community": ancestors.get(AreaLevel.COMMUNITY),
        "subdistrict": ancestors.get(AreaLevel.SUBDISTRICT),
        "responsibles": selectors.responsibles_of([area]).get(area.pk, []),
    }
    return render(request, "areas/_grid_card.html", context)
