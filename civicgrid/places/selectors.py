"""Reads for the places pages and API. Every read starts from ``visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core.scoping import scope_codes
from civicgrid.places.models import Building, Dwelling, DwellingUse, Facility, GridAssignmentRun, Organization

VIEW = "people.view"
EXPIRING_DAYS = 30
MAP_CAP = 2000  # points per layer in one map response


@dataclass
class PlaceFilters:
    grid: str = ""
    q: str = ""
    use: str = ""
    estate: str = ""
    kind: str = ""
    status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> PlaceFilters:
        return cls(**{k: (params.get(k) or "").strip()[:100] for k in cls.__dataclass_fields__})


def grid_options(user: Any, capability: str = VIEW, limit: int = 1000) -> list[Area]:
    """Communities and grids the user may filter by (or save into)."""
    levels = [AreaLevel.GRID] if capability != VIEW else [AreaLevel.COMMUNITY, AreaLevel.GRID]
    return list(
        Area.objects.visible_to(user, capability)
        .filter(level__in=levels, is_active=True)
        .only("id", "code", "name", "level")
        .order_by("code")[:limit]
    )


def _area_filter(qs: QuerySet, code: str) -> QuerySet:
    return qs.filter(area__code__startswith=code) if code.isdigit() else qs


def _residents_count() -> Subquery:
    from civicgrid.people.models import Person

    counted = (
        Person.objects.filter(dwelling=OuterRef("pk"), status="active")
        .order_by()
        .values("dwelling")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def dwellings(user: Any, filters: PlaceFilters) -> QuerySet[Dwelling]:
    qs = Dwelling.objects.visible_to(user, VIEW).select_related("area", "building")
    qs = _area_filter(qs, filters.grid)
    if filters.use in DwellingUse.values:
        qs = qs.filter(use=filters.use)
    if filters.estate:
        qs = qs.filter(estate__icontains=filters.estate)
    if filters.q:
        qs = qs.filter(address__icontains=filters.q)
    return qs.annotate(n_residents=_residents_count()).order_by("address", "pk")


def dwelling_for(user: Any, pk: int) -> Dwelling | None:
    return Dwelling.objects.visible_to(user, VIEW).select_related("area", "building").filter(pk=pk).first()


def dwelling_residents(user: Any, dwelling: Dwelling) -> list[Any]:
    from civicgrid.people.models import Person

    visible = Person.objects.visible_to(user, VIEW)
    return list(
        visible.filter(pk__in=dwelling.residents.values("pk"))
        .select_related("household")
        .order_by("household_id", "name", "pk")
    )


def dwelling_households(user: Any, dwelling: Dwelling) -> list[Any]:
    from civicgrid.people.models import Household

    return list(Household.objects.visible_to(user, VIEW).filter(dwelling=dwelling).select_related("head"))


def rentals_with_tenants(qs: QuerySet) -> QuerySet:
    from civicgrid.people.models import Person

    return qs.select_related("landlord", "dwelling", "dwelling__area").prefetch_related(
        Prefetch("tenants", queryset=Person.objects.order_by("name", "pk"))
    )


def expiring(contract: Any, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(contract.ends_on and today <= contract.ends_on <= today + dt.timedelta(days=EXPIRING_DAYS))


def dwelling_rentals(user: Any, dwelling: Dwelling) -> list[Any]:
    from civicgrid.people.models import RentalContract

    rows = list(rentals_with_tenants(RentalContract.objects.visible_to(user, VIEW).filter(dwelling=dwelling)))
    for r in rows:
        r.expiring = expiring(r)
    return rows


def rented_dwellings(user: Any, filters: PlaceFilters) -> QuerySet:
    """出租房屋: rental contracts of visible dwellings rented out, soonest-ending first."""
    from civicgrid.people.models import RentalContract

    qs = RentalContract.objects.visible_to(user, VIEW).filter(dwelling__use=DwellingUse.RENTED)
    qs = _area_filter(qs, filters.grid)
    if filters.q:
        qs = qs.filter(Q(dwelling__address__icontains=filters.q) | Q(landlord_name__icontains=filters.q))
    if filters.status == "expiring":
        today = timezone.localdate()
        qs = qs.filter(ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=EXPIRING_DAYS))
    elif filters.status == "current":
        qs = qs.filter(Q(ends_on=None) | Q(ends_on__gte=timezone.localdate()))
    return rentals_with_tenants(qs).order_by("ends_on", "dwelling__address", "pk")


def buildings(user: Any, filters: PlaceFilters) -> QuerySet[Building]:
    qs = Building.objects.visible_to(user, VIEW).select_related("area")
    qs = _area_filter(qs, filters.grid)
    if filters.estate:
        qs = qs.filter(estate__icontains=filters.estate)
    if filters.q:
        qs = qs.filter(Q(street__icontains=filters.q) | Q(estate__icontains=filters.q) | Q(number__icontains=filters.q))
    return qs.annotate(n_dwellings=Count("dwellings")).order_by("estate", "number", "pk")


def building_for(user: Any, pk: int) -> Building | None:
    return Building.objects.visible_to(user, VIEW).select_related("area").filter(pk=pk).first()


def organizations(user: Any, filters: PlaceFilters) -> QuerySet[Organization]:
    qs = Organization.objects.visible_to(user, VIEW).select_related("area")
    qs = _area_filter(qs, filters.grid)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(credit_code=filters.q.upper()))
    return qs.order_by("name", "pk")


def organization_for(user: Any, pk: int) -> Organization | None:
    return Organization.objects.visible_to(user, VIEW).select_related("area", "dwelling").filter(pk=pk).first()


def facilities(user: Any, filters: PlaceFilters) -> QuerySet[Facility]:
    qs = Facility.objects.visible_to(user, VIEW).select_related("area")
    qs = _area_filter(qs, filters.grid)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    return qs.order_by("kind", "name", "pk")


def facility_for(user: Any, pk: int) -> Facility | None:
    return Facility.objects.visible_to(user, VIEW).select_related("area").filter(pk=pk).first()


# --- map layer -----------------------------------------------------------------------------------------
LAYERS = {
    "dwellings": (Dwelling, "address", "use"),
    "organizations": (Organization, "name", "kind"),
    "facilities": (Facility, "name", "kind"),
}


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        return None
    return values[0], values[1], values[2], values[3]


def map_points(
    user: Any, *, layers: list[str], grid: str = "", bbox: tuple[float, float, float, float] | None = None
) -> dict[str, Any]:
    """GeoJSON points of visible places: one query per layer, at most MAP_CAP points each."""
    features: list[dict[str, Any]] = []
    truncated: list[str] = []
    for layer in layers:
        if layer not in LAYERS:
            continue
        model, label, kind = LAYERS[layer]
        qs = model.objects.visible_to(user, VIEW).filter(lon__isnull=False, lat__isnull=False)
        if grid.isdigit():
            qs = qs.filter(area__code__startswith=grid)
        if bbox:
            qs = qs.filter(lon__gte=bbox[0], lat__gte=bbox[1], lon__lte=bbox[2], lat__lte=bbox[3])
        rows = list(qs.order_by("pk").values_list("pk", "lon", "lat", label, kind)[: MAP_CAP + 1])
        if len(rows) > MAP_CAP:
            truncated.append(layer)
            rows = rows[:MAP_CAP]
        features.extend(
            {
                "type": "Feature",
                "id": f"{layer}:{pk}",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {"layer": layer, "id": pk, "label": text, "kind": k},
            }
            for pk, lon, lat, text, k in rows
        )
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


# --- grid assignment runs ------------------------------------------------------------------------------
def assignment_runs(user: Any) -> QuerySet[GridAssignmentRun]:
    return GridAssignmentRun.objects.visible_to(user, VIEW).select_related("triggered_by")


def scoped_entries(user: Any, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of a run's report whose old or new grid lies in the user's areas."""
    codes = tuple(scope_codes(user, VIEW))
    if not codes:
        return []
    return [e for e in entries if (e.get("from") or "").startswith(codes) or (e.get("to") or "").startswith(codes)]
