"""Reads of the area tree. Every function takes the user and scopes through
``Area.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

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
