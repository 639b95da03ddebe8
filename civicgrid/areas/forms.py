from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area, AreaLevel, child_level

MAX_GEOJSON_BYTES = 5 * 1024 * 1024


class AreaEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, instance_area: Area, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].update(name=instance_area.name, note=instance_area.note, is_active=instance_area.is_active)
        super().__init__(*args, **kwargs)


class AreaCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, parent: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = AreaLevel(child_level(parent.level))
        self.fields["code"].help_text = _("%(parent)s + 3 digits, e.g. %(example)s") % {
            "parent": parent.code,
            "example": parent.code + "001",
        }
        self.level_label = level.label


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file"), required=False)
    text = forms.CharField(label=_("…or paste GeoJSON"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_GEOJSON_BYTES:
                raise forms.ValidationError(_("The file is larger than 5 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text. Save the GeoJSON as UTF-8 and upload again.")
                ) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a GeoJSON file or paste its content."))
        return data

    def geojson_text(self) -> str:
        return self.cleaned_data["text"]
