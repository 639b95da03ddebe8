"""Pages for buildings, dwellings, rental housing, organizations and facilities.

Thin views over places.selectors (reads) and places.services (changes).
Everything is scoped by ``visible_to(user, "people.view")``; editing needs
``people.change`` in the row's grid; out of scope is 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civicgrid.core.scoping import user_can
from civicgrid.places import forms, selectors, services
from civicgrid.places.models import (
    Dwelling,
    DwellingUse,
    FacilityKind,
    GridAssignmentRun,
    OrganizationKind,
    OrganizationStatus,
)

PAGE_SIZE = 50
TYPE_LABELS = {
    "dwelling": _lazy("Dwellings"),
    "building": _lazy("Buildings"),
    "organization": _lazy("Organizations"),
    "facility": _lazy("Facilities"),
}
VIEW, CHANGE = "people.view", "people.change"


def _require(user: Any, capability: str = VIEW) -> None:
    if not user_can(user, capability):
        raise PermissionDenied


def _or_404(obj: Any) -> Any:
    if obj is None:
        raise Http404(_("No such record, or it is outside your areas."))
    return obj


def _list_context(request: HttpRequest, qs: Any, nav: str, **extra: Any) -> dict[str, Any]:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "page": page,
        "filters": selectors.PlaceFilters.from_params(request.GET),
        "querystring": params.urlencode(),
        "areas": selectors.grid_options(request.user),
        "can_change": user_can(request.user, CHANGE),
        "nav_active": nav,
        **extra,
    }


def _map_context() -> dict[str, Any]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "tile_subdomains": settings.MAP_TILE_SUBDOMAINS,
    }


def _point_json(obj: Any) -> str:
    if obj.lon is None or obj.lat is None:
        return ""
    return json.dumps([obj.lon, obj.lat])


def _boundary_json(area: Any) -> str:
    return json.dumps(area.boundary) if area.boundary else ""


# --- dwellings -----------------------------------------------------------------------------------------
@login_required
def dwelling_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    filters = selectors.PlaceFilters.from_params(request.GET)
    context = _list_context(
        request, selectors.dwellings(request.user, filters), "places", use_choices=DwellingUse.choices
    )
    return render(request, "places/dwelling_list.html", context)


@login_required
def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = _or_404(selectors.dwelling_for(request.user, pk))
    context = {
        "dwelling": dwelling,
        "residents": selectors.dwelling_residents(request.user, dwelling),
        "households": selectors.dwelling_households(request.user, dwelling),
        "rentals": selectors.dwelling_rentals(request.user, dwelling),
        "point_json": _point_json(dwelling),
        "boundary_json": _boundary_json(dwelling.area),
        "can_change": user_can(request.user, CHANGE, dwelling.area),
        "nav_active": "places",
        **_map_context(),
    }
    return render(request, "places/dwelling_detail.html", context)


def _form_page(request: HttpRequest, form: forms.LocatedForm, obj: Any, kind: str, title: str) -> HttpResponse:
    location = set(form.location_fields)
    return render(
        request,
        "places/place_form.html",
        {
            "form": form,
            "obj": obj,
            "title": title,
            "kind": kind,
            "main_fields": [f for f in form.visible_fields() if f.name not in location],
            "location_fields": [form[name] for name in form.location_fields],
            "boundaries_url": f"{reverse_map_features()}",
            "nav_active": {"dwelling": "places", "organization": "organizations", "facility": "facilities"}[kind],
            **_map_context(),
        },
    )


def reverse_map_features() -> str:
    from django.urls import reverse

    return reverse("areas:map_features")


def _save(request: HttpRequest, form: forms.LocatedForm, fn: Any, **kwargs: Any) -> Any | None:
    """Call a save service; put its errors on the form (nothing is changed on error)."""
    try:
        return fn(by=request.user, expected_version=form.cleaned_data.get("version"), **kwargs, **form.service_kwargs())
    except services.DuplicateCreditCode as err:
        form.add_error("credit_code", err)
    except services.PlaceConflict as err:
        form.add_error(None, err)
    except ValidationError as err:
        form.add_error(None, err)
    return None


def _changeable(request: HttpRequest, obj: Any) -> None:
    if not user_can(request.user, CHANGE, obj.area):
        raise PermissionDenied


@login_required
def dwelling_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, CHANGE)
    building = None
    if request.GET.get("building", "").isdigit():
        building = _or_404(selectors.building_for(request.user, int(request.GET["building"])))
    initial = (
        {
            "street": building.street,
            "estate": building.estate,
            "building_no": building.number,
            "lon": building.lon,
            "lat": building.lat,
        }
        if building
        else {}
    )
    form = forms.DwellingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        dwelling = _save(request, form, services.dwelling_save, dwelling=None, building=building)
        if dwelling:
            messages.success(request, _("Dwelling saved in %(grid)s.") % {"grid": dwelling.area.name})
            return redirect("places:dwelling_detail", pk=dwelling.pk)
    return _form_page(request, form, None, "dwelling", _("New dwelling"))


@login_required
def dwelling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = _or_404(selectors.dwelling_for(request.user, pk))
    _changeable(request, dwelling)
    initial = {
        **{f: getattr(dwelling, f) for f in ("street", "estate", "building_no", "unit_no", "room_no", "use")},
        **{f: getattr(dwelling, f) for f in ("owner_name", "floor_area", "note", "lon", "lat", "version")},
        "grid": dwelling.area if dwelling.grid_fixed else None,
    }
    form = forms.DwellingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, services.dwelling_save, dwelling=dwelling)
        if saved:
            messages.success(request, _("Dwelling saved in %(grid)s.") % {"grid": saved.area.name})
            return redirect("places:dwelling_detail", pk=saved.pk)
    return _form_page(request, form, dwelling, "dwelling", _("Edit dwelling"))


@login_required
def rental_list(request: HttpRequest) -> HttpResponse:
    """出租房屋: rented dwellings with landlord, tenants and dates; expiring contracts highlighted."""
    _require(request.user)
    filters = selectors.PlaceFilters.from_params(request.GET)
    context = _list_context(request, selectors.rented_dwellings(request.user, filters), "places")
    for contract in context["page"].object_list:
        contract.expiring = selectors.expiring(contract)
    return render(request, "places/rental_list.html", context)


# --- buildings -----------------------------------------------------------------------------------------
@login_required
def building_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    filters = selectors.PlaceFilters.from_params(request.GET)
    return render(
        request,
        "places/building_list.html",
        _list_context(request, selectors.buildings(request.user, filters), "places"),
    )


@login_required
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = _or_404(selectors.building_for(request.user, pk))
    dwellings = (
        Dwelling.objects.visible_to(request.user, VIEW)
        .filter(building=building)
        .annotate(n_residents=selectors._residents_count())
        .order_by("unit_no", "room_no", "pk")
    )
    context = {
        "building": building,
        "dwellings": dwellings,
        "can_change": user_can(request.user, CHANGE, building.area),
        "nav_active": "places",
    }
    return render(request, "places/building_detail.html", context)


# --- organizations -------------------------------------------------------------------------------------
@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    filters = selectors.PlaceFilters.from_params(request.GET)
    context = _list_context(
        request,
        selectors.organizations(request.user, filters),
        "organizations",
        kind_choices=OrganizationKind.choices,
        status_choices=OrganizationStatus.choices,
    )
    return render(request, "places/organization_list.html", context)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _or_404(selectors.organization_for(request.user, pk))
    context = {
        "org": org,
        "point_json": _point_json(org),
        "boundary_json": _boundary_json(org.area),
        "can_change": user_can(request.user, CHANGE, org.area),
        "can_unmask": bool(org.contact_phone_enc) and user_can(request.user, "personal.unmask", org.area),
        "nav_active": "organizations",
        **_map_context(),
    }
    return render(request, "places/organization_detail.html", context)


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, CHANGE)
    form = forms.OrganizationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        org = _save(request, form, services.organization_save, organization=None)
        if org:
            messages.success(request, _("Saved."))
            return redirect("places:organization_detail", pk=org.pk)
    return _form_page(request, form, None, "organization", _("New organization"))


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _or_404(selectors.organization_for(request.user, pk))
    _changeable(request, org)
    names = [f for f in forms.OrganizationForm.base_fields if f not in ("grid", "contact_phone", "clear_phone")]
    initial = {f: getattr(org, f) for f in names} | {"grid": org.area if org.grid_fixed else None}
    form = forms.OrganizationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, services.organization_save, organization=org)
        if saved:
            messages.success(request, _("Saved."))
            return redirect("places:organization_detail", pk=saved.pk)
    return _form_page(request, form, org, "organization", _("Edit organization"))


@login_required
def organization_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    org = _or_404(selectors.organization_for(request.user, pk))
    if not user_can(request.user, "personal.unmask", org.area):
        raise PermissionDenied
    form = forms.UnmaskForm(request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = services.organization_unmask_phone(
                organization=org, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as err:
            form.add_error("reason", err)
    return render(
        request, "places/unmask.html", {"org": org, "form": form, "value": value, "nav_active": "organizations"}
    )


# --- facilities ----------------------------------------------------------------------------------------
@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    filters = selectors.PlaceFilters.from_params(request.GET)
    context = _list_context(
        request, selectors.facilities(request.user, filters), "facilities", kind_choices=FacilityKind.choices
    )
    context.update(_map_context())
    return render(request, "places/facility_list.html", context)


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _or_404(selectors.facility_for(request.user, pk))
    context = {
        "facility": facility,
        "point_json": _point_json(facility),
        "boundary_json": _boundary_json(facility.area),
        "can_change": user_can(request.user, CHANGE, facility.area),
        "nav_active": "facilities",
        **_map_context(),
    }
    return render(request, "places/facility_detail.html", context)


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, CHANGE)
    form = forms.FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        facility = _save(request, form, services.facility_save, facility=None)
        if facility:
            messages.success(request, _("Saved."))
            return redirect("places:facility_detail", pk=facility.pk)
    return _form_page(request, form, None, "facility", _("New facility"))


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _or_404(selectors.facility_for(request.user, pk))
    _changeable(request, facility)
    names = [f for f in forms.FacilityForm.base_fields if f != "grid"]
    initial = {f: getattr(facility, f) for f in names} | {"grid": facility.area if facility.grid_fixed else None}
    form = forms.FacilityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, services.facility_save, facility=facility)
        if saved:
            messages.success(request, _("Saved."))
            return redirect("places:facility_detail", pk=saved.pk)
    return _form_page(request, form, facility, "facility", _("Edit facility"))


# --- map layer -----------------------------------------------------------------------------------------
@login_required
def map_points(request: HttpRequest) -> HttpResponse:
    """GeoJSON points of dwellings/organizations/facilities in a grid or bbox (scoped, capped)."""
    _require(request.user)
    layers = [x for x in request.GET.get("layers", "dwellings,organizations,facilities").split(",") if x]
    bbox_text = request.GET.get("bbox", "")
    bbox = selectors.parse_bbox(bbox_text) if bbox_text else None
    if bbox_text and bbox is None:
        return JsonResponse({"detail": _("The bbox must be four numbers: west,south,east,north.")}, status=400)
    data = selectors.map_points(request.user, layers=layers, grid=request.GET.get("grid", ""), bbox=bbox)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, content_type="application/geo+json")


# --- grid assignment runs ------------------------------------------------------------------------------
@login_required
def assignment_runs(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    page = Paginator(selectors.assignment_runs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "places/assignment_runs.html", {"page": page, "querystring": "", "nav_active": "places"})


@login_required
def assignment_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run: GridAssignmentRun = _or_404(selectors.assignment_runs(request.user).filter(pk=pk).first())
    context = {
        "run": run,
        "count_rows": [(TYPE_LABELS.get(k, k), c) for k, c in run.counts.items()],
        "moved": selectors.scoped_entries(request.user, run.moved),
        "problems": selectors.scoped_entries(request.user, run.problems),
        "nav_active": "places",
    }
    return render(request, "places/assignment_run_detail.html", context)
