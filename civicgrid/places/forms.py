"""Forms for places. Validation that needs the database lives in places.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import personal_data as pd
from civicgrid.places.models import DwellingUse, FacilityKind, OrganizationKind, OrganizationStatus


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.code})"


class LocatedForm(forms.Form):
    """Point (lon/lat, set by clicking the map) and an optional grid chosen by hand."""

    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=73, max_value=136)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=3, max_value=54)
    grid = GridChoiceField(
        label=_("Grid (set by hand)"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("From the point on the map"),
        help_text=_("Leave empty: the grid is found from the point. A grid chosen here stays when boundaries change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    location_fields = ("lon", "lat", "grid")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = (
            Area.objects.visible_to(user, "people.change")
            .filter(level=AreaLevel.GRID, is_active=True)
            .only("id", "code", "name", "level")
            .order_by("code")
        )
        for name in ("lon", "lat"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal", "data-point": name})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise ValidationError(_("Give both longitude and latitude, or neither."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DwellingForm(LocatedForm):
    street = forms.CharField(label=_("Street or lane"), max_length=100, required=False)
    estate = forms.CharField(label=_("Residential estate"), max_length=100, required=False)
    building_no = forms.CharField(label=_("Building number"), max_length=50, required=False)
    unit_no = forms.CharField(label=_("Unit"), max_length=20, required=False)
    room_no = forms.CharField(label=_("Room"), max_length=20, required=False)
    use = forms.ChoiceField(label=_("Use"), choices=DwellingUse.choices)
    owner_name = forms.CharField(label=_("Owner"), max_length=50, required=False)
    floor_area = forms.DecimalField(
        label=_("Floor area (m²)"), max_digits=8, decimal_places=2, required=False, min_value=0
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    field_order = ["street", "estate", "building_no", "unit_no", "room_no", "use", "owner_name", "floor_area", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("street") or "").strip() and not (data.get("estate") or "").strip():
            self.add_error("street", _("Enter the street or the estate: an address needs at least one of them."))
        return data


class OrganizationForm(LocatedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=OrganizationStatus.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        required=False,
        help_text=_("18 characters, on the business licence or registration certificate."),
    )
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50, required=False)
    contact_name = forms.CharField(label=_("Responsible person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to keep the stored number."),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    registration = forms.CharField(label=_("Registration (登记/备案)"), max_length=20, required=False)
    last_annual_inspection = forms.IntegerField(
        label=_("Last annual inspection year"), min_value=1980, max_value=2100, required=False
    )
    rating_grade = forms.CharField(label=_("Evaluation grade"), max_length=10, required=False)
    integrity_note = forms.CharField(label=_("Integrity record"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_credit_code(self) -> str:
        value = self.cleaned_data.get("credit_code") or ""
        return pd.parse_credit_code(value) if value.strip() else ""

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone") or ""
        return pd.parse_mobile(value) if value.strip() else ""

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        clear = data.pop("clear_phone", False)
        phone = data.pop("contact_phone", "")
        data["contact_phone"] = "" if clear else (phone or None)
        for key in ("employees", "last_annual_inspection"):
            data[key] = data.get(key)
        return data


class FacilityForm(LocatedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Facility code"), max_length=50, required=False)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=0, required=False)
    owner_unit = forms.CharField(label=_("Responsible unit"), max_length=100, required=False)
    is_working = forms.BooleanField(label=_("In working order"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == FacilityKind.SHELTER and not data.get("capacity"):
            self.add_error("capacity", _("An emergency shelter needs its capacity (how many people it can hold)."))
        return data


class UnmaskForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=300)
