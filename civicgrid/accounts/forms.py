from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.models import Role
from civicgrid.areas.models import Area
from civicgrid.core.permissions import capability_choices
from civicgrid.core.scoping import grants_for, user_can


class ScopedAreaField(forms.CharField):
    """An area picked by code; only areas inside the manager's scope are accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Area code"))
        kwargs.setdefault("help_text", _("Type a name or code and pick from the list."))
        super().__init__(*args, **kwargs)
        self.manager: Any = None

    def clean(self, value: Any) -> Area:
        # The picker fills in "code name"; a code typed by hand works as well.
        code = super().clean(value).strip().split(" ")[0]
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(
                _("There is no area with the code %(code)s; type a name or code and pick from the list.")
                % {"code": code}
            )
        if not user_can(self.manager, "accounts.manage", area):
            raise forms.ValidationError(_("%(area)s is outside the areas you manage.") % {"area": area.name})
        if not area.is_active:
            raise forms.ValidationError(
                _("%(area)s has been closed; choose an area that is still in use.") % {"area": area.name}
            )
        return area


def grantable_roles(manager: Any) -> Any:
    """Roles the manager could grant somewhere (the service checks the exact area)."""
    held: set[str] = set()
    for grant in grants_for(manager):
        held |= grant.capabilities
    return Role.objects.filter(pk__in=[r.pk for r in Role.objects.all() if set(r.capabilities) <= held])


ROLE_NOT_GRANTABLE = _("You cannot grant this role: it has permissions you do not hold.")
PASSWORD_HELP = _("At least 8 characters, not only digits, not a common password and not like the username.")


class RoleAssignmentForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Role.objects.none(),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the role to add."), "invalid_choice": ROLE_NOT_GRANTABLE},
    )
    area = ScopedAreaField()
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = grantable_roles(manager)
        self.fields["area"].manager = manager
        self.fields["area"].widget.attrs.update({"list": "area-options", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date is before the start date; correct one of them."))
        return data


class UserCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    password = forms.CharField(
        label=_("Initial password"), help_text=PASSWORD_HELP, widget=forms.PasswordInput(render_value=False)
    )
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)
    role = forms.ModelChoiceField(label=_("First role"), queryset=Role.objects.none(), empty_label=_("— choose —"),
                                  error_messages={"required": _("Every user needs a role in an area."),
                                                  "invalid_choice": ROLE_NOT_GRANTABLE})  # fmt: skip
    area = ScopedAreaField(error_messages={"required": _("Every user needs a role in an area.")})

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = grantable_roles(manager)
        self.fields["area"].manager = manager
        self.fields["area"].widget.attrs.update({"list": "area-options", "autocomplete": "off"})


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    work_phone = forms.CharField(label=_("Work phone"), max_length=20, required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"), help_text=PASSWORD_HELP, widget=forms.PasswordInput(render_value=False)
    )


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    capabilities = forms.MultipleChoiceField(
        label=_("Permissions"), choices=capability_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
