"""Reads of the area tree. Every function takes the user and scopes through
``Area.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
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
    """Areas the user may see whose name or code contains ``query``."""
    return list(
        Area.objects.visible_to(user)
        .filter(Q(name__icontains=query) | Q(code__startswith=query))
        .select_related("parent")
        .order_by("code")[:limit]
    )


def with_child_counts(areas: Any) -> list[Area]:
    """Annotate ``n_children`` (active children) in the same query."""
    qs = areas if hasattr(areas, "annotate") else Area.objects.filter(pk__in=[a.pk for a in areas])
    return list(qs.annotate(n_children=Count("children", filter=Q(children__is_active=True))).order_by("code"))


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
