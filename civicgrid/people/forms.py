"""Forms of the people registry. Errors are in Chinese (msgids in English) and say how to fix them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from civicgrid.areas.models import Area, AreaLevel
from civicgrid.core import personal_data as pd
from civicgrid.people.models import Household, Person, Relation, ResidencyKind, Sex, Tag
from civicgrid.places.models import Dwelling

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _limited_choices(field: forms.ModelChoiceField, objects: list[Any], label: Any = str) -> None:
    """Validate against the whole scoped queryset but render only a few options (a picker, not a dump)."""
    seen: set[int] = set()
    choices: list[tuple[Any, str]] = [("", "---------")]
    for obj in objects:
        if obj is not None and obj.pk not in seen:
            seen.add(obj.pk)
            choices.append((obj.pk, label(obj)))
    field.widget.choices = choices


def _dwelling_picker(field: forms.Field) -> None:
    """The address search box fills the dwelling <select> (htmx; without it, type and submit)."""
    field.widget.attrs.update(
        {
            "hx-get": reverse("people:dwelling_options"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#id_dwelling",
        }
    )


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("18 characters; birth date and sex are taken from it."),
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "---------"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    ethnicity = forms.CharField(label=_("Ethnic group"), max_length=20, required=False)
    residency_kind = forms.ChoiceField(label=_("Residency"), choices=ResidencyKind.choices)
    dwelling_q = forms.CharField(
        label=_("Find the dwelling"),
        required=False,
        help_text=_("Type part of the address, then pick the dwelling below."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    dwelling = forms.ModelChoiceField(label=_("Dwelling"), queryset=Dwelling.objects.none(), required=False)
    area = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Only needed when the person has no dwelling yet."),
    )
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none(), required=False)
    relation = forms.ChoiceField(
        label=_("Relation to head"), choices=[("", "---------"), *Relation.choices], required=False
    )
    registered_address = forms.CharField(label=_("Registered address (户籍地)"), max_length=300, required=False)
    workplace = forms.CharField(label=_("Workplace or school"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person with the same name, birth date and address"), required=False
    )

    def __init__(self, *args: Any, user: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.warnings: list[str] = []
        self.duplicate_of: Person | None = None
        self.fields["id_number"].widget.attrs.update(
            {
                "hx-get": reverse("people:id_number_check"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#id-check",
                "autocomplete": "off",
            }
        )
        _dwelling_picker(self.fields["dwelling_q"])
        self.parsed_id: pd.IdNumber | None = None
        self.fields["dwelling"].queryset = Dwelling.objects.visible_to(user, "people.change").select_related("area")
        self.fields["area"].queryset = Area.objects.visible_to(user, "people.change").filter(level=AreaLevel.GRID)
        self.fields["household"].queryset = Household.objects.visible_to(user, "people.change")
        self.fields["area"].label_from_instance = lambda a: a.name  # type: ignore[attr-defined]
        dwelling = person.dwelling if person else None
        household = person.household if person else None
        if self.is_bound and self.data.get("dwelling"):
            dwelling = Dwelling.objects.visible_to(user, "people.change").filter(pk=self.data["dwelling"]).first()
        if self.is_bound and self.data.get("household"):
            household = Household.objects.visible_to(user, "people.change").filter(pk=self.data["household"]).first()
        _limited_choices(self.fields["dwelling"], [dwelling])
        nearby = list(Household.objects.filter(dwelling=dwelling, is_active=True)[:20]) if dwelling else []
        _limited_choices(self.fields["household"], [household, *nearby])
        if person is not None:
            self.fields["id_number"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": person.id_number_masked or gettext("none")
            }
            self.fields["phone"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                "masked": person.phone_masked or gettext("none")
            }

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number", "")
        if not value.strip():
            return ""
        self.parsed_id = pd.parse_id_number(value)  # raises a Chinese ValidationError
        if not self.parsed_id.region_known:
            self.warnings.append(
                gettext(
                    "The region code %(code)s of this ID number is not in our list of counties. "
                    "It may be a newer code: please check it against the ID card."
                )
                % {"code": self.parsed_id.number[:6]}
            )
        return self.parsed_id.number

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return pd.parse_mobile(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_id = bool(data.get("id_number")) or bool(self.person and self.person.id_number_hash)
        if not has_id and not data.get("birth_date"):
            self.add_error("birth_date", gettext("Without an ID number, enter the date of birth."))
        if not has_id and not data.get("sex"):
            self.add_error("sex", gettext("Without an ID number, choose the sex."))
        if data.get("birth_date") and data["birth_date"] > timezone.localdate():
            self.add_error("birth_date", gettext("The date of birth cannot be in the future."))
        if not (data.get("dwelling") or data.get("household") or data.get("area") or self.person):
            self.add_error("dwelling", gettext("Choose the dwelling the person lives in, or at least a grid."))
        if data.get("household") and not data.get("relation"):
            self.add_error("relation", gettext("Choose the relation to the head of the household."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        kwargs = {
            "name": d["name"],
            "residency_kind": d["residency_kind"],
            "dwelling": d.get("dwelling"),
            "household": d.get("household"),
            "area": d.get("area"),
            "ethnicity": d.get("ethnicity", ""),
            "relation": d.get("relation", "") if d.get("household") else "",
            "registered_address": d.get("registered_address", ""),
            "workplace": d.get("workplace", ""),
            "note": d.get("note", ""),
        }
        if self.parsed_id is None:
            kwargs["sex"] = d.get("sex", "") or (self.person.sex if self.person else "")
            kwargs["birth_date"] = d.get("birth_date") or (self.person.birth_date if self.person else None)
        if self.person is None:
            kwargs["id_number"] = d.get("id_number", "")
            kwargs["phone"] = d.get("phone", "")
        else:
            kwargs["id_number"] = d.get("id_number") or None
            kwargs["phone"] = d.get("phone") or None
        return kwargs


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("ID number")), ("phone", _("Mobile phone"))])
    reason = forms.CharField(
        label=_("Why do you need the full number?"),
        max_length=200,
        error_messages={"required": _("Say why you need the full number (for example: 核实低保申请).")},
    )


class MoveOutForm(forms.Form):
    on = forms.DateField(label=_("Moved out on"), widget=DATE)
    destination = forms.CharField(label=_("Moved to"), max_length=300, required=False)


class DeathForm(forms.Form):
    on = forms.DateField(label=_("Date of death"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MergeForm(forms.Form):
    other = forms.IntegerField(
        label=_("Record number of the duplicate"),
        help_text=_("The number shown after # on the other record's page."),
    )
    keep = forms.ChoiceField(
        label=_("Which record survives?"),
        choices=[("this", _("This record")), ("other", _("The other record"))],
        initial="this",
        widget=forms.RadioSelect,
    )


class HouseholdForm(forms.Form):
    dwelling_q = forms.CharField(
        label=_("Find the dwelling"),
        required=False,
        help_text=_("Type part of the address, then pick the dwelling below."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    number = forms.CharField(
        label=_("Household number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to number it automatically."),
    )
    dwelling = forms.ModelChoiceField(label=_("Dwelling"), queryset=Dwelling.objects.none(), required=False)
    area = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dwelling_picker(self.fields["dwelling_q"])
        self.fields["dwelling"].queryset = Dwelling.objects.visible_to(user, "people.change").select_related("area")
        self.fields["area"].queryset = Area.objects.visible_to(user, "people.change").filter(level=AreaLevel.GRID)
        self.fields["area"].label_from_instance = lambda a: a.name  # type: ignore[attr-defined]
        dwelling = None
        if self.is_bound and self.data.get("dwelling"):
            dwelling = Dwelling.objects.visible_to(user, "people.change").filter(pk=self.data["dwelling"]).first()
        _limited_choices(self.fields["dwelling"], [dwelling])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("dwelling") and not data.get("area"):
            self.add_error("dwelling", gettext("Choose the household's dwelling, or at least a grid."))
        return data


class HouseholdMoveForm(forms.Form):
    dwelling_q = forms.CharField(
        label=_("Find the dwelling"),
        required=False,
        help_text=_("Type part of the address, then pick the dwelling below."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    dwelling = forms.ModelChoiceField(label=_("New dwelling"), queryset=Dwelling.objects.none())
    on = forms.DateField(label=_("Moved on"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dwelling_picker(self.fields["dwelling_q"])
        self.fields["dwelling"].queryset = Dwelling.objects.visible_to(user, "people.change").select_related("area")
        dwelling = None
        if self.is_bound and self.data.get("dwelling"):
            dwelling = Dwelling.objects.visible_to(user, "people.change").filter(pk=self.data["dwelling"]).first()
        _limited_choices(self.fields["dwelling"], [dwelling])


class AddMemberForm(forms.Form):
    person = forms.IntegerField(label=_("Record number of the person"))
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Relation.choices)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["code", "name", "category", "is_sensitive", "has_grade", "visit_interval_days", "derived_min_age"]
        help_texts = {
            "code": _("Letters, digits and underscores; used in links and exports."),
            "visit_interval_days": _("Leave empty when no regular visit is needed."),
            "derived_min_age": _("Only for tags computed from age, such as 高龄(90+)."),
        }


class PersonTagForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.none())
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False, help_text=_("For 残疾: 一级 to 四级."))
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, tags: list[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(pk__in=[t.pk for t in tags if t.derived_min_age is None])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        tag = data.get("tag")
        if tag is not None and tag.has_grade and not (data.get("grade") or "").strip():
            self.add_error("grade", gettext("%(tag)s needs a grade (for example 一级 to 四级).") % {"tag": tag.name})
        return data


def validation_messages(err: ValidationError) -> list[str]:
    return list(err.messages)
