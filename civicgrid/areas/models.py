"""The area tree: 区 → 街道 → 社区 → 网格.

Codes follow the statistical division code (统计用区划代码): a 6-digit
GB/T 2260 county code, +3 digits for the subdistrict, +3 for the community
(12 digits), +3 for the grid (单元网格, 15 digits). A child's code starts with
its parent's code, which is what area scoping relies on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedQuerySet


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = [AreaLevel.DISTRICT, AreaLevel.SUBDISTRICT, AreaLevel.COMMUNITY, AreaLevel.GRID]
CODE_LENGTH = {AreaLevel.DISTRICT: 6, AreaLevel.SUBDISTRICT: 9, AreaLevel.COMMUNITY: 12, AreaLevel.GRID: 15}


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(AreaLevel(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


class AreaQuerySet(ScopedQuerySet):
    area_code_lookup = "code"

    def grids(self) -> AreaQuerySet:
        return self.filter(level=AreaLevel.GRID)

    def under(self, area: Area) -> AreaQuerySet:
        """The area's descendants (not the area itself)."""
        return self.filter(code__startswith=area.code).exclude(pk=area.pk)


class Area(models.Model):
    code = models.CharField(_("code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Boundary as a GeoJSON geometry (Polygon or MultiPolygon), WGS84/CGCS2000
    # longitude/latitude. The bbox columns let queries prefilter without shapely.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    center_lon = models.FloatField(null=True, blank=True)
    center_lat = models.FloatField(null=True, blank=True)
    # A pre-serialised GeoJSON Feature for the map, rebuilt by a job when the
    # boundary changes (see areas.tasks.rebuild_map_features).
    map_feature = models.TextField(blank=True, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            models.Index(fields=["parent", "code"]),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="area_bbox_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.code

    def ancestor_codes(self) -> list[str]:
        """Codes of this area's ancestors, district first (derived from the code)."""
        return [self.code[:n] for n in (6, 9, 12) if n < len(self.code)]

    def ancestors(self) -> list[Area]:
        codes = self.ancestor_codes()
        by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def full_name(self) -> str:
        return " / ".join([*(a.name for a in self.ancestors()), self.name])
