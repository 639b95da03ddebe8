from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicgrid.cases.models import CaseCategory, Rating
from civicgrid.core.uploads import clean_photo

MAX_PHOTOS = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from the camera or the gallery, each checked and re-encoded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[tuple[Any, int, int]]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos at a time.") % {"n": MAX_PHOTOS})
        cleaned = []
        for upload in files:
            super().clean(upload, initial)
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as err:
                raise forms.ValidationError(err.messages) from None
        if self.required and not cleaned:
            raise forms.ValidationError(_("Add at least one photo."))
        return cleaned


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CaseCategory) -> str:
        return str(obj)


class _LocationMixin(forms.Form):
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    address = forms.CharField(label=_("Where (address or landmark)"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("lon") is None or data.get("lat") is None:
            raise forms.ValidationError(
                _("The location is missing: allow the phone to use GPS, or tap the map to place a pin.")
            )
        return data


class CaseReportForm(_LocationMixin):
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.filter(parent__isnull=False, is_active=True),
        empty_label=_("— choose —"),
    )
    title = forms.CharField(label=_("What is the problem"), max_length=100)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField()
    self_handled = forms.BooleanField(label=_("I fixed it on the spot (自行处置)"), required=False)
    handled_note = forms.CharField(label=_("How it was fixed"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("self_handled") and not (data.get("handled_note") or "").strip():
            self.add_error("handled_note", _("Say briefly how the problem was fixed."))
        if data.get("self_handled") and not data.get("photos"):
            self.add_error("photos", _("A problem fixed on the spot needs a photo of the result."))
        return data


class PublicReportForm(_LocationMixin):
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.filter(parent__isnull=False, is_active=True, is_public=True),
        empty_label=_("— choose —"),
    )
    title = forms.CharField(label=_("What is the problem"), max_length=100)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Mobile phone (optional, for follow-up)"), max_length=20, required=False)
    photos = PhotosField()


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    merge_into = forms.CharField(label=_("Merge into (tracking code)"), required=False, max_length=12)
    photos = PhotosField()
    version = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("How satisfied are you?"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class SuperviseForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Supervision deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    comment = forms.CharField(label=_("Instructions"), required=False, max_length=500)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = CaseCategory
        fields = [
            "name",
            "code",
            "is_public",
            "is_active",
            "accept_criteria",
            "close_criteria",
            "handler_level",
            "department",
            "accept_hours",
            "accept_unit",
            "handle_amount",
            "handle_unit",
            "verify_hours",
            "verify_unit",
            "sort_order",
        ]
        labels = {
            "accept_unit": _("time unit"),
            "handle_unit": _("time unit"),
            "verify_unit": _("time unit"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in ("accept_hours", "handle_amount", "verify_hours"):
            if data.get(field) is not None and data[field] <= 0:
                self.add_error(field, _("A time limit must be more than zero."))
        if data.get("handler_level") == "department" and not (data.get("department") or "").strip():
            self.add_error("department", _("Name the responsible department."))
        return data
