"""Reads of the area tree. Every function takes the user and scopes through
``Area.objects.visible_to``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core.scoping import scope_codes


@dataclass
class AreaSummary:
    area: Area
    counts: dict[str, int] = field(default_factory=dict)
    children: list[Area] = field(default_factory=list)


def descendant_counts(area: Area) -> dict[str, int]:
    """Number of descendants per level, e.g. {"community": 30, "grid": 300}."""
    rows = Area.objects.under(area).filter(is_active=True).values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def top_areas_for(user: Any) -> list[Area]:
    """The highest areas the user may see: one per covering role assignment."""
    codes = scope_codes(user)
    return list(Area.objects.filter(code__in=codes).order_by("code"))


def home_overview(user: Any) -> list[AreaSummary]:
    summaries = []
    for area in top_areas_for(user):
        children = list(area.children.filter(is_active=True).order_by("code"))
        summaries.append(AreaSummary(area=area, counts=descendant_counts(area), children=children))
    return summaries


LEVEL_LABELS = dict(AreaLevel.choices)


def search_areas(user: Any, query: str, limit: int = 50) -> list[Area]:
    """Areas the user may see whose name or code contains ``query`` (a name or code fragment)."""
    match = Q(name__icontains=query)
    if query.isdigit():
        match |= Q(code__contains=query)
    return list(Area.objects.visible_to(user).filter(match).select_related("parent").order_by("code")[:limit])


def with_child_counts(areas: Any) -> list[Area]:
    """Annotate ``n_children`` in the same query (inactive children count too: the tree shows them, marked)."""
    qs = areas if hasattr(areas, "annotate") else Area.objects.filter(pk__in=[a.pk for a in areas])
    return list(qs.annotate(n_children=Count("children")).order_by("code"))


def grid_counts_below(areas: list[Area]) -> dict[str, int]:
    """Active grids under each of ``areas`` (siblings: codes of one length), by code, in one query."""
    if not areas:
        return {}
    length = len(areas[0].code)
    parent_prefix = areas[0].code[:-3]
    if any(len(a.code) != length for a in areas):
        raise ValueError("grid_counts_below expects sibling areas")
    rows = (
        Area.objects.grids()
        .filter(is_active=True, code__startswith=parent_prefix)
        .annotate(prefix=Substr("code", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
    )
    counts = {row["prefix"]: row["n"] for row in rows}
    return {a.code: (counts.get(a.code, 0) if a.level != AreaLevel.GRID else 0) for a in areas}


def children_table(user: Any, area: Area) -> list[Area]:
    """The area's visible children for its page, each with ``n_grids`` and ``responsibles``,
    in three queries whatever their number."""
    children = list(Area.objects.visible_to(user).filter(parent=area).order_by("code"))
    grids = grid_counts_below(children)
    for child in children:
        child.n_grids = grids.get(child.code, 0)  # type: ignore[attr-defined]
    return with_responsibles(children)


def breadcrumb(user: Any, area: Area) -> list[tuple[Area, bool]]:
    """Ancestors, district first, each with whether the user may open it."""
    codes = set(scope_codes(user))
    return [(a, any(a.code.startswith(c) for c in codes)) for a in area.ancestors()]


def responsibles_of(areas: list[Area]) -> dict[int, list[Any]]:
    """The 三包 network (active assignments of responsibility roles), by area id, in two queries at most."""
    from django.apps import apps

    assignment_model = apps.get_model("accounts", "RoleAssignment")
    rows = (
        assignment_model.objects.active()
        .filter(area__in=[a.pk for a in areas], role__is_responsibility=True)
        .select_related("user", "role")
        .order_by("role__sort_order", "user__full_name")
    )
    result: dict[int, list[Any]] = {}
    for row in rows:
        result.setdefault(row.area_id, []).append(row)
    return result


def with_responsibles(areas: list[Area]) -> list[Area]:
    by_area = responsibles_of(areas)
    for area in areas:
        area.responsibles = by_area.get(area.pk, [])  # type: ignore[attr-defined]
    return areas


def outline_map_json(area: Area, children: list[Area]) -> str:
    """The small map of an area page: its boundary and its children's, as one FeatureCollection (text)."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": a.name, "code": a.code, "own": a.pk == area.pk},
            "geometry": a.boundary,
        }
        for a in [area, *children]
        if a.boundary
    ]
    if not features:
        return ""
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))


def code_parts(area: Area) -> list[tuple[str, str]]:
    """The code split into its statistical parts, for the detail page."""
    labels = [
        (6, _("County (GB/T 2260)")),
        (9, _("Subdistrict")),
        (12, _("Community")),
        (15, _("Grid sequence")),
    ]
    parts, start = [], 0
    for end, label in labels:
        if len(area.code) >= end:
            parts.append((area.code[start:end], label))
            start = end
    return parts


def community_grids_geojson(user: Any, community: Area) -> dict[str, Any]:
    """The community's grids the user may see, as a FeatureCollection in the upload format."""
    grids = Area.objects.visible_to(user).filter(parent=community, level=AreaLevel.GRID).filter(boundary__isnull=False)
    features = [
        {"type": "Feature", "properties": {"code": g.code, "name": g.name}, "geometry": g.boundary}
        for g in grids.order_by("code")
    ]
    return {"type": "FeatureCollection", "features": features}
