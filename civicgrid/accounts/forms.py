from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import Role
from civicgrid.areas.models import Area
from civicgrid.core.permissions import capability_choices
from civicgrid.core.scoping import scope_codes


class ScopedAreaField(forms.CharField):
    """An area picked by code; only areas inside the manager's scope are accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Area code"))
        kwargs.setdefault("help_text", _("Type a name or code and pick from the list."))
        super().__init__(*args, **kwargs)
        self.manager: Any = None

    def clean(self, value: Any) -> Area:
        code = super().clean(value).strip().split(" ")[0]
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("There is no area with the code %(code)s.") % {"code": code})
        if not any(area.code.startswith(c) for c in scope_codes(self.manager, "accounts.manage")):
            raise forms.ValidationError(_("%(area)s is outside the areas you manage.") % {"area": area.name})
        return area


class RoleAssignmentForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all(), empty_label=None)
    area = ScopedAreaField()
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].manager = manager
        self.fields["area"].widget.attrs.update({"list": "area-options", "autocomplete": "off"})


class UserCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False))
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)
    role = forms.ModelChoiceField(label=_("First role"), queryset=Role.objects.all(), empty_label=_("— choose —"),
                                  error_messages={"required": _("Every user needs a role in an area.")})  # fmt: skip
    area = ScopedAreaField(error_messages={"required": _("Every user needs a role in an area.")})

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].manager = manager
        self.fields["area"].widget.attrs.update({"list": "area-options", "autocomplete": "off"})


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Account active"), required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(render_value=False))


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    capabilities = forms.MultipleChoiceField(
        label=_("Permissions"), choices=capability_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
