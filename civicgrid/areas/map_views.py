"""The grid map: the Leaflet page, the GeoJSON of the visible grids, the grid card.

The features endpoint joins the pre-serialised ``Area.map_feature`` texts
instead of re-encoding geometry, so a 4,000-grid district answers in one
query; an ETag lets the browser revalidate without downloading it again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicgrid.areas import selectors
from civicgrid.areas.geometry import build_map_feature, community_colour, to_gcj02_feature
from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core.scoping import scope_codes

LEGEND_LIMIT = 40
FEATURE_LEVELS = {"grid": AreaLevel.GRID, "community": AreaLevel.COMMUNITY}


def _community_codes() -> list[str]:
    """All community codes in order: the colour of a community is its index here (as in the cache)."""
    return list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code").values_list("code", flat=True))


def _legend(user: Any) -> list[dict[str, str]]:
    """The communities whose grids the user sees, with their map colour."""
    visible = Area.objects.visible_to(user)
    # A grid worker cannot open the community itself, but its grids are coloured by it.
    codes = {c[:12] for c in scope_codes(user) if len(c) >= 12}
    communities = list(
        (visible.filter(level=AreaLevel.COMMUNITY) | Area.objects.filter(code__in=codes, level=AreaLevel.COMMUNITY))
        .order_by("code")
        .values("code", "name")
    )
    ordered = _community_codes()
    for community in communities:
        community["colour"] = community_colour(community["code"], ordered)
    return communities


@login_required
@require_GET
def grid_map(request: HttpRequest) -> HttpResponse:
    legend = _legend(request.user)
    context = {
        "nav_active": "map",
        "legend": legend[:LEGEND_LIMIT],
        "legend_more": max(len(legend) - LEGEND_LIMIT, 0),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # 天地图 serves t0…t7: set MAP_TILE_SUBDOMAINS = "01234567" for it.
        "tile_subdomains": getattr(settings, "MAP_TILE_SUBDOMAINS", "abc"),
    }
    return render(request, "areas/map.html", context)


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})


def _etag(user: Any, stamp: dict[str, Any], *parts: str) -> str:
    """Changes when a visible area is added, removed, edited or re-cached, or the user's scope changes.

    The summed feature length catches a cache rebuilt by the job, which does
    not touch ``updated_at``.
    """
    key = "|".join(
        [
            str(stamp["n"]),
            str(stamp["latest"]),
            str(stamp["size"] or 0),
            ",".join(scope_codes(user)),
            settings.MAP_TILE_CRS,
            *parts,
        ]
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


@login_required
@require_GET
def map_features(request: HttpRequest) -> HttpResponse:
    """A GeoJSON FeatureCollection of the visible grids (or communities with ``?level=community``)."""
    level = request.GET.get("level", "").strip() or "grid"
    if level not in FEATURE_LEVELS:
        return _bad_request(_('Unknown level "%(level)s": use "grid" or "community".') % {"level": level})
    community = request.GET.get("community", "").strip()
    if community and not (community.isdigit() and len(community) <= 12):
        return _bad_request(
            _('"%(code)s" is not a community code: give the 12-digit code, for example 320508001001.')
            % {"code": community}
        )

    areas = Area.objects.visible_to(request.user).filter(level=FEATURE_LEVELS[level], is_active=True)
    if community:
        areas = areas.filter(code__startswith=community)
    stamp = areas.aggregate(n=Count("id"), latest=Max("updated_at"), size=Sum(Length("map_feature")))
    etag = _etag(request.user, stamp, level, community)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return HttpResponseNotModified(headers=headers)

    pieces = list(areas.order_by("code").values_list("map_feature", flat=True))
    if "" in pieces:  # not cached yet: build those on the fly, in one more query
        ordered = _community_codes()
        uncached = areas.filter(map_feature="").exclude(boundary=None).order_by("code")
        pieces = [text for text in pieces if text] + [
            build_map_feature(area, community_colour(area.code[:12], ordered))
            for area in uncached.only("id", "code", "name", "level", "boundary")
        ]
    if settings.MAP_TILE_CRS == "gcj02":  # display-only shift for GCJ-02 tiles; stored data stays WGS84
        pieces = [to_gcj02_feature(text) for text in pieces]
    body = '{"type":"FeatureCollection","features":[' + ",".join(pieces) + "]}"
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8", headers=headers)


def grid_card_counts(area: Area) -> list[tuple[str, int]]:
    """Headline counts on the card, as (label, number): residents, dwellings, open cases.

    Read through the app registry: areas sits below the registry and case apps.
    """
    from django.apps import apps

    person = apps.get_model("people", "Person")
    dwelling = apps.get_model("places", "Dwelling")
    case = apps.get_model("cases", "Case")
    from civicgrid.cases.workflow import OPEN_STATES

    return [
        (_("Residents"), person.objects.filter(area=area, status="active").count()),
        (_("Dwellings"), dwelling.objects.filter(area=area, is_active=True).count()),
        (_("Open cases"), case.objects.filter(area=area, state__in=OPEN_STATES).count()),
    ]


def _detail_url(code: str) -> str:
    try:
        return reverse("areas:detail", args=[code])
    except NoReverseMatch:
        return f"/areas/{code}/"


@login_required
@require_GET
def grid_card(request: HttpRequest, code: str) -> HttpResponse:
    """The small HTML card shown in the map popup; 404 outside the user's areas."""
    area = Area.objects.visible_to(request.user).filter(code=code).first()
    if area is None:
        raise Http404(_("No such area, or it is outside your areas."))
    ancestors = {a.level: a for a in area.ancestors()}
    context = {
        "area": area,
        "community": ancestors.get(AreaLevel.COMMUNITY),
        "subdistrict": ancestors.get(AreaLevel.SUBDISTRICT),
        "responsibles": selectors.responsibles_of([area]).get(area.pk, []),
        "counts": grid_card_counts(area),
        "detail_url": _detail_url(area.code),
    }
    return render(request, "areas/grid_card.html", context)
